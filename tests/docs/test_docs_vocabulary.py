"""A concept's entry: status, deprecation with its replacement, relations (no Sphinx build)."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")

from docutils import nodes

from lgstandards.sphinxext.vocabulary import VocabularyDirective, anchor
from lgstandards.vocab import Concept


class FakeList:
    """A two-level list with a deprecated concept, as the release tooling writes them."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.by_code = {c.code: c for c in concepts}

    def get(self, code: int) -> Concept | None:
        return self.by_code.get(code)

    def narrower(self, code: int) -> tuple[Concept, ...]:
        return tuple(c for c in self.by_code.values() if c.broader_code == code)


TOP = Concept(0, "Top", "urn:x:0")
OLD = Concept(
    5,
    "Old service",
    "urn:x:5",
    broader_code=0,
    deprecated=True,
    deprecated_date=dt.date(2026, 12, 1),
    replaced_by=6,
    change_note="Merged into 6.",
)
NEW = Concept(6, "New service", "urn:x:6", broader_code=0, created=dt.date(2026, 12, 1))
LIST = FakeList([TOP, OLD, NEW])


def fields(concept: Concept) -> dict[str, str]:
    directive = object.__new__(VocabularyDirective)
    found = {}
    for name, body in directive._fields("demo", LIST, concept):
        if body is not None and body != "":
            found[name] = body.astext() if isinstance(body, nodes.Node) else body
    return found


def test_deprecated_concept_names_date_reason_and_replacement() -> None:
    shown = fields(OLD)
    assert shown["Status"] == "deprecated on 2026-12-01: Merged into 6."
    assert shown["Replaced by"] == "6 New service"
    assert shown["Broader"] == "0 Top"  # code 0 is a real parent, not "no parent"


def test_current_concept_and_narrower() -> None:
    shown = fields(TOP)
    assert shown["Status"] == "current"
    assert shown["Narrower"] == "5 Old service, 6 New service"
    assert "Replaced by" not in shown
    assert "Broader" not in shown
    assert fields(NEW)["Created"] == "2026-12-01"


def test_links_are_optional_references_to_the_concepts() -> None:
    directive = object.__new__(VocabularyDirective)
    body = dict(directive._fields("demo", LIST, OLD))["Replaced by"]
    assert isinstance(body, nodes.Node)
    refs = [n for n in body.findall(nodes.Element) if n.get("reftarget")]
    assert [(r["reftype"], r["reftarget"], r.get("lgs_optional")) for r in refs] == [
        ("concept", "demo:6", True)
    ]


def test_anchor_format() -> None:
    assert anchor("lgsl", 57) == "lgsl-57"
    assert anchor("lgil", TOP.code) == "lgil-0"
