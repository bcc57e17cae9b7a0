"""Every rule of the standard is accounted for once, and the claims of where it is enforced hold.

A rule is a registered ``rule.<id>`` code, or enforced by another layer
(``lgstandards.rules.coverage.ENFORCED_ELSEWHERE``), or not checked with a reason
(``NOT_IMPLEMENTED``). For each rule enforced elsewhere, a valid example is broken the
way the rule forbids, and validation must find it with one of the codes the coverage
table names (and no finding with a code it does not name).
"""

from __future__ import annotations

import re

import pytest
from testsupport import DOMAIN, REPO

from lgstandards.codes import registry
from lgstandards.rules.coverage import ENFORCED_ELSEWHERE, NOT_IMPLEMENTED
from lgstandards.validation import validate
from lgstandards.validation.vocabcheck import CodeInfo, check_code

RULE_ID = re.compile(r"[A-Z]+-R[0-9]{3}")
EXAMPLES = REPO / "examples"
REQUEST = "epay/valid/payment-request.xml"
COLLECTION = "epay/valid/direct-debit-collection.xml"
TRANSACTIONS = "transactions/valid/council-transactions.xml"
VALUEBILL = "valuebill/valid/CTValid2.xml"

#: (rule, example, text in it, replacement): the example broken the way the rule forbids.
BREAKS = [
    ("COM-R007", REQUEST, 'SchemaVersion="1.0"', 'SchemaVersion="9.0"'),
    (
        "COM-R015",
        REQUEST,
        "<lgc:UPRN>999999999901</lgc:UPRN>",
        "<lgc:UPRN>1999999999901</lgc:UPRN>",
    ),
    ("COM-R015", REQUEST, "<lgc:USRN>99999901</lgc:USRN>", "<lgc:USRN>0</lgc:USRN>"),
    ("COM-R015", REQUEST, "<lgc:USRN>99999901</lgc:USRN>", "<lgc:USRN>100000000</lgc:USRN>"),
    (
        "COM-R018",
        REQUEST,
        "<epay:Amount>125.50</epay:Amount>",
        "<epay:Amount>125.505</epay:Amount>",
    ),
    ("COM-R018", REQUEST, "<epay:Amount>45.00</epay:Amount>", "<epay:Amount>4.5E1</epay:Amount>"),
    (
        "COM-R018",
        REQUEST,
        "<epay:Currency>GBP</epay:Currency>",
        "<epay:Currency>EUR</epay:Currency>",
    ),
    ("COM-R020", TRANSACTIONS, "<tx:LGSL>524</tx:LGSL>", "<tx:LGSL>99999</tx:LGSL>"),
    ("COM-R022", TRANSACTIONS, "<tx:LGSL>524</tx:LGSL>", "<tx:LGSL>100001</tx:LGSL>"),
    ("COM-R023", TRANSACTIONS, "<tx:LGIL>8</tx:LGIL>", "<tx:LGIL>18</tx:LGIL>"),
    ("COM-R023", TRANSACTIONS, "<tx:LGIL>8</tx:LGIL>", "<tx:LGIL>35</tx:LGIL>"),
    ("COM-R024", REQUEST, "<lgc:Language>cy</lgc:Language>", "<lgc:Language>fr</lgc:Language>"),
    (
        "VB-R001",
        VALUEBILL,
        "</CtaxReasonForReport>",
        "</CtaxReasonForReport><NNDRreasonForReport><ReasonForReportCode>01"
        "</ReasonForReportCode></NNDRreasonForReport>",
    ),
    ("VB-R004", VALUEBILL, "<Postcode>EE00 0EE</Postcode>", "<Postcode>EE00 0CE</Postcode>"),
    (
        "VB-R006",
        VALUEBILL,
        "<PropertyPlanReferenceNumber>PLAN1<",
        "<PropertyPlanReferenceNumber>PLAN1-0123456789-0123456789<",
    ),
    (
        "COM-R025",
        COLLECTION,
        "<lgc:SortCode>000000</lgc:SortCode>",
        "<lgc:SortCode>00-00-00</lgc:SortCode>",
    ),
    (
        "COM-R025",
        COLLECTION,
        "<lgc:AccountNumber>00000000</lgc:AccountNumber>",
        "<lgc:AccountNumber>0000000</lgc:AccountNumber>",
    ),
]


def _registered() -> set[str]:
    return {code.removeprefix("rule.") for code in registry() if code.startswith("rule.")}


def test_no_rule_is_accounted_for_twice() -> None:
    registered = _registered()
    assert registered.isdisjoint(ENFORCED_ELSEWHERE)
    assert registered.isdisjoint(NOT_IMPLEMENTED)
    assert set(ENFORCED_ELSEWHERE).isdisjoint(NOT_IMPLEMENTED)
    for rule_id, entry in ENFORCED_ELSEWHERE.items():
        assert RULE_ID.fullmatch(rule_id)
        assert entry.rule_id == rule_id


def test_the_codes_named_are_registered() -> None:
    codes = registry()
    for rule_id, entry in ENFORCED_ELSEWHERE.items():
        assert entry.codes, rule_id
        for code in entry.codes:
            assert code in codes, (rule_id, code)


def test_every_rule_enforced_elsewhere_has_a_breaking_case() -> None:
    tested = {rule_id for rule_id, *_ in BREAKS} | {"COM-R021"}
    assert tested == set(ENFORCED_ELSEWHERE)


@pytest.mark.parametrize(
    ("rule_id", "example", "old", "new"), BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)]
)
def test_a_broken_example_is_found_with_the_named_codes(
    rule_id: str, example: str, old: str, new: str
) -> None:
    original = (EXAMPLES / example).read_text(encoding="utf-8")
    assert old in original
    assert validate(original.encode("utf-8")).ok
    report = validate(original.replace(old, new, 1).encode("utf-8"))
    found = {issue.code for issue in report if issue.severity.value != "info"}
    named = set(ENFORCED_ELSEWHERE[rule_id].codes)
    # A changed amount also unbalances the sale's total (EPAY-R001): not this rule's finding.
    found.discard("rule.EPAY-R001")
    assert found, rule_id
    assert found <= named, (rule_id, found - named)


def test_deprecated_lgsl_codes_are_found_by_the_vocabulary_check() -> None:
    """COM-R021: the shipped LGSL marks no code deprecated, so the check runs on a table."""
    table = {58: CodeInfo(deprecated=True, replaced_by=57)}
    (found,) = check_code("58", "lgsl", lookup=table.get)
    assert found.code in ENFORCED_ELSEWHERE["COM-R021"].codes


@pytest.mark.external
def test_every_rule_of_the_standard_is_accounted_for() -> None:
    if not DOMAIN.is_file():
        pytest.skip(f"domain notes not found at {DOMAIN} (set LGSTANDARDS_SHARED)")
    standard = set()
    for line in DOMAIN.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and RULE_ID.fullmatch(cells[0]):
            standard.add(cells[0])
    assert len(standard) >= 70
    accounted = _registered() | set(ENFORCED_ELSEWHERE) | set(NOT_IMPLEMENTED)
    own = {rule_id for rule_id in accounted if rule_id.startswith("TX-")}
    assert accounted - own == standard
