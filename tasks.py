#!/usr/bin/env python3
"""The project's one task runner (standard library only): set-up, demo, tests, benchmarks.

    python3 tasks.py demo     # set up .venv and run the main job on the shipped data
    python3 tasks.py test     # set up .venv and run lint, type checks and the whole test suite
    python3 tasks.py bench    # run the benchmarks (prints ratios measured in the same run)

CI (.ci/run) calls ``python3 tasks.py test``; developers run the same targets.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("LGSTANDARDS_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*args: str | Path, check: bool = True) -> int:
    """Run a command from the repository root, echoing it."""
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def setup(extras: str = "test") -> None:
    """Create .venv and install the package (editable) with ``extras``, once per pyproject."""
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".lgstandards-installed"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    digest += f" {extras}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]")
    stamp.write_text(digest)


def demo() -> None:
    """Run the main job on the shipped data: look-ups, and validation of the bundled examples."""
    setup("test,docs")
    cli = BIN / "lgstandards"
    run(cli, "vocab", "list")
    run(cli, "vocab", "show", "lgsl", "57")
    run(cli, "vocab", "search", "lgsl", "council tax", "--limit", "5")
    # Validate the bundled examples (exit 1 is expected: they include the invalid cases) ...
    run(cli, "validate", "examples", check=False)
    # ... then check that every conformance case gives exactly its expected outcome.
    kit = ROOT / ".tmp" / "conformance-kit"
    run(cli, "conformance", "export", kit)
    run(cli, "conformance", "check", kit)


def lint() -> None:
    """Ruff (lint and format check) and mypy --strict on src/."""
    setup("test,docs")
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy", "--strict", "src/lgstandards")


def test() -> None:
    """Lint, type-check, check built vocabularies are fresh, then run the whole test suite."""
    lint()
    run(BIN / "lgstandards", "vocab", "build", "--check")
    jobs = os.environ.get("LGSTANDARDS_TEST_JOBS", "2")
    run(PY, "-m", "pytest", "-n", jobs, "-q", *sys.argv[2:])


def bench() -> None:
    """Run every benchmark in benchmarks/."""
    setup("test,bench")
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        run(PY, script, *sys.argv[2:])


TASKS = {"demo": demo, "lint": lint, "test": test, "bench": bench, "setup": setup}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    TASKS[sys.argv[1]]()
