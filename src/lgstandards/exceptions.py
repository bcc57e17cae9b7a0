"""The exceptions lgstandards raises, one tree for the whole library.

::

    LGStandardsError(Exception)
    ├── UnknownCodeError(LGStandardsError, LookupError)
    ├── AmbiguousLabelError(LGStandardsError, LookupError)  # names every code
    ├── UnknownListError(LGStandardsError, LookupError)
    ├── DataNotFoundError(LGStandardsError, FileNotFoundError)
    ├── SchemaNotFoundError(LGStandardsError, FileNotFoundError)
    ├── DocumentParseError(LGStandardsError, ValueError)
    ├── UnsupportedVersionError(LGStandardsError, ValueError)
    ├── InvalidDocumentError(LGStandardsError, ValueError)   # carries the report
    ├── PublishError(LGStandardsError, ValueError)
    ├── InvalidReleaseError(LGStandardsError, ValueError)    # names the manifest
    ├── SourceFormatError(LGStandardsError, ValueError)      # file, line and column
    ├── ExchangeOptionsError(LGStandardsError, ValueError)   # names the file
    ├── ProfileError(LGStandardsError, ValueError)           # names the file
    └── LedgerError(LGStandardsError, RuntimeError)
        └── LedgerVersionError(LedgerError)                  # never misread

Problems found *in* a document being validated are findings (issues in a report),
not exceptions: exceptions are for misuse and broken environments. Every leaf also
inherits the matching built-in, so callers may catch either.
"""

from __future__ import annotations

from typing import Any


class LGStandardsError(Exception):
    """Root of every error raised by lgstandards."""


class UnknownCodeError(LGStandardsError, LookupError):
    """A code, URI or label is not in the list asked."""

    def __init__(self, list_name: str, code: object, *, hint: str | None = None) -> None:
        self.list_name = list_name
        self.code = code
        message = f"{code!r} is not a code in {list_name}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.args[0])


class AmbiguousLabelError(LGStandardsError, LookupError):
    """A label looked up is the label of several concepts; ``codes`` names them all.

    Raised instead of picking one (functions 41 and 92 are both published as
    "Utilites"): look the concept up by code or URI.
    """

    def __init__(self, list_name: str, label: object, codes: list[int]) -> None:
        self.list_name = list_name
        self.label = label
        self.codes = codes
        named = ", ".join(str(code) for code in codes)
        super().__init__(
            f"{label!r} is the label of {len(codes)} concepts in {list_name} ({named}); "
            "look it up by code or URI"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownListError(LGStandardsError, LookupError):
    """No vocabulary of that name is shipped."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"no vocabulary named {name!r}; known lists: {', '.join(known)}")

    def __str__(self) -> str:
        return str(self.args[0])


class DataNotFoundError(LGStandardsError, FileNotFoundError):
    """The package's data folders (vocabularies, schemas) cannot be found."""


class SchemaNotFoundError(LGStandardsError, FileNotFoundError):
    """No bundled schema is known for a namespace or kind."""


class DocumentParseError(LGStandardsError, ValueError):
    """A document could not be parsed (used where a report is not possible)."""


class UnsupportedVersionError(LGStandardsError, ValueError):
    """A schema or vocabulary version is not known to this release."""


class InvalidDocumentError(LGStandardsError, ValueError):
    """A document has errors; ``report`` holds the full validation report."""

    def __init__(self, message: str, report: Any = None) -> None:
        self.report = report
        super().__init__(message)


class PublishError(LGStandardsError, ValueError):
    """A vocabulary release or other publishing step was refused."""


class ExchangeOptionsError(LGStandardsError, ValueError):
    """An exchange case's ``exchange.toml`` is malformed (the message names the file)."""


class SourceFormatError(LGStandardsError, ValueError):
    """A vocabulary source file breaks the format; the message names file, line and column."""


class ProfileError(LGStandardsError, ValueError):
    """A council's profile file cannot be read or is malformed (names the file)."""


class LedgerError(LGStandardsError, RuntimeError):
    """An exchange ledger cannot be opened or used (bad URL, database unreachable)."""


class LedgerVersionError(LedgerError):
    """The ledger was written by a newer or unknown schema version; it is never misread."""


class InvalidReleaseError(LGStandardsError, ValueError):
    """A published release cannot be read: its ``manifest.json`` is malformed or hostile.

    ``path`` is the manifest's path and ``problem`` the fault; the message names both.
    """

    def __init__(self, path: object, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: not a valid release manifest: {problem}")


__all__ = [
    "AmbiguousLabelError",
    "DataNotFoundError",
    "DocumentParseError",
    "ExchangeOptionsError",
    "InvalidDocumentError",
    "InvalidReleaseError",
    "LGStandardsError",
    "LedgerError",
    "LedgerVersionError",
    "ProfileError",
    "PublishError",
    "SchemaNotFoundError",
    "SourceFormatError",
    "UnknownCodeError",
    "UnknownListError",
    "UnsupportedVersionError",
]
