"""``lgstandards vocab check|diff|release``: the standards body's publishing commands.

Exit codes (:mod:`lgstandards.cli._output`): 0 ok (warnings allowed), 1 findings with
errors, a forbidden change or a refused release, 2 a usage error or a file that cannot
be read. Messages go to stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import TYPE_CHECKING

import click

from lgstandards.cli._complete import complete_list, complete_list_or_file
from lgstandards.cli._output import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Output,
    emit_json,
    fail,
    fail_on_option,
    output_option,
    passes,
    quiet_option,
    report_exit_code,
    report_format_option,
    resolve_format,
)
from lgstandards.exceptions import (
    DocumentParseError,
    LGStandardsError,
    PublishError,
    UnknownListError,
)

if TYPE_CHECKING:
    from lgstandards.publish.diff import VocabularyDiff
    from lgstandards.report import ValidationReport

#: The ``$id`` of the JSON Schema of ``vocab diff --format json``.
DIFF_SCHEMA = "urn:lgstandards:vocab-diff:1"


def _is_list_name(target: str) -> bool:
    """Tell whether ``target`` names a list rather than a file (it has no suffix or slash)."""
    return not (Path(target).suffix or "/" in target or "\\" in target)


def _not_a_file(target: str, missing: str) -> OSError:
    """Return the error for a target that is no regular file: missing, or something else."""
    path = Path(target)
    if path.exists():  # a device, a FIFO, a socket: never read (it may block or never end)
        return OSError(f"not a regular file: {target}")
    return FileNotFoundError(f"{missing}: {target}")


def _check_target(target: str) -> ValidationReport:
    from lgstandards.publish.check import check_vocabulary

    path = Path(target)
    if path.is_file():
        return check_vocabulary(path)
    if not _is_list_name(target):
        raise _not_a_file(target, "no such file")
    from lgstandards.publish.skos import build_graph

    return check_vocabulary(build_graph(target), name=target)


@click.command("check")
@click.argument("target", metavar="FILE-OR-LIST", shell_complete=complete_list_or_file)
@report_format_option()
@output_option()
@fail_on_option()
@quiet_option()
def check(target: str, fmt: str, output: str | None, fail_on: str, quiet: bool) -> None:
    """Check a SKOS vocabulary file (or a shipped list's source) for quality issues.

    Example: lgstandards vocab check lgsl

    Example: lgstandards vocab check lgsl --fail-on warning -o lgsl.sarif
    """
    from lgstandards.validation import formats

    start = dt.datetime.now(dt.UTC)
    fmt = resolve_format(fmt, output)
    out = Output(output, inputs=[target])
    try:
        report = _check_target(target)
    except UnknownListError as exc:
        fail(f"{target} is neither a file nor a list: {exc}", EXIT_USAGE)
    except (OSError, DocumentParseError) as exc:
        fail(str(exc), EXIT_USAGE)
    except LGStandardsError as exc:
        fail(str(exc), EXIT_USAGE)
    code = report_exit_code([report], fail_on)
    if code == EXIT_USAGE:  # only a document can be unreadable; a vocabulary is a finding
        code = EXIT_INVALID
    shown = [] if quiet and fmt == "text" and passes(report, fail_on) else [report]
    buffer = io.StringIO()
    run = formats.Invocation(code, start, dt.datetime.now(dt.UTC))
    formats.write(
        shown if not out.to_file else [report],
        buffer,
        fmt=fmt,
        command="vocab check",
        invocation=run,
    )
    out.write(buffer.getvalue(), binary=fmt != "text")
    if (fmt == "text" or output) and not (quiet and code == EXIT_OK):
        click.echo(formats.summary_line([report]), err=True)
    raise click.exceptions.Exit(code)


@click.command("diff")
@click.argument("old", metavar="OLD-OR-LIST", shell_complete=complete_list_or_file)
@click.argument("new", metavar="[NEW]", required=False, shell_complete=complete_list_or_file)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="Output format; default: from the -o file's name (.json, .md), else text.",
)
@output_option()
def diff(old: str, new: str | None, fmt: str, output: str | None) -> None:
    """Compare two SKOS vocabularies (files, or release folders) concept by concept.

    With a list name alone (LIST), compare the list's edited source with its latest
    release, without building it first, and name both. Exit 1 when a concept was
    removed or a code re-used (never allowed for our lists).

    Example: lgstandards vocab diff vocabularies/lgsl/4.0.1 vocabularies/lgsl/4.1.0

    Example: lgstandards vocab diff lgsl
    """
    from lgstandards.publish.diff import diff_vocabularies

    fmt = resolve_format(fmt, output)
    out = Output(output, what="output")
    extra: dict[str, object] = {}
    header = ""
    if new is None:
        if not _is_list_name(old):
            raise click.UsageError("give two vocabularies (OLD NEW), or a list name alone")
        result, extra, header = _source_diff(old)
    else:
        try:
            result = diff_vocabularies(_rdf_input(old), _rdf_input(new))
        except (OSError, LGStandardsError) as exc:
            fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        emit_json(out, "vocab diff", DIFF_SCHEMA, {**result.to_json(), **extra})
    elif fmt == "markdown":
        out.write(result.to_markdown(), binary=False)
    else:
        out.write(header + result.to_text(), binary=False)
    raise click.exceptions.Exit(EXIT_INVALID if result.forbidden() else EXIT_OK)


def _source_diff(list_id: str) -> tuple[VocabularyDiff, dict[str, object], str]:
    """Return the diff from the latest release of ``list_id`` to its source, and names."""
    from lgstandards.publish.release import source_changes

    changes = source_changes(list_id)
    if changes.diff is None:
        fail(f"{list_id} has no release yet: nothing to compare its source with", EXIT_USAGE)
    extra: dict[str, object] = {
        "list": list_id,
        "release": changes.previous,
        "next_version": changes.version,
    }
    header = (
        f"{list_id}: latest release {changes.previous} -> the edited source "
        f"({changes.diff.new_source}, not released; next version: "
        f"{changes.version or 'none'}: {changes.reason()})\n"
    )
    return changes.diff, extra, header


def _rdf_input(target: str) -> Path:
    path = Path(target)
    if path.is_dir():
        from lgstandards.vocab.releases import release_graph_file

        return release_graph_file(path)
    if not path.is_file():
        raise _not_a_file(target, "no such file or release folder")
    return path


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date (YYYY-MM-DD)", param_hint="--date"
        ) from None


@click.command("release")
@click.argument("list_id", metavar="LIST", shell_complete=complete_list)
@click.option("--version", "version", help="The release version, X.Y.Z.")
@click.option(
    "--bump",
    type=click.Choice(["auto", "major", "minor", "patch"]),
    help="Compute the version from the latest release: auto takes the bump the changes "
    "need (new codes or deprecations: minor; labels and descriptions: patch).",
)
@click.option("--date", "date", default=None, help="The release date, YYYY-MM-DD (default today).")
@click.option(
    "--dry-run", is_flag=True, help="Check everything and print the version and why; write nothing."
)
@click.option("--force", is_flag=True, help="Allow a bump larger than the changes need.")
def release(
    list_id: str,
    version: str | None,
    bump: str | None,
    date: str | None,
    dry_run: bool,
    force: bool,
) -> None:
    """Publish a new immutable release of a list in vocabularies/<list>/<version>/.

    Give the version (--version) or let it be computed (--bump). Removing or re-using a
    code is never allowed; a bump larger than the changes need asks for --force.

    Example: lgstandards vocab release lgsl --version 4.1.0 --date 2026-12-01

    Example: lgstandards vocab release lgsl --bump auto --dry-run
    """
    from lgstandards.publish.release import plan_release, source_changes
    from lgstandards.publish.release import release as do_release

    if (version is None) == (bump is None):
        raise click.UsageError("give either --version X.Y.Z or --bump auto|major|minor|patch")
    when = _date(date)
    try:
        why = None
        if bump is not None:
            changes = source_changes(list_id)
            version = changes.version_for(bump, force=force)
            why = changes.reason()
        assert version is not None
        if dry_run:
            plan_release(list_id, version, date=when)
            click.echo(f"would release {list_id} {version}" + (f": {why}" if why else ""), err=True)
            click.echo(version)
            return
        folder = do_release(list_id, version, date=when)
    except PublishError as exc:
        fail(str(exc), EXIT_INVALID)
    except (OSError, LGStandardsError) as exc:
        fail(str(exc), EXIT_USAGE)
    if why:
        click.echo(f"released {list_id} {version}: {why}", err=True)
    click.echo(str(folder))


__all__ = ["check", "diff", "release"]
