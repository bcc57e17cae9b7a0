"""The start-tag scanner's fast searches equal the plain ones, whatever the text.

A two-character opener (``<!``, ``<?``) is found by its rarer second character
(:func:`~lgstandards.validation.starttags._find_pair`); text dense in that character
falls back to the plain search. Line feeds are counted at ``memchr`` speed. A start tag
is located from the last block mark before it (where only tags follow), not by walking
the chunk from its start.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from validation.test_big_lines import PIECES, fed_and_whole, start_tag_lines

from lgstandards.validation import starttags

#: Pieces with the openers' second characters in text, attribute values and markup.
NOISY = [
    *PIECES,
    "!",
    "?",
    "wow!!",
    "<g t='a?b!'/>",
    "<?x?>",
    "<!--!-->",
    "<!--<!-->",
    "<![CDATA[<!]]>",
    "<h>?!</h>",
    "<<",
]


@settings(max_examples=400, deadline=None)
@given(
    text=st.text(alphabet="<!?-ab\n", max_size=80),
    position=st.integers(min_value=0, max_value=90),
    misses=st.integers(min_value=1, max_value=20),
    as_bytes=st.booleans(),
)
def test_a_pair_is_found_where_the_plain_search_finds_it(
    text: str, position: int, misses: int, as_bytes: bool
) -> None:
    source: str | bytes = text.encode() if as_bytes else text
    for pair in ("<!", "<?"):
        wanted: str | bytes = pair.encode() if as_bytes else pair
        with mock.patch.object(starttags, "_PAIR_MISSES", misses):
            assert starttags._find_pair(source, wanted, position) == source.find(wanted, position)


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(NOISY), max_size=60),
    size=st.integers(min_value=1, max_value=12),
    skip=st.integers(min_value=1, max_value=9),
    mark=st.integers(min_value=1, max_value=9),
    misses=st.integers(min_value=1, max_value=20),
    as_bytes=st.booleans(),
)
def test_start_tags_and_lines_with_openers_second_characters_in_text(
    pieces: list[str], size: int, skip: int, mark: int, misses: int, as_bytes: bool
) -> None:
    """Streamed and whole, every start tag's line, at any chunking, skip, marks, fallback."""
    text = "".join(pieces)
    expected = start_tag_lines(text)
    source: str | bytes = text.encode() if as_bytes else text
    with (
        mock.patch.object(starttags, "_PAIR_MISSES", misses),
        mock.patch.object(starttags, "_SKIP_BLOCK", skip),
        mock.patch.object(starttags, "_MARK_BLOCK", mark),
    ):
        for scanner in fed_and_whole(source, size):
            assert scanner.count == len(expected)
            assert scanner.line == text.count("\n") + 1
            assert [scanner.line_of(n) for n in range(1, scanner.count + 1)] == expected


@settings(max_examples=200, deadline=None)
@given(
    tags=st.lists(st.sampled_from(["<a>", "</a>", "<b/>", "<c x='/'>", "</c>"]), max_size=80),
    newlines=st.lists(st.booleans(), min_size=80, max_size=80),
    size=st.integers(min_value=1, max_value=64),
    mark=st.integers(min_value=1, max_value=9),
    as_bytes=st.booleans(),
)
def test_plain_tags_are_located_from_the_marks(
    tags: list[str], newlines: list[bool], size: int, mark: int, as_bytes: bool
) -> None:
    """Plain tags (no markup), many on lines of their own: each start tag's own line."""
    text = "".join(tag + ("\n" if nl else "") for tag, nl in zip(tags, newlines, strict=False))
    expected = start_tag_lines(text)
    source: str | bytes = text.encode() if as_bytes else text
    with mock.patch.object(starttags, "_MARK_BLOCK", mark):
        for scanner in fed_and_whole(source, size):
            assert scanner.count == len(expected)
            assert [scanner.line_of(n) for n in range(1, scanner.count + 1)] == expected
