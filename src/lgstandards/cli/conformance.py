"""``lgstandards conformance``: list, export and check the conformance kit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _FileError(click.FileError):
    """A file or folder that cannot be written: exit status 2, as for usage errors."""

    exit_code = EXIT_USAGE


def _schema_version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from lgstandards.conformance import check_schema_version
    from lgstandards.exceptions import UnsupportedVersionError

    try:
        return check_schema_version(value)
    except UnsupportedVersionError as exc:
        raise click.BadParameter(str(exc)) from exc


_version_option = click.option(
    "--schema-version",
    callback=_schema_version,
    help="Only the cases written against this schema version (default: all).",
)


@click.group("conformance")
def conformance() -> None:
    """Prove a product speaks the standards: the kit of cases, exported and checked.

    Example: lgstandards conformance export kit/ && lgstandards conformance check out/
    """


@conformance.command("list")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format: text for people, json for machines.",
)
@_version_option
def list_cases(fmt: str, schema_version: str | None) -> None:
    """List the conformance cases with their kind and expected outcome.

    Example: lgstandards conformance list --format json
    """
    from lgstandards.cli._output import echo_json, print_table
    from lgstandards.conformance import cases, listing

    selected = cases(schema_version=schema_version)
    if fmt == "json":
        echo_json(listing(selected))
        return
    rows: list[list[Any]] = [
        [c.name, c.kind or "-", c.schema_version or "-", " ".join(c.codes) or "valid"]
        for c in selected
    ]
    print_table("Conformance cases", ["Case", "Kind", "Schema", "Expected"], rows)


@conformance.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@_version_option
def export_cases(directory: Path, schema_version: str | None) -> None:
    """Write every case (at its name) and kit.json to DIRECTORY for a product to read.

    Symbolic links are never followed: a link in DIRECTORY where the kit writes is
    refused (exit 2) and nothing is written.

    Example: lgstandards conformance export build/conformance-kit
    """
    from lgstandards.conformance import cases, export
    from lgstandards.exceptions import PublishError

    try:
        written = export(directory, selected=cases(schema_version=schema_version))
    except (OSError, PublishError) as exc:
        raise _FileError(str(directory), hint=str(exc)) from exc
    click.echo(f"wrote {len(written)} files to {directory}", err=True)


@conformance.command("check")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "junit", "html"]),
    default="text",
    show_default=True,
    help="Report format (html: one self-contained page to hand to a council).",
)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@_version_option
def check_outputs(
    directory: Path, fmt: str, output: Path | None, schema_version: str | None
) -> None:
    """Check a product's outputs in DIRECTORY (one file per case, at the case's name).

    Exit status: 0 every case passed, 1 a case failed, 2 a usage error.

    Example: lgstandards conformance check out/ --format html -o conformance.html
    """
    from lgstandards.cli._output import OutputFile
    from lgstandards.conformance import check, render

    target = OutputFile(str(output)) if output is not None else None  # fails before the work
    try:
        report = check(directory, schema_version=schema_version)
        text = render(report, fmt)
    except BaseException:
        if target is not None:
            target.close()
        raise
    if target is not None:
        target.write(text)
    else:
        click.echo(text, nl=False)
    if output is not None or fmt != "text":
        click.echo(
            f"{report.passed} of {report.total} conformance cases passed, {report.failed} failed",
            err=True,
        )
    sys.exit(EXIT_OK if report.ok else EXIT_FAILED)


__all__ = ["conformance"]
