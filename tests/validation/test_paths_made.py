"""The paths a PathMaker notes with their elements are those its PathResolver resolves.

Whole-document exact lines (:func:`lgstandards.validation.columns.whole_document`)
take an issue's element from the paths ``check_kind``'s maker noted (``made``) instead
of resolving its path again from the root: for findings to stay identical, every noted
path must resolve (:class:`PathResolver`, the same prefixes, each naming one namespace)
to exactly the element it was noted with, for any document: same-name siblings, the
record element, names in namespaces without a prefix or in none, comments.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.validation.paths import PathMaker
from lgstandards.validation.starttags import PathResolver

#: Element names: namespaces with a prefix (a, b), one without (c), none; "!" a comment.
NAMES = ["{urn:a}x", "{urn:a}y", "{urn:b}x", "{urn:c}x", "{urn:c}y", "x", "y", "!"]
PREFIXES = {"urn:a": "a", "urn:b": "b"}


def trees() -> st.SearchStrategy[tuple[str, list[object]]]:
    """Nested (tag, children) tuples."""
    return st.recursive(
        st.tuples(st.sampled_from(NAMES), st.just([])),
        lambda inner: st.tuples(st.sampled_from(NAMES), st.lists(inner, max_size=8)),
        max_leaves=60,
    )  # type: ignore[return-value]


def build(node: tuple[str, list[object]], parent: etree._Element | None) -> etree._Element:
    tag, children = node
    if parent is None:
        element = etree.Element("{urn:a}x" if tag == "!" else tag, nsmap={"a": "urn:a"})
    elif tag == "!":
        parent.append(etree.Comment("c"))
        return parent
    else:
        element = etree.SubElement(parent, tag)
    for child in children:
        build(child, element)  # type: ignore[arg-type]
    return element


@settings(max_examples=300, deadline=None)
@given(trees(), st.sampled_from([None, *NAMES[:-1]]), st.booleans())
def test_every_noted_path_resolves_to_its_element(
    node: tuple[str, list[object]], record_tag: str | None, reparse: bool
) -> None:
    root = build(node, None)
    if reparse:  # as parsed, prefixes from the text
        root = etree.fromstring(etree.tostring(root))
    made: dict[str, etree._Element] = {}
    maker = PathMaker(PREFIXES, record_tag, made=made)
    everything = list(root.iter())
    for element in everything:
        maker.path(element)
    resolver = PathResolver(root, dict(PREFIXES))
    for path, element in made.items():
        assert isinstance(element.tag, str)
        assert resolver.element(path) is element
        assert resolver.element(path + "/@attr") is element
    # each element of the tree whose path is all prefixed is noted
    for element in everything:
        if isinstance(element.tag, str):
            path = maker.path(element)
            steps = path[1:].split("/")
            assert (path in made) == all(":" in step for step in steps)


def test_nothing_is_noted_without_a_mapping() -> None:
    root = etree.fromstring(b"<a:r xmlns:a='urn:a'><a:x/><a:x/></a:r>")
    maker = PathMaker(PREFIXES)
    assert maker.path(root[1]) == "/a:r/a:x[2]"
    assert maker.made is None
