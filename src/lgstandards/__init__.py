"""lgstandards: the UK's local e-government standards, usable in code.

Importing the package is cheap: no vocabulary, schema or RDF library is loaded
until first use, and the names below are imported from their modules when first
asked for. The code lists live in :mod:`lgstandards.vocab`::

    >>> from lgstandards.vocab import lgsl
    >>> lgsl.lookup(57).label
    'Council tax annual notification'
"""

from __future__ import annotations

import importlib
import typing

if typing.TYPE_CHECKING:
    from lgstandards.exceptions import (
        AmbiguousLabelError,
        DataNotFoundError,
        DocumentParseError,
        InvalidDocumentError,
        LGStandardsError,
        SchemaNotFoundError,
        UnknownCodeError,
        UnknownListError,
        UnsupportedVersionError,
    )
    from lgstandards.report import Issue, Severity, ValidationReport
    from lgstandards.validation import is_valid, iter_issues, validate

__version__ = "0.1.0"

#: Each name the package exports -> the module that defines it (imported on first use).
_HOMES = {
    **dict.fromkeys(
        (
            "AmbiguousLabelError",
            "DataNotFoundError",
            "DocumentParseError",
            "InvalidDocumentError",
            "LGStandardsError",
            "SchemaNotFoundError",
            "UnknownCodeError",
            "UnknownListError",
            "UnsupportedVersionError",
        ),
        "lgstandards.exceptions",
    ),
    **dict.fromkeys(("Issue", "Severity", "ValidationReport"), "lgstandards.report"),
    **dict.fromkeys(("is_valid", "iter_issues", "validate"), "lgstandards.validation"),
}


def __getattr__(name: str) -> typing.Any:
    """Import an exported name from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "AmbiguousLabelError",
    "DataNotFoundError",
    "DocumentParseError",
    "InvalidDocumentError",
    "Issue",
    "LGStandardsError",
    "SchemaNotFoundError",
    "Severity",
    "UnknownCodeError",
    "UnknownListError",
    "UnsupportedVersionError",
    "ValidationReport",
    "__version__",
    "is_valid",
    "iter_issues",
    "validate",
]
