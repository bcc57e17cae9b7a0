"""lgstandards: the UK's local e-government standards, usable in code.

Importing the package is cheap: no vocabulary, schema or RDF library is loaded
until first use. The code lists live in :mod:`lgstandards.vocab`::

    >>> from lgstandards.vocab import lgsl
    >>> lgsl.lookup(57).label
    'Council tax annual notification'
"""

from lgstandards.exceptions import (
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

__version__ = "0.1.0"

_VALIDATION = ("is_valid", "iter_issues", "validate")


def __getattr__(name: str) -> object:
    """Load the validation entry points on first use (``lgstandards.validate(...)``)."""
    if name in _VALIDATION:
        import importlib

        module = importlib.import_module("lgstandards.validate")
        return module if name == "validate" else getattr(module, name)
    raise AttributeError(f"module 'lgstandards' has no attribute {name!r}")


__all__ = [
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
