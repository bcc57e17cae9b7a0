"""The generic XML binder: names, order, repetition, attributes, text, prefixes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import pytest
from pydantic import Field, ValidationError

from lgstandards.models._xml import Xml, XmlModel
from lgstandards.models.common import (
    BS7666Address,
    MessageHeader,
    Money,
    MoneyAmount,
    PersonName,
    SchemaVersion,
)
from lgstandards.safexml import XMLInputError

NS = "urn:test:binding"


class Sample(XmlModel):
    xml_namespace = NS
    xml_prefix = "t"
    xml_root = "Sample"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)]
    header: MessageHeader
    name: PersonName
    address: BS7666Address | None = None
    total: Money
    charge: MoneyAmount | None = None
    note: list[str] = Field(default_factory=list, max_length=3)


DOC = """<t:Sample xmlns:t="urn:test:binding"
    xmlns:lgc="urn:lgstandards:common:1" SchemaVersion="1.0">
  <t:Header>
    <lgc:MessageId>M-1</lgc:MessageId>
    <lgc:Created>2026-04-01T09:30:00Z</lgc:Created>
    <lgc:Sender>W06000001</lgc:Sender>
  </t:Header>
  <t:Name><lgc:GivenName>Siân</lgc:GivenName><lgc:FamilyName>Prawf</lgc:FamilyName></t:Name>
  <t:Address>
    <lgc:PAON><lgc:StartRange><lgc:Number>12</lgc:Number><lgc:Suffix>A</lgc:Suffix></lgc:StartRange></lgc:PAON>
    <lgc:Street>Ffordd y Prawf</lgc:Street>
    <lgc:Postcode>AA9A 9AA</lgc:Postcode>
    <lgc:UPRN>100000000001</lgc:UPRN>
  </t:Address>
  <t:Total> 12.5 </t:Total>
  <t:Charge currency="GBP">3.00</t:Charge>
  <t:Note> kept as written </t:Note>
  <t:Note>two</t:Note>
</t:Sample>"""


def test_reads_nested_structures_attributes_and_text() -> None:
    sample = Sample.from_xml(DOC.encode())
    assert sample.schema_version == "1.0"
    assert sample.header.sender == "W06000001"
    assert sample.name.given_name == ["Siân"]
    assert sample.address is not None
    assert sample.address.uprn == 100000000001
    assert sample.address.paon.start_range is not None
    assert sample.address.paon.start_range.suffix == "A"
    assert sample.total == Decimal("12.5")
    assert b"<t:Total>12.50</t:Total>" in sample.to_xml()
    assert sample.charge is not None
    assert sample.charge.currency == "GBP"
    assert sample.note == [" kept as written ", "two"]


def test_round_trip_is_identity_and_keeps_prefixes() -> None:
    sample = Sample.from_xml(DOC.encode())
    again = Sample.from_xml(sample.to_xml())
    assert again == sample
    assert b"<t:Sample" in sample.to_xml()
    assert b"<lgc:MessageId>" in sample.to_xml()


def test_document_prefixes_are_kept() -> None:
    doc = DOC.replace("<t:", "<x:").replace("</t:", "</x:").replace("xmlns:t=", "xmlns:x=")
    sample = Sample.from_xml(doc.encode())
    assert b"<x:Sample" in sample.to_xml()
    assert Sample.from_xml(sample.to_xml()) == sample


@pytest.mark.parametrize(
    ("old", "new", "kind"),
    [
        ("<t:Total> 12.5 </t:Total>", "", "missing"),
        ("<t:Note>two</t:Note>", "<t:Note>two</t:Note><t:Other/>", "xml.unexpected-element"),
        (
            "<t:Total> 12.5 </t:Total>",
            "<t:Total>1</t:Total><t:Total>2</t:Total>",
            "xml.element-order",
        ),
        (
            '<t:Charge currency="GBP">3.00</t:Charge>',
            "",
            None,
        ),
        (
            "<lgc:Sender>W06000001</lgc:Sender>",
            "<lgc:Sender>X1</lgc:Sender>",
            "string_pattern_mismatch",
        ),
        ('SchemaVersion="1.0"', 'SchemaVersion="1.0" Extra="x"', "xml.unexpected-attribute"),
        (
            "<t:Note>two</t:Note>",
            "<t:Note>a</t:Note><t:Note>b</t:Note><t:Note>c</t:Note>",
            "too_long",
        ),
        (
            "<lgc:Postcode>AA9A 9AA</lgc:Postcode>",
            "<lgc:Postcode>aa9a 9aa</lgc:Postcode>",
            "postcode",
        ),
    ],
)
def test_model_rejects_what_the_shape_forbids(old: str, new: str, kind: str | None) -> None:
    doc = DOC.replace(old, new, 1).encode()
    if kind is None:
        Sample.from_xml(doc)
        return
    with pytest.raises(ValidationError) as info:
        Sample.from_xml(doc)
    assert kind in {e["type"] for e in info.value.errors()}


def test_out_of_order_elements_are_rejected() -> None:
    doc = DOC.replace("<t:Total> 12.5 </t:Total>", "").replace(
        "<t:Header>", "<t:Total>1.00</t:Total><t:Header>"
    )
    with pytest.raises(ValidationError):
        Sample.from_xml(doc.encode())


def test_wrong_root_and_unsafe_xml() -> None:
    with pytest.raises(ValidationError):
        Sample.from_xml(b'<t:Other xmlns:t="urn:test:binding"/>')
    with pytest.raises(XMLInputError):
        Sample.from_xml(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")


def test_python_construction_by_field_name_normalises() -> None:
    name = PersonName(family_name="Prawf", given_name=["Siân"])
    header = MessageHeader.model_validate(
        {"MessageId": "M-1", "Created": "2026-04-01T09:30:00+01:00", "Sender": "W06000001"}
    )
    sample = Sample(schema_version="1.0", header=header, name=name, total=Money("1"))
    assert Sample.from_xml(sample.to_xml()) == sample
