"""``lgstandards conformance``: list, export and check the conformance kit."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from lgstandards.cli._output import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    Output,
    emit_json,
    output_option,
    print_table,
    quiet_option,
    resolve_format,
)

#: The ``$id`` of the JSON Schema of ``conformance list --format json``.
LIST_SCHEMA = "urn:lgstandards:conformance-list:1"


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
@output_option()
@_version_option
def list_cases(fmt: str, output: str | None, schema_version: str | None) -> None:
    """List the conformance cases with their kind and expected outcome.

    Example: lgstandards conformance list --format json
    """
    from lgstandards.conformance import cases, listing

    fmt = resolve_format(fmt, output)
    target = Output(output, what="output")
    selected = cases(schema_version=schema_version)
    if fmt == "json":
        emit_json(target, "conformance list", LIST_SCHEMA, listing(selected))
        return
    rows: list[list[Any]] = [
        [c.name, c.kind or "-", c.schema_version or "-", " ".join(c.codes) or "valid"]
        for c in selected
    ]
    print_table("Conformance cases", ["Case", "Kind", "Schema", "Expected"], rows, target)


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
    help="Report format (html: one self-contained page to hand to a council); "
    "default: from the -o file's name, else text.",
)
@output_option()
@_version_option
@quiet_option()
def check_outputs(
    directory: Path, fmt: str, output: str | None, schema_version: str | None, quiet: bool
) -> None:
    """Check a product's outputs in DIRECTORY (one file per case, at the case's name).

    Exit status: 0 every case passed, 1 a case failed, 2 a usage error.

    Example: lgstandards conformance check out/ -o conformance.html
    """
    from lgstandards.conformance import check, render

    fmt = resolve_format(fmt, output)
    target = Output(output)  # fails before the work
    report = check(directory, schema_version=schema_version)
    if not (quiet and report.ok):
        target.write(render(report, fmt), binary=fmt != "text")
    elif target.to_file:
        target.write(render(report, fmt))
    if (output is not None or fmt != "text") and not (quiet and report.ok):
        click.echo(
            f"{report.passed} of {report.total} conformance cases passed, {report.failed} failed",
            err=True,
        )
    sys.exit(EXIT_OK if report.ok else EXIT_INVALID)


__all__ = ["conformance"]
