"""Property tests: generated messages validate and round-trip; mutated documents are
accepted by the model exactly when the schema accepts them."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from lgstandards.artefacts.catalogue import kind_for
from lgstandards.artefacts.schemas import lxml_schema
from lgstandards.models import model_for_kind
from lgstandards.report import Severity
from lgstandards.testing.strategies import MESSAGE_STRATEGIES
from lgstandards.validation.svrl import run_business_rules

KINDS = sorted(
    k for k in MESSAGE_STRATEGIES if k.split(".")[0] in {"epay", "transactions", "govtalk"}
)
PROFILE = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def _compile_once() -> None:
    for kind in KINDS:
        lxml_schema(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_generated_messages_validate_and_round_trip(kind: str) -> None:
    schema = lxml_schema(kind)
    model_cls = model_for_kind(kind)

    @PROFILE
    @given(MESSAGE_STRATEGIES[kind])
    def check(message: Any) -> None:
        xml = message.to_xml()
        tree = etree.ElementTree(etree.fromstring(xml))
        assert schema.validate(tree), schema.error_log.last_error
        errors = [i for i in run_business_rules(tree, kind) if i.severity is Severity.ERROR]
        assert errors == []
        again = model_cls.from_xml(xml)
        assert again == message
        assert again.to_xml() == xml

    check()


def test_generated_envelope_bodies_validate() -> None:
    @PROFILE
    @given(MESSAGE_STRATEGIES["govtalk.envelope"])
    def check(envelope: Any) -> None:
        (message,) = envelope.messages()
        body = etree.fromstring(message.to_xml())
        kind = kind_for(etree.QName(body).namespace, etree.QName(body).localname)
        assert kind is not None
        assert lxml_schema(kind).validate(body)

    check()


ALTERED = [
    "",
    "x",
    "-1",
    "0",
    "1",
    "+5",
    "0.5",
    "12.345",
    "1e3",
    "12.50",
    "GBP",
    "yes",
    "cy",
    "PAYMENT",
    "2026-02-30",
    "2026-04-01",
    "2026-04-01T09:30:00Z",
    "AA9A 9AA",
    "aa9a9aa",
    "W99999999",
    "ÿ Siân",
    " padded ",
    "a" * 300,
    "https://example.org/x",
    "35",
]


@st.composite
def mutations(draw: Any, kind: str) -> tuple[bytes, str]:
    message = draw(MESSAGE_STRATEGIES[kind])
    root = etree.fromstring(message.to_xml())
    body = "{http://www.govtalk.gov.uk/CM/envelope}Body"
    elements = [
        e
        for e in root.iter()
        if e is not root
        and isinstance(e.tag, str)
        and not any(a.tag == body for a in e.iterancestors())  # Body: validated on its own
    ]
    target = draw(st.sampled_from(elements))
    action = draw(st.sampled_from(["drop", "duplicate", "alter"]))
    parent = target.getparent()
    if action == "drop":
        parent.remove(target)
    elif action == "duplicate":
        target.addnext(copy.deepcopy(target))
    else:
        leaves = [e for e in elements if len(e) == 0]
        leaf = draw(st.sampled_from(leaves))
        leaf.text = draw(st.sampled_from(ALTERED))
        action = f"alter {etree.QName(leaf).localname}={leaf.text!r}"
    return etree.tostring(root), f"{action} {etree.QName(target).localname}"


@pytest.mark.parametrize("kind", KINDS)
def test_model_and_schema_agree_on_mutated_documents(kind: str) -> None:
    schema = lxml_schema(kind)
    model_cls = model_for_kind(kind)

    @settings(PROFILE, max_examples=40)
    @given(mutations(kind))
    def check(mutated: tuple[bytes, str]) -> None:
        data, what = mutated
        schema_ok = schema.validate(etree.fromstring(data))
        try:
            model_cls.from_xml(data)
            model_ok = True
        except ValidationError:
            model_ok = False
        assert model_ok == schema_ok, (what, str(schema.error_log.last_error))

    check()
