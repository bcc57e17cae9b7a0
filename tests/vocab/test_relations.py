"""Relations between the shipped lists: resolved in one place, true both ways, for every record."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import lgstandards.vocab as vocab
from lgstandards.vocab import functions, lgil, lgnl, lgsl, tiers, transactions
from lgstandards.vocab.concepts import parse_providing_tier, service_tiers

VOCAB = Path(vocab.__file__).parent
#: The modules that each make one shipped list.
LIST_MODULES = ("lgsl", "lgil", "functions", "lgnl", "tiers", "transactions")


def _imported(path: Path) -> set[str]:
    """Every module a file imports, anywhere in it (functions and TYPE_CHECKING blocks too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("name", [*LIST_MODULES, "concepts"])
def test_no_list_module_imports_another(name: str) -> None:
    others = {f"lgstandards.vocab.{m}" for m in LIST_MODULES if m != name}
    imported = _imported(VOCAB / f"{name}.py")
    assert not imported & others
    assert "lgstandards.vocab" not in imported  # nor the package, which imports them all


def test_functions_and_services_relate_both_ways() -> None:
    pairs = {(f.code, s.code) for f in functions for s in f.services}
    assert pairs
    assert pairs == {(f.code, s.code) for s in lgsl for f in s.functions}
    for function in functions:
        assert {s.code for s in function.services} <= set(function.service_codes)


def test_headings_and_services_relate_both_ways() -> None:
    pairs = {(h.code, s.code) for h in lgnl for s in h.services}
    assert pairs
    assert pairs == {(h.code, s.code) for s in lgsl for h in s.headings}


def test_interactions_and_services_relate_through_every_published_pair() -> None:
    listed = {(p.service_code, p.interaction_code) for p in transactions}
    in_force = {(s, i) for s, i in listed if s in lgsl and i in lgil}
    assert in_force
    assert in_force == {(s.code, i.code) for s in lgsl for i in s.interactions}
    assert in_force == {(s.code, i.code) for i in lgil for s in i.services}
    for pair in transactions:
        assert pair in transactions.for_service(pair.service_code)
        assert pair in transactions.for_interaction(pair.interaction_code)
        assert transactions.get(pair.service_code, pair.interaction_code) is pair


def test_tiers_of_every_service_are_the_published_providing_tier() -> None:
    entries = service_tiers()
    assert entries
    for service in lgsl:
        entry = entries.get(service.code)
        expected = set() if entry is None else parse_providing_tier(entry.providing_tier)
        assert {t.label for t in service.tiers} == expected
        assert all(t is tiers.lookup(t.code) for t in service.tiers)


@pytest.mark.parametrize("listed", [functions, lgil, lgnl], ids=lambda v: v.name)
def test_parents_and_children_agree_within_each_list(listed: vocab.Vocabulary[object]) -> None:
    for record in listed:
        parent = record.parent  # type: ignore[attr-defined]
        if parent is not None:
            assert record in parent.children
            assert parent is listed.get(parent.code)
        for child in record.children:  # type: ignore[attr-defined]
            assert child.parent is record


def test_relations_give_the_records_of_the_shipped_lists() -> None:
    service = lgsl.lookup(57)
    assert all(f is functions.lookup(f.code) for f in service.functions)
    assert all(h is lgnl.lookup(h.code) for h in service.headings)
    assert all(i is lgil.lookup(i.code) for i in service.interactions)
    assert all(p.service is service for p in service.transactions)
