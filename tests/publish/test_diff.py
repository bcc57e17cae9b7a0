from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from lgstandards.exceptions import PublishError
from lgstandards.publish.diff import diff_vocabularies

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
DCT = Namespace("http://purl.org/dc/terms/")
EX = Namespace("http://example.org/clean/")


@pytest.fixture
def old(clean: Path) -> Graph:
    return Graph().parse(clean)


@pytest.fixture
def new(old: Graph) -> Graph:
    g = Graph()
    for t in old:
        g.add(t)
    return g


def kinds(d) -> dict[str, list[str]]:
    return {k: [c.ref.notation for c in v] for k, v in d.changes.items()}


def test_no_change(old: Graph, new: Graph) -> None:
    d = diff_vocabularies(old, new)
    assert not d
    assert d.required_bump() is None
    assert d.to_json()["changes"] == {}


def test_every_kind_of_change(old: Graph, new: Graph) -> None:
    new.add((EX.extra, RDF.type, SKOS.Concept))
    new.add((EX.extra, SKOS.notation, Literal("14")))
    new.add((EX.extra, SKOS.prefLabel, Literal("Street cleaning", lang="en")))
    new.add((EX.recycling, OWL.deprecated, Literal(True)))
    new.add((EX.recycling, DCT.isReplacedBy, EX.bins))
    new.add((EX.recycling, SKOS.changeNote, Literal("2026-02-01: merged into 10.", lang="en")))
    new.remove((EX.old, OWL.deprecated, None))
    new.set((EX.bins, SKOS.prefLabel, Literal("Bin collection day", lang="en")))
    new.add((EX.waste, SKOS.prefLabel, Literal("Gwastraff cartref", lang="cy")))
    new.remove((EX.waste, SKOS.prefLabel, Literal("Gwastraff", lang="cy")))
    new.set((EX.bins, SKOS.definition, Literal("Collecting bins.", lang="en")))
    new.set((EX.sheltered, SKOS.broader, EX.waste))
    new.add((EX.sheltered, SKOS.exactMatch, URIRef("http://id.esd.org.uk/service/107")))
    d = diff_vocabularies(old, new)
    assert kinds(d) == {
        "added": ["14"],
        "deprecated": ["11"],
        "undeprecated": ["12"],
        "relabelled": ["1", "10"],
        "redefined": ["10"],
        "moved": ["13"],
        "mappings_changed": ["13"],
    }
    dep = d["deprecated"][0].to_json()
    assert dep["replaced_by"] == [
        {"concept": str(EX.bins), "notation": "10", "label": "Bin collection day"}
    ]
    assert dep["reason"] == ["2026-02-01: merged into 10."]
    relabel = d["relabelled"][0].to_json()
    assert relabel == {
        "concept": str(EX.waste),
        "notation": "1",
        "label": "Waste",
        "property": "skos:prefLabel",
        "lang": "cy",
        "old": ["Gwastraff"],
        "new": ["Gwastraff cartref"],
    }
    assert d["moved"][0].fields == {"old": [str(EX.housing)], "new": [str(EX.waste)]}
    assert d.required_bump() == "minor"
    md = d.to_markdown("1.1.0 (2026-02-01)")
    assert md.startswith("## 1.1.0 (2026-02-01)\n\n")
    assert "### Deprecated\n\n- 11 Recycling deprecated, replaced by 10 Bin collection day: " in md
    assert "### Un-deprecated\n\n- 12 Council tenants\n" in md
    data = d.to_json()
    json.dumps(data)
    assert data["bump"] == "minor"
    assert data["summary"]["relabelled"] == 2
    assert "added" in d.to_text().splitlines()[1]


def test_note_changes_are_a_patch(old: Graph, new: Graph) -> None:
    new.add((EX.bins, SKOS.historyNote, Literal("Renamed in 2026.", lang="en")))
    d = diff_vocabularies(old, new)
    assert kinds(d) == {"notes_changed": ["10"]}
    assert d.required_bump() == "patch"


def test_patch_for_labels_only(old: Graph, new: Graph) -> None:
    new.set((EX.bins, SKOS.prefLabel, Literal("Bin collection", lang="en")))
    new.remove((EX.bins, SKOS.altLabel, None))
    d = diff_vocabularies(old, new)
    assert d.required_bump() == "patch"
    assert [c.fields["property"] for c in d["relabelled"]] == ["skos:altLabel", "skos:prefLabel"]


def test_removal_and_reuse_are_refused(old: Graph, new: Graph) -> None:
    new.remove((EX.bins, None, None))
    d = diff_vocabularies(old, new)
    assert kinds(d) == {"removed": ["10"]}
    with pytest.raises(PublishError, match="never removed or re-used"):
        d.required_bump()
    assert d.required_bump(allow_breaking=True) == "major"
    # another concept takes code 10
    new.add((EX.other, RDF.type, SKOS.Concept))
    new.add((EX.other, SKOS.notation, Literal("10")))
    d = diff_vocabularies(old, new)
    assert kinds(d)["reused"] == ["10"]
    assert "was the code of http://example.org/clean/bins" in d.forbidden()[1]


def test_deprecated_code_brought_back_as_something_else_is_reuse(old: Graph, new: Graph) -> None:
    new.remove((EX.old, OWL.deprecated, None))
    new.set((EX.old, SKOS.prefLabel, Literal("Garden waste", lang="en")))
    d = diff_vocabularies(old, new)
    assert "reused" in d.changes
    assert "undeprecated" not in d.changes
    with pytest.raises(PublishError):
        d.required_bump()


def test_files_in_different_formats_do_not_differ(clean: Path, tmp_path: Path) -> None:
    target = tmp_path / "clean.jsonld"
    Graph().parse(clean).serialize(target, format="json-ld", encoding="utf-8")
    assert not diff_vocabularies(clean, target)


labels = st.text(alphabet="abc XYZ", min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(
    st.dictionaries(st.integers(1, 20), labels, max_size=8),
    st.dictionaries(st.integers(1, 20), labels, max_size=8),
)
def test_added_removed_relabelled_are_exact(before: dict[int, str], after: dict[int, str]) -> None:
    def graph(items: dict[int, str]) -> Graph:
        g = Graph()
        for code, label in items.items():
            g.add((EX[str(code)], RDF.type, SKOS.Concept))
            g.add((EX[str(code)], SKOS.notation, Literal(str(code))))
            g.add((EX[str(code)], SKOS.prefLabel, Literal(label, lang="en")))
        return g

    d = diff_vocabularies(graph(before), graph(after))
    got = kinds(d)
    assert got.get("added", []) == [str(c) for c in sorted(set(after) - set(before))]
    assert got.get("removed", []) == [str(c) for c in sorted(set(before) - set(after))]
    changed = sorted(c for c in set(before) & set(after) if before[c] != after[c])
    assert got.get("relabelled", []) == [str(c) for c in changed]
