"""Every public Hypothesis strategy: its output validates, and each "breaks X" raises exactly X.

Strategies are defined in lgstandards.testing.common (shared parts), .epay, .ebenefits
and .vocab (code lists, transactions lists, RDF service catalogues), and re-exported
with the GovTalk envelopes by lgstandards.testing.strategies. Documents are validated
with the full validator: XSD, Schematron and Python rules, vocabulary cross-checks,
SHACL for RDF.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from lgstandards.artefacts.kinds import all_kinds
from lgstandards.codes import registry
from lgstandards.testing import common, ebenefits, epay, valuebill, vocab
from lgstandards.testing import strategies as messages
from lgstandards.validation import validate
from lgstandards.validation.engine import RDF_KIND
from lgstandards.vocab import get_list

FEW = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
#: The modules that define strategies, and the one that re-exports them all.
FAMILIES: tuple[ModuleType, ...] = (common, epay, ebenefits, vocab)
MODULES: tuple[ModuleType, ...] = (*FAMILIES, messages)
DOCUMENTS = messages.MESSAGE_STRATEGIES

#: Registered rules no single drawn document can break alone, and why.
NOT_BREAKABLE_ALONE = {
    # The schemas' PostcodeType and NationalInsuranceNumberType carry the same patterns,
    # so a document breaking the rule also fails xsd.pattern.
    "COM-R014": "xsd.pattern comes with it",
    "COM-R016": "xsd.pattern comes with it",
    # NINO strategies are owned with the NINO rules (administrative prefixes).
    "COM-R017": "not offered by the NINO strategies",
    "BEN-R018": "stateful: needs the register of existing claims",
    # Off unless a validation profile asks for the GovTalk restricted character set.
    "COM-R019": "needs Profile(restricted_charset=True)",
    # The Valuebill schema needs the code and refuses zero (CustodianCodeType from 1).
    "VB-R007": "xsd.range or xsd.missing-element comes with it",
}


def _generated(kind: str) -> bool:
    """Tell whether lgstandards generates documents of ``kind`` (not third-party ISO 20022)."""
    return not kind.startswith("iso20022.")


def _codes(document: Any, kind: str | None) -> set[str]:
    """Validate a drawn document (model or text); ``kind`` None detects it from the root."""
    data = document.to_xml() if hasattr(document, "to_xml") else document.encode("utf-8")
    report = validate(data, kind=kind)
    if kind is not None:
        assert report.kind == kind
    return {issue.code for issue in report.issues if issue.severity.value != "info"}


def _issues(document: Any, kind: str | None) -> list[str]:
    data = document.to_xml() if hasattr(document, "to_xml") else document.encode("utf-8")
    return [i.format() for i in validate(data, kind=kind).issues]


def test_every_document_kind_has_a_strategy() -> None:
    catalogued = {k for k, spec in all_kinds().items() if spec.from_catalogue and _generated(k)}
    assert catalogued | {RDF_KIND} <= set(DOCUMENTS)
    families = {
        **epay.STRATEGIES,
        **ebenefits.STRATEGIES,
        **vocab.STRATEGIES,
        **valuebill.STRATEGIES,
    }
    assert set(DOCUMENTS) == {*families, "govtalk.envelope"}


def test_every_rule_a_document_can_break_has_a_breaking_strategy() -> None:
    """Every rule but those listed above and the stateful ones (checked only across
    messages, by an exchange: the registry marks them ``stateful``)."""
    codes = registry()
    rules = {code.removeprefix("rule.") for code in codes if code.startswith("rule.")}
    across = {code.removeprefix("rule.") for code, entry in codes.items() if entry.stateful}
    breakable = {rule for rules in messages.BREAKABLE.values() for rule in rules}
    assert set(NOT_BREAKABLE_ALONE) <= rules
    assert across.isdisjoint(breakable)
    assert rules - set(NOT_BREAKABLE_ALONE) - across == {r for r in breakable if "." not in r}


def test_breakable_tables_are_merged_and_name_real_strategies() -> None:
    merged: dict[str, tuple[str, ...]] = {}
    for module in (epay, ebenefits, vocab, valuebill):
        assert not set(module.BREAKABLE) & set(merged), module.__name__
        merged.update(module.BREAKABLE)
        for name in module.BREAKABLE:
            assert getattr(messages, name) is getattr(module, name)
    assert {k: v for k, v in messages.BREAKABLE.items() if k != "govtalk_envelopes"} == merged
    for name, rules in messages.BREAKABLE.items():
        assert rules, name
        with pytest.raises(ValueError, match="cannot break"):
            getattr(messages, name)(breaks="NOT-A-RULE")


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_generated_documents_validate(kind: str) -> None:
    @FEW
    @given(DOCUMENTS[kind])
    def check(document: Any) -> None:
        assert _codes(document, kind) == set(), _issues(document, kind)

    check()


def _breaking() -> Iterator[Any]:
    """Every entry of the merged BREAKABLE table (RDF by its kind, XML kinds detected)."""
    for name, rules in messages.BREAKABLE.items():
        factory = getattr(messages, name)
        kind = RDF_KIND if factory is vocab.service_catalogues else None
        for rule in rules:
            code = rule if "." in rule else f"rule.{rule}"
            yield pytest.param(kind, factory(breaks=rule), code, id=f"{name}-{rule}")


def test_every_breakable_entry_is_exercised() -> None:
    exercised = [p.id for p in _breaking()]
    assert len(exercised) == sum(len(rules) for rules in messages.BREAKABLE.values())
    assert len(set(exercised)) == len(exercised)


@pytest.mark.parametrize(("kind", "strategy", "code"), list(_breaking()))
def test_breaking_strategy_raises_exactly_its_rule(
    kind: str | None, strategy: SearchStrategy[Any], code: str
) -> None:
    @settings(FEW, max_examples=5)
    @given(strategy)
    def check(document: Any) -> None:
        assert _codes(document, kind) == {code}, _issues(document, kind)

    check()


# ------------------------------------------------------------------------ code lists

TRANSACTIONS = (
    '<tx:CouncilTransactions xmlns:tx="urn:lgstandards:transactions:1" SchemaVersion="1.0">'
    "<tx:Council>W99999999</tx:Council><tx:Published>2026-04-01</tx:Published>"
    "<tx:Link><tx:LGSL>{lgsl}</tx:LGSL><tx:LGIL>{lgil}</tx:LGIL>"
    "<tx:Url>https://www.example.org/services/{lgsl}/{lgil}</tx:Url></tx:Link>"
    "</tx:CouncilTransactions>"
)
CATALOGUE = (
    "@prefix schema: <http://schema.org/> .\n"
    "<https://council.example.org/services/s> a schema:GovernmentService ;\n"
    '    schema:name "A service" ;\n'
    "    schema:additionalType <http://id.esd.org.uk/service/{lgsl}> ;\n"
    "    schema:availableChannel <https://council.example.org/channels/c> .\n"
    "<https://council.example.org/channels/c> a schema:ServiceChannel ;\n"
    "    schema:additionalType <http://id.esd.org.uk/interaction/{lgil}> .\n"
)


def _in_message(lgsl: int = 57, lgil: int = 8) -> set[str]:
    return _codes(TRANSACTIONS.format(lgsl=int(lgsl), lgil=int(lgil)), "transactions.council-list")


def _in_catalogue(lgsl: int = 57, lgil: int = 8) -> set[str]:
    return _codes(CATALOGUE.format(lgsl=int(lgsl), lgil=int(lgil)), RDF_KIND)


@FEW
@given(vocab.lgsl_codes(), vocab.lgil_codes())
def test_codes_in_force_validate(lgsl: int, lgil: int) -> None:
    assert _in_message(lgsl, lgil) == set()


@FEW
@given(vocab.transactions(), vocab.transactions(published=False))
def test_transactions_validate(published: Any, other: Any) -> None:
    assert published.published
    assert _in_message(published.service, published.interaction) == set()
    assert _in_message(other.service, other.interaction) == set()


@FEW
@given(vocab.unknown_lgsl_codes())
def test_unknown_lgsl_codes_break_exactly_the_cross_check(code: int) -> None:
    assert _in_message(lgsl=code) == {vocab.BREAKS["unknown_lgsl_codes"]}
    assert _in_catalogue(lgsl=code) == {vocab.BREAKS["unknown_lgsl_codes"]}


@FEW
@given(vocab.unofficial_lgsl_codes())
def test_unofficial_lgsl_codes_warn(code: int) -> None:
    assert _in_message(lgsl=code) == {vocab.BREAKS["unofficial_lgsl_codes"]}
    assert _in_catalogue(lgsl=code) == {vocab.BREAKS["unofficial_lgsl_codes"]}


@FEW
@given(vocab.unknown_lgil_codes())
def test_unknown_lgil_codes_break_exactly_the_cross_check(code: int) -> None:
    # Message schemas already refuse these (LGILCodeType); catalogues reach the cross-check.
    assert _in_catalogue(lgil=code) == {vocab.BREAKS["unknown_lgil_codes"]}
    assert "vocab.unknown-code" not in _in_message(lgil=code) - {"xsd.pattern"}


@pytest.mark.parametrize(
    ("strategy", "list_name", "position"),
    [
        (vocab.deprecated_lgsl_codes, "lgsl", "lgsl"),
        (vocab.deprecated_lgil_codes, "lgil", "lgil"),
    ],
)
def test_deprecated_codes_warn_or_the_strategy_is_empty(
    strategy: Any, list_name: str, position: str
) -> None:
    deprecated = [c.code for c in get_list(list_name) if c.deprecated]
    if not deprecated:
        assert strategy().is_empty
        return

    @FEW
    @given(strategy())
    def check(code: int) -> None:
        assert code in deprecated
        found = _in_catalogue(**{position: code})
        assert found == {vocab.BREAKS[strategy.__name__]}

    check()


@pytest.mark.parametrize("name", ["lgsl", "lgil", "functions", "lgnl", "tiers"])
def test_list_codes_are_codes_of_the_list(name: str) -> None:
    listed = get_list(name)

    @FEW
    @given(vocab.list_codes(name))
    def check(code: int) -> None:
        assert listed.lookup(code).code == code

    check()


@FEW
@given(vocab.function_codes(), vocab.lgnl_codes(), vocab.tier_codes())
def test_named_list_strategies(function: int, heading: int, tier: int) -> None:
    assert function in get_list("functions")
    assert heading in get_list("lgnl")
    assert tier in get_list("tiers")


def test_breaks_table_names_real_strategies() -> None:
    for name, code in vocab.BREAKS.items():
        assert isinstance(getattr(vocab, name)(), SearchStrategy)
        assert code.startswith("vocab.")
    with pytest.raises(ValueError, match="cannot break"):
        vocab.service_catalogues(breaks="rule.BEN-R001")


# ------------------------------------------------------------------ every public name


def _public_strategies() -> Iterator[Any]:
    for module in MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, SearchStrategy):
                yield pytest.param(value, id=f"{module.__name__}.{name}")
            elif callable(value) and not isinstance(value, type):
                try:
                    made = value()
                except TypeError:
                    continue
                if isinstance(made, SearchStrategy):
                    yield pytest.param(made, id=f"{module.__name__}.{name}()")


@pytest.mark.parametrize("strategy", list(_public_strategies()))
def test_every_public_strategy_draws(strategy: SearchStrategy[Any]) -> None:
    if strategy.is_empty:
        return

    @settings(FEW, max_examples=3)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        value = data.draw(strategy)
        assert value is not None

    check()


def test_strategies_module_offers_every_message_type_and_code_list() -> None:
    """lgstandards.testing.strategies is the one place suppliers look for strategies."""
    module = importlib.import_module("lgstandards.testing.strategies")
    catalogued = {k for k, spec in all_kinds().items() if spec.from_catalogue and _generated(k)}
    missing_kinds = sorted((catalogued | {RDF_KIND}) - set(module.MESSAGE_STRATEGIES))
    wanted = [n for family in FAMILIES for n in family.__all__ if n[:1].islower()]
    missing_names = [name for name in wanted if name not in module.__all__]
    assert (missing_kinds, missing_names) == ([], [])


def test_a_public_name_means_one_thing_in_every_testing_module() -> None:
    """No two strategy modules give a public name to different objects."""
    owners: dict[str, tuple[str, Any]] = {}
    for module in MODULES:
        for name in module.__all__:
            value = getattr(module, name)
            if name in owners and name not in ("BREAKABLE", "STRATEGIES"):
                first, seen = owners[name]
                assert value is seen, f"{name}: {first} and {module.__name__} differ"
            owners.setdefault(name, (module.__name__, value))
    for name in ("headers", "person_names", "addresses", "postcodes", "money", "text"):
        for module in MODULES:
            value = getattr(module, name, None)
            assert value is None or value is getattr(common, name), (module.__name__, name)
