"""The Schematron files give the same findings under a second, independent engine.

lxml runs the rules with libxslt; here the same compiled XSLT 1.0 validators run
under Saxon (saxonche, a separate XSLT/XPath implementation), and the SVRL each
produces is converted into issues the same way. Skipped when saxonche is absent.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from example_cases import Case, findings, kind_of, manifest_cases
from lxml import etree

from lgstandards.artefacts.catalogue import entry_for_kind
from lgstandards.rules.schematron import compiled
from lgstandards.validation.svrl import run, svrl_issues

saxonche = pytest.importorskip("saxonche")

CASES = [
    c
    for c in manifest_cases("epay", "govtalk", "transactions", "ebenefits", "valuebill")
    if c.path.suffix == ".xml"
]


@cache
def _processor() -> Any:
    return saxonche.PySaxonProcessor(license=False)


@cache
def _saxon_executable(sch: Path) -> Any:
    xslt = etree.tostring(compiled(sch).xslt, encoding="unicode")
    return _processor().new_xslt30_processor().compile_stylesheet(stylesheet_text=xslt)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_saxon_and_lxml_find_the_same(case: Case) -> None:
    tree = etree.parse(str(case.path))
    entry = entry_for_kind(kind_of(tree))
    sch = entry.rules_path
    if sch is None or not sch.is_file():
        pytest.skip("no Schematron for this namespace")
    rules = compiled(sch)
    by_lxml = run(rules, tree)
    node = _processor().parse_xml(xml_file_name=str(case.path))
    svrl = _saxon_executable(sch).transform_to_string(xdm_node=node)
    by_saxon = list(svrl_issues(etree.fromstring(svrl.encode()), tree, prefixes=rules.prefixes))
    assert findings(by_saxon) == findings(by_lxml)
    expected = {c for c in case.codes if c.startswith("rule.")}
    assert {i.code for i in by_saxon} <= expected
