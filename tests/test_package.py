"""The package itself: cheap import, honest exports, the wheel and its extras, found offline."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import types
import zipfile
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import pytest
from testsupport.buildhook import load_build_hook

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


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of the checkout, built once."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(dist.glob("*.whl"))


def _compiler_at_hand() -> bool:
    """Whether the build hook (hatch_build.py) finds a C compiler here."""
    return load_build_hook().compiler() is not None and os.name == "posix"


def test_the_editable_checkout_has_its_c_parts_where_a_compiler_is() -> None:
    """The editable install built the C libraries into the source tree; they load."""
    from lgstandards.models import _native
    from lgstandards.rules import _columns
    from lgstandards.validation import treeschema

    assert (treeschema.sink() is not None) is _compiler_at_hand()
    assert (_native.reader() is not None) is _compiler_at_hand()
    assert (_columns._reader() is not None) is _compiler_at_hand()


@pytest.mark.slow
def test_wheel_installs_in_fresh_venv_and_works_offline(tmp_path: Path, wheel: Path) -> None:
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
    built = _compiler_at_hand()
    # The C libraries, where a compiler is (as in CI): in the wheel, tagged for here.
    assert ("lgstandards/validation/liberrsink.so.1" in names) is built
    assert ("lgstandards/models/libxmlread.so.1" in names) is built
    assert ("lgstandards/rules/libcolumns.so.1" in names) is built
    assert ("lgstandards/validation/libtagcount.so.1" in names) is built
    assert wheel.name.endswith("-py3-none-any.whl") is not built
    service = ROOT / "src" / "lgstandards" / "service"
    for folder in ("templates", "static"):  # the service's page needs no build step
        for path in (service / folder).iterdir():
            assert f"lgstandards/service/{folder}/{path.name}" in names

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
    loaded = subprocess.run(
        [
            str(python),
            "-c",
            "from lgstandards.validation import treeschema; from lgstandards.models import _native;"
            "from lgstandards.rules import _columns; from lgstandards.validation import _tagcount;"
            "print(treeschema.sink() is not None, _native.reader() is not None,"
            " _columns._reader() is not None, _tagcount._counter() is not None)",
        ],
        capture_output=True,
        text=True,
        cwd=workdir,
        env=env,
        check=True,
    )
    assert loaded.stdout.split() == [str(built)] * 4
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

    # The console script users type gives what ``python -m lgstandards`` gives.
    for folder, code in (("valid", 0), ("invalid", 1)):
        batch = min((ROOT / "examples" / "epay" / folder).glob("*.xml"))
        runs = [
            subprocess.run(
                [*command, "validate", str(batch)],
                capture_output=True,
                text=True,
                cwd=workdir,
                env=env,
                timeout=120,
            )
            for command in (
                [str(fresh / "bin" / "lgstandards")],
                [str(python), "-m", "lgstandards"],
            )
        ]
        script, module = ((run.returncode, run.stdout, run.stderr) for run in runs)
        assert script == module
        assert script[0] == code, script
        assert "1 document(s)" in script[2]  # the summary, on stderr


def test_editable_checkout_finds_repository_data() -> None:
    from lgstandards._resources import data_root

    assert data_root("vocabularies") == ROOT / "vocabularies"
    assert data_root("schemas") == ROOT / "schemas"


# ------------------------------------------------------------------ extras, each alone


def _wheel_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        text = archive.read(name).decode("utf-8")
    return [
        line.split(":", 1)[1].strip()
        for line in text.splitlines()
        if line.startswith("Requires-Dist:")
    ]


def _closure(requirements: list[str], extras: tuple[str, ...]) -> set[str]:
    """The installed distributions that ``requirements`` (with ``extras``) need, transitively."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found: set[str] = set()
    todo = [(text, extras) for text in requirements]
    while todo:
        text, wanted = todo.pop()
        requirement = Requirement(text)
        marker = requirement.marker
        if marker is not None and not any(marker.evaluate({"extra": e}) for e in ("", *wanted)):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        requires = metadata.distribution(name).requires or []
        todo.extend((t, tuple(requirement.extras)) for t in requires)
    return found


def _top_level(name: str) -> Iterator[Path]:
    """The top-level files and folders of an installed distribution (its dist-info too)."""
    dist = metadata.distribution(name)
    tops = {
        f.parts[0] for f in dist.files or () if f.parts and f.parts[0] not in ("..", "__pycache__")
    }
    for top in sorted(tops):
        path = Path(str(dist.locate_file(top)))
        if path.exists():
            yield path


def _venv_with(tmp_path: Path, wheel: Path, extras: tuple[str, ...]) -> tuple[Path, dict[str, str]]:
    """A fresh venv holding the wheel and only what ``lgstandards[extras]`` needs.

    The distributions come from the test environment (linked, so nothing is downloaded):
    exactly the closure of the wheel's requirements with ``extras``. Network is blocked.
    """
    subset = tmp_path / "subset"
    subset.mkdir()
    for name in sorted(_closure(_wheel_requirements(wheel), extras)):
        for path in _top_level(name):
            target = subset / path.name
            if not target.exists():
                target.symlink_to(path)
    fresh = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(fresh)], check=True)
    python = fresh / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as archive:  # a wheel is installed by unpacking it
        archive.extractall(site)
    (site / "_deps.pth").write_text(f"{subset}\n")
    (site / "sitecustomize.py").write_text(_BLOCK_NETWORK)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return python, env


_PLUGIN_AND_STRATEGY = """
from hypothesis import given, settings

from lgstandards.testing.strategies import payment_requests


@settings(max_examples=3, deadline=None, database=None)
@given(document=payment_requests())
def test_a_drawn_request_conforms(lgstandards_validate, document):
    assert lgstandards_validate(document.to_xml()).ok
"""


@pytest.mark.slow
def test_the_testing_extra_alone_runs_the_plugin_and_the_strategies(
    tmp_path: Path, wheel: Path
) -> None:
    python, env = _venv_with(tmp_path, wheel, ("testing",))
    probe = "import importlib.util as u; print([m for m in {} if u.find_spec(m)])"
    others = ("sphinx", "mypy", "ruff", "xdist", "saxonche", "playwright", "jsonschema")
    present = subprocess.run(
        [str(python), "-c", probe.format(others)], capture_output=True, text=True, env=env
    )
    assert present.stdout.strip() == "[]", present.stdout + present.stderr
    suite = tmp_path / "supplier"
    suite.mkdir()
    (suite / "test_supplier.py").write_text(_PLUGIN_AND_STRATEGY)
    run = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
        capture_output=True,
        text=True,
        cwd=suite,
        env=env,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(r"\b1 passed\b", run.stdout), run.stdout


@pytest.mark.slow
def test_without_the_testing_extra_the_strategies_name_it(tmp_path: Path, wheel: Path) -> None:
    python, env = _venv_with(tmp_path, wheel, ())
    code = "from lgstandards.testing import assert_conforms; import lgstandards.testing.strategies"
    run = subprocess.run([str(python), "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode != 0
    last = run.stderr.strip().splitlines()[-1]
    assert last.startswith("ModuleNotFoundError:"), run.stderr
    assert "pip install 'lgstandards[testing]'" in last
    plugin = subprocess.run(
        [str(python), "-c", "import lgstandards.pytest_plugin"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "pip install 'lgstandards[testing]'" in plugin.stderr.strip().splitlines()[-1]


_IMPORT_DOCUMENTED = """
import importlib, runpy, sys
from sphinx.ext.autodoc.mock import mock

conf = runpy.run_path(sys.argv[1])
tool = runpy.run_path(sys.argv[2])
failed = []
with mock(conf["autodoc_mock_imports"]):
    for name in tool["public_modules"]():
        try:
            importlib.import_module(name)
        except Exception as exc:
            failed.append(f"{name}: {exc!r}")
print(sorted(conf["autodoc_mock_imports"]), failed)
"""


@pytest.mark.slow
def test_the_docs_extra_alone_imports_every_documented_module(tmp_path: Path, wheel: Path) -> None:
    """What autodoc does for the API pages works without pytest and Hypothesis installed."""
    python, env = _venv_with(tmp_path, wheel, ("docs",))
    args = [str(ROOT / "docs" / "conf.py"), str(ROOT / "docs" / "_tools" / "api_pages.py")]
    run = subprocess.run(
        [str(python), "-c", _IMPORT_DOCUMENTED, *args], capture_output=True, text=True, env=env
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "['anyio', 'hypothesis', 'pytest', 'starlette'] []", run.stdout
