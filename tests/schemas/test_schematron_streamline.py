"""The streamlined Schematron validator finds exactly what the ISO skeleton finds.

:func:`lgstandards.rules.streamline.streamline` rewrites the skeleton's XSLT for
speed (contexts selected instead of walked, per-branch selects, patterns skipped
when their elements are absent). These tests run both validators on every example
and on generated documents and compare the issues: code, line, path and both texts.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from example_cases import Case, Finding, findings, kind_of, manifest_cases
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from lgstandards.artefacts.catalogue import entry_for_kind
from lgstandards.rules.schematron import compiled
from lgstandards.validation.svrl import located_issues, run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "validation"))
from epay_batches import batch_file

EPAY_SCH = entry_for_kind("epay.reconciliation-batch").rules_path

CASES = [
    c
    for c in manifest_cases("epay", "govtalk", "transactions", "ebenefits", "valuebill")
    if c.path.suffix == ".xml"
]


def _both(sch: Path, tree: Any) -> tuple[list[Finding], list[Finding]]:
    rules = compiled(sch)
    rules.validator.validate(tree)
    skeleton = located_issues(rules.validator.validation_report, tree, prefixes=rules.prefixes)
    return findings(run(rules, tree)), findings(issue for issue, _ in skeleton)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_examples_give_the_skeletonsfindings(case: Case) -> None:
    tree = etree.parse(str(case.path))
    sch = entry_for_kind(kind_of(tree)).rules_path
    if sch is None or not sch.is_file():
        pytest.skip("no Schematron for this namespace")
    streamlined, skeleton = _both(sch, tree)
    assert streamlined == skeleton


@settings(max_examples=15, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=60),
    bad_every=st.integers(min_value=0, max_value=7),
    wrong_totals=st.booleans(),
)
def test_batches_give_the_skeletonsfindings(
    tmp_path_factory: pytest.TempPathFactory, count: int, bad_every: int, wrong_totals: bool
) -> None:
    assert EPAY_SCH is not None
    path = tmp_path_factory.mktemp("batch") / "batch.xml"
    batch_file(path, count, bad_every=bad_every, wrong_totals=wrong_totals)
    streamlined, skeleton = _both(EPAY_SCH, etree.parse(str(path)))
    assert streamlined == skeleton
    if bad_every and count >= bad_every:
        assert any(f[0] == "rule.EPAY-R014" for f in streamlined)


UNION_SCH = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="t" uri="urn:t"/>
  <sch:ns prefix="u" uri="urn:t"/>
  <sch:pattern id="disjoint">
    <sch:rule context="t:A | t:B/t:C | u:D">
      <sch:assert test="number(.) &gt; 0" id="T-R001">not positive: <sch:value-of
          select="."/></sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="overlapping">
    <sch:rule context="t:B/t:C | t:E/t:C">
      <sch:assert test="number(.) &lt; 100" id="T-R002">too big</sch:assert>
    </sch:rule>
    <sch:rule context="t:A">
      <sch:report test=". = 7" id="T-R003">seven</sch:report>
    </sch:rule>
  </sch:pattern>
  <sch:pattern id="first-rule-wins">
    <sch:rule context="t:B/t:C">
      <sch:report test="true()" id="T-R004">C in B</sch:report>
    </sch:rule>
    <sch:rule context="t:C">
      <sch:report test="true()" id="T-R005">other C</sch:report>
    </sch:rule>
  </sch:pattern>
</sch:schema>
"""


@pytest.fixture(scope="module")
def union_sch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sch = tmp_path_factory.mktemp("sch") / "union.sch"
    sch.write_text(UNION_SCH)
    return sch


@settings(max_examples=40, deadline=None)
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "D", "E", "C"]),
            st.sampled_from(["-1", "7", "50", "150", "x"]),
        ),
        max_size=12,
    )
)
def test_union_contexts_give_the_skeletonsfindings(
    union_sch: Path, items: list[tuple[str, str]]
) -> None:
    parts = []
    for name, value in items:
        if name in ("B", "E"):
            parts.append(f"<t:{name}><t:C>{value}</t:C><t:C>{value}1</t:C></t:{name}>")
        else:
            parts.append(f"<t:{name}>{value}</t:{name}>")
    tree = etree.fromstring(f'<t:Root xmlns:t="urn:t">{"".join(parts)}</t:Root>').getroottree()
    streamlined, skeleton = _both(union_sch, tree)
    assert streamlined == skeleton


@pytest.mark.parametrize(
    ("before", "target", "after", "given"),
    [
        (3, 1, 2, "/*/*[4]"),  # a few siblings: counted
        (100, 1, 0, "/*/*[last()]"),  # the last of many
        (100, 1, 5, None),  # deep among many: the select walks instead
        (0, 40, 0, None),  # more than MAX_GIVEN elements: the select walks instead
    ],
)
def test_context_elements_are_given_by_position_when_cheap(
    union_sch: Path, before: int, target: int, after: int, given: str | None
) -> None:
    body = "<t:E>1</t:E>" * before + "<t:A>-1</t:A>" * target + "<t:E>1</t:E>" * after
    tree = etree.fromstring(f'<t:Root xmlns:t="urn:t">{body}</t:Root>').getroottree()
    rules = compiled(union_sch)
    _, params = rules.plan(tree)
    (token,) = [token for token, tags, _ in rules.guards if tags == ("{urn:t}A",)]
    assert params.get(f"lgs-at-{token}") == given
    streamlined, skeleton = _both(union_sch, tree)
    assert streamlined == skeleton
    assert len([f for f in streamlined if f[0] == "rule.T-R001"]) == target


#: Namespaces of the look-alikes: the rules', another (prefixed), another as the default
#: namespace (unprefixed), none.
LOOKALIKE_NS = ["urn:t", "urn:o", "urn:d", None]


def _lookalike(parent: Any, name: str, namespace: str | None, value: str) -> Any:
    nsmap = {None: namespace} if namespace == "urn:d" else None
    element = etree.SubElement(parent, f"{{{namespace}}}{name}" if namespace else name, nsmap=nsmap)
    if name in ("B", "E", "W"):
        for suffix in ("", "1"):
            etree.SubElement(element, "{urn:t}C").text = value + suffix
    else:
        element.text = value
    return element


@settings(max_examples=60, deadline=None)
@given(
    wrappers=st.lists(st.sampled_from(LOOKALIKE_NS), min_size=1, max_size=3),
    items=st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "E", "W"]),
            st.sampled_from(LOOKALIKE_NS),
            st.sampled_from(["-1", "7", "150"]),
        ),
        max_size=8,
    ),
)
def test_siblings_named_alike_in_other_namespaces_leave_the_findings_in_place(
    union_sch: Path, wrappers: list[str | None], items: list[tuple[str, str | None, str]]
) -> None:
    """The skeleton numbers a location step among the siblings of its local name (of any
    namespace; of its ``name()`` for one in no namespace), not as its XPath counts: the
    findings are read back on the elements it fired on, the engine's."""
    root = etree.Element("{urn:t}Root", nsmap={"t": "urn:t", "o": "urn:o"})
    for number, namespace in enumerate(wrappers):  # same-named wrappers, rules' inside each
        wrapper = _lookalike(root, "W", namespace, "5")
        for name, inner, value in items[number::2]:
            _lookalike(wrapper, name, inner, value)
    for name, namespace, value in items:
        _lookalike(root, name, namespace, value)
    tree = etree.ElementTree(etree.fromstring(etree.tostring(root)))
    rules = compiled(union_sch)
    rules.validator.validate(tree)
    report = rules.validator.validation_report
    skeleton = list(located_issues(report, tree, prefixes=rules.prefixes))
    assert all(element is not None for _, element in skeleton)
    streamlined, expected = _both(union_sch, tree)
    assert streamlined == expected
