"""``lgstandards exchange``: check a history of documents against a ledger, and summarise one."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

import click

from lgstandards.cli._complete import complete_file
from lgstandards.cli._output import (
    Output,
    emit_json,
    fail,
    fail_on_option,
    format_option,
    output_option,
    passes,
    quiet_option,
    report_exit_code,
    report_format_option,
    resolve_format,
)

if TYPE_CHECKING:
    from lgstandards.report import ValidationReport

#: The ``$id`` of the JSON Schema of ``exchange status --format json``.
STATUS_SCHEMA = "urn:lgstandards:exchange-status:1"

_ledger_help = (
    "The ledger: a SQLite file path, sqlite:///path, or postgresql://user@host/db "
    "(needs lgstandards[postgresql])."
)


@click.group("exchange")
def exchange() -> None:
    """Check documents as one history against a ledger (the stateful rules).

    Example: lgstandards exchange check --ledger ledger.db day-1/ day-2/
    """


@exchange.command("check")
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_file)
@click.option("--ledger", help=_ledger_help + " Default: a new ledger in memory.")
@click.option("--sender", help="The authenticated sender (a council code), for COM-R011.")
@click.option(
    "--profile",
    type=click.Path(dir_okay=False, exists=True),
    help="The council's profile (TOML or JSON): its fund table, for EPAY-R007.",
)
@report_format_option()
@output_option()
@click.option(
    "--lang",
    type=click.Choice(["en", "cy"]),
    default="en",
    show_default=True,
    help="Language of messages.",
)
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
    import datetime as dt

    from lgstandards.exchange import Exchange
    from lgstandards.validation import formats
    from lgstandards.validation.batch import expand_path

    start = dt.datetime.now(dt.UTC)
    fmt = resolve_format(fmt, output)
    items: list[str | ValidationReport] = []
    for path in paths:
        found = expand_path(path)
        if not found:
            fail(f"no document in {path}")
        items.extend(found)
    if "-" in items:
        fail("an exchange reads files and folders, not standard input")
    inputs = [i for i in items if isinstance(i, str)]
    with Output(output, inputs=inputs) as target:  # both fail before the work
        with Exchange(ledger, sender=sender, profile=profile) as history, history.batch():
            reports = [history.check(i) if isinstance(i, str) else i for i in items]
        code = report_exit_code(reports, fail_on)
        shown = [r for r in reports if not passes(r, fail_on)] if quiet else reports
        buffer = io.StringIO()
        formats.write(
            shown if fmt == "text" and not target.to_file else reports,
            buffer,
            fmt=fmt,
            lang=lang,
            colour=target.terminal and fmt == "text",
            command="exchange check",
            invocation=formats.Invocation(code, start, dt.datetime.now(dt.UTC)),
        )
    target.write(buffer.getvalue(), binary=fmt != "text")
    if (fmt == "text" or output) and not (quiet and code == 0):
        click.echo(formats.summary_line(reports), err=True)
    sys.exit(code)


@exchange.command("status")
@click.option("--ledger", required=True, help=_ledger_help)
@format_option("text", "json")
@output_option()
def status(ledger: str, fmt: str, output: str | None) -> None:
    """Summarise a ledger: documents, payments by state, open refunds, unreconciled items.

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
    with Output(output, inputs=[ledger], what="summary") as target, Exchange(ledger) as history:
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
    ]
    target.write("\n".join(lines) + "\n", binary=False)


__all__ = ["exchange"]
