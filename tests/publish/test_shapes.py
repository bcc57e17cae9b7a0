"""The SHACL profile agrees with the Python checks on the fixtures."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from testsupport.publish import EXPECTED_DEFECTS, local

from lgstandards.codes import registry
from lgstandards.publish.check import check_vocabulary
from lgstandards.publish.shacl import load_profile, profile_path, run_profile

SHAPES = load_profile()


def test_shapes_find_the_same_defects(defects: Path) -> None:
    issues = run_profile(Graph().parse(defects))
    assert {(i.code, local(i.path)) for i in issues} == EXPECTED_DEFECTS
    ours = {(i.code, i.path, i.severity) for i in check_vocabulary(defects)}
    assert {(i.code, i.path, i.severity) for i in issues} == ours


def test_shapes_pass_the_clean_fixture(clean: Path) -> None:
    assert run_profile(Graph().parse(clean)) == []


def test_every_shape_names_a_registered_code() -> None:
    from rdflib import URIRef

    codes = {str(o) for o in SHAPES.objects(None, URIRef("http://purl.org/dc/terms/identifier"))}
    codes.discard("lgstandards SKOS profile")
    assert codes <= set(registry())
    assert codes == {c for c in registry() if c.startswith("skos.")} - {
        "skos.syntax-error",
        "skos.no-concepts",
        "skos.shacl-result",
    }
    assert profile_path().name == "skos-profile.ttl"
