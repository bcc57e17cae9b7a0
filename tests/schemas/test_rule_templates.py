"""The rules' messages live in the registry: templates match what the rules pass.

Every ``rule.*`` code is a Schematron rule (texts in its ``.sch``), a registered
Python rule with English and Welsh message templates, or a stateful rule (the
exchange's) with English and Welsh stateful templates, or both of the first and the
last. Each Python rule runs on every example and on documents made to raise each rule
in each of its forms, each stateful rule on the exchange cases, and every finding's
parameters fill both templates exactly: no parameter missing (a KeyError), none left
unused, no brace left in the text.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from string import Formatter
from typing import Any

import pytest
from example_cases import documents as parts
from lxml import etree
from test_rule_welsh import ALL_RULES, documents

from lgstandards.artefacts.catalogue import rule_files
from lgstandards.artefacts.declarations import declared_rules
from lgstandards.artefacts.kinds import spec_for_kind
from lgstandards.codes import IssueCode, get, registry
from lgstandards.conformance import exchange_cases
from lgstandards.exchange import STATEFUL_RULES, Exchange
from lgstandards.rules import python_rules, rules_for
from lgstandards.rules.ebenefits import claims_register
from lgstandards.validation.govtalk import without_body


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(template) if name is not None}


def test_every_python_rule_has_english_and_welsh_templates() -> None:
    for rule in python_rules().values():
        entry = get(rule.code)
        assert entry.template, rule.code
        assert entry.template_cy, rule.code
        assert (rule.message_en, rule.message_cy) == (entry.template, entry.template_cy)
        assert rule.severity is entry.severity


STATEFUL_CODES = frozenset(f"rule.{rule}" for rule in STATEFUL_RULES)


def test_every_rule_code_is_a_schematron_rule_or_has_templates() -> None:
    in_sch = {rule.code for path in rule_files() for rule in declared_rules(path)}
    in_python = {rule.code for rule in python_rules().values()}
    for code, entry in registry().items():
        if not code.startswith("rule."):
            continue
        if code in STATEFUL_CODES:
            assert entry.stateful_template, f"{code} has no English stateful template"
            assert entry.stateful_template_cy, f"{code} has no Welsh stateful template"
        else:
            assert entry.stateful_template is None, f"{code}: no exchange checks it"
        if code in in_sch:
            assert code not in in_python, code
            assert entry.template is None, f"{code}: its texts are the .sch's"
        elif code in in_python:
            assert entry.template, f"{code} has no English message template"
            assert entry.template_cy, f"{code} has no Welsh message template"
        else:
            assert code in STATEFUL_CODES, f"{code} is no rule's"
            assert entry.template is None, f"{code}: only its stateful templates apply"


def _twins_in_the_right_language(code: str, english_text: str, welsh_text: str) -> None:
    english, welsh = _fields(english_text), _fields(welsh_text)
    assert not {name for name in english if name.endswith("_cy")}, code
    for name in welsh:
        if name.endswith("_cy"):
            assert name[:-3] in english, (code, name)
        else:
            assert f"{name}_cy" not in english | welsh, (code, name)


def test_a_welsh_twin_is_used_by_the_welsh_template_only() -> None:
    """``reason`` goes to English, ``reason_cy`` to Welsh: never a twin in the wrong language."""
    for rule in python_rules().values():
        entry = get(rule.code)
        _twins_in_the_right_language(rule.code, entry.template or "", entry.template_cy or "")
    for code in STATEFUL_CODES:
        entry = get(code)
        english, welsh = entry.templates(stateful=True)
        _twins_in_the_right_language(code, english or "", welsh or "")


def _findings(data: bytes) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every Python rule's finding on a document (its envelope and bodies apart)."""
    tree = etree.ElementTree(etree.fromstring(data))
    for document, kind in parts(tree):
        spec = spec_for_kind(kind)
        root = document.getroot()
        if spec is not None and spec.body_classes:
            root = without_body(root, spec)
        for rule in rules_for(kind):
            scope = document.getroot() if rule.whole else root  # whole: with the body
            with claims_register(set()):
                for _element, params in rule.findings(scope, profile=ALL_RULES):
                    yield rule.code, dict(params)


@cache
def _all_findings() -> tuple[tuple[str, str, dict[str, Any]], ...]:
    return tuple(
        (name, code, params)
        for name, data in sorted(documents().items())
        for code, params in _findings(data)
    )


def test_the_documents_raise_every_python_rule() -> None:
    """So that every template below is filled with a rule's real parameters."""
    assert {code for _, code, _ in _all_findings()} == {r.code for r in python_rules().values()}


@pytest.mark.parametrize("name", sorted(documents()))
def test_templates_take_exactly_the_parameters_the_rule_passes(name: str) -> None:
    for where, code, params in _all_findings():
        if where != name:
            continue
        _filled_exactly(get(code), params, stateful=False)


# ------------------------------------------------------------------ the stateful rules
def _filled_exactly(entry: IssueCode, params: dict[str, Any], *, stateful: bool) -> None:
    code = entry.code
    assert entry.parameters(stateful=stateful) == set(params), f"{code}: {sorted(params)}"
    english, welsh = entry.texts(stateful=stateful, **params)  # no KeyError, no IndexError
    assert english
    assert welsh
    bare_en, bare_cy = entry.texts(stateful=stateful, **dict.fromkeys(params, ""))
    for text in (bare_en, bare_cy or ""):
        assert "{" not in text, f"{code}: braces left in {text!r}"
        assert "}" not in text, f"{code}: braces left in {text!r}"


@cache
def _stateful_findings() -> tuple[tuple[str, str, dict[str, Any]], ...]:
    """Every stateful finding of the exchange cases: (case, code, the parameters passed)."""
    import lgstandards.exchange.rules as stateful

    found: list[tuple[str, str, dict[str, Any]]] = []
    made = stateful.issue

    def recording(code: str, params: Any = None, /, **kwargs: Any) -> Any:
        assert kwargs.get("stateful") is True, code
        found.append((current, code, dict(params or {})))
        return made(code, params, **kwargs)

    stateful.issue = recording  # type: ignore[assignment]
    try:
        for case in exchange_cases():
            current = case.name
            with Exchange(sender=case.sender, profile=case.profile) as exchange:
                for message in case.messages:
                    exchange.check(message.path)
    finally:
        stateful.issue = made
    return tuple(found)


def test_the_exchange_cases_raise_every_stateful_rule() -> None:
    """So that every stateful template below is filled with a rule's real parameters."""
    assert {code for _, code, _ in _stateful_findings()} == STATEFUL_CODES


@pytest.mark.parametrize("rule", sorted(STATEFUL_RULES))
def test_stateful_templates_take_exactly_the_parameters_the_rule_passes(rule: str) -> None:
    entry = get(f"rule.{rule}")
    passed = [params for _, code, params in _stateful_findings() if code == entry.code]
    assert passed
    for params in passed:
        _filled_exactly(entry, params, stateful=True)
