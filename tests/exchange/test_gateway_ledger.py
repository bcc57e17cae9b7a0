"""The GovTalk test gateway records what a client's envelope says, however long, on both ledgers.

The gateway keeps each submission's sender, TransactionID and class for its page. They
come from the client, refused submissions included, so no length the database would
refuse may stand between a bad envelope and its error answer.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import etree

from lgstandards.exchange.ledger import ledger_url
from lgstandards.service.gateway import Gateway, gateway_table
from lgstandards.service.settings import Settings

PROTOCOL = Path(__file__).resolve().parents[2] / "examples/exchanges/govtalk-submission-protocol"
GT = "{http://www.govtalk.gov.uk/CM/envelope}"
#: The envelope values the gateway records, with the example's value and the column.
RECORDED = {
    "SenderID": ("LGS-TEST-USER", "sender"),
    "TransactionID": ("A0000001", "transaction_id"),
    "Class": ("LGS-EPAY-PAYREQ", "message_class"),
}
RECORDED_COLUMNS = {column for _, column in RECORDED.values()}


@pytest.mark.parametrize("length", [65, 33, 5000])
@pytest.mark.parametrize("element", sorted(RECORDED))
def test_a_long_envelope_value_is_answered_and_recorded_whole(
    ledger: str, element: str, length: int
) -> None:
    example, column = RECORDED[element]
    value = "Ŵ" + "X" * (length - 1)  # not ASCII: a character limit, not bytes, is at stake
    data = (PROTOCOL / "01-submit.xml").read_bytes()
    data = data.replace(f"<gt:{element}>{example}<".encode(), f"<gt:{element}>{value}<".encode())
    assert value.encode() in data
    gateway = Gateway(Settings(ledger=ledger))
    try:
        answer = etree.fromstring(gateway.handle(data))
        qualifier = answer.findtext(f"{GT}Header/{GT}MessageDetails/{GT}Qualifier")
        assert qualifier in ("error", "acknowledgement")
        with gateway.exchange.engine.begin() as conn:
            (row,) = conn.execute(sa.select(gateway_table)).mappings().all()
        assert row[column] == value
        assert row["state"] == ("refused" if qualifier == "error" else "acknowledged")
        assert [shown[column] for shown in gateway.recent() if column in shown] in ([], [value])
    finally:
        gateway.close()


@pytest.mark.parametrize("sender", ["S" * 65, "W9999\x009999", ""])
def test_a_sender_the_ledger_cannot_keep_is_a_value_error(ledger: str, sender: str) -> None:
    gateway = Gateway(Settings(ledger=ledger))
    try:
        with pytest.raises(ValueError, match="sender id"):
            gateway.handle((PROTOCOL / "01-submit.xml").read_bytes(), sender)
        assert gateway.recent() == []
    finally:
        gateway.close()


def test_an_earlier_versions_table_is_widened_and_keeps_its_rows(ledger: str) -> None:
    """A ``service_gateway`` table with the old lengths takes long values once reopened."""
    engine = sa.create_engine(ledger_url(ledger))
    old = sa.MetaData()
    columns = [
        sa.Column(c.name, sa.String(64 if c.name == "sender" else 32))
        if c.name in RECORDED_COLUMNS
        else c._copy()
        for c in gateway_table.columns
    ]
    table = sa.Table(gateway_table.name, old, *columns)
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(
            sa.insert(table).values(
                correlation_id="0" * 32,
                sender="LGS-TEST-USER",
                received=sa.func.now(),
                state="acknowledged",
                errors=0,
                warnings=0,
            )
        )
    engine.dispose()
    value = "Ŵ" + "X" * 99
    data = (PROTOCOL / "01-submit.xml").read_bytes()
    data = data.replace(b"<gt:SenderID>LGS-TEST-USER<", f"<gt:SenderID>{value}<".encode())
    gateway = Gateway(Settings(ledger=ledger))
    try:
        etree.fromstring(gateway.handle(data))
        with gateway.exchange.engine.begin() as conn:
            senders = conn.execute(sa.select(gateway_table.c.sender)).scalars().all()
        assert sorted(senders) == sorted(["LGS-TEST-USER", value])
    finally:
        gateway.close()
