"""The safe parser's fast paths change no outcome.

* The plain-prolog check (``safexml.plain_prolog``) lets most documents skip the full
  prolog scan: whatever it accepts, the full scan accepts, and ``check_prolog`` gives the
  full scan's outcome on every input.
* Whole documents share one parser per thread (``safexml.shared_parser``): a document
  parses the same (tree or error code) whatever was parsed before it on that thread,
  hostile or not, as with a parser of its own.
* A tree without the white space between tags (``keep_blanks=False``, for documents
  that ``safexml.blanks_ignorable`` accepts) has the same elements, attributes, text
  beside other text and values of text-only elements, or gives the same error.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.safexml import (
    DEFAULT_LIMITS,
    XINCLUDE_NS,
    Limits,
    XMLInputError,
    _has_nul,
    ascii_encoding,
    blanks_ignorable,
    check_prolog,
    has_character_references,
    may_hold_xinclude,
    parse_bytes,
    parse_checked,
    parse_root,
    plain_prolog,
    scan_prolog,
    shared_parser,
)

SPACE = st.sampled_from([b"", b" ", b"\n", b"\r\n", b"\t", b"  \n"])
QUOTE = st.sampled_from([b'"', b"'"])
ENCODING = st.sampled_from(
    [b"UTF-8", b"utf-8", b"Utf-8", b"US-ASCII", b"ISO-8859-1", b"UTF-16", b"UTF-7", b"cp037", b""]
)


@st.composite
def declarations(draw: st.DrawFn) -> bytes:
    """An XML declaration, well-formed or slightly off (quotes, order, spacing, version)."""
    q = draw(QUOTE)
    parts = [b"<?xml", draw(st.sampled_from([b" ", b"\n", b""]))]
    parts.append(b"version" + draw(SPACE) + b"=" + draw(SPACE) + q)
    parts.append(draw(st.sampled_from([b"1.0", b"1.1", b"2.0", b"1."])) + draw(QUOTE))
    if draw(st.booleans()):
        q = draw(QUOTE)
        parts.append(b" encoding" + draw(SPACE) + b"=" + draw(SPACE) + q + draw(ENCODING) + q)
    if draw(st.booleans()):
        parts.append(b" standalone=" + draw(st.sampled_from([b"'yes'", b'"no"', b"'maybe'"])))
    parts.append(draw(SPACE) + draw(st.sampled_from([b"?>", b">", b"? >"])))
    return b"".join(parts)


PROLOG_PARTS = st.one_of(
    declarations(),
    SPACE,
    st.sampled_from(
        [
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\xfe\xff",
            b"\x00",
            b"<!-- c -->",
            b"<?pi x?>",
            b"<!DOCTYPE r>",
            b"<!DOCTYPE r [<!ENTITY e 'v'>]>",
            b"<!DOCTYPE r SYSTEM 'http://example.invalid/r.dtd'>",
            b"<![CDATA[x]]>",
            b"text",
            b"<",
            b"\x4c\x6f\xa7\x94",
        ]
    ),
)
ROOTS = st.sampled_from(
    [b"<r/>", b"<r>\x00</r>", b"<_r a='1'/>", b"<1/>", b"", b"<r:s xmlns:r='u'/>"]
)


def outcome(check: object, head: bytes, complete: bool) -> str | None:
    """The error code a prolog check raises, or None when it accepts."""
    try:
        check(head, complete=complete)  # type: ignore[operator]
    except XMLInputError as exc:
        return exc.code
    return None


@settings(max_examples=400, deadline=None)
@given(st.lists(PROLOG_PARTS, max_size=4).map(b"".join), ROOTS, st.booleans())
def test_the_plain_prolog_path_gives_the_full_scans_outcome(
    prolog: bytes, root: bytes, complete: bool
) -> None:
    head = prolog + root
    scanned = outcome(scan_prolog, head, complete)
    if plain_prolog(head):
        assert scanned is None
    assert outcome(check_prolog, head, complete) == scanned


def fully_checked(data: bytes) -> str | bytes:
    """A document's tree or error code by the slow path: the full scan, every tree check."""
    try:
        scan_prolog(data)
        tree = parse_checked(data)
    except XMLInputError as exc:
        return exc.code
    return etree.tostring(tree)


@settings(max_examples=300, deadline=None)
@given(st.lists(PROLOG_PARTS, max_size=4).map(b"".join), ROOTS)
def test_whole_documents_on_the_fast_path_get_the_full_checks_outcome(
    prolog: bytes, root: bytes
) -> None:
    """The fast path skips the scan and the DTD check after a plain prolog: same outcome."""
    data = prolog + root
    for parse in (parse_bytes, lambda d: parse_root(d).getroottree()):
        try:
            found: str | bytes = etree.tostring(parse(data))
        except XMLInputError as exc:
            found = exc.code
        assert found == fully_checked(data)


def test_common_prologs_take_the_plain_path() -> None:
    for head in [
        b'<?xml version="1.0" encoding="UTF-8"?>\n<r/>',
        b"<?xml version='1.0'?><r/>",
        b"\n  <r/>",
    ]:
        assert plain_prolog(head)
    for head in [
        b"\xef\xbb\xbf<r/>",
        b'<?xml version="1.0" encoding="UTF-16"?><r/>',
        b"<!DOCTYPE r><r/>",
        b"<!-- c --><r/>",
        b"<r>" + b"\x00",
    ]:
        assert not plain_prolog(head)


def parsed(data: bytes) -> str | bytes:
    """A document's canonical tree, or its error code, from the safe parser."""
    try:
        tree = parse_bytes(data)
    except XMLInputError as exc:
        return exc.code
    return etree.tostring(tree)  # not C14N: it refuses relative namespace names (xmlns='u')


def parsed_first(data: bytes) -> str | bytes:
    """As :func:`parsed`, on a new thread: its parser has parsed nothing before."""
    found: list[str | bytes] = []
    thread = threading.Thread(target=lambda: found.append(parsed(data)))
    thread.start()
    thread.join()
    return found[0]


DOCUMENT_PARTS = st.sampled_from(
    [
        b"<a>",
        b"</a>",
        b"<b x='1'>",
        b"</b>",
        b"text",
        b"&amp;",
        b"&#65;",
        b"&x;",
        b"<!-- c -->",
        b"<![CDATA[<x>]]>",
        b"\xc3\x28",
        b"\x00",
        b"<",
        b">",
        b"<a xmlns='u'>",
        b"<p:a xmlns:p='v'>",
    ]
)
DOCUMENTS = st.lists(DOCUMENT_PARTS, max_size=10).map(b"".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(DOCUMENTS, min_size=2, max_size=5))
def test_a_document_parses_alike_whatever_came_before_on_the_thread(
    documents: list[bytes],
) -> None:
    for data in documents:  # each after the ones before, on this thread's shared parser
        assert parsed(data) == parsed_first(data)


def shape(data: bytes, *, keep_blanks: bool) -> object:
    """What a reader of values sees in a document: elements, attributes, non-blank text
    and the string value of each element without element children; or the error code."""
    try:
        root = parse_root(data, keep_blanks=keep_blanks)
    except XMLInputError as exc:
        return exc.code
    seen = []
    for element in root.iter(etree.Element):
        texts = [t for t in (element.text, *(c.tail for c in element)) if t and t.strip()]
        value = None if len(element.findall("*")) else "".join(element.itertext())
        seen.append((element.tag, dict(element.attrib), texts, value, element.sourceline))
    return seen


WHITE = st.sampled_from([b" ", b"\n  ", b"\t", b"\r\n", b"&#32;", b" x "])
MARKUP = st.sampled_from([b"<!-- c -->", b"<![CDATA[ v ]]>", b"<?pi x?>", b"&amp;"])


def _element(name: bytes) -> st.SearchStrategy[bytes]:
    def wrap(content: list[bytes]) -> bytes:
        return b"<" + name + b">" + b"".join(content) + b"</" + name + b">"

    return st.lists(st.one_of(WHITE, MARKUP, st.just(b"v")), max_size=4).map(wrap)


#: Well-formed elements of white space, text, markup and elements, nested.
ELEMENTS = st.recursive(
    _element(b"v"),
    lambda inner: st.lists(st.one_of(inner, WHITE, MARKUP), min_size=1, max_size=5).map(
        lambda parts: b"<e a='1'>" + b"".join(parts) + b"</e>"
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(ELEMENTS, st.lists(st.one_of(DOCUMENT_PARTS, WHITE), max_size=14).map(b"".join)),
    st.booleans(),
)
def test_a_tree_without_blanks_keeps_every_value_where_blanks_are_ignorable(
    body: bytes, declared: bool
) -> None:
    data = (b'<?xml version="1.0"?>\n' if declared else b"") + body
    if blanks_ignorable(data):
        assert shape(data, keep_blanks=False) == shape(data, keep_blanks=True)
    else:  # markup or a carriage return beside white space: not taken
        assert b"<!" in data or b"<?" in data[1:] or b"\r" in data


def test_blanks_are_ignorable_only_without_markup_but_the_declaration() -> None:
    assert blanks_ignorable(b'<?xml version="1.0"?>\n<r>\n  <a>x</a>\n</r>')
    for markup in (b"<!-- c -->", b"<![CDATA[x]]>", b"<?pi x?>", b"<!DOCTYPE r>", b"\r\n"):
        assert not blanks_ignorable(b"<r><a> " + markup + b"</a></r>")
    assert not blanks_ignorable(b"\xef\xbb\xbf<?xml version='1.0'?><r/>")  # (read the usual way)
    tree = parse_root(b"<r>\n  <a> </a>\n  <b>x</b>\n</r>", keep_blanks=False)
    assert [tree.text, tree[0].text, tree[0].tail, tree[1].text] == [None, " ", None, "x"]


def test_each_thread_and_mode_has_its_own_parser() -> None:
    here = shared_parser()
    assert shared_parser() is here
    assert shared_parser(keep_blanks=False) is not here
    assert shared_parser(keep_blanks=False) is shared_parser(keep_blanks=False)
    assert shared_parser(Limits(max_depth=1000)) is not here
    assert shared_parser(Limits(max_depth=100)) is here  # tighter limits: the same libxml2 mode
    seen: list[etree.XMLParser] = []
    thread = threading.Thread(target=lambda: seen.append(shared_parser()))
    thread.start()
    thread.join()
    assert seen
    assert seen[0] is not here


def test_parsing_in_threads_at_once_gives_each_its_own_tree() -> None:
    documents = [f"<r><v>{i}</v></r>".encode() * 1 for i in range(200)]
    results: dict[int, list[str]] = {}

    def work(offset: int) -> None:
        results[offset] = [
            parse_checked(documents[(i + offset) % 200], limits=DEFAULT_LIMITS).getroot()[0].text
            or ""
            for i in range(400)
        ]

    threads = [threading.Thread(target=work, args=(k * 50,)) for k in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for offset, texts in results.items():
        assert texts == [str((i + offset) % 200) for i in range(400)]


#: Declared encodings: 16- and 32-bit ones (no byte-order mark follows), ones that are
#: not supersets of ASCII, ASCII-compatible ones, and codecs that are not text encodings.
DECLARED = st.sampled_from(
    [
        *("UTF-16", "utf-16", "UTF-32", "UCS-2", "UCS-4", "UTF-16LE", "UTF-16BE", "UTF-32BE"),
        *("UTF-7", "cp037", "cp500", "ISO-8859-1", "windows-1252", "Shift_JIS"),
        *("rot13", "hex", "base64", "zlib", "undefined", "no-such-encoding"),
    ]
)


@settings(max_examples=100, deadline=None)
@given(DECLARED, st.sampled_from(["<r>x</r>", "<!DOCTYPE r><r/>", "<r>" + "y" * 300 + "</r>"]))
def test_any_declared_encoding_in_ascii_bytes_gives_a_report(declared: str, rest: str) -> None:
    from lgstandards.codes import registry
    from lgstandards.validation import validate

    data = f'<?xml version="1.0" encoding="{declared}"?>{rest}'.encode()
    for head in (data, data + b" " * (1024 * 1024)):  # complete, and cut at the window
        report = validate(head)
        assert all(issue.code in registry() for issue in report)
        assert any(issue.code.startswith("xml.") for issue in report) or report.ok


def encoding_by_pattern(data: bytes) -> str | None:
    """``ascii_encoding`` as it decides without its fast path: by the patterns alone."""
    from lgstandards import safexml

    with mock.patch.object(safexml, "_USUAL_DECLARATION", b"\x00never"):
        return safexml.ascii_encoding(data)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([b"", b"\xef\xbb\xbf", b'<?xml version="1.0" encoding="UTF-8"?>']),
    st.lists(PROLOG_PARTS, max_size=3).map(b"".join),
    ROOTS,
)
def test_the_encoding_of_the_usual_declaration_is_the_patterns_outcome(
    start: bytes, prolog: bytes, root: bytes
) -> None:
    """The usual declaration, matched as bytes, names the encoding the patterns find."""
    data = start + prolog + root
    assert ascii_encoding(data) == encoding_by_pattern(data)
    if data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'):
        assert ascii_encoding(data) == "UTF-8"


# ------------------------------------------------------- byte tests: shortcut vs plain
USUAL = b'<?xml version="1.0" encoding="UTF-8"?>'
BYTES = st.binary(max_size=64) | st.lists(
    st.sampled_from([b"&", b"&#", b"#", b"X", b"XInclude", b"\x00", b"a", b"<", b"\n", b"_"]),
    max_size=12,
).map(b"".join)


@settings(max_examples=500, deadline=None)
@given(BYTES, st.integers(min_value=0, max_value=80), st.booleans())
def test_the_byte_shortcuts_answer_as_the_plain_searches(
    data: bytes, within: int, xinclude: bool
) -> None:
    if xinclude:
        data += XINCLUDE_NS.encode() + data
    assert _has_nul(data, within) == (data.find(b"\x00", 0, within) >= 0)
    assert has_character_references(data) == (b"&#" in data)
    assert may_hold_xinclude(data) == (XINCLUDE_NS.encode() in data or b"&#" in data)


def usual_prolog_reference(head: bytes) -> bool:
    """``plain_prolog`` for a head after the usual declaration, as it was before its shortcut."""
    rest = head[len(USUAL) : len(USUAL) + 256].lstrip(b" \t\r\n")
    plain = rest[:1] == b"<" and (rest[1:2].isalpha() or rest[1:2] == b"_")
    return plain and head.find(b"\x00", 0, 4096) < 0


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from([b"\n<", b"\n", b"\n\n<", b" <", b"<", b""]),
    st.sampled_from([b"r", b"_", b"1", b"<", b" ", b"\x00", b""]),
    BYTES,
    st.integers(min_value=0, max_value=5000),
)
def test_the_usual_start_shortcut_answers_as_the_usual_declaration_path(
    after: bytes, first: bytes, rest: bytes, padding: int
) -> None:
    head = USUAL + after + first + rest + b" " * padding + rest
    assert plain_prolog(head) == usual_prolog_reference(head)


# ------------------------------------- the usual small message, checked in one function
def tree_or_code(parse: Callable[[], etree._Element]) -> tuple[str, bytes | str]:
    """The tree ``parse`` gives, or the code of the error it raises."""
    try:
        root = parse()
    except XMLInputError as exc:
        return ("error", exc.code)
    return ("tree", etree.tostring(root))


def general_outcome(data: bytes) -> tuple[str, bytes | str]:
    """A document's tree (blanks left out where ignorable) or error code, general path.

    Limits equal to the default but not the same object never take the one-function
    path of ``parse_root``: the prolog check, ``blanks_ignorable`` and the XInclude
    test each run as their own function.
    """
    keep = not blanks_ignorable(data)
    return tree_or_code(lambda: parse_root(data, limits=Limits(), keep_blanks=keep))


def one_function_outcome(data: bytes) -> tuple[str, bytes | str]:
    return tree_or_code(lambda: parse_root(data, keep_blanks=None))


#: What may come after the usual declaration and its line feed: root names the fast
#: test takes and ones it leaves to the general path, and content that changes the
#: outcome (XInclude, references, NUL, markup beside blanks, carriage returns).
ROOT_STARTS = st.sampled_from([b"<r", b"<_r", b"<1", b"<\xc3\xa9", b"< r", b"<r:s xmlns:r='u'"])
SMALL_PARTS = st.one_of(
    ELEMENTS,
    WHITE,
    MARKUP,
    st.sampled_from(
        [
            b"<x:include xmlns:x='" + XINCLUDE_NS.encode() + b"' href='f'/>",
            b"<i xmlns='&#104;ttp://www.w3.org/2001/XInclude'/>",
            b"&#65;",
            b"\x00",
            b"?",
            b"!",
            b"X",
            b"&lt;",
            b"<a>",
        ]
    ),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ROOT_STARTS,
    st.lists(SMALL_PARTS, max_size=6).map(b"".join),
    st.sampled_from([0, 4000, 4200]),
    st.sampled_from([b"", b"\n", b"<!-- after -->"]),
)
def test_the_usual_small_message_gets_the_general_paths_outcome(
    start: bytes, content: bytes, padding: int, after: bytes
) -> None:
    """Trees and errors alike, under and over ``SMALL_MESSAGE``, well-formed or not."""
    end = start.split(b" ")[0][1:] if start != b"< r" else b"r"
    data = USUAL + b"\n" + start + b">" + content + b" " * padding + b"</" + end + b">" + after
    assert one_function_outcome(data) == general_outcome(data)


def test_a_message_as_to_xml_writes_it_takes_the_one_function_path() -> None:
    """Parsed with the shared parser without blanks: an XInclude inside is still refused."""
    data = USUAL + b"\n<r>\n  <a>x</a>\n</r>"
    root = parse_root(data, keep_blanks=None)
    assert root[0].tail is None  # the blanks between tags were left out
    assert root.getroottree().parser is shared_parser(keep_blanks=False)
    with_include = USUAL + b"\n<r><i:include xmlns:i='" + XINCLUDE_NS.encode() + b"'/></r>"
    with pytest.raises(XMLInputError) as raised:
        parse_root(with_include, keep_blanks=None)
    assert raised.value.code == "xml.xinclude-forbidden"
