"""``lgstandards validate``: validate documents and print a report for people or CI."""

from __future__ import annotations

import datetime as dt
import io
import sys
from typing import TYPE_CHECKING

import click

from lgstandards.cli._output import (
    OutputFile,
    fail,
    report_format_option,
    same_file,
    silence_stdout,
    stdout_closed,
    write_stdout,
)

if TYPE_CHECKING:
    from lgstandards.report import ValidationReport
    from lgstandards.validation.engine import Options

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

#: The name standard input has in reports.
STDIN = "<stdin>"

#: Show a progress bar on a terminal when there are at least this many files.
PROGRESS_FROM = 50


def _kind(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from lgstandards.artefacts.kinds import all_kinds
    from lgstandards.validation.engine import RDF_KIND

    known = sorted({*all_kinds(), RDF_KIND})
    if value not in known:
        raise click.BadParameter(f"unknown kind {value!r}; known kinds: {', '.join(known)}")
    return value


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from exc


@click.command("validate")
@click.argument("paths", nargs=-1, required=True)
@report_format_option()
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="Write here.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parallel processes (never more than files).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "cy"]),
    default="en",
    show_default=True,
    help="Language of messages.",
)
@click.option("--kind", callback=_kind, help="Force the document kind (default: detect).")
@click.option("--as-of", callback=_date, help="Check codes against the lists at this date.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="Largest document (whole mode).")
@click.option("--max-depth", type=click.IntRange(min=1), help="Deepest element nesting.")
@click.option("--max-text", type=click.IntRange(min=1), help="Longest text node or attribute.")
@click.option("--streaming/--no-streaming", default=None, help="Force or forbid streaming.")
@click.option("--allow-empty", is_flag=True, help="Accept a folder holding no document (exit 0).")
def validate(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    jobs: int,
    lang: str,
    kind: str | None,
    as_of: dt.date | None,
    max_bytes: int | None,
    max_depth: int | None,
    max_text: int | None,
    streaming: bool | None,
    allow_empty: bool,
) -> None:
    """Validate XML messages and RDF service catalogues (files, folders, or - for stdin).

    Exit status: 0 every document valid (warnings allowed), 1 a document is invalid,
    2 a usage error, a file that cannot be read, a folder holding no document (unless
    --allow-empty) or a report that cannot be written.

    Example: lgstandards validate --format sarif -o report.sarif examples/
    """
    from lgstandards.safexml import DEFAULT_LIMITS, Limits
    from lgstandards.validation import formats
    from lgstandards.validation.batch import DOCUMENT_EXTENSIONS, expand_path
    from lgstandards.validation.engine import make_options

    limits = Limits(
        max_bytes=max_bytes or DEFAULT_LIMITS.max_bytes,
        max_depth=max_depth or DEFAULT_LIMITS.max_depth,
        max_text=max_text or DEFAULT_LIMITS.max_text,
    )
    options = make_options(kind=kind, lang=lang, as_of=as_of, streaming=streaming, limits=limits)
    # Everything that can go wrong before the work is checked before the work.
    items: list[str | ValidationReport] = []
    empty: list[str] = []
    for path in paths:
        found = expand_path(path)
        if not found:
            empty.append(path)
        items.extend(found)
    if empty and not allow_empty:
        suffixes = " ".join(sorted(DOCUMENT_EXTENSIONS))
        fail(
            f"no document in {', '.join(empty)} (files ending {suffixes}); "
            "--allow-empty accepts an empty folder"
        )
    inputs = [i for i in items if isinstance(i, str)]
    target: OutputFile | None = None
    if output:
        clash = same_file(output, inputs)
        if clash is not None:
            shown = "standard input" if clash == "-" else clash
            fail(f"the report {output} would overwrite the document {shown}")
        target = OutputFile(output)
    elif stdout_closed():
        fail("standard output is closed: write the report to a file with -o FILE")
    try:
        reports = _validate(items, options, jobs)
        text = _render(reports, fmt, lang, colour=target is None)
    except BaseException:
        if target is not None:
            target.close()
        raise
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


def _validate(
    items: list[str | ValidationReport], options: Options, jobs: int
) -> list[ValidationReport]:
    """Validate the files (in parallel with ``jobs``) and standard input, in the given order."""
    from lgstandards.validation.batch import missing, validate_paths, validate_source

    files = [i for i in items if isinstance(i, str) and i != "-"]
    if sys.stderr is not None and sys.stderr.isatty() and len(files) >= PROGRESS_FROM:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Validating", total=len(files))
            found = list(
                validate_paths(files, options, jobs=jobs, progress=lambda n: bar.advance(task, n))
            )
    else:
        found = list(validate_paths(files, options, jobs=jobs))
    results = iter(found)
    reports = []
    for item in items:
        if item == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            if stdin is None:
                reports.append(
                    missing(STDIN, "standard input is closed", "mae'r mewnbwn safonol ar gau")
                )
            else:
                reports.append(validate_source(stdin, options, STDIN))
        elif isinstance(item, str):
            reports.append(next(results))
        else:
            reports.append(item)
    return reports


def _render(reports: list[ValidationReport], fmt: str, lang: str, *, colour: bool) -> str:
    """Return the report as text; coloured only for people at a terminal."""
    from lgstandards.validation import formats

    colour = colour and fmt == "text" and sys.stdout is not None and sys.stdout.isatty()
    buffer = io.StringIO()
    formats.write(reports, buffer, fmt=fmt, lang=lang, colour=colour)
    return buffer.getvalue()


__all__ = ["validate"]
