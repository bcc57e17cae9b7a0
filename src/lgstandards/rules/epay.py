"""e-Pay business rules coded in Python (EPAY-R004, EPAY-R006, EPAY-R008, COM-R010).

**Account references and check digits (EPAY-R006).** Councils give each income fund
its own account-reference format and check-digit routine; lgstandards models this as
a *fund table*: fund code -> :class:`FundRule` (a regular expression and the name of
a check-digit routine). Three routines are built in: ``luhn`` (MOD-10, double every
second digit from the right), ``mod11`` (weights 2, 3, 4 ... from the right of the
payload, check digit ``(11 - sum mod 11) mod 11``, where 10 is written ``X``) and
``mod97`` (ISO 7064 MOD 97-10: the whole reference, letters as 10 to 35, leaves 1).
:data:`DEFAULT_FUND_TABLE` is an illustrative profile, not any council's real one;
call :func:`configure_funds` with your own table. Funds not in the table are not
checked here (whether a fund exists is the stateful rule EPAY-R007).

**Card numbers (EPAY-R008).** Every text node and attribute is scanned for runs of
13 to 19 digits (single spaces or hyphens allowed between digits) that pass the Luhn
check, and card security code elements are refused, as PCI DSS requires.

**Gateway limits (EPAY-R004).** A payment request's sale total must be within the
gateway's limits; the default is GOV.UK Pay's (1p to £100,000), see
:func:`configure_gateway_limits`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

from lgstandards.report import Severity
from lgstandards.rules import Finding, decimal_or_none, python_rule

EPAY_NS = "urn:lgstandards:epay:1"
_E = f"{{{EPAY_NS}}}"


# ------------------------------------------------------------------ check-digit routines
def luhn_valid(digits: str) -> bool:
    """Return True when a string of digits passes the Luhn (MOD-10) check."""
    if not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def mod11_check_character(payload: str) -> str:
    """Return the weighted MOD-11 check character of a digit string (``X`` for 10)."""
    total = sum((index + 2) * (ord(c) - 48) for index, c in enumerate(reversed(payload)))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def mod11_valid(reference: str) -> bool:
    """Return True when the last character is the MOD-11 check of the digits before it."""
    payload, check = reference[:-1], reference[-1:]
    if not payload.isascii() or not payload.isdigit():
        return False
    return mod11_check_character(payload) == check.upper()


def mod97_valid(reference: str) -> bool:
    """Return True when a reference passes ISO 7064 MOD 97-10 (letters count 10 to 35)."""
    if not reference.isascii() or not reference.isalnum():
        return False
    number = "".join(str(int(c, 36)) for c in reference.upper())
    return int(number) % 97 == 1


#: The built-in check-digit routines, by name.
ROUTINES: Mapping[str, Callable[[str], bool]] = MappingProxyType(
    {"luhn": luhn_valid, "mod11": mod11_valid, "mod97": mod97_valid}
)


@dataclass(frozen=True, slots=True)
class FundRule:
    """How a fund's account references look: a pattern and an optional check routine."""

    fund_code: str
    pattern: str
    routine: str | None = None
    description: str = ""

    def problem(self, reference: str) -> str | None:
        """Return why ``reference`` is not valid for this fund, or None when it is."""
        if re.fullmatch(self.pattern, reference) is None:
            return f"it does not match {self.pattern}"
        if self.routine is not None and not ROUTINES[self.routine](reference):
            return f"its {self.routine} check digit is wrong"
        return None


#: An illustrative fund table (lgstandards' example profile, not a real council's).
DEFAULT_FUND_TABLE: Mapping[str, FundRule] = MappingProxyType(
    {
        "CT": FundRule("CT", r"5[0-9]{8}", "mod11", "council tax account"),
        "NNDR": FundRule("NNDR", r"1[0-9]{8}", "mod11", "business rates account"),
        "SUN": FundRule("SUN", r"2[0-9]{8}", "luhn", "sundry debtor invoice"),
        "HBOP": FundRule("HBOP", r"8[0-9]{7}", "luhn", "housing benefit overpayment invoice"),
        "PCN": FundRule("PCN", r"[A-Z]{2}[0-9]{8}", None, "penalty charge notice"),
    }
)

_fund_table: dict[str, FundRule] = dict(DEFAULT_FUND_TABLE)


def configure_funds(table: Mapping[str, FundRule] | None) -> None:
    """Replace the fund table used by EPAY-R006 (None restores the default)."""
    _fund_table.clear()
    _fund_table.update(DEFAULT_FUND_TABLE if table is None else table)
    for code, rule in _fund_table.items():
        if rule.routine is not None and rule.routine not in ROUTINES:
            raise ValueError(f"fund {code}: unknown check-digit routine {rule.routine!r}")


def fund_table() -> Mapping[str, FundRule]:
    """Return the fund table in force (read-only)."""
    return MappingProxyType(_fund_table)


_limits: list[Decimal] = [Decimal("0.01"), Decimal("100000.00")]


def configure_gateway_limits(minimum: Decimal, maximum: Decimal) -> None:
    """Set the sale-total limits of EPAY-R004 (default 0.01 to 100000.00, GOV.UK Pay)."""
    _limits[:] = [minimum, maximum]


# ------------------------------------------------------------------ rules
@python_rule(
    "EPAY-R004",
    kinds=["epay.payment-request"],
    severity=Severity.ERROR,
    en="The sale total {value} is outside the gateway's limits ({minimum} to {maximum}).",
    cy="Mae cyfanswm y gwerthiant {value} y tu allan i derfynau'r porth ({minimum} i {maximum}).",
)
def amount_within_gateway_limits(root: Any) -> Iterator[Finding]:
    """Amount within the target gateway's limits."""
    minimum, maximum = _limits
    for element in root.iter(f"{_E}SaleTotal"):
        value = decimal_or_none(element.text)
        if value is not None and not minimum <= value <= maximum:
            yield element, {"value": value, "minimum": minimum, "maximum": maximum}


def _reference_candidates(root: Any) -> list[Any]:
    """Return the AccountReference elements whose record's fund is in the fund table.

    The fund of a reference is the first FundCode beside it. One tag-filtered pass
    (libxml2) reads the FundCodes; only records of a configured fund cost more work,
    so a batch of funds the table does not cover costs almost nothing.
    """
    if not _fund_table:
        return []
    fund_tag = f"{_E}FundCode"
    found = []
    for fund in root.iter(fund_tag):
        if (fund.text or "").strip() not in _fund_table:
            continue
        parent = fund.getparent()
        if parent is not None and parent.find(fund_tag) is fund:
            found.extend(parent.iterchildren(f"{_E}AccountReference"))
    return found


@python_rule(
    "EPAY-R006",
    kinds=["epay.*"],
    severity=Severity.ERROR,
    en="The account reference {reference} is not valid for fund {fund}: {reason}.",
    cy="Nid yw'r cyfeirnod cyfrif {reference} yn ddilys ar gyfer cronfa {fund}: {reason}.",
)
def account_reference_check_digit(root: Any) -> Iterator[Finding]:
    """AccountReference matches the regex and check-digit routine configured for its fund."""
    for element in _reference_candidates(root):
        parent = element.getparent()
        fund_element = parent.find(f"{_E}FundCode") if parent is not None else None
        if fund_element is None:
            continue
        fund = (fund_element.text or "").strip()
        rule = _fund_table.get(fund)
        reference = (element.text or "").strip()
        if rule is None or not reference:
            continue
        reason = rule.problem(reference)
        if reason is not None:
            yield element, {"reference": reference, "fund": fund, "reason": reason}


_DIGIT_RUN = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
_SECURITY_CODES = frozenset({"CVV", "CVV2", "CV2", "CVC", "CVC2", "CID", "SecurityCode"})


def find_card_numbers(text: str) -> list[str]:
    """Return the Luhn-valid runs of 13 to 19 digits in ``text`` (spaces, hyphens allowed)."""
    found = []
    for match in _DIGIT_RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(0))
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            found.append(digits)
    return found


def _mask(digits: str) -> str:
    return f"{digits[:6]}{'*' * (len(digits) - 10)}{digits[-4:]}"


#: Shortest text that can hold a card number (13 digits).
_MIN_CARD_TEXT = 13
#: Elements with an attribute long enough to hold a card number.
_LONG_ATTRIBUTES = f"descendant-or-self::*/@*[string-length(.) >= {_MIN_CARD_TEXT}]/.."


def _card_candidates(root: Any) -> Iterator[Any]:
    """Yield, in document order, the elements EPAY-R008 must look at.

    A superset of those it reports (each is then checked exactly): a security-code
    name, text long enough for a card number, or such an attribute. The names and
    attributes are found by libxml2, so the Python loop only reads each ``.text``.
    """
    from lxml import etree

    special = set(root.iter(*(f"{{*}}{name}" for name in sorted(_SECURITY_CODES))))
    found = root.xpath(_LONG_ATTRIBUTES)
    if isinstance(found, list):
        special.update(found)
    for element in root.iter(etree.Element):
        text = element.text
        if (text is not None and len(text) >= _MIN_CARD_TEXT) or (special and element in special):
            yield element


#: Maps each byte to ``9`` (an ASCII digit) or ``x`` (anything else).
_DIGIT_BYTES = bytes(0x39 if 0x30 <= byte <= 0x39 else 0x78 for byte in range(256))


def may_hold_card_data(root: Any, data: bytes) -> bool:
    """Screen for EPAY-R008: False only if the document cannot hold what the rule reports.

    The rule looks for a Luhn-valid run of 13 to 19 digits (spaces or hyphens between
    them) in any element text or attribute, and for security-code elements. A
    document whose raw bytes, once spaces, hyphens and line breaks are taken out,
    hold no 13 digits in a row cannot have such a run, provided the bytes show the
    digits as the parser sees them: an ASCII-compatible encoding, no character
    references and no CDATA sections (else the screen says True). Costs one byte
    translation and one scan for the security-code names.
    """
    from lgstandards.safexml import ascii_compatible, has_character_references

    if next(root.iter(*(f"{{*}}{name}" for name in sorted(_SECURITY_CODES))), None) is not None:
        return True
    if not ascii_compatible(data):
        return True
    if has_character_references(data):
        return True
    if b"[" in data and b"<![CDATA[" in data:
        return True
    return b"9" * _MIN_CARD_TEXT in data.translate(_DIGIT_BYTES, b" -\t\r\n")


@python_rule(
    "EPAY-R008",
    kinds=["epay.*"],
    severity=Severity.ERROR,
    en="The message carries card data it must not hold ({what}).",
    cy="Mae'r neges yn cario data cerdyn na ddylai ei ddal ({what}).",
    screen=may_hold_card_data,
)
def no_card_numbers(root: Any) -> Iterator[Finding]:
    """No full card number anywhere and no card security code (PCI DSS)."""
    for element in _card_candidates(root):
        local = element.tag.rsplit("}", 1)[-1]
        if local in _SECURITY_CODES:
            yield element, {"what": f"a card security code element {local}"}
            continue
        texts = [element.text or ""]
        texts.extend(element.attrib.values())
        for text in texts:
            for digits in find_card_numbers(text):
                yield element, {"what": f"a full card number {_mask(digits)}"}


_ZERO = Decimal(0)


def _amounts(texts: list[str | None]) -> list[Decimal]:
    """Return each text as a Decimal: 0 for none, empty or not a number."""
    try:
        return [Decimal(text) if text else _ZERO for text in texts]
    except InvalidOperation:  # rare: look at each one
        return [decimal_or_none(text) or _ZERO for text in texts]


def _first_child_texts(root: Any, position: Mapping[Any, int], tag: str) -> list[str | None]:
    """Return, per record (``position``: record -> index), the text of its first ``tag`` child.

    As ``findtext`` per record would give (``""`` for an empty child, None for none),
    found by one tag-filtered pass in libxml2; the records must be alive (held by the
    caller) so that ``getparent`` returns the same objects.
    """
    texts: list[str | None] = [None] * len(position)
    for element in root.iter(tag):
        index = position.get(element.getparent())
        if index is not None and texts[index] is None:
            texts[index] = element.text or ""
    return texts


@python_rule(
    "COM-R010",
    kinds=["epay.reconciliation-batch"],
    severity=Severity.ERROR,
    en="The trailer's {what} is {stated}, but the records give {actual}.",
    cy="Mae {what} y trelar yn {stated}, ond mae'r cofnodion yn rhoi {actual}.",
)
def trailer_totals_match(root: Any) -> Iterator[Finding]:
    """Trailer money totals equal the sums of the records, overall and per fund."""
    records = list(root.iter(f"{_E}PaymentRecord"))
    position = {record: index for index, record in enumerate(records)}
    gross_texts, net_texts, fund_texts = (
        _first_child_texts(root, position, f"{_E}{name}")
        for name in ("GrossAmount", "NetAmount", "FundCode")
    )
    gross_values = _amounts(gross_texts)
    gross = sum(gross_values, _ZERO)
    net = sum(_amounts(net_texts), _ZERO)
    counts: dict[str, int] = {}
    totals: dict[str, Decimal] = {}
    for fund_text, record_gross in zip(fund_texts, gross_values, strict=True):
        fund = fund_text.strip() if fund_text else ""
        if fund in counts:
            counts[fund] += 1
            totals[fund] += record_gross
        else:
            counts[fund], totals[fund] = 1, record_gross
    trailer = root.find(f"{_E}Trailer")
    if trailer is not None:
        yield from trailer_findings(trailer, gross=gross, net=net, counts=counts, totals=totals)


def trailer_findings(
    trailer: Any,
    *,
    gross: Decimal,
    net: Decimal,
    counts: Mapping[str, int],
    totals: Mapping[str, Decimal],
) -> Iterator[Finding]:
    """Compare a batch trailer with the records' sums: COM-R010's findings.

    ``counts`` and ``totals`` give the records and gross total per fund code. Used in
    whole-document mode (:func:`trailer_totals_match`) and while streaming.
    """
    for name, actual in (("TotalGross", gross), ("TotalNet", net)):
        element = trailer.find(f"{_E}{name}")
        stated = decimal_or_none(element.text) if element is not None else None
        if element is not None and stated is not None and stated != actual:
            yield element, {"what": name, "stated": stated, "actual": actual}
    for fund_total in trailer.iter(f"{_E}FundTotal"):
        fund = (fund_total.findtext(f"{_E}FundCode") or "").strip()
        count, total = counts.get(fund, 0), totals.get(fund, _ZERO)
        count_element = fund_total.find(f"{_E}RecordCount")
        gross_element = fund_total.find(f"{_E}TotalGross")
        stated_count = decimal_or_none(count_element.text) if count_element is not None else None
        if count_element is not None and stated_count is not None and stated_count != count:
            yield (
                count_element,
                {
                    "what": f"record count for fund {fund}",
                    "stated": stated_count,
                    "actual": count,
                },
            )
        stated = decimal_or_none(gross_element.text) if gross_element is not None else None
        if gross_element is not None and stated is not None and stated != total:
            yield (
                gross_element,
                {
                    "what": f"gross total for fund {fund}",
                    "stated": stated,
                    "actual": total,
                },
            )


__all__ = [
    "DEFAULT_FUND_TABLE",
    "ROUTINES",
    "FundRule",
    "account_reference_check_digit",
    "amount_within_gateway_limits",
    "configure_funds",
    "configure_gateway_limits",
    "find_card_numbers",
    "fund_table",
    "luhn_valid",
    "may_hold_card_data",
    "mod11_check_character",
    "mod11_valid",
    "mod97_valid",
    "no_card_numbers",
    "trailer_findings",
    "trailer_totals_match",
]
