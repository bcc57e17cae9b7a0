"""Every finding of the service catalogue shapes has a message in English and Welsh.

A result carries the ``sh:message`` of the shape that produced it: a shape with a target
(its node-level constraints, such as ``sh:nodeKind``) or a property shape. Without one,
pyshacl's English text would be the message and the report would have no Welsh.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Namespace

from lgstandards import validate
from lgstandards._resources import schemas_root

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = schemas_root() / "shapes" / "service-catalogue.ttl"
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _reporting_shapes(graph: Graph) -> set[object]:
    targeted = {s for p in _TARGETS for s in graph.subjects(p, None)}
    return targeted | set(graph.objects(None, SH.property))


def test_every_reporting_shape_has_an_english_and_a_welsh_message() -> None:
    graph = Graph().parse(SHAPES)
    shapes = _reporting_shapes(graph)
    assert len(shapes) >= 8
    for shape in shapes:
        languages = {m.language for m in graph.objects(shape, SH.message)}
        assert {"en", "cy"} <= languages, shape


@pytest.mark.parametrize(
    ("kind", "namespace"),
    [
        ("cpsv:PublicService", "http://purl.org/vocab/cpsv#"),
        ("schema:GovernmentService", "http://schema.org/"),
    ],
)
def test_a_service_that_is_a_blank_node_is_reported_in_both_languages(
    kind: str, namespace: str
) -> None:
    prefix = kind.split(":")[0]
    document = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:{prefix}="{namespace}" xmlns:dct="http://purl.org/dc/terms/">'
        f"<{kind}><dct:title>Council tax bill</dct:title></{kind}></rdf:RDF>"
    ).encode()
    issues = [i for i in validate(document) if i.detail and "NodeKind" in i.detail]
    assert issues
    assert all(i.message and i.message_cy for i in issues)
