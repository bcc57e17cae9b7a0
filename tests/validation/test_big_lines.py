"""Past line 65,535 each finding's line is the line of its element's start tag.

libxml2 keeps element lines in 16 bits, so beyond line 65,535 ``sourceline`` is a guess
(often a line or two late). The truth here is computed independently: the n-th element
in document order is the n-th start tag of the text, found by a plain tokenizer; its
line is the one the tag ends on, as libxml2 gives it below 65,535.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree
from tests_validate_support import TEST_NS

from lgstandards.validation import starttags, validate
from lgstandards.validation.starttags import StartTags

EPAY_NS = "urn:lgstandards:epay:1"
#: A well-known test card number (not a real card): EPAY-R008, a Python rule, fires.
TEST_CARD = "4111111111111111"


def fed_and_whole(source: str | bytes, size: int) -> tuple[StartTags, StartTags]:
    """Return the start tags of ``source`` fed ``size`` at a time, and read whole."""
    streamed = StartTags(type(source))
    for start in range(0, len(source), size):
        streamed.feed(source[start : start + size])
    return streamed, StartTags.of_text(source, block=size)


def start_tag_lines(text: str) -> list[int]:
    """Return the line of every start tag of ``text``, in order (a plain tokenizer).

    A start tag's line is the one it ends on (its ``>``), as libxml2 gives it.
    """
    lines: list[int] = []
    position = 0
    counted, line = 0, 1  # line feeds before ``counted``
    while True:
        found = text.find("<", position)
        if found < 0:
            return lines
        for opener, closer in (("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>")):
            if text.startswith(opener, found):
                end = text.find(closer, found + len(opener))
                position = len(text) if end < 0 else end + len(closer)
                break
        else:
            position = found + 1
            if text[found + 1 : found + 2] not in ("/", "!", ""):
                end, quote = found + 1, ""
                while end < len(text) and (quote or text[end] != ">"):
                    if text[end] in "\"'":
                        quote = "" if quote == text[end] else quote or text[end]
                    end += 1
                line += text.count("\n", counted, end)
                counted = end
                lines.append(line)


def truth(data: bytes, text: str, prefixes: dict[str, str]) -> Callable[[str], int | None]:
    """Return a function: issue path -> line of its element's start tag."""
    root = etree.fromstring(data)
    lines = start_tag_lines(text)
    elements = list(root.iter(etree.Element))
    assert len(elements) == len(lines)
    line_of = dict(zip(elements, lines, strict=True))

    def resolve(path: str) -> int | None:
        found = root.getroottree().xpath(path.partition("/@")[0], namespaces=prefixes)
        if isinstance(found, list) and found and isinstance(found[0], etree._Element):
            return line_of[found[0]]
        return None

    return resolve


def check_lines(data: bytes, text: str, prefixes: dict[str, str], **kwargs: object) -> set[str]:
    """Validate whole and streamed; every issue with a path has its element's line."""
    resolve = truth(data, text, prefixes)
    codes: set[str] = set()
    reports = {mode: validate(data, streaming=mode, **kwargs) for mode in (False, True)}  # type: ignore[arg-type]
    for mode, report in reports.items():
        located = [i for i in report if i.path]
        assert located, mode
        for issue in located:
            assert issue.path is not None
            expected = resolve(issue.path)
            assert expected is not None, issue
            assert issue.line == expected, (mode, issue.code, issue.path, issue.line, expected)
            codes.add(issue.code)
    whole, streamed = reports[False].issues, reports[True].issues
    assert [(i.code, i.line, i.path) for i in whole] == [(i.code, i.line, i.path) for i in streamed]
    return codes


def epay_batch(records: int) -> bytes:
    """An e-Pay batch of over 100,000 lines, each element on its own line, errors at the end."""
    from epay_batches import write_batch

    buffer = io.BytesIO()
    write_batch(buffer, records, wrong_totals=True)
    text = buffer.getvalue().decode()
    head, _, tail = text.rpartition("<epay:PaymentRecord>")
    bad = (  # a pattern error, a captured date before the transaction, a card number
        "<epay:PaymentRecord>"
        + tail.replace("<epay:AccountReference>PCN", "<epay:AccountReference>PCN ", 1)
        .replace("<epay:CapturedDate>2024-05-02", "<epay:CapturedDate>2024-04-30", 1)
        .replace("<epay:FundCode>", f"<epay:FundCode>{TEST_CARD}", 1)
    )
    text = head + bad
    # every element on its own line, some start tags over two lines
    text = text.replace("><epay:", ">\n<epay:").replace(
        "<epay:PaymentRecord>", "<epay:PaymentRecord\n>"
    )
    return text.encode()


@pytest.mark.slow
def test_epay_batch_past_100000_lines_xsd_schematron_and_python_rules() -> None:
    data = epay_batch(9_500)
    text = data.decode()
    assert text.count("\n") > 100_000
    codes = check_lines(data, text, {"epay": EPAY_NS})
    # XSD, Schematron (EPAY-R014), Python rules (EPAY-R008 and the trailer's COM-R010)
    assert {"xsd.pattern", "rule.EPAY-R014", "rule.EPAY-R008", "rule.COM-R010"} <= codes


def odd_batch(records: int, *, encoding: str = "utf-8") -> tuple[bytes, str]:
    """A test batch laid out oddly: comments and CDATA holding '<', instructions, tags
    over several lines, empty last children; broken records near the end."""
    parts = [
        f'<?xml version="1.0" encoding="{encoding.upper()}"?>\n'
        f'<tb:TestBatch xmlns:tb="{TEST_NS}"\n   SchemaVersion="1.0">\n'
        "<!-- a comment with <tb:Record method='card'> inside -->\n"
        "<tb:Header>\n<tb:Created>2024-05-01T10:00:00Z</tb:Created>\n"
        "<tb:ServiceCode>57</tb:ServiceCode>\n</tb:Header>\n<tb:Records>\n"
    ]
    rng = random.Random(7)
    total = 0
    for n in range(1, records + 1):
        broken = n > records - 3
        amount = 0 if broken else 1
        total += amount
        postcode = "aa1 1aa" if broken else "AA9A 9AA"
        gap = "\n" * rng.randint(0, 3)
        extra = rng.choice(["", "<?pi <tb:Amount>?>\n", "<!-- <tb:Amount> -->"])
        reference = rng.choice([f"REF{n:06d}", f"R<![CDATA[<x]]>{n:05d}"])
        channel = "<tb:Channel/>" if broken else "<tb:Channel>2</tb:Channel>"
        parts.append(
            f'<tb:Record{gap}\n method="card">{extra}\n<tb:Reference>{reference}</tb:Reference>'
            f"\n<tb:Postcode>{postcode}</tb:Postcode>\n<tb:Amount>{amount}.00</tb:Amount>"
            f"{gap}<tb:Service>57</tb:Service>{channel}</tb:Record>\n"
        )
    parts.append(
        f"</tb:Records>\n<tb:Trailer>\n<tb:RecordCount>{records}</tb:RecordCount>\n"
        f"<tb:Total>{total + 1}.00</tb:Total>\n</tb:Trailer>\n</tb:TestBatch>\n"
    )
    text = "".join(parts)
    return text.encode(encoding), text


def test_odd_layout_past_100000_lines() -> None:
    data, text = odd_batch(13_000)
    assert text.count("\n") > 100_000
    codes = check_lines(data, text, {"tb": TEST_NS})
    assert {"xsd.pattern", "xsd.type", "rule.TST-R001", "rule.TST-R004"} <= codes


@pytest.mark.slow
def test_utf16_document_past_65535_lines() -> None:
    data, text = odd_batch(8_000, encoding="utf-16")
    assert text.count("\n") > 65_535
    codes = check_lines(data, text, {"tb": TEST_NS})
    assert "rule.TST-R001" in codes


def test_small_documents_keep_libxml2s_lines() -> None:
    data, text = odd_batch(40)
    check_lines(data, text, {"tb": TEST_NS})


PIECES = [
    "<a>",
    "</a>",
    "<b x='>'/>",
    "<!-- <c> -->",
    "<![CDATA[<d>]]>",
    "<?pi <e>?>",
    "\n",
    "text",
    "<!---->",
    "-->",
    "]]>",
    "<f\n y='1'>",
    "<!",
    "<!-",
    "<![CDA",
    "<",
    "\r\n",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.integers(min_value=1, max_value=12),
    st.booleans(),
)
def test_start_tags_are_found_at_any_chunking(text: str, size: int, as_bytes: bool) -> None:
    expected = start_tag_lines(text)
    source: str | bytes = text.encode() if as_bytes else text
    for scanner in fed_and_whole(source, size):
        assert scanner.count == len(expected)
        assert [scanner.line_of(n) for n in range(1, scanner.count + 1)] == expected
        assert scanner.line_of(0) is None
        assert scanner.line_of(scanner.count + 1) is None


def test_released_chunks_are_forgotten_and_the_head_is_kept() -> None:
    scanner = StartTags(bytes)
    scanner.feed(b"<r>\n<h/>\n")
    scanner.mark_head()
    for n in range(100):
        scanner.feed(f"<x n='{n}'/>\n".encode())
    scanner.release(90)
    assert scanner.line_of(2) == 2  # the head
    assert scanner.line_of(10) is None  # released
    assert scanner.line_of(95) == 95


#: Longer texts of the pieces (several blocks when blocks are a few characters).
LONGER_TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(
    LONGER_TEXTS,
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=1, max_value=12),
    st.booleans(),
)
def test_start_tags_are_found_when_plain_blocks_are_skipped(
    text: str, skip: int, size: int, as_bytes: bool
) -> None:
    """Blocks of plain tags are counted, not walked, on the way to a start tag."""
    from unittest import mock

    expected = start_tag_lines(text)
    source: str | bytes = text.encode() if as_bytes else text
    with mock.patch.object(starttags, "_SKIP_BLOCK", skip):
        whole = StartTags.of_text(source, block=size)
        assert [whole.line_of(n) for n in range(1, whole.count + 1)] == expected


@settings(max_examples=300, deadline=None)
@given(
    LONGER_TEXTS,
    st.integers(min_value=1, max_value=9),
    st.integers(min_value=1, max_value=40),
    st.booleans(),
    st.randoms(use_true_random=False),
)
def test_start_tags_lines_are_counted_from_a_block_in_any_order(
    text: str, block: int, size: int, as_bytes: bool, order: random.Random
) -> None:
    """A chunk's line feeds are counted once per block, at its first question.

    Questions in any order, each asked twice, get the lines a plain count gives:
    from the block the tag is in, a tag carried from the chunk before, a tag running
    into the chunks after.
    """
    from unittest import mock

    expected = start_tag_lines(text)
    source: str | bytes = text.encode() if as_bytes else text
    with mock.patch.object(starttags, "_LINE_BLOCK", block):
        streamed = StartTags(type(source))
        for start in range(0, len(source), size):
            streamed.feed(source[start : start + size])
        ordinals = list(range(1, streamed.count + 1)) * 2
        order.shuffle(ordinals)
        assert {n: streamed.line_of(n) for n in ordinals} == {n: expected[n - 1] for n in ordinals}


#: Pieces of an element's inside: text on one line or several, child elements, markup.
INSIDE = [
    "x",
    "\n",
    " ",
    "&#10;",
    "&amp;",
    "<![CDATA[c]]>",
    "<![CDATA[c\nd]]>",
    "<!-- c -->",
    "<i/>",
    "<j>t</j>",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["<e>", "<e\n>", "<e a='1'\n b='2'>", "<p:e xmlns:p='urn:p'>"]),
            st.lists(st.sampled_from(INSIDE), max_size=5).map("".join),
        ),
        min_size=1,
        max_size=8,
    ),
    st.booleans(),
)
def test_an_element_whose_text_proves_its_line_has_that_line(
    elements: list[tuple[str, str]], far: bool
) -> None:
    """``exact_line`` gives the start tag's line, or nothing, before and past 65,535."""
    from lgstandards.validation.starttags import exact_line

    body = "".join(
        f"{start}{inside}</{start[1:].split()[0].rstrip('>')}>\n" for start, inside in elements
    )
    text = "<r>" + ("\n" * 70000 if far else "") + body + "</r>"
    root = etree.fromstring(text.encode(), etree.XMLParser(huge_tree=True))
    lines = start_tag_lines(text)
    checked = 0
    for element, line in zip(root.iter(etree.Element), lines, strict=True):
        found = exact_line(element)
        if found is not None:
            assert found == line
            checked += 1
    assert checked or all(not e.text or "\n" in e.text for e in root.iter(etree.Element))


#: Start tags for the by-name index: one prefix bound to two namespaces, a default
#: namespace, tags over two lines, and markup that makes the index step aside.
NAMED = [
    "<p:e xmlns:p='urn:one'>",
    "<p:e xmlns:p='urn:two'>",
    "<q:e xmlns:q='urn:one'>",
    "<e>",
    "<e xmlns='urn:one'>",
    "<e\n a='x'>",
    "<f>",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NAMED), st.sampled_from(["", "t", "\n", "<!-- <e> -->", "<?p <e>?>"])
        ),
        min_size=1,
        max_size=12,
    ),
    st.booleans(),
    st.booleans(),
    st.sampled_from([1, 2, 3, 16]),
)
def test_lines_by_name_are_the_start_tags_lines_or_nothing(
    elements: list[tuple[str, str]], nested: bool, declared: bool, checkpoint: int
) -> None:
    """TagLines gives each element its start tag's line, or None where it cannot tell.

    With lines counted at every ``checkpoint``-th tag of a name (a few, so that tags
    fall in every place of a block, and the shipped spacing).
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(starttags, "CHECKPOINT", checkpoint)
        _lines_by_name(elements, nested=nested, declared=declared)


def _lines_by_name(elements: list[tuple[str, str]], *, nested: bool, declared: bool) -> None:
    from lgstandards.validation.starttags import TagLines

    body = ""
    for start, inside in elements:
        end = f"</{start[1:].split()[0].rstrip('>')}>"
        body = f"{start}{inside}{body}{end}\n" if nested else f"{body}{start}{inside}{end}\n"
    text = ("<?xml version='1.0'?>\n" if declared else "") + "<r>\n" + body + "</r>"
    data = text.encode()
    root = etree.fromstring(data)
    index = TagLines(root, data)
    found = [index.line_of(element) for element in root.iter(etree.Element)]
    expected = start_tag_lines(text)
    assert all(f is None or f == e for f, e in zip(found, expected, strict=True)), (found, expected)
    namespaces: dict[tuple[str | None, str], set[str]] = {}
    for element in root.iter(etree.Element):
        qname = etree.QName(element)
        namespaces.setdefault((element.prefix, qname.localname), set()).add(qname.namespace or "")
    # no markup, and each written name stands for one namespace: every element is indexed
    if "<!--" not in text and "<?p" not in text and all(len(n) == 1 for n in namespaces.values()):
        assert None not in found


def _report_fields(report: object) -> list[tuple[object, ...]]:
    return [(i.code, i.severity, i.message, i.line, i.column, i.path) for i in report]  # type: ignore[attr-defined]


@settings(max_examples=12, deadline=None)
@example(cap=1000, bad_every=2, padding="\n")
@example(cap=7, bad_every=2, padding="  \n")
@given(
    cap=st.one_of(st.integers(min_value=0, max_value=14), st.just(1000)),
    bad_every=st.sampled_from([2, 3, 5]),
    padding=st.sampled_from(["\n", "  \n"]),
)
def test_a_truncated_report_is_the_same_without_lines_for_the_unlisted(
    cap: int, bad_every: int, padding: str
) -> None:
    """Issues the report cannot list (cap issues of earlier layers before them) get no exact
    line: the report (listed issues and the count of the others) is the same as when
    every issue gets one. Records past line 65,535 have XSD and rule findings."""
    from unittest import mock

    from epay_batches import write_batch

    from lgstandards.safexml import Limits
    from lgstandards.validation.engine import _Kept

    buffer = io.BytesIO()
    write_batch(buffer, 12, bad_every=bad_every)
    text = buffer.getvalue().decode()
    text = text.replace("</epay:BatchHeader>", "</epay:BatchHeader>" + padding * 70000, 1)
    # a record's start tag on its own line: libxml2's line for it is its first text's
    data = text.replace("<epay:PaymentRecord>", "<epay:PaymentRecord>\n    ").encode()
    limits = Limits(max_issues=cap)
    fast = validate(data, streaming=False, limits=limits)
    with mock.patch.object(_Kept, "unlisted", return_value=False):
        every = validate(data, streaming=False, limits=limits)
    assert _report_fields(fast) == _report_fields(every)
    assert any((i.line or 0) > 65535 for i in every) or cap == 0
    if cap >= len(every.issues):  # all listed: without exact lines, the report differs
        with mock.patch.object(_Kept, "unlisted", return_value=True):
            none = validate(data, streaming=False, limits=limits)
        assert _report_fields(none) != _report_fields(every)


def test_sparse_errors_past_65535_lines_do_not_walk_the_records_read_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An issue of a chunk screened meanwhile is located without sizing the next records.

    The class of failure: each issue past line 65,535 counted the ordinals of every record
    read since its chunk left, walking each one's subtree (a chunk's worth for each
    sparse issue: 2 ms an issue at 1,000,000 records, against 0.09 ms at 10,000).
    """
    from epay_batches import batch_file

    from lgstandards.validation import stream

    flat = batch_file(tmp_path / "flat.xml", 8_000, bad_every=400)
    tall = tmp_path / "tall.xml"  # one element a line: past line 65,535
    tall.write_bytes(flat.read_bytes().replace(b"><epay:", b">\n<epay:"))
    walked: list[object] = []
    sized = stream.subtree_size
    monkeypatch.setattr(stream, "subtree_size", lambda e: walked.append(e) or sized(e))
    streamed = validate(tall, streaming=True)
    assert len(walked) < 8_000 // 10  # (1,858 before: the run after each landed chunk)
    whole = validate(tall, streaming=False)

    def located(report: Any) -> list[tuple[str, int | None, int | None, str | None]]:
        return [(i.code, i.line, i.column, i.path) for i in report.issues]

    assert located(streamed) == located(whole)
    assert sum(1 for _, line, _, _ in located(streamed) if line and line > 65_535) >= 5


#: A tall batch (one element a line) whose records from 6,600 on are past line 65,535.
TALL_RECORDS = 7_200


@pytest.fixture(scope="module")
def tall_batch(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    from epay_batches import batch_file

    flat = batch_file(tmp_path_factory.mktemp("tall") / "flat.xml", TALL_RECORDS)
    return flat.read_bytes().replace(b"><epay:", b">\n<epay:")


def _broken_at(data: bytes, schema: list[int], rule: list[int]) -> bytes:
    """Break the given records (1-based) for the schema and for a rule (an early capture date).

    An odd record gets a bad reference (xsd.pattern, on an element whose text gives
    libxml2's exact line), an even one an empty fee (an element with no text: its line is
    found from its ordinal).
    """
    for number in schema:
        start = data.index(f"<epay:TransactionId>TX{number:08d}<".encode())
        if number % 2:
            good, bad = f"PCN{number:07d}<".encode(), f"PCN {number}<".encode()
        else:
            good, bad = b"<epay:Fee>0.20</epay:Fee>", b"<epay:Fee/>"
        at = data.index(good, start)
        data = data[:at] + bad + data[at + len(good) :]
    for number in rule:
        start = data.index(f"<epay:TransactionId>TX{number:08d}<".encode())
        date = data.index(b"<epay:CapturedDate>2024-05-02<", start)
        cut = date + len(b"<epay:CapturedDate>")
        data = data[:cut] + b"2024-04-30" + data[cut + len(b"2024-05-02") :]  # EPAY-R014
    return data


#: Records at the edges of the chunks (512 a chunk, the first record kept), the last one.
_EDGES = [1, 2, 512, 513, 514, 1025, 1026, 6_656, 6_657, 7_168, 7_169, 7_199, TALL_RECORDS]
_RECORD = st.one_of(st.sampled_from(_EDGES), st.integers(6_000, TALL_RECORDS))


@settings(max_examples=12, deadline=None)
@given(
    schema=st.lists(_RECORD, max_size=4, unique=True),
    rule=st.lists(_RECORD, max_size=4, unique=True),
)
@example(schema=[6_700], rule=[6_700])  # both kinds in one record, one chunk
@example(schema=[6_701, 6_702], rule=[6_703, 7_169])
def test_sparse_issues_past_65535_lines_are_located_as_whole_document_does(
    tall_batch: bytes, schema: list[int], rule: list[int]
) -> None:
    """Issues of a few records, past line 65,535, wherever they fall in their chunks.

    A rule's issue is located while its chunk runs (its record counted with those before
    it), a schema issue when its chunk lands (its ordinal summed from the chunk's sizes):
    each must give whole-document mode's lines, columns and paths.
    """
    data = _broken_at(tall_batch, schema, rule)

    def located(report: Any) -> list[tuple[str, int | None, int | None, str | None]]:
        return [(i.code, i.line, i.column, i.path) for i in report.issues]

    streamed = validate(data, streaming=True)
    assert located(streamed) == located(validate(data, streaming=False))
    assert len(streamed.issues) >= len(schema) + len(rule)
