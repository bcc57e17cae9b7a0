"""The built SKOS files: up to date, deterministic, and the graph users rely on."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from rdflib import RDF, XSD, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from testsupport import LISTS, VOCABULARIES, parse

from lgstandards.publish import skos
from lgstandards.vocab.source import list_ids, read_concepts, read_mappings, read_scheme

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
LGS = Namespace(skos.LGS)
ESD = Namespace(skos.ESD)
CONCEPT_LISTS = tuple(name for name in LISTS if name != "transactions")

Built = Callable[[str], dict[str, bytes]]


@cache
def turtle_graph(list_id: str) -> Any:
    path = VOCABULARIES / list_id / "built" / f"{list_id}.ttl"
    return parse(path.read_bytes(), "turtle")


def test_manifest_lists_every_list() -> None:
    manifest = json.loads((VOCABULARIES / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["format"] == 1
    assert manifest["lists"] == list(LISTS)
    assert list_ids(VOCABULARIES) == list(LISTS)


@pytest.mark.parametrize("list_id", LISTS)
def test_built_files_are_up_to_date(list_id: str, built: Built) -> None:
    fresh = built(list_id)
    assert sorted(fresh) == sorted(f"{list_id}.{ext}" for ext in ("ttl", "jsonld", "csv"))
    folder = VOCABULARIES / list_id / "built"
    stale = [name for name, data in fresh.items() if (folder / name).read_bytes() != data]
    assert not stale, f"stale: {stale}; run python scripts/build_vocabularies.py"
    # Next to the SKOS files, a concept list has its search index (tests/vocab check it).
    index = [] if list_id == "transactions" else [f"{list_id}.search.json"]
    assert sorted(p.name for p in folder.iterdir()) == sorted([*fresh, *index])


@pytest.mark.parametrize("list_id", ["lgil", "functions", "tiers", "transactions"])
def test_build_is_deterministic(list_id: str, built: Built) -> None:
    assert skos.build_list(list_id, VOCABULARIES) == built(list_id)
    graph = skos.build_graph(list_id, VOCABULARIES)
    assert skos.serialize(graph, "rdfxml") == skos.serialize(graph, "rdfxml")


def test_stale_files_reports_an_edited_built_file(tmp_path: Any) -> None:
    import shutil

    shutil.copytree(VOCABULARIES / "lgil", tmp_path / "lgil")
    assert skos.stale_files("lgil", tmp_path) == []
    target = tmp_path / "lgil" / "built" / "lgil.csv"
    target.write_bytes(target.read_bytes() + b"\n")
    assert skos.stale_files("lgil", tmp_path) == [target]
    assert skos.write_built("lgil", tmp_path)[2] == target
    assert skos.stale_files("lgil", tmp_path) == []


def test_lgsl_turtle_has_every_service_with_its_uri() -> None:
    graph = turtle_graph("lgsl")
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 1519
    scheme = read_scheme(VOCABULARIES / "lgsl")
    rows = read_concepts(VOCABULARIES / "lgsl", scheme)
    assert concepts == {URIRef(f"http://id.esd.org.uk/service/{row.code}") for row in rows}
    service = URIRef("http://id.esd.org.uk/service/57")
    assert graph.value(service, SKOS.notation) == Literal(57, datatype=XSD.integer)
    assert str(graph.value(service, SKOS.prefLabel)) == "Council tax annual notification"


@pytest.mark.parametrize("list_id", LISTS)
def test_jsonld_is_the_same_graph_as_turtle(list_id: str) -> None:
    folder = VOCABULARIES / list_id / "built"
    jsonld = parse((folder / f"{list_id}.jsonld").read_bytes(), "json-ld")
    assert isomorphic(jsonld, turtle_graph(list_id))


@pytest.mark.parametrize("list_id", ["lgil", "lgnl", "transactions"])
def test_rdfxml_is_the_same_graph(list_id: str) -> None:
    graph = skos.build_graph(list_id, VOCABULARIES)
    assert isomorphic(parse(skos.serialize(graph, "rdfxml"), "xml"), graph)


@pytest.mark.parametrize("list_id", CONCEPT_LISTS)
def test_every_concept_is_complete_and_hierarchy_symmetric(list_id: str) -> None:
    graph = turtle_graph(list_id)
    scheme = URIRef(read_scheme(VOCABULARIES / list_id).uri)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert graph.value(scheme, OWL.versionInfo) is not None
    assert graph.value(scheme, DCT.license) is not None
    assert graph.value(scheme, DCT.rights) is not None
    concepts = set(graph.subjects(RDF.type, SKOS.Concept))
    assert concepts
    for concept in concepts:
        notation = graph.value(concept, SKOS.notation)
        assert isinstance(notation, Literal)
        assert notation.datatype == XSD.integer
        assert str(concept).endswith(f"/{notation}")
        assert len(list(graph.objects(concept, SKOS.prefLabel))) == 1
        assert (concept, SKOS.inScheme, scheme) in graph
        definition = graph.value(concept, SKOS.definition)
        assert definition is None or str(definition) != ""
        broader = set(graph.objects(concept, SKOS.broader))
        assert len(broader) <= 1
        is_top = (concept, SKOS.topConceptOf, scheme) in graph
        assert is_top == (not broader) == ((scheme, SKOS.hasTopConcept, concept) in graph)
        for parent in broader:
            assert (parent, SKOS.narrower, concept) in graph
            assert parent in concepts
        for child in graph.objects(concept, SKOS.narrower):
            assert (child, SKOS.broader, concept) in graph


@pytest.mark.parametrize(
    ("list_id", "concepts", "top"),
    [("lgsl", 1519, 1519), ("lgil", 33, 12), ("functions", 113, 13), ("lgnl", 118, 13)],
)
def test_concept_and_top_concept_counts(list_id: str, concepts: int, top: int) -> None:
    graph = turtle_graph(list_id)
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == concepts
    assert len(set(graph.subjects(SKOS.topConceptOf, None))) == top


def test_lgil_marks_inferred_parents_short_labels_and_bvpi157() -> None:
    graph = turtle_graph("lgil")

    def uri(code: int) -> URIRef:
        return URIRef(f"http://id.esd.org.uk/interaction/{code}")

    assert graph.value(uri(17), SKOS.broader) == uri(0)
    assert graph.value(uri(17), LGS.parentInferred) == Literal(True)
    assert graph.value(uri(22), SKOS.broader) == uri(1)
    assert graph.value(uri(22), LGS.parentInferred) is None  # esd's own text
    assert str(graph.value(uri(8), SKOS.altLabel)) == "Info"
    assert str(graph.value(uri(8), LGS.shortLabel)) == "Info"
    # "Consultation" is its own short label: lgs:shortLabel only, as SKOS keeps
    # prefLabel and altLabel disjoint.
    assert str(graph.value(uri(3), LGS.shortLabel)) == "Consultation"
    assert graph.value(uri(3), SKOS.altLabel) is None
    bvpi = {int(graph.value(s, SKOS.notation)) for s in graph.subjects(LGS.bvpi157, None)}
    assert bvpi == set(range(10))


def test_lgnl_uses_percent_encoded_iris_and_keeps_the_published_form() -> None:
    graph = turtle_graph("lgnl")
    heading = URIRef("http://id.esd.org.uk/website%20navigation/50")
    assert str(graph.value(heading, SKOS.prefLabel)) == "Council tax and benefits"
    assert str(graph.value(heading, LGS.publishedUri)) == (
        "http://id.esd.org.uk/website navigation/50"
    )
    scheme = URIRef("http://id.esd.org.uk/list/navigation")
    assert str(graph.value(scheme, LGS.status)) == "discontinued"
    assert graph.value(scheme, LGS.discontinuedDate) == Literal(dt.date(2019, 1, 1))
    assert "West London Alliance" in str(graph.value(scheme, DCT.rights))
    contains = list(graph.subject_objects(LGS.containsService))
    assert len(contains) == 829
    for owner, service in contains:
        assert (service, ESD.isPartOfServiceGroup, owner) in graph


def test_functions_contain_services() -> None:
    graph = turtle_graph("functions")
    pairs = set(graph.subject_objects(LGS.containsService))
    assert len(pairs) == len(read_mappings(VOCABULARIES / "functions")) == 1241
    assert len({service for _, service in pairs}) == 1241


def test_tiers_expand_the_published_providing_tier() -> None:
    graph = turtle_graph("tiers")
    tier = {
        str(graph.value(c, SKOS.prefLabel)): int(graph.value(c, SKOS.notation))
        for c in graph.subjects(RDF.type, SKOS.Concept)
    }
    assert tier == {"county": 1, "district": 2, "unitary": 3}
    expected = {"all": {1, 2, 3}, "county/unitary": {1, 3}, "district/unitary": {2, 3}}
    services = set(graph.subjects(LGS.providingTier, None))
    assert len(services) == 117
    for service in services:
        published = str(graph.value(service, LGS.providingTier))
        tiers = {int(str(t).rsplit("/", 1)[1]) for t in graph.objects(service, LGS.providedByTier)}
        assert tiers == expected[published]


def test_transactions_are_resources_with_service_and_interaction() -> None:
    graph = turtle_graph("transactions")
    pairs = set(graph.subjects(RDF.type, LGS.Transaction))
    assert len(pairs) == 81
    item = URIRef("https://w3id.org/lgstandards/id/transaction/4-0")
    assert graph.value(item, LGS.service) == URIRef("http://id.esd.org.uk/service/4")
    assert graph.value(item, LGS.interaction) == URIRef("http://id.esd.org.uk/interaction/0")
    assert str(graph.value(item, LGS.serviceSlug)) == "free-school-meals"
    interactions = {graph.value(p, LGS.interaction) for p in pairs}
    assert {int(str(i).rsplit("/", 1)[1]) for i in interactions} == {0, 4, 8, 17}


@pytest.mark.parametrize("list_id", CONCEPT_LISTS)
def test_built_csv_is_the_source_plus_uri(list_id: str, built: Built) -> None:
    folder = VOCABULARIES / list_id
    source = list(
        csv.reader(io.StringIO((folder / "concepts.csv").read_bytes().decode(), newline=""))
    )
    out = list(csv.reader(io.StringIO(built(list_id)[f"{list_id}.csv"].decode(), newline="")))
    assert out[0] == [*source[0], "uri"]
    scheme = read_scheme(folder)
    assert [row[:-1] for row in out[1:]] == source[1:]
    assert [row[-1] for row in out[1:]] == [scheme.concept_iri(int(r[0])) for r in source[1:]]


def test_transactions_csv_is_the_source_plus_uri(built: Built) -> None:
    source = (VOCABULARIES / "transactions" / "transactions.csv").read_text("utf-8").splitlines()
    out = built("transactions")["transactions.csv"].decode().splitlines()
    assert out[0] == source[0] + ",uri"
    assert [line.rsplit(",", 1)[0] for line in out[1:]] == source[1:]


def test_serialize_rejects_unknown_format() -> None:
    graph = skos.build_graph("tiers", VOCABULARIES)
    with pytest.raises(ValueError, match="unknown format"):
        skos.serialize(graph, "n3")  # type: ignore[arg-type]


def test_unknown_list_is_a_clear_error() -> None:
    from lgstandards.exceptions import UnknownListError

    with pytest.raises(UnknownListError, match="lgsl"):
        skos.build_graph("nope", VOCABULARIES)


@pytest.mark.parametrize("list_id", LISTS)
def test_shipped_lists_pass_the_skos_quality_check_without_errors(list_id: str) -> None:
    check = pytest.importorskip("lgstandards.publish.check")
    issues = list(check.iter_vocabulary_issues(skos.build_graph(list_id, VOCABULARIES)))
    errors = [str(issue) for issue in issues if str(issue.severity) == "error"]
    assert not errors
