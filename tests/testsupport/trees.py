"""Random element trees for the path tests: nested ``(tag, children)`` tuples, built with lxml."""

from __future__ import annotations

from hypothesis import strategies as st
from lxml import etree

#: The name that stands for a comment (at the root: the first of the names instead).
COMMENT = "!"

Node = tuple[str, list[object]]


def trees(names: list[str], *, max_size: int, max_leaves: int) -> st.SearchStrategy[Node]:
    """Nested ``(tag, children)`` tuples of ``names``, at most ``max_size`` children each."""
    return st.recursive(
        st.tuples(st.sampled_from(names), st.just([])),
        lambda inner: st.tuples(st.sampled_from(names), st.lists(inner, max_size=max_size)),
        max_leaves=max_leaves,
    )  # type: ignore[return-value]


def build(
    node: Node, parent: etree._Element | None, *, nsmap: dict[str | None, str], root: str
) -> etree._Element:
    """Build ``node`` under ``parent`` (None: as the root, with ``nsmap``); return it.

    A :data:`COMMENT` node is a comment in its parent (at the root: an element ``root``).
    """
    tag, children = node
    if parent is None:
        element = etree.Element(root if tag == COMMENT else tag, nsmap=nsmap)  # type: ignore[arg-type]
    elif tag == COMMENT:
        parent.append(etree.Comment("c"))
        return parent
    else:
        element = etree.SubElement(parent, tag)
    for child in children:
        build(child, element, nsmap=nsmap, root=root)  # type: ignore[arg-type]
    return element
