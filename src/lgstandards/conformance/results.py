"""The outcome of one conformance case, and how a report is judged against a case."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lgstandards.conformance.kit import Case
from lgstandards.report import Issue, Severity, ValidationReport


@dataclass(frozen=True, slots=True)
class CaseResult:
    """The outcome of one case: pass or fail, the reason and the issues found."""

    case: Case
    passed: bool
    codes: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()
    kind: str | None = None
    reason: str | None = None
    output: Path | None = None

    @property
    def missing(self) -> tuple[str, ...]:
        """Expected codes the output did not raise."""
        return tuple(c for c in self.case.codes if c not in self.codes)

    @property
    def unexpected(self) -> tuple[str, ...]:
        """Codes the output raised that the case does not expect."""
        return tuple(c for c in self.codes if c not in self.case.codes)


def _counted(issue: Issue) -> bool:
    return issue.severity is not Severity.INFO


def compare(case: Case, report: ValidationReport, output: Path) -> CaseResult:
    """Compare the report of ``output`` with what ``case`` expects."""
    issues = tuple(i for i in report.issues if _counted(i))
    codes = tuple(dict.fromkeys(i.code for i in issues))
    result = CaseResult(case, True, codes, issues, report.kind, output=output)
    reasons: list[str] = []
    if case.kind is not None and report.kind is not None and report.kind != case.kind:
        reasons.append(f"document is a {report.kind}, expected a {case.kind}")
    if result.missing:
        reasons.append("expected " + ", ".join(result.missing) + " not raised")
    if result.unexpected:
        reasons.append("unexpected " + ", ".join(result.unexpected))
    if not reasons:
        return result
    return CaseResult(
        case, False, codes, issues, report.kind, reason="; ".join(reasons), output=output
    )


__all__ = ["CaseResult", "compare"]
