"""The published pre-commit hook: its definition, and its entry command run on staged files."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from lgstandards.conformance import cases

HOOKS = Path(__file__).resolve().parents[2] / ".pre-commit-hooks.yaml"
REQUIRED = {"id", "name", "entry", "language"}


def _scalar(text: str) -> Any:
    text = text.strip()
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(part) for part in text[1:-1].split(",") if part.strip()]
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return text


def tiny_yaml_hooks(text: str) -> list[dict[str, Any]]:
    """Parse the subset of YAML a hooks file uses: a list of flat mappings."""
    hooks: list[dict[str, Any]] = []
    for raw in text.splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw.startswith("- "):
            hooks.append({})
            raw = "  " + raw[2:]
        assert raw.startswith("  "), raw
        key, sep, value = raw.strip().partition(": ")
        assert sep, raw
        hooks[-1][key] = _scalar(value)
    return hooks


def _hooks() -> list[dict[str, Any]]:
    return tiny_yaml_hooks(HOOKS.read_text(encoding="utf-8"))


def test_hooks_file_is_yaml_of_the_expected_shape() -> None:
    hooks = _hooks()
    try:
        import yaml
    except ImportError:  # pragma: no cover - PyYAML is optional
        pass
    else:
        assert yaml.safe_load(HOOKS.read_text(encoding="utf-8")) == hooks
    (hook,) = hooks
    assert set(hook) >= REQUIRED
    assert hook["id"] == "lgstandards-validate"
    assert hook["entry"] == "lgstandards validate"
    assert hook["language"] == "python"
    assert hook["files"] == r"\.(xml|ttl|rdf|jsonld|nt)$"


@pytest.mark.parametrize(
    ("name", "matched"),
    [
        ("messages/payment.xml", True),
        ("catalogue/services.ttl", True),
        ("catalogue/services.jsonld", True),
        ("catalogue/services.nt", True),
        ("catalogue/services.rdf", True),
        ("src/app.py", False),
        ("notes.xml.bak", False),
    ],
)
def test_files_pattern(name: str, matched: bool) -> None:
    pattern = re.compile(_hooks()[0]["files"])
    assert bool(pattern.search(name)) is matched


def test_files_pattern_covers_every_kit_document() -> None:
    pattern = re.compile(_hooks()[0]["files"])
    assert all(pattern.search(c.name) for c in cases())


def _entry() -> list[str]:
    command = shlex.split(_hooks()[0]["entry"])
    script = Path(sys.executable).parent / command[0]
    if script.exists():
        return [str(script), *command[1:]]
    return [sys.executable, "-m", "lgstandards", *command[1:]]  # pragma: no cover


def test_entry_passes_valid_staged_files() -> None:
    staged = [
        str(c.path)
        for c in cases()
        if c.expects_valid and c.name.endswith(("payment-request.xml", ".ttl", ".jsonld"))
    ]
    done = subprocess.run([*_entry(), *staged], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr


def test_entry_fails_on_an_invalid_staged_file() -> None:
    bad = next(c for c in cases() if c.name == "epay/invalid/request-bad-postcode.xml")
    good = next(c for c in cases() if c.name == "epay/valid/payment-request.xml")
    done = subprocess.run(
        [*_entry(), str(good.path), str(bad.path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "rule.COM-R014" in done.stdout
    assert "request-bad-postcode.xml" in done.stdout
