"""``lgstandards._clib``: the C libraries load where they were built, and only then.

The class of failure: a missing, broken or foreign library file (another platform's, an
older build without a function the package calls) loaded anyway, or taken for an
error; an lxml element layout other than ``lxml/etree.h``'s taken as that one.
"""

from __future__ import annotations

import ctypes
from pathlib import Path

import pytest
from lxml import etree
from testsupport.buildhook import load_build_hook

from lgstandards import _clib

ROOT = Path(__file__).resolve().parents[1]
HOOK = load_build_hook()


def test_a_missing_or_broken_library_file_is_not_loaded(tmp_path: Path) -> None:
    assert _clib.load(tmp_path / "libnone.so.1", {}, gil=False) is None
    broken = tmp_path / "libbroken.so.1"
    broken.write_bytes(b"\x7fELF not a shared library")
    assert _clib.load(broken, {}, gil=True) is None


@pytest.mark.parametrize("native", HOOK.LIBRARIES, ids=lambda native: native.source.name)
def test_a_built_library_loads_with_its_functions_and_not_without(native: object) -> None:
    library = ROOT / native.library  # type: ignore[attr-defined]
    if not library.is_file():
        pytest.skip("not built here (no C compiler)")
    assert _clib.load(library, {}, gil=False) is not None
    lacking = {"lgs_no_such_function": (None, [])}
    assert _clib.load(library, lacking, gil=False) is None  # another build's: not used


def test_the_element_layout_finds_each_elements_document_and_node() -> None:
    layout = _clib.element_layout()
    assert layout is not None  # CPython, lxml's published layout
    assert layout.element_class is etree._Element
    root = etree.fromstring(b"<a><b/></a>")
    other = etree.fromstring(b"<c/>")

    def document(element: etree._Element) -> int | None:
        return ctypes.c_void_p.from_address(id(element) + layout.doc_offset).value

    assert document(root) == document(root[0]) != document(other)
    for element, name in ((root, b"a"), (root[0], b"b"), (other, b"c")):
        node = ctypes.c_void_p.from_address(id(element) + layout.node_offset).value
        assert node
        assert ctypes.c_int.from_address(node + _clib.POINTER).value == 1  # an element
        assert ctypes.c_char_p.from_address(node + 2 * _clib.POINTER).value == name
