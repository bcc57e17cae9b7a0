"""The safe parser: never a traceback, always a registered code; streams and limits."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests_validate_support import batch_xml
from testsupport.streams import Trickle

from lgstandards.codes import registry
from lgstandards.safexml import (
    Limits,
    XMLInputError,
    check_prolog,
    open_checked,
    parse_bytes,
    parse_xml,
)
from lgstandards.validation import validate

FRAGMENTS = st.sampled_from(
    [
        b"<a>",
        b"</a>",
        b"<b x='1'>",
        b"</b>",
        b"text",
        b"&amp;",
        b"&x;",
        b"<!DOCTYPE a>",
        b"<!ENTITY e 'v'>",
        b"<?xml version='1.0'?>",
        b"<!-- c -->",
        b"<![CDATA[x]]>",
        b"\x00",
        b"\xff\xfe",
        b"\xc3\x28",
        b"<xi:include xmlns:xi='http://www.w3.org/2001/XInclude'/>",
        b" ",
        b"\n",
        b"<",
        b">",
        b"'",
        b'"',
        b"=",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=12).map(b"".join) | st.binary(max_size=200))
def test_any_bytes_parse_or_give_a_registered_code(data: bytes) -> None:
    code = None
    try:
        parse_bytes(data)
    except XMLInputError as exc:
        code = exc.code
    assert code is None or code in registry()
    report = validate(data)
    assert all(issue.code in registry() for issue in report)


@settings(max_examples=100, deadline=None)
@given(st.lists(FRAGMENTS, max_size=12).map(b"".join))
def test_streaming_any_bytes_never_raises(data: bytes) -> None:
    report = validate(data, streaming=True, kind="test.batch")
    assert all(issue.code in registry() for issue in report)


def test_prolog_scan_allows_comments_and_processing_instructions() -> None:
    check_prolog(b"\xef\xbb\xbf<?xml version='1.0'?>\n<!-- <!DOCTYPE x> -->\n<?pi x?><r/>")
    with pytest.raises(XMLInputError, match="DTD"):
        check_prolog(b"<?xml version='1.0'?>\n<!-- c -->\n<!DOCTYPE r><r/>")


def test_doctype_text_in_content_is_not_a_dtd() -> None:
    tree = parse_bytes(b"<r><![CDATA[<!DOCTYPE x>]]><!-- <!ENTITY y 'z'> --></r>")
    assert tree.getroot().tag == "r"


def test_utf16_documents_are_read() -> None:
    data = '<?xml version="1.0" encoding="UTF-16"?><r>Siân</r>'.encode("utf-16")
    assert parse_bytes(data).getroot().text == "Siân"
    doctype = '<!DOCTYPE r [<!ENTITY a "b">]><r/>'.encode("utf-16")
    with pytest.raises(XMLInputError) as info:
        parse_bytes(doctype)
    assert info.value.code == "xml.entity-forbidden"


def test_welsh_letters_in_utf8() -> None:
    assert parse_bytes("<r>ŵ ŷ â</r>".encode()).getroot().text == "ŵ ŷ â"


def test_unreadable_path(tmp_path: object) -> None:
    with pytest.raises(XMLInputError) as info:
        parse_xml("/no/such/file.xml")
    assert info.value.code == "io.unreadable"
    assert validate("/no/such/file.xml").codes() == ["io.unreadable"]


def test_text_streams_are_refused() -> None:
    report = validate(io.StringIO("<r/>"))  # type: ignore[arg-type]
    assert report.codes() == ["io.unreadable"]


def test_open_checked_replays_the_head() -> None:
    data = b"<r>" + b"x" * 3_000_000 + b"</r>"
    stream, owned = open_checked(io.BytesIO(data))
    assert not owned
    assert stream.read() == data


def test_malformed_middle_of_a_streamed_batch() -> None:
    data = batch_xml(2000).replace(b"<tb:Reference>REF001000</tb:Reference>", b"<tb:Reference>", 1)
    report = validate(data, streaming=True)
    assert report.codes() == ["xml.not-well-formed"]
    assert report.issues[0].line is not None
    assert validate(data, streaming=False).codes() == ["xml.not-well-formed"]


def test_truncated_stream_from_a_pipe_like_object() -> None:
    report = validate(
        io.BufferedReader(Trickle(batch_xml(300)[:-50], 1000)), streaming=True, kind="test.batch"
    )
    assert report.codes() == ["xml.truncated"]


def test_limits_default_to_libxml2s() -> None:
    limits = Limits()
    assert not limits.walk
    assert not limits.huge
    assert Limits(max_depth=1000).huge


@pytest.mark.parametrize(
    ("codec", "told"),
    [
        ("utf-32-le", "UTF-32LE"),  # no byte-order mark: some push parsers need telling
        ("utf-32-be", "UTF-32BE"),
        ("utf-32", "UTF-32LE"),  # with a byte-order mark too
        ("utf-16-le", None),
        ("utf-8", None),
    ],
)
def test_feed_parsers_are_told_only_bom_less_utf32(codec: str, told: str | None) -> None:
    from lgstandards.safexml import feed_encoding, pull_parser

    text = '<?xml version="1.0" encoding="UTF-32"?><r a="1">Siân</r>'
    data = text.replace("UTF-32", codec.upper().removesuffix("-LE").removesuffix("-BE")).encode(
        codec
    )
    assert feed_encoding(data[:16]) == told
    parser = pull_parser(head=data[:16])
    parser.feed(data)
    assert parser.close().text == "Siân"


@pytest.mark.parametrize("codec", ["utf-32", "utf-32-le", "utf-32-be", "utf-16", "utf-8"])
def test_a_batch_streams_alike_in_every_unicode_encoding(codec: str) -> None:
    text = batch_xml(40, bad_every=7).decode().replace('encoding="UTF-8"', 'encoding="UTF-32"')
    name = codec.upper().removesuffix("-LE").removesuffix("-BE")
    data = text.replace('encoding="UTF-32"', f'encoding="{name}"').encode(codec)
    whole = validate(data, streaming=False, kind="test.batch")
    streamed = validate(data, streaming=True, kind="test.batch")
    assert whole.codes()
    assert "xml.encoding" not in whole.codes()
    assert [(i.code, i.line, i.path) for i in streamed.issues] == [
        (i.code, i.line, i.path) for i in whole.issues
    ]
