"""The ledger: one schema on SQLite (default) or PostgreSQL, with versioned migrations.

**Migrations.** The schema is built by plain versioned migrations (:data:`MIGRATIONS`),
each a small Python function of SQLAlchemy Core DDL run inside one transaction, and the
table ``schema_migrations`` records every version applied. Not Alembic: the ledger is
embedded in a library, not an application with a deployment step; its schema is a
dozen tables; it must migrate itself when it is opened (a council's first run with a
newer lgstandards), on SQLite and PostgreSQL alike, under a lock so that two processes
opening it at once do not both migrate; and it must *refuse* a ledger written by a
newer or unknown version with a clear error. Alembic would bring a second dependency,
its configuration and script folder, and SQLite's copy-and-move "batch" mode, for none
of which this schema has a use; the version table gives the same guarantees in a page
of code that the tests exercise (a ledger made by the version 1 migrations is migrated).

:func:`define_tables` holds the tables of every version (a later version's change is an
``if version >= N`` there and a step in :data:`MIGRATIONS`), so the tables of version 1
stay those of version 1; :data:`TABLES` (``metadata``) is the latest version, which the
queries use. A ledger is always built by the same steps, whatever its age, and the
tests compare the migrated schema with :data:`TABLES` on both databases.

**Where each rule's state lives** (every table scoped by ``council``, the message
header's organisation):

========================  ==========================================================
``payment_requests``      EPAY-R017: ``(council, calling_app, request_id)`` unique
``payments``              EPAY-R010/R011/R013/R024: ``state``, ``amount_pence``,
                          ``receipt_number``, ``transaction_date``, ``reconciled_by``
``refunds``               EPAY-R010/R013/R017/R024: ``amount_pence``, ``state``,
                          ``refund_request_id`` and ``refund_id`` unique per council
``claims``                BEN-R018: ``reference`` and ``submission_id`` unique per
                          council; ``claimant_key`` = HMAC(salt, NINO and birth date)
``govtalk_submissions``   COM-R002/R003: ``correlation_id`` (unique), ``state``
``govtalk_transactions``  COM-R004: ``(party, day, transaction_id)`` unique
``files``                 COM-R012: ``(council, kind, file_id)`` and
                          ``(council, kind, sequence)`` unique
``payouts``               bank reconciliation (version 3): ``(council, payout_id)`` unique;
                          ``reference``, ``amount_pence``, ``currency``, ``expected``
                          (the day paid out), the declaring document; ``reconciled_by``,
                          ``statement_ref`` and ``entry_ref`` once a statement matched it
``bank_statements``       bank reconciliation: ``(council, message, statement_id)`` unique
                          (a statement is matched once)
``documents``             every document checked: hash, kind, verdict, report (scrubbed
                          of card numbers and, for e-Benefits, NINOs and dates), and the
                          content only when asked, with an expiry
========================  ==========================================================

The fund table of EPAY-R007 is the council's profile, not ledger state.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import StaticPool

from lgstandards.exceptions import LedgerError, LedgerVersionError

# ------------------------------------------------------------------ the schema
_Id = sa.Integer
#: The longest identifier the ledger keeps (its key columns): a longer one cannot be kept.
KEY_LENGTH = 64
#: The whole numbers the ledger keeps (a 64-bit integer column, on SQLite and PostgreSQL).
INTEGERS = range(-(2**63), 2**63)


def checked_sender(sender: str | None) -> str | None:
    """Return ``sender``, an authenticated sender's id, if the ledger can keep it.

    An id is 1 to :data:`KEY_LENGTH` printable characters (no control character, which
    PostgreSQL's text cannot hold when it is NUL); anything else is a ``ValueError``
    saying why, for callers to answer as a usage error (the CLI's ``--sender``, the
    service's ``?sender=``).
    """
    if sender is None:
        return None
    if not sender:
        raise ValueError("a sender id cannot be empty")
    if len(sender) > KEY_LENGTH:
        raise ValueError(f"a sender id has at most {KEY_LENGTH} characters")
    if not sender.isprintable():
        raise ValueError("a sender id has printable characters only (no control character)")
    return sender


def _document_fk(name: str, *, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, _Id, sa.ForeignKey("documents.id"), nullable=nullable)


def define_tables(target: sa.MetaData, *, version: int) -> None:
    """Define the ledger's tables in ``target`` as schema version ``version`` has them.

    One definition for every version: a later version's change is an ``if version >= N``
    here and a migration step below, so the tables of version 1 stay those of version 1.
    """
    later = version >= 2  # version 2: reconciled_by on payments and refunds
    sa.Table(
        "ledger_meta",
        target,
        sa.Column("key", sa.String(KEY_LENGTH), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    sa.Table(
        "documents",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("received", sa.DateTime, nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("sha256", sa.String(KEY_LENGTH)),
        sa.Column("kind", sa.String(KEY_LENGTH)),
        sa.Column("sender", sa.String(KEY_LENGTH)),
        sa.Column("council", sa.String(KEY_LENGTH)),
        sa.Column("accepted", sa.Boolean, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("content", sa.LargeBinary),
        sa.Column("expires", sa.DateTime),
        sa.Index("ix_documents_expires", "expires"),
    )
    sa.Table(
        "payment_requests",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("calling_app", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("request_id", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("amount_pence", sa.BigInteger),
        _document_fk("document_id", nullable=False),
        sa.UniqueConstraint("council", "calling_app", "request_id", name="uq_payment_request"),
    )
    sa.Table(
        "payments",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("gateway_ref", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("request_id", sa.String(KEY_LENGTH)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("amount_pence", sa.BigInteger),
        sa.Column("receipt_number", sa.String(KEY_LENGTH)),
        sa.Column("transaction_date", sa.Date),
        _document_fk("state_document_id", nullable=False),
        *([_document_fk("reconciled_by")] if later else []),
        sa.UniqueConstraint("council", "gateway_ref", name="uq_payment"),
        sa.Index("ix_payments_receipt", "council", "receipt_number"),
        sa.Index("ix_payments_period", "council", "state", "transaction_date"),
    )
    sa.Table(
        "refunds",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("payment_id", _Id, sa.ForeignKey("payments.id"), nullable=False),
        sa.Column("refund_request_id", sa.String(KEY_LENGTH)),
        sa.Column("refund_id", sa.String(KEY_LENGTH)),
        sa.Column("amount_pence", sa.BigInteger, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created", sa.Date),
        _document_fk("state_document_id", nullable=False),
        *([_document_fk("reconciled_by")] if later else []),
        sa.UniqueConstraint("council", "refund_request_id", name="uq_refund_request"),
        sa.UniqueConstraint("council", "refund_id", name="uq_refund"),
        sa.Index("ix_refunds_payment", "payment_id"),
        sa.Index("ix_refunds_period", "council", "state", "created"),
    )
    sa.Table(
        "claims",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("reference", sa.String(KEY_LENGTH)),
        sa.Column("submission_id", sa.String(KEY_LENGTH)),
        sa.Column("claimant_key", sa.String(KEY_LENGTH)),
        _document_fk("document_id", nullable=False),
        sa.UniqueConstraint("council", "reference", name="uq_claim_reference"),
        sa.UniqueConstraint("council", "submission_id", name="uq_claim_submission"),
        sa.Index("ix_claims_claimant", "council", "claimant_key"),
    )
    sa.Table(
        "govtalk_submissions",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("party", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("transaction_id", sa.String(KEY_LENGTH)),
        sa.Column("correlation_id", sa.String(KEY_LENGTH)),
        sa.Column("state", sa.String(16), nullable=False),
        _document_fk("document_id", nullable=False),
        sa.UniqueConstraint("correlation_id", name="uq_govtalk_correlation"),
        sa.Index("ix_govtalk_pending", "transaction_id", "state"),
    )
    sa.Table(
        "govtalk_transactions",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("party", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("transaction_id", sa.String(KEY_LENGTH), nullable=False),
        _document_fk("document_id", nullable=False),
        sa.UniqueConstraint("party", "day", "transaction_id", name="uq_govtalk_transaction"),
    )
    sa.Table(
        "files",
        target,
        sa.Column("id", _Id, primary_key=True),
        sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("kind", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("file_id", sa.String(KEY_LENGTH), nullable=False),
        sa.Column("sequence", sa.BigInteger),
        _document_fk("document_id", nullable=False),
        sa.UniqueConstraint("council", "kind", "file_id", name="uq_file"),
        sa.UniqueConstraint("council", "kind", "sequence", name="uq_file_sequence"),
    )
    if version >= 3:  # version 3: bank reconciliation
        sa.Table(
            "payouts",
            target,
            sa.Column("id", _Id, primary_key=True),
            sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
            sa.Column("payout_id", sa.String(KEY_LENGTH), nullable=False),
            sa.Column("reference", sa.String(KEY_LENGTH), nullable=False),
            sa.Column("amount_pence", sa.BigInteger),
            sa.Column("currency", sa.String(3), nullable=False),
            sa.Column("expected", sa.Date),
            sa.Column("path", sa.Text),
            _document_fk("document_id", nullable=False),
            _document_fk("reconciled_by"),
            sa.Column("statement_ref", sa.String(KEY_LENGTH)),
            sa.Column("entry_ref", sa.Text),
            sa.UniqueConstraint("council", "payout_id", name="uq_payout"),
            sa.Index("ix_payouts_open", "council", "reconciled_by"),
            sa.Index("ix_payouts_reference", "council", "reference"),
        )
        sa.Table(
            "bank_statements",
            target,
            sa.Column("id", _Id, primary_key=True),
            sa.Column("council", sa.String(KEY_LENGTH), nullable=False),
            sa.Column("message", sa.String(16), nullable=False),
            sa.Column("statement_id", sa.String(KEY_LENGTH), nullable=False),
            _document_fk("document_id", nullable=False),
            sa.UniqueConstraint("council", "message", "statement_id", name="uq_bank_statement"),
        )


metadata = sa.MetaData()
schema_migrations = sa.Table(
    "schema_migrations",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.Text, nullable=False),
    sa.Column("applied", sa.DateTime, nullable=False),
)


# ------------------------------------------------------------------ migrations
@dataclass(frozen=True, slots=True)
class Migration:
    """One schema version: its number, what it changes, and the step that makes it."""

    version: int
    description: str
    step: Callable[[Connection], None]


def _version_1(conn: Connection) -> None:
    """Make the first schema: the tables of version 1, and the ledger's own salt."""
    v1 = sa.MetaData()
    define_tables(v1, version=1)
    v1.create_all(conn)
    conn.execute(v1.tables["ledger_meta"].insert().values(key="salt", value=secrets.token_hex(32)))


def _version_2(conn: Connection) -> None:
    """Reconciliation: which batch reconciled each payment and refund (EPAY-R024)."""
    for table in ("payments", "refunds"):
        conn.execute(
            sa.text(
                f"ALTER TABLE {table} ADD COLUMN reconciled_by INTEGER REFERENCES documents(id)"
            )
        )


def _version_3(conn: Connection) -> None:
    """Bank reconciliation: payouts (and which statement entry reconciled each), statements."""
    v3 = sa.MetaData()
    define_tables(v3, version=3)
    for name in ("payouts", "bank_statements"):
        v3.tables[name].create(conn)


#: Every schema version in order; the last is the one this release writes.
MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "documents, payments, refunds, claims, GovTalk submissions, files", _version_1),
    Migration(2, "payments and refunds record the batch that reconciled them", _version_2),
    Migration(3, "payouts and bank statements, for bank reconciliation", _version_3),
)
LATEST = MIGRATIONS[-1].version

define_tables(metadata, version=LATEST)
#: The tables of the latest version, by name (what the queries use).
TABLES = metadata.tables
ledger_meta = TABLES["ledger_meta"]
documents = TABLES["documents"]
payment_requests = TABLES["payment_requests"]
payments = TABLES["payments"]
refunds = TABLES["refunds"]
claims = TABLES["claims"]
govtalk_submissions = TABLES["govtalk_submissions"]
govtalk_transactions = TABLES["govtalk_transactions"]
files = TABLES["files"]
payouts = TABLES["payouts"]
bank_statements = TABLES["bank_statements"]

#: A constant key for PostgreSQL's advisory lock around migrations.
_MIGRATION_LOCK = 0x6C67_7374_6478


# ------------------------------------------------------------------ engines and URLs
def ledger_url(ledger: str | os.PathLike[str] | None) -> str:
    """Return the SQLAlchemy URL of a ledger: None is in memory, a path is a SQLite file.

    ``sqlite://`` (memory) and ``sqlite:///path`` are taken as they are;
    ``postgresql://`` (or ``postgres://``) URLs use the psycopg 3 driver.
    Anything else raises :class:`LedgerError`.
    """
    if ledger is None:
        return "sqlite://"
    text = os.fspath(ledger)
    if text in ("", ":memory:"):
        return "sqlite://"
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    if text.startswith("sqlite://"):
        return text
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise LedgerError(
            f"unsupported ledger URL scheme {scheme!r}: use a file path, sqlite:// or postgresql://"
        )
    return "sqlite:///" + str(Path(text).expanduser().resolve())


def is_memory(url: str) -> bool:
    """Tell whether a SQLite URL names an in-memory database."""
    return url in ("sqlite://", "sqlite:///:memory:") or ":memory:" in url


def make_engine(url: str) -> Engine:
    """Return an engine for ``url`` set up for the ledger's transactions.

    SQLite: every transaction is ``BEGIN IMMEDIATE`` (one writer at a time, waiting up
    to a minute for the lock), write-ahead logging with ``synchronous=NORMAL`` for files
    (a commit survives a killed process), foreign keys on. PostgreSQL: READ COMMITTED,
    with rows locked ``FOR UPDATE`` by the rules and uniqueness kept by constraints.
    """
    if url.startswith("sqlite"):
        memory = is_memory(url)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 60.0},
            poolclass=StaticPool if memory else None,
        )

        @sa.event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy's events issue BEGIN
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]

        return engine
    return sa.create_engine(url, pool_pre_ping=True)


# ------------------------------------------------------------------ opening and migrating
def _applied(conn: Connection) -> list[int]:
    rows = conn.execute(sa.select(schema_migrations.c.version)).scalars().all()
    return sorted(int(v) for v in rows)


def schema_version(conn: Connection) -> int | None:
    """Return the ledger's schema version (None for an empty database); refuse odd ones."""
    names = set(sa.inspect(conn).get_table_names())
    if "schema_migrations" not in names:
        ours = names & set(TABLES)
        if ours:
            raise LedgerVersionError(
                "this database holds ledger tables ("
                + ", ".join(sorted(ours))
                + ") but no schema_migrations table: not a ledger this lgstandards can read"
            )
        return None
    versions = _applied(conn)
    if not versions:
        return None if not (names & set(TABLES)) - {"schema_migrations"} else 0
    if versions != list(range(1, versions[-1] + 1)):
        raise LedgerVersionError(
            f"the ledger's schema_migrations table lists versions {versions}, which no "
            "release of lgstandards wrote; it is refused rather than misread"
        )
    return versions[-1]


def migrate(engine: Engine, *, target: int = LATEST) -> int:
    """Bring the ledger to schema version ``target`` (default: the latest); return it.

    Runs in one transaction under a lock. An empty database gets every migration; an
    older ledger the missing ones; a ledger of a newer or unknown version raises
    :class:`LedgerVersionError` and is left untouched.
    """
    known = {m.version: m for m in MIGRATIONS}
    if target not in known:
        raise LedgerVersionError(f"no schema version {target}; this release knows 1 to {LATEST}")
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        current = schema_version(conn)
        if current == 0:
            raise LedgerVersionError(
                "the ledger's schema_migrations table is empty but ledger tables exist; "
                "it is refused rather than misread"
            )
        if current is not None and current > LATEST:
            raise LedgerVersionError(
                f"the ledger was written by schema version {current}, newer than this "
                f"release of lgstandards reads ({LATEST}); upgrade lgstandards to use it"
            )
        if current is None:
            schema_migrations.create(conn, checkfirst=True)
            current = 0
        if current > target:
            raise LedgerVersionError(
                f"the ledger is at schema version {current}; it is never migrated down to {target}"
            )
        import datetime as dt

        for version in range(current + 1, target + 1):
            migration = known[version]
            migration.step(conn)
            conn.execute(
                schema_migrations.insert().values(
                    version=version,
                    description=migration.description,
                    applied=dt.datetime.now(dt.UTC).replace(tzinfo=None),
                )
            )
    return target


def open_engine(ledger: str | os.PathLike[str] | None) -> Engine:
    """Return a migrated ledger's engine; :class:`LedgerError` if it cannot be opened."""
    url = ledger_url(ledger)
    shown = sa.engine.make_url(url).render_as_string(hide_password=True)
    try:
        engine = make_engine(url)
    except ModuleNotFoundError as exc:
        raise LedgerError(
            f"the ledger {shown} needs {exc.name}: pip install 'lgstandards[postgresql]'"
        ) from exc
    try:
        migrate(engine)
    except LedgerError:
        engine.dispose()
        raise
    except sa.exc.SQLAlchemyError as exc:
        engine.dispose()
        raise LedgerError(
            f"cannot open the ledger {shown}: {exc.__class__.__name__}: {exc}"
        ) from exc
    return engine


def salt(conn: Connection) -> bytes:
    """Return the ledger's own salt for keyed hashes of personal data."""
    value = conn.execute(sa.select(ledger_meta.c.value).where(ledger_meta.c.key == "salt")).scalar()
    if value is None:  # pragma: no cover - every migrated ledger has one
        raise LedgerError("the ledger has no salt")
    return bytes.fromhex(value)


__all__ = [
    "INTEGERS",
    "KEY_LENGTH",
    "LATEST",
    "MIGRATIONS",
    "TABLES",
    "LedgerError",
    "LedgerVersionError",
    "Migration",
    "bank_statements",
    "claims",
    "define_tables",
    "documents",
    "files",
    "govtalk_submissions",
    "govtalk_transactions",
    "ledger_meta",
    "ledger_url",
    "make_engine",
    "metadata",
    "migrate",
    "open_engine",
    "payment_requests",
    "payments",
    "payouts",
    "refunds",
    "salt",
    "schema_migrations",
    "schema_version",
]
