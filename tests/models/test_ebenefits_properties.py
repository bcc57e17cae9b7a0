"""Property tests: generated e-Benefits messages validate, round trip, and break rules on demand."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from lgstandards.artefacts.schemas import lxml_schema
from lgstandards.models._xml import XmlModel
from lgstandards.report import Severity
from lgstandards.safexml import XMLInputError
from lgstandards.testing.ebenefits import BREAKABLE, STRATEGIES
from lgstandards.validation import validate
from lgstandards.validation.svrl import run_business_rules

NS = "urn:lgstandards:ebenefits:1"
#: More examples on demand: LGS_EXAMPLES=500 pytest tests/models/test_ebenefits_properties.py
EXAMPLES = int(os.environ.get("LGS_EXAMPLES", "25"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(message: XmlModel, kind: str) -> list[Any]:
    """Write ``message``, validate it (XSD, rules) and return its e-Benefits rule issues."""
    written = message.to_xml()
    tree = etree.ElementTree(etree.fromstring(written))
    schema = lxml_schema(NS)
    assert schema.validate(tree), (schema.error_log, written.decode())
    issues = run_business_rules(tree, kind)
    assert type(message).from_xml(written) == message
    return [i for i in issues if i.code.startswith("rule.BEN-") or i.severity is Severity.ERROR]


@pytest.mark.parametrize("kind", sorted(STRATEGIES))
def test_generated_messages_are_valid_and_round_trip(kind: str) -> None:
    few = settings(FAST, max_examples=max(EXAMPLES // 3, 1)) if "bulk" in kind else FAST

    @few
    @given(STRATEGIES[kind]())
    def check(message: XmlModel) -> None:
        assert _check(message, kind) == []

    check()


_BREAK_CASES = [(strategy, rule) for strategy, rules in sorted(BREAKABLE.items()) for rule in rules]
_KIND = {
    "benefit_claims": "ebenefits.claim",
    "changes_of_circumstances": "ebenefits.change-of-circumstances",
    "evidence_submissions": "ebenefits.evidence-submission",
    "decision_notices": "ebenefits.decision-notice",
}


@pytest.mark.parametrize(("strategy", "rule"), _BREAK_CASES, ids=[r for _, r in _BREAK_CASES])
def test_breaking_a_rule_raises_exactly_that_rule(strategy: str, rule: str) -> None:
    kind = _KIND[strategy]

    @settings(
        max_examples=max(EXAMPLES // 5, 5),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(STRATEGIES[kind](breaks=rule))  # type: ignore[call-arg]
    def check(message: XmlModel) -> None:
        assert [i.code for i in _check(message, kind)] == [f"rule.{rule}"]

    check()


def test_strategies_refuse_rules_they_cannot_break() -> None:
    with pytest.raises(ValueError, match="cannot break"):
        STRATEGIES["ebenefits.claim"](breaks="BEN-R020")  # type: ignore[call-arg]


# ---------------------------------------------------------------- model and schema agree
_NASTY = st.sampled_from(
    [
        "",
        " ",
        "x",
        "0",
        "-1",
        "1.234",
        "2026-02-30",
        "2026-1-1",
        "yes ",
        "HB",
        "AB000001A",
        "ab000001a",
        "AA9A 9AA",
        "P1",
        "1e3",
        "999999999999999",
        "Siân",
        "a" * 101,
        "\u0394",
        "other",
        "12.5",
        "1/2",
        "YQ==",
        "YR==",
        "Y Q = =",
        "YWJj\n ZGVm",
        " YWJj ",
        "YQ=",
        "+05",
        "1.0",
        "P-1 ",
    ]
)


# Bulk files are claims under one header: mutating the claims themselves covers them.
@pytest.mark.parametrize("kind", sorted(set(STRATEGIES) - {"ebenefits.bulk-claims"}))
def test_mutated_documents_model_and_schema_agree(kind: str) -> None:
    @FAST
    @given(STRATEGIES[kind](), st.data())
    def check(message: XmlModel, data: st.DataObject) -> None:
        root = etree.fromstring(message.to_xml())
        targets = [e for e in root.iter() if isinstance(e.tag, str) and (len(e) == 0 or e.attrib)]
        target = data.draw(st.sampled_from(targets))
        value = data.draw(_NASTY)
        attributes = sorted(target.attrib)
        if attributes and (len(target) or data.draw(st.booleans())):
            target.set(data.draw(st.sampled_from(attributes)), value)
        else:
            target.text = value
        written = etree.tostring(root)
        # the validator's XSD layer: libxml2, plus the lexical checks it is too loose for
        schema_ok = not [
            c for c in validate(written, checks=["xsd"]).codes() if c.startswith("xsd.")
        ]
        try:
            type(message).from_xml(written)
            model_ok = True
        except (ValidationError, XMLInputError):
            model_ok = False
        assert schema_ok == model_ok, (target.tag, value)

    check()
