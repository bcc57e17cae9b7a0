"""Values valid alone that the ledger cannot keep: the document is rejected, never an exception.

XSD bounds some values less than the ledger's columns do: a ReconciliationBatch's
SequenceNumber is an unbounded positiveInteger (the ledger keeps 64-bit integers) and a
GovTalk SenderID an unbounded string (the ledger keeps identifiers of 64 characters).
Such a value raised OverflowError (SQLite) or DataError (PostgreSQL) out of
``Exchange.check``. Now the exchange finds them before its rules read the ledger
(``exchange.not-kept``, at the element that holds the value), and a write the database
still refuses rejects the document the same way. On both ledgers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from messages import ledger_state

from lgstandards import validate
from lgstandards.conformance.kit import exchange_options
from lgstandards.exchange import Exchange
from lgstandards.exchange import facts as facts_module
from lgstandards.exchange.facts import Facts, Reconciliation, Record, Where, unkept
from lgstandards.exchange.ledger import INTEGERS, KEY_LENGTH

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "exchanges"
SEQUENCE = EXAMPLES / "com-r012-sequence-and-file-id"
PROTOCOL = EXAMPLES / "com-r002-r003-protocol-faults"
HISTORIES = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
_TEXT = re.compile(rb">([^<>]{1,80})</")


def _documents(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.xml"))]


def _exchange(folder: Path, ledger: str) -> Exchange:
    options = exchange_options(folder)
    profile = folder / options["profile"] if "profile" in options else None
    return Exchange(ledger, sender=options.get("sender"), profile=profile)


def _with_sequence(data: bytes, value: str) -> bytes:
    new = re.sub(rb"<epay:SequenceNumber>\d+<", f"<epay:SequenceNumber>{value}<".encode(), data)
    assert new != data
    return new


@pytest.mark.parametrize(
    "value",
    [str(INTEGERS.stop), "100000000000000000000000000000", f"000{INTEGERS.stop}"],
)
def test_a_sequence_number_beyond_64_bits_rejects_the_batch(ledger: str, value: str) -> None:
    name, first = _documents(SEQUENCE)[0]
    batch = _with_sequence(first, value)
    alone = validate(batch)
    with _exchange(SEQUENCE, ledger) as exchange:
        report = exchange.check(batch, name=name)
        status = exchange.status()
    kept = [i for i in report.issues if i.code == "exchange.not-kept"]
    if not alone.ok:  # some libxml2 versions (lxml 5.2's) refuse a 30-digit integer
        assert len(value.lstrip("0")) > 24
        assert alone.codes() == ["xsd.type"]
        assert "xsd.type" in report.codes()
    assert len(kept) == 1
    assert not report.ok
    issue = kept[0]
    assert issue.source == name
    assert issue.path is not None
    assert issue.path.endswith("BatchHeader/epay:SequenceNumber")
    assert issue.line == first[: first.index(b"<epay:SequenceNumber>")].count(b"\n") + 1
    assert "SequenceNumber" in issue.message
    assert "9223372036854775807" in issue.message
    assert issue.message_cy is not None
    assert "SequenceNumber" in issue.message_cy
    assert status.documents_rejected == 1
    assert status.documents_accepted == 0


def test_the_largest_kept_sequence_number_is_accepted(ledger: str) -> None:
    name, first = _documents(SEQUENCE)[0]
    with _exchange(SEQUENCE, ledger) as exchange:
        report = exchange.check(_with_sequence(first, str(INTEGERS.stop - 1)), name=name)
    assert report.ok, [i.message for i in report.issues]


def test_a_rejected_value_changes_no_state(ledger: str, new_ledger: object) -> None:
    """The rejected batch leaves the ledger as a batch with errors does: the next one counts."""
    assert callable(new_ledger)
    documents = _documents(SEQUENCE)
    name, first = documents[0]
    other = str(new_ledger())
    with _exchange(SEQUENCE, ledger) as exchange:
        exchange.check(_with_sequence(first, str(10**25)), name=name)
        later = [exchange.check(d, name=n) for n, d in documents]
    with _exchange(SEQUENCE, other) as exchange:
        exchange.check(_with_sequence(first, "x"), name=name)  # an XSD error instead
        expected = [exchange.check(d, name=n) for n, d in documents]
    assert [[i.code for i in r.issues] for r in later] == [
        [i.code for i in r.issues] for r in expected
    ]
    leave_out = ("documents",)  # their first documents differ; what they changed may not
    assert ledger_state(ledger, leave_out=leave_out) == ledger_state(other, leave_out=leave_out)


def test_a_govtalk_sender_id_longer_than_the_ledger_keeps(ledger: str) -> None:
    documents = _documents(PROTOCOL)
    long_id = "LGS-TEST-" + "U" * KEY_LENGTH
    with _exchange(PROTOCOL, ledger) as exchange:
        reports = []
        for name, data in documents[:2]:
            data = data.replace(b"<gt:SenderID>LGS-TEST-USER<", f"<gt:SenderID>{long_id}<".encode())
            reports.append(exchange.check(data, name=name))
    kept = [i for i in reports[-1].issues if i.code == "exchange.not-kept"]
    assert len(kept) == 1
    assert kept[0].path is not None
    assert kept[0].path.endswith("gt:SenderID")
    assert f"{KEY_LENGTH} characters" in kept[0].message
    assert long_id not in kept[0].message  # a long value is shown shortened
    assert f"{long_id[:20]}" in kept[0].message
    assert "…" in kept[0].message
    assert "…" in kept[0].text("cy")


#: Sender ids no ledger keeps, with what the refusal says: too long, empty, and with a
#: control character (NUL, which PostgreSQL's text refuses, and the others).
BAD_SENDERS = [
    ("S" * (KEY_LENGTH + 1), f"at most {KEY_LENGTH} characters"),
    ("", "cannot be empty"),
    ("W9999\x009999", "printable characters only"),
    ("W9999\n9999", "printable characters only"),
    ("\x7fW99999999", "printable characters only"),
]


@pytest.mark.parametrize(("sender", "why"), BAD_SENDERS)
def test_a_sender_the_ledger_cannot_keep_is_a_value_error(
    ledger: str, sender: str, why: str
) -> None:
    with pytest.raises(ValueError, match=why):
        Exchange(ledger, sender=sender)
    with Exchange(ledger) as exchange, pytest.raises(ValueError, match=why):
        exchange.check(_documents(SEQUENCE)[0][1], sender=sender)
    # The longest id, and a Welsh one, are taken: compared with the batch's sender
    # (COM-R011 says they differ) and nothing else.
    for good in ("S" * KEY_LENGTH, "Cyngor-Môn-ŵ"):
        with Exchange(ledger, sender=good) as exchange:
            assert exchange.check(_documents(SEQUENCE)[0][1]).codes() == ["rule.COM-R011"]


def test_a_value_the_check_misses_is_still_rejected_by_the_database(
    ledger: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The net under the check: the database's refusal rejects the document, no exception."""
    import lgstandards.exchange.checker as checker

    monkeypatch.setattr(checker, "unkept", lambda facts, **_: [])
    name, first = _documents(SEQUENCE)[0]
    with _exchange(SEQUENCE, ledger) as exchange:
        report = exchange.check(_with_sequence(first, str(10**20)), name=name)
        again = exchange.check(first, name=name)  # the ledger's connection is still usable
        status = exchange.status()
    kept = [i for i in report.issues if i.code == "exchange.not-kept"]
    assert len(kept) == 1
    assert "the database refused it" in kept[0].message
    assert kept[0].message_cy is not None
    assert "gronfa ddata" in kept[0].message_cy
    assert again.ok
    assert status.documents_rejected == 1
    assert status.documents_accepted == 1


def test_a_value_the_check_misses_is_rejected_in_a_batch_too(
    ledger: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lgstandards.exchange.checker as checker

    monkeypatch.setattr(checker, "unkept", lambda facts, **_: [])
    documents = _documents(SEQUENCE)
    name, first = documents[0]
    with _exchange(SEQUENCE, ledger) as exchange:
        with exchange.batch(size=10):
            bad = exchange.check(_with_sequence(first, str(10**20)), name=name)
            rest = [exchange.check(d, name=n) for n, d in documents]
        status = exchange.status()
    assert [i.code for i in bad.issues] == ["exchange.not-kept"]
    assert rest[0].ok  # the batch went on: the refused write was the document's alone
    assert status.documents_rejected + status.documents_accepted == 1 + len(documents)


# ------------------------------------------------------------------ the check alone
@pytest.mark.parametrize(
    ("value", "beyond"),
    [
        (INTEGERS.stop - 1, False),
        (INTEGERS.stop, True),
        (INTEGERS.start, False),
        (INTEGERS.start - 1, True),
        (10**400, True),
    ],
)
def test_integers_at_the_ledgers_bounds(value: int, beyond: bool) -> None:
    facts = Facts(message=Reconciliation("F", value, None, None, (), Where(), Where()))
    assert [u.value for u in unkept(facts, longest=KEY_LENGTH, integers=INTEGERS)] == (
        [value] if beyond else []
    )


@pytest.mark.parametrize(
    ("text", "beyond"),
    [
        ("1E+999999999", True),  # no arithmetic on the huge number: no Overflow, no memory
        ("-1E+999999999", True),
        ("1E-999999999", False),
        ("92233720368547758.07", False),
        ("92233720368547758.08", True),
        ("NaN", False),
        ("Infinity", False),
    ],
)
def test_payout_amounts_in_pounds_at_the_ledgers_bounds(text: str, beyond: bool) -> None:
    from lgstandards.exchange.bank import ExpectedPayout

    payout = ExpectedPayout("P1", "REF", Decimal(text), "GBP", None, "payout.xml", 3, "/a")
    found = unkept(Facts(payouts=(payout,)), longest=KEY_LENGTH, integers=INTEGERS)
    assert bool(found) is beyond
    if found:
        assert (found[0].line, found[0].path) == (3, "/a")


def test_identifiers_nested_in_records_are_checked() -> None:
    record = Record("PAYMENT", "T" * (KEY_LENGTH + 1), "R", 100, Where())
    facts = Facts(message=Reconciliation("F", 1, None, None, (record,), Where(), Where()))
    found = unkept(facts, longest=KEY_LENGTH, integers=INTEGERS)
    assert [u.value for u in found] == ["T" * (KEY_LENGTH + 1)]
    assert found[0].where is record.where


def test_every_text_field_of_the_facts_is_a_key_or_named_as_free() -> None:
    """A new fact field is checked by default: only the named ones are skipped."""
    skipped = facts_module._NOT_KEYS
    assert {"source", "path", "claimant", "statement", "funds"} <= skipped


# ------------------------------------------------------------------ the whole class
_OVERSIZED = (
    b"9" * 20,
    str(INTEGERS.stop).encode(),
    b"A" * (KEY_LENGTH + 1),
    b"a" * 300,
    b"1" * (KEY_LENGTH + 6),
    b"ABCDEF0123456789" * 5,
)


@st.composite
def _oversized_histories(draw: st.DrawFn) -> tuple[Path, list[tuple[str, bytes]], int]:
    folder = draw(st.sampled_from(HISTORIES))
    documents = _documents(folder)
    index = draw(st.integers(0, len(documents) - 1))
    name, data = documents[index]
    spots = [m.span(1) for m in _TEXT.finditer(data)]
    start, end = draw(st.sampled_from(spots))
    value = draw(st.sampled_from(_OVERSIZED))
    documents[index] = (name, data[:start] + value + data[end:])
    return folder, documents[: index + 1], index


def test_oversized_values_never_raise(ledger_kind: str, new_ledger: object) -> None:
    """Any identifier or number made too long or too large: findings, never an exception."""
    assert callable(new_ledger)

    # a new ledger per example; a PostgreSQL database costs more to make, so fewer of them
    @settings(
        max_examples=40 if ledger_kind == "sqlite" else 12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(history=_oversized_histories())
    def check(history: tuple[Path, list[tuple[str, bytes]], int]) -> None:
        folder, documents, _ = history
        with _exchange(folder, str(new_ledger())) as exchange:
            for name, data in documents:
                report = exchange.check(data, name=name)
                for found in report.issues:
                    assert found.message
                    assert found.message_cy
                    if found.code == "exchange.not-kept":
                        assert found.source == name
                        assert found.line is not None
            exchange.status()

    check()


def test_a_constraint_refusing_every_attempt_rejects_the_document(
    ledger: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A conflict that checking again cannot resolve is the document's: rejected, not 'busy'."""
    import lgstandards.exchange.checker as checker

    original = checker.rules.run

    def run_and_conflict(ctx: Any) -> None:
        original(ctx)
        for _ in range(2):  # the same file id twice: uq_file refuses the second every time
            ctx.later(
                lambda doc: checker.rules.insert_row(
                    ctx.conn, "files", council="X", kind="k", file_id="F", document_id=doc
                )
            )

    name, first = _documents(SEQUENCE)[0]
    with _exchange(SEQUENCE, ledger) as exchange:
        monkeypatch.setattr(checker.rules, "run", run_and_conflict)
        report = exchange.check(first, name=name)
        monkeypatch.setattr(checker.rules, "run", original)
        again = exchange.check(first, name=name)
    assert [i.code for i in report.issues] == ["exchange.not-kept"]
    assert "uq_file" in report.issues[0].message or "UNIQUE" in report.issues[0].message
    assert again.ok  # nothing of the refused document was kept: its batch is new


@pytest.mark.parametrize(("sender", "why"), BAD_SENDERS)
@pytest.mark.parametrize("command", [["check"], ["reconcile", "statement.xml"]])
def test_the_cli_refuses_a_sender_the_ledger_cannot_keep(
    command: list[str], sender: str, why: str, tmp_path: Path
) -> None:
    """A usage error naming --sender (exit 2), not an internal error."""
    from click.testing import CliRunner

    from lgstandards.cli import cli

    args = ["exchange", *command, "--sender", sender, str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Invalid value for '--sender'" in result.output
    assert why in result.output
    assert "internal error" not in result.output
