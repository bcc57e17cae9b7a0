"""The build hook (hatch_build.py) compiles the package's C parts, or leaves it pure.

The class of failure: a build that breaks where no C compiler is (or where it fails),
a broken library left behind to be loaded, a library without the functions the
package calls, or one built where the package does not look for it.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import shutil
from pathlib import Path
from typing import Any

import pytest
from testsupport.buildhook import load_build_hook

ROOT = Path(__file__).resolve().parents[1]
HOOK = load_build_hook()

#: The functions the package calls in each library.
CALLED = {
    "_errsink.c": (
        "lgs_sink_new",
        "lgs_sink_free",
        "lgs_sink_receive",
        "lgs_sink_count",
        "lgs_sink_errors",
        "lgs_sink_text",
        "lgs_sink_text_size",
        "lgs_sink_lost",
    ),
    "_xmlread.c": ("lgs_read_json",),
    "_columns.c": ("lgs_columns",),
    "_tagcount.c": ("lgs_mark_starts",),
}


@pytest.fixture(params=HOOK.LIBRARIES, ids=lambda native: native.source.name)
def native(request: pytest.FixtureRequest) -> Any:
    return request.param


@pytest.fixture
def tree(tmp_path: Path, native: Any) -> Path:
    """A source tree holding only the C file and the headers, as a checkout or an sdist has it."""
    for path in [ROOT / native.source, *(ROOT / "src").rglob("*.h")]:
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, copy)
    return tmp_path


def test_every_c_file_of_the_package_is_built() -> None:
    sources = {path.relative_to(ROOT) for path in (ROOT / "src").rglob("*.c")}
    assert sources == {native.source for native in HOOK.LIBRARIES}
    assert set(CALLED) == {native.source.name for native in HOOK.LIBRARIES}


def test_no_compiler_leaves_the_package_pure(
    tree: Path, native: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CC", "no-such-compiler-here")
    assert HOOK.compiler() is None
    assert HOOK.build_library(tree, native) == (None, "no C compiler found")
    assert not (tree / native.library).exists()


def test_a_failing_compiler_leaves_no_library_behind(
    tree: Path, native: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / native.library).write_bytes(b"a stale library from an earlier build")
    monkeypatch.setenv("CC", "false")
    built, problem = HOOK.build_library(tree, native)
    assert built is None
    assert "exited with" in problem
    assert not (tree / native.library).exists()


def test_the_compiler_named_by_cc_keeps_its_flags(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC", "sh -c true")
    found = HOOK.compiler()
    assert found is not None
    assert found[1:] == ["-c", "true"]


def test_the_built_library_has_the_functions_the_package_calls(
    tree: Path, native: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CC", raising=False)
    if HOOK.compiler() is None:
        pytest.skip("no C compiler here (CI installs one)")
    built, problem = HOOK.build_library(tree, native)
    assert built == tree / native.library, problem
    library = ctypes.CDLL(str(built))
    for name in CALLED[native.source.name]:
        assert getattr(library, name)


def test_the_hook_builds_the_files_the_package_loads() -> None:
    """One name on both sides (the hook cannot import the package it builds)."""
    from lgstandards.models import _native
    from lgstandards.rules import _columns
    from lgstandards.validation import _tagcount, treeschema

    built = {(ROOT / native.library).resolve() for native in HOOK.LIBRARIES}
    loaded = (
        treeschema.SINK_LIBRARY,
        _native.READER_LIBRARY,
        _columns.COLUMNS_LIBRARY,
        _tagcount.TAGCOUNT_LIBRARY,
    )
    assert built == {path.resolve() for path in loaded}
    suffixes = importlib.machinery.all_suffixes()
    assert ".so" in suffixes or ".pyd" in suffixes
    for native in HOOK.LIBRARIES:
        assert native.source.parent == native.library.parent
        # not a module's name: whatever walks the package does not import it
        assert not any(native.library.name.endswith(suffix) for suffix in suffixes)
