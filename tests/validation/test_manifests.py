"""Every shipped example gives exactly the outcome its MANIFEST names (Python and CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgstandards.cli import cli
from lgstandards.validation import validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
#: Per-document manifests; examples/exchanges lists histories (tests/exchange checks them).
MANIFESTS = sorted(m for m in EXAMPLES.glob("*/MANIFEST") if m.parent.name != "exchanges")


def _entries() -> list[tuple[Path, str, frozenset[str]]]:
    found = []
    for manifest in MANIFESTS:
        for raw in manifest.read_text("utf-8").splitlines():
            line = raw.split("#", 1)[0].strip()
            if not line:
                continue
            name, *codes = line.split()
            expected = frozenset() if codes == ["-"] else frozenset(codes)
            found.append((manifest.parent, name, expected))
    return found


ENTRIES = _entries()


def _found(report: object) -> frozenset[str]:
    return frozenset(
        i.code
        for i in report  # type: ignore[attr-defined]
        if i.severity.value in ("error", "warning")
    )


@pytest.mark.parametrize(
    ("folder", "name", "expected"), ENTRIES, ids=[f"{f.name}/{n}" for f, n, _ in ENTRIES]
)
@pytest.mark.parametrize("streaming", [False, True], ids=["whole", "streaming"])
def test_example_outcome(
    folder: Path, name: str, expected: frozenset[str], streaming: bool
) -> None:
    report = validate(folder / name, streaming=streaming)
    assert _found(report) == expected, [str(i) for i in report]
    errors = {c for c in expected if not c.startswith("vocab.") or c == "vocab.unknown-code"}
    assert report.ok == (not errors or all(i.severity.value != "error" for i in report))
    if name.startswith("valid/"):
        assert report.ok


@pytest.mark.parametrize("manifest", MANIFESTS, ids=lambda p: p.parent.name)
def test_cli_on_each_manifest_folder(manifest: Path) -> None:
    entries = [e for e in ENTRIES if e[0] == manifest.parent]
    paths = [str(folder / name) for folder, name, _ in entries]
    result = CliRunner().invoke(cli, ["validate", "--format", "json", *paths])
    data = json.loads(result.stdout)
    for (_, _, expected), document in zip(entries, data["documents"], strict=True):
        codes = {i["code"] for i in document["issues"] if i["severity"] != "info"}
        assert codes == expected, document["source"]
    any_invalid = any(not d["valid"] for d in data["documents"])
    assert result.exit_code == (1 if any_invalid else 0)


def test_there_are_examples() -> None:
    assert len(ENTRIES) >= 10
