"""The Python rules' messages live in the registry: templates match what the rules pass.

Every ``rule.*`` code is a Schematron rule (texts in its ``.sch``) or a registered
Python rule with English and Welsh message templates. Each Python rule runs on every
example and on documents made to raise each rule in each of its forms, and every
finding's parameters fill both templates exactly: no parameter missing (a KeyError),
none left unused, no brace left in the text.
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
from lgstandards.codes import get, registry
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


def test_every_rule_code_is_a_schematron_rule_or_has_templates() -> None:
    in_sch = {rule.code for path in rule_files() for rule in declared_rules(path)}
    for code, entry in registry().items():
        if not code.startswith("rule."):
            continue
        if code in in_sch:
            assert entry.template is None, f"{code}: its texts are the .sch's"
        else:
            assert entry.template, f"{code} has no English message template"
            assert entry.template_cy, f"{code} has no Welsh message template"
            assert code in {rule.code for rule in python_rules().values()}, code


def test_a_welsh_twin_is_used_by_the_welsh_template_only() -> None:
    """``reason`` goes to English, ``reason_cy`` to Welsh: never a twin in the wrong language."""
    for rule in python_rules().values():
        entry = get(rule.code)
        english, welsh = _fields(entry.template or ""), _fields(entry.template_cy or "")
        assert not {name for name in english if name.endswith("_cy")}, rule.code
        for name in welsh:
            if name.endswith("_cy"):
                assert name[:-3] in english, (rule.code, name)
            else:
                assert f"{name}_cy" not in english | welsh, (rule.code, name)


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
        entry = get(code)
        assert entry.parameters() == set(params), f"{code}: {sorted(params)}"
        english, welsh = entry.texts(**params)  # no KeyError, no IndexError
        assert english
        assert welsh
        bare_en, bare_cy = entry.texts(**dict.fromkeys(params, ""))
        for text in (bare_en, bare_cy or ""):
            assert "{" not in text, f"{code}: braces left in {text!r}"
            assert "}" not in text, f"{code}: braces left in {text!r}"
