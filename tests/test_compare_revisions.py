"""``benchmarks/compare_revisions.py``: two revisions measured in turn, each compiled first."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "benchmarks" / "compare_revisions.py"


def _git_revision() -> str | None:
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or None if done.returncode == 0 else None


def _tool(*arguments: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Run the tool with ``arguments``; its exit code and output, whatever they are."""
    return subprocess.run(
        [sys.executable, str(TOOL), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
    )


@pytest.mark.skipif(_git_revision() is None, reason="not a git checkout")
def test_a_revision_against_the_work_tree_prints_both_sides_and_the_ratio() -> None:
    done = _tool(
        "HEAD",
        "--measure",
        "read",
        "--pairs",
        "2",
        "--message",
        "payment-request-accepted.xml",
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "read: 2 pairs, HEAD against the work tree" in out
    least = re.findall(r"(old|new): least\s+([0-9.]+) µs a message", out)
    assert [side for side, _ in least] == ["old", "new"]
    assert all(0 < float(value) < 10_000 for _, value in least)
    ratio = float(re.search(r"new / old\): ([0-9.]+)", out).group(1))  # type: ignore[union-attr]
    assert 0.2 < ratio < 5


def test_an_unknown_example_is_refused_before_anything_runs() -> None:
    done = _tool("HEAD", "--measure", "read", "--message", "nope.xml")
    assert done.returncode == 2
    assert "no such example" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(_git_revision() is None, reason="not a git checkout")
@pytest.mark.parametrize("revisions", [["no-such-rev"], ["HEAD", "no-such-rev"]])
def test_an_unknown_revision_is_refused_before_anything_runs(revisions: list[str]) -> None:
    done = _tool(*revisions, "--measure", "read")
    assert done.returncode == 2
    assert "no such revision" in done.stderr
    assert "no-such-rev" in done.stderr
    assert "Traceback" not in done.stderr
