"""Hostile content for the models: ValidationError or XMLInputError, and XML that reads back.

``model_validate_json`` once took a number for raw XML content (TypeError), any text for
a signature or wildcard content (``to_xml`` then raised XMLSyntaxError), and GovTalk text
with characters XML cannot carry (``to_xml`` raised ValueError). Every leaf of every
example's JSON is given each hostile value; ``from_xml`` takes mutated XML. What a model
accepts, it writes as XML that reads back to the same model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hostile_support import EXAMPLES, XML_SEEDS, mutated
from hypothesis import HealthCheck, given, settings
from pydantic import ValidationError

import lgstandards
from lgstandards.models import model_for_kind
from lgstandards.safexml import XMLInputError

#: Values for any JSON leaf: text XML cannot carry, XML that is not the element, other types.
HOSTILE = (
    "a\x00b",
    "a\x01b",
    "a\x0bb",
    "\ufffe",
    "\uffff",
    "a\rb",
    " a\tb\n",
    "",
    "<notxml",
    "<a>x</a>",
    '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
    "<a/><b/>",
    "1e999",
    1.5,
    7,
    -1,
    10**30,
    True,
    None,
    {"a": 1},
    [1],
    [],
)


def _messages() -> dict[Any, list[bytes]]:
    """Return the examples each model reads, by model."""
    found: dict[Any, list[bytes]] = {}
    for path in sorted(EXAMPLES.glob("**/*.xml")):
        kind = lgstandards.validate(path).kind
        try:
            model = model_for_kind(kind) if kind else None
        except (KeyError, LookupError):
            model = None
        if model is None:
            continue
        data = path.read_bytes()
        try:
            model.from_xml(data)
        except (ValidationError, XMLInputError):
            continue  # an example of invalid content
        found.setdefault(model, []).append(data)
    return found


MESSAGES = _messages()
MODELS = sorted(MESSAGES, key=lambda m: m.__name__)


def _leaves(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path


def _replaced(document: Any, path: tuple[str | int, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


def _reads_back(model: Any, message: Any) -> None:
    """Check ``message`` writes XML its model reads back, unchanged when written again."""
    xml = message.to_xml()
    again = model.from_xml(xml)
    assert again.to_xml() == xml


def test_every_model_has_an_example() -> None:
    assert len(MODELS) >= 10, [m.__name__ for m in MODELS]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_hostile_json_values_are_refused_or_written(model: Any) -> None:
    seen: set[tuple[str, ...]] = set()
    for data in MESSAGES[model]:
        document = json.loads(model.from_xml(data).model_dump_json())
        for path in _leaves(document):
            shape = tuple(step for step in path if isinstance(step, str))
            if shape in seen:
                continue
            seen.add(shape)
            for value in HOSTILE:
                text = json.dumps(_replaced(document, path, value))
                try:
                    message = model.model_validate_json(text)
                except ValidationError:
                    continue
                _reads_back(model, message)


NOT_ONE_ELEMENT = (1.5, 7, True, {"a": 1}, [1], "text", "<a", "<a/><b/>", HOSTILE[10])
ELEMENTS = ("<a>x</a>", b"<x/>", "\ufeff  <a xmlns='urn:x'/>")


def _builders() -> list[Any]:
    from lgstandards.models.govtalk import Authentication, Body, GatewayAdditions

    return [
        lambda v: Authentication(method="W3Csigned", signature=v),
        lambda v: Body(content=[v]),
        lambda v: GatewayAdditions(content=[v]),
    ]


@pytest.mark.parametrize("value", NOT_ONE_ELEMENT, ids=repr)
def test_raw_and_wildcard_content_that_is_not_one_element_is_refused(value: Any) -> None:
    for build in _builders():
        with pytest.raises(ValidationError):
            build(value)


@pytest.mark.parametrize("value", ELEMENTS, ids=repr)
def test_raw_and_wildcard_content_is_one_element_written_as_given(value: Any) -> None:
    signature, body, additions = _builders()
    with pytest.raises(ValidationError, match="Signature"):
        signature(value)  # not an XML-DSig Signature
    for made in (body(value), additions(value)):
        written = made.to_element()
        assert len(written) == 1
        assert written[0].tag.rpartition("}")[2] in ("a", "x")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(XML_SEEDS))
def test_from_xml_of_mutated_xml(data: bytes) -> None:
    for model in MODELS:
        try:
            message = model.from_xml(data)
        except (ValidationError, XMLInputError):
            continue
        _reads_back(model, message)
