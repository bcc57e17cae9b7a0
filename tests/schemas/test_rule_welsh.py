"""Every word of a Welsh rule message is Welsh: no English wording comes in through a parameter.

A rule message is a template with parameters. Values copied from the document (codes,
references, dates, names) and element names are the same in both languages; anything
else a rule puts into a parameter (an age group, a reason, a field's description) must
be given in Welsh in the Welsh message. The check: the English words in the parameters
of the English message, less the document's own words and element names, appear nowhere
in the Welsh message. It runs on every example and on documents made to raise each
Python rule in each of its forms.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

import pytest
from lxml import etree
from testsupport.signing import sign

from lgstandards._resources import examples_root, schemas_root
from lgstandards.artefacts.declarations import declared_rules
from lgstandards.report import Issue
from lgstandards.rules import python_rules
from lgstandards.rules.ebenefits import claims_register
from lgstandards.validation import validate
from lgstandards.validation.profile import Profile

FAMILIES = ("epay", "ebenefits", "transactions", "govtalk")
#: Proper names, the same in English and Welsh.
PROPER_NAMES = frozenset({"luhn"})
#: A profile with every rule on: COM-R019 (the GovTalk restricted character set) is off by
#: default, and the Welsh names of the examples raise it here.
ALL_RULES = Profile(restricted_charset=True)
_WORD = re.compile(r"\b[A-Za-z]+\b")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_SPACES = re.compile(r"\s+")


def _example(name: str) -> bytes:
    return (examples_root() / name).read_bytes()


def _replace(data: bytes, *pairs: tuple[str, str]) -> bytes:
    for old, new in pairs:
        assert old.encode() in data, old
        data = data.replace(old.encode(), new.encode(), 1)
    return data


def made_documents() -> dict[str, bytes]:
    """Documents that raise each Python rule in each of its forms (fake data)."""
    request = _example("epay/valid/payment-request.xml")
    claim = _example("ebenefits/invalid/claim-backdated-without-request.xml")
    return {
        "EPAY-R006 pattern": _replace(request, ("500000018", "60000001")),
        "EPAY-R006 luhn": _replace(request, ("200000016", "200000017")),
        "EPAY-R008 security codes": _replace(
            request,
            (
                "</epay:SaleTotal>",
                "</epay:SaleTotal><epay:CVV>123</epay:CVV>"
                "<epay:SecurityCode>123</epay:SecurityCode>",
            ),
        ),
        "COM-R010 funds": _replace(
            _example("epay/valid/reconciliation-batch.xml"),
            ("<epay:RecordCount>1</epay:RecordCount>", "<epay:RecordCount>3</epay:RecordCount>"),
            (
                "<epay:TotalGross>35.00</epay:TotalGross>",
                "<epay:TotalGross>36.00</epay:TotalGross>",
            ),
            ("<epay:TotalNet>159.35</epay:TotalNet>", "<epay:TotalNet>158.00</epay:TotalNet>"),
        ),
        "BEN-R007 pension age": _replace(
            claim,
            (
                "<ben:BirthDate>1985-03-14</ben:BirthDate>",
                "<ben:BirthDate>1940-03-14</ben:BirthDate>",
            ),
            ("<ben:DateOfClaim>2026-09-01", "<ben:DateOfClaim>2026-01-05"),
        ),
        "BEN-R022 size and digest": _replace(
            _example("ebenefits/invalid/evidence-size-mismatch.xml"),
            ("f119644bf9401524777f3d291e6ec3a42dbe251d908287c715d048ddee9e3a8e", "0" * 64),
        ),
        "COM-R016 COM-R017 NINO": _replace(
            claim,
            ("AB000001A", "CR000001A"),
            ("AB000002B", "AB000002E"),
        ),
        "COM-R013 signature": _replace(
            sign(_example("govtalk/valid/envelope-payment-request.xml")),
            ("<epay:SaleTotal>170.50</epay:SaleTotal>", "<epay:SaleTotal>170.55</epay:SaleTotal>"),
        ),
        "COM-R005 timestamp": _replace(
            _example("govtalk/valid/envelope-payment-request.xml"),
            (
                "</gt:TransactionID>",
                "</gt:TransactionID><gt:GatewayTimestamp>2026-04-01T10:30:00+01:00"
                "</gt:GatewayTimestamp>",
            ),
        ),
    }


def documents() -> dict[str, bytes]:
    """Every example of the message families, and the made documents."""
    found = {
        str(path.relative_to(examples_root())): path.read_bytes()
        for family in FAMILIES
        for path in sorted((examples_root() / family).glob("*/*.xml"))
    }
    found.update(made_documents())
    return found


@cache
def templates() -> dict[str, str]:
    """Every rule's English message template by code (Schematron and Python rules)."""
    found = {
        rule.code: rule.message_en
        for path in sorted(schemas_root().glob("*/*.sch"))
        for rule in declared_rules(path)
    }
    found.update((rule.code, rule.message_en) for rule in python_rules().values())
    return found


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def parameters(template: str, message: str) -> list[str]:
    """Return the parameter values of ``message``, an English message made from ``template``."""
    literal = _PLACEHOLDER.split(_normal(template))
    match = re.fullmatch("(.*?)".join(re.escape(part) for part in literal), _normal(message))
    assert match is not None, f"{message!r} is not made from {template!r}"
    return list(match.groups())


def document_words(data: bytes) -> set[str]:
    """The words of a document's values and attributes, and its element names."""
    root = etree.fromstring(data)
    words: set[str] = set()
    for element in root.iter(etree.Element):
        words.add(etree.QName(element).localname)
        words.update(_WORD.findall(element.text or ""))
        words.update(_WORD.findall(element.tail or ""))
        for value in element.attrib.values():
            words.update(_WORD.findall(value))
    return words


def english_words(issue: Issue, data: bytes) -> set[str]:
    """The English words a rule put into the parameters of ``issue``'s English message."""
    own = document_words(data)
    found: set[str] = set()
    for value in parameters(templates()[issue.code], issue.message):
        for word in _WORD.findall(value):
            if len(word) > 1 and not word.isupper() and word not in own:
                found.add(word.lower())
    return found - PROPER_NAMES


def rule_issues(data: bytes) -> Iterator[Issue]:
    """The rule issues of a document, BEN-R018's included (no claim exists)."""
    with claims_register(set()):
        issues = validate(data, profile=ALL_RULES).issues
    yield from (i for i in issues if i.code.startswith("rule."))
    root = etree.fromstring(data)
    if root.tag == "{http://www.govtalk.gov.uk/CM/envelope}GovTalkMessage":
        yield from python_rules()["COM-R005"].run(root)  # whatever the envelope layer does


def test_the_check_sees_english_wording() -> None:
    """The check itself: an English reason in a Welsh message is caught."""
    rule = python_rules()["EPAY-R006"]
    data = _example("epay/invalid/request-bad-check-digit.xml")
    issue = next(i for i in rule_issues(data) if i.code == rule.code)
    assert english_words(issue, data) >= {"check", "digit", "wrong"}
    as_if_welsh = {word.lower() for word in _WORD.findall(issue.message)}
    assert english_words(issue, data) & as_if_welsh  # an English message would fail


@pytest.mark.parametrize("name", sorted(documents()))
def test_welsh_messages_have_no_english_words(name: str) -> None:
    data = documents()[name]
    for issue in rule_issues(data):
        assert issue.message_cy, issue
        welsh = {word.lower() for word in _WORD.findall(issue.message_cy)}
        english = english_words(issue, data) & welsh
        assert not english, f"{issue.code}: {sorted(english)} in {issue.message_cy!r}"


def test_every_python_rule_is_checked() -> None:
    """The documents raise every Python rule, so every one's Welsh message is checked."""
    raised = {issue.code for data in documents().values() for issue in rule_issues(data)}
    assert {rule.code for rule in python_rules().values()} <= raised
