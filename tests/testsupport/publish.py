"""Constants and helpers of the publish tests: the defects fixture and what it must raise."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "publish" / "fixtures"
EX = "http://example.org/defects/"

#: (code, concept local name) every finding expected in fixtures/defects.ttl, and no other.
EXPECTED_DEFECTS = {
    ("skos.missing-preflabel", "c1"),
    ("skos.empty-preflabel", "c2"),
    ("skos.inconsistent-preflabels", "c3"),
    ("skos.overlapping-labels", "c4a"),
    ("skos.overlapping-labels", "c4b"),
    ("skos.disjoint-labels", "c5"),
    ("skos.label-whitespace", "c6"),
    ("skos.missing-language-tag", "c7"),
    ("skos.not-in-scheme", "c8"),
    ("skos.orphan-concept", "c9"),
    ("skos.cyclic-hierarchy", "c10a"),
    ("skos.cyclic-hierarchy", "c10b"),
    ("skos.relation-clash", "c11b"),
    ("skos.top-concept-has-broader", "c12"),
    ("skos.missing-notation", "c13"),
    ("skos.duplicate-notation", "c14a"),
    ("skos.duplicate-notation", "c14b"),
    ("skos.undefined-concept", "c15"),
    ("skos.deprecated-without-reason", "c16"),
    ("skos.replaced-not-deprecated", "c17"),
    ("skos.replacement-deprecated", "c18a"),
    ("skos.deprecated-replacement", "c18b"),
    ("skos.replacement-cycle", "c19a"),
    ("skos.replacement-cycle", "c19b"),
    ("skos.deprecated-replacement", "c19a"),
    ("skos.deprecated-replacement", "c19b"),
    ("skos.deprecated-replacement", "c20b"),
}


def local(iri: str | None) -> str:
    assert iri is not None
    return iri.rsplit("/", 1)[-1]
