"""Small fake e-Pay messages for the exchange tests, made from the exchange cases' files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from lgstandards._resources import examples_root

CASES = examples_root() / "exchanges"
DAY = CASES / "epay-valid-day"


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def payment_request(request_id: str, *, message_id: str | None = None) -> bytes:
    """A valid PaymentRequest with its own requestId."""
    text = _text(DAY / "01-payment-request.xml").replace("REQ-0001", request_id)
    if message_id is not None:
        text = text.replace("PR-0001", message_id)
    return text.encode()


def payment_result(gateway_ref: str, request_id: str, status: str, amount: str = "170.50") -> bytes:
    """A PaymentResult of one payment."""
    text = _text(DAY / "03-payment-success.xml")
    text = text.replace("GW-TEST-0001", gateway_ref).replace("REQ-0001", request_id)
    text = text.replace(
        "<epay:Status>success</epay:Status>", f"<epay:Status>{status}</epay:Status>"
    )
    return text.replace(
        "<epay:Amount>170.50</epay:Amount>", f"<epay:Amount>{amount}</epay:Amount>"
    ).encode()


def payment_notification(gateway_ref: str, receipt: str) -> bytes:
    """A PaymentNotification (170.50) of one payment."""
    text = _text(DAY / "05-payment-notification.xml")
    return text.replace("GW-TEST-0001", gateway_ref).replace("RCPT-TEST-0001", receipt).encode()


def refund_request(refund_request_id: str, gateway_ref: str, amount: str) -> bytes:
    """A RefundRequest of part of a payment of 170.50."""
    text = _text(DAY / "06-refund-request.xml")
    text = text.replace("RFD-REQ-0001", refund_request_id).replace("GW-TEST-0001", gateway_ref)
    return text.replace(
        "<epay:RefundAmount>45.00</epay:RefundAmount>",
        f"<epay:RefundAmount>{amount}</epay:RefundAmount>",
    ).encode()


def refund_notification(
    refund_id: str, gateway_ref: str, refund_request_id: str, amount: str, status: str
) -> bytes:
    """A RefundNotification."""
    text = _text(DAY / "07-refund-notification.xml")
    text = text.replace("GW-RFD-0001", refund_id).replace("GW-TEST-0001", gateway_ref)
    text = text.replace("RFD-REQ-0001", refund_request_id)
    text = text.replace("<epay:Amount>45.00</epay:Amount>", f"<epay:Amount>{amount}</epay:Amount>")
    return text.replace(
        "<epay:Status>success</epay:Status>", f"<epay:Status>{status}</epay:Status>"
    ).encode()


def history(count: int) -> list[bytes]:
    """A history of ``count`` payments: request, result, notification, refund each."""
    found: list[bytes] = []
    for n in range(count):
        ref, req = f"GW-KILL-{n:04d}", f"REQ-KILL-{n:04d}"
        found.append(payment_request(req))
        found.append(payment_result(ref, req, "success"))
        found.append(payment_notification(ref, f"RCPT-KILL-{n:04d}"))
        found.append(refund_request(f"RFD-KILL-{n:04d}", ref, "10.00"))
    return found


#: The columns of each table that describe ledger state (no ids, times or salted hashes).
STATE_COLUMNS = {
    "documents": ("sha256", "kind", "council", "accepted", "errors", "report"),
    "payment_requests": ("council", "calling_app", "request_id", "amount_pence"),
    "payments": (
        "council",
        "gateway_ref",
        "request_id",
        "state",
        "amount_pence",
        "receipt_number",
        "transaction_date",
    ),
    "refunds": ("council", "refund_request_id", "refund_id", "amount_pence", "state", "created"),
    "claims": ("council", "reference", "submission_id"),
    "govtalk_submissions": ("party", "transaction_id", "correlation_id", "state"),
    "govtalk_transactions": ("party", "day", "transaction_id"),
    "files": ("council", "kind", "file_id", "sequence"),
    "payouts": (
        "council",
        "payout_id",
        "reference",
        "amount_pence",
        "currency",
        "expected",
        "statement_ref",
        "entry_ref",
    ),
    "bank_statements": ("council", "message", "statement_id"),
}


def ledger_state(url: str, *, leave_out: tuple[str, ...] = ()) -> str:
    """Return a digest of the ledger's state: every table's rows, ids and times left out.

    ``leave_out``: tables not compared (``documents``, when the histories differ in what
    was received but must not in what it changed).
    """
    from lgstandards.exchange.ledger import TABLES, ledger_url

    engine = sa.create_engine(ledger_url(url))
    try:
        data: dict[str, Any] = {}
        with engine.connect() as conn:
            for table, columns in STATE_COLUMNS.items():
                if table in leave_out:
                    continue
                t = TABLES[table]
                rows = conn.execute(sa.select(*(t.c[c] for c in columns)).order_by(t.c.id)).all()
                shown = [[str(v) for v in row] for row in rows]
                data[table] = shown if table == "documents" else sorted(shown)
    finally:
        engine.dispose()
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
