"""Text fit for messages: every value is shown on one line, bounded, its ends kept."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from lgstandards._text import printable, shorten, surrogates_escaped

#: What a line of output must never hold: controls, separators, surrogates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
TEXTS = st.text(st.characters(codec=None), max_size=300)


@given(TEXTS)
def test_printable_leaves_nothing_unsafe_and_keeps_safe_text(text: str) -> None:
    shown = printable(text)
    assert not _UNSAFE.search(shown)
    if not _UNSAFE.search(text):
        assert shown == text


def test_printable_escapes_controls_and_undecodable_bytes() -> None:
    raw = b"ok\x01\xff.xml".decode("utf-8", "surrogateescape")
    assert printable(raw) == "ok\\x01\\xff.xml"
    assert printable("a\u2028b\x85") == "a\\u2028b\\x85"
    assert surrogates_escaped(raw) == "ok\x01\\xff.xml"


@given(TEXTS, st.integers(min_value=0, max_value=200))
def test_shorten_keeps_short_text_and_both_ends_of_long_text(text: str, limit: int) -> None:
    text = text.replace("…", "")  # the one mark the shortened text adds
    shown = shorten(text, limit)
    assert not _UNSAFE.search(shown)
    bound = max(limit, 8)
    if len(text) <= bound:
        assert shown == printable(text)
        return
    head, _, tail = shown.partition("…")
    assert printable(text).startswith(head)
    assert printable(text).endswith(tail)
    assert head
    assert tail
    kept = len(text[: bound - bound // 4 - 1]) + len(text[-(bound // 4) :]) + 1
    assert kept == bound  # the text kept, before escapes, is exactly the bound


def test_plain_ascii_text_is_given_back_as_it_is() -> None:
    text = "ok.xml: 1 document(s): 1 valid, 0 invalid (0 error(s), 0 warning(s)) ~"
    assert printable(text) is text
    assert printable("tab\there") == "tab\\x09here"
    assert printable("del\x7f") == "del\\x7f"
