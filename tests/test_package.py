"""The package itself: cheap import, honest exports, data carried by the wheel and found offline."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import types
import zipfile
from pathlib import Path

import pytest

import lgstandards

ROOT = Path(__file__).resolve().parents[1]


def test_public_names_are_exported() -> None:
    public = {
        n
        for n, v in vars(lgstandards).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType)
    }
    assert set(lgstandards.__all__) - {"__version__"} >= public - {"annotations"}


def test_import_is_cheap() -> None:
    code = (
        "import sys, lgstandards;"
        "names = ('rdflib', 'pyshacl', 'pyoxigraph', 'xmlschema', 'lxml', 'pydantic',"
        " 'lgstandards.vocab');"
        "heavy = [m for m in names if m in sys.modules];"
        "import lgstandards.vocab as v;"
        "loaded = [n for n in v.LIST_NAMES if getattr(v, n)._index is not None];"
        "print(','.join(heavy + loaded))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_list_names_are_the_lists_even_after_importing_their_modules() -> None:
    code = (
        "from lgstandards.vocab.lgsl import Service;"
        "from lgstandards.vocab import lgsl;"
        "print(type(lgsl).__name__, lgsl.lookup(57).label)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "Vocabulary Council tax annual notification"


def test_first_lookup_does_not_import_rdflib() -> None:
    code = (
        "import sys; from lgstandards.vocab import lgsl; lgsl.lookup(57);"
        "print('rdflib' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_version_agrees_with_pyproject() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["version"] == lgstandards.__version__


def test_no_stray_debugging_left() -> None:
    for path in (ROOT / "src" / "lgstandards").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "breakpoint()" not in text, path
        assert "import pdb" not in text, path


_BLOCK_NETWORK = """
import socket
def _refuse(*args, **kwargs):
    raise OSError("network access attempted during an offline test")
socket.socket.connect = _refuse
socket.create_connection = _refuse
"""


@pytest.mark.slow
def test_wheel_installs_in_fresh_venv_and_works_offline(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for kind in ("vocabularies", "schemas"):
        shipped = {
            p.relative_to(ROOT).as_posix()
            for p in (ROOT / kind).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        }
        packaged = {
            n.removeprefix("lgstandards/_data/")
            for n in names
            if n.startswith(f"lgstandards/_data/{kind}/")
        }
        assert shipped == packaged, shipped ^ packaged
    assert "lgstandards/py.typed" in names

    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(fresh)], check=True)
    python = fresh / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    # Dependencies come from the test environment, so the test needs no download.
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
    )
    (site / "sitecustomize.py").write_text(_BLOCK_NETWORK)
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    lookup = subprocess.run(
        [str(python), "-c", "from lgstandards.vocab import lgsl; print(lgsl.lookup(57).label)"],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        check=True,
    )
    assert lookup.stdout.strip() == "Council tax annual notification"
    info = subprocess.run(
        [str(python), "-m", "lgstandards", "info", "--paths", "--format", "json"],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        check=True,
    )
    paths = json.loads(info.stdout)["paths"]
    assert all(Path(p).is_relative_to(site) for p in paths.values()), paths


def test_editable_checkout_finds_repository_data() -> None:
    from lgstandards._resources import data_root

    assert data_root("vocabularies") == ROOT / "vocabularies"
    assert data_root("schemas") == ROOT / "schemas"
