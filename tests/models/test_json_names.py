"""JSON uses one naming convention, the XML names, and round-trips.

``model_json_schema()`` describes the XML names (``SaleTotal``); ``model_dump_json()``
and ``model_dump(mode="json")`` write them, ``model_validate_json()`` reads them back,
and a message read from JSON writes the same XML. Every generated message of every
kind is checked against its own JSON Schema (``additionalProperties`` is false, so a
key in another convention is an error).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, validators
from pydantic import ValidationError

from lgstandards.artefacts.catalogue import entry_for_kind
from lgstandards.models import epay, govtalk
from lgstandards.testing.strategies import MESSAGE_STRATEGIES

#: Every kind with models (not RDF, nor the third parties' Valuebill, drawn as XML text).
KINDS = sorted(
    k
    for k in MESSAGE_STRATEGIES
    if not k.startswith("rdf.") and entry_for_kind(k).models is not None
)
PROFILE = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

_PATTERN = Draft202012Validator.VALIDATORS["pattern"]


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[Any]:
    try:
        re.compile(pattern)
    except re.error:  # \p{L} and the like: Python's re lacks them (pydantic checked them)
        return
    yield from _PATTERN(validator, pattern, instance, schema)


Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@pytest.mark.parametrize("kind", KINDS)
def test_json_uses_the_xml_names_and_round_trips(kind: str) -> None:
    @PROFILE
    @given(MESSAGE_STRATEGIES[kind])
    def check(message: Any) -> None:
        model = type(message)
        text = message.model_dump_json()
        data = json.loads(text)
        assert message.model_dump(mode="json") == data
        Validator(model.model_json_schema(mode="serialization")).validate(data)
        Validator(model.model_json_schema(mode="validation")).validate(data)
        again = model.model_validate_json(text)
        assert again == message
        assert again.model_dump_json() == text
        assert again.to_xml() == message.to_xml()
        assert model.model_validate(message.model_dump()) == message

    check()


def test_python_callers_may_use_field_names_or_xml_names() -> None:
    by_name = epay.Card(masked_card_number="4444333322221111"[:6] + "******" + "1111")
    by_alias = epay.Card.model_validate({"MaskedCardNumber": by_name.masked_card_number})
    assert by_name == by_alias
    assert by_name.model_dump() == {
        "MaskedCardNumber": by_name.masked_card_number,
        "CardScheme": None,
        "CardType": None,
    }
    with pytest.raises(ValidationError):
        epay.Card.model_validate({"masked_number": "444433******1111"})


def test_body_content_is_xml_text_in_json() -> None:
    query = epay.PaymentStatusQuery.model_validate(
        {
            "Header": {
                "MessageId": "M-1",
                "Created": "2026-04-01T09:00:00Z",
                "Sender": "W99999999",
            },
            "QueryId": "Q-1",
            "GatewayReference": "GW-1",
        }
    )
    envelope = govtalk.GovTalkMessage.wrap(query)
    data = json.loads(envelope.model_dump_json())
    (content,) = data["Body"]["Content"]
    assert content.startswith("<epay:PaymentStatusQuery")
    again = govtalk.GovTalkMessage.model_validate_json(envelope.model_dump_json())
    assert again.messages() == [query]
    for bad in ("not xml", "<unclosed>", "/etc/passwd"):
        with pytest.raises(ValidationError):
            govtalk.Body.model_validate({"Content": [bad]})
