"""Shared output helpers for the CLI: JSON to stdout, tables through rich, errors, files.

Output that cannot be written (standard output closed, full or a closed pipe, a report
file in a missing folder) is a one-line error and exit status 2, never a traceback.
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn, TypeVar

import click

#: Exit status of a usage error or a file that cannot be read or written.
EXIT_USAGE = 2

#: Errors of a write that failed (the output is gone, full or closed).
_WRITE_ERRORS = frozenset(
    {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EFBIG, errno.EDQUOT}
)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print ``Error: message`` as one line on stderr and exit with ``code``."""
    from lgstandards.validation.formats import printable

    click.echo(f"Error: {printable(message)}", err=True)
    raise click.exceptions.Exit(code)


def os_error_message(exc: OSError) -> str:
    """Return a one-line message for a failed read or write."""
    why = exc.strerror or str(exc)
    if exc.filename is not None:
        return f"{os.fsdecode(exc.filename)}: {why}"
    if exc.errno in _WRITE_ERRORS:
        return f"cannot write the output: {why}"
    return why


class _ClosedBytes(io.BufferedIOBase):
    """The binary side of :class:`ClosedOutput`: every write fails."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def writable(self) -> bool:
        """Claim to be writable, so that writing is tried and fails."""
        return True

    def write(self, data: Any) -> int:
        """Refuse the write: the stream was closed."""
        raise OSError(errno.EBADF, f"{self._name} is closed")


class ClosedOutput(io.TextIOBase):
    """Stands for a standard stream closed when the program started: every write fails."""

    #: The encoding a writer would use (so that click takes this for a text stream).
    encoding = "utf-8"

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self.buffer = _ClosedBytes(name)

    def writable(self) -> bool:
        """Claim to be writable, so that writing is tried and fails."""
        return True

    def write(self, text: str) -> int:
        """Refuse the write: the stream was closed."""
        raise OSError(errno.EBADF, f"{self._name} is closed")


def guard_standard_streams() -> None:
    """Put ``/dev/null`` on closed descriptors 0-2 and a failing stream on a closed stdout.

    Without this, the first file opened would get descriptor 0, 1 or 2, and a closed
    standard output would swallow the report silently.
    """
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            try:
                new = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if new != fd:
                os.dup2(new, fd)
                os.close(new)
    if sys.stdout is None:
        sys.stdout = ClosedOutput("standard output")


def stdout_closed() -> bool:
    """Tell whether standard output was closed when the program started."""
    return sys.stdout is None or isinstance(sys.stdout, ClosedOutput)


def silence_stdout() -> None:
    """If stdout still cannot take what is pending, send it to ``/dev/null``.

    Python flushes stdout again at exit; this keeps that flush from failing a second
    time (with a traceback-like message). A working stdout is left alone.
    """
    try:
        sys.stdout.flush()
        return
    except (AttributeError, OSError, ValueError):
        pass
    try:
        fd = sys.stdout.fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return
    os.dup2(devnull, fd)
    os.close(devnull)


def write_stdout(text: str, *, binary: bool) -> None:
    """Write ``text`` to stdout and flush: as UTF-8 bytes when ``binary`` (machine formats).

    Text for people keeps the terminal's encoding, with characters it lacks escaped.
    """
    if not text:  # nothing to lose (and some outputs refuse even an empty write)
        return
    stream = sys.stdout
    buffer = getattr(stream, "buffer", None)
    if binary and buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
        return
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and not binary:
        reconfigure(errors="backslashreplace")
    stream.write(text)
    stream.flush()


def same_file(output: str, inputs: Iterable[str]) -> str | None:
    """Return the input that is the regular file ``output`` (``-``: standard input), if any."""
    try:
        target = os.stat(output)
    except OSError:
        return None
    if not stat.S_ISREG(target.st_mode):  # a device or a pipe: writing destroys nothing
        return None
    for path in inputs:
        try:
            found = os.fstat(sys.stdin.fileno()) if path == "-" else os.stat(path)
        except (AttributeError, OSError, ValueError):
            continue
        if (found.st_dev, found.st_ino) == (target.st_dev, target.st_ino):
            return path
    return None


class OutputFile:
    """A report file opened before any work, so a bad path fails at once; written at the end.

    It is opened for appending (nothing is lost if the run stops) and emptied just
    before the report is written.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            self._handle = open(path, "ab")  # noqa: SIM115 - kept open until write()
        except OSError as exc:
            fail(f"cannot write {path}: {exc.strerror or exc}")

    def write(self, text: str) -> None:
        """Replace the file's content with ``text`` (UTF-8) and close it."""
        try:
            with self._handle as handle:
                if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    handle.truncate(0)
                handle.write(text.encode("utf-8"))
        except OSError as exc:
            fail(f"cannot write {self.path}: {exc.strerror or exc}")

    def close(self) -> None:
        """Close the file without writing (the run stopped early)."""
        self._handle.close()


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
