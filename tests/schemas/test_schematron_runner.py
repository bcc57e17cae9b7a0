"""The Schematron runner turns SVRL into bilingual issues with lines and paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from lgstandards.artefacts.declarations import declared_rules
from lgstandards.report import Severity
from lgstandards.rules.schematron import compiled
from lgstandards.validation.svrl import run_schematron

SCH = """<sch:schema xmlns:sch="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt">
  <sch:ns prefix="t" uri="urn:t"/>
  <sch:pattern id="totals">
    <sch:rule context="t:Sale">
      <sch:assert test="number(t:Total) = sum(t:Line)" id="TST-R001" role="error"
          diagnostics="TST-R001-cy"
          >total <sch:value-of select="t:Total"/> is not the sum</sch:assert>
      <sch:report test="t:Line &lt; 0" id="TST-R002" role="warning"
          diagnostics="TST-R002-cy">a line is negative</sch:report>
    </sch:rule>
    <sch:rule context="t:Line">
      <sch:assert test=". != 0" id="TST-R003">zero line</sch:assert>
    </sch:rule>
  </sch:pattern>
  <sch:diagnostics>
    <sch:diagnostic id="TST-R001-cy" xml:lang="cy">nid yw cyfanswm <sch:value-of
        select="t:Total"/> yn gywir</sch:diagnostic>
    <sch:diagnostic id="TST-R002-cy" xml:lang="cy">mae llinell yn negyddol</sch:diagnostic>
  </sch:diagnostics>
</sch:schema>
"""

DOC = b"""<t:Sale xmlns:t="urn:t">
  <t:Total>5</t:Total>
  <t:Line>3</t:Line>
  <t:Line>-1</t:Line>
  <t:Line>0</t:Line>
</t:Sale>"""


@pytest.fixture
def sch(tmp_path: Path) -> Path:
    path = tmp_path / "test.sch"
    path.write_text(SCH)
    return path


def test_findings_become_issues_with_codes_roles_and_welsh(sch: Path) -> None:
    issues = run_schematron(sch, etree.fromstring(DOC), source="doc.xml")
    by_code = {i.code: i for i in issues}
    assert sorted(by_code) == ["rule.TST-R001", "rule.TST-R002", "rule.TST-R003"]
    total = by_code["rule.TST-R001"]
    assert total.severity is Severity.ERROR
    assert total.message == "total 5 is not the sum"
    assert total.message_cy == "nid yw cyfanswm 5 yn gywir"
    assert total.line == 1
    assert total.path == "/t:Sale"
    assert total.source == "doc.xml"
    assert by_code["rule.TST-R002"].severity is Severity.WARNING
    zero = by_code["rule.TST-R003"]
    assert zero.severity is Severity.ERROR  # no role: error
    assert zero.message_cy is None
    assert zero.line == 5
    assert zero.path == "/t:Sale/t:Line[3]"


def test_valid_document_has_no_issues(sch: Path) -> None:
    doc = etree.fromstring(b'<Sale xmlns="urn:t"><Total>4</Total><Line>4</Line></Sale>')
    assert run_schematron(sch, doc) == []


def test_compiled_once_per_path(sch: Path) -> None:
    assert compiled(sch) is compiled(sch)


def test_declared_rules_read_ids_roles_and_texts(sch: Path) -> None:
    rules = {r.id: r for r in declared_rules(sch)}
    assert set(rules) == {"TST-R001", "TST-R002", "TST-R003"}
    assert rules["TST-R001"].message_en == "total {t:Total} is not the sum"
    assert rules["TST-R001"].message_cy == "nid yw cyfanswm {t:Total} yn gywir"
    assert rules["TST-R002"].severity is Severity.WARNING
    assert rules["TST-R001"].context == "t:Sale"
