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
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lgstandards._xmlvalues import decimal_or_none, find_value
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
    amount: Decimal | None
    currency: str
    paid_out_date: dt.date | None
    source: str
    line: int | None
    path: str


def _text(element: Any, path: str) -> str:
    return " ".join((find_value(element, path) or "").split())


def _decimal(text: str) -> Decimal | None:
    """Return an amount as the schema reads it; None when absent or out of form."""
    return decimal_or_none(text) if text else None


def _total(amounts: Iterable[Decimal | None]) -> Decimal | None:
    """Return the sum of amounts; None when one of them is not known."""
    total = Decimal(0)
    for amount in amounts:
        if amount is None:
            return None
        total += amount
    return total


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
                amount=_total(_decimal(_text(r, f"{_E}NetAmount")) for _, r in records),
                currency=currency,
                paid_out_date=max(days) if days else None,
                source=source,
                line=first.sourceline,
                path=f"/epay:ReconciliationBatch/epay:PaymentRecord[{index}]",
            )
        )
    return tuple(found)


def tokens(entry: Entry) -> frozenset[str]:
    """Return what a payout's reference may be on ``entry``: its references, remittance words."""
    return frozenset((*entry.references(), *(w for line in entry.remittance for w in line.split())))


def _payout_key(payout: ExpectedPayout) -> tuple[Any, ...]:
    return (
        payout.reference,
        payout.currency,
        payout.amount is None,
        payout.amount or Decimal(0),
        payout.payout_id,
        payout.source,
        payout.path,
    )


def _entry_key(entry: Entry) -> tuple[Any, ...]:
    return (
        entry.amount is None,
        entry.amount or Decimal(0),
        entry.currency or "",
        entry.references(),
        entry.remittance,
    )


@dataclass(frozen=True, slots=True)
class Pairing:
    """How payouts pair with credit entries: indexes into the two sequences given.

    ``matched`` and ``mismatched`` are (payout, entry) pairs (the entry carries the
    payout's reference; a mismatch has another amount or currency), ``missing`` the
    payouts no entry carries, ``unmatched`` the entries no payout took, in document order.
    """

    matched: tuple[tuple[int, int], ...]
    mismatched: tuple[tuple[int, int], ...]
    missing: tuple[int, ...]
    unmatched: tuple[int, ...]


def _most_pairs(
    order: Sequence[int], key_of: Callable[[int], Hashable], options: Mapping[Hashable, list[int]]
) -> dict[int, int]:
    """Return payout -> entry: as many pairs as the payouts' entries allow.

    A payout may take the entries ``options[key_of(payout)]`` (payouts of one key share
    one list), in that list's order. Kuhn's augmenting paths, payouts taken in ``order``:
    a payout takes its first free entry, as a greedy pass would; when it has none, an
    entry is moved along an augmenting path, so a remittance naming two payouts no longer
    starves the second. Bounded work: a free entry is found from a cursor per list
    (entries are never freed), and within one search each list is scanned once, shared
    by the payouts of its key; a failed search keeps its marks (none of those entries
    can lie on an augmenting path before the pairs change), so failures cost one pass
    of the lists in all.
    """
    holder: dict[int, int] = {}  # entry -> payout
    cursor: dict[Hashable, int] = {}

    def free(key: Hashable) -> int | None:
        entries = options.get(key, [])
        at = cursor.get(key, 0)
        while at < len(entries) and entries[at] in holder:
            at += 1
        cursor[key] = at
        return entries[at] if at < len(entries) else None

    seen: set[int] = set()
    scans: dict[Hashable, Iterator[int]] = {}
    for start in order:
        stack = [start]
        through: list[int] = []  # the held entries leading to stack[1:]
        while stack:
            key = key_of(stack[-1])
            found = free(key)
            if found is not None:  # shift every entry on the path by one payout
                for taker, entry in zip(stack, [*through, found], strict=True):
                    holder[entry] = taker
                seen.clear()
                scans.clear()
                break
            scan = scans.get(key)
            if scan is None:
                scan = scans[key] = iter(options.get(key, []))
            for index in scan:  # every entry of the list is held now
                if index not in seen:
                    seen.add(index)
                    through.append(index)
                    stack.append(holder[index])
                    break
            else:
                stack.pop()
                if through:
                    through.pop()
    return {payout: entry for entry, payout in holder.items()}


def pair(credits: Sequence[Entry], expected: Sequence[ExpectedPayout]) -> Pairing:
    """Pair payouts with the credit entries carrying their reference, exact amounts first.

    As many payouts as can be pair with an entry of their reference, amount and currency
    (a maximum matching); then as many of the rest as can be with a free entry of their
    reference and another amount (a mismatch). The outcome depends on the payouts and
    entries, not on the order they are given in: payouts are taken in the order of
    their reference, currency, amount and id, and each prefers the entries in the order
    of their amount, currency and references (then their place in the document).
    Entries are found by an index of their references and remittance words.
    """
    ranked = sorted(range(len(credits)), key=lambda i: (_entry_key(credits[i]), i))
    carrying: dict[str, list[int]] = {}
    for index in ranked:
        for token in tokens(credits[index]):
            carrying.setdefault(token, []).append(index)
    order = sorted(range(len(expected)), key=lambda i: _payout_key(expected[i]))

    def exact_key(number: int) -> Hashable:
        payout = expected[number]
        return (payout.reference, payout.amount, payout.currency)

    same: dict[Hashable, list[int]] = {}
    for number in order:
        payout = expected[number]
        key = exact_key(number)
        if key not in same:
            same[key] = [
                i
                for i in carrying.get(payout.reference, ())
                if payout.amount is not None
                and (credits[i].amount, credits[i].currency) == (payout.amount, payout.currency)
            ]
    exact = _most_pairs(order, exact_key, same)
    used = set(exact.values())
    rest = [number for number in order if number not in exact]
    free: dict[Hashable, list[int]] = {
        reference: [i for i in carrying.get(reference, ()) if i not in used]
        for reference in {expected[number].reference for number in rest}
    }
    other = _most_pairs(rest, lambda number: expected[number].reference, free)
    used.update(other.values())
    return Pairing(
        matched=tuple((number, exact[number]) for number in order if number in exact),
        mismatched=tuple((number, other[number]) for number in rest if number in other),
        missing=tuple(number for number in rest if number not in other),
        unmatched=tuple(i for i in range(len(credits)) if i not in used),
    )


def booked_credits(bank: BankStatement) -> list[Entry]:
    """Return the statement's booked credit entries (what payouts are matched to)."""
    return [e for e in bank.entries() if e.credit and e.booked]


def payout_params(payout: ExpectedPayout, statement: str) -> dict[str, object]:
    """Return the parameters naming a payout (``payouts``: its document) and the statement."""
    return {
        "payout": payout.payout_id,
        "amount": money(payout.amount),
        "currency": payout.currency,
        "payouts": payout.source,
        "reference": payout.reference,
        "statement": statement,
    }


def mismatch_params(payout: ExpectedPayout, entry: Entry, statement: str) -> dict[str, object]:
    """Return the parameters of ``bank.amount-mismatch``: the payout's, and the entry's amount."""
    return {
        **payout_params(payout, statement),
        "entry_amount": money(entry.amount),
        "entry_currency": entry.currency or "?",
    }


def credit_params(entry: Entry, statement: str, payouts: str) -> dict[str, object]:
    """Return the parameters of ``bank.credit-unmatched``."""
    return {
        "amount": money(entry.amount),
        "currency": entry.currency or "?",
        "statement": statement,
        "references": ", ".join(entry.references()) or "-",
        "payouts": payouts,
    }


def money(value: Decimal | None) -> str:
    """Return an amount with two decimals (``?`` when unknown), as the findings show it."""
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
    """Return the issues of matching ``expected`` payouts to ``bank``'s booked credits.

    The findings do not depend on the order of the payouts or of the entries (:func:`pair`).
    """
    credits = booked_credits(bank)
    pairing = pair(credits, expected)
    found: list[Issue] = []
    everything = ", ".join(sorted(payout_names or {p.source for p in expected})) or "-"
    for number, index in pairing.mismatched:
        entry = credits[index]
        found.append(
            issue(
                "bank.amount-mismatch",
                mismatch_params(expected[number], entry, statement_name),
                source=statement_name,
                line=entry.line,
                path=entry.path,
            )
        )
    for number in pairing.missing:
        payout = expected[number]
        found.append(
            issue(
                "bank.payout-missing",
                payout_params(payout, statement_name),
                source=payout.source,
                line=payout.line,
                path=payout.path,
            )
        )
    for index in pairing.unmatched:
        entry = credits[index]
        found.append(
            issue(
                "bank.credit-unmatched",
                credit_params(entry, statement_name, everything),
                source=statement_name,
                line=entry.line,
                path=entry.path,
            )
        )
    return found


__all__ = [
    "KIND",
    "ExpectedPayout",
    "Pairing",
    "booked_credits",
    "credit_params",
    "match",
    "mismatch_params",
    "money",
    "pair",
    "payout_params",
    "payouts_of",
    "reconcile",
    "tokens",
]
