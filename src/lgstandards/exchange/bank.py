"""Bank reconciliation: the gateway's payouts against the council's bank statement.

A payment gateway pays the council's takings into its bank account in payouts; the
bank's end-of-day statement (ISO 20022 camt.053, or a camt.052 report or camt.054
notification) shows each as a credit entry. :func:`reconcile` matches the payouts (e-Pay
``Payout`` messages, or the payout lines of a ``ReconciliationBatch``, grouped by
``PayoutId``) to the statement's booked credit entries **by reference and amount**:

* a payout's reference is its ``StatementReference`` (else its ``PayoutId``), found among
  an entry's end-to-end ids, account servicer's reference or entry reference, or as a
  word of its unstructured remittance information;
* a payout with no entry carrying its reference is ``bank.payout-missing``; an entry
  with the reference and another amount or currency is ``bank.amount-mismatch``; a
  credit entry no payout matched is ``bank.credit-unmatched`` (a warning: the account
  also receives other income).

Every issue names both documents, and points into the one it is about. Each document is
validated first (:func:`lgstandards.validate`); one with errors adds its own issues to
the report and takes no part in the matching. A payout is a batch's records of one
``PayoutId``: their net amounts add up to what the bank credits (EPAY-R015 checks the
same sum inside a ``Payout`` message)::

    >>> from lgstandards._resources import examples_root
    >>> from lgstandards.exchange.bank import reconcile
    >>> report = reconcile(
    ...     examples_root() / "iso20022" / "valid" / "camt053-council-statement.xml",
    ...     [examples_root() / "epay" / "valid" / "payout.xml"],
    ... )
    >>> report.codes()
    []
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lgstandards.codes import issue
from lgstandards.models.iso20022 import BankStatement, Entry, statement_of
from lgstandards.report import Issue, ValidationReport
from lgstandards.safexml import parse_xml, source_name, xml_text_source
from lgstandards.validation import validate

if TYPE_CHECKING:
    from lgstandards.safexml import Source

EPAY_NS = "urn:lgstandards:epay:1"
_E = f"{{{EPAY_NS}}}"
#: The report's kind.
KIND = "bank-reconciliation"


@dataclass(frozen=True, slots=True)
class ExpectedPayout:
    """A payout the statement should show: its reference, amount and where it was read."""

    payout_id: str
    reference: str
    amount: Decimal
    currency: str
    paid_out_date: dt.date | None
    source: str
    line: int | None
    path: str


def _text(element: Any, path: str) -> str:
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _decimal(text: str) -> Decimal:
    return Decimal(text) if text else Decimal("0.00")


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def payouts_of(root: Any, source: str) -> tuple[ExpectedPayout, ...]:
    """Return the payouts a parsed ``Payout`` or ``ReconciliationBatch`` document declares.

    A batch's records are grouped by ``PayoutId`` (records without one are not paid out
    yet): the payout's amount is the sum of their net amounts, its day the latest
    ``PaidOutDate``. Other documents declare none.
    """
    if root.tag == f"{_E}Payout":
        payout_id = _text(root, f"{_E}PayoutId")
        return (
            ExpectedPayout(
                payout_id=payout_id,
                reference=_text(root, f"{_E}StatementReference") or payout_id,
                amount=_decimal(_text(root, f"{_E}Amount")),
                currency=_text(root, f"{_E}Currency") or "GBP",
                paid_out_date=_day(_text(root, f"{_E}PaidOutDate")),
                source=source,
                line=root.sourceline,
                path="/epay:Payout",
            ),
        )
    if root.tag != f"{_E}ReconciliationBatch":
        return ()
    currency = _text(root, f"{_E}BatchHeader/{_E}Currency") or "GBP"
    grouped: dict[str, list[tuple[int, Any]]] = {}
    for index, record in enumerate(root.iterfind(f"{_E}PaymentRecord"), start=1):
        payout_id = _text(record, f"{_E}PayoutId")
        if payout_id:
            grouped.setdefault(payout_id, []).append((index, record))
    found = []
    for payout_id, records in grouped.items():
        days = [d for _, r in records if (d := _day(_text(r, f"{_E}PaidOutDate")))]
        index, first = records[0]
        found.append(
            ExpectedPayout(
                payout_id=payout_id,
                reference=payout_id,
                amount=sum((_decimal(_text(r, f"{_E}NetAmount")) for _, r in records), Decimal(0)),
                currency=currency,
                paid_out_date=max(days) if days else None,
                source=source,
                line=first.sourceline,
                path=f"/epay:ReconciliationBatch/epay:PaymentRecord[{index}]",
            )
        )
    return tuple(found)


def _carries(entry: Entry, reference: str) -> bool:
    """Tell whether ``entry`` carries ``reference`` (a reference, or a remittance word)."""
    if reference in entry.references():
        return True
    return any(reference in line.split() for line in entry.remittance)


def _money(value: Decimal | None) -> str:
    return "?" if value is None else f"{value:.2f}"


def _read(source: Source, name: str, report: ValidationReport) -> Any | None:
    """Validate a document; return its root when it has no error, else add its issues."""
    if hasattr(source, "read"):  # a stream is read once, for both
        source = source.read()
    checked = validate(source)
    if not checked.ok:
        for found in checked.issues:
            report.add(found if found.source else replace(found, source=name))
        return None
    return parse_xml(xml_text_source(source), name=name).getroot()


def _name(source: object, fallback: str) -> str:
    name = source_name(source)
    return name if name is not None else fallback


def reconcile(statement: Source, payouts: Iterable[Source]) -> ValidationReport:
    """Match payouts to the credit entries of a bank statement; return the findings.

    ``statement``: a camt.053 statement (or camt.052 report, camt.054 notification);
    ``payouts``: e-Pay ``Payout`` or ``ReconciliationBatch`` documents. Each source is a
    path, bytes, XML text or a binary stream (read once). The report's source is the
    statement; each issue's source is the document it points into.
    """
    statement_name = _name(statement, "<statement>")
    report = ValidationReport(source=statement_name, kind=KIND)
    expected: list[ExpectedPayout] = []
    names: list[str] = []
    for number, source in enumerate(payouts, start=1):
        name = _name(source, f"<payouts {number}>")
        names.append(name)
        root = _read(source, name, report)
        if root is not None:
            expected.extend(payouts_of(root, name))
    root = _read(statement, statement_name, report)
    if root is None:
        return report
    try:
        bank = statement_of(root)
    except ValueError:
        report.add(issue("bank.not-a-statement", source=statement_name, line=root.sourceline))
        return report
    report.extend(match(bank, expected, statement_name, names))
    return report


def match(
    bank: BankStatement,
    expected: Sequence[ExpectedPayout],
    statement_name: str,
    payout_names: Sequence[str] = (),
) -> list[Issue]:
    """Return the issues of matching ``expected`` payouts to ``bank``'s booked credits."""
    credits = [e for e in bank.entries() if e.credit and e.booked]
    used: set[int] = set()
    found: list[Issue] = []
    everything = ", ".join(payout_names or sorted({p.source for p in expected})) or "-"
    for payout in expected:
        carrying = [
            (i, e) for i, e in enumerate(credits) if i not in used and _carries(e, payout.reference)
        ]
        exact = [
            (i, e)
            for i, e in carrying
            if (e.amount, e.currency) == (payout.amount, payout.currency)
        ]
        params = {
            "payout": payout.payout_id,
            "amount": _money(payout.amount),
            "currency": payout.currency,
            "payouts": payout.source,
            "reference": payout.reference,
            "statement": statement_name,
        }
        if exact:
            used.add(exact[0][0])
        elif carrying:
            index, entry = carrying[0]
            used.add(index)
            found.append(
                issue(
                    "bank.amount-mismatch",
                    {
                        **params,
                        "entry_amount": _money(entry.amount),
                        "entry_currency": entry.currency or "?",
                    },
                    source=statement_name,
                    line=entry.line,
                    path=entry.path,
                )
            )
        else:
            found.append(
                issue(
                    "bank.payout-missing",
                    params,
                    source=payout.source,
                    line=payout.line,
                    path=payout.path,
                )
            )
    for index, entry in enumerate(credits):
        if index in used:
            continue
        found.append(
            issue(
                "bank.credit-unmatched",
                {
                    "amount": _money(entry.amount),
                    "currency": entry.currency or "?",
                    "statement": statement_name,
                    "references": ", ".join(entry.references()) or "-",
                    "payouts": everything,
                },
                source=statement_name,
                line=entry.line,
                path=entry.path,
            )
        )
    return found


__all__ = ["KIND", "ExpectedPayout", "match", "payouts_of", "reconcile"]
