"""Message models: JSON Schema export, GovTalk wrapping, kinds, Python construction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from lxml import etree
from pydantic import ValidationError

from lgstandards.artefacts.catalogue import entry_for_kind
from lgstandards.artefacts.schemas import lxml_schema
from lgstandards.models import epay, govtalk, model_for_kind, transactions
from lgstandards.models.common import MessageHeader

ALL = [*epay.MESSAGES.values(), *transactions.MESSAGES.values(), govtalk.GovTalkMessage]


@pytest.mark.parametrize("model", ALL, ids=lambda m: m.__name__)
def test_json_schema_uses_the_xml_names(model: type) -> None:
    schema = model.model_json_schema()  # type: ignore[attr-defined]
    assert schema["type"] == "object"
    assert all(name[:1].isupper() for name in schema["properties"])


@pytest.mark.parametrize("kind", sorted(epay.MESSAGES))
def test_model_for_kind(kind: str) -> None:
    model = model_for_kind(kind)
    assert model is epay.MESSAGES[kind]
    entry = entry_for_kind(kind)
    assert model.xml_root == entry.root_for_kind(kind)


def _header() -> MessageHeader:
    return MessageHeader(
        message_id="M-1",
        created=dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC),
        sender="W99999999",
    )


def test_status_query_needs_exactly_one_reference() -> None:
    epay.PaymentStatusQuery(header=_header(), query_id="Q-1", gateway_reference="GW-1")
    with pytest.raises(ValidationError):
        epay.PaymentStatusQuery(header=_header(), query_id="Q-1")
    with pytest.raises(ValidationError):
        epay.PaymentStatusQuery(
            header=_header(),
            query_id="Q-1",
            gateway_reference="GW-1",
            calling_application_reference="R-1",
        )


def test_wrap_puts_a_message_in_a_valid_envelope() -> None:
    query = epay.PaymentStatusQuery(header=_header(), query_id="Q-1", gateway_reference="GW-1")
    envelope = govtalk.GovTalkMessage.wrap(query, keys={"CouncilId": "W99999999"})
    assert envelope.header.message_details.class_ == "LGS-EPAY-PAYMENTSTATUSQUERY"
    xml = envelope.to_xml()
    tree = etree.fromstring(xml)
    assert lxml_schema("govtalk.envelope").validate(tree)
    again = govtalk.GovTalkMessage.from_xml(xml)
    assert again == envelope
    assert again.messages() == [query]
    body = tree.find("{http://www.govtalk.gov.uk/CM/envelope}Body")
    assert body is not None
    assert lxml_schema("epay.status-query").validate(body[0])


def test_unknown_body_content_is_kept_raw() -> None:
    xml = (
        b'<gt:GovTalkMessage xmlns:gt="http://www.govtalk.gov.uk/CM/envelope">'
        b"<gt:EnvelopeVersion>2.0</gt:EnvelopeVersion><gt:Header><gt:MessageDetails>"
        b"<gt:Class>HMRC-CHAR-CLM</gt:Class><gt:Qualifier>request</gt:Qualifier>"
        b"</gt:MessageDetails></gt:Header><gt:GovTalkDetails/>"
        b'<gt:Body><x:Other xmlns:x="urn:x"><x:A>1</x:A></x:Other></gt:Body></gt:GovTalkMessage>'
    )
    envelope = govtalk.GovTalkMessage.from_xml(xml)
    assert envelope.messages() == []
    assert envelope.body is not None
    (raw,) = envelope.body.content
    assert b"<x:A>1</x:A>" in bytes(raw)
    assert govtalk.GovTalkMessage.from_xml(envelope.to_xml()) == envelope


def test_python_defaults_write_required_xml() -> None:
    line = epay.PaymentLine(
        line_id="1",
        fund_code="PCN",
        account_reference="ZZ12345678",
        description="Parking",
        amount=Decimal(35),
    )
    request = epay.PaymentRequest(
        header=_header(),
        request_id="R-1",
        calling_application_id="A",
        calling_application_reference="B",
        channel="ECOM",
        return_url="https://example.org/r",
        line=[line],
        sale_total=Decimal("35.00"),
    )
    xml = request.to_xml()
    assert b'SchemaVersion="1.0"' in xml
    assert b"<epay:Currency>GBP</epay:Currency>" in xml
    assert b"<epay:Amount>35.00</epay:Amount>" in xml
    assert lxml_schema("epay.payment-request").validate(etree.fromstring(xml))


def test_iter_payment_records_streams_a_batch() -> None:
    from pathlib import Path

    from lgstandards._resources import examples_root

    path = examples_root() / "epay" / "valid" / "reconciliation-batch.xml"
    whole = epay.ReconciliationBatch.from_xml(path)
    streamed = list(epay.iter_payment_records(path))
    assert streamed == whole.payment_record
    assert list(epay.iter_payment_records(Path(path).read_bytes())) == whole.payment_record
