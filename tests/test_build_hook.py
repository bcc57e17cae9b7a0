"""The build hook (hatch_build.py) compiles the C error sink, or leaves the package pure.

The class of failure: a build that breaks where no C compiler is (or where it fails),
a broken library left behind to be loaded, or a library without the functions the
package calls.
"""

from __future__ import annotations

import ctypes
import importlib.machinery
import shutil
from pathlib import Path
from types import ModuleType

import pytest
from testsupport.buildhook import load_build_hook

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def hook() -> ModuleType:
    return load_build_hook()


@pytest.fixture
def tree(tmp_path: Path, hook: ModuleType) -> Path:
    """A source tree holding only the C file, as a checkout or an sdist has it."""
    (tmp_path / hook.SOURCE).parent.mkdir(parents=True)
    shutil.copy(ROOT / hook.SOURCE, tmp_path / hook.SOURCE)
    return tmp_path


def test_no_compiler_leaves_the_package_pure(
    tree: Path, hook: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CC", "no-such-compiler-here")
    assert hook.compiler() is None
    assert hook.build_library(tree) == (None, "no C compiler found")
    assert not (tree / hook.LIBRARY).exists()


def test_a_failing_compiler_leaves_no_library_behind(
    tree: Path, hook: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tree / hook.LIBRARY).write_bytes(b"a stale library from an earlier build")
    monkeypatch.setenv("CC", "false")
    built, problem = hook.build_library(tree)
    assert built is None
    assert "exited with" in problem
    assert not (tree / hook.LIBRARY).exists()


def test_the_compiler_named_by_cc_keeps_its_flags(
    hook: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CC", "sh -c true")
    found = hook.compiler()
    assert found is not None
    assert found[1:] == ["-c", "true"]


def test_the_built_library_has_the_functions_the_package_calls(
    tree: Path, hook: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CC", raising=False)
    if hook.compiler() is None:
        pytest.skip("no C compiler here (CI installs one)")
    built, problem = hook.build_library(tree)
    assert built == tree / hook.LIBRARY, problem
    library = ctypes.CDLL(str(built))
    for name in (
        "lgs_sink_new",
        "lgs_sink_free",
        "lgs_sink_receive",
        "lgs_sink_count",
        "lgs_sink_errors",
        "lgs_sink_text",
        "lgs_sink_text_size",
        "lgs_sink_lost",
    ):
        assert getattr(library, name)


def test_the_hook_builds_the_file_the_package_loads(hook: ModuleType) -> None:
    """One name on both sides (the hook cannot import the package it builds)."""
    from lgstandards.validation import treeschema

    assert ROOT / "src" / "lgstandards" / "validation" / hook.LIBRARY.name == (
        treeschema.SINK_LIBRARY.resolve()
    )
    assert hook.SOURCE.parent == hook.LIBRARY.parent
    # not a module's name: whatever walks the package does not import it
    suffixes = importlib.machinery.all_suffixes()
    assert ".so" in suffixes or ".pyd" in suffixes
    assert not any(hook.LIBRARY.name.endswith(suffix) for suffix in suffixes)
