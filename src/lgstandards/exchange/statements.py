"""Bank reconciliation on the ledger: payouts recorded, bank statements matched against them.

:func:`lgstandards.exchange.bank.reconcile` matches payouts to one statement given with
them. An exchange does the same across a history (ledger schema version 3, tables
``payouts`` and ``bank_statements``):

* a ``Payout`` message, or a reconciliation batch's payout lines (grouped by
  ``PayoutId``), records each payout it declares: reference, amount, currency, the day
  paid out (when the credit is expected) and the declaring document. A payout declared
  again with the same reference, amount and currency changes nothing; with others it is
  ``bank.payout-conflict``;
* a camt.052, camt.053 or camt.054 document is matched against **every open payout**
  of the ledger (of the authenticated sender's council when one is given, else of every
  council), by reference and amount exactly as :func:`~lgstandards.exchange.bank.pair`
  pairs them. A matched payout is marked reconciled, with the statement's id and the
  entry, so no later statement matches it again: an entry carrying the reference of a
  reconciled payout is ``bank.entry-already-reconciled`` (a warning), and a statement
  whose id the ledger already holds is ``bank.statement-duplicate`` (an error: it
  changes nothing). An entry with an open payout's reference and another amount is
  ``bank.amount-mismatch``, a credit no payout explains ``bank.credit-unmatched``;
* an open payout paid out more than ``overdue_after`` days before the statement's date
  (its creation) is ``bank.payout-overdue`` (a warning), on each statement until one
  credits it, and in :meth:`lgstandards.exchange.checker.Exchange.status`. A payout missing
  from one statement is not an issue: the next one may carry it.

As everywhere in the exchange, a document with errors changes nothing: a statement
with a mismatch reconciles no payout.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lgstandards.codes import issue
from lgstandards.exchange import bank, rules
from lgstandards.exchange.bank import ExpectedPayout
from lgstandards.exchange.ledger import bank_statements, documents, payouts
from lgstandards.models.iso20022 import BankStatement, Entry
from lgstandards.report import Issue

#: At most this many words of an entry are looked up among reconciled payouts' references.
MAX_TOKENS = 32


def pence(amount: Decimal | None) -> int | None:
    """Return an amount as whole hundredths (pence); None when it has finer parts."""
    if amount is None:
        return None
    scaled = amount * 100
    return int(scaled) if scaled == scaled.to_integral_value() else None


def _pounds(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value).scaleb(-2)


def _name(document_id: int, source: str | None) -> str:
    """Name a ledger document as :func:`rules.document_name` does: ``#12 (payout.xml)``."""
    return f"#{document_id} ({source})" if source else f"#{document_id}"


def _named_rows(
    conn: Connection, key: Any, build: Any, columns: tuple[str, ...], params: dict[str, Any]
) -> list[Any]:
    """Return the rows of the query ``build()`` as named tuples of ``columns``."""
    statement = rules.compiled(conn, key, build, columns)
    assert statement.row is not None
    return [statement.row(*row) for row in rules.run_sql(conn, statement, params).fetchall()]


def _add(ctx: rules.Context, code: str, params: Mapping[str, object], **where: Any) -> None:
    ctx.findings.append(issue(code, params, stateful=True, source=ctx.source, **where))


# ------------------------------------------------------------------ payouts
def _insert_payout(
    conn: Connection, council: str, payout: ExpectedPayout, amount: int | None
) -> rules.Action:
    def action(doc: int) -> None:
        rules.insert_row(
            conn,
            payouts,
            council=council,
            payout_id=payout.payout_id,
            reference=payout.reference,
            amount_pence=amount,
            currency=payout.currency,
            expected=payout.paid_out_date,
            path=payout.path,
            document_id=doc,
        )

    return action


def check_payouts(ctx: rules.Context) -> None:
    """Record the payouts a document declares; one declared again differently is a conflict."""
    conn, council = ctx.conn, ctx.council
    for payout in ctx.facts.payouts:
        amount = pence(payout.amount)
        row = rules.fetch(conn, "payouts", council=council, payout_id=payout.payout_id, lock=True)
        if row is None:
            ctx.later(_insert_payout(conn, council, payout, amount))
            continue
        if (row.reference, row.amount_pence, row.currency) == (
            payout.reference,
            amount,
            payout.currency,
        ):
            continue  # the same payout again (a batch's lines after its Payout message)
        _add(
            ctx,
            "bank.payout-conflict",
            {
                "payout": payout.payout_id,
                "amount": bank.money(payout.amount),
                "currency": payout.currency,
                "reference": payout.reference,
                "ledger_amount": bank.money(_pounds(row.amount_pence)),
                "ledger_currency": row.currency,
                "ledger_reference": row.reference,
                "earlier": rules.document_name(conn, row.document_id),
            },
            line=payout.line,
            path=payout.path,
        )


# ------------------------------------------------------------------ statements
def _family(statement: BankStatement) -> str:
    """Return the camt message of a statement without its version: ``camt.053``."""
    return statement.message[:8]


def statement_day(statement: BankStatement, today: dt.date) -> dt.date:
    """Return the day a statement speaks for: its creation, else its latest booking, else today."""
    created = statement.created or next((s.created for s in statement.statements if s.created), "")
    try:
        return dt.date.fromisoformat(created[:10])
    except ValueError:
        booked = [e.booking_date for e in statement.entries() if e.booking_date]
        return max(booked) if booked else today


_OPEN = (
    "id",
    "payout_id",
    "reference",
    "amount_pence",
    "currency",
    "expected",
    "path",
    "document_id",
    "source",
)
_RECONCILED = ("payout_id", "reconciled_by", "statement_ref", "entry_ref", "source")


def _open_payouts(conn: Connection, council: str | None, *, lock: bool = True) -> list[Any]:
    """Return the open payouts (with their document's source), of ``council`` or all.

    ``lock``: lock them (PostgreSQL) until the transaction ends, as a statement that may
    reconcile them does.
    """
    scoped = council is not None
    postgresql = lock and conn.dialect.name == "postgresql"

    def build() -> Any:
        query = (
            sa.select(
                payouts.c.id,
                payouts.c.payout_id,
                payouts.c.reference,
                payouts.c.amount_pence,
                payouts.c.currency,
                payouts.c.expected,
                payouts.c.path,
                payouts.c.document_id,
                documents.c.source,
            )
            .join(documents, documents.c.id == payouts.c.document_id)
            .where(payouts.c.reconciled_by.is_(None))
            .order_by(payouts.c.id)
        )
        if scoped:
            query = query.where(payouts.c.council == sa.bindparam("council"))
        return query.with_for_update(of=payouts) if postgresql else query

    params = {"council": council} if scoped else {}
    return _named_rows(conn, ("open-payouts", scoped, postgresql), build, _OPEN, params)


#: How many references one look-up of reconciled payouts asks for at once.
CHUNK = 64


def _reconciled(conn: Connection, council: str | None, references: set[str]) -> dict[str, Any]:
    """Return, by reference, the first reconciled payout of each of ``references``.

    Of ``council``, or of any council when it is None. The references are asked for
    :data:`CHUNK` at a time (one compiled statement; a short chunk repeats its last).
    """
    scoped = council is not None

    def build() -> Any:
        query = (
            sa.select(
                payouts.c.payout_id,
                payouts.c.reconciled_by,
                payouts.c.statement_ref,
                payouts.c.entry_ref,
                documents.c.source,
                payouts.c.reference,
            )
            .join(documents, documents.c.id == payouts.c.reconciled_by)
            .where(sa.or_(*(payouts.c.reference == sa.bindparam(f"r{n}") for n in range(CHUNK))))
            .order_by(payouts.c.id)
        )
        if scoped:
            query = query.where(payouts.c.council == sa.bindparam("council"))
        return query

    found: dict[str, Any] = {}
    ordered = sorted(references)
    for start in range(0, len(ordered), CHUNK):
        chunk = ordered[start : start + CHUNK]
        chunk += [chunk[-1]] * (CHUNK - len(chunk))
        params: dict[str, Any] = {f"r{n}": value for n, value in enumerate(chunk)}
        if scoped:
            params["council"] = council
        key = ("reconciled-payouts", scoped)
        for row in _named_rows(conn, key, build, (*_RECONCILED, "reference"), params):
            found.setdefault(row.reference, row)
    return found


def entry_label(entry: Entry) -> str:
    """Name an entry: the bank's reference, else the entry reference, else its path."""
    return entry.account_servicer_reference or entry.reference or entry.path


def _expected(row: Any) -> ExpectedPayout:
    expected = row.expected
    if isinstance(expected, str):  # SQLite gives dates as ISO text
        expected = dt.date.fromisoformat(expected)
    return ExpectedPayout(
        payout_id=row.payout_id,
        reference=row.reference,
        amount=_pounds(row.amount_pence),
        currency=row.currency,
        paid_out_date=expected,
        source=_name(row.document_id, row.source),
        line=None,
        path=row.path or "",
    )


def overdue_issue(
    payout: ExpectedPayout, as_of: dt.date, after: dt.timedelta, *, source: str | None
) -> Issue | None:
    """Return ``bank.payout-overdue`` for an open payout overdue on ``as_of``, else None."""
    if payout.paid_out_date is None or as_of - payout.paid_out_date <= after:
        return None
    return issue(
        "bank.payout-overdue",
        {
            "payout": payout.payout_id,
            "amount": bank.money(payout.amount),
            "currency": payout.currency,
            "reference": payout.reference,
            "earlier": payout.source,
            "expected": payout.paid_out_date.isoformat(),
            "days": (as_of - payout.paid_out_date).days,
            "as_of": as_of.isoformat(),
        },
        stateful=True,
        source=source,
    )


def check_statement(ctx: rules.Context, statement: BankStatement) -> None:
    """Match a statement's booked credits against the ledger's open payouts (module doc)."""
    conn = ctx.conn
    scope = ctx.sender or ctx.facts.council  # None: the payouts of every council
    owner = scope or ""
    family = _family(statement)
    ids = [s.id for s in statement.statements if s.id]
    for statement_id in ids:
        used = rules.fetch(
            conn,
            "bank_statements",
            columns=("document_id",),
            council=owner,
            message=family,
            statement_id=statement_id,
        )
        if used is not None:
            params: dict[str, object] = {
                "message": family,
                "statement": statement_id,
                "earlier": rules.document_name(conn, used[0]),
            }
            _add(ctx, "bank.statement-duplicate", params)
            return
    credits = bank.booked_credits(statement)
    found = _open_payouts(conn, scope)
    expected = [_expected(row) for row in found]
    pairing = bank.pair(credits, expected)
    for number, index in pairing.mismatched:
        entry = credits[index]
        mismatch = bank.mismatch_params(expected[number], entry, ctx.source or "")
        _add(ctx, "bank.amount-mismatch", mismatch, line=entry.line, path=entry.path)
    _unmatched(ctx, scope, [credits[index] for index in pairing.unmatched])
    as_of = statement_day(statement, ctx.today)
    for number in pairing.missing:
        late = overdue_issue(expected[number], as_of, ctx.overdue_after, source=ctx.source)
        if late is not None:
            ctx.findings.append(late)
    of_entry = {e.path: s.id for s in statement.statements for e in s.entries}
    matched = [
        (found[number].id, of_entry.get(credits[index].path), entry_label(credits[index]))
        for number, index in pairing.matched
    ]

    def record(doc: int) -> None:
        for statement_id in ids:
            rules.insert_row(
                conn,
                bank_statements,
                council=owner,
                message=family,
                statement_id=statement_id,
                document_id=doc,
            )
        for row_id, statement_ref, entry_ref in matched:
            rules.update_row(
                conn,
                payouts,
                row_id,
                reconciled_by=doc,
                statement_ref=statement_ref,
                entry_ref=entry_ref,
            )

    ctx.later(record)


def _unmatched(ctx: rules.Context, scope: str | None, entries: Sequence[Entry]) -> None:
    """Report the credits no open payout took: re-sent (a reconciled payout's), or unmatched."""
    words = {entry: sorted(bank.tokens(entry))[:MAX_TOKENS] for entry in entries}
    reconciled = _reconciled(ctx.conn, scope, {w for found in words.values() for w in found})
    for entry in entries:
        token = next((w for w in words[entry] if w in reconciled), None)
        if token is None:
            params = bank.credit_params(entry, ctx.source or "", "")
            _add(ctx, "bank.credit-unmatched", params, line=entry.line, path=entry.path)
            continue
        row = reconciled[token]
        params = {
            "amount": bank.money(entry.amount),
            "currency": entry.currency or "?",
            "reference": token,
            "payout": row.payout_id,
            "entry": row.entry_ref or "?",
            "statement": row.statement_ref or "?",
            "earlier": _name(row.reconciled_by, row.source),
        }
        _add(ctx, "bank.entry-already-reconciled", params, line=entry.line, path=entry.path)


def overdue(
    conn: Connection, as_of: dt.date, after: dt.timedelta, council: str | None = None
) -> list[Issue]:
    """Return ``bank.payout-overdue`` for every open payout overdue on ``as_of`` (status)."""
    found = []
    for row in _open_payouts(conn, council, lock=False):
        payout = _expected(row)
        late = overdue_issue(payout, as_of, after, source=payout.source)
        if late is not None:
            found.append(late)
    return found


def run(ctx: rules.Context) -> None:
    """Run bank reconciliation for the document: its payouts, or its statement."""
    if ctx.facts.payouts:
        check_payouts(ctx)
    if ctx.facts.statement is not None:
        check_statement(ctx, ctx.facts.statement)


def counts(conn: Connection) -> tuple[int, int]:
    """Return how many payouts the ledger holds open and reconciled."""
    rows = conn.execute(
        sa.select(payouts.c.reconciled_by.is_(None), sa.func.count()).group_by(
            payouts.c.reconciled_by.is_(None)
        )
    ).all()
    by_open = {bool(key): int(count) for key, count in rows}
    return by_open.get(True, 0), by_open.get(False, 0)


__all__ = [
    "CHUNK",
    "MAX_TOKENS",
    "check_payouts",
    "check_statement",
    "counts",
    "entry_label",
    "overdue",
    "overdue_issue",
    "pence",
    "run",
    "statement_day",
]
