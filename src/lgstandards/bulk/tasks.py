"""What a worker runs: validate a task's files, read by the worker, and extract their keys.

Each function here runs on a Dask worker (or in a thread of a local one). It takes
names, never document bytes: a local path is validated exactly as
``lgstandards validate`` validates it (:func:`lgstandards.validation.batch.validate_path`),
a URL is opened with fsspec and validated as a stream of that name. Nothing raises for
a problem of a document: it is an issue in the report.

Validation is thread-safe (each thread compiles its own schemas), so a worker may run
several tasks at once; the work is mostly Python, so processes of one thread each
(``dask worker --nthreads 1 --nworkers N``, as ``--cluster local:N`` runs them) use the
cores best.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from lgstandards._threads import cpus_shared
from lgstandards.bulk.keys import Key, facts_of, keys_of
from lgstandards.bulk.sources import is_url
from lgstandards.exchange.checker import paths_for
from lgstandards.report import Severity, ValidationReport
from lgstandards.validation.batch import missing, validate_path, validate_source
from lgstandards.validation.core import Options


@dataclass(frozen=True, slots=True)
class Done:
    """What one task sends back: its files' reports in order, and their cross-document keys."""

    first: int
    reports: list[ValidationReport]
    keys: list[Key]


def _validate_url(url: str, options: Options) -> ValidationReport:
    import fsspec

    try:
        with fsspec.open(url, "rb") as stream:
            return validate_source(stream, options, url)
    except (OSError, ValueError, ImportError) as exc:
        return missing(url, str(exc) or type(exc).__name__)


def validate_one(name: str, options: Options) -> ValidationReport:
    """Validate one file, reading it here: a local path or an fsspec URL."""
    if is_url(name):
        return _validate_url(name, options)
    return validate_path(name, options)


def read_whole(name: str) -> bytes | None:
    """Return a file's bytes for the cross-document keys, None when it cannot be read whole."""
    from lgstandards.safexml import XMLInputError, read_bytes

    try:
        if is_url(name):
            import fsspec

            with fsspec.open(name, "rb") as stream:
                return read_bytes(stream)
        return read_bytes(name)
    except (XMLInputError, OSError, ValueError):
        return None


def _checked_by_rules(report: ValidationReport) -> bool:
    """Tell whether the ledger would run its rules on the document (it can be parsed)."""
    return not any(
        i.code.startswith(("xml.", "io.")) and i.severity is Severity.ERROR for i in report
    )


def validate_task(
    first: int,
    names: Sequence[str],
    options: Options,
    *,
    keys: bool = False,
    today: dt.date | None = None,
    sharing: Mapping[str, int] | None = None,
) -> Done:
    """Validate consecutive files (``first`` is the first one's place in the run).

    With ``keys``, also extract each document's cross-document keys
    (:mod:`lgstandards.bulk.keys`) from the document as the exchange reads it.
    ``sharing``: the worker threads of each host; where those of this worker's host
    take every CPU, validation makes no helper thread (it would only take turns).
    """
    with cpus_shared(_workers_here(sharing)):
        return _validate_task(first, names, options, keys=keys, today=today)


def _workers_here(sharing: Mapping[str, int] | None) -> int:
    """Return the worker threads on the host of the worker running this (1 if unknown)."""
    if not sharing:
        return 1
    try:
        from distributed import get_worker
        from distributed.comm.addressing import get_address_host

        return sharing.get(get_address_host(get_worker().address), 1)
    except (ImportError, ValueError):  # not run by a Dask worker
        return 1


def _validate_task(
    first: int,
    names: Sequence[str],
    options: Options,
    *,
    keys: bool,
    today: dt.date | None,
) -> Done:
    reports: list[ValidationReport] = []
    found: list[Key] = []
    for offset, name in enumerate(names):
        report = validate_one(name, options)
        reports.append(report)
        if keys and _checked_by_rules(report):
            data = read_whole(name)
            facts = facts_of(data, name) if data is not None else None
            if facts is not None:
                found.extend(
                    keys_of(
                        facts,
                        order=first + offset,
                        source=name,
                        ok=report.ok,
                        kind=report.kind,
                        today=today,
                        paths=paths_for(report.kind),
                    )
                )
    return Done(first, reports, found)


__all__ = ["Done", "read_whole", "validate_one", "validate_task"]
