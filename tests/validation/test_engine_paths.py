"""libxml2's error paths are resolved to their elements without XPath, at any size.

An XSD error names its element by ``xmlGetNodePath``'s path (lxml's ``getpath`` gives
the same): prefixed names, bare names (no namespace) and ``*`` (a default namespace),
each with ``[n]`` among its same-name siblings. :class:`EngineLocator` must find
exactly the element the path was made from, for every element of any document, and
agree with the XPath evaluation it replaces wherever that finds an element.
"""

from __future__ import annotations

from hypothesis import given, settings
from lxml import etree
from testsupport.trees import Node, trees
from testsupport.trees import build as build_tree

from lgstandards.validation.paths import EngineLocator, resolve

#: Element names: prefixed (two prefixes, one namespace each), default namespace, none.
NAMES = ["{urn:a}x", "{urn:a}y", "{urn:b}x", "{urn:d}x", "{urn:d}y", "x", "y"]
NSMAP = {"a": "urn:a", "b": "urn:b"}


def build(node: Node, parent: etree._Element | None) -> etree._Element:
    """Build a tree of :data:`NAMES` (its root declaring :data:`NSMAP` and ``urn:d`` as default)."""
    return build_tree(node, parent, nsmap={**NSMAP, None: "urn:d"}, root=NAMES[0])


@settings(max_examples=300, deadline=None)
@given(trees(NAMES, max_size=6, max_leaves=40))
def test_every_element_is_found_from_its_engine_path(node: tuple[str, list[object]]) -> None:
    root = build(node, None)
    doc = etree.fromstring(etree.tostring(root))  # as parsed: prefixes from the text
    tree = doc.getroottree()
    locator = EngineLocator(doc)
    for element in doc.iter(etree.Element):
        path = tree.getpath(element)
        assert locator.element(path) is element
        by_xpath = resolve(doc, path)
        if by_xpath is not None:
            assert by_xpath is element


def test_paths_that_name_no_element() -> None:
    doc = etree.fromstring(b"<r xmlns:a='urn:a'><a:x/><a:x/><y/></r>")
    locator = EngineLocator(doc)
    assert locator.element("/r/a:x[3]") is None
    assert locator.element("/r/z") is None
    assert locator.element("/r/y/@id") is None  # an attribute: as XPath gives it
    assert locator.element("") is None
    assert locator.element("r") is None
    assert locator.element("/r/a:x[2]") is doc[1]


def test_each_parent_is_grouped_once() -> None:
    children = "".join("<a:x/>" for _ in range(50))
    doc = etree.fromstring(f"<r xmlns:a='urn:a'>{children}</r>".encode())
    locator = EngineLocator(doc)
    for n in range(1, 51):
        assert locator.element(f"/r/a:x[{n}]") is doc[n - 1]
    assert len(locator._groups) == 1
