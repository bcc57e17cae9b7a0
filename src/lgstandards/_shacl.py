"""Read a SHACL validation report: one owner of the SHACL result -> issue fields mapping.

Both SHACL runs of the library (the service-catalogue shapes in
:mod:`lgstandards.validation.rdf` and the SKOS profile in
:mod:`lgstandards.publish.shacl`) run pyshacl through :func:`shacl_results` and get
:class:`ShaclResult` records: the severity (``sh:Violation`` is an error,
``sh:Warning`` a warning, ``sh:Info`` and any other severity information), the English
(or untagged) and Welsh messages, and the terms of the result. Each then chooses its
issue code and how to show the terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lgstandards.report import Severity

SH = "http://www.w3.org/ns/shacl#"

#: The SHACL severities (``sh:resultSeverity``) and theirs as issues; any other is ``info``.
SEVERITIES = MappingProxyType(
    {
        f"{SH}Violation": Severity.ERROR,
        f"{SH}Warning": Severity.WARNING,
        f"{SH}Info": Severity.INFO,
    }
)


@dataclass(frozen=True, slots=True)
class ShaclResult:
    """One ``sh:ValidationResult``, read: rdflib terms, or None where the result has none."""

    severity: Severity
    #: The English or untagged ``sh:resultMessage`` ("" when there is none).
    message: str
    #: The Welsh ``sh:resultMessage``, if any.
    message_cy: str | None
    focus: Any
    path: Any
    value: Any
    component: Any
    shape: Any


def read_results(results: Any) -> Iterator[ShaclResult]:
    """Read every result of a pyshacl results graph (rdflib), in no particular order."""
    from rdflib import Literal, Namespace

    sh = Namespace(SH)
    for result in results.subjects(sh.resultSeverity, None):
        messages = [m for m in results.objects(result, sh.resultMessage) if isinstance(m, Literal)]
        yield ShaclResult(
            severity=SEVERITIES.get(str(results.value(result, sh.resultSeverity)), Severity.INFO),
            message=next((str(m) for m in messages if m.language in (None, "en")), ""),
            message_cy=next((str(m) for m in messages if m.language == "cy"), None),
            focus=results.value(result, sh.focusNode),
            path=results.value(result, sh.resultPath),
            value=results.value(result, sh.value),
            component=results.value(result, sh.sourceConstraintComponent),
            shape=results.value(result, sh.sourceShape),
        )


def shacl_results(data: Any, shapes: Any) -> Iterator[ShaclResult]:
    """Validate the rdflib graph ``data`` with the rdflib graph ``shapes`` (pyshacl, no inference).

    Results come in no particular order.
    """
    from pyshacl import validate

    _conforms, results, _text = validate(data, shacl_graph=shapes, inference="none", advanced=False)
    return read_results(results)


__all__ = ["SEVERITIES", "SH", "ShaclResult", "read_results", "shacl_results"]
