"""Validate many documents: walk folders, and run in parallel processes.

Files are validated in the order given (folders walked recursively, sorted). With
``jobs > 1`` a process pool validates them in chunks; each worker compiles a schema
the first time it needs it and keeps it for the rest of the run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.validate.engine import Options, run

#: File extensions picked up when walking a folder.
DOCUMENT_EXTENSIONS = frozenset({".xml", ".ttl", ".turtle", ".nt", ".jsonld", ".rdf", ".owl"})


def missing(path: str, why: str) -> ValidationReport:
    """Return the report of a path that cannot be read."""
    report = ValidationReport(source=path)
    report.add(
        Issue(
            "io.unreadable",
            Severity.ERROR,
            f"cannot read {path}: {why}",
            f"ni ellir darllen {path}: {why}",
            source=path,
        )
    )
    return report


def expand(paths: Iterable[str]) -> list[str | ValidationReport]:
    """Expand folders into their document files; unreadable paths become reports."""
    found: list[str | ValidationReport] = []
    for path in paths:
        if path == "-":
            found.append(path)
            continue
        target = Path(path)
        if target.is_dir():
            for root, dirs, files in os.walk(target):
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in DOCUMENT_EXTENSIONS:
                        found.append(os.path.join(root, name))
        elif target.is_file():
            found.append(path)
        elif target.exists():
            found.append(missing(path, "not a regular file"))
        else:
            found.append(missing(path, "no such file or folder"))
    return found


def validate_path(path: str, options: Options) -> ValidationReport:
    """Validate one file path (never raises for a problem in the document)."""
    try:
        return run(path, options)
    except OSError as exc:
        return missing(path, exc.strerror or str(exc))


def _validate_chunk(paths: Sequence[str], options: Options) -> list[ValidationReport]:
    return [validate_path(p, options) for p in paths]


def validate_paths(
    paths: Sequence[str],
    options: Options,
    *,
    jobs: int = 1,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ValidationReport]:
    """Validate files, in order, with ``jobs`` processes; ``progress(n)`` after each chunk."""
    if jobs <= 1 or len(paths) < 2:
        for path in paths:
            yield validate_path(path, options)
            if progress is not None:
                progress(1)
        return
    size = max(1, min(256, len(paths) // (jobs * 4)))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for chunk in pool.map(_validate_chunk, chunks, [options] * len(chunks)):
            yield from chunk
            if progress is not None:
                progress(len(chunk))


__all__ = ["DOCUMENT_EXTENSIONS", "expand", "missing", "validate_path", "validate_paths"]
