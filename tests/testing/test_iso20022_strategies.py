"""The ISO 20022 strategies: drawn statements validate against the ISO schema, and
reconcile with their payouts cleanly, or with exactly the issue a break asks for.

Classes covered: every drawn statement (any number of payouts, references carried in
any of the three places the matcher reads, debits, any opening balance) is schema-valid
camt.053; every drawn payout is a valid e-Pay Payout; a clean case gives no issue at
all; each break gives exactly its code, naming both documents; every drawn IBAN has
right check digits and any one changed digit is caught.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.exchange.bank import reconcile
from lgstandards.models.iso20022 import statement_of
from lgstandards.safexml import parse_bytes
from lgstandards.testing.iso20022 import (
    FAKE_BANK,
    RECONCILIATION_BREAKS,
    StatementCase,
    iban,
    ibans,
    is_valid_iban,
    reference_of,
    statements_with_payouts,
)
from lgstandards.validation import validate

SOME = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def written(case: StatementCase, folder: Path) -> tuple[Path, list[Path]]:
    """Write a case's documents to files, so that issues name them."""
    statement = folder / "statement.xml"
    statement.write_bytes(case.statement)
    payouts = []
    for number, payout in enumerate(case.payouts, start=1):
        path = folder / f"payout-{number}.xml"
        path.write_bytes(payout.to_xml())
        payouts.append(path)
    return statement, payouts


@SOME
@given(statements_with_payouts())
def test_drawn_statements_and_payouts_are_valid(case: StatementCase) -> None:
    report = validate(case.statement)
    assert report.kind == "iso20022.camt.053.001.02"
    assert report.issues == [], [i.format() for i in report.issues]
    for payout in case.payouts:
        checked = validate(payout.to_xml())
        assert checked.issues == [], [i.format() for i in checked.issues]
    entries = list(statement_of(parse_bytes(case.statement).getroot()).entries())
    credits = [e for e in entries if e.credit]
    assert sorted(e.amount for e in credits) == sorted(p.amount for p in case.payouts)
    account = parse_bytes(case.statement).getroot().findtext(".//{*}Acct/{*}Id/{*}IBAN")
    assert account is not None
    assert is_valid_iban(account)
    assert account[4:8] == FAKE_BANK


@SOME
@given(statements_with_payouts())
def test_a_statement_and_its_payouts_reconcile_cleanly(case: StatementCase) -> None:
    report = reconcile(case.statement, [p.to_xml() for p in case.payouts])
    assert report.issues == [], [i.format() for i in report.issues]


@pytest.mark.parametrize("breaks", RECONCILIATION_BREAKS)
@SOME
@given(data=st.data())
def test_a_broken_payout_gives_exactly_its_issue_naming_both_documents(
    breaks: str, data: st.DataObject
) -> None:
    case = data.draw(statements_with_payouts(breaks=breaks))
    assert case.broken == breaks
    for payout in case.payouts:  # the payout itself stays valid (EPAY-R015 holds)
        assert validate(payout.to_xml()).issues == []
    with tempfile.TemporaryDirectory() as tmp:
        statement, payouts = written(case, Path(tmp))
        report = reconcile(statement, payouts)
    errors = [i for i in report.issues if i.severity.value == "error"]
    assert [i.code for i in errors] == [breaks]
    (found,) = errors
    number = next(i for i, p in enumerate(case.payouts, 1) if p.payout_id == case.payout_id)
    for text in (found.message, found.message_cy):
        assert str(statement) in text
        assert str(payouts[number - 1]) in text
        assert case.payout_id is not None
        assert case.payout_id in text
    others = [i.code for i in report.issues if i.severity.value != "error"]
    if breaks == "bank.amount-mismatch":
        assert others == []
        assert found.source == str(statement)  # it points at the entry
    else:  # the credit that carried the old reference matches nothing now
        assert others == ["bank.credit-unmatched"]
        assert found.source == str(payouts[number - 1])


def test_breaks_are_checked() -> None:
    with pytest.raises(ValueError, match="cannot break"):
        statements_with_payouts(breaks="EPAY-R015")


@given(ibans)
def test_drawn_ibans_have_right_check_digits(value: str) -> None:
    assert is_valid_iban(value)
    assert value.startswith("GB")
    assert value[4:8] == FAKE_BANK


@given(st.from_regex(r"\A[A-Z]{4}[0-9]{14}\Z"), st.integers(0, 17), st.integers(1, 9))
def test_one_changed_digit_is_caught(bban: str, position: int, step: int) -> None:
    value = iban("GB", bban)
    assert is_valid_iban(value)
    index = 4 + position
    if not value[index].isdigit():
        return
    changed = value[:index] + str((int(value[index]) + step) % 10) + value[index + 1 :]
    assert not is_valid_iban(changed)


def test_known_iban() -> None:
    assert is_valid_iban("GB82 WEST 1234 5698 7654 32")  # the standard's own example
    assert not is_valid_iban("GB82WEST12345698765433")
    assert iban("GB", "WEST12345698765432") == "GB82WEST12345698765432"


@SOME
@given(statements_with_payouts())
def test_reference_is_the_statement_reference_else_the_id(case: StatementCase) -> None:
    for payout in case.payouts:
        assert reference_of(payout) == (payout.statement_reference or payout.payout_id)
