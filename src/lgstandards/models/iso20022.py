"""A typed, read-only view of ISO 20022 bank statements (camt.053, camt.052, camt.054).

Councils' income-management systems close the loop with the bank's end-of-day statement
(camt.053), and read intraday reports (camt.052) and debit/credit notifications
(camt.054). :func:`read_statement` reads any of them, in the versions whose schemas
lgstandards ships (``camt.05x.001.02``; camt.053 also ``.001.08``), into plain frozen
dataclasses: the statements (reports, notifications) with their account, balances and
entries, each entry with its amount, currency, direction, dates and references. Amounts
are exact :class:`~decimal.Decimal` values; every entry keeps its line and path in the
document, so that an issue about it can point there.

The view reads what it needs and nothing more; validate the document first
(:func:`lgstandards.validate` checks it against the ISO schema)::

    >>> from lgstandards._resources import examples_root
    >>> from lgstandards.models.iso20022 import read_statement
    >>> path = examples_root() / "iso20022" / "valid" / "camt053-council-statement.xml"
    >>> statement = read_statement(path)
    >>> [(e.amount, e.credit, e.end_to_end_ids) for e in statement.entries()]
    [(Decimal('215.30'), True, ('PAYOUT-20260401',)), (Decimal('50.00'), False, ())]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from lgstandards._xmlvalues import date_or_none, string_value
from lgstandards.exceptions import DocumentParseError

if TYPE_CHECKING:
    from lgstandards.safexml import Source

#: The namespaces of the bank-to-customer messages the view reads: message -> version.
CAMT_NAMESPACES = {
    f"urn:iso:std:iso:20022:tech:xsd:{message}": message
    for message in (
        "camt.052.001.02",
        "camt.053.001.02",
        "camt.053.001.08",
        "camt.054.001.02",
    )
}
#: Each message's document element and the element of one statement (report, notification).
_CONTAINERS = {
    "BkToCstmrStmt": "Stmt",
    "BkToCstmrAcctRpt": "Rpt",
    "BkToCstmrDbtCdtNtfctn": "Ntfctn",
}
_NAMESPACE = re.compile(r"^\{([^}]*)\}")


@dataclass(frozen=True, slots=True)
class Balance:
    """A balance of an account (``Bal``): opening booked (OPBD), closing booked (CLBD) ..."""

    type_code: str | None
    amount: Decimal | None
    currency: str | None
    credit: bool
    date: dt.date | None


@dataclass(frozen=True, slots=True)
class Entry:
    """One booked or pending movement on the account (``Ntry``).

    ``credit``: money in (``CdtDbtInd`` CRDT). ``end_to_end_ids`` and ``remittance``
    (unstructured remittance lines) come from the entry's transaction details;
    ``line`` and ``path`` locate the entry in its document.
    """

    reference: str | None
    amount: Decimal | None
    currency: str | None
    credit: bool
    status: str | None
    booking_date: dt.date | None
    value_date: dt.date | None
    account_servicer_reference: str | None
    end_to_end_ids: tuple[str, ...]
    remittance: tuple[str, ...]
    line: int | None
    path: str

    def references(self) -> tuple[str, ...]:
        """Return every reference the entry carries, the end-to-end ids first."""
        found = [*self.end_to_end_ids, self.account_servicer_reference, self.reference]
        return tuple(r for r in found if r)

    @property
    def booked(self) -> bool:
        """True unless the bank says the entry is pending or only informative."""
        return self.status in (None, "BOOK")


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement (``Stmt``), report (``Rpt``) or notification (``Ntfctn``)."""

    id: str | None
    created: str | None
    account: str | None
    account_currency: str | None
    balances: tuple[Balance, ...]
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class BankStatement:
    """A camt message: its ``message`` (``camt.053.001.02`` ...), id and statements."""

    message: str
    message_id: str | None
    created: str | None
    statements: tuple[Statement, ...]

    def entries(self) -> Iterator[Entry]:
        """Yield every entry of every statement, in document order."""
        for statement in self.statements:
            yield from statement.entries


def _text(element: Any, path: str, ns: dict[str, str]) -> str | None:
    found = element.find(path, ns)
    if found is None:
        return None
    return " ".join(string_value(found).split()) or None


def _amount(element: Any, ns: dict[str, str]) -> tuple[Decimal | None, str | None]:
    found = element.find("c:Amt", ns)
    if found is None:
        return None, None
    try:
        value = Decimal(string_value(found).strip())
    except InvalidOperation:
        value = None
    return value, found.get("Ccy")


def _date(element: Any, path: str, ns: dict[str, str]) -> dt.date | None:
    """Return the day of a ``DateAndDateTimeChoice`` (``Dt``, or the day of ``DtTm``)."""
    day = _text(element, f"{path}/c:Dt", ns)
    if day is None:
        moment = _text(element, f"{path}/c:DtTm", ns)
        day = moment[:10] if moment else None
    return date_or_none(day) if day else None


def _status(entry: Any, ns: dict[str, str]) -> str | None:
    # 001.02: <Sts>BOOK</Sts>; 001.08: <Sts><Cd>BOOK</Cd></Sts>
    return _text(entry, "c:Sts/c:Cd", ns) or _text(entry, "c:Sts", ns)


def _entry(element: Any, ns: dict[str, str], path: str) -> Entry:
    amount, currency = _amount(element, ns)
    details = element.findall("c:NtryDtls/c:TxDtls", ns)
    end_to_end = tuple(value for tx in details if (value := _text(tx, "c:Refs/c:EndToEndId", ns)))
    remittance = tuple(
        " ".join(text.split())
        for tx in details
        for u in tx.findall("c:RmtInf/c:Ustrd", ns)
        if (text := string_value(u)).strip()
    )
    return Entry(
        reference=_text(element, "c:NtryRef", ns),
        amount=amount,
        currency=currency,
        credit=_text(element, "c:CdtDbtInd", ns) == "CRDT",
        status=_status(element, ns),
        booking_date=_date(element, "c:BookgDt", ns),
        value_date=_date(element, "c:ValDt", ns),
        account_servicer_reference=_text(element, "c:AcctSvcrRef", ns),
        end_to_end_ids=end_to_end,
        remittance=remittance,
        line=element.sourceline,
        path=path,
    )


def _balance(element: Any, ns: dict[str, str]) -> Balance:
    amount, currency = _amount(element, ns)
    return Balance(
        type_code=_text(element, "c:Tp/c:CdOrPrtry/c:Cd", ns),
        amount=amount,
        currency=currency,
        credit=_text(element, "c:CdtDbtInd", ns) == "CRDT",
        date=_date(element, "c:Dt", ns),
    )


def _prefix(namespace: str) -> str:
    """Return the catalogue's prefix of ``namespace`` (the validator's paths use it)."""
    from lgstandards.artefacts.catalogue import entries

    return next(e.prefix for e in entries() if e.namespace == namespace)


def statement_of(root: Any) -> BankStatement:
    """Return the view of a parsed camt document (its root ``Document`` element).

    Raises :class:`~lgstandards.exceptions.DocumentParseError` for any other document.
    """
    match = _NAMESPACE.match(root.tag if isinstance(root.tag, str) else "")
    namespace = match.group(1) if match else ""
    message = CAMT_NAMESPACES.get(namespace)
    body = next((child for child in root if isinstance(child.tag, str)), None)
    local = body.tag.rpartition("}")[2] if body is not None else ""
    document = root.tag == f"{{{namespace}}}Document"
    if message is None or body is None or not document or local not in _CONTAINERS:
        raise DocumentParseError(
            f"not a camt.052, camt.053 or camt.054 document: {root.tag!r} "
            f"(read: {', '.join(sorted(CAMT_NAMESPACES.values()))})"
        )
    ns = {"c": namespace}
    prefix = _prefix(namespace)
    part = _CONTAINERS[local]
    statements = []
    for index, element in enumerate(body.findall(f"c:{part}", ns), start=1):
        where = f"/{prefix}:Document/{prefix}:{local}/{prefix}:{part}[{index}]"
        entries = tuple(
            _entry(e, ns, f"{where}/{prefix}:Ntry[{n}]")
            for n, e in enumerate(element.findall("c:Ntry", ns), start=1)
        )
        statements.append(
            Statement(
                id=_text(element, "c:Id", ns),
                created=_text(element, "c:CreDtTm", ns),
                account=_text(element, "c:Acct/c:Id/c:IBAN", ns)
                or _text(element, "c:Acct/c:Id/c:Othr/c:Id", ns),
                account_currency=_text(element, "c:Acct/c:Ccy", ns),
                balances=tuple(_balance(b, ns) for b in element.findall("c:Bal", ns)),
                entries=entries,
            )
        )
    return BankStatement(
        message=message,
        message_id=_text(body, "c:GrpHdr/c:MsgId", ns),
        created=_text(body, "c:GrpHdr/c:CreDtTm", ns),
        statements=tuple(statements),
    )


def read_statement(source: Source) -> BankStatement:
    """Read a camt.052, camt.053 or camt.054 document safely into its typed view.

    ``source``: a path, bytes, XML text or a binary stream. Raises
    :class:`~lgstandards.exceptions.XMLInputError` for XML that cannot be read and
    :class:`~lgstandards.exceptions.DocumentParseError` for another kind of document.
    """
    from lgstandards.safexml import parse_xml, xml_text_source

    return statement_of(parse_xml(xml_text_source(source)).getroot())


__all__ = [
    "CAMT_NAMESPACES",
    "Balance",
    "BankStatement",
    "Entry",
    "Statement",
    "read_statement",
    "statement_of",
]
