"""``lgstandards validate``: validate documents and print a report for people or CI."""

from __future__ import annotations

import datetime as dt
import sys
from typing import IO, Any

import click

from lgstandards.cli._output import report_format_option

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

#: Show a progress bar on a terminal when there are at least this many files.
PROGRESS_FROM = 50


def _kind(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from lgstandards.validate.engine import RDF_KIND
    from lgstandards.validate.kinds import all_kinds

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
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write here.")
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parallel processes.",
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
) -> None:
    """Validate XML messages and RDF service catalogues (files, folders, or - for stdin).

    Exit status: 0 every document valid (warnings allowed), 1 a document is invalid,
    2 a usage error or a file that cannot be read.

    Example: lgstandards validate --format sarif -o report.sarif examples/
    """
    from lgstandards.safexml import DEFAULT_LIMITS, Limits
    from lgstandards.validate import formats
    from lgstandards.validate.batch import expand, validate_paths
    from lgstandards.validate.engine import make_options, run

    limits = Limits(
        max_bytes=max_bytes or DEFAULT_LIMITS.max_bytes,
        max_depth=max_depth or DEFAULT_LIMITS.max_depth,
        max_text=max_text or DEFAULT_LIMITS.max_text,
    )
    options = make_options(kind=kind, lang=lang, as_of=as_of, streaming=streaming, limits=limits)
    items = expand(paths)
    files = [i for i in items if isinstance(i, str) and i != "-"]
    reports_by_path: dict[str, Any] = {}
    show_progress = sys.stderr.isatty() and len(files) >= PROGRESS_FROM
    if show_progress:
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("Validating", total=len(files))
            for report in validate_paths(
                files, options, jobs=jobs, progress=lambda n: bar.advance(task, n)
            ):
                reports_by_path[report.source or ""] = report
    else:
        for report in validate_paths(files, options, jobs=jobs):
            reports_by_path[report.source or ""] = report
    reports = []
    for item in items:
        if item == "-":
            report = run(sys.stdin.buffer.read(), options, name="<stdin>")
        elif isinstance(item, str):
            report = reports_by_path[item]
        else:
            report = item
        reports.append(report)
    stream: IO[str]
    if output:
        with open(output, "w", encoding="utf-8") as stream:
            formats.write(reports, stream, fmt=fmt, lang=lang)
    else:
        colour = fmt == "text" and sys.stdout.isatty()
        formats.write(reports, sys.stdout, fmt=fmt, lang=lang, colour=colour)
    if fmt == "text" or output:
        click.echo(formats.summary_line(reports), err=True)
    if any(formats.unreadable(r) for r in reports):
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_OK if all(r.ok for r in reports) else EXIT_INVALID)


__all__ = ["validate"]
