"""``lgstandards exchange``: check a history of documents against a ledger, and summarise one."""

from __future__ import annotations

import io
import sys
from typing import TYPE_CHECKING

import click

from lgstandards.cli._output import (
    OutputFile,
    fail,
    format_option,
    report_format_option,
    same_file,
    silence_stdout,
    stdout_closed,
    write_stdout,
)

if TYPE_CHECKING:
    from lgstandards.report import ValidationReport

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

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
@click.argument("paths", nargs=-1, required=True)
@click.option("--ledger", help=_ledger_help + " Default: a new ledger in memory.")
@click.option("--sender", help="The authenticated sender (a council code), for COM-R011.")
@click.option(
    "--profile",
    type=click.Path(dir_okay=False, exists=True),
    help="The council's profile (TOML or JSON): its fund table, for EPAY-R007.",
)
@report_format_option()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here.")
@click.option(
    "--lang",
    type=click.Choice(["en", "cy"]),
    default="en",
    show_default=True,
    help="Language of messages.",
)
def check(
    paths: tuple[str, ...],
    ledger: str | None,
    sender: str | None,
    profile: str | None,
    fmt: str,
    output: str | None,
    lang: str,
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
    from lgstandards.validation import formats
    from lgstandards.validation.batch import expand_path

    items: list[str | ValidationReport] = []
    for path in paths:
        found = expand_path(path)
        if not found:
            fail(f"no document in {path}")
        items.extend(found)
    if "-" in items:
        fail("an exchange reads files and folders, not standard input")
    inputs = [i for i in items if isinstance(i, str)]
    target: OutputFile | None = None
    if output:
        clash = same_file(output, inputs)
        if clash is not None:
            fail(f"the report {output} would overwrite the document {clash}")
    elif stdout_closed():
        fail("standard output is closed: write the report to a file with -o FILE")
    with Exchange(ledger, sender=sender, profile=profile) as history:  # fails before the work
        target = OutputFile(output) if output else None
        try:
            with history.batch():
                reports = [history.check(i) if isinstance(i, str) else i for i in items]
            buffer = io.StringIO()
            colour = target is None and fmt == "text" and sys.stdout is not None
            colour = colour and sys.stdout.isatty()
            formats.write(reports, buffer, fmt=fmt, lang=lang, colour=colour)
        except BaseException:
            if target is not None:
                target.close()
            raise
    text = buffer.getvalue()
    if target is not None:
        target.write(text)
    else:
        try:
            write_stdout(text, binary=fmt != "text")
        except OSError as exc:
            silence_stdout()
            fail(f"cannot write the report to standard output: {exc.strerror or exc}")
    if fmt == "text" or output:
        click.echo(formats.summary_line(reports), err=True)
    if any(formats.unreadable(r) for r in reports):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_OK if all(r.ok for r in reports) else EXIT_INVALID)


@exchange.command("status")
@click.option("--ledger", required=True, help=_ledger_help)
@format_option("text", "json")
def status(ledger: str, fmt: str) -> None:
    """Summarise a ledger: documents, payments by state, open refunds, unreconciled items.

    Example: lgstandards exchange status --ledger ledger.db
    """
    from pathlib import Path

    from lgstandards.cli._output import echo_json
    from lgstandards.exchange import Exchange
    from lgstandards.exchange.facts import amount_text
    from lgstandards.exchange.ledger import is_memory, ledger_url

    url = ledger_url(ledger)
    if url.startswith("sqlite") and is_memory(url):
        fail("an in-memory ledger is always empty: give the ledger's file or URL")
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        fail(f"no ledger at {ledger}")
    with Exchange(ledger) as history:
        summary = history.status()
    if fmt == "json":
        echo_json(summary.as_dict())
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
    click.echo("\n".join(lines))


__all__ = ["exchange"]
