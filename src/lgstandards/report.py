"""Issues and validation reports: the one shape every checker returns.

An :class:`Issue` is one finding: a stable ``code`` (``xsd.pattern``,
``rule.EPAY-R001``, ``vocab.unknown-code``, ``skos.cycle`` ...), a
:class:`Severity`, a message in English and (where known) Welsh, and where it was
found: ``source`` file, ``line``, ``column`` and ``path`` (XPath for XML, focus node
and property for RDF). A document is valid when it has no error.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from enum import StrEnum
from reprlib import recursive_repr
from typing import Any

from lgstandards._records import FACTORY, Compared, written_out
from lgstandards.exceptions import InvalidDocumentError


class Severity(StrEnum):
    """How serious an issue is; a document is valid when it has no ``error``."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @classmethod
    def from_role(cls, role: str | None) -> Severity:
        """Return the severity a Schematron ``role`` names (any case); error if none or unknown."""
        try:
            return cls((role or "error").lower())
        except ValueError:
            return cls.ERROR


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class Issue(Compared):
    """One finding about a document."""

    code: str
    severity: Severity
    message: str
    message_cy: str | None = None
    source: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None
    detail: str | None = None

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        code: str,
        severity: Severity,
        message: str,
        message_cy: str | None = None,
        source: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
        detail: str | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "code", code)
        put(self, "severity", severity)
        put(self, "message", message)
        put(self, "message_cy", message_cy)
        put(self, "source", source)
        put(self, "line", line)
        put(self, "column", column)
        put(self, "path", path)
        put(self, "detail", detail)

    def text(self, lang: str = "en") -> str:
        """Return the message in ``lang`` (``en`` or ``cy``), falling back to English."""
        if lang == "cy" and self.message_cy:
            return self.message_cy
        return self.message

    def location(self) -> str:
        """Return ``file:line:col`` with the parts that are known."""
        parts = [self.source or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def format(self, lang: str = "en") -> str:
        """Return the one-line form ``file:line:col: severity code message [at path]``."""
        line = f"{self.location()}: {self.severity.value} {self.code} {self.text(lang)}"
        if self.path:
            line += f" [at {self.path}]"
        return line

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: every field by name, the severity as its value (``"error"``)."""
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["severity"] = self.severity.value
        return data

    def __str__(self) -> str:
        return self.format()


@dataclass(slots=True, init=False, repr=False, eq=False)
@written_out
class ValidationReport:
    """All issues found in one document (or one vocabulary)."""

    source: str | None = None
    kind: str | None = None
    issues: list[Issue] = field(default_factory=list)

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self, source: str | None = None, kind: str | None = None, issues: list[Issue] = FACTORY
    ) -> None:
        self.source = source
        self.kind = kind
        self.issues = [] if issues is FACTORY else issues

    @recursive_repr()
    def __repr__(self) -> str:
        return (
            f"{self.__class__.__qualname__}(source={self.source!r}, kind={self.kind!r}, "
            f"issues={self.issues!r})"
        )

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            that = other
            return (self.source, self.kind, self.issues) == (that.source, that.kind, that.issues)
        return NotImplemented

    def add(self, issue: Issue) -> None:
        """Append one issue."""
        self.issues.append(issue)

    def extend(self, issues: Iterable[Issue]) -> None:
        """Append several issues."""
        self.issues.extend(issues)

    @property
    def ok(self) -> bool:
        """True when no issue is an error (warnings are allowed)."""
        return not any(i.severity is Severity.ERROR for i in self.issues)

    def counts(self) -> dict[str, int]:
        """Return the number of issues per severity, every severity present."""
        found = Counter(i.severity.value for i in self.issues)
        return {s.value: found.get(s.value, 0) for s in Severity}

    @property
    def errors(self) -> list[Issue]:
        """The issues of severity error."""
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        """The issues of severity warning."""
        return [i for i in self.issues if i.severity is Severity.WARNING]

    def codes(self) -> list[str]:
        """Return the issue codes in order of finding (repeats kept)."""
        return [i.code for i in self.issues]

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def raise_for_issues(self) -> None:
        """Raise :class:`InvalidDocumentError` when the report holds an error."""
        if not self.ok:
            first = self.errors[0]
            raise InvalidDocumentError(
                f"{len(self.errors)} error(s) in {self.source or 'document'}; first: {first}",
                report=self,
            )


__all__ = ["Issue", "Severity", "ValidationReport"]
