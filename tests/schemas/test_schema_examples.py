"""Conformance examples: valid ones pass both XSD engines and the rules; invalid ones fail
with exactly the codes their MANIFEST names; models load what the schema accepts."""

from __future__ import annotations

import pytest
from example_cases import Case, documents, kind_of, manifest_cases, rule_issues
from lxml import etree
from pydantic import ValidationError

from lgstandards.artefacts import catalogue
from lgstandards.artefacts.schemas import lxml_schema, xmlschema_schema
from lgstandards.models import model_for_kind
from lgstandards.models._xml import XmlModel
from lgstandards.models.govtalk import GovTalkMessage
from lgstandards.validation.svrl import run_business_rules

FAMILIES = ("epay", "govtalk", "transactions")
CASES = manifest_cases(*FAMILIES)


def test_every_example_file_is_in_a_manifest() -> None:
    listed = {c.path for c in CASES}
    from lgstandards._resources import examples_root

    on_disk = {p for f in FAMILIES for p in (examples_root() / f).glob("*/*.xml")}
    assert on_disk == listed


def test_every_message_type_has_a_valid_example() -> None:
    kinds = {kind_of(etree.parse(str(c.path))) for c in CASES if c.valid}
    wanted = {k for k in catalogue.kinds() if k.split(".")[0] in FAMILIES}
    assert wanted <= kinds


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_schema_verdict_agrees_with_the_manifest(case: Case) -> None:
    xsd_expected = any(c.startswith("xsd.") for c in case.codes)
    verdicts = []
    for tree, kind in documents(etree.parse(str(case.path)), bodiless=True):
        valid = lxml_schema(kind).validate(tree)
        assert xmlschema_schema(kind).is_valid(tree) is valid
        verdicts.append(valid)
    assert all(verdicts) is not xsd_expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_rules_raise_exactly_the_manifest_codes(case: Case) -> None:
    issues = [
        issue
        for tree, kind in documents(etree.parse(str(case.path)))
        for issue in rule_issues(tree, kind, source=str(case.path))
    ]
    assert sorted({i.code for i in issues}) == sorted(
        c for c in case.codes if c.startswith("rule.")
    )
    for issue in issues:
        assert issue.message
        assert issue.message_cy
        assert issue.line is not None
        assert issue.path is not None


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_model_loads_exactly_the_schema_valid_examples(case: Case) -> None:
    tree = etree.parse(str(case.path))
    kind = kind_of(tree)
    model_cls = model_for_kind(kind)
    if any(c.startswith("xsd.") for c in case.codes):
        with pytest.raises(ValidationError):
            model_cls.from_xml(case.path)
        return
    model = model_cls.from_xml(case.path)
    written = model.to_xml()
    assert lxml_schema(kind).validate(etree.fromstring(written))
    assert model_cls.from_xml(written) == model


def test_envelope_body_is_bound_and_valid() -> None:
    case = next(c for c in CASES if c.family == "govtalk" and c.valid)
    envelope = GovTalkMessage.from_xml(case.path)
    (message,) = envelope.messages()
    assert isinstance(message, XmlModel)
    body = etree.fromstring(message.to_xml())
    kind = kind_of(etree.ElementTree(body))
    assert lxml_schema(kind).validate(body)
    assert run_business_rules(etree.ElementTree(body), kind) == []
