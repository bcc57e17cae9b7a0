"""RDF service catalogues: formats, sniffing, SHACL, esd URI cross-checks, no network."""

from __future__ import annotations

from pathlib import Path

import pytest

from lgstandards.validation import RDF_KIND, validate
from lgstandards.validation.input import sniff

CATALOGUES = Path(__file__).resolve().parents[2] / "examples" / "catalogues"


@pytest.mark.parametrize(
    ("data", "syntax"),
    [
        (b"@prefix s: <http://schema.org/> .", "turtle"),
        (b"<http://a> <http://b> <http://c> .\n", "ntriples"),
        (b'{"@id": "http://a"}', "json-ld"),
        (b'<?xml version="1.0"?><rdf:RDF/>', "rdf/xml"),
    ],
)
def test_sniff(data: bytes, syntax: str) -> None:
    assert sniff(data) == syntax


def test_bytes_with_forced_kind() -> None:
    data = (CATALOGUES / "valid" / "cpsv-council-tax.ttl").read_bytes()
    report = validate(data, kind=RDF_KIND)
    assert report.ok
    assert report.kind == RDF_KIND


def test_rdf_xml_detected_from_an_xml_file(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.xml"
    path.write_bytes((CATALOGUES / "valid" / "services.rdf").read_bytes())
    report = validate(path)
    assert report.kind == RDF_KIND
    assert report.ok


def test_rdf_xml_with_a_dtd_is_refused() -> None:
    data = (
        b'<!DOCTYPE r [<!ENTITY a "b">]><rdf:RDF '
        b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>'
    )
    assert validate(data, kind=RDF_KIND).codes() == ["xml.entity-forbidden"]


def test_shacl_issue_carries_welsh_and_focus_node() -> None:
    report = validate(CATALOGUES / "invalid" / "missing-lgsl-type.ttl")
    (issue,) = report.issues
    assert issue.code == "shacl.violation"
    assert issue.path is not None
    assert issue.path.startswith("<https://council.example.org/services/mystery>")
    assert issue.message_cy
    assert "LGSL" in issue.message_cy


def test_non_numeric_esd_uri_is_unknown() -> None:
    data = (
        b"<https://council.example.org/s> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        b"<http://schema.org/GovernmentService> .\n"
        b'<https://council.example.org/s> <http://schema.org/name> "S" .\n'
        b"<https://council.example.org/s> <http://schema.org/additionalType> "
        b"<http://id.esd.org.uk/service/abc> .\n"
    )
    report = validate(data, kind=RDF_KIND)
    assert "vocab.unknown-code" in report.codes()
    assert "shacl.violation" in report.codes()  # not an LGSL URI for the shape either


def test_empty_catalogue() -> None:
    assert validate(b"", kind=RDF_KIND).codes() == ["rdf.empty"]
    assert validate(b"# only a comment\n", kind=RDF_KIND).codes() == ["rdf.empty"]
