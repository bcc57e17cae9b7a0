"""Shared output helpers for the CLI: JSON to stdout, tables through rich."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click


def echo_json(value: Any) -> None:
    """Print ``value`` as indented, UTF-8 JSON on stdout."""
    click.echo(json.dumps(value, indent=2, ensure_ascii=False, default=str))


def print_table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a table with rich: boxed on a terminal, plain tab-separated when piped."""
    if not sys.stdout.isatty():
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console().print(table)


F = TypeVar("F", bound=Callable[..., Any])


#: The report formats every checking command writes (validate, vocab check).
REPORT_FORMATS = ("text", "json", "junit", "sarif")


def format_option(
    *choices: str,
    default: str = "text",
    help: str = "Output format: text for people, json for machines.",
) -> Callable[[F], F]:
    """Return a ``--format`` option with the given choices."""
    option: Callable[[F], F] = click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help=help,
    )
    return option


def report_format_option() -> Callable[[F], F]:
    """Return the ``--format`` option of the commands that write validation reports."""
    return format_option(
        *REPORT_FORMATS,
        help="Report format: text (one line per issue), json, junit or sarif (for CI).",
    )
