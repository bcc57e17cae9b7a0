"""A rule's stream screen never skips a part where the rule would find something.

Streaming runs the Python rules chunk by chunk; a rule with a stream screen
(:class:`lgstandards.rules.StreamScreen`, fed the document's bytes as they are read) is
skipped on a chunk only when the screen says it cannot fire. The property, for
EPAY-R008 (card numbers): fed any document in any pieces, the screen says "possible"
whenever the rule finds something in the document, and whenever the whole-document
screen says so; and a streamed batch with card numbers anywhere gets the same findings
as whole-document mode.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from epay_batches import write_batch
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.rules.epay import CardScreen, _unsure, may_hold_card_data, no_card_numbers
from lgstandards.safexml import (
    XINCLUDE_NS,
    ascii_compatible,
    found_across,
    has_character_references,
    may_hold_xinclude,
)
from lgstandards.validation import validate

#: Pieces of a record's text: digits, separators, markup that may split a number.
PIECES = [
    "4111",
    "1111",
    "0",
    "12",
    " ",
    "-",
    "\n",
    "x",
    "<!-- c -->",
    "<?p?>",
    "&#52;",
    "<![CDATA[41]]>",
    "é",
]


def _document(texts: list[str], security: bool) -> bytes:
    body = "".join(f"<e:T>{text}</e:T>" for text in texts)
    extra = "<e:CVV>123</e:CVV>" if security else ""
    return (
        f"<?xml version='1.0'?><e:R xmlns:e='urn:lgstandards:epay:1'>{body}{extra}</e:R>".encode()
    )


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=5),
    st.booleans(),
    st.integers(min_value=1, max_value=40),
)
def test_the_card_screen_says_possible_wherever_the_rule_finds(
    texts: list[str], security: bool, size: int
) -> None:
    data = _document(texts, security)
    root = etree.fromstring(data)
    screen = CardScreen()
    for start in range(0, len(data), size):
        screen.feed(data[start : start + size])
    if list(no_card_numbers(root)) or may_hold_card_data(root, data):
        assert screen.possible(root)


def test_streamed_card_numbers_are_found_in_every_chunk() -> None:
    """Card numbers in records far apart (many chunks) are reported as whole-document mode does."""
    buffer = io.BytesIO()
    write_batch(buffer, 3_000)
    text = buffer.getvalue().decode()
    for n in (5, 1_500, 2_999):  # TX00000005 ... become a test card number
        text = text.replace(
            f"<epay:TransactionId>TX{n:08d}", "<epay:TransactionId>4111111111111111"
        )
    data = text.encode()
    whole, streamed = (validate(data, streaming=mode) for mode in (False, True))
    cards = [i for i in whole.issues if i.code == "rule.EPAY-R008"]
    assert len(cards) == 3
    assert [(i.code, i.line, i.path) for i in whole.issues] == [
        (i.code, i.line, i.path) for i in streamed.issues
    ]


def test_a_card_number_cut_across_pieces_is_seen() -> None:
    data = _document(["4111 1111-1111\n1111"], security=False)
    root = etree.fromstring(data)
    for size in range(1, len(data) + 1):
        screen = CardScreen()
        for start in range(0, len(data), size):
            screen.feed(data[start : start + size])
        assert screen.possible(root), size
    plain = _document(["4111 1111 x 1111 1111"], security=False)
    screen = CardScreen()
    screen.feed(plain)
    assert not screen.possible(etree.fromstring(plain))  # no 13 digits in a row: skipped


def _joined(test: Callable[[bytes], bool], pieces: list[bytes], overlap: int) -> list[bool]:
    """``test`` on each piece joined to the last ``overlap`` bytes before it (the reference)."""
    found, tail = [], b""
    for piece in pieces:
        window = tail + piece
        found.append(test(window))
        tail = window[-overlap:]
    return found


def _across(test: Callable[[bytes], bool], pieces: list[bytes], overlap: int) -> list[bool]:
    """``test`` on each piece as the streaming screens look: without joining it to the tail."""
    found, tail = [], b""
    for piece in pieces:
        found.append(found_across(test, tail, piece, overlap))
        tail = (tail + piece[-overlap:])[-overlap:]
    return found


_NAMESPACE = XINCLUDE_NS.encode()
_BYTES = st.sampled_from(
    [
        *(b"&", b"#", b"&#", b"<", b"!", b"[CDATA[", b"<![CDATA[", b"<!--", b"?", b"<?", b"?>"),
        *(b"x", b"<?xml", _NAMESPACE[:9], _NAMESPACE[9:], _NAMESPACE),
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.lists(_BYTES, max_size=8).map(b"".join), max_size=8))
def test_looking_across_a_piece_start_equals_joining_it(pieces: list[bytes]) -> None:
    """The screens' byte tests on pieces, without copying each piece, as on joined windows."""
    for test, overlap in (
        (may_hold_xinclude, len(XINCLUDE_NS)),
        (has_character_references, CardScreen._OVERLAP),
        (lambda data: b"<![CDATA[" in data, CardScreen._OVERLAP),
    ):
        assert _across(test, pieces, overlap) == _joined(test, pieces, overlap)
    # comments and instructions (the XML declaration aside): never fewer
    joined = _joined(_unsure, pieces, CardScreen._OVERLAP)
    across = _across(_unsure, pieces, CardScreen._OVERLAP)
    assert all(a or not j for a, j in zip(across, joined, strict=True))


class _JoinedCardScreen(CardScreen):
    """The card screen as it looked before: each piece joined to the tail (the reference)."""

    def feed(self, data: bytes) -> None:
        """See the next bytes, joined to the last ones."""
        if self.maybe or not data:
            return
        window = self._tail + data
        if (self._first and not ascii_compatible(data)) or _unsure(window) or self._runs.feed(data):
            self.maybe = True
        self._first = False
        self._tail = window[-self._OVERLAP :]


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), max_size=5),
    st.integers(min_value=1, max_value=40),
)
def test_the_card_screen_looks_across_pieces_as_joining_them(texts: list[str], size: int) -> None:
    """Fed in any pieces, the card screen says "maybe" whenever joining each to the tail did."""
    data = _document(texts, security=False)
    screen, joined = CardScreen(), _JoinedCardScreen()
    for start in range(0, len(data), size):
        screen.feed(data[start : start + size])
        joined.feed(data[start : start + size])
        assert screen.maybe or not joined.maybe
