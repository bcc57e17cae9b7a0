"""One reading of SHACL results: the SKOS profile and the service-catalogue run agree.

Both turn ``sh:resultSeverity`` into the same severity (Violation error, Warning
warning, Info and any other severity info) and read the English (or untagged) and Welsh
``sh:resultMessage`` alike; the service-catalogue codes carry their registered severity.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from lgstandards.codes import get
from lgstandards.publish.shacl import run_profile
from lgstandards.report import Severity
from lgstandards.validation import rdf

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <urn:example:> .

ex:violation a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:a ; sh:minCount 1 ;
    sh:severity sh:Violation ; sh:message "needs a"@en, "angen a"@cy ;
    dct:identifier "skos.missing-notation" .
ex:warning a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:b ; sh:minCount 1 ;
    sh:severity sh:Warning ; sh:message "needs b" ; dct:identifier "skos.label-whitespace" .
ex:info a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:c ; sh:minCount 1 ;
    sh:severity sh:Info ; sh:message "needs c"@en ; dct:identifier "skos.orphan-concept" .
ex:other a sh:PropertyShape ; sh:targetClass ex:Thing ; sh:path ex:d ; sh:minCount 1 ;
    sh:severity ex:Custom ; sh:message "needs d" ; dct:identifier "skos.relation-clash" .
"""
DATA = "@prefix ex: <urn:example:> . ex:one a ex:Thing ."
EXPECTED = {
    "needs a": (Severity.ERROR, "angen a"),
    "needs b": (Severity.WARNING, None),
    "needs c": (Severity.INFO, None),
    "needs d": (Severity.INFO, None),
}


def _graphs() -> tuple[Graph, Graph]:
    return Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=DATA, format="turtle")


def test_the_profile_maps_every_shacl_severity() -> None:
    shapes, data = _graphs()
    issues = run_profile(data, shapes=shapes)
    assert {i.message: (i.severity, i.message_cy) for i in issues} == EXPECTED
    assert sorted(i.code for i in issues) == [
        "skos.label-whitespace",
        "skos.missing-notation",
        "skos.orphan-concept",
        "skos.relation-clash",
    ]


def test_the_service_catalogue_run_maps_them_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    shapes, data = _graphs()
    monkeypatch.setattr(rdf, "shapes_graph", lambda: shapes)
    issues = list(rdf.shacl_issues(data, source=None))
    assert {i.message: (i.severity, i.message_cy) for i in issues} == EXPECTED
    for issue in issues:
        assert issue.severity is get(issue.code).severity, issue.code
    assert sorted(i.code for i in issues) == [
        "shacl.info",
        "shacl.info",
        "shacl.violation",
        "shacl.warning",
    ]
