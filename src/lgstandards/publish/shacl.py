"""Run the published SKOS profile shapes (``schemas/shapes/skos-profile.ttl``) with pyshacl.

The Python checks of :mod:`.check` are the fast path; this module exists to show that
the shapes agree with them and for users who want a SHACL engine's verdict. Each
shape names its issue code in ``dct:identifier``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lgstandards._resources import schemas_root
from lgstandards._shacl import shacl_results
from lgstandards.report import Issue

DCT_IDENTIFIER = "http://purl.org/dc/terms/identifier"
#: Annotation on shapes that target the scheme and name the concept in ``sh:value``.
REPORTS_CONCEPT_AS = "urn:lgstandards:shapes:skos:reportsConceptAs"


def profile_path() -> Path:
    """Return the path of the SKOS profile shapes file."""
    return schemas_root() / "shapes" / "skos-profile.ttl"


def load_profile() -> Any:
    """Return the SKOS profile shapes as an rdflib graph."""
    from rdflib import Graph

    return Graph().parse(profile_path(), format="turtle")


def run_profile(data: Any, *, shapes: Any = None, source: str | None = None) -> list[Issue]:
    """Validate the rdflib graph ``data`` with the profile shapes; return one issue per result.

    Each issue's code is the shape's ``dct:identifier``, ``path`` the concept: the
    focus node, or ``sh:value`` for the shapes that target the scheme; severity and
    messages are read as every SHACL result is (:mod:`lgstandards._shacl`). Repeats
    (one concept reported through two schemes) are dropped.
    """
    from rdflib import URIRef

    shapes_graph = load_profile() if shapes is None else shapes
    issues: dict[tuple[str, str], Issue] = {}
    for result in shacl_results(data, shapes_graph):
        code = shapes_graph.value(result.shape, URIRef(DCT_IDENTIFIER))
        node = result.focus
        if shapes_graph.value(result.shape, URIRef(REPORTS_CONCEPT_AS)) is not None:
            node = result.value
        key = (str(code), str(node))
        if key in issues:
            continue
        issues[key] = Issue(
            code=str(code) if code is not None else "skos.shacl-result",
            severity=result.severity,
            message=result.message,
            message_cy=result.message_cy,
            source=source,
            path=str(node),
        )
    return [issues[key] for key in sorted(issues)]


__all__ = ["load_profile", "profile_path", "run_profile"]
