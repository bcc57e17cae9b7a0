"""The ``lgstandards`` command line: a thin layer over the library.

Exit codes (:data:`EXIT_OK`, :data:`EXIT_INVALID`, :data:`EXIT_USAGE`, defined once in
:mod:`lgstandards.cli._output`): 0 success (every document valid), 1 a finding (an
invalid document, an unknown code or list), 2 a usage error or a file that cannot be
read or written.
Library errors, failed reads and writes (a closed or full standard output included)
become one-line messages on stderr here, never tracebacks.
"""

from __future__ import annotations

import gc
import sys
from typing import Any

import click

from lgstandards import __version__
from lgstandards.cli._lazy import LazyGroup
from lgstandards.cli._output import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    fail,
    guard_standard_streams,
    os_error_message,
    silence_stdout,
)
from lgstandards.exceptions import LGStandardsError, UnknownCodeError, UnknownListError

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Main(LazyGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        guard_standard_streams()
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:  # writing --help or --version failed (before invoke)
            silence_stdout()
            try:
                fail(os_error_message(exc), EXIT_USAGE)
            except click.exceptions.Exit as stop:
                sys.exit(stop.exit_code)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                if sys.stdout is not None:
                    sys.stdout.flush()  # a full or closed output fails here, not at exit
        except (UnknownCodeError, UnknownListError) as exc:
            fail(str(exc), EXIT_INVALID)
        except LGStandardsError as exc:
            fail(str(exc), EXIT_USAGE)
        except OSError as exc:
            silence_stdout()
            fail(os_error_message(exc), EXIT_USAGE)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Exception as exc:  # a bug: still one line, never a traceback
            fail(f"internal error ({type(exc).__name__}: {exc}); please report it", EXIT_USAGE)


@click.group(
    cls=_Main,
    context_settings=CONTEXT_SETTINGS,
    lazy={
        "vocab": "lgstandards.cli.vocab:vocab",
        "validate": "lgstandards.cli.validate:validate",
        "info": "lgstandards.cli.info:info",
        "conformance": "lgstandards.cli.conformance:conformance",
        "exchange": "lgstandards.cli.exchange:exchange",
        "serve": "lgstandards.service.command:serve",
    },
)
@click.version_option(__version__, "-V", "--version", prog_name="lgstandards")
def cli() -> None:
    """Work with the UK local e-government standards: code lists, messages, validation.

    Shell completion (commands, options, list names, kinds): add
    eval "$(_LGSTANDARDS_COMPLETE=bash_source lgstandards)" to ~/.bashrc
    (zsh_source for zsh, fish_source for fish).

    Example: lgstandards vocab show lgsl 57
    """


#: The cyclic collector's first threshold while the command line runs (Python's is 700).
#: What a command imports lives until it ends; with the default, a one-file run made
#: about 35 collections walking those modules' objects, 4% of its instructions.
#: Garbage in reference cycles waits for at most this many new objects.
COLLECT_EVERY = 50_000


def collect_less() -> tuple[int, ...]:
    """Make the cyclic collector run every :data:`COLLECT_EVERY` objects; return its thresholds."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], COLLECT_EVERY), *thresholds[1:])
    return thresholds


def main(argv: list[str] | None = None) -> None:
    """Run the CLI (the ``lgstandards`` console script)."""
    thresholds = collect_less()
    try:
        cli.main(args=argv, prog_name="lgstandards")
    finally:
        # The process ends now: exempt what exists from the collector, so that
        # the collections of the interpreter's shutdown do not walk every module's
        # objects again (objects are still freed as their last reference goes).
        gc.freeze()
        gc.set_threshold(*thresholds)


__all__ = ["EXIT_INVALID", "EXIT_OK", "EXIT_USAGE", "cli", "main"]
