"""Rules run on a subtree find what the ISO skeleton finds there, located there.

lxml runs an XSLT on an element below its document's root (or on a tree of one) as on a
document of its own, so the skeleton and the streamlined validator report what is in
the subtree. Their locations (``(//epay:Currency)[2]``, a full path) must then be found
below that element, not in the whole document, where the n-th such node may be another;
and the rules Python evaluates (screens, given elements) must not reach outside it.
"""

from __future__ import annotations

import copy
import io
import sys
from pathlib import Path
from typing import Any

import pytest
from example_cases import kind_of, manifest_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.artefacts.catalogue import entry_for_kind
from lgstandards.rules.schematron import SCREEN_FROM, compiled
from lgstandards.validation.svrl import located_issues, run_located

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))
from epay_batches import write_batch

EPAY = "urn:lgstandards:epay:1"
CASES = [
    c
    for c in manifest_cases("epay", "govtalk", "transactions", "ebenefits", "valuebill")
    if c.path.suffix == ".xml"
]


def _located(found: Any) -> list[tuple[Any, ...]]:
    return sorted(
        (i.code, i.severity, i.line, i.path, i.message, i.message_cy, id(e)) for i, e in found
    )


def _both(sch: Path, scope: Any, screen_from: int | None) -> tuple[list[Any], list[Any]]:
    """The findings of the rules on ``scope`` and those of the skeleton, with their elements."""
    rules = compiled(sch)
    frequent = frozenset({f"{{{EPAY}}}PaymentRecord"})
    found = run_located(rules, scope, frequent=frequent, screen_from=screen_from)
    rules.validator.validate(scope)
    skeleton = located_issues(rules.validator.validation_report, scope, prefixes=rules.prefixes)
    return list(found), list(skeleton)


def _inside(found: list[Any], top: Any) -> bool:
    return all(e is top or any(a is top for a in e.iterancestors()) for _, e in found)


def _second_copy(root: Any) -> Any:
    """``root`` as the second of two copies under a wrapper (the first precedes it)."""
    wrapper = etree.Element("wrapper")
    wrapper.append(copy.deepcopy(root))
    wrapper.append(copy.deepcopy(root))
    return wrapper[1]


@settings(max_examples=60, deadline=None)
@given(
    case=st.sampled_from(CASES),
    as_tree=st.booleans(),
    screen_from=st.sampled_from([None, 0]),
)
def test_a_subtree_gives_the_skeletons_findings_located_in_it(
    case: Any, as_tree: bool, screen_from: int | None
) -> None:
    tree = etree.parse(str(case.path))
    sch = entry_for_kind(kind_of(tree)).rules_path
    if sch is None or not sch.is_file():
        return
    sub = _second_copy(tree.getroot())
    scope = etree.ElementTree(sub) if as_tree else sub
    found, skeleton = _both(sch, scope, screen_from)
    assert _located(found) == _located(skeleton)
    assert _inside(found, sub)


@pytest.mark.parametrize("as_tree", [False, True])
def test_a_large_batch_in_a_subtree_is_not_read_beyond_it(as_tree: bool) -> None:
    """A batch below another element: the screened and given rules see the batch only."""
    sch = entry_for_kind("epay.reconciliation-batch").rules_path
    assert sch is not None
    out = io.BytesIO()
    write_batch(out, SCREEN_FROM, bad_every=7, wrong_totals=True)
    batch = etree.fromstring(out.getvalue())
    sub = _second_copy(batch)
    trailer = sub.find(f"{{{EPAY}}}Trailer")  # to the XSLT, a trailer in no batch
    for scope, screen_from in ((sub, None), (trailer, None), (trailer, 0)):
        target = etree.ElementTree(scope) if as_tree else scope
        found, skeleton = _both(sch, target, screen_from)
        assert _located(found) == _located(skeleton)
        assert _inside(found, scope)
    assert any(i.code == "rule.EPAY-R014" for i, _ in _both(sch, sub, None)[0])
