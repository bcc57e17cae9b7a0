"""Validate many documents: walk folders, and run in parallel processes.

Files are validated in the order given (folders walked recursively, sorted, leaving
out what matches an ``exclude`` glob: see :func:`excluded`). Walking never opens a
file: paths that are not regular files (FIFOs, devices, sockets, links to them, broken
links) and folders that cannot be listed become ``io.unreadable`` reports. With
``jobs > 1`` a process pool of at most one process per file validates them in chunks;
each worker compiles a schema the first time it needs it and keeps it for the rest of
the run. A worker that dies (a crash in a compiled dependency) costs only the document
it was validating: that document gets one ``xml.check-failed`` issue, a new pool is
started and the run goes on.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from lgstandards._threads import share_cpus
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.validation.core import Options
from lgstandards.validation.engine import run
from lgstandards.validation.input import DOCUMENT_EXTENSIONS

if TYPE_CHECKING:  # the process machinery is imported only when a pool or child starts
    from multiprocessing.connection import Connection

#: Most files a worker validates in one task.
CHUNK_FILES = 256

_FILE_TYPES = (
    (stat.S_ISDIR, "a folder", "ffolder"),
    (stat.S_ISFIFO, "a FIFO", "FIFO"),
    (stat.S_ISCHR, "a character device", "dyfais nodau"),
    (stat.S_ISBLK, "a block device", "dyfais bloc"),
    (stat.S_ISSOCK, "a socket", "soced"),
)


def missing(path: str, why: str, why_cy: str | None = None) -> ValidationReport:
    """Return the report of a path that cannot be read."""
    report = ValidationReport(source=path)
    report.add(
        Issue(
            "io.unreadable",
            Severity.ERROR,
            f"cannot read {path}: {why}",
            f"ni ellir darllen {path}: {why_cy or why}",
            source=path,
        )
    )
    return report


def _not_regular(path: str, mode: int) -> ValidationReport:
    for test, what, what_cy in _FILE_TYPES:
        if test(mode):
            because_cy = f"nid yw'n ffeil reolaidd ({what_cy})"
            return missing(path, f"not a regular file ({what})", because_cy)
    return missing(path, "not a regular file", "nid yw'n ffeil reolaidd")


def _os_error(path: str, exc: OSError) -> ValidationReport:
    if isinstance(exc, FileNotFoundError):
        return missing(path, "no such file or folder", "dim ffeil na ffolder o'r fath")
    return missing(path, exc.strerror or str(exc))


def excluded(relative: str, patterns: Sequence[str]) -> bool:
    """Tell whether a path found in a folder matches one of the ``patterns`` (globs).

    ``relative`` is the path below the folder walked, with ``/`` separators. A pattern
    matches the whole of it (``epay/invalid/*.xml``; ``*`` also crosses ``/``) or the
    name of the file or of any folder on the way (``invalid``, ``*.ttl``, ``.git``).
    """
    parts = relative.split("/")
    return any(
        fnmatch.fnmatchcase(relative, pattern)
        or any(fnmatch.fnmatchcase(part, pattern) for part in parts)
        for pattern in patterns
    )


def _walk(folder: str, exclude: Sequence[str] = ()) -> Iterator[str | ValidationReport]:
    """Yield the document files under ``folder`` (sorted) and reports of what cannot be read."""
    errors: list[OSError] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        yield from (_os_error(str(e.filename or root), e) for e in errors)
        errors.clear()
        below = Path(os.path.relpath(root, folder)).as_posix()
        prefix = "" if below == "." else below + "/"
        if exclude:
            dirs[:] = [d for d in dirs if not excluded(prefix + d, exclude)]
        dirs.sort()
        for name in sorted(files):
            if Path(name).suffix.lower() not in DOCUMENT_EXTENSIONS:
                continue
            if exclude and excluded(prefix + name, exclude):
                continue
            path = os.path.join(root, name)
            try:
                mode = os.stat(path).st_mode  # follows links: a link to /dev/zero is a device
            except OSError as exc:
                yield _os_error(path, exc)
                continue
            yield path if stat.S_ISREG(mode) else _not_regular(path, mode)
    yield from (_os_error(str(e.filename or folder), e) for e in errors)


def expand_path(path: str, exclude: Sequence[str] = ()) -> list[str | ValidationReport]:
    """Expand one path: ``-`` stays, a folder gives its documents (empty: none), a file itself.

    Anything that cannot be read becomes an ``io.unreadable`` report; nothing is opened.
    Files found in a folder that match an ``exclude`` glob (:func:`excluded`) are left
    out, and so are folders that match (not walked); a path given itself is never left out.
    """
    if path == "-":
        return [path]
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return [_os_error(path, exc)]
    if stat.S_ISDIR(mode):
        return list(_walk(path, exclude))
    if stat.S_ISREG(mode):
        return [path]
    return [_not_regular(path, mode)]


def expand(paths: Iterable[str], exclude: Sequence[str] = ()) -> list[str | ValidationReport]:
    """Expand folders into their document files; unreadable paths become reports."""
    return [item for path in paths for item in expand_path(path, exclude)]


def validate_source(source: str | IO[bytes], options: Options, name: str) -> ValidationReport:
    """Validate one path or binary stream, never raising: a failure is an issue in the report."""
    try:
        return run(source, options, name=name)
    except OSError as exc:
        return _os_error(name, exc)
    except Exception as exc:  # a bug in a layer: one issue, and the run goes on
        return _failed(name, exc)


def _failed(name: str, exc: BaseException) -> ValidationReport:
    from lgstandards.validation.layers import failure

    report = ValidationReport(source=name)
    report.add(failure("validation", exc, source=name))
    return report


def validate_path(path: str, options: Options) -> ValidationReport:
    """Validate one file path (never raises for a problem in the document)."""
    return validate_source(path, options, path)


def crashed(path: str, exitcode: int | None) -> ValidationReport:
    """Return the report of a document whose validating process died."""
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            how = f"signal {-exitcode}, {signal.Signals(-exitcode).name}"
        except ValueError:
            how = f"signal {-exitcode}"
    else:
        how = f"exit status {exitcode}"
    report = ValidationReport(source=path)
    report.add(
        Issue(
            "xml.check-failed",
            Severity.ERROR,
            f"the process validating this document stopped abruptly ({how}); it was not checked",
            f"daeth y broses a oedd yn dilysu'r ddogfen hon i ben yn sydyn ({how}); "
            "ni chafodd ei gwirio",
            source=path,
            detail=f"worker process ended: {how}",
        )
    )
    return report


# --- process pool --------------------------------------------------------------------

#: In a worker: per task, how many of its files have been begun (shared with the parent).
_begun: Any = None


def _init_worker(begun: Any, workers: int) -> None:
    global _begun
    _begun = begun
    share_cpus(workers)  # a helper thread each only where the CPUs are not all taken


def _validate_chunk(task: int, paths: Sequence[str], options: Options) -> list[ValidationReport]:
    reports = []
    for number, path in enumerate(paths, 1):
        if _begun is not None:
            _begun[task] = number  # written before the work, so it survives a crash
        reports.append(validate_path(path, options))
    return reports


def _isolated_child(conn: Connection, path: str, options: Options) -> None:
    conn.send(validate_path(path, options))
    conn.close()


def validate_isolated(path: str, options: Options) -> ValidationReport:
    """Validate one file in a process of its own; a crash becomes the document's issue."""
    import multiprocessing

    context = multiprocessing.get_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_isolated_child, args=(sender, path, options), daemon=True)
    process.start()
    sender.close()
    try:
        report: ValidationReport | None = receiver.recv()
    except EOFError:  # the process died before sending its report
        report = None
    except Exception as exc:  # the report could not be received
        report = _failed(path, exc)
    finally:
        receiver.close()
        process.join()
    return report if report is not None else crashed(path, process.exitcode)


def _chunks(indexes: Sequence[int], jobs: int) -> list[list[int]]:
    size = max(1, min(CHUNK_FILES, len(indexes) // (jobs * 4)))
    return [list(indexes[i : i + size]) for i in range(0, len(indexes), size)]


def _pool_rounds(
    paths: Sequence[str], options: Options, jobs: int, done: Callable[[int, ValidationReport], None]
) -> None:
    """Validate ``paths`` in pools, calling ``done(index, report)`` for each file.

    When a worker dies, the pool breaks and every unfinished task fails. Each task
    records how many of its files it has begun, so the file each worker was on (the
    crash, or a neighbour killed with the pool) is validated again alone in a process
    of its own, and the files not yet begun go to a new pool.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    todo = list(range(len(paths)))
    context = multiprocessing.get_context()
    while todo:
        chunks = _chunks(todo, jobs)
        begun = context.RawArray("i", len(chunks))
        retry: list[int] = []
        suspects: list[int] = []
        progressed = False
        workers = min(jobs, len(chunks))
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(begun, workers),
        )
        try:
            futures = []
            for task, chunk in enumerate(chunks):
                try:
                    futures.append(
                        pool.submit(_validate_chunk, task, [paths[i] for i in chunk], options)
                    )
                except BrokenProcessPool:  # a worker died while the tasks were handed out
                    break
            for chunk in chunks[len(futures) :]:
                retry.extend(chunk)
            for task, (chunk, future) in enumerate(zip(chunks, futures, strict=False)):
                try:
                    reports = future.result()
                except BrokenProcessPool:
                    count = begun[task]
                    if count:
                        suspects.append(chunk[count - 1])
                    retry.extend(i for n, i in enumerate(chunk, 1) if n != count)
                    continue
                except Exception as exc:  # the results could not be sent back
                    reports = [_failed(paths[i], exc) for i in chunk]
                progressed = True
                for index, report in zip(chunk, reports, strict=True):
                    done(index, report)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        for index in suspects:
            done(index, validate_isolated(paths[index], options))
        if not progressed and not suspects:  # workers die before any work: one at a time
            for index in retry:
                done(index, validate_isolated(paths[index], options))
            retry = []
        todo = sorted(retry)


def validate_paths(
    paths: Sequence[str],
    options: Options,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ValidationReport]:
    """Validate files, in order, with up to ``jobs`` processes; ``progress(n)`` as they finish.

    No pool is started for one file or one job, and never more processes than files.
    """
    jobs = min(jobs, len(paths))
    if jobs <= 1:
        for path in paths:
            yield validate_path(path, options)
            if progress is not None:
                progress(1)
        return
    results: dict[int, ValidationReport] = {}

    def done(index: int, report: ValidationReport) -> None:
        results[index] = report
        if progress is not None:
            progress(1)

    _pool_rounds(paths, options, jobs, done)
    for index in range(len(paths)):
        yield results.pop(index)


__all__ = [
    "CHUNK_FILES",
    "DOCUMENT_EXTENSIONS",  # re-exported for the CLI (home: validation.input)
    "crashed",
    "excluded",
    "expand",
    "expand_path",
    "missing",
    "validate_isolated",
    "validate_path",
    "validate_paths",
    "validate_source",
]
