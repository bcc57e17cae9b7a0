"""lgstandards: the UK's local e-government standards, usable in code.

Importing the package is cheap: no vocabulary, schema or RDF library is loaded
until first use. The code lists live in :mod:`lgstandards.vocab`::

    >>> from lgstandards.vocab import lgsl
    >>> lgsl.lookup(57).label
    'Council tax annual notification'
"""

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
