"""``from_xml`` reads XML text, bytes, paths and file objects, and names the source right.

A ``str`` starting with ``<`` (after an optional byte-order mark and whitespace) is XML
text; any other ``str`` is a path; bytes are XML. A document that cannot be parsed
raises :class:`~lgstandards.safexml.XMLInputError` naming the file it came from (or
nothing, for text and bytes), never echoing the document.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from lgstandards._resources import examples_root
from lgstandards.artefacts.catalogue import kind_for
from lgstandards.models import model_for_kind
from lgstandards.models._xml import XmlModel, is_xml_text, xml_text_source
from lgstandards.safexml import XMLInputError

FAMILIES = ("epay", "ebenefits", "transactions", "govtalk")
EXAMPLES = sorted(
    path for family in FAMILIES for path in (examples_root() / family / "valid").glob("*.xml")
)


def _model(data: bytes) -> type[XmlModel]:
    qname = etree.QName(etree.fromstring(data))
    kind = kind_for(qname.namespace, qname.localname)
    assert kind is not None
    model: type[XmlModel] = model_for_kind(kind)
    return model


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.parent.name}/{p.name}")
def test_every_source_gives_the_same_model(path: Path) -> None:
    data = path.read_bytes()
    model = _model(data)
    expected = model.from_xml(path)
    text = data.decode("utf-8")
    with path.open("rb") as handle:
        from_file = model.from_xml(handle)
    assert model.from_xml(str(path)) == expected
    assert model.from_xml(data) == expected
    assert model.from_xml(io.BytesIO(data)) == expected
    assert from_file == expected
    assert model.from_xml(text) == expected
    assert model.from_xml("\ufeff\n  " + text) == expected


@settings(max_examples=50, deadline=None)
@given(
    lead=st.text(alphabet=" \t\r\n", max_size=4),
    bom=st.booleans(),
    encoding=st.sampled_from(["UTF-8", "utf-8", "ISO-8859-1", "UTF-16", "windows-1252", None]),
    quote=st.sampled_from(["'", '"']),
)
def test_xml_text_whatever_its_declaration(
    lead: str, bom: bool, encoding: str | None, quote: str
) -> None:
    """Text is already decoded: the encoding its declaration names does not matter."""
    path = examples_root() / "epay" / "valid" / "payment-request.xml"
    data = path.read_bytes()
    body = data.decode("utf-8").split("?>", 1)[1]
    assert "\u00e2" in body  # Welsh letters (Siân) show that the text is not re-decoded
    named = f" encoding={quote}{encoding}{quote}" if encoding else ""
    text = ("\ufeff" if bom else "") + lead + f"<?xml version={quote}1.0{quote}{named}?>" + body
    model = _model(data)
    assert is_xml_text(text)
    assert model.from_xml(text) == model.from_xml(path)


@pytest.mark.parametrize(
    ("value", "xml"),
    [
        ("<a/>", True),
        ("  \n<a/>", True),
        ("\ufeff<a/>", True),
        ("\ufeff \t<?xml version='1.0'?><a/>", True),
        ("a.xml", False),
        ("./<odd>.xml", False),
        ("", False),
        (b"<a/>", False),  # bytes are XML already: nothing to convert
    ],
)
def test_what_counts_as_xml_text(value: str | bytes, xml: bool) -> None:
    assert is_xml_text(value) is xml
    converted = xml_text_source(value)
    assert isinstance(converted, bytes) is (xml or isinstance(value, bytes))


DOCUMENT = (examples_root() / "epay" / "valid" / "payment-request.xml").read_bytes()
#: A piece of the document that an error must not echo.
SECRET = b"PR-2026-0001"
BROKEN = DOCUMENT.replace(b"</epay:SaleTotal>", b"</epay:Total>")


def _model_error(source: object) -> XMLInputError:
    model = _model(DOCUMENT)
    with pytest.raises(XMLInputError) as caught:
        model.from_xml(source)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize("form", ["text", "bytes", "bytes-io"])
def test_broken_text_names_no_file_and_echoes_nothing(form: str) -> None:
    source = {
        "text": BROKEN.decode("utf-8"),
        "bytes": BROKEN,
        "bytes-io": io.BytesIO(BROKEN),
    }[form]
    error = _model_error(source)
    assert error.code == "xml.not-well-formed"
    assert error.source is None
    assert error.line is not None
    assert str(error).startswith("<input>:")
    assert SECRET.decode() not in str(error)
    assert len(str(error)) < 300


def test_broken_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(BROKEN)
    for source in (path, str(path)):
        error = _model_error(source)
        assert error.source == str(path)
        assert str(error).startswith(f"{path}:")
        assert SECRET.decode() not in str(error)
    with path.open("rb") as handle:
        error = _model_error(handle)
    assert error.source == str(path)


def test_a_missing_path_is_named() -> None:
    error = _model_error("no-such-folder/payment.xml")
    assert error.code == "io.unreadable"
    assert error.source == "no-such-folder/payment.xml"


def test_text_that_cannot_be_encoded_is_an_encoding_error() -> None:
    text = DOCUMENT.decode("utf-8").replace("Siân", "Si\udc00n")
    error = _model_error(text)
    assert error.code == "xml.encoding"
    assert error.source is None


@pytest.mark.parametrize(
    "piece",
    ["<!-- a comment -->", "<?split here?>", "<![CDATA[]]>"],
)
def test_a_simple_value_in_pieces_loads(piece: str) -> None:
    """XSD ignores comments and PIs inside a simple value: so does the binding."""
    text = DOCUMENT.decode("utf-8").replace(
        "<epay:SaleTotal>170.50", f"<epay:SaleTotal>17{piece}0.50"
    )
    assert text != DOCUMENT.decode("utf-8")
    model = _model(DOCUMENT)
    assert model.from_xml(text) == model.from_xml(DOCUMENT)


def test_text_after_a_comment_in_a_complex_element_is_refused() -> None:
    data = DOCUMENT.replace(b"<epay:Payer>", b"<epay:Payer><!-- note -->stray text", 1)
    with pytest.raises(ValidationError, match="unexpected text"):
        _model(DOCUMENT).from_xml(data)
