"""``lgstandards exchange``: check a history of documents against a ledger, and summarise one."""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from lgstandards.cli._complete import complete_file
from lgstandards.cli._output import (
    Output,
    emit_json,
    fail,
    fail_on_option,
    format_option,
    lang_option,
    output_option,
    passes,
    profile_option,
    quiet_option,
    report_exit_code,
    report_format_option,
    resolve_format,
)

if TYPE_CHECKING:
    from lgstandards.report import ValidationReport

F = TypeVar("F", bound=Callable[..., Any])

#: The ``$id`` of the JSON Schema of ``exchange status --format json``.
STATUS_SCHEMA = "urn:lgstandards:exchange-status:1"

_ledger_help = (
    "The ledger: a SQLite file path, sqlite:///path, or postgresql://user@host/db "
    "(needs lgstandards[postgresql])."
)


def _sender(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a sender id the ledger cannot keep, as a usage error naming the option."""
    from lgstandards.exchange.ledger import checked_sender

    try:
        return checked_sender(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.group("exchange")
def exchange() -> None:
    """Check documents as one history against a ledger (the stateful rules).

    Example: lgstandards exchange check --ledger ledger.db day-1/ day-2/
    """


@exchange.command("check")
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_file)
@click.option("--ledger", help=_ledger_help + " Default: a new ledger in memory.")
@click.option(
    "--sender",
    callback=_sender,
    help="The authenticated sender (a council code), for COM-R011.",
)
@profile_option()
@report_format_option()
@output_option()
@lang_option()
@fail_on_option()
@quiet_option()
def check(
    paths: tuple[str, ...],
    ledger: str | None,
    sender: str | None,
    profile: str | None,
    fmt: str,
    output: str | None,
    lang: str,
    fail_on: str,
    quiet: bool,
) -> None:
    """Check documents in the order given (a folder: its files in name order) as one history.

    Each document is validated as by 'lgstandards validate', then checked against the
    ledger, and its facts recorded; a document with errors is kept with its report but
    changes nothing. Reports, formats and exit status are those of 'validate' (JSON: one
    report per document, in order): 0 every document valid, 1 a document is invalid,
    2 a usage error or a file that cannot be read.

    Example: lgstandards exchange check --ledger ledger.db --sender W99999999 inbox/
    """
    from lgstandards.exchange import Exchange

    start = dt.datetime.now(dt.UTC)
    fmt = resolve_format(fmt, output)
    items = _documents(paths, "an exchange reads files and folders, not standard input")
    inputs = [i for i in items if isinstance(i, str)]
    with Output(output, inputs=inputs) as target:  # both fail before the work
        with Exchange(ledger, sender=sender, profile=profile) as history, history.batch():
            reports = [history.check(i) if isinstance(i, str) else i for i in items]
        text, code = _rendered(reports, target, fmt, lang, fail_on, quiet, "exchange check", start)
    _finish(target, text, reports, fmt, output, quiet, code)


def _documents(paths: tuple[str, ...], no_stdin: str) -> list[str | ValidationReport]:
    """Expand files and folders (a folder: its files in name order) into the documents.

    A path that cannot be read stays as its report; no document or standard input fails.
    """
    from lgstandards.validation.batch import expand_path

    items: list[str | ValidationReport] = []
    for path in paths:
        found = expand_path(path)
        if not found:
            fail(f"no document in {path}")
        items.extend(found)
    if "-" in items:
        fail(no_stdin)
    return items


def _rendered(
    reports: list[ValidationReport],
    target: Output,
    fmt: str,
    lang: str,
    fail_on: str,
    quiet: bool,
    command: str,
    start: dt.datetime,
) -> tuple[str, int]:
    """Return the reports written in ``fmt`` and the exit code, as 'validate' gives them."""
    from lgstandards.validation import formats

    code = report_exit_code(reports, fail_on)
    shown = [r for r in reports if not passes(r, fail_on)] if quiet else reports
    buffer = io.StringIO()
    formats.write(
        shown if fmt == "text" and not target.to_file else reports,
        buffer,
        fmt=fmt,
        lang=lang,
        colour=target.terminal and fmt == "text",
        command=command,
        invocation=formats.Invocation(code, start, dt.datetime.now(dt.UTC)),
    )
    return buffer.getvalue(), code


def _finish(
    target: Output,
    text: str,
    reports: list[ValidationReport],
    fmt: str,
    output: str | None,
    quiet: bool,
    code: int,
) -> NoReturn:
    """Write the rendered reports, the summary line on stderr, and exit with ``code``."""
    from lgstandards.validation import formats

    target.write(text, binary=fmt != "text")
    if (fmt == "text" or output) and not (quiet and code == 0):
        click.echo(formats.summary_line(reports), err=True)
    sys.exit(code)


def _overdue_option() -> Callable[[F], F]:
    """Return ``--overdue-after DAYS``: when an open payout becomes ``bank.payout-overdue``."""
    option: Callable[[F], F] = click.option(
        "--overdue-after",
        type=click.IntRange(min=0),
        metavar="DAYS",
        help="Days after the day it was paid out that a payout on no bank statement is "
        "overdue (a bank.payout-overdue warning). Default: the exchange's, 5.",
    )
    return option


def _overdue(days: int | None) -> dt.timedelta:
    """Return the exchange's ``overdue_after`` (none given: its default)."""
    from lgstandards.exchange.rules import OVERDUE_AFTER

    return OVERDUE_AFTER if days is None else dt.timedelta(days=days)


@exchange.command("reconcile")
@click.argument("statement", shell_complete=complete_file)
@click.argument("payouts", nargs=-1, shell_complete=complete_file)
@click.option(
    "--ledger",
    help=_ledger_help + " Default: none; the statement is matched against the payouts "
    "given, alone.",
)
@click.option(
    "--sender",
    callback=_sender,
    help="The authenticated sender (a council code): its payouts only.",
)
@profile_option()
@_overdue_option()
@report_format_option()
@output_option()
@lang_option()
@fail_on_option()
@quiet_option()
def reconcile(
    statement: str,
    payouts: tuple[str, ...],
    ledger: str | None,
    sender: str | None,
    profile: str | None,
    overdue_after: int | None,
    fmt: str,
    output: str | None,
    lang: str,
    fail_on: str,
    quiet: bool,
) -> None:
    """Match payouts to the credit entries of a bank statement (camt.053, .052 or .054).

    PAYOUT: e-Pay Payout messages or reconciliation batches (a folder: its files in
    name order). Without --ledger the statement is matched against the payouts given,
    by reference and amount: one report, whose issues name both documents. With a
    ledger the payouts are checked into it first (as by 'exchange check'), then the
    statement is matched against every open payout of the ledger, and the payouts it
    matches are marked reconciled: one report per document, the statement's last.
    Formats and exit status are those of 'validate': 0 no error, 1 an error (a
    mismatch, a payout missing), 2 a usage error or a file that cannot be read.

    Example: lgstandards exchange reconcile --ledger ledger.db statement.xml payout.xml
    """
    start = dt.datetime.now(dt.UTC)
    fmt = resolve_format(fmt, output)
    if statement == "-" or os.path.isdir(statement):
        fail(f"the statement must be one file: {statement}")
    items = _documents(payouts, "reconcile reads files and folders, not standard input")
    inputs = [statement, *(i for i in items if isinstance(i, str))]
    with Output(output, inputs=inputs) as target:  # both fail before the work
        if ledger is None:
            from lgstandards.exchange.bank import reconcile as match

            ready = [i for i in items if isinstance(i, str)]
            report = match(statement, ready)
            report.issues[:0] = [i for r in items if not isinstance(r, str) for i in r.issues]
            reports = [report]
        else:
            from lgstandards.exchange import Exchange

            with (
                Exchange(
                    ledger, sender=sender, profile=profile, overdue_after=_overdue(overdue_after)
                ) as history,
                history.batch(),
            ):
                reports = [history.check(i) if isinstance(i, str) else i for i in items]
                reports.append(history.check(statement))
        text, code = _rendered(
            reports, target, fmt, lang, fail_on, quiet, "exchange reconcile", start
        )
    _finish(target, text, reports, fmt, output, quiet, code)


@exchange.command("status")
@click.option("--ledger", required=True, help=_ledger_help)
@_overdue_option()
@format_option("text", "json")
@output_option()
def status(ledger: str, overdue_after: int | None, fmt: str, output: str | None) -> None:
    """Summarise a ledger: documents, payments by state, open refunds, unreconciled items.

    Open payouts paid out more than --overdue-after days ago are listed as warnings.

    Example: lgstandards exchange status --ledger ledger.db
    """
    from pathlib import Path

    from lgstandards.exchange import Exchange
    from lgstandards.exchange.facts import amount_text
    from lgstandards.exchange.ledger import is_memory, ledger_url

    fmt = resolve_format(fmt, output)
    url = ledger_url(ledger)
    if url.startswith("sqlite") and is_memory(url):
        fail("an in-memory ledger is always empty: give the ledger's file or URL")
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        fail(f"no ledger at {ledger}")
    with (
        Output(output, inputs=[ledger], what="summary") as target,
        Exchange(ledger, overdue_after=_overdue(overdue_after)) as history,
    ):
        summary = history.status()
    if fmt == "json":
        emit_json(target, "exchange status", STATUS_SCHEMA, summary.as_dict())
        return
    states = ", ".join(f"{s} {n}" for s, n in summary.payments_by_state.items()) or "none"
    lines = [
        f"ledger schema version {summary.schema_version}",
        f"documents: {summary.documents_accepted} accepted, {summary.documents_rejected} rejected",
        f"payments by state: {states}",
        f"open refunds: {summary.open_refunds} ({amount_text(summary.open_refunds_pence)})",
        f"unreconciled: {summary.unreconciled_payments} payments, "
        f"{summary.unreconciled_refunds} refunds",
        f"open GovTalk submissions: {summary.open_submissions}",
        f"claims: {summary.claims}",
        f"payouts: {summary.open_payouts} open, {summary.reconciled_payouts} reconciled, "
        f"{len(summary.overdue_payouts)} overdue",
        *(f"{i.severity.value} {i.code}: {i.message}" for i in summary.overdue_payouts),
    ]
    target.write("\n".join(lines) + "\n", binary=False)


__all__ = ["exchange"]
