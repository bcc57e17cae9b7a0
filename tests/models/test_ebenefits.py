"""e-Benefits models: load every example, write valid XML, round trip, Welsh names, JSON Schema."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree
from pydantic import ValidationError

from lgstandards._resources import examples_root
from lgstandards.artefacts.schemas import lxml_schema
from lgstandards.models import model_for_kind
from lgstandards.models.common import MessageHeader
from lgstandards.models.ebenefits import (
    MESSAGES,
    BenefitClaim,
    ClaimStatusQuery,
    EvidenceDocument,
    IncomeItem,
    decode_base64,
)

NS = "urn:lgstandards:ebenefits:1"
VALID = sorted((examples_root() / "ebenefits" / "valid").glob("*.xml"))
HEADER = MessageHeader(
    message_id="M-1", created=dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC), sender="W06000001"
)


def _model_for(path: Path) -> type[BenefitClaim]:
    local = etree.parse(str(path)).getroot().tag.split("}")[1]
    return MESSAGES[local]  # type: ignore[return-value]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_example_loads_writes_valid_xml_and_round_trips(path: Path) -> None:
    model = _model_for(path).from_xml(path)
    written = model.to_xml()
    schema = lxml_schema(NS)
    assert schema.validate(etree.fromstring(written)), schema.error_log
    again = type(model).from_xml(written)
    assert again == model
    assert again.to_xml() == written
    assert b'SchemaVersion="1.0"' in written


def test_kinds_map_to_these_models() -> None:
    assert model_for_kind("ebenefits.claim") is BenefitClaim
    assert model_for_kind("ebenefits.bulk-claims") is MESSAGES["BulkClaims"]
    assert set(MESSAGES) == {
        "BenefitClaim",
        "ChangeOfCircumstances",
        "EvidenceSubmission",
        "DecisionNotice",
        "ClaimStatusQuery",
        "BulkClaims",
    }


def test_welsh_names_and_address_survive_the_round_trip() -> None:
    claim = BenefitClaim.from_xml(examples_root() / "ebenefits/valid/claim-welsh-couple-hb-ctr.xml")
    assert claim.claimant.name.given_name == ["Siân"]
    assert claim.claimant.address.street == "Lôn yr Ŵyn"
    assert claim.claimant.address.paon.description == "Tŷ Prawf"
    assert [p.person_id for p in claim.people()] == ["P1", "P2", "P3", "P4"]
    assert claim.non_dependants is not None
    assert claim.non_dependants.non_dependant[0].name.given_name == ["Llŷr"]
    written = claim.to_xml()
    assert "Lôn yr Ŵyn".encode() in written
    assert BenefitClaim.from_xml(written).claimant.name.given_name == ["Siân"]


def test_namespace_prefixes_are_kept() -> None:
    path = examples_root() / "ebenefits/valid/claim-status-query-by-reference.xml"
    text = path.read_text(encoding="utf-8").replace("ben:", "b:").replace("xmlns:ben", "xmlns:b")
    query = ClaimStatusQuery.from_xml(text.encode())
    assert b"<b:ClaimStatusQuery" in query.to_xml()
    assert b"<ben:ClaimStatusQuery" in ClaimStatusQuery.model_validate(query.model_dump()).to_xml()


def test_status_query_needs_one_key() -> None:
    ClaimStatusQuery(header=HEADER, claim_reference="HB/1")
    ClaimStatusQuery(
        header=HEADER, national_insurance_number="ab 00 00 01 a", birth_date=dt.date(1980, 1, 1)
    )
    with pytest.raises(ValidationError, match="not both"):
        ClaimStatusQuery(
            header=HEADER,
            claim_reference="HB/1",
            national_insurance_number="AB000001A",
            birth_date=dt.date(1980, 1, 1),
        )
    with pytest.raises(ValidationError, match="both an NI number"):
        ClaimStatusQuery(header=HEADER, national_insurance_number="AB000001A")


def test_evidence_document_for_content_fills_size_and_digest() -> None:
    data = "Slip cyflog ffug (fake payslip) £100".encode()
    document = EvidenceDocument.for_content(
        data, evidence_type="payslip", file_name="slip.txt", mime_type="text/plain"
    )
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.content_bytes() == data
    wrapped = document.model_copy(update={"content": "U2xp\n  cCBj"})
    assert wrapped.content_bytes() == decode_base64("U2xpcCBj")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("file_name", "folder/slip.txt"),
        ("sha256", "A" * 64),
        ("mime_type", "Text/Plain"),
        ("size", -1),
        ("content", "abc"),  # not a whole base64 quantum
        ("content", "ab=="),  # non-zero bits before the padding (XSD refuses it)
    ],
)
def test_evidence_document_refuses_what_the_schema_refuses(field: str, value: object) -> None:
    fields: dict[str, object] = {
        "evidence_type": "payslip",
        "file_name": "slip.txt",
        "mime_type": "text/plain",
        "size": 3,
        "sha256": "0" * 64,
        field: value,
    }
    with pytest.raises(ValidationError):
        EvidenceDocument(**fields)  # type: ignore[arg-type]


def test_income_item_hours_and_money_are_decimal_and_written_as_the_schema_wants() -> None:
    item = IncomeItem(
        item_id="INC1",
        person_ref="P1",
        category="employment",
        hours_per_week=Decimal("37.5"),
        frequency="weekly",
        gross_amount=Decimal("412"),
    )
    element = item.to_element()
    ns = {"b": NS}
    assert element.findtext("b:HoursPerWeek", namespaces=ns) == "37.50"
    assert element.findtext("b:GrossAmount", namespaces=ns) == "412.00"
    with pytest.raises(ValidationError):
        item.model_validate({**item.model_dump(), "HoursPerWeek": Decimal("168.01")})
    with pytest.raises(ValidationError):
        item.model_validate({**item.model_dump(), "HoursPerWeek": 37.5})


def test_json_schema_export_of_every_message() -> None:
    for model in MESSAGES.values():
        schema = model.model_json_schema()
        assert schema["type"] == "object"
    claim_schema = BenefitClaim.model_json_schema(by_alias=True)
    assert "ClaimDetails" in claim_schema["properties"]
