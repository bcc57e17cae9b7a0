"""libxml2 errors map to the library's xsd.* codes, in English and Welsh, with location."""

from __future__ import annotations

import pytest
from tests_validate_support import TEST_NS

from lgstandards.codes import registry
from lgstandards.validation import validate
from lgstandards.validation.xsd import classify

HEAD = f'<tb:TestMessage xmlns:tb="{TEST_NS}" SchemaVersion="1.0">'


def _batch_record(record: str) -> bytes:
    return (
        f'<tb:TestBatch xmlns:tb="{TEST_NS}" SchemaVersion="1.0">\n'
        "<tb:Header><tb:Created>2024-05-01T10:00:00Z</tb:Created>"
        "<tb:ServiceCode>57</tb:ServiceCode></tb:Header>\n<tb:Records>\n"
        f"{record}\n</tb:Records>\n<tb:Trailer><tb:RecordCount>1</tb:RecordCount>"
        "<tb:Total>1.00</tb:Total></tb:Trailer>\n</tb:TestBatch>"
    ).encode()


def _record(body: str, attrs: str = 'method="card"') -> bytes:
    return _batch_record(f"<tb:Record {attrs}>{body}</tb:Record>")


GOOD = "<tb:Reference>REF1</tb:Reference><tb:Amount>1.00</tb:Amount>"

CASES = {
    "xsd.missing-element": _record("<tb:Reference>REF1</tb:Reference>"),
    "xsd.unexpected-element": _record(GOOD + "<tb:Nope/>"),
    "xsd.pattern": _record(
        "<tb:Reference>REF1</tb:Reference><tb:Postcode>nope</tb:Postcode><tb:Amount>1.00</tb:Amount>"
    ),
    "xsd.enumeration": _record(GOOD, 'method="cheque"'),
    "xsd.type": _record("<tb:Reference>REF1</tb:Reference><tb:Amount>one</tb:Amount>"),
    "xsd.length": _record("<tb:Reference>R</tb:Reference><tb:Amount>1.00</tb:Amount>"),
    "xsd.range": _record(GOOD + "<tb:Channel>99</tb:Channel>"),
    "xsd.missing-attribute": _record(GOOD, ""),
    "xsd.unexpected-attribute": _record(GOOD, 'method="card" colour="blue"'),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_engine_error_maps_to_its_code(code: str) -> None:
    report = validate(CASES[code], checks=["xsd"])
    assert report.codes() == [code]
    issue = report.issues[0]
    assert issue.line == 4
    assert issue.path is not None
    assert issue.path.startswith("/tb:TestBatch/tb:Records/tb:Record[1]")
    assert issue.detail
    assert issue.detail.startswith("Element 'tb:")
    assert issue.message_cy
    assert issue.message_cy != issue.message
    assert code in registry()


def test_messages_name_the_element_and_value() -> None:
    report = validate(CASES["xsd.pattern"], checks=["xsd"])
    issue = report.issues[0]
    assert issue.message == "tb:Postcode: the value 'nope' does not match the pattern of its type"
    assert "batrwm" in (issue.message_cy or "")
    assert issue.path == "/tb:TestBatch/tb:Records/tb:Record[1]/tb:Postcode"


def test_fraction_digits_say_too_many_digits() -> None:
    report = validate(
        _record("<tb:Reference>REF1</tb:Reference><tb:Amount>1.005</tb:Amount>"), checks=["xsd"]
    )
    assert report.codes() == ["xsd.range"]
    assert "too many digits" in report.issues[0].message


def test_unknown_root_in_namespace_is_unknown_kind() -> None:
    report = validate(f'<tb:Other xmlns:tb="{TEST_NS}"/>'.encode())
    assert report.codes() == ["xml.unknown-kind"]


def test_forced_kind_reports_wrong_root() -> None:
    report = validate(f'<tb:Other xmlns:tb="{TEST_NS}"/>'.encode(), kind="test.message")
    assert report.codes() == ["xsd.unexpected-element"]


def test_unsupported_schema_version() -> None:
    doc = (HEAD.replace('"1.0"', '"9.9"') + "<tb:Service>57</tb:Service></tb:TestMessage>").encode()
    report = validate(doc)
    assert report.codes() == ["xml.unsupported-version"]
    assert "9.9" in report.issues[0].message


def test_missing_schema_version_is_an_xsd_error() -> None:
    doc = HEAD.replace(' SchemaVersion="1.0"', "") + "<tb:Service>57</tb:Service></tb:TestMessage>"
    assert validate(doc.encode()).codes() == ["xsd.missing-attribute"]


@pytest.mark.parametrize(
    ("type_name", "message", "code"),
    [
        (
            "SCHEMAV_ELEMENT_CONTENT",
            "Missing child element(s). Expected is ( a ).",
            "xsd.missing-element",
        ),
        ("SCHEMAV_ELEMENT_CONTENT", "This element is not expected.", "xsd.unexpected-element"),
        ("SCHEMAV_CVC_COMPLEX_TYPE_2_4", "Missing child element(s).", "xsd.missing-element"),
        ("SCHEMAV_CVC_ELT_1", "No matching global declaration", "xsd.unexpected-element"),
        ("SCHEMAV_CVC_MAXLENGTH_VALID", "", "xsd.length"),
        ("SCHEMAV_CVC_MININCLUSIVE_VALID", "", "xsd.range"),
        ("SCHEMAV_CVC_TOTALDIGITS_VALID", "", "xsd.range"),
        ("SCHEMAV_CVC_DATATYPE_VALID_1_2_1", "", "xsd.type"),
        ("SCHEMAV_CVC_COMPLEX_TYPE_3_2_2", "", "xsd.unexpected-attribute"),
        ("SCHEMAV_CVC_IDC", "", "xsd.other"),
    ],
)
def test_classify(type_name: str, message: str, code: str) -> None:
    assert classify(type_name, message) == code


def test_valid_message_has_no_issues() -> None:
    doc = HEAD + "<tb:Service>57</tb:Service><tb:Channel>8</tb:Channel></tb:TestMessage>"
    report = validate(doc.encode())
    assert report.ok
    assert report.issues == []
    assert report.kind == "test.message"


_BASE64_CASES = [
    ("QUJD", True),
    ("QUJDRA==", True),
    ("QU JD RA ==", True),  # single spaces between characters are allowed
    ("  QUJD\n", True),  # collapsed first
    ("", True),
    ("1.234", False),  # libxml2 skips the '.': a strict engine refuses it
    ("Δ", False),
    ("QUJ", False),
    ("QQ=", False),
    ("Q===", False),
    ("QU==JD", False),
]


@pytest.mark.parametrize(("value", "valid"), _BASE64_CASES)
def test_base64_values_are_checked_as_xsd_says(value: str, valid: bool) -> None:
    import xmlschema
    from lxml import etree

    from lgstandards._resources import examples_root

    root = etree.parse(str(examples_root() / "ebenefits/valid/evidence-submission.xml")).getroot()
    content = root.find(".//{urn:lgstandards:ebenefits:1}Content")
    assert content is not None
    content.text = value
    data = etree.tostring(root)
    report = validate(data, checks=["xsd"])
    codes = report.codes()
    assert ("xsd.type" not in codes) is valid, (value, report.issues)
    strict = xmlschema.XMLSchema(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:element name="c" type="xs:base64Binary"/></xs:schema>'
    )
    assert strict.is_valid(f"<c>{value}</c>") is valid  # the lexical space as XSD defines it
    if not valid:
        (issue,) = [i for i in report.issues if i.code == "xsd.type"]
        assert issue.path == "/ben:EvidenceSubmission/ben:Document[1]/ben:Content"
        written = etree.fromstring(data).find(".//{urn:lgstandards:ebenefits:1}Content")
        assert written is not None
        assert issue.line == written.sourceline


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize(
    ("written", "named"),
    [
        (f'<Amount xmlns="{TEST_NS}.0">1.00</Amount>', f"Q{{{TEST_NS}.0}}Amount"),
        ('<Amount xmlns="http://example.org/a/b">1.00</Amount>', "Q{http://example.org/a/b}Amount"),
        ("<Amount>1.00</Amount>", "Amount"),
    ],
)
def test_an_element_in_the_wrong_namespace_is_named_with_its_namespace(
    written: str, named: str, streaming: bool
) -> None:
    """A mistyped namespace shows in the message and path, whole or streamed, on its line."""
    record = _record("<tb:Reference>REF1</tb:Reference>\n" + written)
    report = validate(record, checks=["xsd"], streaming=streaming)
    [issue] = report.issues
    assert issue.code == "xsd.unexpected-element"
    assert issue.message.startswith(f"{named} is not allowed here")
    assert named in (issue.message_cy or "")
    assert issue.path == f"/tb:TestBatch/tb:Records/tb:Record[1]/{named}"
    assert issue.line == 5
