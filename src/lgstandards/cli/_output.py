"""Shared output helpers for the CLI: exit codes, errors, output files and formats, JSON, tables.

Output that cannot be written (standard output closed, full or a closed pipe, a report
file in a missing folder) is a one-line error and exit status 2, never a traceback.
This module owns the exit codes (:data:`EXIT_OK`, :data:`EXIT_INVALID`,
:data:`EXIT_USAGE`) and the choice of an output format from the ``-o`` file's name
(:func:`resolve_format`).
"""

from __future__ import annotations

import errno
import io
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from click.core import ParameterSource

if TYPE_CHECKING:
    from lgstandards.report import ValidationReport

#: Exit status of success: every document valid (warnings allowed unless ``--fail-on``).
EXIT_OK = 0
#: Exit status of a finding: an invalid document, an unknown code or list, a failed case.
EXIT_INVALID = 1
#: Exit status of a usage error or a file that cannot be read or written.
EXIT_USAGE = 2

F = TypeVar("F", bound=Callable[..., Any])

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

    def write(self, data: str | bytes) -> None:
        """Replace the file's content with ``data`` (text as UTF-8) and close it."""
        try:
            with self._handle as handle:
                if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    handle.truncate(0)
                handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as exc:
            fail(f"cannot write {self.path}: {exc.strerror or exc}")

    def close(self) -> None:
        """Close the file without writing (the run stopped early)."""
        self._handle.close()

    def stream(self) -> IO[bytes]:
        """Empty the file and return it, to write the result as it comes (then :meth:`close`)."""
        if stat.S_ISREG(os.fstat(self._handle.fileno()).st_mode):
            self._handle.truncate(0)
        return self._handle


class Output:
    """Where a command writes its result: the ``-o`` file, opened before any work, or stdout.

    A file that would overwrite one of ``inputs`` is refused, and so is a closed
    standard output, before the work. The file is closed unwritten when the work fails
    (when the command ends, or at the end of a ``with`` block).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None,
        *,
        inputs: Iterable[str] = (),
        what: str = "report",
    ) -> None:
        self.path = None if path is None else os.fspath(path)
        self.what = what
        self._file: OutputFile | None = None
        if self.path is not None:
            clash = same_file(self.path, inputs)
            if clash is not None:
                shown = "standard input" if clash == "-" else clash
                fail(f"the {what} {self.path} would overwrite the document {shown}")
            self._file = OutputFile(self.path)
            ctx = click.get_current_context(silent=True)
            if ctx is not None:  # closed (unwritten, if the work failed) when the command ends
                ctx.call_on_close(self._file.close)
        elif stdout_closed():
            fail(f"standard output is closed: write the {what} to a file with -o FILE")

    def __enter__(self) -> Output:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is not None and self._file is not None:
            self._file.close()

    @property
    def to_file(self) -> bool:
        """True when the output goes to a file (``-o``), not standard output."""
        return self._file is not None

    @property
    def terminal(self) -> bool:
        """True when the output goes to standard output and that is a terminal."""
        return self._file is None and sys.stdout is not None and sys.stdout.isatty()

    @contextmanager
    def stream(self, *, binary: bool = True) -> Iterator[IO[str]]:
        """Write the result as it comes: yield a text stream to the file or to stdout.

        UTF-8 when ``binary`` (machine formats) or to a file; text for people on stdout
        keeps the terminal's encoding, characters it lacks escaped. A failed write is a
        one-line error (exit 2), as with :meth:`write`.
        """
        try:
            if self._file is not None:
                raw: IO[bytes] | None = self._file.stream()
            else:
                raw = getattr(sys.stdout, "buffer", None) if binary else None
                sys.stdout.flush()
            if raw is None:
                reconfigure = getattr(sys.stdout, "reconfigure", None)
                if reconfigure is not None:
                    reconfigure(errors="backslashreplace")
                yield sys.stdout
                sys.stdout.flush()
                return
            text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
            try:
                yield text
                text.flush()
            finally:
                text.detach()
            if self._file is not None:
                self._file.close()
        except OSError as exc:
            if self._file is None:
                silence_stdout()
                fail(f"cannot write the {self.what} to standard output: {exc.strerror or exc}")
            fail(f"cannot write {self.path}: {exc.strerror or exc}")

    def write(self, data: str | bytes, *, binary: bool = True) -> None:
        """Write the whole result: to the file, or to stdout (UTF-8 when ``binary``)."""
        if self._file is not None:
            self._file.write(data)
            return
        try:
            if isinstance(data, bytes):
                if data:
                    sys.stdout.flush()
                    sys.stdout.buffer.write(data)
                    sys.stdout.buffer.flush()
            else:
                write_stdout(data, binary=binary)
        except OSError as exc:
            silence_stdout()
            fail(f"cannot write the {self.what} to standard output: {exc.strerror or exc}")


def output_option() -> Callable[[F], F]:
    """Return the ``--output``/``-o`` option (the format follows the name; see ``--format``)."""
    option: Callable[[F], F] = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False),
        help="Write to this file instead of standard output; without --format, the "
        "format follows its name (.json, .sarif, .xml, ...).",
    )
    return option


#: The format each output file name ending implies (the longest matching ending wins).
SUFFIX_FORMATS: Mapping[str, str] = MappingProxyType(
    {
        ".sarif": "sarif",
        ".sarif.json": "sarif",
        ".json": "json",
        ".jsonl": "jsonl",
        ".junit.xml": "junit",
        ".xml": "junit",
        ".html": "html",
        ".htm": "html",
        ".txt": "text",
        ".md": "markdown",
    }
)

#: The formats ``vocab export`` infers from a file name.
EXPORT_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        ".ttl": "turtle",
        ".jsonld": "jsonld",
        ".json": "jsonld",
        ".rdf": "rdfxml",
        ".xml": "rdfxml",
        ".owl": "rdfxml",
        ".csv": "csv",
    }
)


def format_for_name(path: str, suffixes: Mapping[str, str] = SUFFIX_FORMATS) -> str | None:
    """Return the format the end of ``path``'s name implies (``report.sarif.json``: sarif)."""
    name = os.path.basename(path).casefold()
    matches = [suffix for suffix in suffixes if name.endswith(suffix)]
    return suffixes[max(matches, key=len)] if matches else None


def resolve_format(
    fmt: str,
    output: str | os.PathLike[str] | None,
    *,
    suffixes: Mapping[str, str] = SUFFIX_FORMATS,
    param: str = "fmt",
) -> str:
    """Return the format to write: ``--format`` when given, else the one ``-o``'s name implies.

    A name implying a format the command cannot write is a usage error (exit 2); a name
    implying none gives the default format, with a warning on stderr.
    """
    if output is None:
        return fmt
    ctx = click.get_current_context()
    if ctx.get_parameter_source(param) not in (
        ParameterSource.DEFAULT,
        ParameterSource.DEFAULT_MAP,
    ):
        return fmt
    path = os.fspath(output)
    found = format_for_name(path, suffixes)
    choices = next(
        tuple(p.type.choices)
        for p in ctx.command.params
        if p.name == param and isinstance(p.type, click.Choice)
    )
    from lgstandards.validation.formats import printable

    if found is None:
        click.echo(
            f"Warning: the name {printable(path)} implies no format; writing {fmt} "
            f"(choose one with --format {'|'.join(map(str, choices))})",
            err=True,
        )
        return fmt
    if found not in choices:
        fail(
            f"{ctx.command_path} cannot write {found}, the format the name {path} implies; "
            f"choose one with --format {'|'.join(map(str, choices))}"
        )
    return found


def emit_json(out: Output, command: str, schema: str, payload: Mapping[str, Any]) -> None:
    """Write ``payload`` in the JSON envelope of every CLI output (see :func:`envelope`)."""
    from lgstandards.validation.formats import envelope, json_safe

    data = json_safe(envelope(command, schema, payload))
    out.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def print_table(
    title: str | None,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    out: Output | None = None,
) -> None:
    """Print a table with rich: boxed on a terminal, plain tab-separated when piped or filed."""
    cells = [["" if v is None else str(v) for v in row] for row in rows]
    if out is not None and not out.terminal:
        out.write("".join("\t".join(row) + "\n" for row in cells), binary=False)
        return
    if out is None and not sys.stdout.isatty():
        for row in cells:
            click.echo("\t".join(row))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for column in columns:
        table.add_column(column)
    for row in cells:
        table.add_row(*row)
    Console().print(table)


#: The report formats every checking command writes (validate, vocab check).
REPORT_FORMATS = ("text", "json", "junit", "sarif", "jsonl")


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
        help="Report format: text (one line per issue), json, junit or sarif (for CI), "
        "jsonl (one line per document); default: from the -o file's name, else text.",
    )


def fail_on_option() -> Callable[[F], F]:
    """Return ``--fail-on error|warning``: the least severity that fails the run (exit 1)."""
    option: Callable[[F], F] = click.option(
        "--fail-on",
        type=click.Choice(["error", "warning"]),
        default="error",
        show_default=True,
        help="Fail (exit 1) on errors only, or on warnings too.",
    )
    return option


def lang_option() -> Callable[[F], F]:
    """Return ``--lang en|cy``: the language of the messages (English by default)."""
    option: Callable[[F], F] = click.option(
        "--lang",
        type=click.Choice(["en", "cy"]),
        default="en",
        show_default=True,
        help="Language of messages.",
    )
    return option


def profile_option() -> Callable[[F], F]:
    """Return ``--profile FILE``: the council's validation profile (TOML or JSON)."""
    option: Callable[[F], F] = click.option(
        "--profile",
        type=click.Path(dir_okay=False, exists=True),
        help="The council's profile (TOML or JSON): its fund table (EPAY-R006, R007) and settings.",
    )
    return option


def quiet_option() -> Callable[[F], F]:
    """Return ``--quiet``/``-q``: nothing on stdout or stderr for a run that passes."""
    option: Callable[[F], F] = click.option(
        "--quiet",
        "-q",
        is_flag=True,
        help="Print nothing for documents that pass (text), and no summary when all "
        "pass; the exit status still tells.",
    )
    return option


def passes(report: ValidationReport, fail_on: str) -> bool:
    """Tell whether ``report`` passes: no error, and no warning with ``fail_on="warning"``."""
    return report.ok and (fail_on != "warning" or not report.warnings)


def report_exit_code(reports: Sequence[ValidationReport], fail_on: str) -> int:
    """Return the exit status of a checking run: 2 unreadable, 1 a failure, else 0."""
    from lgstandards.validation.formats import unreadable

    if any(unreadable(r) for r in reports):
        return EXIT_USAGE
    return EXIT_OK if all(passes(r, fail_on) for r in reports) else EXIT_INVALID
