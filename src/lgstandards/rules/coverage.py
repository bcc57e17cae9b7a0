"""How each rule of the standard is enforced when it has no ``rule.<id>`` code of its own.

Most rules of the standard's rule table are Schematron, Python or stateful rules, and a
finding carries their own code (``rule.EPAY-R001``). A few are enforced by another
layer: a simple type of the schemas (the finding is an ``xsd.*`` issue), the
vocabulary check (``vocab.*``) or kind detection (``xml.*``). :data:`ENFORCED_ELSEWHERE`
says where, and which codes a finding carries; :data:`NOT_IMPLEMENTED` gives the rules
lgstandards does not check, with the reason. Together with the registered rules they
account for every rule id of the standard once, and the rules page of the reference
documentation shows them::

    >>> ENFORCED_ELSEWHERE["COM-R015"].codes
    ('xsd.range', 'xsd.type')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

COMMON_XSD = "schemas/common/lgs-common-v1-1.xsd"
VALUEBILL_XSD = "schemas/valuebill/ValuebillBAtoVOA-v3-1d.xsd"


@dataclass(frozen=True, slots=True)
class Enforcement:
    """A rule enforced by another layer: the layer, where, and the codes a finding carries."""

    rule_id: str
    #: ``XSD type``, ``Vocabulary check``, ``Kind detection`` or the rule that does it.
    layer: str
    #: The types, module or table that hold the check.
    where: str
    #: The issue codes a finding of this rule carries.
    codes: tuple[str, ...]
    #: Anything a reader needs to know about the rule's scope.
    note: str = ""


def _table(*entries: Enforcement) -> Mapping[str, Enforcement]:
    return MappingProxyType({entry.rule_id: entry for entry in entries})


#: Rules of the standard enforced by a schema type, the vocabulary check, kind detection or
#: another rule.
ENFORCED_ELSEWHERE: Mapping[str, Enforcement] = _table(
    Enforcement(
        "COM-R007",
        "Kind detection",
        "the catalogue's schema versions of each document kind (lgstandards.artefacts.kinds)",
        ("xml.unsupported-version",),
    ),
    Enforcement(
        "COM-R015",
        "XSD type",
        f"lgc:UPRNType (1 to 999 999 999 999) and lgc:USRNType (1 to 99 999 999), {COMMON_XSD}",
        ("xsd.range", "xsd.type"),
    ),
    Enforcement(
        "COM-R018",
        "XSD type",
        f"lgc:AmountType (at most two decimal places, twelve digits) and lgc:CurrencyCodeType "
        f"(GBP only), {COMMON_XSD}; e-Pay's own currency elements are checked by EPAY-R003",
        ("xsd.pattern", "xsd.range", "xsd.type", "rule.EPAY-R003"),
        "No message carries an amount both in pounds and in minor units "
        "(lgc:AmountInMinorUnitsType is declared for gateways, and no element uses it), "
        "so the check that minor units equal pounds times 100 has nothing to compare.",
    ),
    Enforcement(
        "COM-R020",
        "Vocabulary check",
        "every value typed lgc:LGSLCodeType, against the LGSL in force at the message date "
        "(lgstandards.validation.vocabcheck)",
        ("vocab.unknown-code",),
    ),
    Enforcement(
        "COM-R021",
        "Vocabulary check",
        "every value typed lgc:LGSLCodeType; the message names the replacement when the list "
        "gives one (lgstandards.validation.vocabcheck)",
        ("vocab.deprecated-code",),
    ),
    Enforcement(
        "COM-R022",
        "Vocabulary check",
        "every value typed lgc:LGSLCodeType (lgstandards.validation.vocabcheck)",
        ("vocab.unofficial-code",),
    ),
    Enforcement(
        "COM-R023",
        "XSD type",
        f"lgc:LGILCodeType (0 to 17 and 20 to 34), {COMMON_XSD}",
        ("xsd.pattern",),
    ),
    Enforcement(
        "COM-R024",
        "XSD type",
        f"lgc:LanguageType (en or cy), {COMMON_XSD}",
        ("xsd.enumeration",),
    ),
    Enforcement(
        "COM-R025",
        "XSD type",
        f"lgc:SortCodeType (six digits), lgc:AccountNumberType (eight digits) and "
        f"lgc:RollNumberType (at most 18 characters), {COMMON_XSD}",
        ("xsd.pattern",),
    ),
    Enforcement(
        "VB-R001",
        "XSD type",
        f"TypeOfTax is a choice of CtaxReasonForReport and NNDRreasonForReport, {VALUEBILL_XSD}",
        ("xsd.unexpected-element", "xsd.missing-element"),
    ),
    Enforcement(
        "VB-R004",
        "Python rule COM-R014",
        "every postcode of every document (COM-R014, lgstandards.rules.common), after the "
        "Valuebill schema's bs7666:PostCodeType pattern",
        ("rule.COM-R014", "xsd.pattern"),
    ),
    Enforcement(
        "VB-R006",
        "XSD type",
        f"PropertyPlanReferenceNumber's maxLength of 25, {VALUEBILL_XSD}",
        ("xsd.length",),
    ),
)

#: Rules of the standard that lgstandards does not check, with the reason.
NOT_IMPLEMENTED: Mapping[str, str] = MappingProxyType({})


__all__ = ["ENFORCED_ELSEWHERE", "NOT_IMPLEMENTED", "Enforcement"]
