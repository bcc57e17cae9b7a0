"""The e-Benefits schema, rules and conformance examples, offline from the package data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from example_cases import rule_issues
from lxml import etree

from lgstandards._resources import examples_root, schemas_root
from lgstandards.artefacts.catalogue import entry_for_namespace, kind_for
from lgstandards.artefacts.declarations import declared_rules
from lgstandards.artefacts.schemas import lxml_schema, xmlschema_schema
from lgstandards.report import Severity
from lgstandards.rules import python_rules
from lgstandards.rules.ebenefits import claims_register
from lgstandards.safexml import parse_xml

NS = "urn:lgstandards:ebenefits:1"
XSD = "http://www.w3.org/2001/XMLSchema"
SCH = "http://purl.oclc.org/dsdl/schematron"
FOLDER = "ebenefits"
ROOTS = {
    "BenefitClaim",
    "ChangeOfCircumstances",
    "EvidenceSubmission",
    "DecisionNotice",
    "ClaimStatusQuery",
    "BulkClaims",
}
SCHEMATRON_RULES = {
    f"BEN-R{n:03d}" for n in (1, 2, 3, 5, 9, 10, 11, 12, 13, 14, 15, 16, 17, 19, 20, 21)
}
PYTHON_RULES = {"BEN-R004", "BEN-R006", "BEN-R007", "BEN-R008", "BEN-R018", "BEN-R022"}
STATEFUL_RULES = {"BEN-R018"}


def _xsd_path() -> Path:
    return schemas_root() / FOLDER / "lgs-ebenefits-v1-0.xsd"


def _sch_path() -> Path:
    return schemas_root() / FOLDER / "lgs-ebenefits-v1-0.sch"


@cache
def manifest() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Read examples/ebenefits/MANIFEST: (relative path, expected codes)."""
    rows = []
    for line in (examples_root() / FOLDER / "MANIFEST").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        path, *codes = line.split()
        rows.append((path, () if codes == ["-"] else tuple(codes)))
    return tuple(rows)


def _cases(valid: bool) -> Iterator[Any]:
    for path, codes in manifest():
        if (not codes) == valid:
            yield pytest.param(path, codes, id=path)


def _kind(tree: Any) -> str:
    ns, local = tree.getroot().tag[1:].split("}")
    kind = kind_for(ns, local)
    assert kind is not None
    return kind


def _ben_issues(tree: Any) -> list[Any]:
    return [
        i
        for i in rule_issues(tree, _kind(tree))
        if i.code.startswith("rule.BEN-") or i.severity is Severity.ERROR
    ]


# ---------------------------------------------------------------- the schema itself
def test_compiles_offline_with_lxml_and_xmlschema() -> None:
    assert lxml_schema(NS) is lxml_schema(NS)  # compiled once per process
    assert lxml_schema("ebenefits.claim") is not None
    schema = xmlschema_schema(NS)
    assert {e.local_name for e in schema.elements.values()} == ROOTS


def test_catalogue_maps_every_root_to_a_kind() -> None:
    entry = entry_for_namespace(NS)
    assert entry.path == _xsd_path()
    assert {kind_for(NS, root) for root in ROOTS} == set(entry.kinds)


def test_version_agrees_with_file_name_and_imports_are_relative() -> None:
    root = etree.parse(str(_xsd_path())).getroot()
    assert root.get("version") == "1.0"
    assert root.get("targetNamespace") == NS
    assert root.get("elementFormDefault") == "qualified"
    locations = [i.get("schemaLocation") for i in root.iter(f"{{{XSD}}}import")]
    assert locations == ["../common/lgs-common-v1-1.xsd"]
    assert "Changes" in (root.getprevious().text or "")  # the changelog comment heads the file


def test_every_root_requires_schema_version() -> None:
    root = etree.parse(str(_xsd_path())).getroot()
    types = {t.get("name"): t for t in root.iter(f"{{{XSD}}}complexType")}
    for element in root.iterchildren(f"{{{XSD}}}element"):
        structure = types[element.get("type").split(":")[1]]
        attribute = structure.find(f"{{{XSD}}}attribute[@name='SchemaVersion']")
        assert attribute is not None, element.get("name")
        assert attribute.get("use") == "required"


def test_every_element_and_type_is_documented_and_named_by_convention() -> None:
    root = etree.parse(str(_xsd_path())).getroot()
    for node in root.iter(f"{{{XSD}}}element", f"{{{XSD}}}simpleType", f"{{{XSD}}}complexType"):
        if node.get("ref"):
            continue
        doc = node.find(f"{{{XSD}}}annotation/{{{XSD}}}documentation")
        assert doc is not None, etree.tostring(node)[:80]
        assert (doc.text or "").strip(), etree.tostring(node)[:80]
        name = node.get("name")
        if node.tag == f"{{{XSD}}}simpleType" and name:
            assert name.endswith("Type")
        if node.tag == f"{{{XSD}}}complexType" and name:
            assert name.endswith("Structure")
        if node.tag == f"{{{XSD}}}element":
            assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", name or "")


# ---------------------------------------------------------------- rules
def test_schematron_declares_each_rule_once_with_welsh() -> None:
    rules = declared_rules(_sch_path())
    ids = [r.id for r in rules]
    assert sorted(ids) == sorted(SCHEMATRON_RULES)
    for rule in rules:
        assert rule.message_cy, rule.id
        assert rule.message_en


def test_python_rules_are_registered_and_documented_in_the_schematron() -> None:
    registered = {r for r in python_rules() if r.startswith("BEN-")}
    assert registered == PYTHON_RULES
    text = _sch_path().read_text(encoding="utf-8")
    for rule in PYTHON_RULES:
        assert rule in text
    for rule_id in PYTHON_RULES:
        rule = python_rules()[rule_id]
        assert rule.message_cy
        assert rule.description


def test_schematron_runs_on_the_shared_engine_with_only_xpath_1() -> None:
    root = etree.parse(str(_sch_path())).getroot()
    assert root.get("queryBinding") == "xslt"
    for node in root.iter(f"{{{SCH}}}assert", f"{{{SCH}}}let", f"{{{SCH}}}rule"):
        expression = node.get("test") or node.get("value") or node.get("context") or ""
        assert "current()" not in expression
        assert "xs:" not in expression


def test_dated_parameters_have_dates_and_are_marked_verify() -> None:
    data = json.loads((schemas_root() / FOLDER / "parameters-v1-0.json").read_text("utf-8"))
    assert data["format"] == 1
    for name, parameter in data["parameters"].items():
        assert parameter["values"], name
        for value in parameter["values"]:
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value["effective_from"])
            assert value["verify"] is True
            assert value["note"].startswith("Verify")


# ---------------------------------------------------------------- the examples
def test_manifest_lists_every_example_and_one_per_message_type() -> None:
    on_disk = {
        p.relative_to(examples_root() / FOLDER).as_posix()
        for p in (examples_root() / FOLDER).rglob("*.xml")
    }
    listed = {path for path, _ in manifest()}
    assert on_disk == listed
    valid_roots = {
        parse_xml(examples_root() / FOLDER / p).getroot().tag.split("}")[1]
        for p, codes in manifest()
        if not codes
    }
    assert valid_roots == ROOTS


def test_every_rule_has_an_invalid_example() -> None:
    covered = {c.removeprefix("rule.") for _, codes in manifest() for c in codes}
    assert covered >= (SCHEMATRON_RULES | PYTHON_RULES) - STATEFUL_RULES


@pytest.mark.parametrize(("path", "codes"), list(_cases(valid=True)))
def test_valid_example_passes_both_schemas_and_every_rule(path: str, codes: tuple[str]) -> None:
    file = examples_root() / FOLDER / path
    tree = parse_xml(file)
    schema = lxml_schema(_kind(tree))
    assert schema.validate(tree), schema.error_log
    assert xmlschema_schema(_kind(tree)).is_valid(str(file))
    assert _ben_issues(tree) == []


@pytest.mark.parametrize(("path", "codes"), list(_cases(valid=False)))
def test_invalid_example_gives_exactly_its_codes(path: str, codes: tuple[str, ...]) -> None:
    file = examples_root() / FOLDER / path
    tree = parse_xml(file)
    xsd_codes = [c for c in codes if c.startswith("xsd.")]
    schema_ok = lxml_schema(_kind(tree)).validate(tree)
    assert schema_ok == (not xsd_codes)
    assert xmlschema_schema(_kind(tree)).is_valid(str(file)) == (not xsd_codes)
    rule_codes = sorted(c for c in codes if c.startswith("rule."))
    assert sorted(i.code for i in _ben_issues(tree)) == rule_codes


def test_issues_carry_welsh_text_line_and_path() -> None:
    tree = parse_xml(examples_root() / FOLDER / "invalid" / "claim-duplicate-nino.xml")
    (issue,) = _ben_issues(tree)
    assert issue.code == "rule.BEN-R002"
    assert "AB000002B" in issue.message
    assert "AB000002B" in (issue.message_cy or "")
    assert issue.path
    assert issue.path.endswith("ben:NationalInsuranceNumber")
    assert issue.line is not None


def test_bulk_file_records_are_each_a_valid_claim() -> None:
    tree = parse_xml(examples_root() / FOLDER / "valid" / "bulk-claims.xml")
    schema = lxml_schema("ebenefits.claim")
    records = tree.getroot().findall(f"{{{NS}}}BenefitClaim")
    assert len(records) == 2
    for record in records:
        alone = etree.ElementTree(etree.fromstring(etree.tostring(record)))
        assert schema.validate(alone), schema.error_log
        assert _ben_issues(alone) == []


def test_rules_find_breaches_in_every_record_of_a_bulk_file() -> None:
    tree = parse_xml(examples_root() / FOLDER / "valid" / "bulk-claims.xml")
    for record in tree.getroot().findall(f"{{{NS}}}BenefitClaim"):
        agreed = record.find(f"{{{NS}}}Declaration/{{{NS}}}Agreed")
        agreed.text = "no"
        record.find(f"{{{NS}}}Capital/{{{NS}}}CapitalItem/{{{NS}}}Value").text = "99999.00"
    record = tree.getroot().findall(f"{{{NS}}}BenefitClaim")[1]
    record.find(f"{{{NS}}}Claimant/{{{NS}}}PassportingBenefit").text = "none"
    codes = sorted(i.code for i in _ben_issues(tree))
    assert codes == ["rule.BEN-R008", "rule.BEN-R008", "rule.BEN-R016", "rule.BEN-R016"]


def test_change_must_refer_to_a_claim_in_the_register_when_one_is_given() -> None:
    tree = parse_xml(examples_root() / FOLDER / "valid" / "change-of-circumstances.xml")
    assert _ben_issues(tree) == []  # no register: the stateful rule does not run
    with claims_register({"HB/2026/000101"}):
        assert _ben_issues(tree) == []
    with claims_register(frozenset()):
        (issue,) = _ben_issues(tree)
    assert issue.code == "rule.BEN-R018"
    assert "HB/2026/000101" in issue.message
    assert issue.path == "/ben:ChangeOfCircumstances/ben:ClaimReference"
    assert _ben_issues(tree) == []
