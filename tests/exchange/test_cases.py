"""Every exchange case gives each message exactly its codes: from Python, the CLI and the pytest
plugin, on SQLite and PostgreSQL; every stateful rule fires on its own case and stays
silent on the valid histories."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgstandards.cli import cli
from lgstandards.codes import registry
from lgstandards.conformance import cases, exchange_cases
from lgstandards.conformance.exchanges import ExchangeCase, assert_exchange_conforms
from lgstandards.exchange import STATEFUL_RULES

CASES = exchange_cases()
pytest_plugins = ["pytester"]


def _codes(issues: list[dict[str, str]]) -> set[str]:
    return {i["code"] for i in issues if i["severity"] != "info"}


def test_every_stateful_rule_has_a_case_and_is_registered() -> None:
    expected = {code for case in CASES for message in case.messages for code in message.codes}
    for rule in STATEFUL_RULES:
        assert f"rule.{rule}" in registry(), rule
        assert f"rule.{rule}" in expected, f"no exchange case raises {rule}"
        own = [c for c in CASES if any(f"rule.{rule}" in m.codes for m in c.messages)]
        assert own
    valid = [c for c in CASES if c.expects_valid]
    assert len(valid) >= 2  # an e-Pay day and a GovTalk submission, silent throughout
    kinds = {m.kind for c in valid for m in c.messages}
    assert {"epay.payment-request", "epay.reconciliation-batch", "govtalk.envelope"} <= kinds


def test_each_case_breaks_only_its_rule() -> None:
    for case in CASES:
        found = {code for m in case.messages for code in m.codes}
        if case.name.startswith("exchanges/bank-"):  # bank reconciliation: its own codes
            assert all(code.startswith("bank.") for code in found), case.name
            continue
        # One stateful rule per case; the submission protocol's two rules are one machine.
        assert len(found) <= 1 or found == {"rule.COM-R002", "rule.COM-R003"}, case.name
        assert all(code.startswith("rule.") for code in found)


def test_every_bank_reconciliation_finding_has_a_case() -> None:
    """Each code a ledger's reconciliation raises, and a history where nothing is wrong."""
    bank = {
        c
        for c, entry in registry().items()
        if c.startswith("bank.") and entry.templates(stateful=True)[0]
    }
    assert bank == {
        "bank.amount-mismatch",
        "bank.credit-unmatched",
        "bank.entry-already-reconciled",
        "bank.payout-conflict",
        "bank.payout-overdue",
        "bank.statement-duplicate",
    }
    expected = {code for case in CASES for message in case.messages for code in message.codes}
    assert bank <= expected
    valid = [c.name for c in CASES if c.expects_valid]
    assert "exchanges/bank-statement-matches" in valid


def test_cases_are_listed_in_file_name_order() -> None:
    """The CLI checks a folder's files in name order: the MANIFEST lists them so."""
    for case in CASES:
        names = [m.path.name for m in case.messages]
        assert names == sorted(names), case.name
        on_disk = sorted(p.name for p in case.messages[0].path.parent.glob("*.xml"))
        assert names == on_disk, case.name


def test_messages_are_cases_of_the_kit_with_their_history() -> None:
    names = {m.name for c in CASES for m in c.messages}
    kit = {c.name for c in cases() if c.exchange is not None}
    assert names == kit
    for case in CASES:
        assert all(m.exchange == case.name for m in case.messages)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_python(case: ExchangeCase, ledger: str) -> None:
    results = assert_exchange_conforms(case, ledger=ledger)
    assert len(results) == len(case.messages)
    for result in results:
        for issue in result.issues:
            assert issue.message_cy, issue.code
            if issue.code in {f"rule.{r}" for r in STATEFUL_RULES}:
                assert issue.line is not None
                assert issue.path is not None


def test_a_changed_expectation_fails_with_the_issue_list(ledger: str) -> None:
    case = next(c for c in CASES if c.name.endswith("epay-r017-request-id-reused"))
    first, *rest = case.messages
    from dataclasses import replace

    wrong = replace(case, messages=(first, *rest[:-1], replace(rest[-1], codes=())))
    with pytest.raises(AssertionError, match=r"unexpected rule\.EPAY-R017"):
        assert_exchange_conforms(wrong, ledger=ledger)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli(case: ExchangeCase, ledger: str) -> None:
    folder = case.messages[0].path.parent
    args = ["exchange", "check", str(folder), "--ledger", ledger, "--format", "json"]
    if case.sender:
        args += ["--sender", case.sender]
    if case.profile:
        args += ["--profile", str(case.profile)]
    result = CliRunner().invoke(cli, args)
    data = json.loads(result.stdout)
    documents = data["documents"]
    assert [Path(d["source"]).name for d in documents] == [m.path.name for m in case.messages]
    for message, document in zip(case.messages, documents, strict=True):
        assert _codes(document["issues"]) == set(message.codes), message.name
    errors = any(
        registry()[code].severity.value == "error" for m in case.messages for code in m.codes
    )
    assert result.exit_code == (1 if errors else 0)


def test_conformance_check_runs_the_histories(tmp_path: Path) -> None:
    from lgstandards.conformance import check, export

    export(tmp_path / "kit")
    report = check(tmp_path / "kit")
    assert report.ok, [(r.case.name, r.reason) for r in report.failures]
    history = [r for r in report.results if r.case.exchange is not None]
    assert len(history) == sum(len(c.messages) for c in CASES)
    # A product that drops a message of a history fails it and what depends on it.
    case = next(c for c in CASES if c.name.endswith("epay-r010-refunds-exceed-payment"))
    (tmp_path / "kit" / case.messages[1].name).unlink()
    failed = {r.case.name: r.reason for r in check(tmp_path / "kit").failures}
    assert failed[case.messages[1].name] == "no output file for this case"
    assert "expected rule.EPAY-R010 not raised" in (failed[case.messages[2].name] or "")


def test_exchange_cases_in_a_suppliers_pytest_suite(
    pytester: pytest.Pytester, ledger_kind: str, request: pytest.FixtureRequest
) -> None:
    """A supplier's suite runs every exchange case on the ledger its conftest gives."""
    if ledger_kind == "postgresql":
        cluster = request.getfixturevalue("pg_cluster")
        urls = [cluster.new_database() for _ in CASES]
        pytester.makeconftest(
            textwrap.dedent(
                f"""
                import pytest
                URLS = {urls!r}

                @pytest.fixture
                def lgstandards_ledger(exchange_case):
                    names = {[c.name for c in CASES]!r}
                    return URLS[names.index(exchange_case.name)]
                """
            )
        )
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.lgstandards_exchange
        def test_history(exchange_case, assert_exchange_conforms, lgstandards_ledger):
            results = assert_exchange_conforms(exchange_case)
            assert len(results) == len(exchange_case.messages)
        """
    )
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(CASES))


def test_suppliers_suite_reports_a_failing_history(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import dataclasses
        import pytest

        @pytest.mark.lgstandards_exchange(names=["epay-r013-illegal-transition"])
        def test_history(exchange_case, assert_exchange_conforms):
            last = dataclasses.replace(exchange_case.messages[-1], codes=())
            changed = dataclasses.replace(
                exchange_case, messages=(*exchange_case.messages[:-1], last)
            )
            assert_exchange_conforms(changed)
        """
    )
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*05-refund-submitted.xml: unexpected rule.EPAY-R013*"])


def test_suppliers_suite_misusing_the_exchange_marker(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_unmarked(exchange_case):\n    pass\n")
    result = pytester.runpytest("-q", "-p", "no:cacheprovider")
    result.stdout.fnmatch_lines(["*exchange_case needs @pytest.mark.lgstandards_exchange*"])
    result.stdout.no_fnmatch_line("*Traceback*")
