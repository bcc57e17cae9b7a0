"""Every business rule of the artefacts is a registered issue code, with both languages.

The registry (``lgstandards.codes``) is built from the rule declarations; these tests
read the artefacts themselves, with their own readers: the Schematron files (lxml on
``schemas/**/*.sch``), the ``python_rule`` registrations in the rule modules' source
(``ast``), the stateful rules the exchange's rule module declares (``STATEFUL_RULES``
in its source, ``ast``), the rule table of the domain notes (external: skipped when absent) and the
codes the examples' manifests expect.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from example_cases import manifest_cases
from lxml import etree
from testsupport import DOMAIN, REPO

import lgstandards.exchange.rules
import lgstandards.rules
from lgstandards.codes import CODE_PATTERN, registry

SCH = "http://purl.oclc.org/dsdl/schematron"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RULE_ID = re.compile(r"[A-Z]+-R[0-9]{3}")
#: Rule families that are lgstandards' own, not the domain notes' (the transactions lists).
OWN_FAMILIES = ("TX-",)


def _schematron_rules() -> dict[str, tuple[str, bool]]:
    """Rule id -> (severity, has a Welsh diagnostic), from every shipped ``.sch`` file."""
    found: dict[str, tuple[str, bool]] = {}
    for path in sorted((REPO / "schemas").rglob("*.sch")):
        root = etree.parse(str(path)).getroot()
        welsh = {
            d.get("id")
            for d in root.iter(f"{{{SCH}}}diagnostic")
            if d.get(XML_LANG, "").startswith("cy") and "".join(d.itertext()).strip()
        }
        for check in root.iter(f"{{{SCH}}}assert", f"{{{SCH}}}report"):
            rule_id = check.get("id")
            if rule_id:
                has_cy = bool(set((check.get("diagnostics") or "").split()) & welsh)
                found[rule_id] = ((check.get("role") or "error").lower(), has_cy)
    return found


def _python_rules() -> set[str]:
    """Rule ids of every ``@python_rule(...)`` in the rule modules' source.

    Their severities and texts are declared in the registry's table of Python rules
    (``codes._rules.PYTHON_RULES``): the domain notes' table checks those (external).
    """
    found: set[str] = set()
    for path in sorted(Path(lgstandards.rules.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "python_rule"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found.add(str(node.args[0].value))
    return found


def _stateful_source() -> ast.Module:
    path = Path(lgstandards.exchange.rules.__file__)
    return ast.parse(path.read_text(encoding="utf-8"))


def _stateful_rules() -> set[str]:
    """Rule ids the exchange's rule module declares: the keys of ``STATEFUL_RULES = {...}``.

    Their templates are declared in the registry's exchange area (``codes._exchange``).
    """
    for node in ast.walk(_stateful_source()):
        if (
            isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "STATEFUL_RULES" for t in node.targets)
            and isinstance(node.value, ast.Dict)
        ):
            return {str(k.value) for k in node.value.keys if isinstance(k, ast.Constant)}
    return set()


def _stateful_findings() -> set[str]:
    """Rule ids the exchange's rules find: the first argument of every ``ctx.find("...")``."""
    return {
        str(node.args[0].value)
        for node in ast.walk(_stateful_source())
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "find"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and RULE_ID.fullmatch(node.args[0].value)
    }


def _registered_rules() -> dict[str, str]:
    return {
        code.removeprefix("rule."): entry.severity.value
        for code, entry in registry().items()
        if code.startswith("rule.")
    }


def test_the_artefacts_declare_rules() -> None:
    assert len(_schematron_rules()) >= 30
    assert len(_python_rules()) >= 10
    assert len(_stateful_rules()) >= 10


def test_the_registered_rules_are_exactly_those_the_artefacts_declare() -> None:
    declared = set(_schematron_rules()) | _python_rules() | _stateful_rules()
    assert set(_registered_rules()) == declared


def test_the_exchange_finds_exactly_its_declared_rules() -> None:
    assert _stateful_findings() == _stateful_rules()


def test_every_stateful_rule_has_stateful_templates_and_the_right_scope() -> None:
    """A rule only the exchange checks is ``stateful``; an id shared with a per-document
    rule keeps that rule's entry and gains the exchange's templates (``EXTENDS``)."""
    per_document = set(_schematron_rules()) | _python_rules()
    codes = registry()
    for rule_id in _stateful_rules():
        entry = codes[f"rule.{rule_id}"]
        assert entry.stateful_template, rule_id
        assert entry.stateful_template_cy, rule_id
        assert entry.stateful is (rule_id not in per_document), rule_id
    for code, entry in codes.items():
        if code.startswith("bank."):  # bank reconciliation: findings of the ledger, not rules
            continue
        if entry.stateful or entry.stateful_template is not None:
            assert code.removeprefix("rule.") in _stateful_rules(), code


def test_no_rule_id_is_both_schematron_and_python() -> None:
    assert set(_schematron_rules()).isdisjoint(_python_rules())


def test_each_registered_rule_has_the_declared_severity() -> None:
    registered = _registered_rules()
    for rule_id, (severity, _welsh) in _schematron_rules().items():
        assert registered[rule_id] == severity, rule_id


def test_every_schematron_rule_has_a_welsh_diagnostic() -> None:
    missing = [rule_id for rule_id, (_s, welsh) in _schematron_rules().items() if not welsh]
    assert missing == []


def test_every_registered_rule_code_is_well_formed_and_bilingual() -> None:
    for code, entry in registry().items():
        if code.startswith("rule."):
            assert CODE_PATTERN.match(code)
            assert RULE_ID.fullmatch(code.removeprefix("rule."))
            assert entry.description.strip(), code
            assert (entry.description_cy or "").strip(), code


@pytest.mark.external
def test_every_registered_rule_is_in_the_domain_rule_table() -> None:
    if not DOMAIN.is_file():
        pytest.skip(f"domain notes not found at {DOMAIN} (set LGSTANDARDS_SHARED)")
    table: dict[str, str] = {}
    for line in DOMAIN.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and RULE_ID.fullmatch(cells[0]):
            table[cells[0]] = cells[1]
    assert len(table) >= 60
    for rule_id, severity in _registered_rules().items():
        if rule_id.startswith(OWN_FAMILIES):
            assert rule_id not in table, rule_id
            continue
        assert rule_id in table, rule_id
        # "cfg": the severity is configured per document kind (error or warning).
        assert table[rule_id] in (severity, "cfg"), (rule_id, table[rule_id], severity)


def test_every_manifest_code_is_registered() -> None:
    codes = registry()
    for case in manifest_cases("epay", "govtalk", "transactions"):
        for code in case.codes:
            if code.startswith("rule."):
                assert code in codes, f"{case.id}: {code}"


def test_every_python_rule_describes_itself_in_both_languages() -> None:
    """A description says what the rule checks: it is not a message template with holes."""
    from lgstandards.codes._rules import PYTHON_RULES

    for entry in PYTHON_RULES:
        for description, template in (
            (entry.description, entry.template),
            (entry.description_cy, entry.template_cy),
        ):
            assert description, entry.code
            assert description != template, entry.code
            assert not re.search(r"\{[a-z_]+\}", description), (entry.code, description)
        assert entry.description_cy != entry.description, entry.code


def test_every_description_reads_as_words_not_xpath() -> None:
    """Descriptions (SARIF rules, the codes page) show "..." for values, never a select.

    A Schematron message's ``value-of`` becomes "..." in the description; the message
    an issue carries still gives the value.
    """
    for code, entry in registry().items():
        for text in (entry.description, entry.description_cy or ""):
            assert "{" not in text, (code, text)
            assert "}" not in text, (code, text)
    entry = registry()["rule.COM-R008"]
    assert entry.description == "The trailer says ... records but the batch has ...."
