"""Every business-rule id is registered once as an issue code, with both languages."""

from __future__ import annotations

from example_cases import manifest_cases

from lgstandards.artefacts.catalogue import rule_files
from lgstandards.artefacts.declarations import declared_rules
from lgstandards.codes import CODE_PATTERN, registry
from lgstandards.rules import python_rules


def test_schematron_and_python_rules_are_registered_codes() -> None:
    codes = registry()
    for path in rule_files():
        for rule in declared_rules(path):
            assert rule.code in codes, rule.code
            assert CODE_PATTERN.match(rule.code)
            assert rule.message_cy, f"{rule.id} in {path.name} has no Welsh diagnostic"
    for rule in python_rules().values():
        assert rule.code in codes
        assert rule.message_cy


def test_no_rule_id_is_both_schematron_and_python() -> None:
    in_sch = {r.id for p in rule_files() for r in declared_rules(p)}
    assert in_sch.isdisjoint(python_rules())


def test_every_manifest_code_is_registered() -> None:
    codes = registry()
    for case in manifest_cases("epay", "govtalk", "transactions"):
        for code in case.codes:
            if code.startswith("rule."):
                assert code in codes, f"{case.id}: {code}"
