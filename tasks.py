#!/usr/bin/env python3
"""The project's one task runner (standard library only): set-up, demo, tests, benchmarks.

    python3 tasks.py demo     # set up .venv and run the main job on the shipped data
    python3 tasks.py test     # set up .venv and run lint, type checks and the whole test suite
    python3 tasks.py bench    # run the benchmarks (prints ratios measured in the same run)

Dependencies are installed at the versions of ``requirements/lock.txt``, so every run
(CI included) tests the same thing: the package (editable) with its extras, and the
``dev`` dependency group of ``pyproject.toml`` (the pinned linters, PEP 735; pip 25.1
or later, which setup upgrades to, installs it with ``pip install --group dev``). Two
more resolutions prove that the ranges declared in ``pyproject.toml`` are true, each in
a virtual environment of its own:

    python3 tasks.py test --newest    # the newest versions the registry serves today
    python3 tasks.py test --lowest    # the lowest versions pyproject.toml allows (uv)
    python3 tasks.py lock             # re-resolve the newest versions into the lock file

CI (.ci/run) calls ``python3 tasks.py test`` and then the ``--newest`` and ``--lowest``
jobs; developers run the same targets. Other arguments after ``test`` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
LOCK = ROOT / "requirements" / "lock.txt"
#: The package's sources (its C files are compiled as it is installed: hatch_build.py).
SRC = ROOT / "src" / "lgstandards"
#: Every extra the tasks use (the lock file covers them all, and the dev group).
ALL_EXTRAS = "testing,docs,test,bench,signatures"
#: The PEP 735 dependency group of the development tools (the pinned linters; the test
#: suite also runs mypy on the README's examples).
DEV_GROUP = "dev"
RESOLUTIONS = ("locked", "newest", "lowest")


def venv_dir(resolution: str = "locked") -> Path:
    """Return the virtual environment of one resolution (``.venv``, ``.venv-newest`` ...)."""
    base = os.environ.get("LGSTANDARDS_VENV", str(ROOT / ".venv"))
    return Path(base if resolution == "locked" else f"{base}-{resolution}")


VENV = venv_dir()
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"


def run(*args: str | Path, check: bool = True) -> int:
    """Run a command from the repository root, echoing it."""
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, check=False)
    if check and result.returncode != 0:
        sys.exit(result.returncode)
    return result.returncode


def _bin(venv_path: Path) -> Path:
    return venv_path / ("Scripts" if os.name == "nt" else "bin")


def setup(extras: str = ALL_EXTRAS, resolution: str = "locked") -> Path:
    """Create the resolution's venv and install the package (editable) with ``extras``.

    The ``dev`` dependency group is installed too. ``locked`` installs the versions of
    ``requirements/lock.txt``; ``newest`` the newest the registry serves; ``lowest`` the
    lowest that ``pyproject.toml`` allows (with uv's ``--resolution lowest-direct``).
    Returns the venv's ``bin`` folder. Installs once per content of ``pyproject.toml``,
    the build hook and its C source, and the lock file (``newest``: once per day).
    """
    import datetime

    target = venv_dir(resolution)
    bin_dir = _bin(target)
    python = bin_dir / "python"
    if not python.exists():
        venv.EnvBuilder(with_pip=True).create(target)
    stamp = target / ".lgstandards-installed"
    # the build hook and the C it compiles go into the install too (hatch_build.py)
    c_files = sorted([*SRC.rglob("*.c"), *SRC.rglob("*.h")])
    built = [ROOT / "pyproject.toml", ROOT / "hatch_build.py", *c_files]
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in built)).hexdigest()
    digest += f" {extras} {resolution}"
    if resolution == "locked":
        digest += " " + hashlib.sha256(LOCK.read_bytes()).hexdigest()
    elif resolution == "newest":
        digest += " " + datetime.date.today().isoformat()
    if stamp.exists() and stamp.read_text() == digest:
        return bin_dir
    run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    if resolution == "locked":
        run(
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            LOCK,
            "-e",
            f".[{extras}]",
            "--group",
            DEV_GROUP,
        )
    elif resolution == "newest":
        run(
            python,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--upgrade",
            "--upgrade-strategy",
            "eager",
            "-e",
            f".[{extras}]",
            "--group",
            DEV_GROUP,
        )
    else:
        run(python, "-m", "pip", "install", "--quiet", "uv")
        run(
            bin_dir / "uv",
            "pip",
            "install",
            "--quiet",
            "--python",
            python,
            "--resolution",
            "lowest-direct",
            "-e",
            f".[{extras}]",
            "--group",
            DEV_GROUP,
        )
    stamp.write_text(digest)
    return bin_dir


def demo() -> None:
    """Run the main job on the shipped data: look-ups, and validation of the bundled examples."""
    setup()
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
    """Ruff (lint and format check), mypy --strict on src/, and the import contracts.

    The contracts (``[tool.importlinter]`` in pyproject.toml) say that imports run one
    way down the layers and that no package has an import loop.
    """
    setup()
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy", "--strict", "src/lgstandards")
    run(BIN / "lint-imports")


def test() -> None:
    """Lint, type-check, check built vocabularies are fresh, then run the whole test suite.

    With ``--newest`` or ``--lowest`` (first argument), run the test suite (no lint: the
    linters are pinned) in that resolution's venv instead, and name it if it fails.
    """
    args = sys.argv[2:]
    resolution = "locked"
    if args and args[0] in ("--newest", "--lowest"):
        resolution, args = args[0][2:], args[1:]
    jobs = os.environ.get("LGSTANDARDS_TEST_JOBS", "2")
    if resolution == "locked":
        lint()
        run(BIN / "lgstandards", "vocab", "build", "--check")
        run(PY, "-m", "pytest", "-n", jobs, "-q", *args)
        return
    bin_dir = setup(ALL_EXTRAS, resolution)
    run(bin_dir / "python", "-m", "pip", "list", "--format", "freeze", check=False)
    code = run(
        bin_dir / "python",
        "-m",
        "pytest",
        "-n",
        jobs,
        "-q",
        "-p",
        "no:cacheprovider",
        *args,
        check=False,
    )
    if code != 0:
        print(
            f"FAILED: the test suite at the {resolution} dependency versions "
            f"(python3 tasks.py test --{resolution}); the locked job is separate.",
            file=sys.stderr,
        )
        sys.exit(code)


def lock() -> None:
    """Resolve the newest versions of every dependency, extra and the dev group into the lock."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "venv"
        venv.EnvBuilder(with_pip=True).create(target)
        python = _bin(target) / "python"
        run(python, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(python, "-m", "pip", "install", "--quiet", f".[{ALL_EXTRAS}]", "--group", DEV_GROUP)
        frozen = subprocess.run(
            [str(python), "-m", "pip", "freeze", "--exclude-editable"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        shutil.rmtree(target)
    pins = [line for line in frozen.splitlines() if line and not line.startswith("lgstandards")]
    header = [
        "# The locked versions that 'python3 tasks.py' installs (all extras and the dev group),",
        "# so that CI is reproducible.",
        "# Regenerate with: python3 tasks.py lock (the newest the registry serves).",
    ]
    LOCK.write_text("\n".join(header + pins) + "\n")
    print(f"wrote {len(pins)} pins to {LOCK.relative_to(ROOT)}")


def bench() -> None:
    """Run every benchmark in benchmarks/."""
    setup()
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        run(PY, script, *sys.argv[2:])


TASKS = {"demo": demo, "lint": lint, "test": test, "bench": bench, "setup": setup, "lock": lock}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        sys.exit(2)
    TASKS[sys.argv[1]]()
