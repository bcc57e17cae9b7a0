"""Start tags counted in C (``validation/_tagcount.c``) give what Python counts.

The class of failure: a count or a block mark off by one where a block would end right
after a ``<`` (kept with the next byte), at the text's end, or from a position inside
the text; a library missing, and the scanner then counting nothing. Each is compared
with :class:`~lgstandards.validation.starttags.StartTags`'s own Python, and streamed
batches' issue lines past 65,535 with the library and without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from epay_batches import batch_file
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lgstandards.validation import _tagcount, starttags, validate
from lgstandards.validation.starttags import StartTags

needs_library = pytest.mark.skipif(
    _tagcount._counter() is None, reason="the C library is not built here (no C compiler)"
)

#: Pieces of plain-tag text (no comment, CDATA or instruction), "<" and "/" alone too.
PLAIN = ["<a>", "</a>", "<b/>", "<", "/", "x", "\n", "<<", "</", ">", "<c d='/'>"]
PLAIN_TEXTS = st.lists(st.sampled_from(PLAIN), max_size=80).map("".join).map(str.encode)


def python_marks(
    text: bytes, position: int, count: int, block: int
) -> tuple[list[tuple[int, int]], int]:
    """The marks and the total count as StartTags counts them in Python."""
    scanner = StartTags(bytes)
    marks: list[tuple[int, int]] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(starttags, "_MARK_BLOCK", block)
        position, count = scanner._mark_blocks(text, position, count, marks)
    return marks, count + text.count(b"<", position) - text.count(b"</", position)


@needs_library
@settings(max_examples=400, deadline=None)
@given(
    PLAIN_TEXTS,
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=1, max_value=24),
)
@example(b"<<<<", 0, 0, 1)  # a block ends after "<" again and again
@example(b"ab<", 0, 5, 3)  # the text ends with "<": the last block runs past its end
@example(b"", 0, 0, 1)
def test_marks_and_counts_are_pythons(text: bytes, position: int, count: int, block: int) -> None:
    position = min(position, len(text))
    marks: list[tuple[int, int]] = []
    total = _tagcount.mark_starts(text, position, count, block, marks)
    assert (marks, total) == python_marks(text, position, count, block)


@needs_library
@settings(max_examples=200, deadline=None)
@given(PLAIN_TEXTS, st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=9))
def test_a_scanner_counting_in_c_finds_the_lines_python_finds(
    text: bytes, size: int, block: int
) -> None:
    def scanned(native: bool) -> StartTags:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(starttags, "NATIVE_FROM", 0 if native else 10**12)
            patch.setattr(starttags, "_MARK_BLOCK", block)
            scanner = StartTags(bytes)
            for start in range(0, len(text), size):
                scanner.feed(text[start : start + size])
            return scanner

    native, plain = scanned(True), scanned(False)
    assert native.count == plain.count
    assert [c.marks for c in native._chunks] == [c.marks for c in plain._chunks]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(starttags, "_MARK_BLOCK", block)
        lines = [native.line_of(n) for n in range(1, native.count + 2)]
        assert lines == [plain.line_of(n) for n in range(1, plain.count + 2)]


def test_without_the_library_nothing_is_counted_and_python_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_tagcount, "_COUNTER", [None])
    marks: list[tuple[int, int]] = []
    assert _tagcount.mark_starts(b"<a><b/></a>", 0, 0, 4, marks) is None
    assert marks == []
    monkeypatch.setattr(starttags, "NATIVE_FROM", 0)
    scanner = StartTags(bytes)
    scanner.feed(b"<a>\n<b/>\n</a>")
    assert (scanner.count, scanner.line_of(2)) == (2, 2)


@pytest.fixture(scope="module")
def tall_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch of 8,000 records, one element a line (past line 65,535), some broken."""
    folder = tmp_path_factory.mktemp("tall")
    flat = batch_file(folder / "flat.xml", 8_000, bad_every=400)
    tall = folder / "tall.xml"
    tall.write_bytes(flat.read_bytes().replace(b"><epay:", b">\n<epay:"))
    return tall


@needs_library
def test_a_streamed_batchs_lines_past_65535_are_the_same_without_the_library(
    tall_batch: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def issues() -> list[tuple[str, int | None, int | None, str | None]]:
        report = validate(tall_batch, streaming=True)
        return [(i.code, i.line, i.column, i.path) for i in report.issues]

    native = issues()
    assert any(line and line > 65_535 for _, line, _, _ in native)
    monkeypatch.setattr(_tagcount, "_COUNTER", [None])
    assert issues() == native
