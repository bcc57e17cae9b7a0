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
from testsupport.trees import Node, trees
from testsupport.trees import build as build_tree

from lgstandards.validation.paths import PathMaker, split_path
from lgstandards.validation.starttags import PathResolver

#: Element names: namespaces with a prefix (a, b), two without (c, and a URL with
#: slashes), none; "!" a comment.
NAMES = [
    "{urn:a}x",
    "{urn:a}y",
    "{urn:b}x",
    "{urn:c}x",
    "{urn:c}y",
    "{http://example.org/c/d}x",
    "x",
    "y",
    "!",
]
PREFIXES = {"urn:a": "a", "urn:b": "b"}


def build(node: Node, parent: etree._Element | None) -> etree._Element:
    """Build a tree of :data:`NAMES` (its root in ``a``'s namespace)."""
    return build_tree(node, parent, nsmap={"a": "urn:a"}, root="{urn:a}x")


@settings(max_examples=300, deadline=None)
@given(trees(NAMES, max_size=8, max_leaves=60), st.sampled_from([None, *NAMES[:-1]]), st.booleans())
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
            steps = split_path(path)
            assert (path in made) == all(":" in step for step in steps)


@settings(max_examples=300, deadline=None)
@given(trees(NAMES, max_size=8, max_leaves=60), st.sampled_from([None, *NAMES[:-1]]))
def test_no_two_elements_share_a_path_and_each_path_resolves(
    node: tuple[str, list[object]], record_tag: str | None
) -> None:
    """An element in a namespace without a prefix is told from one in none, or in another."""
    root = etree.fromstring(etree.tostring(build(node, None)))
    maker = PathMaker(PREFIXES, record_tag)
    resolver = PathResolver(root, dict(PREFIXES))
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    paths = [maker.path(element) for element in elements]
    assert len(set(paths)) == len(paths)
    for path, element in zip(paths, elements, strict=True):
        assert resolver.element(path) is element, path


def test_a_name_says_its_namespace_unless_it_has_a_prefix_or_none() -> None:
    root = etree.fromstring(
        b"<a:r xmlns:a='urn:a'><s xmlns='urn:other'/><s/><s xmlns='http://x.org/n/'/></a:r>"
    )
    maker = PathMaker(PREFIXES)
    assert [maker.path(child) for child in root] == [
        "/a:r/Q{urn:other}s",
        "/a:r/s",
        "/a:r/Q{http://x.org/n/}s",
    ]


def test_nothing_is_noted_without_a_mapping() -> None:
    root = etree.fromstring(b"<a:r xmlns:a='urn:a'><a:x/><a:x/></a:r>")
    maker = PathMaker(PREFIXES)
    assert maker.path(root[1]) == "/a:r/a:x[2]"
    assert maker.made is None


def test_records_under_a_left_out_wrapper_keep_their_paths() -> None:
    """A streamed chunk's records, moved under the screen's wrapper, keep the tree's paths."""
    root = etree.fromstring(
        b'<a:x xmlns:a="urn:a"><a:y>head</a:y>'
        b"<a:r><a:v>1</a:v><a:v>2</a:v></a:r><a:r><a:v>3</a:v></a:r><a:r><a:v>4</a:v></a:r>"
        b"</a:x>"
    )
    maker = PathMaker(PREFIXES, "{urn:a}r", stable=False)
    records = root.findall("{urn:a}r")
    maker.record_index.update((r, n) for n, r in enumerate(records, 41))  # (streamed: 41st on)
    elements = [e for r in records for e in r.iter()]
    in_place = [maker.path(e) for e in elements]
    assert in_place[:3] == ["/a:x/a:r[41]", "/a:x/a:r[41]/a:v[1]", "/a:x/a:r[41]/a:v[2]"]
    wrapper = etree.SubElement(root, "{urn:w}wrapper")
    wrapper.extend(records)
    with maker.leaving_out(wrapper):
        assert [maker.path(e) for e in elements] == in_place
    assert maker.path(records[0]) == "/a:x/Q{urn:w}wrapper/a:r[41]"  # (outside the block)
