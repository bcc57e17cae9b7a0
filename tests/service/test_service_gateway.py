"""The GovTalk test gateway: the Document Submission Protocol on the exchange ledger."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import httpx
import pytest
from lxml import etree
from service_support import ROOT

from lgstandards import validate
from lgstandards.report import Issue, Severity
from lgstandards.service.gateway import Gateway, error_type
from lgstandards.service.settings import Settings

GT = "{http://www.govtalk.gov.uk/CM/envelope}"
PROTOCOL = ROOT / "examples" / "exchanges" / "govtalk-submission-protocol"


def _fresh_ids() -> tuple[str, str]:
    """A TransactionID (hex) and a requestId no other test uses (the ledger is shared)."""
    token = uuid.uuid4().hex.upper()
    return token[:16], f"REQ-{token[:12]}"


def submit_message(transaction_id: str, request_id: str, *, amount: str = "125.50") -> bytes:
    text = (PROTOCOL / "01-submit.xml").read_text("utf-8")
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (
        text.replace("A0000001", transaction_id)
        .replace("REQ-GT-0001", request_id)
        .replace("2026-04-01T10:00:00Z", today)
        .replace("<epay:Amount>125.50</epay:Amount>", f"<epay:Amount>{amount}</epay:Amount>")
    )
    return text.encode("utf-8")


def client_message(name: str, transaction_id: str, correlation_id: str) -> bytes:
    text = (PROTOCOL / name).read_text("utf-8")
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        text.replace("C0000001", correlation_id)
        .replace("A0000002", transaction_id)
        .replace("A0000004", transaction_id)
        .replace("2026-04-01T10:00:00Z", today)
        .encode("utf-8")
    )


def details(answer: bytes) -> dict[str, str | None]:
    root = etree.fromstring(answer)
    info = root.find(f"{GT}Header/{GT}MessageDetails")
    assert info is not None

    def text(name: str) -> str | None:
        found = info.find(f"{GT}{name}")
        return found.text if found is not None else None

    endpoint = info.find(f"{GT}ResponseEndPoint")
    return {
        "qualifier": text("Qualifier"),
        "function": text("Function"),
        "correlation": text("CorrelationID"),
        "poll": endpoint.get("PollInterval") if endpoint is not None else None,
    }


def errors(answer: bytes) -> list[tuple[str, str]]:
    """Return (type, text) of each GovTalkErrors/Error."""
    root = etree.fromstring(answer)
    return [
        (e.findtext(f"{GT}Type") or "", e.findtext(f"{GT}Text") or "")
        for e in root.iter(f"{GT}Error")
    ]


def test_submit_poll_response_delete(client: httpx.Client) -> None:
    transaction_id, request_id = _fresh_ids()
    ack = client.post("/submission", content=submit_message(transaction_id, request_id))
    assert ack.status_code == 200
    assert ack.headers["content-type"].startswith("application/xml")
    got = details(ack.content)
    assert got["qualifier"] == "acknowledgement"
    assert got["poll"] == "0"
    correlation = got["correlation"]
    assert correlation is not None
    assert len(correlation) == 32
    # Every message of the gateway is a valid GovTalk envelope.
    assert validate(ack.content).ok
    poll = client_message("03-poll.xml", _fresh_ids()[0], correlation)
    response = client.post("/submission", content=poll)
    got = details(response.content)
    assert (got["qualifier"], got["correlation"]) == ("response", correlation)
    assert validate(response.content).ok
    delete = client_message("07-delete.xml", _fresh_ids()[0], correlation)
    deleted = client.post("/submission", content=delete)
    got = details(deleted.content)
    assert (got["qualifier"], got["function"]) == ("response", "delete")
    # After the delete, a poll breaks the protocol.
    again = client.post(
        "/submission", content=client_message("03-poll.xml", _fresh_ids()[0], correlation)
    )
    assert details(again.content)["qualifier"] == "error"
    assert any("rule.COM-R002" in text and kind == "fatal" for kind, text in errors(again.content))
    page = client.get("/gateway")
    assert correlation in page.text
    assert "LGS-TEST-USER" in page.text


def test_poll_with_an_unknown_correlation_id_is_refused(client: httpx.Client) -> None:
    unknown = uuid.uuid4().hex.upper()
    answer = client.post(
        "/submission", content=client_message("03-poll.xml", _fresh_ids()[0], unknown)
    )
    assert details(answer.content)["qualifier"] == "error"
    found = errors(answer.content)
    assert any(kind == "fatal" and "rule.COM-R003" in text for kind, text in found)


def test_stateful_rules_across_a_senders_submissions(client: httpx.Client) -> None:
    transaction_id, request_id = _fresh_ids()
    first = client.post("/submission", content=submit_message(transaction_id, request_id))
    assert details(first.content)["qualifier"] == "acknowledgement"
    # The same requestId in a new submission: EPAY-R017, a business error, refused at once.
    second = client.post("/submission", content=submit_message(_fresh_ids()[0], request_id))
    assert details(second.content)["qualifier"] == "error"
    assert details(second.content)["correlation"] is None
    assert ("business", next(t for _, t in errors(second.content) if "EPAY-R017" in t)) in errors(
        second.content
    )
    # The same TransactionID again the same day: COM-R004, an envelope fault (fatal).
    third = client.post("/submission", content=submit_message(transaction_id, _fresh_ids()[1]))
    assert any(k == "fatal" and "rule.COM-R004" in t for k, t in errors(third.content))


def test_invalid_submissions_are_refused_with_fatal_or_business_errors(
    client: httpx.Client,
) -> None:
    broken = client.post("/submission", content=b"<gt:GovTalkMessage")
    assert details(broken.content)["qualifier"] == "error"
    assert [k for k, _ in errors(broken.content)] == ["fatal"]
    transaction_id, request_id = _fresh_ids()
    wrong_total = submit_message(transaction_id, request_id, amount="1.00")  # EPAY-R001
    answer = client.post("/submission", content=wrong_total)
    found = errors(answer.content)
    assert any(k == "business" and "rule.EPAY-R001" in t for k, t in found)
    assert validate(answer.content).ok


def test_unsupported_moves_are_refused(client: httpx.Client) -> None:
    text = submit_message(*_fresh_ids()).replace(b">submit<", b">list<")
    answer = client.post("/submission", content=text)
    assert details(answer.content)["qualifier"] == "error"


@pytest.mark.parametrize(
    ("code", "severity", "expected"),
    [
        ("xml.truncated", Severity.ERROR, "fatal"),
        ("xsd.pattern", Severity.ERROR, "fatal"),
        ("rule.COM-R001", Severity.ERROR, "fatal"),
        ("rule.COM-R003", Severity.ERROR, "fatal"),
        ("rule.EPAY-R001", Severity.ERROR, "business"),
        ("vocab.unknown-code", Severity.ERROR, "business"),
        ("rule.COM-R019", Severity.WARNING, "warning"),
        ("rule.EPAY-R001", Severity.INFO, None),
    ],
)
def test_error_types_follow_the_domain_notes(
    code: str, severity: Severity, expected: str | None
) -> None:
    assert error_type(Issue(code, severity, "m")) == expected


@pytest.fixture
def slow_gateway() -> Iterator[Gateway]:
    gateway = Gateway(Settings(poll_interval=3600))
    yield gateway
    gateway.close()


def test_poll_before_the_interval_gets_the_acknowledgement_again(slow_gateway: Gateway) -> None:
    transaction_id, request_id = _fresh_ids()
    ack = slow_gateway.handle(submit_message(transaction_id, request_id))
    got = details(ack)
    assert got["poll"] == "3600"
    correlation = got["correlation"]
    assert correlation is not None
    poll = client_message("03-poll.xml", _fresh_ids()[0], correlation)
    again = details(slow_gateway.handle(poll))
    assert (again["qualifier"], again["correlation"]) == ("acknowledgement", correlation)
    rows = slow_gateway.recent()
    assert rows[0]["state"] == "acknowledged"
    assert rows[0]["sender"] == "LGS-TEST-USER"


def test_warnings_reach_the_response_as_warnings(client: httpx.Client) -> None:
    transaction_id, request_id = _fresh_ids()
    message = submit_message(transaction_id, request_id)
    stamp = etree.fromstring(message).find(f".//{GT}GatewayTimestamp")
    assert stamp is not None
    future = message.replace(f">{stamp.text}<".encode(), b">2099-01-01T00:00:00Z<")  # COM-R005
    ack = client.post("/submission", content=future)
    correlation = details(ack.content)["correlation"]
    assert correlation is not None
    poll = client_message("03-poll.xml", _fresh_ids()[0], correlation)
    response = client.post("/submission", content=poll)
    assert details(response.content)["qualifier"] == "response"
    assert [(k, t.split("]")[0]) for k, t in errors(response.content)] == [
        ("warning", "[rule.COM-R005")
    ]


def test_a_document_without_an_envelope_is_refused(client: httpx.Client) -> None:
    bare = (ROOT / "examples" / "epay" / "valid" / "status-query.xml").read_bytes()
    assert validate(bare).ok
    answer = client.post("/submission", content=bare)
    assert details(answer.content)["qualifier"] == "error"
    found = errors(answer.content)
    assert [k for k, _ in found] == ["fatal"]
    assert "rule.COM-R002" in found[0][1]
    assert "StatusQuery" in found[0][1]


def test_responses_never_deleted_expire_after_the_response_days() -> None:
    """A record older than ``response_days`` goes at the next submission; its poll is refused."""
    import sqlalchemy as sa

    from lgstandards.service.gateway import gateway_table

    gateway = Gateway(Settings(poll_interval=0, response_days=7))
    try:
        old_ack = details(gateway.handle(submit_message(*_fresh_ids())))
        kept_ack = details(gateway.handle(submit_message(*_fresh_ids())))
        old, kept = old_ack["correlation"], kept_ack["correlation"]
        assert old
        assert kept
        with gateway.exchange.engine.begin() as conn:
            for correlation, age in ((old, 8), (kept, 6)):
                conn.execute(
                    gateway_table.update()
                    .where(gateway_table.c.correlation_id == correlation)
                    .values(
                        received=dt.datetime.now(dt.UTC).replace(tzinfo=None)
                        - dt.timedelta(days=age)
                    )
                )
        gateway.handle(submit_message(*_fresh_ids()))
        with gateway.exchange.engine.begin() as conn:
            left = set(conn.execute(sa.select(gateway_table.c.correlation_id)).scalars())
        assert old not in left
        assert kept in left
        expired = details(gateway.handle(client_message("03-poll.xml", _fresh_ids()[0], old)))
        assert expired["qualifier"] == "error"
        answered = details(gateway.handle(client_message("03-poll.xml", _fresh_ids()[0], kept)))
        assert answered["qualifier"] == "response"
    finally:
        gateway.close()


@pytest.mark.parametrize("days", [0, -1])
def test_response_days_must_be_positive(days: int) -> None:
    with pytest.raises(ValueError, match="response_days"):
        Settings(response_days=days)


@pytest.mark.parametrize("sender", ["S" * 65, "W9999\x009999", "W9999\n9999"])
def test_a_sender_query_the_ledger_cannot_keep_is_a_bad_request(
    client: httpx.Client, sender: str
) -> None:
    """A problem (400) naming the parameter and why, not an internal error (500)."""
    answer = client.post(
        "/submission", params={"sender": sender}, content=submit_message(*_fresh_ids())
    )
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["title"] == "Bad sender"
    assert "sender query parameter" in problem["detail"]
    assert "sender id" in problem["detail"]
    # The longest sender is taken.
    taken = client.post(
        "/submission", params={"sender": "S" * 64}, content=submit_message(*_fresh_ids())
    )
    assert taken.status_code == 200
