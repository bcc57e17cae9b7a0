"""A run of a million issues keeps the client's memory flat: reports are written as they come.

The workers here make up their reports (a thousand issues per file, the engine's cap)
instead of validating, so that a million issues take seconds; the client streams them
through :func:`lgstandards.bulk.validate_many` into a report writer. The peak of the
process's resident memory (the client and the in-process workers together) rises by
a few megabytes, where holding the issues would take hundreds.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import pytest

from lgstandards.bulk import tasks, validate_many
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.validation.core import Options
from lgstandards.validation.formats import ReportStream

#: A million issues take a while on a busy machine: the locked CI job runs them.
pytestmark = pytest.mark.slow

PER_FILE = 1000


def _made_up(name: str, options: Options) -> ValidationReport:
    report = ValidationReport(source=name, kind="epay.reconciliation-batch")
    for n in range(PER_FILE):
        report.add(
            Issue(
                "xsd.pattern",
                Severity.ERROR if n % 2 else Severity.WARNING,
                f"record {n}: the value 'PCN {n}' does not match the pattern of its type",
                f"cofnod {n}: nid yw'r gwerth 'PCN {n}' yn cyfateb i batrwm ei fath",
                source=name,
                line=n + 2,
                path=f"/epay:ReconciliationBatch/epay:PaymentRecord[{n + 1}]",
            )
        )
    return report


def _resident() -> int:
    """The process's resident memory now, in bytes (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as stat:
        return int(stat.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _growth(client: Any, folder: Path, files: int, fmt: str, target: Path) -> tuple[int, int]:
    """Stream ``files`` made-up reports into a ``fmt`` report; return (peak growth, issues).

    The growth is the most the process's resident memory rose above where it started,
    sampled after every report (the client and the in-process workers together).
    """
    folder.mkdir()
    for n in range(files):
        (folder / f"{n:07d}.xml").touch()
    issues = 0
    gc.collect()
    start = peak = _resident()
    with target.open("w", encoding="utf-8") as out, ReportStream(out, fmt=fmt) as stream:
        for report in validate_many([str(folder)], client, batch_files=4, window=4, ordered=True):
            issues += len(report.issues)
            stream.add(report)
            peak = max(peak, _resident())
        stream.close()
    return max(peak, _resident()) - start, issues


@pytest.fixture
def made_up(client: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Workers that make up their reports."""
    monkeypatch.setattr(tasks, "validate_one", _made_up)
    return client


def _warm(client: Any, tmp_path: Path, fmt: str) -> None:
    """A small run first: the first run's imports and caches do not count as growth."""
    _growth(client, tmp_path / "warm", 8, fmt, tmp_path / "warm.out")


def test_a_million_issues_keep_the_client_flat(made_up: Any, tmp_path: Path) -> None:
    _warm(made_up, tmp_path, "junit")
    growth, counted = _growth(made_up, tmp_path / "files", 1000, "junit", tmp_path / "out.xml")
    assert counted == 1_000_000
    assert (tmp_path / "out.xml").stat().st_size > 200_000_000  # every issue was written
    # A million issues held would take some 700 MB; the window holds sixteen reports.
    assert growth < 60_000_000, growth


@pytest.mark.parametrize("fmt", ["jsonl", "sarif", "json"])
def test_every_format_streams(made_up: Any, tmp_path: Path, fmt: str) -> None:
    _warm(made_up, tmp_path, fmt)
    growth, counted = _growth(made_up, tmp_path / "files", 100, fmt, tmp_path / "out")
    assert counted == 100_000
    assert growth < 40_000_000, growth  # the 100,000 issues held: some 70 MB
