"""Check a product's outputs against the conformance kit.

The product writes one file per case, at the case's name below a folder;
:func:`check` validates each with :func:`lgstandards.validation.validate` and compares
the outcome with the kit's: a case expecting ``valid`` must raise no error or
warning, an invalid case must raise exactly its expected codes (no more, no fewer),
and the document must be of the case's kind. The messages of an exchange case are
checked in order, as one history, by an exchange with a new ledger in memory
(:mod:`lgstandards.conformance.exchanges`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lgstandards.conformance.kit import Case, cases, schema_versions
from lgstandards.conformance.results import CaseResult, compare


@dataclass(slots=True)
class GroupSummary:
    """Pass and fail counts of one message type (kind) or family."""

    group: str
    total: int = 0
    passed: int = 0

    @property
    def failed(self) -> int:
        """The number of failing cases."""
        return self.total - self.passed


@dataclass(slots=True)
class ConformanceReport:
    """Every case's result, with the library and schema versions and the date of the run."""

    directory: str
    results: list[CaseResult] = field(default_factory=list)
    library_version: str = ""
    schema_versions: dict[str, str] = field(default_factory=dict)
    schema_version: str | None = None
    created: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def total(self) -> int:
        """The number of cases checked."""
        return len(self.results)

    @property
    def passed(self) -> int:
        """The number of passing cases."""
        return sum(r.passed for r in self.results)

    @property
    def failed(self) -> int:
        """The number of failing cases."""
        return self.total - self.passed

    @property
    def ok(self) -> bool:
        """True when every case passed."""
        return all(r.passed for r in self.results)

    @property
    def failures(self) -> list[CaseResult]:
        """The failing cases, in kit order."""
        return [r for r in self.results if not r.passed]

    def groups(self) -> list[GroupSummary]:
        """Return the counts per message type (or family), sorted by name."""
        found: dict[str, GroupSummary] = {}
        for result in self.results:
            summary = found.setdefault(result.case.group, GroupSummary(result.case.group))
            summary.total += 1
            summary.passed += result.passed
        return [found[k] for k in sorted(found)]

    def results_in(self, group: str) -> list[CaseResult]:
        """Return the results of one group, in kit order."""
        return [r for r in self.results if r.case.group == group]


def check_case(case: Case, output: Path) -> CaseResult:
    """Validate the product's ``output`` for ``case`` and compare it with the expectation."""
    if not output.is_file():
        return CaseResult(case, False, reason="no output file for this case", output=output)
    from lgstandards.validation import validate

    return compare(case, validate(output), output)


def check(
    directory: str | Path,
    *,
    schema_version: str | None = None,
    selected: Iterable[Case] | None = None,
) -> ConformanceReport:
    """Check the product's outputs in ``directory`` (one file per case, at its name).

    ``schema_version`` checks only the kit's cases for that schema version;
    ``selected`` gives the cases explicitly. Missing outputs fail their case.
    """
    from lgstandards import __version__

    root = Path(directory)
    chosen = list(cases(schema_version=schema_version) if selected is None else selected)
    report = ConformanceReport(
        directory=str(root),
        library_version=__version__,
        schema_versions=schema_versions(),
        schema_version=schema_version,
    )
    runs: dict[str, Iterator[CaseResult]] = {}
    for case in chosen:
        if case.exchange is None:
            report.results.append(check_case(case, root / case.name))
            continue
        if case.exchange not in runs:  # the whole history runs at its first message
            from lgstandards.conformance.exchanges import histories

            (history,) = histories(c for c in chosen if c.exchange == case.exchange)
            runs[case.exchange] = iter(history.run(outputs=root))
        report.results.append(next(runs[case.exchange]))
    return report


__all__ = ["CaseResult", "ConformanceReport", "GroupSummary", "check", "check_case", "compare"]
