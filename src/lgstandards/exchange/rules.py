"""The stateful rules (kind "S" of domain.md 6.5): each checks one document against the ledger.

Each rule reads the ledger (rows it will change are locked ``FOR UPDATE`` on
PostgreSQL; SQLite runs one writer at a time), adds findings to the
:class:`Context`, and queues the changes the document makes. The exchange applies
the changes only when the document has no error, in the same transaction as the
document's own row; uniqueness (a requestId, a TransactionID, a file id, a sequence
number, a CorrelationID) is kept by the database's constraints, and a transaction
that loses a race is rolled back and checked again, when the rule sees the winner.

The rules and their state (tables of :mod:`lgstandards.exchange.ledger`):

* COM-R002/R003 (``govtalk_submissions``): the Document Submission Protocol as a state
  machine. ``request``+``submit`` opens a submission; the gateway's ``acknowledgement``
  gives it its CorrelationID (matched by TransactionID); ``poll`` and ``response`` or
  ``error`` carry that CorrelationID; ``request``+``delete`` clears a response, which a
  ``response``+``delete`` confirms. An unknown CorrelationID is COM-R003; a move the
  state does not allow (a poll after the response, a delete before it) is COM-R002.
* COM-R004 (``govtalk_transactions``): a client's TransactionID (request, poll) is
  unique per sender (SenderID, else the authenticated sender, else the council) per day
  (GatewayTimestamp, else the message's Created date, else today).
* COM-R011: the header's organisation is the authenticated sender, and every claim of a
  bulk file is the header's organisation's.
* COM-R012 (``files``): reconciliation batches' sequence numbers follow on per council;
  a file id (FileId, BatchReference) is never used twice.
* EPAY-R007 (the profile): every fund code is in the council's fund table.
* EPAY-R010/R011/R013/R017 (``payment_requests``, ``payments``, ``refunds``).
* EPAY-R024 (``payments``, ``refunds``): the batch against the ledger for its period.
* BEN-R018 (``claims``): a change, evidence or status query names a claim the ledger
  holds: a claim reference compares exactly; a query by NINO and birth date compares
  their keyed hash.
"""

from __future__ import annotations

import datetime as dt
from collections import deque, namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from lgstandards.codes import Paths, issue
from lgstandards.exchange import facts as f
from lgstandards.exchange import findings
from lgstandards.exchange.facts import Facts, Where, amount_text
from lgstandards.exchange.ledger import (
    TABLES,
    claims,
    files,
    govtalk_submissions,
    govtalk_transactions,
    payment_requests,
    payments,
    refunds,
)
from lgstandards.report import Issue
from lgstandards.validation.profile import Profile

#: A change a document makes, run with the document's id once it is accepted (any result
#: is ignored).
Action = Callable[[int], object]

PAYMENT_RANK = {
    "created": 0,
    "started": 1,
    "submitted": 2,
    "success": 3,
    "failed": 3,
    "cancelled": 3,
    "expired": 3,
    "error": 3,
}
PAYMENT_FINAL = 3
#: ``requested`` is the ledger's own state of a refund asked for but not yet reported.
REFUND_RANK = {"requested": 0, "submitted": 1, "success": 2, "error": 2}
REFUND_FINAL = 2
#: Refund states that count against the amount paid (EPAY-R010).
_REFUND_COUNTS = ("requested", "submitted", "success")

_STATE_CY = {
    "created": "wedi'i greu",
    "started": "wedi dechrau",
    "submitted": "wedi'i gyflwyno",
    "success": "llwyddiant",
    "failed": "wedi methu",
    "cancelled": "wedi'i ganslo",
    "expired": "wedi dod i ben",
    "error": "gwall",
    "requested": "wedi gofyn amdano",
}


#: The default of how long after the day it was paid out a payout may be on no statement.
OVERDUE_AFTER = dt.timedelta(days=5)


def _cy(state: str | None) -> str:
    return _STATE_CY.get(state or "", state or "?")


@dataclass(slots=True)
class Context:
    """One document's check: the ledger connection, its facts and what it finds and changes."""

    conn: Connection
    facts: Facts
    source: str | None
    sender: str | None
    profile: Profile
    salt: bytes
    today: dt.date
    paths: Paths | None = None
    #: How long after the day it was paid out an open payout is overdue (bank reconciliation).
    overdue_after: dt.timedelta = OVERDUE_AFTER
    findings: list[Issue] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)

    @property
    def council(self) -> str:
        """The council the document is about: its header's organisation."""
        return self.facts.council or self.sender or ""

    def find(self, rule: str, where: Where, **params: object) -> None:
        """Add a finding of ``rule`` (``EPAY-R017``) at ``where``: its template's ``params``.

        The issue is the registry's (:func:`lgstandards.codes.issue`, the rule's stateful
        templates); its path is the path maker's, as every other finding's.
        """
        self.findings.append(
            issue(
                f"rule.{rule}",
                params,
                stateful=True,
                element=where.element,
                paths=self.paths,
                source=self.source,
            )
        )

    def later(self, action: Action) -> None:
        """Queue a change to make if the document is accepted."""
        self.actions.append(action)


# ------------------------------------------------------------------ the hot path
# The rules' statements are SQLAlchemy Core constructs, compiled once per dialect and run on
# the transaction's own DBAPI connection: SQLAlchemy's execution of a cached statement costs
# some 20 µs, fifteen times SQLite's own work for a keyed look-up, and a document makes a
# handful. Parameters go through each column type's bind processor, as SQLAlchemy would.


@dataclass(frozen=True, slots=True)
class Compiled:
    """A statement compiled for one dialect: its SQL, parameter order and processors."""

    sql: str
    order: tuple[str, ...] | None
    processors: dict[str, Callable[[Any], Any]]
    defaults: dict[str, Any]
    row: type[tuple[Any, ...]] | None
    returning: bool


_COMPILED: dict[tuple[Any, str], Compiled] = {}


def compiled(
    conn: Connection, key: Any, build: Callable[[], Any], columns: tuple[str, ...] = ()
) -> Compiled:
    """Return the statement ``build()`` compiled for the connection's dialect (cached by key)."""
    dialect = conn.dialect
    found = _COMPILED.get((key, dialect.name))
    if found is None:
        statement = build()
        result = statement.compile(dialect=dialect)
        processors = {}
        defaults = {}
        for name, bind in result.binds.items():
            if bind.expanding:
                raise ValueError(f"{key}: an IN list of values is not run raw; write equalities")
            processor = bind.type.bind_processor(dialect)
            if processor is not None:
                processors[name] = processor
            if not bind.required:  # a value written in the statement (a literal)
                defaults[name] = bind.effective_value
        order = tuple(result.positiontup) if result.positional and result.positiontup else None
        row = namedtuple("Row", columns) if columns else None
        returning = bool(getattr(statement, "_returning", ()))
        found = Compiled(str(result), order, processors, defaults, row, returning)
        _COMPILED[(key, dialect.name)] = found
    return found


def _args(statement: Compiled, params: dict[str, Any]) -> Any:
    """Return the driver's arguments of a compiled statement (literals, bind processors)."""
    if statement.defaults:
        params = {**statement.defaults, **params}
    processors = statement.processors
    if processors:
        params = {k: (processors[k](v) if k in processors else v) for k, v in params.items()}
    return (
        tuple(params[name] for name in statement.order) if statement.order is not None else params
    )


#: ``Connection.info`` keys of a document's statements on PostgreSQL (:func:`one_document`):
#: the writes held back (SQL text, values bound), and what must run before the document's
#: first statement (its savepoint), sent with its first read.
_HELD = "lgs_held_writes"
_BEFORE = "lgs_before"
_CLIENT = "lgs_client_cursor"
_IDS = "lgs_document_ids"
#: Document ids taken from the sequence at a time (PostgreSQL); unused ones are gaps.
ID_BLOCK = 100


def _client(conn: Connection) -> Any:
    """Return the connection's client-side binding cursor (psycopg), made once."""
    info = conn.info
    cursor = info.get(_CLIENT)
    if cursor is None or cursor.closed:
        import psycopg

        raw: Any = conn.connection.driver_connection
        cursor = info[_CLIENT] = psycopg.ClientCursor(raw)
    return cursor


def run_sql(conn: Connection, statement: Compiled, params: dict[str, Any]) -> Any:
    """Run a compiled statement on the connection's DBAPI connection; return the cursor.

    On PostgreSQL, a document's first read carries what must run before it (its
    savepoint, :func:`one_document`) in the same round trip.
    """
    args = _args(statement, params)
    raw = conn.connection.driver_connection
    assert raw is not None
    if conn.dialect.name == "postgresql":
        before = conn.info.pop(_BEFORE, None)
        if before is not None:
            cursor = _client(conn)
            cursor.execute(f"{before}; {cursor.mogrify(statement.sql, args)}")
            cursor.nextset()
            return cursor
    return raw.execute(statement.sql, args)


def _run_write(conn: Connection, statement: Compiled, params: dict[str, Any]) -> Any:
    """Run a write, or hold it back with the document's others (PostgreSQL, see below)."""
    held = conn.info.get(_HELD) if conn.dialect.name == "postgresql" else None
    if held is None:
        return run_sql(conn, statement, params)
    held.append(_client(conn).mogrify(statement.sql, _args(statement, params)))
    return None


@contextmanager
def one_document(conn: Connection, *, savepoint: bool) -> Iterator[None]:
    """Run one document's statements as one unit: all or nothing, in few round trips.

    ``savepoint``: the document is a savepoint of its own (in a batch), rolled back
    alone if anything fails. On PostgreSQL the writes (the document's row and its
    facts) are held back and sent at the end as one string with their values bound,
    after the savepoint (sent with the first read, so that a failed read is rolled
    back alone too) and with its release: a document costs a round trip per read it
    makes and one for all its writes, not one per statement. A write's failure (a
    constraint: a race lost) comes out at the end, and the savepoint is rolled back.
    SQLite runs in process: each statement runs at once.
    """
    raw: Any = conn.connection.driver_connection
    if conn.dialect.name != "postgresql":
        if savepoint:
            raw.execute("SAVEPOINT lgs_document")
        try:
            yield
        except BaseException:
            if savepoint:
                raw.execute("ROLLBACK TO SAVEPOINT lgs_document")
                raw.execute("RELEASE SAVEPOINT lgs_document")
            raise
        if savepoint:
            raw.execute("RELEASE SAVEPOINT lgs_document")
        return
    info = conn.info
    info[_HELD] = []
    if savepoint:
        info[_BEFORE] = "SAVEPOINT lgs_document"
    try:
        yield
        held: list[str] = info.pop(_HELD)
        before = info.pop(_BEFORE, None)  # None: the first read sent it
        parts = [before] if before else []
        parts.extend(held)
        if savepoint:
            parts.append("RELEASE SAVEPOINT lgs_document")
        if parts:
            _client(conn).execute("; ".join(parts))
    except BaseException:
        info.pop(_HELD, None)
        sent = _BEFORE not in info  # the savepoint ran (with a read, or first in the writes)
        info.pop(_BEFORE, None)
        if savepoint and sent:
            raw.execute("ROLLBACK TO SAVEPOINT lgs_document")
            raw.execute("RELEASE SAVEPOINT lgs_document")
        raise


def next_document_id(conn: Connection) -> int | None:
    """Return the id of the next document's row on PostgreSQL (None on SQLite).

    Ids are taken from the table's sequence :data:`ID_BLOCK` at a time, so that the
    document's row and its facts (which refer to it) are written without waiting for
    an insert's result. On SQLite the insert gives the id at once.
    """
    if conn.dialect.name != "postgresql":
        return None
    ids: deque[int] = conn.info.setdefault(_IDS, deque())
    if not ids:
        raw: Any = conn.connection.driver_connection
        taken = raw.execute(
            "SELECT nextval(pg_get_serial_sequence('documents', 'id')) FROM generate_series(1, %s)",
            (ID_BLOCK,),
        ).fetchall()
        ids.extend(int(row[0]) for row in taken)
    return ids.popleft()


def fetch(
    conn: Connection,
    table: str,
    *,
    columns: tuple[str, ...] = (),
    nulls: tuple[str, ...] = (),
    lock: bool = False,
    **where: Any,
) -> Any:
    """Return the first row of ``table`` whose columns equal ``where`` (None if none).

    ``nulls`` are columns that must be NULL; ``lock`` locks the row (PostgreSQL). The
    row's values are as the driver gives them (on SQLite, dates are ISO strings).
    """
    keys = tuple(sorted(where))
    lock = lock and conn.dialect.name == "postgresql"
    t = TABLES[table]
    names = columns or tuple(c.name for c in t.columns)

    def build() -> Any:
        query = sa.select(*(t.c[c] for c in names)).where(
            *(t.c[k] == sa.bindparam(f"w_{k}") for k in keys), *(t.c[n].is_(None) for n in nulls)
        )
        return query.with_for_update() if lock else query

    statement = compiled(conn, ("select", table, names, keys, nulls, lock), build, names)
    row = run_sql(conn, statement, {f"w_{k}": where[k] for k in keys}).fetchone()
    if row is None:
        return None
    assert statement.row is not None
    return statement.row(*row)


def insert_row(conn: Connection, table: sa.Table | str, **values: Any) -> int | None:
    """Insert one row; return its id on SQLite (None on PostgreSQL: no result is awaited).

    On PostgreSQL, inside :func:`one_document` the insert is held back and sent with
    the document's other writes; a caller that needs the new row's id gives it
    (:func:`next_document_id`).
    """
    t = TABLES[table if isinstance(table, str) else table.name]
    keys = tuple(sorted(values))

    def build() -> Any:
        return t.insert().values({t.c[k]: sa.bindparam(f"v_{k}") for k in keys})

    statement = compiled(conn, ("insert", t.name, keys), build)
    cursor = _run_write(conn, statement, {f"v_{k}": values[k] for k in keys})
    if conn.dialect.name == "postgresql":
        return None
    return int(cursor.lastrowid)


def rows(conn: Connection, key: Any, build: Callable[[], Any], params: dict[str, Any]) -> list[Any]:
    """Return every row of the query ``build()`` (compiled once per dialect, cached by key)."""
    return list(run_sql(conn, compiled(conn, key, build), params).fetchall())


def update_row(conn: Connection, table: sa.Table | str, row_id: int, **values: Any) -> None:
    """Set ``values`` on the row ``row_id`` of ``table``."""
    t = TABLES[table if isinstance(table, str) else table.name]
    keys = tuple(sorted(values))

    def build() -> Any:
        return (
            t.update()
            .where(t.c.id == sa.bindparam("row_id"))
            .values({t.c[k]: sa.bindparam(f"v_{k}") for k in keys})
        )

    statement = compiled(conn, ("update", t.name, keys), build)
    _run_write(conn, statement, {"row_id": row_id, **{f"v_{k}": values[k] for k in keys}})


def document_name(conn: Connection, document_id: int | None) -> str:
    """Name a ledger document for a finding: ``#12 (payment-result.xml)``."""
    if document_id is None:
        return "?"
    row = fetch(conn, "documents", columns=("source",), id=document_id)
    source = row[0] if row is not None else None
    return f"#{document_id} ({source})" if source else f"#{document_id}"


# ------------------------------------------------------------------ COM-R011, EPAY-R007
def check_organisation(ctx: Context) -> None:
    """COM-R011: the header's organisation is the authenticated sender and every record's."""
    council = ctx.facts.council
    if ctx.sender and council and council != ctx.sender:
        ctx.find(
            "COM-R011",
            ctx.facts.council_where,
            part="header",
            part_cy="y pennyn",
            organisation=council,
            expected_as="the authenticated sender",
            expected_as_cy="yw'r anfonwr a ddilyswyd",
            expected=ctx.sender,
        )
    message = ctx.facts.message
    if isinstance(message, f.BulkClaims) and council:
        for claim in message.claims:
            if claim.council and claim.council != council:
                ctx.find(
                    "COM-R011",
                    claim.council_where,
                    part="claim",
                    part_cy="yr hawliad",
                    organisation=claim.council,
                    expected_as="the file header's organisation",
                    expected_as_cy="yw sefydliad pennyn y ffeil",
                    expected=council,
                )


def check_funds(ctx: Context) -> None:
    """EPAY-R007: every fund code is in the council's fund table."""
    table = ctx.profile.funds
    for fund in ctx.facts.funds:
        if fund.code not in table:
            ctx.find("EPAY-R007", fund.where, fund=fund.code)


# ------------------------------------------------------------------ GovTalk: COM-R002/3/4
_ACKNOWLEDGED = ("acknowledged", "polled")


def check_govtalk(ctx: Context) -> None:
    """COM-R002/R003 (the submission protocol) and COM-R004 (TransactionID per day)."""
    env = ctx.facts.envelope
    if env is None or env.qualifier is None:
        return
    conn = ctx.conn
    party = env.sender_id or ctx.sender or ctx.facts.council or "-"
    qualifier, function = env.qualifier, env.function
    if qualifier in ("request", "poll") and env.transaction_id:
        day = env.day or ctx.facts.created or ctx.today
        used = fetch(
            conn,
            "govtalk_transactions",
            columns=("document_id",),
            party=party,
            day=day,
            transaction_id=env.transaction_id,
        )
        if used is not None:
            earlier = document_name(conn, used[0])
            ctx.find(
                "COM-R004",
                env.where,
                **findings.transaction_id_reused(
                    env.transaction_id, party, day.isoformat(), earlier
                ),
            )
        else:
            transaction_id = env.transaction_id
            ctx.later(
                lambda doc: insert_row(
                    conn,
                    govtalk_transactions,
                    party=party,
                    day=day,
                    transaction_id=transaction_id,
                    document_id=doc,
                )
            )
    _protocol(ctx, party, qualifier, function)


#: The submission states of the protocol, English and Welsh.
SUBMISSION_STATES = {
    "none": ("none (no submission awaits it)", "dim (nid oes cyflwyniad yn aros amdani)"),
    "submitted": ("submitted", "wedi'i gyflwyno"),
    "acknowledged": ("acknowledged", "wedi'i gydnabod"),
    "polled": ("polled", "wedi'i arolygu"),
    "responded": ("answered", "wedi'i ateb"),
    "error": ("answered with an error", "wedi'i ateb â gwall"),
    "deleted": ("deleted", "wedi'i ddileu"),
    "closed": ("closed", "wedi'i gau"),
}


def _illegal(ctx: Context, where: Where, state: str, cid: str | None) -> None:
    env = ctx.facts.envelope
    assert env is not None
    move = env.qualifier if not env.function else f"{env.qualifier}/{env.function}"
    english, welsh = SUBMISSION_STATES.get(state, (state, state))
    ctx.find("COM-R002", where, move=move, correlation_id=cid or "?", state=english, state_cy=welsh)


#: (qualifier, function) -> (the states it may follow, the state it leaves).
_MOVES: dict[tuple[str, str | None], tuple[tuple[str, ...], str]] = {
    ("poll", None): (_ACKNOWLEDGED, "polled"),
    ("poll", "submit"): (_ACKNOWLEDGED, "polled"),
    ("response", "delete"): (("deleted",), "closed"),
    ("request", "delete"): (("responded", "error"), "deleted"),
}


def _pending(conn: Connection, transaction_id: str | None) -> Any:
    """Return the latest submission of ``transaction_id`` awaiting its acknowledgement."""
    table = govtalk_submissions

    def build() -> Any:
        query = (
            sa.select(table.c.id)
            .where(
                table.c.transaction_id == sa.bindparam("tid"),
                table.c.state == "submitted",
                table.c.correlation_id.is_(None),
            )
            .order_by(table.c.id.desc())
            .limit(1)
        )
        return query.with_for_update() if conn.dialect.name == "postgresql" else query

    found = rows(conn, "pending", build, {"tid": transaction_id})
    return found[0] if found else None


def _protocol(ctx: Context, party: str, qualifier: str, function: str | None) -> None:
    env = ctx.facts.envelope
    assert env is not None
    conn, cid = ctx.conn, env.correlation_id
    table = govtalk_submissions
    if qualifier == "request" and function == "submit":
        tid = env.transaction_id
        ctx.later(
            lambda doc: insert_row(
                conn, table, party=party, transaction_id=tid, state="submitted", document_id=doc
            )
        )
        return
    if qualifier == "acknowledgement" and cid:
        row = fetch(conn, "govtalk_submissions", correlation_id=cid, lock=True)
        if row is None:
            pending = _pending(conn, env.transaction_id)
            if pending is None:
                _illegal(ctx, env.where, "none", cid)
                return
            pending_id = pending[0]
            ctx.later(
                lambda doc: update_row(
                    conn,
                    table,
                    pending_id,
                    correlation_id=cid,
                    state="acknowledged",
                    document_id=doc,
                )
            )
            return
        if row.state not in _ACKNOWLEDGED:
            _illegal(ctx, env.where, row.state, cid)
            return
        row_id = row.id
        ctx.later(
            lambda doc: update_row(conn, table, row_id, state="acknowledged", document_id=doc)
        )
        return
    if qualifier == "response":
        move = _MOVES.get(("response", function)) or (_ACKNOWLEDGED, "responded")
    elif qualifier == "error":
        move = (("submitted", *_ACKNOWLEDGED), "error")
    else:
        found = _MOVES.get((qualifier, function))
        if found is None:
            return  # list, read, add: no submission state
        move = found
    allowed, after = move
    if not cid:
        if qualifier == "error" and env.transaction_id:  # a submission refused at once
            pending = _pending(conn, env.transaction_id)
            if pending is not None:
                pending_id = pending[0]
                ctx.later(
                    lambda doc: update_row(conn, table, pending_id, state="error", document_id=doc)
                )
        return
    row = fetch(conn, "govtalk_submissions", correlation_id=cid, lock=True)
    if row is None:
        ctx.find("COM-R003", env.where, correlation_id=cid, qualifier=qualifier)
        return
    if row.state not in allowed:
        _illegal(ctx, env.where, row.state, cid)
        return
    row_id = row.id
    ctx.later(lambda doc: update_row(conn, table, row_id, state=after, document_id=doc))


# ------------------------------------------------------------------ e-Pay


def _move(rank: dict[str, int], final: int, old: str, new: str) -> tuple[str, str] | None:
    """Return why ``old`` -> ``new`` is illegal (English, Welsh), None when it is legal."""
    if old == new or new not in rank or old not in rank:
        return None
    if rank[old] >= final:
        return ("out of the final state", "allan o'r cyflwr terfynol")
    if rank[new] < rank[old]:
        return ("backwards", "yn ôl")
    return None


def _payment(ctx: Context, gateway_ref: str) -> Any:
    return fetch(ctx.conn, "payments", council=ctx.council, gateway_ref=gateway_ref, lock=True)


def _refunded(conn: Connection, payment_id: int, *, besides: int | None = None) -> int:
    def build() -> Any:
        query = sa.select(sa.func.coalesce(sa.func.sum(refunds.c.amount_pence), 0)).where(
            refunds.c.payment_id == sa.bindparam("payment_id"),
            sa.or_(*(refunds.c.state == state for state in _REFUND_COUNTS)),
        )
        if besides is not None:
            query = query.where(refunds.c.id != sa.bindparam("besides"))
        return query

    params: dict[str, Any] = {"payment_id": payment_id}
    if besides is not None:
        params["besides"] = besides
    found = rows(conn, ("refunded", besides is not None), build, params)
    return int(found[0][0] or 0)


def check_payment_request(ctx: Context, message: f.PaymentRequest) -> None:
    """EPAY-R017: the requestId is new for the calling application."""
    if message.request_id is None or message.calling_app is None:
        return
    conn, council = ctx.conn, ctx.council
    used = fetch(
        conn,
        "payment_requests",
        columns=("document_id",),
        council=council,
        calling_app=message.calling_app,
        request_id=message.request_id,
    )
    if used is not None:
        earlier = document_name(conn, used[0])
        ctx.find(
            "EPAY-R017",
            message.where,
            **findings.request_id_reused(message.request_id, message.calling_app, earlier),
        )
        return
    ctx.later(
        lambda doc: insert_row(
            conn,
            payment_requests,
            council=council,
            calling_app=message.calling_app,
            request_id=message.request_id,
            amount_pence=message.amount,
            document_id=doc,
        )
    )


def _payment_moves(ctx: Context, row: Any, new: str, where: Where, ref: str) -> bool:
    why = _move(PAYMENT_RANK, PAYMENT_FINAL, row.state, new)
    if why is None:
        return True
    ctx.find(
        "EPAY-R013",
        where,
        what="Payment",
        what_cy="taliad",
        reference=ref,
        old=row.state,
        old_cy=_cy(row.state),
        new=new,
        new_cy=_cy(new),
        why=why[0],
        why_cy=why[1],
        earlier=document_name(ctx.conn, row.state_document_id),
    )
    return False


def check_payment_result(ctx: Context, message: f.PaymentResult) -> None:
    """EPAY-R013: the payment's new state is a legal move from the one the ledger holds."""
    ref, status = message.gateway_ref, message.status
    if ref is None or status not in PAYMENT_RANK:
        return
    conn, council = ctx.conn, ctx.council
    row = _payment(ctx, ref)
    if row is None:
        ctx.later(
            lambda doc: insert_row(
                conn,
                payments,
                council=council,
                gateway_ref=ref,
                request_id=message.request_id,
                state=status,
                amount_pence=message.amount,
                transaction_date=message.transaction_date,
                state_document_id=doc,
            )
        )
        return
    if not _payment_moves(ctx, row, status, message.where, ref):
        return
    if row.state == status:
        return  # the same state again is not a move
    values: dict[str, Any] = {"state": status}
    if message.amount is not None:
        values["amount_pence"] = message.amount
    if message.transaction_date is not None:
        values["transaction_date"] = message.transaction_date
    row_id = row.id
    ctx.later(lambda doc: update_row(conn, payments, row_id, state_document_id=doc, **values))


def check_payment_notification(ctx: Context, message: f.PaymentNotification) -> None:
    """EPAY-R013: money received means success; record the receipt number (EPAY-R024)."""
    ref = message.gateway_ref
    if ref is None:
        return
    conn, council = ctx.conn, ctx.council
    row = _payment(ctx, ref)
    if row is None:
        ctx.later(
            lambda doc: insert_row(
                conn,
                payments,
                council=council,
                gateway_ref=ref,
                state="success",
                amount_pence=message.amount,
                receipt_number=message.receipt,
                transaction_date=message.payment_date,
                state_document_id=doc,
            )
        )
        return
    if not _payment_moves(ctx, row, "success", message.where, ref):
        return
    values: dict[str, Any] = {"receipt_number": message.receipt or row.receipt_number}
    if row.amount_pence is None:
        values["amount_pence"] = message.amount
    if row.transaction_date is None:
        values["transaction_date"] = message.payment_date
    if row.state != "success":
        values["state"] = "success"
    row_id = row.id
    ctx.later(
        lambda doc: update_row(
            conn,
            payments,
            row_id,
            **values,
            **({"state_document_id": doc} if "state" in values else {}),
        )
    )


def _refundable(ctx: Context, ref: str, where: Where) -> Any:
    """EPAY-R011: return the payment row when a refund of it is allowed, else find and None."""
    row = _payment(ctx, ref)
    if row is None:
        ctx.find(
            "EPAY-R011",
            where,
            reference=ref,
            reason="which the ledger does not hold",
            reason_cy="nad yw yn y cyfriflyfr",
        )
        return None
    if row.state != "success":
        earlier = document_name(ctx.conn, row.state_document_id)
        ctx.find(
            "EPAY-R011",
            where,
            reference=ref,
            reason=f"whose state is {row.state}, not success (document {earlier})",
            reason_cy=f"sydd yn y cyflwr {_cy(row.state)}, nid llwyddiant (dogfen {earlier})",
        )
        return None
    return row


def _within_paid(
    ctx: Context, payment: Any, amount: int | None, where: Where, *, besides: int | None = None
) -> bool:
    """EPAY-R010: the refunds of a payment, with ``amount``, stay within what was paid."""
    if amount is None or payment.amount_pence is None:
        return True
    earlier = _refunded(ctx.conn, payment.id, besides=besides)
    if earlier + amount <= payment.amount_pence:
        return True
    ctx.find(
        "EPAY-R010",
        where,
        amount=amount_text(amount),
        refunded=amount_text(earlier),
        paid=amount_text(payment.amount_pence),
        reference=payment.gateway_ref,
        earlier=document_name(ctx.conn, payment.state_document_id),
    )
    return False


def _refund_request_used(ctx: Context, request_id: str, where: Where) -> bool:
    used = fetch(
        ctx.conn,
        "refunds",
        columns=("state_document_id",),
        council=ctx.council,
        refund_request_id=request_id,
    )
    if used is None:
        return False
    earlier = document_name(ctx.conn, used[0])
    params = findings.refund_request_id_reused(request_id, ctx.council, earlier)
    ctx.find("EPAY-R017", where, **params)
    return True


def check_refund_request(ctx: Context, message: f.RefundRequest) -> None:
    """EPAY-R010, R011 and R017 for a refund asked for."""
    ref = message.gateway_ref
    if ref is None:
        return
    conn, council = ctx.conn, ctx.council
    if message.refund_request_id is not None and _refund_request_used(
        ctx, message.refund_request_id, message.where
    ):
        return
    payment = _refundable(ctx, ref, message.where)
    if payment is None or message.amount is None:
        return
    if not _within_paid(ctx, payment, message.amount, message.where):
        return
    payment_id = payment.id
    ctx.later(
        lambda doc: insert_row(
            conn,
            refunds,
            council=council,
            payment_id=payment_id,
            refund_request_id=message.refund_request_id,
            amount_pence=message.amount,
            state="requested",
            state_document_id=doc,
        )
    )


def check_refund_notification(ctx: Context, message: f.RefundNotification) -> None:
    """EPAY-R013 for a known refund; EPAY-R010 and R011 for a new one."""
    ref, status = message.gateway_ref, message.status
    if ref is None or status not in REFUND_RANK:
        return
    conn, council = ctx.conn, ctx.council
    row = None
    if message.refund_id is not None:
        row = fetch(conn, "refunds", council=council, refund_id=message.refund_id, lock=True)
    if row is None and message.refund_request_id is not None:
        row = fetch(
            conn,
            "refunds",
            council=council,
            refund_request_id=message.refund_request_id,
            nulls=("refund_id",),
            lock=True,
        )
    label = message.refund_id or message.refund_request_id or "?"
    if row is not None:
        why = _move(REFUND_RANK, REFUND_FINAL, row.state, status)
        if why is not None:
            ctx.find(
                "EPAY-R013",
                message.where,
                what="Refund",
                what_cy="ad-daliad",
                reference=label,
                old=row.state,
                old_cy=_cy(row.state),
                new=status,
                new_cy=_cy(status),
                why=why[0],
                why_cy=why[1],
                earlier=document_name(conn, row.state_document_id),
            )
            return
        values: dict[str, Any] = {"state": status, "refund_id": message.refund_id or row.refund_id}
        if message.amount is not None and message.amount != row.amount_pence:
            payment = fetch(conn, "payments", id=row.payment_id, lock=True)
            if status != "error" and not _within_paid(
                ctx, payment, message.amount, message.where, besides=row.id
            ):
                return
            values["amount_pence"] = message.amount
        if message.created is not None:
            values["created"] = message.created
        if row.state == status and values.get("refund_id") == row.refund_id:
            return  # the same state again is not a move
        row_id = row.id
        ctx.later(lambda doc: update_row(conn, refunds, row_id, state_document_id=doc, **values))
        return
    # a new refund: its request id must not be another refund's (the ledger holds one each)
    if message.refund_request_id is not None and _refund_request_used(
        ctx, message.refund_request_id, message.where
    ):
        return
    payment = _refundable(ctx, ref, message.where)
    if payment is None or message.amount is None:
        return
    if status != "error" and not _within_paid(ctx, payment, message.amount, message.where):
        return
    payment_id = payment.id
    ctx.later(
        lambda doc: insert_row(
            conn,
            refunds,
            council=council,
            payment_id=payment_id,
            refund_request_id=message.refund_request_id,
            refund_id=message.refund_id,
            amount_pence=message.amount,
            state=status,
            created=message.created,
            state_document_id=doc,
        )
    )


# ------------------------------------------------------------------ files: COM-R012
def _check_file(ctx: Context, kind: str, file_id: str | None, where: Where) -> bool:
    if file_id is None:
        return True
    used = fetch(
        ctx.conn, "files", columns=("document_id",), council=ctx.council, kind=kind, file_id=file_id
    )
    if used is None:
        return True
    earlier = document_name(ctx.conn, used[0])
    ctx.find("COM-R012", where, **findings.file_id_reused(file_id, earlier))
    return False


_BATCH = "epay.reconciliation-batch"


def check_reconciliation(ctx: Context, batch: f.Reconciliation) -> None:
    """COM-R012 (file id, sequence) and EPAY-R024 (the batch against the ledger)."""
    conn, council = ctx.conn, ctx.council
    _check_file(ctx, _BATCH, batch.file_id, batch.where)
    if batch.sequence is not None:
        latest = rows(
            conn,
            "latest-sequence",
            lambda: (
                sa.select(files.c.sequence, files.c.document_id)
                .where(
                    files.c.council == sa.bindparam("council"),
                    files.c.kind == sa.bindparam("kind"),
                    files.c.sequence.is_not(None),
                )
                .order_by(files.c.sequence.desc())
                .limit(1)
            ),
            {"council": council, "kind": _BATCH},
        )
        last = latest[0] if latest else None
        if last is not None and batch.sequence != last[0] + 1:
            ctx.find(
                "COM-R012",
                batch.sequence_where,
                **findings.sequence_broken(batch.sequence, last[0], document_name(conn, last[1])),
            )
    matched_payments, matched_refunds = _reconcile(ctx, batch)
    if batch.file_id is not None:
        file_id, sequence = batch.file_id, batch.sequence

        def record(doc: int) -> None:
            insert_row(
                conn,
                files,
                council=council,
                kind=_BATCH,
                file_id=file_id,
                sequence=sequence,
                document_id=doc,
            )
            for payment_id in sorted(matched_payments):
                update_row(conn, payments, payment_id, reconciled_by=doc)
            for refund_id in sorted(matched_refunds):
                update_row(conn, refunds, refund_id, reconciled_by=doc)

        ctx.later(record)


def _succeeded_in_period(
    conn: Connection,
    name: str,
    table: sa.Table,
    ident: str,
    day: str,
    span: dict[str, Any],
) -> list[Any]:
    """Rows (id, ``ident``, state document) of ``table`` in success with ``day`` in the span."""
    return rows(
        conn,
        name,
        lambda: (
            sa.select(table.c.id, table.c[ident], table.c.state_document_id)
            .where(
                table.c.council == sa.bindparam("council"),
                table.c.state == "success",
                table.c[day] >= sa.bindparam("start", type_=sa.Date),
                table.c[day] <= sa.bindparam("end", type_=sa.Date),
            )
            .order_by(table.c.id)
        ),
        span,
    )


def _reconcile(ctx: Context, batch: f.Reconciliation) -> tuple[set[int], set[int]]:
    """EPAY-R024: compare each record with the ledger, then the ledger with the records."""
    conn, council = ctx.conn, ctx.council
    matched_payments: set[int] = set()
    matched_refunds: set[int] = set()
    for record in batch.records:
        tid = record.transaction_id
        if tid is None or record.record_type not in ("PAYMENT", "REFUND"):
            continue  # disputes: the ledger holds none
        if record.record_type == "PAYMENT":
            row = fetch(conn, "payments", council=council, gateway_ref=tid)
            if row is None and record.receipt is not None:
                row = fetch(conn, "payments", council=council, receipt_number=record.receipt)
            ledger_amount = None if row is None else row.amount_pence
            batch_amount = record.gross
            what, what_cy = "payment", "taliad"
        else:
            row = fetch(conn, "refunds", council=council, refund_id=tid)
            ledger_amount = None if row is None else row.amount_pence
            batch_amount = None if record.gross is None else -record.gross
            what, what_cy = "refund", "ad-daliad"
        label = f"{tid} (receipt {record.receipt})" if record.receipt else tid
        label_cy = f"{tid} (derbynneb {record.receipt})" if record.receipt else tid
        named = {"what": what, "what_cy": what_cy, "reference": label, "reference_cy": label_cy}
        if row is None:
            ctx.find(
                "EPAY-R024",
                record.where,
                **named,
                reason="is not in the ledger",
                reason_cy="nid yw yn y cyfriflyfr",
            )
            continue
        earlier = document_name(conn, row.state_document_id)
        (matched_payments if what == "payment" else matched_refunds).add(row.id)
        if row.state != "success":
            ctx.find(
                "EPAY-R024",
                record.where,
                **named,
                reason=f"is for a {what} whose state is {row.state}, not success "
                f"(ledger document {earlier})",
                reason_cy=f"mae ar gyfer {what_cy} yn y cyflwr {_cy(row.state)}, nid "
                f"llwyddiant (dogfen y cyfriflyfr {earlier})",
            )
        if batch_amount is not None and ledger_amount is not None and batch_amount != ledger_amount:
            ctx.find(
                "EPAY-R024",
                record.where,
                **named,
                reason=f"has {amount_text(batch_amount)}; the ledger has "
                f"{amount_text(ledger_amount)} (ledger document {earlier})",
                reason_cy=f"mae ganddo {amount_text(batch_amount)}; mae gan y cyfriflyfr "
                f"{amount_text(ledger_amount)} (dogfen y cyfriflyfr {earlier})",
            )
        if (
            what == "payment"
            and record.receipt is not None
            and row.receipt_number is not None
            and row.receipt_number != record.receipt
        ):
            ctx.find(
                "EPAY-R024",
                record.where,
                **named,
                reason=f"has receipt {record.receipt}; the ledger has {row.receipt_number} "
                f"(ledger document {earlier})",
                reason_cy=f"mae ganddo dderbynneb {record.receipt}; mae gan y cyfriflyfr "
                f"{row.receipt_number} (dogfen y cyfriflyfr {earlier})",
            )
    if batch.period_from is None or batch.period_to is None:
        return matched_payments, matched_refunds
    span = {"council": council, "start": batch.period_from, "end": batch.period_to}
    missing_payments = _succeeded_in_period(
        conn, "period-payments", payments, "gateway_ref", "transaction_date", span
    )
    missing_refunds = _succeeded_in_period(
        conn, "period-refunds", refunds, "refund_id", "created", span
    )
    period = f"{batch.period_from.isoformat()} to {batch.period_to.isoformat()}"
    period_cy = f"{batch.period_from.isoformat()} i {batch.period_to.isoformat()}"
    for found, matched, what, what_cy in (
        (missing_payments, matched_payments, "payment", "taliad"),
        (missing_refunds, matched_refunds, "refund", "ad-daliad"),
    ):
        for row_id, ident, doc in found:
            if row_id in matched:
                continue
            earlier = document_name(conn, doc)
            ctx.find(
                "EPAY-R024",
                batch.where,
                what=what,
                what_cy=what_cy,
                reference=ident,
                reference_cy=ident,
                reason=f"is missing: the {what} succeeded in the period {period} "
                f"(ledger document {earlier})",
                reason_cy=f"ar goll: {what_cy} llwyddiannus o'r cyfnod {period_cy} "
                f"(dogfen y cyfriflyfr {earlier})",
            )
    return matched_payments, matched_refunds


# ------------------------------------------------------------------ e-Benefits: BEN-R018
def _register_claim(conn: Connection, ctx: Context, claim: f.Claim, council: str) -> Action:
    key = claim.claimant.key(ctx.salt) if claim.claimant is not None else None

    def action(doc: int) -> None:
        row = None
        if claim.submission_id is not None:
            row = fetch(conn, "claims", council=council, submission_id=claim.submission_id)
        if row is None and claim.reference is not None:
            row = fetch(conn, "claims", council=council, reference=claim.reference)
        if row is None:
            insert_row(
                conn,
                claims,
                council=council,
                reference=claim.reference,
                submission_id=claim.submission_id,
                claimant_key=key,
                document_id=doc,
            )
            return
        values: dict[str, Any] = {}
        if row.claimant_key is None and key is not None:
            values["claimant_key"] = key
        if row.reference is None and claim.reference is not None:
            taken = fetch(
                conn, "claims", columns=("id",), council=council, reference=claim.reference
            )
            if taken is None:
                values["reference"] = claim.reference
        if values:
            update_row(conn, claims, row.id, **values)

    return action


_USES = {
    "change": ("change of circumstances", "newid amgylchiadau"),
    "evidence": ("evidence submission", "cyflwyniad tystiolaeth"),
    "query": ("claim status query", "ymholiad statws hawliad"),
}


def check_claims(ctx: Context, message: f.Claim | f.BulkClaims | f.ClaimUse) -> None:
    """BEN-R018 (claims referred to exist), COM-R012 (bulk file ids); register claims."""
    conn, council = ctx.conn, ctx.council
    if isinstance(message, f.Claim):
        ctx.later(_register_claim(conn, ctx, message, council))
        return
    if isinstance(message, f.BulkClaims):
        _check_file(ctx, "ebenefits.bulk-claims", message.batch_reference, message.where)
        actions = [_register_claim(conn, ctx, claim, council) for claim in message.claims]
        if message.batch_reference is not None:
            reference = message.batch_reference
            actions.insert(
                0,
                lambda doc: insert_row(
                    conn,
                    files,
                    council=council,
                    kind="ebenefits.bulk-claims",
                    file_id=reference,
                    document_id=doc,
                ),
            )
        for action in actions:
            ctx.later(action)
        return
    if message.what == "decision":
        if message.reference is not None:
            ctx.later(
                _register_claim(
                    conn, ctx, f.Claim(None, message.reference, None, council, Where()), council
                )
            )
        return
    what, what_cy = _USES[message.what]
    if message.reference is not None:
        found = fetch(conn, "claims", columns=("id",), council=council, reference=message.reference)
        if found is None:
            ctx.find(
                "BEN-R018",
                message.where,
                what=what,
                what_cy=what_cy,
                claim=f"claim {message.reference}",
                claim_cy=f"hawliad {message.reference}",
            )
        return
    if message.claimant is not None:
        key = message.claimant.key(ctx.salt)
        found = fetch(conn, "claims", columns=("id",), council=council, claimant_key=key)
        if found is None:
            ctx.find(
                "BEN-R018",
                message.where,
                what=what,
                what_cy=what_cy,
                claim="the claim of a claimant (National Insurance number and birth date)",
                claim_cy="hawliad hawliwr (rhif Yswiriant Gwladol a dyddiad geni)",
            )


# ------------------------------------------------------------------ all rules
def run(ctx: Context) -> None:
    """Run every stateful rule that applies to the document, in a fixed order."""
    check_organisation(ctx)
    check_funds(ctx)
    check_govtalk(ctx)
    message = ctx.facts.message
    if isinstance(message, f.PaymentRequest):
        check_payment_request(ctx, message)
    elif isinstance(message, f.PaymentResult):
        check_payment_result(ctx, message)
    elif isinstance(message, f.PaymentNotification):
        check_payment_notification(ctx, message)
    elif isinstance(message, f.RefundRequest):
        check_refund_request(ctx, message)
    elif isinstance(message, f.RefundNotification):
        check_refund_notification(ctx, message)
    elif isinstance(message, f.Reconciliation):
        check_reconciliation(ctx, message)
    elif isinstance(message, f.Claim | f.BulkClaims | f.ClaimUse):
        check_claims(ctx, message)


#: The stateful rules: id -> (what the exchange checks, where its state lives).
STATEFUL_RULES = {
    "COM-R002": ("the Document Submission Protocol's moves", "govtalk_submissions"),
    "COM-R003": ("the acknowledged CorrelationID", "govtalk_submissions"),
    "COM-R004": ("TransactionID per sender per day", "govtalk_transactions"),
    "COM-R011": ("organisation = authenticated sender = every record's", "none: the document"),
    "COM-R012": ("contiguous sequence numbers, no duplicate file id", "files"),
    "EPAY-R007": ("fund code in the council's fund table", "none: the council's profile"),
    "EPAY-R010": ("the refunds of a payment within what was paid", "payments, refunds"),
    "EPAY-R011": ("refunds only of a payment in success", "payments"),
    "EPAY-R013": ("legal payment and refund status transitions", "payments, refunds"),
    "EPAY-R017": ("idempotency keys never reused", "payment_requests, refunds"),
    "EPAY-R024": ("reconciliation batch against the ledger", "payments, refunds"),
    "BEN-R018": ("claims referred to exist", "claims"),
}


__all__ = [
    "OVERDUE_AFTER",
    "PAYMENT_RANK",
    "REFUND_RANK",
    "STATEFUL_RULES",
    "Action",
    "Compiled",
    "Context",
    "compiled",
    "document_name",
    "fetch",
    "insert_row",
    "next_document_id",
    "one_document",
    "rows",
    "run",
    "run_sql",
    "update_row",
]
