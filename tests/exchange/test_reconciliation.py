"""Bank reconciliation on the ledger: payouts recorded, statements matched, SQLite and PostgreSQL.

Each class of outcome on both ledgers: a match by each place an entry carries a reference;
another amount or currency; a re-sent statement and a re-sent entry; a payout declared
again (the same, or different); overdue payouts on statements and in the status; a
document with an error changes nothing; both ledgers give the same reports for the same
history; a ledger of the previous schema version is migrated; hostile statements give
issues, never tracebacks. The stateless matching gives the same findings in any order.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from camt import PAYOUT, Credit, payout, statement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.exchange import Exchange
from lgstandards.exchange import ledger as lg
from lgstandards.exchange.bank import reconcile
from lgstandards.report import Severity

A = Decimal("120.50")


def _checked(ledger: str, *documents: bytes, **options: Any) -> list[list[str]]:
    with Exchange(ledger, **options) as exchange:
        return [exchange.check(d).codes() for d in documents]


# ------------------------------------------------------------------ where the reference is
PLACES = {
    "end-to-end id": Credit(A, end_to_end="REF-0001"),
    "bank's reference": Credit(A, servicer="REF-0001"),
    "entry reference": Credit(A, entry_ref="REF-0001"),
    "remittance word": Credit(A, remittance="GATEWAY REF-0001 TEST"),
}


@pytest.mark.parametrize("place", list(PLACES))
def test_a_payout_matches_by_each_place_of_its_reference(place: str, ledger: str) -> None:
    credit = PLACES[place]
    found = _checked(
        ledger,
        payout("PO-1", A, reference="REF-0001"),
        statement("S-1", credit),
        statement("S-2", credit),  # the same entry again: the payout is reconciled
    )
    assert found == [[], [], ["bank.entry-already-reconciled"]]
    with Exchange(ledger) as exchange:
        status = exchange.status(as_of=dt.date(2026, 6, 1))
    assert (status.open_payouts, status.reconciled_payouts) == (0, 1)
    assert status.overdue_payouts == ()
    # the same in the stateless matching
    assert reconcile(statement("S-1", credit), [payout("PO-1", A, reference="REF-0001")]).ok


@pytest.mark.parametrize(
    "credit",
    [
        Credit(A, remittance="XREF-0001"),  # a word must be whole
        Credit(A, remittance="REF-000"),
        Credit(A, end_to_end="REF-0001", credit=False),  # a debit
        Credit(A, end_to_end="REF-0001", status="PDNG"),  # not booked
    ],
)
def test_what_is_not_a_match(credit: Credit, ledger: str) -> None:
    found = _checked(ledger, payout("PO-1", A, reference="REF-0001"), statement("S-1", credit))
    unmatched = [] if not credit.credit or credit.status != "BOOK" else ["bank.credit-unmatched"]
    assert found == [[], unmatched]
    with Exchange(ledger) as exchange:
        assert exchange.status().open_payouts == 1


def test_the_payout_id_is_the_reference_without_a_statement_reference(ledger: str) -> None:
    found = _checked(ledger, payout("PO-1", A), statement("S-1", Credit(A, end_to_end="PO-1")))
    assert found == [[], []]


# ------------------------------------------------------------------ amounts and currencies
@pytest.mark.parametrize(
    ("credit", "shown"),
    [
        (Credit(A + Decimal("0.01"), end_to_end="PO-1"), "120.51 GBP"),
        (Credit(A, end_to_end="PO-1", currency="EUR"), "120.50 EUR"),
    ],
)
def test_another_amount_or_currency_is_a_mismatch_and_reconciles_nothing(
    credit: Credit, shown: str, ledger: str
) -> None:
    with Exchange(ledger) as exchange:
        assert exchange.check(payout("PO-1", A)).codes() == []
    before = _rows(ledger)
    with Exchange(ledger) as exchange:
        report = exchange.check(statement("S-1", credit, Credit(Decimal("9.99"), end_to_end="X")))
        assert report.codes() == ["bank.amount-mismatch", "bank.credit-unmatched"]
        mismatch = report.issues[0]
        assert mismatch.severity is Severity.ERROR
        assert shown in mismatch.message
        assert "120.50 GBP" in mismatch.message
        assert "#1" in mismatch.message  # the payout's document
        assert mismatch.path is not None
        assert mismatch.path.endswith("camt053:Ntry[1]")
        assert mismatch.message_cy
        assert exchange.status().open_payouts == 1
    assert _rows(ledger) == before
    # the right amount on a later statement still matches (and S-1 was never recorded)
    assert _checked(ledger, statement("S-1", Credit(A, end_to_end="PO-1"))) == [[]]


def test_a_document_with_an_error_changes_no_state(ledger: str) -> None:
    """A statement with one match and one mismatch reconciles neither; a bad payout records none."""
    with Exchange(ledger) as exchange:
        exchange.check(payout("PO-1", A))
        exchange.check(payout("PO-2", A))
    rows_before = _rows(ledger)
    mixed = statement("S-1", Credit(A, end_to_end="PO-1"), Credit(A + 1, end_to_end="PO-2"))
    broken = payout("PO-3", A).replace(b"<epay:Amount>120.50", b"<epay:Amount>120.40")
    assert _checked(ledger, mixed, broken) == [["bank.amount-mismatch"], ["rule.EPAY-R015"]]
    assert _rows(ledger) == rows_before


def _rows(ledger: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = sa.create_engine(lg.ledger_url(ledger))
    try:
        with engine.connect() as conn:
            return {
                name: [tuple(r) for r in conn.execute(sa.select(table).order_by(table.c.id))]
                for name, table in (("payouts", lg.payouts), ("statements", lg.bank_statements))
            }
    finally:
        engine.dispose()


# ------------------------------------------------------------------ sent again
def test_a_statement_sent_again_is_a_duplicate_and_matches_nothing(ledger: str) -> None:
    first = statement("S-1", Credit(A, end_to_end="PO-1"))
    found = _checked(ledger, payout("PO-1", A), first, first, payout("PO-2", A), first)
    duplicate = ["bank.statement-duplicate"]
    assert found == [[], [], duplicate, [], duplicate]
    with Exchange(ledger) as exchange:
        assert exchange.status().open_payouts == 1  # PO-2 is not taken by the old statement


def test_a_payout_sent_again_is_one_payout_and_a_changed_one_a_conflict(ledger: str) -> None:
    again = payout("PO-1", A).replace(b"MSG-PO-1", b"MSG-PO-1-AGAIN")
    changed = payout("PO-1", A + 1)
    found = _checked(ledger, payout("PO-1", A), again, changed)
    assert found == [[], [], ["bank.payout-conflict"]]
    with Exchange(ledger) as exchange:
        report = exchange.check(payout("PO-1", A, reference="OTHER"))
        assert "OTHER" in report.issues[0].message
        assert exchange.status().open_payouts == 1


def test_a_batch_declares_the_payouts_of_its_lines(ledger: str) -> None:
    batch = (Path(PAYOUT).parent / "reconciliation-batch.xml").read_bytes()
    with Exchange(ledger) as exchange:
        report = exchange.check(batch)  # the ledger holds no payment: EPAY-R024, not recorded
        assert "rule.EPAY-R024" in report.codes()
        assert exchange.status().open_payouts == 0
    # the payout lines alone (the stateless reconcile reads them the same way)
    only_payout_lines = reconcile(
        statement("S-1", Credit(Decimal("159.35"), end_to_end="PO-0001")), [batch]
    )
    assert only_payout_lines.ok


# ------------------------------------------------------------------ overdue
def test_an_open_payout_becomes_overdue(ledger: str) -> None:
    found = _checked(
        ledger,
        payout("PO-1", A, paid_out="2026-04-01"),
        statement("S-1", day="2026-04-06"),  # five days: not yet
        statement("S-2", day="2026-04-07"),
        statement("S-3", Credit(A, end_to_end="PO-1"), day="2026-04-08"),  # late, but it came
        statement("S-4", day="2026-04-30"),
    )
    assert found == [[], [], ["bank.payout-overdue"], [], []]
    assert _checked(ledger, payout("PO-2", A), statement("S-5", day="2026-04-03"), overdue_after=1)[
        1
    ] == ["bank.payout-overdue"]
    with Exchange(ledger, overdue_after=10) as exchange:
        assert exchange.status(as_of=dt.date(2026, 4, 11)).overdue_payouts == ()
        (late,) = exchange.status(as_of=dt.date(2026, 4, 12)).overdue_payouts
        assert late.code == "bank.payout-overdue"
        assert late.severity is Severity.WARNING
        assert "PO-2" in late.message
        assert "11 days" in late.message
        assert late.message_cy


def test_overdue_after_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="negative"):
        Exchange(overdue_after=-1)


# ------------------------------------------------------------------ councils
def test_the_authenticated_sender_scopes_the_payouts(ledger: str) -> None:
    mine, theirs = payout("PO-1", A), payout("PO-2", A, sender="W00000001")
    both = statement("S-1", Credit(A, end_to_end="PO-1"), Credit(A, end_to_end="PO-2"))
    with Exchange(ledger) as exchange:
        exchange.check(mine, sender="W99999999")
        exchange.check(theirs, sender="W00000001")
        codes = exchange.check(both, sender="W99999999").codes()
    assert codes == ["bank.credit-unmatched"]  # W00000001's payout is not this account's
    assert _checked(ledger, statement("S-1", Credit(A, end_to_end="PO-2"))) == [[]]


# ------------------------------------------------------------------ migration
def test_a_version_2_ledger_is_migrated_to_reconcile(ledger: str) -> None:
    engine = lg.make_engine(lg.ledger_url(ledger))
    assert lg.migrate(engine, target=2) == 2
    with engine.connect() as conn:
        assert "payouts" not in sa.inspect(conn).get_table_names()
    engine.dispose()
    assert lg.LATEST == 3
    assert _checked(ledger, payout("PO-1", A), statement("S-1", Credit(A, end_to_end="PO-1"))) == [
        [],
        [],
    ]
    engine = lg.make_engine(lg.ledger_url(ledger))
    with engine.connect() as conn:
        assert lg.schema_version(conn) == 3
        described = conn.execute(
            sa.select(lg.schema_migrations.c.description).where(lg.schema_migrations.c.version == 3)
        ).scalar()
    engine.dispose()
    assert "bank" in str(described)


# ------------------------------------------------------------------ hostile statements
HOSTILE = {
    "not closed": b"<Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'>",
    "entities": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">'
    b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>',
    "binary": bytes(range(256)) * 4,
    "a payout as the statement": PAYOUT.read_bytes(),
    "another camt message": b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">'
    b"<Other/></Document>",
    "a bad amount": statement("S-1", Credit(A, end_to_end="PO-1")).replace(
        b">120.50<", b">12O.50<"
    ),
    "empty": b"",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_statements_are_issues(name: str, ledger: str) -> None:
    data = HOSTILE[name]
    a_payout = name == "a payout as the statement"
    with Exchange(ledger) as exchange:
        exchange.check(payout("PO-1", A))
        report = exchange.check(data)
        assert report.issues or a_payout
        assert all(i.message for i in report.issues)
        assert exchange.status().open_payouts == (2 if a_payout else 1)
    stateless = reconcile(data, [payout("PO-1", A)])
    assert not stateless.ok
    assert stateless.codes() != ["bank.payout-missing"]  # the statement's own issue is there


# ------------------------------------------------------------------ differential
def _history() -> list[bytes]:
    documents: list[bytes] = []
    for n in range(6):
        documents.append(payout(f"PO-{n}", A + n, reference=f"REF-{n}", paid_out="2026-04-01"))
    documents += [
        statement("S-1", Credit(A, end_to_end="REF-0"), Credit(A + 1, servicer="REF-1")),
        statement("S-1", Credit(A + 2, end_to_end="REF-2")),  # duplicate id
        statement("S-2", Credit(A + 3, remittance="X REF-3"), Credit(A, end_to_end="REF-0")),
        statement("S-3", Credit(A + 4, end_to_end="REF-4"), Credit(Decimal(1), end_to_end="Z")),
        payout("PO-4", A + 9, reference="REF-4"),  # conflict
        statement("S-4", day="2026-04-20"),  # PO-2, PO-4, PO-5 overdue
        statement("S-5", Credit(A + 5, entry_ref="REF-5"), Credit(A + 7, end_to_end="REF-2")),
    ]
    return documents


def _reports(url: str) -> list[dict[str, Any]]:
    with Exchange(url) as exchange:
        found = [exchange.check(d, name=f"doc-{n}.xml") for n, d in enumerate(_history())]
        status = exchange.status(as_of=dt.date(2026, 5, 1)).as_dict()
    return [*(json.loads(json.dumps([i.to_dict() for i in r.issues])) for r in found), status]


def test_both_ledgers_give_the_same_reports(tmp_path: Path, pg_cluster: Any) -> None:
    sqlite = _reports(str(tmp_path / "ledger.db"))
    postgresql = _reports(pg_cluster.new_database())
    assert sqlite == postgresql
    codes = [sorted({i["code"] for i in r}) for r in sqlite[:-1]]
    assert codes[6:] == [
        [],
        ["bank.statement-duplicate"],
        ["bank.entry-already-reconciled"],
        ["bank.credit-unmatched"],
        ["bank.payout-conflict"],
        ["bank.payout-overdue"],
        ["bank.amount-mismatch"],
    ]
    assert sqlite[-1]["payouts"]["open"] == 2
    assert len(sqlite[-1]["payouts"]["overdue"]) == 2


# ------------------------------------------------------------------ order does not matter
FEW = settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
_payouts = st.lists(
    st.tuples(st.sampled_from(["R-1", "R-2", "R-3"]), st.integers(1, 4)),
    min_size=0,
    max_size=5,
)
_entries = st.lists(
    st.tuples(st.sampled_from(["R-1", "R-2", "R-3", "R-9"]), st.integers(1, 4), st.booleans()),
    min_size=0,
    max_size=6,
)


@FEW
@given(_payouts, _entries, st.randoms(use_true_random=False))
def test_any_order_of_payouts_and_entries_gives_the_same_findings(
    drawn: list[tuple[str, int]], entries: list[tuple[str, int, bool]], rng: Any
) -> None:
    def credit(reference: str, pounds: int, remittance: bool) -> Credit:
        if remittance:
            return Credit(Decimal(pounds), remittance=f"PAYMENT {reference}")
        return Credit(Decimal(pounds), end_to_end=reference)

    documents = [
        (f"payout-{n}.xml", payout(f"PO-{n}", Decimal(p), reference=r))
        for n, (r, p) in enumerate(drawn)
    ]
    credits = [credit(*e) for e in entries]

    def findings(docs: list[tuple[str, bytes]], ordered: list[Credit]) -> list[tuple[str, str]]:
        streams = [_named(name, data) for name, data in docs]
        report = reconcile(statement("S-1", *ordered), streams)
        return sorted((i.code, i.message) for i in report.issues)

    expected = findings(documents, credits)
    shuffled_docs, shuffled_credits = documents[:], credits[:]
    rng.shuffle(shuffled_docs)
    rng.shuffle(shuffled_credits)
    assert findings(shuffled_docs, shuffled_credits) == expected
    # every payout is accounted for once: matched, mismatched or missing
    per_payout = [c for c, _ in expected if c in ("bank.amount-mismatch", "bank.payout-missing")]
    assert len(per_payout) <= len(drawn)


def _named(name: str, data: bytes) -> Any:
    import io

    stream = io.BytesIO(data)
    stream.name = name
    return stream


# ------------------------------------------------------------------ races
@pytest.mark.parametrize(
    ("second_id", "outcome"),
    [("S-2", ["bank.entry-already-reconciled"]), ("S-1", ["bank.statement-duplicate"])],
)
def test_two_statements_at_once_reconcile_a_payout_once(
    ledger: str, monkeypatch: pytest.MonkeyPatch, second_id: str, outcome: list[str]
) -> None:
    """The first statement is held after its writes; the second waits for it, then sees it.

    On PostgreSQL the second's read of the open payouts waits on the rows the first
    locked, and a statement id written twice fails on the constraint and is checked
    again; on SQLite the second waits for the write lock.
    """
    from test_reliability import _hold_first_after_its_writes

    assert _checked(ledger, payout("PO-1", A)) == [[]]
    first, second = Exchange(ledger), Exchange(ledger)
    inside, release = threading.Event(), threading.Event()
    _hold_first_after_its_writes(monkeypatch, inside, release)
    outcomes: dict[str, list[str]] = {}

    def go(name: str, exchange: Exchange, statement_id: str) -> None:
        report = exchange.check(statement(statement_id, Credit(A, end_to_end="PO-1")))
        outcomes[name] = report.codes()

    one = threading.Thread(target=go, args=("first", first, "S-1"), name="first")
    one.start()
    assert inside.wait(60)
    two = threading.Thread(target=go, args=("second", second, second_id), name="second")
    two.start()
    time.sleep(0.5)
    assert two.is_alive()
    release.set()
    one.join(60)
    two.join(60)
    first.close()
    second.close()
    assert outcomes == {"first": [], "second": outcome}
    rows = _rows(ledger)
    assert len(rows["payouts"]) == 1
    assert len(rows["statements"]) == (2 if second_id == "S-2" else 1)


def test_many_credits_cost_few_look_ups(ledger: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A council's account takes thousands of other credits a day: looked up in chunks."""
    from lgstandards.exchange import statements

    assert _checked(ledger, payout("PO-1", A), statement("S-1", Credit(A, end_to_end="PO-1"))) == [
        [],
        [],
    ]
    calls: list[object] = []
    real = statements._named_rows

    def counted(conn: Any, key: Any, *args: Any) -> list[Any]:
        calls.append(key)
        return real(conn, key, *args)

    monkeypatch.setattr(statements, "_named_rows", counted)
    others = [Credit(Decimal(n % 50 + 1), end_to_end=f"DD-{n:04d}") for n in range(400)]
    with Exchange(ledger) as exchange:
        report = exchange.check(statement("S-2", *others, Credit(A, end_to_end="PO-1")))
    codes = report.codes()
    assert codes.count("bank.credit-unmatched") == 400
    assert codes.count("bank.entry-already-reconciled") == 1
    lookups = [k for k in calls if isinstance(k, tuple) and k[0] == "reconciled-payouts"]
    assert 1 <= len(lookups) <= -(-402 // statements.CHUNK) + 1
