"""``lgstandards vocab check|diff|release``: the standards body's publishing commands.

Exit codes: 0 ok (warnings allowed), 1 findings with errors or a refused release,
2 a usage error or a file that cannot be read. Messages go to stderr, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from lgstandards.cli._output import fail, report_format_option
from lgstandards.exceptions import (
    DocumentParseError,
    LGStandardsError,
    PublishError,
    UnknownListError,
)
from lgstandards.report import ValidationReport

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


def _check_target(target: str) -> ValidationReport:
    from lgstandards.publish.check import check_vocabulary

    path = Path(target)
    if path.is_file():
        return check_vocabulary(path)
    if path.suffix or "/" in target or "\\" in target:
        raise FileNotFoundError(f"no such file: {target}")
    from lgstandards.publish.skos import build_graph

    return check_vocabulary(build_graph(target), name=target)


@click.command("check")
@click.argument("target", metavar="FILE-OR-LIST")
@report_format_option()
def check(target: str, fmt: str) -> None:
    """Check a SKOS vocabulary file (or a shipped list's source) for quality issues.

    Example: lgstandards vocab check lgsl
    """
    import sys

    from lgstandards.validation import formats

    try:
        report = _check_target(target)
    except UnknownListError as exc:
        fail(f"{target} is neither a file nor a list: {exc}", EXIT_USAGE)
    except (OSError, DocumentParseError) as exc:
        fail(str(exc), EXIT_USAGE)
    except LGStandardsError as exc:
        fail(str(exc), EXIT_USAGE)
    formats.write([report], sys.stdout, fmt=fmt)
    if fmt == "text":
        click.echo(formats.summary_line([report]), err=True)
    raise click.exceptions.Exit(EXIT_OK if report.ok else EXIT_INVALID)


@click.command("diff")
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
)
def diff(old: str, new: str, fmt: str) -> None:
    """Compare two SKOS vocabularies (files, or release folders) concept by concept.

    Exit 1 when a concept was removed or a code re-used (never allowed for our lists).

    Example: lgstandards vocab diff vocabularies/lgsl/4.0.1 vocabularies/lgsl/4.1.0
    """
    from lgstandards.publish.diff import diff_vocabularies

    try:
        result = diff_vocabularies(_rdf_input(old), _rdf_input(new))
    except (OSError, LGStandardsError) as exc:
        fail(str(exc), EXIT_USAGE)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        click.echo(result.to_markdown(), nl=False)
    else:
        click.echo(result.to_text(), nl=False)
    raise click.exceptions.Exit(EXIT_INVALID if result.forbidden() else EXIT_OK)


def _rdf_input(target: str) -> Path:
    path = Path(target)
    if path.is_dir():
        from lgstandards.vocab.releases import release_graph_file

        return release_graph_file(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file or release folder: {target}")
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
@click.argument("list_id", metavar="LIST")
@click.option("--version", "version", required=True, help="The release version, X.Y.Z.")
@click.option("--date", "date", default=None, help="The release date, YYYY-MM-DD (default today).")
def release(list_id: str, version: str, date: str | None) -> None:
    """Publish a new immutable release of a list in vocabularies/<list>/<version>/.

    Example: lgstandards vocab release lgsl --version 4.1.0 --date 2026-12-01
    """
    from lgstandards.publish.release import release as do_release

    when = _date(date)
    try:
        folder = do_release(list_id, version, date=when)
    except PublishError as exc:
        fail(str(exc), EXIT_INVALID)
    except UnknownListError as exc:
        fail(str(exc), EXIT_USAGE)
    except (OSError, LGStandardsError) as exc:
        fail(str(exc), EXIT_USAGE)
    click.echo(str(folder))


__all__ = ["check", "diff", "release"]
