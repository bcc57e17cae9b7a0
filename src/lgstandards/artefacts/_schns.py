"""The Schematron and SVRL names every reader of a ``.sch`` file shares.

Exported by :mod:`lgstandards.artefacts.declarations`; here so that the rule model
(:mod:`lgstandards.artefacts._schrules`), which that module imports only on first use,
reads them from below it.
"""

from __future__ import annotations

from lgstandards.report import Severity

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def severity_of(role: str | None) -> Severity:
    """Return the severity a ``role`` names (``error`` when absent or not a severity)."""
    return Severity.from_role(role)


__all__ = ["SCH_NS", "SVRL_NS", "XML_LANG", "severity_of"]
