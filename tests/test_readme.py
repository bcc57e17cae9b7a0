"""The examples in README.md and in the public docstrings run as doctests."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_readme_examples_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples use paths relative to the repository root
    result = doctest.testfile(str(ROOT / "README.md"), module_relative=False)
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize("module", ["lgstandards", "lgstandards.vocab", "lgstandards.vocab.types"])
def test_docstring_examples_run(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0
    assert result.failed == 0


def _doctest_source(text: str) -> str:
    """Return the Python statements of a text's doctest examples, as one module."""
    parser = doctest.DocTestParser()
    lines = ["from __future__ import annotations"]
    for example in parser.get_examples(text):
        lines.append(example.source.rstrip("\n"))
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """A council developer's first lines type-check: the README's examples under mypy --strict."""
    import subprocess
    import sys

    script = tmp_path / "readme_examples.py"
    script.write_text(_doctest_source((ROOT / "README.md").read_text(encoding="utf-8")))
    assert "lgstandards.validate(" in script.read_text()
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(script)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
