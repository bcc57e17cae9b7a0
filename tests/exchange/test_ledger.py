"""The ledger's schema and migrations: a version 1 ledger is migrated, a newer or unknown one
refused (never misread); URLs; profiles; status; retention of kept documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from messages import payment_request, payment_result

from lgstandards.exchange import Exchange, LedgerError, LedgerVersionError
from lgstandards.exchange import ledger as lg


def _engine(url: str) -> sa.Engine:
    return lg.make_engine(lg.ledger_url(url))


def _schema(engine: sa.Engine) -> dict[str, tuple[object, ...]]:
    inspector = sa.inspect(engine)
    found: dict[str, tuple[object, ...]] = {}
    for table in sorted(set(inspector.get_table_names()) & set(lg.TABLES)):
        columns = tuple(sorted((c["name"], c["nullable"]) for c in inspector.get_columns(table)))
        uniques = tuple(
            sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        )
        indexes = tuple(
            sorted(
                tuple(i["column_names"])
                for i in inspector.get_indexes(table)
                if not i.get("unique")  # PostgreSQL lists the indexes of unique constraints
            )
        )
        found[table] = (columns, uniques, indexes)
    return found


def _metadata_schema() -> dict[str, tuple[object, ...]]:
    found: dict[str, tuple[object, ...]] = {}
    for name, table in sorted(lg.TABLES.items()):
        columns = tuple(sorted((c.name, bool(c.nullable)) for c in table.columns))
        uniques = tuple(
            sorted(
                tuple(c.name for c in u.columns)
                for u in table.constraints
                if isinstance(u, sa.UniqueConstraint)
            )
            + sorted((c.name,) for c in table.columns if c.unique)
        )
        indexes = tuple(sorted(tuple(c.name for c in i.columns) for i in table.indexes))
        found[name] = (columns, tuple(sorted(uniques)), indexes)
    return found


def test_a_new_ledger_has_the_latest_schema(ledger: str) -> None:
    Exchange(ledger).close()
    engine = _engine(ledger)
    with engine.connect() as conn:
        assert lg.schema_version(conn) == lg.LATEST
    assert _schema(engine) == _metadata_schema()
    engine.dispose()


def test_a_version_1_ledger_is_migrated_and_its_data_kept(ledger: str) -> None:
    engine = _engine(ledger)
    assert lg.migrate(engine, target=1) == 1
    v1 = sa.MetaData()
    lg.define_tables(v1, version=1)
    assert "reconciled_by" not in v1.tables["payments"].c
    with engine.begin() as conn:
        assert lg.schema_version(conn) == 1
        columns = {c["name"] for c in sa.inspect(conn).get_columns("payments")}
        assert "reconciled_by" not in columns
        document = conn.execute(
            v1.tables["documents"]
            .insert()
            .values(
                received=dt.datetime(2026, 4, 1, 9, 0),
                source="written by version 1",
                accepted=True,
                errors=0,
                report="[]",
            )
        ).inserted_primary_key
        assert document is not None
        conn.execute(
            v1.tables["payments"]
            .insert()
            .values(
                council="W99999999",
                gateway_ref="GW-V1-0001",
                state="success",
                amount_pence=17050,
                transaction_date=dt.date(2026, 4, 1),
                state_document_id=document[0],
            )
        )
    engine.dispose()
    with Exchange(ledger) as exchange:  # migrates to the latest version
        status = exchange.status()
        assert status.schema_version == lg.LATEST
        assert status.payments_by_state == {"success": 1}
        assert status.unreconciled_payments == 1
        # The version 1 payment is used by the rules: a refund of it, then a backwards move.
        assert exchange.check(payment_result("GW-V1-0001", "REQ-V1", "started")).codes() == [
            "rule.EPAY-R013"
        ]
    engine = _engine(ledger)
    assert _schema(engine) == _metadata_schema()
    with engine.connect() as conn:
        versions = conn.execute(sa.select(lg.schema_migrations.c.version)).scalars().all()
    engine.dispose()
    assert sorted(versions) == list(range(1, lg.LATEST + 1))


def _digest(url: str) -> str:
    engine = _engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(lg.schema_migrations)).all()
        tables = sorted(sa.inspect(conn).get_table_names())
    engine.dispose()
    return hashlib.sha256(repr((rows, tables)).encode()).hexdigest()


def test_a_newer_ledger_is_refused_untouched(ledger: str) -> None:
    Exchange(ledger).close()
    engine = _engine(ledger)
    with engine.begin() as conn:
        conn.execute(
            lg.schema_migrations.insert().values(
                version=lg.LATEST + 1,
                description="from the future",
                applied=dt.datetime(2030, 1, 1),
            )
        )
    engine.dispose()
    before = _digest(ledger)
    with pytest.raises(LedgerVersionError, match=rf"schema version {lg.LATEST + 1}, newer"):
        Exchange(ledger)
    assert _digest(ledger) == before


def test_a_ledger_with_odd_versions_is_refused(ledger: str) -> None:
    Exchange(ledger).close()
    engine = _engine(ledger)
    with engine.begin() as conn:
        conn.execute(lg.schema_migrations.delete().where(lg.schema_migrations.c.version == 1))
    engine.dispose()
    with pytest.raises(LedgerVersionError, match="which no release of lgstandards wrote"):
        Exchange(ledger)


def test_ledger_tables_without_a_version_table_are_refused(ledger: str) -> None:
    Exchange(ledger).close()
    engine = _engine(ledger)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE schema_migrations"))
    engine.dispose()
    with pytest.raises(LedgerVersionError, match="no schema_migrations table"):
        Exchange(ledger)


def test_a_database_of_other_tables_gets_the_ledger_beside_them(ledger: str) -> None:
    engine = _engine(ledger)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE council_own (x INTEGER)"))
    engine.dispose()
    with Exchange(ledger) as exchange:
        assert exchange.status().schema_version == lg.LATEST


def test_migrations_never_go_down(ledger: str) -> None:
    Exchange(ledger).close()
    engine = _engine(ledger)
    with pytest.raises(LedgerVersionError, match="never migrated down"):
        lg.migrate(engine, target=1)
    with pytest.raises(LedgerVersionError, match="no schema version 99"):
        lg.migrate(engine, target=99)
    engine.dispose()


@pytest.mark.parametrize(
    ("given", "url"),
    [
        (None, "sqlite://"),
        (":memory:", "sqlite://"),
        ("sqlite://", "sqlite://"),
        ("sqlite:////tmp/x.db", "sqlite:////tmp/x.db"),
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h:5433/db", "postgresql+psycopg://u@h:5433/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
    ],
)
def test_ledger_urls(given: str | None, url: str) -> None:
    assert lg.ledger_url(given) == url


def test_a_path_is_a_sqlite_file(tmp_path: Path) -> None:
    assert lg.ledger_url(tmp_path / "l.db") == f"sqlite:///{tmp_path / 'l.db'}"


@pytest.mark.parametrize("given", ["mysql://u@h/db", "http://example.invalid/x"])
def test_other_urls_are_refused(given: str) -> None:
    with pytest.raises(LedgerError, match="unsupported ledger URL scheme"):
        Exchange(given)


def test_an_unreachable_server_is_a_ledger_error() -> None:
    with pytest.raises(LedgerError, match="cannot open the ledger"):
        Exchange("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")


def test_status_summarises_the_ledger(ledger: str) -> None:
    with Exchange(ledger) as exchange:
        exchange.check(payment_request("REQ-S-1"))
        exchange.check(payment_result("GW-S-1", "REQ-S-1", "success"))
        exchange.check(payment_result("GW-S-2", "REQ-S-2", "failed"))
        exchange.check(payment_result("GW-S-2", "REQ-S-2", "started"))  # rejected
        status = exchange.status()
    assert status.documents_accepted == 3
    assert status.documents_rejected == 1
    assert status.payments_by_state == {"failed": 1, "success": 1}
    assert status.unreconciled_payments == 1
    assert status.as_dict()["documents"] == {"accepted": 3, "rejected": 1}


def test_kept_documents_expire(ledger: str) -> None:
    with pytest.raises(ValueError, match="retention"):
        Exchange(ledger, keep_documents=True)
    with Exchange(ledger, keep_documents=True, retention=30) as exchange:
        exchange.check(payment_request("REQ-K-1"))
        engine = _engine(ledger)
        with engine.connect() as conn:
            content, expires = conn.execute(
                sa.select(lg.documents.c.content, lg.documents.c.expires)
            ).one()
        assert content == payment_request("REQ-K-1")
        assert expires is not None
        assert exchange.purge(now=expires - dt.timedelta(seconds=1)) == 0
        assert exchange.purge(now=expires) == 1
        with engine.connect() as conn:
            assert conn.execute(sa.select(lg.documents.c.content)).scalar() is None
        engine.dispose()


def test_a_document_costs_a_round_trip_per_read_and_one_for_its_writes(
    ledger: str, ledger_kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On PostgreSQL a document's savepoint goes with its first read and its writes (its
    row, its facts, the savepoint's release) go out together: for these messages (one
    read each), two statements sent per document, not one per SQL statement."""
    if ledger_kind != "postgresql":
        pytest.skip("SQLite runs in process: no round trips")
    import psycopg

    sent: list[str] = []
    real = psycopg.Cursor.execute

    def counting(self: Any, query: object, *args: object, **kw: object) -> object:
        sent.append(str(query))
        return real(self, query, *args, **kw)  # type: ignore[arg-type]

    history = [
        payment_request("REQ-RT-1"),
        payment_result("GW-RT-1", "REQ-RT-1", "success"),
        payment_request("REQ-RT-2"),
        payment_result("GW-RT-2", "REQ-RT-2", "success"),
    ]
    with Exchange(ledger) as exchange, exchange.batch():
        assert exchange.check(history[0]).ok  # takes a block of document ids too
        monkeypatch.setattr(psycopg.Cursor, "execute", counting)
        for data in history[1:]:
            before = len(sent)
            assert exchange.check(data).ok
            assert len(sent) - before == 2, sent[before:]
        monkeypatch.undo()
        status = exchange.status()
    assert status.documents_accepted == 4
    assert status.payments_by_state == {"success": 2}
