"""``lgstandards exchange reconcile``: stateless and on a ledger; exit codes, formats, hostility.

The conventions every command shares (``-o`` and the format its name implies, JSON envelope
and schema, ``--fail-on``, ``--quiet``) are checked for this command with the others, in
tests/cli/test_cli_conventions.py.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from camt import Credit, payout, statement
from click.testing import CliRunner, Result

from lgstandards.cli import cli

A = Decimal("120.50")


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["exchange", "reconcile", *args])


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    found = {
        "payout": payout("PO-1", A),
        "other-payout": payout("PO-2", A + 1),
        "statement": statement("S-1", Credit(A, end_to_end="PO-1")),
        "wrong": statement("S-2", Credit(A + 1, end_to_end="PO-1")),
        "garbage": bytes(range(256)),
    }
    paths = {}
    for name, data in found.items():
        path = tmp_path / f"{name}.xml"
        path.write_bytes(data)
        paths[name] = str(path)
    return paths


def test_without_a_ledger_one_report_of_the_statement(files: dict[str, str]) -> None:
    result = run(files["statement"], files["payout"], "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["command"] == "exchange reconcile"
    (document,) = data["documents"]
    assert document["source"] == files["statement"]
    assert document["issues"] == []


def test_without_a_ledger_a_mismatch_fails(files: dict[str, str]) -> None:
    result = run(files["wrong"], files["payout"], files["other-payout"])
    assert result.exit_code == 1
    assert "bank.amount-mismatch" in result.stdout
    assert "bank.payout-missing" in result.stdout  # PO-2
    assert "1 invalid" in result.stderr
    welsh = run(files["wrong"], files["payout"], "--lang", "cy")
    assert "taliad allan" in welsh.stdout


def test_payouts_may_be_a_folder(files: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "payouts"
    folder.mkdir()
    (folder / "a.xml").write_bytes(payout("PO-1", A))
    result = run(files["statement"], str(folder), "--format", "json")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{tmp}"], "the statement must be one file"),
        (["-"], "the statement must be one file"),
        (["{statement}", "-"], "not standard input"),
        (["{statement}", "--overdue-after", "-1"], "-1"),
    ],
)
def test_usage_errors_exit_2(
    args: list[str], message: str, files: dict[str, str], tmp_path: Path
) -> None:
    result = run(*(a.format(tmp=tmp_path, statement=files["statement"]) for a in args))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_a_file_that_cannot_be_read_exits_2(files: dict[str, str], tmp_path: Path) -> None:
    for args in (
        [str(tmp_path / "missing.xml"), files["payout"]],
        [files["statement"], str(tmp_path / "none.xml")],
    ):
        result = run(*args)
        assert result.exit_code == 2
        assert "io.unreadable" in result.stdout


@pytest.mark.parametrize("ledger_kind", ["sqlite"])
def test_hostile_statements_are_reported_not_raised(
    files: dict[str, str], ledger: str, ledger_kind: str
) -> None:
    for args in ([files["garbage"], files["payout"]], ["--ledger", ledger, files["garbage"]]):
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_on_a_ledger_the_payouts_then_the_statement(files: dict[str, str], ledger: str) -> None:
    first = run("--ledger", ledger, files["statement"], files["payout"], "--format", "json")
    assert first.exit_code == 0, first.output
    documents = json.loads(first.stdout)["documents"]
    assert [d["source"] for d in documents] == [files["payout"], files["statement"]]
    again = run("--ledger", ledger, files["statement"], "--format", "json")
    assert again.exit_code == 1
    (document,) = json.loads(again.stdout)["documents"]
    assert [i["code"] for i in document["issues"]] == ["bank.statement-duplicate"]
    status = CliRunner().invoke(cli, ["exchange", "status", "--ledger", ledger, "--format", "json"])
    assert json.loads(status.stdout)["payouts"] == {"open": 0, "reconciled": 1, "overdue": []}


def test_status_lists_overdue_payouts(files: dict[str, str], ledger: str) -> None:
    assert run("--ledger", ledger, files["wrong"], files["other-payout"]).exit_code == 0
    text = CliRunner().invoke(cli, ["exchange", "status", "--ledger", ledger])
    assert "payouts: 1 open, 0 reconciled, 1 overdue" in text.stdout
    assert "warning bank.payout-overdue: Payout PO-2" in text.stdout
    # a payout paid out on 2026-04-01 is overdue today with any threshold up to the age
    late = CliRunner().invoke(
        cli, ["exchange", "status", "--ledger", ledger, "--overdue-after", "100000"]
    )
    assert "0 overdue" in late.stdout


def test_the_status_of_overdue_payouts_matches_its_schema(
    files: dict[str, str], ledger: str
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert run("--ledger", ledger, files["statement"], files["other-payout"]).exit_code == 0
    result = CliRunner().invoke(cli, ["exchange", "status", "--ledger", ledger, "--format", "json"])
    data = json.loads(result.stdout)
    (late,) = data["payouts"]["overdue"]
    assert late["code"] == "bank.payout-overdue"
    schemas = Path(__file__).resolve().parents[2] / "schemas" / "report"
    schema = json.loads((schemas / "exchange-status-v1.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    broken = {**data, "payouts": {**data["payouts"], "overdue": [{**late, "code": "other"}]}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)
