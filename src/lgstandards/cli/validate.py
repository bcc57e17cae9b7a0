"""``lgstandards validate``: validate documents and print a report for people or CI."""

from __future__ import annotations

import datetime as dt
import io
import sys
from contextlib import ExitStack
from typing import TYPE_CHECKING, NoReturn

import click

from lgstandards.cli._complete import complete_file, complete_kind, known_kinds
from lgstandards.cli._output import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Output,
    fail,
    fail_on_option,
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
    from lgstandards.validation.engine import Options
    from lgstandards.validation.formats import Invocation

#: The name standard input has in reports.
STDIN = "<stdin>"


def _kind(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    known = known_kinds()
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
@click.argument("paths", nargs=-1, required=True, shell_complete=complete_file)
@report_format_option()
@output_option()
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Parallel processes (never more than files).",
)
@lang_option()
@profile_option()
@click.option(
    "--kind",
    callback=_kind,
    shell_complete=complete_kind,
    help="Force the document kind (default: detect).",
)
@click.option("--as-of", callback=_date, help="Check codes against the lists at this date.")
@click.option("--max-bytes", type=click.IntRange(min=1), help="Largest document (whole mode).")
@click.option("--max-depth", type=click.IntRange(min=1), help="Deepest element nesting.")
@click.option("--max-text", type=click.IntRange(min=1), help="Longest text node or attribute.")
@click.option("--streaming/--no-streaming", default=None, help="Force or forbid streaming.")
@click.option("--allow-empty", is_flag=True, help="Accept a folder holding no document (exit 0).")
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Leave out files and folders found in a folder whose name or path below it "
    "matches GLOB (repeatable), e.g. --exclude invalid --exclude epay/old.",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Validate on a Dask cluster: a scheduler's address (tcp://host:8786) or local:N "
    "(a local cluster of N worker processes). Paths may be fsspec URLs (s3://, file://); "
    "the workers read the files. Needs the cluster extra.",
)
@click.option(
    "--cross-document",
    is_flag=True,
    help="With --cluster: also check COM-R004, COM-R012 and EPAY-R017 across the files, "
    "in their order, as the exchange ledger would.",
)
@fail_on_option()
@quiet_option()
def validate(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    jobs: int,
    lang: str,
    profile: str | None,
    kind: str | None,
    as_of: dt.date | None,
    max_bytes: int | None,
    max_depth: int | None,
    max_text: int | None,
    streaming: bool | None,
    allow_empty: bool,
    exclude: tuple[str, ...],
    cluster: str | None,
    cross_document: bool,
    fail_on: str,
    quiet: bool,
) -> None:
    """Validate XML messages and RDF service catalogues (files, folders, or - for stdin).

    Exit status: 0 every document valid (warnings allowed, unless --fail-on warning),
    1 a document is invalid, 2 a usage error, a file that cannot be read, a folder
    holding no document (unless --allow-empty) or a report that cannot be written.

    Example: lgstandards validate -o report.sarif examples/

    Example: lgstandards validate --quiet --fail-on warning --exclude 'invalid' examples/

    Example: lgstandards validate --profile council.toml batches/

    Example: lgstandards validate --cluster tcp://scheduler:8786 -o day.sarif s3://hub/day/
    """
    from lgstandards.safexml import DEFAULT_LIMITS, Limits
    from lgstandards.validation import formats
    from lgstandards.validation.batch import expand_path
    from lgstandards.validation.engine import make_options

    start = dt.datetime.now(dt.UTC)
    fmt = resolve_format(fmt, output)
    limits = Limits(
        max_bytes=max_bytes or DEFAULT_LIMITS.max_bytes,
        max_depth=max_depth or DEFAULT_LIMITS.max_depth,
        max_text=max_text or DEFAULT_LIMITS.max_text,
    )
    chosen = None
    if profile is not None:
        from lgstandards.validation.profile_files import read_profile  # TOML: only then

        chosen = read_profile(profile)
    options = make_options(
        kind=kind, lang=lang, as_of=as_of, streaming=streaming, limits=limits, profile=chosen
    )
    if cross_document and cluster is None:
        fail("--cross-document needs --cluster")
    if cluster is not None:
        if jobs != 1:
            fail("--jobs and --cluster do not go together (the cluster's workers do the work)")
        _on_cluster(
            cluster,
            paths,
            options,
            fmt,
            output,
            lang,
            exclude,
            allow_empty,
            start,
            cross_document,
            fail_on,
            quiet,
        )
    # Everything that can go wrong before the work is checked before the work.
    items: list[str | ValidationReport] = []
    empty: list[str] = []
    for path in paths:
        found = expand_path(path, exclude)
        if not found:
            empty.append(path)
        items.extend(found)
    if empty and not allow_empty:
        _no_document(empty, exclude)
    inputs = [i for i in items if isinstance(i, str)]
    with Output(output, inputs=inputs) as target:
        reports = _validate(items, options, jobs)
        code = report_exit_code(reports, fail_on)
        failing = [r for r in reports if not passes(r, fail_on)]
        shown = failing if quiet and not target.to_file else reports  # a file gets all
        invocation = formats.Invocation(code, start, dt.datetime.now(dt.UTC))
        text = _render(
            shown if fmt == "text" else reports, fmt, lang, colour=target.terminal, run=invocation
        )
    target.write(text, binary=fmt != "text")
    if (fmt == "text" or output) and not (quiet and code == 0):
        click.echo(formats.summary_line(reports), err=True)
    sys.exit(code)


def _no_document(empty: list[str], exclude: tuple[str, ...]) -> NoReturn:
    from lgstandards.validation.batch import DOCUMENT_EXTENSIONS

    suffixes = " ".join(sorted(DOCUMENT_EXTENSIONS))
    fail(
        f"no document in {', '.join(empty)} (files ending {suffixes}"
        f"{', less those excluded' if exclude else ''}); "
        "--allow-empty accepts an empty folder"
    )


def _validate(
    items: list[str | ValidationReport], options: Options, jobs: int
) -> list[ValidationReport]:
    """Validate the files (in parallel with ``jobs``) and standard input, in the given order."""
    from lgstandards.cli._progress import progress
    from lgstandards.validation.batch import missing, validate_paths, validate_source

    files = [i for i in items if isinstance(i, str) and i != "-"]
    with progress(files, jobs=jobs) as advance:
        found = list(validate_paths(files, options, jobs=jobs, progress=advance))
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


def _on_cluster(
    address: str,
    paths: tuple[str, ...],
    options: Options,
    fmt: str,
    output: str | None,
    lang: str,
    exclude: tuple[str, ...],
    allow_empty: bool,
    start: dt.datetime,
    cross_document: bool,
    fail_on: str,
    quiet: bool,
) -> NoReturn:
    """Validate on a Dask cluster, writing the report as the documents come back."""
    try:
        from lgstandards.bulk import connect, validate_items
        from lgstandards.bulk.sources import Item, expand
    except ImportError as exc:
        fail(f"--cluster needs the cluster extra (pip install 'lgstandards[cluster]'): {exc}")
    from lgstandards.cli._progress import progress
    from lgstandards.validation import formats

    items: list[Item | ValidationReport] = []
    empty: list[str] = []
    for path in paths:
        found = expand([path], exclude)
        if not found:
            empty.append(path)
        items.extend(found)
    if empty and not allow_empty:
        _no_document(empty, exclude)
    files = [i.name for i in items if isinstance(i, Item)]
    unreadable, passing = False, True
    with Output(output, inputs=[f for f in files if "://" not in f]) as target:
        colour = target.terminal and fmt == "text"
        with (
            target.stream(binary=fmt != "text") as out,
            formats.ReportStream(out, fmt=fmt, lang=lang, colour=colour) as stream,
        ):
            with ExitStack() as stack:
                try:
                    client = stack.enter_context(connect(address))
                except Exception as exc:  # a wrong address, a scheduler that is gone
                    fail(f"cannot use the cluster {address}: {exc}")
                advance = stack.enter_context(progress(files, jobs=2))
                for report in validate_items(
                    items,
                    client,
                    options=options,
                    ordered=True,
                    cross_document=cross_document,
                    progress=advance,
                ):
                    ok = passes(report, fail_on)
                    passing = passing and ok
                    unreadable = unreadable or formats.unreadable(report)
                    stream.add(report, show=not (quiet and ok and not target.to_file))
            code = EXIT_USAGE if unreadable else EXIT_OK if passing else EXIT_INVALID
            stream.close(formats.Invocation(code, start, dt.datetime.now(dt.UTC)))
    if (fmt == "text" or output) and not (quiet and code == 0):
        click.echo(formats.summary_line(stream.counts), err=True)
    sys.exit(code)


def _render(
    reports: list[ValidationReport], fmt: str, lang: str, *, colour: bool, run: Invocation
) -> str:
    """Return the report as text; coloured only for people at a terminal."""
    from lgstandards.validation import formats

    buffer = io.StringIO()
    formats.write(
        reports, buffer, fmt=fmt, lang=lang, colour=colour and fmt == "text", invocation=run
    )
    return buffer.getvalue()


__all__ = ["validate"]
