"""The facts the stateful rules need, read from a parsed document.

A document is parsed by the safe parser (:func:`lgstandards.safexml.parse_bytes`);
for a GovTalk envelope the facts are the envelope's (Qualifier, Function,
CorrelationID, TransactionID, SenderID, GatewayTimestamp) and its Body's message's.
Values are read as the schemas read them (:mod:`lgstandards._xmlvalues`); a value out
of form reads as None and the rule that needs it says nothing (``validate`` has
reported it). Each fact keeps where it was found (its element) for its finding's line and path.

Personal data (a claimant's NINO and birth date) is held here only in memory, for the
keyed hash the ledger stores (:attr:`Claimant.key`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from contextlib import suppress
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from lgstandards._xmlvalues import (
    XML_SPACE,
    date_or_none,
    decimal_or_none,
    find_value,
    integer_or_none,
    string_value,
)
from lgstandards.exceptions import DocumentParseError
from lgstandards.exchange.bank import ExpectedPayout, payouts_of
from lgstandards.models.iso20022 import CAMT_NAMESPACES, BankStatement, statement_of

GT = "{http://www.govtalk.gov.uk/CM/envelope}"
EPAY = "{urn:lgstandards:epay:1}"
BEN = "{urn:lgstandards:ebenefits:1}"
LGC = "{urn:lgstandards:common:1}"
_NAMESPACES = {
    "urn:lgstandards:epay:1": "epay",
    "urn:lgstandards:ebenefits:1": "ebenefits",
}


class Where:
    """Where a fact was found: its element (a finding's line and path come from it)."""

    __slots__ = ("element",)

    def __init__(self, element: Any = None) -> None:
        self.element = element

    @classmethod
    def of(cls, element: Any) -> Where:
        """Return the location of an lxml element (None: nowhere)."""
        return cls(element)

    @property
    def line(self) -> int | None:
        """The element's line, None when unknown."""
        return None if self.element is None else self.element.sourceline


NOWHERE = Where()


@dataclass(frozen=True, slots=True)
class Envelope:
    """The GovTalk envelope's message details."""

    qualifier: str | None
    function: str | None
    correlation_id: str | None
    transaction_id: str | None
    sender_id: str | None
    day: dt.date | None
    where: Where


@dataclass(frozen=True, slots=True)
class Fund:
    """A fund code used in a message, and where."""

    code: str
    where: Where


@dataclass(frozen=True, slots=True)
class PaymentRequest:
    """An e-Pay PaymentRequest."""

    request_id: str | None
    calling_app: str | None
    amount: int | None
    where: Where


@dataclass(frozen=True, slots=True)
class PaymentResult:
    """An e-Pay PaymentResult: a payment's state as the gateway reports it."""

    gateway_ref: str | None
    request_id: str | None
    status: str | None
    amount: int | None
    transaction_date: dt.date | None
    where: Where


@dataclass(frozen=True, slots=True)
class PaymentNotification:
    """An e-Pay PaymentNotification: money received, with its receipt number."""

    receipt: str | None
    gateway_ref: str | None
    amount: int | None
    payment_date: dt.date | None
    where: Where


@dataclass(frozen=True, slots=True)
class RefundRequest:
    """An e-Pay RefundRequest."""

    refund_request_id: str | None
    gateway_ref: str | None
    amount: int | None
    where: Where


@dataclass(frozen=True, slots=True)
class RefundNotification:
    """An e-Pay RefundNotification: a refund's state as the gateway reports it."""

    refund_id: str | None
    gateway_ref: str | None
    refund_request_id: str | None
    amount: int | None
    status: str | None
    created: dt.date | None
    where: Where


@dataclass(frozen=True, slots=True)
class Record:
    """One record of a reconciliation batch."""

    record_type: str | None
    transaction_id: str | None
    receipt: str | None
    gross: int | None
    where: Where


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """An e-Pay ReconciliationBatch: its file id, sequence, period and records."""

    file_id: str | None
    sequence: int | None
    period_from: dt.date | None
    period_to: dt.date | None
    records: tuple[Record, ...]
    where: Where
    sequence_where: Where


@dataclass(frozen=True, slots=True)
class Claimant:
    """A claimant's NINO and birth date, only ever stored as a keyed hash."""

    nino: str
    birth_date: str

    def key(self, salt: bytes) -> str:
        """Return HMAC-SHA-256(salt, NINO and birth date) in hex: what the ledger stores."""
        message = f"{self.nino}\x1f{self.birth_date}".encode()
        return hmac.new(salt, message, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Claim:
    """A BenefitClaim (alone or a record of a bulk file)."""

    submission_id: str | None
    reference: str | None
    claimant: Claimant | None
    council: str | None
    council_where: Where


@dataclass(frozen=True, slots=True)
class BulkClaims:
    """An e-Benefits BulkClaims file."""

    batch_reference: str | None
    claims: tuple[Claim, ...]
    where: Where


@dataclass(frozen=True, slots=True)
class ClaimUse:
    """A message about an existing claim: change, evidence, status query or decision."""

    what: str
    reference: str | None
    claimant: Claimant | None
    where: Where


Message = (
    PaymentRequest
    | PaymentResult
    | PaymentNotification
    | RefundRequest
    | RefundNotification
    | Reconciliation
    | Claim
    | BulkClaims
    | ClaimUse
)


@dataclass(slots=True)
class Facts:
    """Everything the stateful rules read from one document."""

    kind: str | None = None
    council: str | None = None
    council_where: Where = NOWHERE
    created: dt.date | None = None
    envelope: Envelope | None = None
    message: Message | None = None
    funds: list[Fund] = field(default_factory=list)
    #: The payouts a Payout message or a batch's payout lines declare (bank reconciliation).
    payouts: tuple[ExpectedPayout, ...] = ()
    #: A camt.052, camt.053 or camt.054 document's view (bank reconciliation).
    statement: BankStatement | None = None


# ------------------------------------------------------------------ values
def _text(element: Any, path: str) -> str | None:
    """Return a token value (XSD collapses whitespace at the ends), None when absent or empty."""
    value = find_value(element, path)
    if value is None:
        return None
    value = value.strip(XML_SPACE)
    return value or None


def _exact(element: Any, path: str) -> str | None:
    """Return a string value exactly as written (xs:string keeps every character)."""
    value = find_value(element, path)
    return value or None


def pence(value: str | None) -> int | None:
    """Return an amount in pounds as whole pence; None if it is not a whole number of pence."""
    amount = decimal_or_none(value)
    if amount is None:
        return None
    scaled = amount * 100
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)


def _day(value: str | None) -> dt.date | None:
    """Return the day of a date or dateTime value (its first ten characters)."""
    if value is None:
        return None
    return date_or_none(value.strip(XML_SPACE)[:10])


def _funds(root: Any, paths: tuple[str, ...]) -> list[Fund]:
    found: list[Fund] = []
    for path in paths:
        for element in root.iterfind(path):
            code = string_value(element).strip(XML_SPACE)
            if code:
                found.append(Fund(code, Where.of(element)))
    return found


# ------------------------------------------------------------------ per kind
def _epay(root: Any, local: str) -> tuple[Message | None, list[Fund]]:
    e = EPAY
    if local == "PaymentRequest":
        return (
            PaymentRequest(
                _text(root, f"{e}RequestId"),
                _text(root, f"{e}CallingApplicationId"),
                pence(find_value(root, f"{e}SaleTotal")),
                Where.of(root.find(f"{e}RequestId")),
            ),
            _funds(root, (f"{e}Line/{e}FundCode",)),
        )
    if local == "PaymentResult":
        return (
            PaymentResult(
                _text(root, f"{e}GatewayReference"),
                _text(root, f"{e}RequestId"),
                _text(root, f"{e}Status"),
                pence(find_value(root, f"{e}Amount")),
                _day(find_value(root, f"{e}TransactionDate")),
                Where.of(root.find(f"{e}Status")),
            ),
            [],
        )
    if local == "PaymentNotification":
        return (
            PaymentNotification(
                _text(root, f"{e}ReceiptNumber"),
                _text(root, f"{e}GatewayReference"),
                pence(find_value(root, f"{e}TotalAmount")),
                _day(find_value(root, f"{e}PaymentDate")),
                Where.of(root.find(f"{e}GatewayReference")),
            ),
            _funds(root, (f"{e}Allocation/{e}FundCode",)),
        )
    if local == "RefundRequest":
        return (
            RefundRequest(
                _text(root, f"{e}RefundRequestId"),
                _text(root, f"{e}GatewayReference"),
                pence(find_value(root, f"{e}RefundAmount")),
                Where.of(root.find(f"{e}RefundAmount")),
            ),
            [],
        )
    if local == "RefundNotification":
        return (
            RefundNotification(
                _text(root, f"{e}RefundId"),
                _text(root, f"{e}GatewayReference"),
                _text(root, f"{e}RefundRequestId"),
                pence(find_value(root, f"{e}Amount")),
                _text(root, f"{e}Status"),
                _day(find_value(root, f"{e}Created")),
                Where.of(root.find(f"{e}Status")),
            ),
            [],
        )
    if local == "ReconciliationBatch":
        header = root.find(f"{e}BatchHeader")
        records = tuple(
            Record(
                _text(record, f"{e}RecordType"),
                _text(record, f"{e}TransactionId"),
                _text(record, f"{e}ReceiptNumber"),
                pence(find_value(record, f"{e}GrossAmount")),
                Where.of(record),
            )
            for record in root.iterfind(f"{e}PaymentRecord")
        )
        batch = Reconciliation(
            _text(header, f"{e}FileId") if header is not None else None,
            integer_or_none(find_value(header, f"{e}SequenceNumber"))
            if header is not None
            else None,
            _day(find_value(header, f"{e}PeriodFrom")) if header is not None else None,
            _day(find_value(header, f"{e}PeriodTo")) if header is not None else None,
            records,
            Where.of(header.find(f"{e}FileId") if header is not None else None),
            Where.of(header.find(f"{e}SequenceNumber") if header is not None else None),
        )
        funds = (f"{e}PaymentRecord/{e}FundCode", f"{e}Trailer/{e}FundTotal/{e}FundCode")
        return batch, _funds(root, funds)
    return None, []


def _claimant(person: Any) -> Claimant | None:
    if person is None:
        return None
    nino = _exact(person, f"{BEN}NationalInsuranceNumber")
    birth = _text(person, f"{BEN}BirthDate")
    if nino is None or birth is None:
        return None
    return Claimant(nino, birth)


def _claim(claim: Any) -> Claim:
    details = claim.find(f"{BEN}ClaimDetails")
    sender = claim.find(f"{BEN}Header/{LGC}Sender")
    return Claim(
        _exact(details, f"{BEN}SubmissionId") if details is not None else None,
        _exact(details, f"{BEN}ClaimReference") if details is not None else None,
        _claimant(claim.find(f"{BEN}Claimant")),
        string_value(sender).strip(XML_SPACE) or None if sender is not None else None,
        Where.of(sender),
    )


_CLAIM_USES = {
    "ChangeOfCircumstances": "change",
    "EvidenceSubmission": "evidence",
    "ClaimStatusQuery": "query",
    "DecisionNotice": "decision",
}


def _ebenefits(root: Any, local: str) -> Message | None:
    if local == "BenefitClaim":
        return _claim(root)
    if local == "BulkClaims":
        return BulkClaims(
            _exact(root, f"{BEN}BatchReference"),
            tuple(_claim(c) for c in root.iterfind(f"{BEN}BenefitClaim")),
            Where.of(root.find(f"{BEN}BatchReference")),
        )
    what = _CLAIM_USES.get(local)
    if what is None:
        return None
    claimant = None
    if local == "ClaimStatusQuery":
        claimant = _claimant(root)
    reference = root.find(f"{BEN}ClaimReference")
    where = reference if reference is not None else root.find(f"{BEN}NationalInsuranceNumber")
    return ClaimUse(what, _exact(root, f"{BEN}ClaimReference"), claimant, Where.of(where))


def _envelope(root: Any) -> Envelope:
    details = root.find(f"{GT}Header/{GT}MessageDetails")
    if details is None:
        return Envelope(None, None, None, None, None, None, NOWHERE)
    stamp = _day(find_value(details, f"{GT}GatewayTimestamp"))
    return Envelope(
        _text(details, f"{GT}Qualifier"),
        _text(details, f"{GT}Function"),
        _text(details, f"{GT}CorrelationID"),
        _text(details, f"{GT}TransactionID"),
        _text(root, f"{GT}Header/{GT}SenderDetails/{GT}IDAuthentication/{GT}SenderID"),
        stamp,
        Where.of(details),
    )


def _split(tag: Any) -> tuple[str, str]:
    text = tag if isinstance(tag, str) else ""
    if text.startswith("{"):
        namespace, _, local = text[1:].partition("}")
        return namespace, local
    return "", text


def extract(root: Any) -> Facts:
    """Return the facts of a parsed document (its root element); unknown kinds give few."""
    facts = Facts()
    message_root = root
    namespace, local = _split(root.tag)
    if f"{{{namespace}}}" == GT:
        facts.kind = "govtalk.envelope"
        facts.envelope = _envelope(root)
        body = root.find(f"{GT}Body")
        children = [c for c in body if isinstance(c.tag, str)] if body is not None else []
        if not children:
            return facts
        message_root = children[0]
        namespace, local = _split(message_root.tag)
    if namespace in CAMT_NAMESPACES:
        with suppress(DocumentParseError):  # another camt message: validation has said so
            facts.statement = statement_of(message_root)
        return facts
    family = _NAMESPACES.get(namespace)
    if family is None:
        return facts
    header = message_root.find(f"{{{namespace}}}Header")
    if header is not None:
        sender = header.find(f"{LGC}Sender")
        if sender is not None:
            facts.council = string_value(sender).strip(XML_SPACE) or None
            facts.council_where = Where.of(sender)
        facts.created = _day(find_value(header, f"{LGC}Created"))
    if family == "epay":
        facts.message, facts.funds = _epay(message_root, local)
        facts.payouts = payouts_of(message_root, "")
    else:
        facts.message = _ebenefits(message_root, local)
    return facts


class Unkept(NamedTuple):
    """A value of the facts that the ledger cannot keep, and where the document has it."""

    value: str | int | Decimal
    #: The nearest element read (the value's own, or its message's or record's).
    where: Where
    line: int | None = None
    path: str | None = None
    #: The value is a number (a string when it has too many digits to be read).
    number: bool = False


#: Fields the ledger does not keep as they are: the facts' own bookkeeping, the fund
#: codes (checked against the profile), the claimant (kept as a keyed hash), the bank
#: statement (its identifiers are the ISO schema's Max35Text) and text columns.
_NOT_KEYS = frozenset(
    {"kind", "funds", "claimant", "statement", "source", "path", "line", "created", "what"}
)


def unkept(facts: Facts, *, longest: int, integers: range) -> list[Unkept]:
    """Return the identifiers and amounts of ``facts`` that the ledger cannot keep.

    An identifier longer than ``longest`` characters or a whole number (an amount in
    pence, a sequence number) outside ``integers`` would make the ledger's write fail;
    validation alone allows some (a positiveInteger has no bound, a GovTalk SenderID no
    length), so the exchange asks before its rules read the ledger.
    """
    found: list[Unkept] = []

    def beyond(value: object) -> bool:
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return value not in integers
        if isinstance(value, Decimal):  # pounds, kept as pence; no arithmetic on a huge one
            return value.is_finite() and (
                value.adjusted() > 16 or not -integers.start > abs(value).scaleb(2)
            )
        return isinstance(value, str) and len(value) > longest

    def walk(item: Any, where: Where) -> None:
        own = getattr(item, "where", None)
        where = own if isinstance(own, Where) else where
        line, path = getattr(item, "line", None), getattr(item, "path", None)
        for part in fields(item):
            name = part.name
            if name in _NOT_KEYS or name.endswith("where"):
                continue
            value = getattr(item, name)
            if is_dataclass(value):
                walk(value, where)
            elif isinstance(value, tuple):
                for member in value:
                    if is_dataclass(member):
                        walk(member, where)
            elif beyond(value):
                at = getattr(item, f"{name}_where", where)
                found.append(Unkept(value, at, line, path, not isinstance(value, str)))
            elif value is None and isinstance(own := getattr(item, f"{name}_where", None), Where):
                text = "" if own.element is None else string_value(own.element).strip(XML_SPACE)
                if text:  # its element has a value, too large to read (more than 28 digits)
                    found.append(Unkept(text, own, line, path, number=True))

    walk(facts, NOWHERE)
    return found


def amount_text(value: int | None) -> str:
    """Return pence as pounds with two decimals (``17050`` -> ``170.50``); ``?`` for None."""
    if value is None:
        return "?"
    return f"{Decimal(value) / 100:.2f}"


__all__ = [
    "BulkClaims",
    "Claim",
    "ClaimUse",
    "Claimant",
    "Envelope",
    "Facts",
    "Fund",
    "Message",
    "PaymentNotification",
    "PaymentRequest",
    "PaymentResult",
    "Reconciliation",
    "Record",
    "RefundNotification",
    "RefundRequest",
    "Unkept",
    "Where",
    "amount_text",
    "extract",
    "pence",
    "unkept",
]
