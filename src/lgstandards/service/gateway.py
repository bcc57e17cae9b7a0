"""The GovTalk test gateway: ``POST /submission`` speaks the Document Submission Protocol.

The protocol of domain.md 5.1, played by the gateway's side, on the exchange ledger
(:class:`lgstandards.exchange.Exchange`), so the stateful rules apply across a sender's
submissions (a requestId used twice, a refund of more than was paid ...):

* ``request``/``submit``: the message is checked (validation and the stateful rules). A
  message with an error is refused at once: an ``error`` message whose GovTalkErrors are
  the findings. Otherwise the gateway answers an ``acknowledgement`` with a new
  CorrelationID and ``ResponseEndPoint/@PollInterval``, and prepares the response.
* ``poll`` with that CorrelationID: before the poll interval has passed, the
  acknowledgement again; then the ``response``, whose GovTalkErrors are the findings
  (warnings as ``warning``).
* ``request``/``delete``: the gateway confirms with a ``response``/``delete`` and forgets
  the response.

A poll, response or delete that breaks the protocol (an unknown CorrelationID, a poll
after the delete) is refused with an ``error`` naming COM-R002/R003. Findings map to
GovTalk error types as domain.md 6.5 says: an error in the structure or the envelope is
``fatal``, an error in the content ``business``, a warning ``warning``. The gateway's
own messages go through the exchange too, so the ledger holds the whole conversation.

The gateway keeps, beside the exchange's tables, one table of its own
(``service_gateway``): each submission's sender, CorrelationID, state and prepared
response (removed when the client deletes it, and with the record after
``Settings.response_days`` when the client never does). Every call is serialised by a lock:
the exchange holds one connection.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from lxml import etree
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from lgstandards._xmlvalues import find_value, string_value
from lgstandards.codes import issue
from lgstandards.exchange.ledger import checked_sender
from lgstandards.models.irmark import GOVTALK_NS as GT_NS
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.service.core import Problem, read_body, service_of
from lgstandards.service.settings import Settings

GT = f"{{{GT_NS}}}"
#: Who raises the gateway's errors, in GovTalkErrors/Error/RaisedBy.
RAISED_BY = "Gateway"
#: The issue codes that are faults of the structure or the envelope (GovTalk ``fatal``).
_FATAL_PREFIXES = ("io.", "xml.", "xsd.", "kind.", "report.", "internal.")
_FATAL_RULES = frozenset(f"rule.COM-R00{n}" for n in range(1, 8))
#: The most submissions the gateway page lists.
RECENT = 200

_metadata = sa.MetaData()
gateway_table = sa.Table(
    "service_gateway",
    _metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("correlation_id", sa.String(32), unique=True),
    # What the client's envelope says, kept as it came (a refused submission's too, however
    # long: the body's size limit bounds it), so unbounded text, not a length the
    # database would refuse.
    sa.Column("sender", sa.Text),
    sa.Column("transaction_id", sa.Text),
    sa.Column("message_class", sa.Text),
    sa.Column("received", sa.DateTime, nullable=False, index=True),
    sa.Column("poll_after", sa.DateTime),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("response", sa.LargeBinary),
)
#: The columns an earlier version made with a length (32 or 64 characters).
_UNBOUNDED = ("sender", "transaction_id", "message_class")


def _widen(conn: sa.Connection) -> None:
    """Make the envelope columns of an earlier version's table unbounded text.

    Before, ``service_gateway`` kept them in ``VARCHAR(64)`` and ``VARCHAR(32)``: a long
    value made PostgreSQL refuse the record, and the client got a server error instead
    of its error answer. SQLite never enforced the lengths; it needs no change.
    """
    if conn.dialect.name == "sqlite":
        return
    columns = sa.inspect(conn).get_columns(gateway_table.name)
    for column in columns:
        length = getattr(column["type"], "length", None)
        if column["name"] in _UNBOUNDED and length is not None:
            conn.execute(
                sa.text(f"ALTER TABLE {gateway_table.name} ALTER COLUMN {column['name']} TYPE TEXT")
            )


def error_type(issue: Issue) -> str | None:
    """Return the GovTalk error type of a finding (domain.md 6.5); None for a note."""
    if issue.severity is Severity.WARNING:
        return "warning"
    if issue.severity is not Severity.ERROR:
        return None
    fatal = issue.code.startswith(_FATAL_PREFIXES) or issue.code in _FATAL_RULES
    return "fatal" if fatal or issue.code in ("rule.COM-R002", "rule.COM-R003") else "business"


@dataclass(frozen=True, slots=True)
class Details:
    """What the gateway reads of a client's envelope."""

    message_class: str | None
    qualifier: str | None
    function: str | None
    transaction_id: str | None
    correlation_id: str | None
    sender_id: str | None
    keys: Any


def read_details(data: bytes) -> Details | None:
    """Return the message details of a GovTalk envelope (safe parser); None if it is none."""
    from lgstandards.safexml import XMLInputError, parse_bytes

    try:
        root = parse_bytes(data, name="submission").getroot()
    except XMLInputError:
        return None
    if root.tag != f"{GT}GovTalkMessage":
        return None

    def text(path: str) -> str | None:
        value = (find_value(root, path) or "").strip()
        return value or None

    details = f"{GT}Header/{GT}MessageDetails/{GT}"
    return Details(
        text(f"{details}Class"),
        text(f"{details}Qualifier"),
        text(f"{details}Function"),
        text(f"{details}TransactionID"),
        text(f"{details}CorrelationID"),
        text(f"{GT}Header/{GT}SenderDetails/{GT}IDAuthentication/{GT}SenderID"),
        root.find(f"{GT}GovTalkDetails/{GT}Keys"),
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)


def message(
    details: Details | None,
    qualifier: str,
    function: str | None,
    *,
    correlation_id: str | None = None,
    poll_interval: int | None = None,
    findings: list[Issue] | None = None,
) -> bytes:
    """Return one of the gateway's GovTalk messages (acknowledgement, response or error)."""

    def sub(parent: Any, name: str, value: str | None = None) -> Any:
        element = etree.SubElement(parent, f"{GT}{name}")
        if value is not None:
            element.text = value
        return element

    root = etree.Element(f"{GT}GovTalkMessage", nsmap={"gt": GT_NS})
    sub(root, "EnvelopeVersion", "2.0")
    header = sub(root, "Header")
    info = sub(header, "MessageDetails")
    sub(info, "Class", (details.message_class if details else None) or "UNKNOWN")
    sub(info, "Qualifier", qualifier)
    if function:
        sub(info, "Function", function)
    if details is not None and details.transaction_id:
        sub(info, "TransactionID", details.transaction_id)
    if correlation_id:
        sub(info, "CorrelationID", correlation_id)
    if poll_interval is not None:
        sub(info, "ResponseEndPoint").set("PollInterval", str(poll_interval))
    sub(info, "GatewayTest", "1")
    sub(info, "GatewayTimestamp", _now().isoformat() + "Z")
    govtalk = sub(root, "GovTalkDetails")
    if details is not None and details.keys is not None:
        keys = sub(govtalk, "Keys")
        for key in details.keys.findall(f"{GT}Key"):
            copy = sub(keys, "Key", string_value(key))
            if key.get("Type") is not None:
                copy.set("Type", key.get("Type"))
    errors = [(i, error_type(i)) for i in findings or ()]
    shown = [(i, kind) for i, kind in errors if kind is not None]
    if shown:
        holder = sub(govtalk, "GovTalkErrors")
        for issue, kind in shown:
            error = sub(holder, "Error")
            sub(error, "RaisedBy", RAISED_BY)
            sub(error, "Type", kind)
            sub(error, "Text", f"[{issue.code}] {issue.message}")
            if issue.path or issue.line:
                where = issue.path or ""
                sub(error, "Location", f"{where} (line {issue.line})" if issue.line else where)
    sub(root, "Body")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


class Gateway:
    """The test gateway of one service process, on its exchange ledger."""

    def __init__(self, settings: Settings) -> None:
        from lgstandards.exchange import Exchange

        self.settings = settings
        self.exchange = Exchange(
            settings.ledger,
            keep_documents=settings.keep_documents,
            retention=settings.retention_days if settings.keep_documents else None,
        )
        self.lock = threading.Lock()
        with self.exchange.engine.begin() as conn:
            _metadata.create_all(conn)
            _widen(conn)

    def close(self) -> None:
        """Close the ledger."""
        self.exchange.close()

    def _check(self, data: bytes, name: str, sender: str | None) -> ValidationReport:
        return self.exchange.check(data, name=name, sender=sender)

    def handle(self, data: bytes, sender: str | None = None) -> bytes:
        """Answer one client message (``sender``: the authenticated organisation, if any)."""
        with self.lock:
            details = read_details(data)
            if details is None:
                report = self._check(data, "submission", sender)
                refusal = illegal_move(_root_name(data), None)
                return message(None, "error", None, findings=_errors_or(report, refusal))
            move = (details.qualifier, details.function)
            if move == ("request", "submit"):
                return self._submit(data, details, sender)
            if details.qualifier == "poll":
                return self._poll(data, details, sender)
            if move == ("request", "delete"):
                return self._delete(data, details, sender)
            report = self._check(data, f"{details.qualifier} {details.function}", sender)
            unsupported = illegal_move(
                f"{details.qualifier}/{details.function}", details.correlation_id
            )
            return message(
                details, "error", details.function, findings=[*report.issues, unsupported]
            )

    def _record(self, conn: sa.Connection, details: Details, **values: Any) -> None:
        expired = _now() - dt.timedelta(days=self.settings.response_days)
        conn.execute(gateway_table.delete().where(gateway_table.c.received < expired))
        conn.execute(
            gateway_table.insert().values(
                sender=details.sender_id,
                transaction_id=details.transaction_id,
                message_class=details.message_class,
                received=_now(),
                **values,
            )
        )

    def _submit(self, data: bytes, details: Details, sender: str | None) -> bytes:
        report = self._check(data, f"submission {details.transaction_id or ''}".strip(), sender)
        counts = report.counts()
        if not report.ok:
            answer = message(details, "error", "submit", findings=report.issues)
            with self.exchange.engine.begin() as conn:
                self._record(
                    conn,
                    details,
                    state="refused",
                    errors=counts["error"],
                    warnings=counts["warning"],
                )
            return answer
        correlation_id = uuid.uuid4().hex.upper()
        interval = self.settings.poll_interval
        ack = message(
            details,
            "acknowledgement",
            "submit",
            correlation_id=correlation_id,
            poll_interval=interval,
        )
        self._check(ack, f"acknowledgement {correlation_id}", None)
        response = message(
            details, "response", "submit", correlation_id=correlation_id, findings=report.issues
        )
        with self.exchange.engine.begin() as conn:
            self._record(
                conn,
                details,
                correlation_id=correlation_id,
                poll_after=_now() + dt.timedelta(seconds=interval),
                state="acknowledged",
                errors=counts["error"],
                warnings=counts["warning"],
                response=response,
            )
        return ack

    def _row(self, correlation_id: str | None) -> Any:
        if not correlation_id:
            return None
        with self.exchange.engine.begin() as conn:
            return conn.execute(
                sa.select(gateway_table).where(gateway_table.c.correlation_id == correlation_id)
            ).first()

    def _set(self, row_id: int, **values: Any) -> None:
        with self.exchange.engine.begin() as conn:
            conn.execute(
                gateway_table.update().where(gateway_table.c.id == row_id).values(**values)
            )

    def _poll(self, data: bytes, details: Details, sender: str | None) -> bytes:
        report = self._check(data, f"poll {details.correlation_id or ''}".strip(), sender)
        row = self._row(details.correlation_id)
        if not report.ok or row is None or row.response is None:
            return message(
                details,
                "error",
                details.function,
                correlation_id=details.correlation_id,
                findings=_errors_or(report, unknown_correlation(details)),
            )
        if _now() < row.poll_after:
            ack = message(
                details,
                "acknowledgement",
                "submit",
                correlation_id=row.correlation_id,
                poll_interval=self.settings.poll_interval,
            )
            self._check(ack, f"acknowledgement {row.correlation_id}", None)
            return ack
        response: bytes = row.response
        self._check(response, f"response {row.correlation_id}", None)
        self._set(row.id, state="responded")
        return response

    def _delete(self, data: bytes, details: Details, sender: str | None) -> bytes:
        report = self._check(data, f"delete {details.correlation_id or ''}".strip(), sender)
        row = self._row(details.correlation_id)
        if not report.ok or row is None:
            return message(
                details,
                "error",
                "delete",
                correlation_id=details.correlation_id,
                findings=_errors_or(report, unknown_correlation(details)),
            )
        answer = message(details, "response", "delete", correlation_id=row.correlation_id)
        self._check(answer, f"delete response {row.correlation_id}", None)
        self._set(row.id, state="deleted", response=None)
        return answer

    def recent(self) -> list[dict[str, Any]]:
        """Return the latest submissions (newest first), for the gateway's page."""
        with self.lock, self.exchange.engine.begin() as conn:
            rows = conn.execute(
                sa.select(
                    gateway_table.c.sender,
                    gateway_table.c.correlation_id,
                    gateway_table.c.message_class,
                    gateway_table.c.received,
                    gateway_table.c.state,
                    gateway_table.c.errors,
                    gateway_table.c.warnings,
                )
                .order_by(gateway_table.c.id.desc())
                .limit(RECENT)
            ).all()
        return [{**row._asdict(), "received": row.received.isoformat() + "Z"} for row in rows]


def _errors_or(report: ValidationReport, refusal: Issue) -> list[Issue]:
    """Return the report's issues, with the gateway's ``refusal`` when the report has no error."""
    return list(report.issues) if not report.ok else [*report.issues, refusal]


def illegal_move(move: str, correlation_id: str | None) -> Issue:
    """Return the COM-R002 finding of a message the test gateway does not answer."""
    from lgstandards.exchange.rules import SUBMISSION_STATES

    english, welsh = SUBMISSION_STATES["none"]
    return issue(
        "rule.COM-R002",
        stateful=True,
        move=move,
        correlation_id=correlation_id or "?",
        state=english,
        state_cy=welsh,
    )


def unknown_correlation(details: Details) -> Issue:
    """Return the COM-R003 finding of a poll or delete that no prepared answer awaits."""
    return issue(
        "rule.COM-R003",
        stateful=True,
        correlation_id=details.correlation_id or "?",
        qualifier=details.qualifier or "?",
    )


def _root_name(data: bytes) -> str:
    """Return the local name of the document's root element ("?" when there is none)."""
    from lgstandards.validation.input import root_of

    found = root_of(data)
    return found[1] if found else "?"


async def submission(request: Request) -> Response:
    """POST /submission: one message of the Document Submission Protocol; the gateway's answer."""
    service = service_of(request)
    body = await read_body(request)
    try:
        sender = checked_sender(request.query_params.get("sender") or None)
    except ValueError as exc:
        raise Problem(400, "Bad sender", f"the sender query parameter: {exc}") from None
    answer = await service.run(service.gateway.handle, body, sender)
    return Response(answer, media_type="application/xml")


def routes() -> list[BaseRoute]:
    """Return the gateway's routes."""
    return [Route("/submission", submission, methods=["POST"])]


__all__ = ["Gateway", "error_type", "gateway_table", "message", "read_details", "routes"]
