"""The ``lgstandards`` command line: a thin layer over the library.

Exit codes: 0 success (every document valid), 1 a finding (an invalid document,
an unknown code or list), 2 a usage error or a file that cannot be read. Library
errors become messages on stderr here, never tracebacks.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from lgstandards import __version__
from lgstandards.cli._lazy import LazyGroup
from lgstandards.exceptions import LGStandardsError, UnknownCodeError, UnknownListError

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Main(LazyGroup):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (UnknownCodeError, UnknownListError) as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_INVALID)
        except LGStandardsError as exc:
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except BrokenPipeError:  # pragma: no cover - output closed by a pager
            sys.stderr.close()
            ctx.exit(EXIT_OK)


@click.group(
    cls=_Main,
    context_settings=CONTEXT_SETTINGS,
    lazy={
        "vocab": "lgstandards.cli.vocab:vocab",
        "validate": "lgstandards.cli.validate:validate",
        "info": "lgstandards.cli.info:info",
        "conformance": "lgstandards.cli.conformance:conformance",
    },
)
@click.version_option(__version__, "-V", "--version", prog_name="lgstandards")
def cli() -> None:
    """Work with the UK local e-government standards: code lists, messages, validation.

    Example: lgstandards vocab show lgsl 57
    """


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (the ``lgstandards`` console script)."""
    cli.main(args=argv, prog_name="lgstandards")


__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "cli", "main"]
