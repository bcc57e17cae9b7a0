"""Constants and helpers shared by the publish tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from lgstandards._resources import vocabularies_root

FIXTURES = Path(__file__).parent / "fixtures"
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


def copy_vocabularies(target: Path, lists: tuple[str, ...] | None = None) -> Path:
    """Copy the shipped vocabularies' sources (no release, no built files) to ``target``.

    With ``lists``, only those lists' folders are copied (with ``MANIFEST.json``, the
    registry of list names). Tests publish into such copies, never into the real folder.
    """
    skip = shutil.ignore_patterns("built", ".*", "[0-9]*.[0-9]*")
    if lists is None:
        shutil.copytree(vocabularies_root(), target, ignore=skip)
        return target
    target.mkdir(parents=True)
    shutil.copy(vocabularies_root() / "MANIFEST.json", target)
    for name in lists:
        shutil.copytree(vocabularies_root() / name, target / name, ignore=skip)
    return target
