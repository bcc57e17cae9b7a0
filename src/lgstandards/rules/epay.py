"""e-Pay business rules coded in Python (EPAY-R004 to R023 where XPath 1.0 falls short).

The rules here: EPAY-R004, R006, R008, R015, R016, R018, R020, R022, R023 and COM-R010.

**Account references and check digits (EPAY-R006).** Councils give each income fund
its own account-reference format and check-digit routine; lgstandards models this as
a *fund table*: fund code -> :class:`FundRule` (a regular expression and the name of
a check-digit routine). Three routines are built in: ``luhn`` (MOD-10, double every
second digit from the right), ``mod11`` (weights 2, 3, 4 ... from the right of the
payload, check digit ``(11 - sum mod 11) mod 11``, where 10 is written ``X``) and
``mod97`` (ISO 7064 MOD 97-10: the whole reference, letters as 10 to 35, leaves 1).
:data:`DEFAULT_FUND_TABLE` is an illustrative table, not any council's real one; give
your own as data in a validation profile
(``validate(..., profile=Profile(funds=...))``, :mod:`lgstandards.validation.profile`).
Funds not in the table are not checked here (whether a fund exists is the stateful
rule EPAY-R007).

**Card numbers (EPAY-R008).** Every text node and attribute is scanned for runs of
13 to 19 digits (single spaces or hyphens allowed between digits) that pass the Luhn
check, and card security code elements are refused, as PCI DSS requires.

**Gateway limits (EPAY-R004).** A payment request's sale total must be within the
gateway's limits; the default is GOV.UK Pay's (1p to £100,000), a profile's
``gateway_limits`` otherwise.

**Sums in exact decimals (EPAY-R015, R016, R020).** A payout's amount is the sum of its
transactions' net amounts; a receipt's allocations add up to the authorised amount,
except surcharge lines (:func:`is_surcharge_line`: a ``TrueAccountReference`` other than
the line's own account); a council tax bill's instalments add up to its net charge.

**Dated parameters (EPAY-R018, R022, R023).** The penalty charge discount periods and
charge certificate uplift, and the Bacs field lengths and lead time, are values in
force from a date, all marked *verify*, in ``schemas/epay/parameters-v1-1.json``
(:mod:`lgstandards.rules.parameters`); a profile's ``parameters`` replace them. A
penalty charge reads them on its notice date, a Direct Debit instruction's lead time on
its instruction date, the Bacs lengths on the message's creation day.

The rules that read the fund table, the limits or the parameters take the profile as
an argument (:class:`EpayProfile`, :class:`DatedProfile`); without one they use the
defaults.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from operator import attrgetter
from types import MappingProxyType
from typing import Any, Protocol, TypeVar

from lgstandards._records import Compared, written_out
from lgstandards._regex import LazyPattern
from lgstandards._xmlvalues import date_or_none, decimal_or_none, find_value, string_value
from lgstandards.rules import Finding, python_rule
from lgstandards.rules.parameters import value_on

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
    remainder = 0
    for char in reference.upper():  # digit by digit: a reference of any length is fine
        value = int(char, 36)
        remainder = (remainder * (100 if value > 9 else 10) + value) % 97
    return remainder == 1


#: The built-in check-digit routines, by name.
ROUTINES: Mapping[str, Callable[[str], bool]] = MappingProxyType(
    {"luhn": luhn_valid, "mod11": mod11_valid, "mod97": mod97_valid}
)
#: The routines' names in messages, English and Welsh (proper names, alike in both).
ROUTINE_NAMES: Mapping[str, str] = MappingProxyType(
    {"luhn": "Luhn", "mod11": "MOD-11", "mod97": "MOD 97-10"}
)


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class FundRule(Compared):
    """How a fund's account references look: a pattern and an optional check routine."""

    fund_code: str
    pattern: str
    routine: str | None = None
    description: str = ""

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        fund_code: str,
        pattern: str,
        routine: str | None = None,
        description: str = "",
    ) -> None:
        put = object.__setattr__
        put(self, "fund_code", fund_code)
        put(self, "pattern", pattern)
        put(self, "routine", routine)
        put(self, "description", description)

    def problem(self, reference: str) -> str | None:
        """Return why ``reference`` is not valid for this fund, or None when it is."""
        reasons = self.reasons(reference)
        return None if reasons is None else reasons[0]

    def reasons(self, reference: str) -> tuple[str, str] | None:
        """Return why ``reference`` is not valid, in English and Welsh; None when it is."""
        if re.fullmatch(self.pattern, reference) is None:
            return (
                f"it does not match {self.pattern}",
                f"nid yw'n cyfateb i'r patrwm {self.pattern}",
            )
        if self.routine is not None and not ROUTINES[self.routine](reference):
            name = ROUTINE_NAMES.get(self.routine, self.routine)
            return (
                f"its {self.routine} check digit is wrong",
                f"mae ei ddigid gwirio {name} yn anghywir",
            )
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

#: EPAY-R004's default sale-total limits: GOV.UK Pay's, 1p to £100,000.
DEFAULT_GATEWAY_LIMITS = (Decimal("0.01"), Decimal("100000.00"))


class EpayProfile(Protocol):
    """What the e-Pay rules read from a validation profile (its fund table and limits)."""

    @property
    def funds(self) -> Mapping[str, FundRule]:
        """Fund code -> how its account references look (EPAY-R006)."""

    @property
    def gateway_limits(self) -> tuple[Decimal, Decimal]:
        """The lowest and highest sale total a gateway takes (EPAY-R004)."""


# ------------------------------------------------------------------ rules
@python_rule("EPAY-R004", kinds=["epay.payment-request"])
def amount_within_gateway_limits(
    root: Any, profile: EpayProfile | None = None
) -> Iterator[Finding]:
    """Amount within the target gateway's limits."""
    minimum, maximum = DEFAULT_GATEWAY_LIMITS if profile is None else profile.gateway_limits
    for element in root.iter(f"{_E}SaleTotal"):
        value = decimal_or_none(string_value(element))
        if value is not None and not minimum <= value <= maximum:
            yield element, {"value": value, "minimum": minimum, "maximum": maximum}


#: ``element.text``, as a function mapped over elements in C.
_TEXT = attrgetter("text")


def _reference_candidates(root: Any, funds: Mapping[str, FundRule]) -> list[Any]:
    """Return the AccountReference elements whose record's fund is in the fund table.

    The fund of a reference is the first FundCode beside it. One tag-filtered pass
    (libxml2) reads the FundCodes; only records of a configured fund cost more work,
    so a batch of funds the table does not cover costs almost nothing.
    """
    if not funds:
        return []
    fund_tag = f"{_E}FundCode"
    from lgstandards.rules.screens import shared

    batch = shared(root)
    if batch is not None:  # the fund codes COM-R010 reads too: each fund's text, once
        texts = batch.texts(fund_tag)
        if texts is None:
            elements = batch.elements(fund_tag)
            if not any(map(len, elements)):
                texts = {text or "" for text in map(_TEXT, elements)}
        if texts is not None and not any(text.strip() in funds for text in texts):
            return []
    found = []
    for fund in root.iter(fund_tag):
        if string_value(fund).strip() not in funds:
            continue
        parent = fund.getparent()
        if parent is not None and parent.find(fund_tag) is fund:
            found.extend(parent.iterchildren(f"{_E}AccountReference"))
    return found


@python_rule("EPAY-R006", kinds=["epay.*"])
def account_reference_check_digit(
    root: Any, profile: EpayProfile | None = None
) -> Iterator[Finding]:
    """AccountReference matches the regex and check-digit routine configured for its fund."""
    funds = DEFAULT_FUND_TABLE if profile is None else profile.funds
    for element in _reference_candidates(root, funds):
        parent = element.getparent()
        fund_element = parent.find(f"{_E}FundCode") if parent is not None else None
        if fund_element is None:
            continue
        fund = string_value(fund_element).strip()
        rule = funds.get(fund)
        reference = string_value(element).strip()
        if rule is None or not reference:
            continue
        reasons = rule.reasons(reference)
        if reasons is not None:
            reason, reason_cy = reasons
            yield (
                element,
                {"reference": reference, "fund": fund, "reason": reason, "reason_cy": reason_cy},
            )


_DIGIT_RUN = LazyPattern(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
_SECURITY_CODES = frozenset({"CVV", "CVV2", "CV2", "CVC", "CVC2", "CID", "SecurityCode"})


def find_card_numbers(text: str) -> list[str]:
    """Return the Luhn-valid runs of 13 to 19 digits in ``text`` (spaces, hyphens allowed)."""
    found = []
    for match in _DIGIT_RUN().finditer(text):
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


def _card_candidates(root: Any) -> list[Any]:
    """Return, in document order, the elements EPAY-R008 must look at.

    A superset of those it reports (each is then checked exactly): a security-code
    name, text (or a child's tail) long enough for a card number, such an attribute,
    or a comment or processing instruction that may split the text. Names,
    attributes, comments and processing instructions are found by libxml2, so the
    Python loop only reads each ``.text`` and ``.tail``.
    """
    from lxml import etree

    special = set(root.iter(*(f"{{*}}{name}" for name in sorted(_SECURITY_CODES))))
    found = root.xpath(_LONG_ATTRIBUTES)
    if isinstance(found, list):
        special.update(found)
    # A comment or processing instruction may split a number: look at its element.
    special.update(node.getparent() for node in root.iter(etree.Comment, etree.PI))
    candidates = []
    late = set()  # parents of a long tail, seen after the parent itself
    for element in root.iter(etree.Element):
        text = element.text
        if (text is not None and len(text) >= _MIN_CARD_TEXT) or (special and element in special):
            candidates.append(element)
        tail = element.tail
        if tail is not None and len(tail) >= _MIN_CARD_TEXT and element is not root:
            late.add(element.getparent())
    if late.difference(candidates):  # rare (mixed content): one more pass for the order
        late.update(candidates)
        candidates = [element for element in root.iter(etree.Element) if element in late]
    return candidates


def text_runs(element: Any) -> list[str]:
    """Return the runs of character data directly in ``element``, in order.

    A run is the text between two child elements (or the start or end): comments and
    processing instructions do not end a run, so ``4000 0000<!-- -->0000 0002`` is one
    run, as it is one piece of the element's string value.
    """
    if not len(element):
        return [element.text or ""]
    runs: list[str] = []
    current = element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            runs.append(current)
            current = child.tail or ""
        else:
            current += child.tail or ""
    runs.append(current)
    return runs


#: Maps each byte to ``9`` (an ASCII digit) or ``x`` (anything else).
_DIGIT_BYTES = bytes(0x39 if 0x30 <= byte <= 0x39 else 0x78 for byte in range(256))
#: Comments and processing instructions, which the parser drops from the text.
_COMMENTS_AND_PIS = LazyPattern(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)


def _has_comments_or_pis(data: bytes) -> bool:
    """Tell whether ``data`` has a comment, or a processing instruction past the declaration.

    Looks for the rare bytes ``!`` and ``?`` first (one fast pass each).
    """
    if b"!" in data and b"<!--" in data:
        return True
    start = data.find(b"?>") + 2 if data[:8].lstrip(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
    return data.find(b"?", start) != -1 and data.find(b"<?", start) != -1


def _unsure(data: bytes) -> bool:
    """Tell whether the bytes of ``data`` may not show the digits as the parser sees them.

    A character reference, a CDATA section, a comment or a processing instruction.
    """
    from lgstandards.safexml import has_character_references

    return (
        has_character_references(data)
        or (b"[" in data and b"<![CDATA[" in data)
        or _has_comments_or_pis(data)
    )


def may_hold_card_data(root: Any, data: bytes) -> bool:
    """Screen for EPAY-R008: False only if the document cannot hold what the rule reports.

    The rule looks for a Luhn-valid run of 13 to 19 digits (spaces or hyphens between
    them) in any element text or attribute, and for security-code elements. A
    document whose raw bytes, once comments, processing instructions, spaces,
    hyphens and line breaks are taken out, hold no 13 digits in a row cannot have
    such a run, provided the bytes show the digits as the parser sees them: an
    ASCII-compatible encoding, no character references and no CDATA sections (else
    the screen says True). Costs one byte translation and one scan for the
    security-code names (and one pass to drop comments and processing instructions
    when the document has any after the XML declaration).
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
    if _has_comments_or_pis(data):
        data = _COMMENTS_AND_PIS().sub(b"", data)
    return _DigitRuns().feed(data)


#: Bytes translated at a time by :class:`_DigitRuns`: a block and its translation stay
#: in the CPU's cache, where one translation of a whole large document goes out to
#: memory (a 44 MB batch: 0.039 s a block at a time against 0.055 s at once).
_DIGIT_BLOCK = 64 * 1024
#: :data:`_MIN_CARD_TEXT` digits in a row, as :data:`_DIGIT_BYTES` translates them.
_NINES = b"9" * _MIN_CARD_TEXT


class _DigitRuns:
    """Look for :data:`_MIN_CARD_TEXT` ASCII digits in a row in bytes fed in order.

    Spaces, hyphens, tabs and line breaks between the digits are taken out (as the rule
    allows them in a card number); a run is found across the pieces fed.
    """

    def __init__(self) -> None:
        self.digits = 0  # digits at the end of the bytes so far (spaces taken out)

    def feed(self, data: bytes) -> bool:
        """See the next bytes; tell whether a run is complete (stop feeding then)."""
        for start in range(0, len(data), _DIGIT_BLOCK):
            digits = data[start : start + _DIGIT_BLOCK].translate(_DIGIT_BYTES, b" -\t\r\n")
            if _NINES in (b"9" * self.digits + digits if self.digits else digits):
                return True
            stripped = digits.rstrip(b"9")
            trailing = len(digits) - len(stripped)
            self.digits = trailing if stripped else self.digits + trailing
        return False


class CardScreen:
    """:func:`may_hold_card_data` for a streamed document: its bytes fed in order.

    Says the rule is possible from the first bytes that make it so (conservatively: any
    comment or processing instruction, character reference or CDATA section, or a text
    not in an ASCII-compatible encoding), and in any part holding a security-code
    element; a run of 13 digits (spaces, hyphens and line breaks between them taken
    out) is found across the pieces' boundaries.
    """

    #: Bytes of the previous piece looked at again for markup cut in two.
    _OVERLAP = 8

    def __init__(self) -> None:
        self.maybe = False
        self._first = True
        self._tail = b""  # the last bytes seen (markup may be cut across pieces)
        self._runs = _DigitRuns()

    def feed(self, data: bytes) -> None:
        """See the next bytes of the document."""
        from lgstandards.safexml import ascii_compatible, found_across, tail_after

        if self.maybe or not data:
            return
        unsure = (self._first and not ascii_compatible(data)) or found_across(
            _unsure, self._tail, data, self._OVERLAP
        )
        if unsure or self._runs.feed(data):
            self.maybe = True
        self._first = False
        self._tail = tail_after(self._tail, data, self._OVERLAP)

    def possible(self, root: Any) -> bool:
        """Tell whether EPAY-R008 may find something in ``root`` (its bytes all fed)."""
        if self.maybe:
            return True
        names = (f"{{*}}{name}" for name in sorted(_SECURITY_CODES))
        return next(root.iter(*names), None) is not None


def _security_code_cy(local: str) -> str:
    """Describe a security-code element in Welsh (acronyms such as CVV are kept)."""
    return (
        f"elfen cod diogelwch cerdyn {local}" if local.isupper() else "elfen cod diogelwch cerdyn"
    )


@python_rule("EPAY-R008", kinds=["epay.*"], screen=may_hold_card_data, stream_screen=CardScreen)
def no_card_numbers(root: Any) -> Iterator[Finding]:
    """No full card number anywhere and no card security code (PCI DSS)."""
    for element in _card_candidates(root):
        local = element.tag.rsplit("}", 1)[-1]
        if local in _SECURITY_CODES:
            yield (
                element,
                {
                    "what": f"a card security code element {local}",
                    "what_cy": _security_code_cy(local),
                },
            )
            continue
        texts = text_runs(element)
        texts.extend(element.attrib.values())
        for text in texts:
            for digits in find_card_numbers(text):
                masked = _mask(digits)
                yield (
                    element,
                    {
                        "what": f"a full card number {masked}",
                        "what_cy": f"rhif cerdyn llawn {masked}",
                    },
                )


_ZERO = Decimal(0)


def _amount(value: str | None) -> Decimal:
    """Return a record's amount as COM-R010 adds it: 0 for none, empty or not a number."""
    return decimal_or_none(value) or _ZERO


def _amounts(values: list[str | None]) -> list[Decimal]:
    """Return :func:`_amount` of each value (each distinct value is parsed once)."""
    parsed: dict[str | None, Decimal] = {}
    amounts = []
    for value in values:
        amount = parsed.get(value)
        if amount is None:
            amount = parsed[value] = _amount(value)
        amounts.append(amount)
    return amounts


def _fund_key(value: str | None) -> str:
    """Return a record's fund code as COM-R010 groups it ("" for none)."""
    return value.strip() if value else ""


def record_sums(record: Any) -> tuple[Decimal, Decimal, str]:
    """Return what one PaymentRecord adds to COM-R010's sums: gross, net and fund code.

    Used while streaming; :func:`trailer_totals_match` reads the same values for all
    records in one pass each and gives the same sums.
    """
    first: dict[str, Any] = {}
    for child in record.iterchildren(*_SUMMED_TAGS):  # one tag-filtered pass (libxml2)
        first.setdefault(child.tag, child)
    gross, net, fund = (first.get(tag) for tag in _SUMMED_TAGS)
    return (
        _amount_of(None if gross is None else string_value(gross)),
        _amount_of(None if net is None else string_value(net)),
        _fund_key(None if fund is None else string_value(fund)),
    )


#: The Clark tags of the children :func:`record_sums` reads (the first of each).
_SUMMED_TAGS = (f"{_E}GrossAmount", f"{_E}NetAmount", f"{_E}FundCode")


@lru_cache(maxsize=4096)
def _amount_of(value: str | None) -> Decimal:
    """:func:`_amount`, remembered: a batch repeats its amounts (Decimals are immutable)."""
    return _amount(value)


@lru_cache(maxsize=4096)
def _scaled_of(value: str | None) -> tuple[Decimal, int, int]:
    """Return (:func:`_amount`, its absolute value in units of its last place, its places).

    Places: the digits after the point (none for an integer), so that the amount's
    absolute value is exactly ``scaled / 10 ** places``: :class:`RecordSums` bounds its
    sums with integers.
    """
    amount = _amount_of(value)
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # a finite decimal: the lexical form has no NaN
    coefficient = int("".join(map(str, digits)))
    places = max(-exponent, 0)
    return amount, coefficient * 10 ** (exponent + places), places


def _first_child_values(root: Any, position: Mapping[Any, int], tag: str) -> list[str | None]:
    """Return, per record (``position``: record -> index), the value of its first ``tag`` child.

    As :func:`~lgstandards._xmlvalues.find_value` per record would give (None for no
    such child), found by one tag-filtered pass in libxml2; the records must be alive
    (held by the caller) so that ``getparent`` returns the same objects.
    """
    values: list[str | None] = [None] * len(position)
    for element in root.iter(tag):
        index = position.get(element.getparent())
        if index is not None and values[index] is None:
            values[index] = string_value(element)
    return values


def _column(records: list[Any], root: Any, tag: str) -> list[str] | None:
    """Return the text of each record's one ``tag`` child, when each has exactly one.

    None when a record has none or more than one, or one has child nodes (then its
    value is not its text): :func:`lgstandards.rules.screens.plain_column`.
    """
    from lgstandards.rules.screens import plain_column

    return plain_column(root, records, tag)


def _record_columns(
    root: Any, records: list[Any] | None = None
) -> tuple[list[str], list[str], list[str]] | None:
    """Return each record's gross, net and fund texts, or None when not regular.

    ``records``: the records to read, all under ``root`` (default: every record in it).
    Regular: every record has exactly one of each, holding text only (the common case:
    a valid batch). Otherwise :func:`trailer_totals_match` reads record by record.
    """
    from lgstandards.rules.screens import ODD, shared, shared_records

    batch = shared(root) if records is None else shared_records(records)
    if batch is not None:  # the records and columns the running rules share
        records = batch.all
        if not records:
            return [], [], []
        values = [batch.column(f"{_E}{name}") for name in _SUMMED]
        columns = [None if None in v or ODD in v else v for v in values]
    else:
        if records is None:
            records = list(root.iter(f"{_E}PaymentRecord"))
        if not records:
            return [], [], []
        columns = [_column(records, root, f"{_E}{name}") for name in _SUMMED]
    gross, net, fund = columns
    if gross is None or net is None or fund is None:
        return None
    return gross, net, fund


#: The children of a record that COM-R010 reads.
_SUMMED = ("GrossAmount", "NetAmount", "FundCode")


def _counted_sum(counted: Mapping[str | None, int]) -> Decimal | None:
    """Return the sum of each value's :func:`_amount` times its count, when exact.

    None when a partial sum, in any order, could need more digits than the decimal
    context keeps (then only adding one by one gives the rounding the rule has always had).
    """
    from decimal import Context

    exact = Context(prec=120)
    amounts = [(_amount(value), count) for value, count in counted.items()]
    if not amounts:
        return _ZERO
    bound = sum((exact.multiply(abs(a), count) for a, count in amounts), _ZERO)
    fraction = max(-int(a.as_tuple().exponent) for a, _ in amounts)
    if exact.scaleb(bound, max(fraction, 0)) >= Decimal(10) ** 27:
        return None
    return sum((a * count for a, count in amounts), _ZERO)


def _record_sums(
    root: Any,
) -> tuple[Decimal, Decimal, dict[str, int], dict[str, Decimal]] | None:
    """COM-R010's sums from counted values (each distinct value parsed once), or None."""
    from collections import Counter

    columns = _record_columns(root)
    if columns is None:
        return None
    gross_texts, net_texts, fund_texts = columns
    net = _counted_sum(Counter(net_texts))
    pairs = Counter(zip(fund_texts, gross_texts, strict=True))
    by_fund: dict[str, dict[str | None, int]] = {}
    gross_counted: dict[str | None, int] = {}  # the gross amounts' counts, from the pairs'
    for (fund_text, gross_text), count in pairs.items():
        per_fund = by_fund.setdefault(_fund_key(fund_text), {})
        per_fund[gross_text] = per_fund.get(gross_text, 0) + count
        gross_counted[gross_text] = gross_counted.get(gross_text, 0) + count
    gross = _counted_sum(gross_counted)
    totals: dict[str, Decimal] = {}
    for fund, counted in by_fund.items():
        total = _counted_sum(counted)
        if total is None:
            return None
        totals[fund] = total
    if gross is None or net is None:
        return None
    counts = {fund: sum(counted.values()) for fund, counted in by_fund.items()}
    return gross, net, counts, totals


class RecordSums:
    """COM-R010's sums, given the records a group at a time (streaming, in chunks).

    The sums are those of adding record by record (:func:`record_sums`), in the decimal
    context's arithmetic. A regular group (see :func:`_record_columns`) is summed from
    its counted values, each distinct value parsed once, while the sum of the absolute
    values of every amount so far, at the finest scale seen, fits in 27 digits: then no
    sum, partial or final, in any order, is rounded, so both ways give the same. After
    the first group that is not so, records are added one by one, as before.
    """

    def __init__(self) -> None:
        self.gross = _ZERO
        self.net = _ZERO
        self.counts: dict[str, int] = {}
        self.totals: dict[str, Decimal] = {}
        #: The sum of the absolute values of every amount so far, in units of the finest
        #: place seen (``_places`` digits after the point): an exact integer.
        self._bound = 0
        self._places = 0
        self._grouped = True

    def add(self, root: Any, records: list[Any]) -> None:
        """Add ``records`` (all under ``root``), in document order."""
        if self._grouped and self._add_group(root, records):
            return
        self._grouped = False
        for record in records:
            self.add_one(*record_sums(record))

    def add_one(self, gross: Decimal, net: Decimal, fund: str) -> None:
        """Add one record's amounts (a fund's first total is its amount, not a sum)."""
        self.gross += gross
        self.net += net
        if fund in self.counts:
            self.counts[fund] += 1
            self.totals[fund] += gross
        else:
            self.counts[fund], self.totals[fund] = 1, gross

    def _add_group(self, root: Any, records: list[Any]) -> bool:
        from collections import Counter

        columns = _record_columns(root, records)
        if columns is None:
            return False
        gross_texts, net_texts, fund_texts = columns
        pairs = Counter(zip(fund_texts, gross_texts, strict=True))
        gross_counted: dict[str, int] = {}  # the gross amounts' counts, from the pairs'
        for (_, gross_text), count in pairs.items():
            gross_counted[gross_text] = gross_counted.get(gross_text, 0) + count
        net_counted = Counter(net_texts)
        parsed = {text: _scaled_of(text) for text in gross_counted.keys() | net_counted.keys()}
        bound = _grown_bound(self._bound, self._places, parsed, (gross_counted, net_counted))
        if bound is None:
            return False
        self._bound, self._places = bound
        self.gross += sum((parsed[t][0] * c for t, c in gross_counted.items()), _ZERO)
        self.net += sum((parsed[t][0] * c for t, c in net_counted.items()), _ZERO)
        for (fund_text, gross_text), count in pairs.items():
            fund = _fund_key(fund_text)
            self.counts[fund] = self.counts.get(fund, 0) + count
            self.totals[fund] = self.totals.get(fund, _ZERO) + parsed[gross_text][0] * count
        return True


_Text = TypeVar("_Text", str, str | None)

#: :class:`RecordSums` adds counted values while its bound, at the finest place seen,
#: stays below this: no sum of the amounts so far, in any order, is then rounded.
_EXACT_BOUND = 10**27


def _grown_bound(
    bound: int,
    places: int,
    parsed: Mapping[_Text, tuple[Decimal, int, int]],
    counted: tuple[Mapping[_Text, int], ...],
) -> tuple[int, int] | None:
    """Add the counted amounts' absolute values to ``bound`` (in units of ``places``).

    Returns the new (bound, places), or None when it reaches :data:`_EXACT_BOUND`.
    Integers: exact, as the decimal context of 120 digits it replaces was below there.
    """
    finest = max((parsed[text][2] for values in counted for text in values), default=places)
    finest = max(finest, places)
    total = bound * 10 ** (finest - places)
    for values in counted:
        for text, count in values.items():
            _, scaled, own = parsed[text]
            total += scaled * count * 10 ** (finest - own)
    return None if total >= _EXACT_BOUND else (total, finest)


@python_rule("COM-R010", kinds=["epay.reconciliation-batch"])
def trailer_totals_match(root: Any) -> Iterator[Finding]:
    """Trailer money totals equal the sums of the records, overall and per fund."""
    from lgstandards.rules.screens import CollectionPaused

    with CollectionPaused():
        found = _record_sums(root)
        if found is not None:
            gross, net, counts, totals = found
        else:
            gross, net, counts, totals = _sums_one_by_one(root)
    trailer = root.find(f"{_E}Trailer")
    if trailer is not None:
        yield from trailer_findings(trailer, gross=gross, net=net, counts=counts, totals=totals)


def _sums_one_by_one(root: Any) -> tuple[Decimal, Decimal, dict[str, int], dict[str, Decimal]]:
    """COM-R010's sums, adding record by record (any shape of records)."""
    records = list(root.iter(f"{_E}PaymentRecord"))
    position = {record: index for index, record in enumerate(records)}
    gross_texts, net_texts, fund_texts = (
        _first_child_values(root, position, f"{_E}{name}")
        for name in ("GrossAmount", "NetAmount", "FundCode")
    )
    sums = RecordSums()
    values = zip(_amounts(gross_texts), _amounts(net_texts), fund_texts, strict=True)
    for gross, net, fund_text in values:
        sums.add_one(gross, net, _fund_key(fund_text))
    return sums.gross, sums.net, sums.counts, sums.totals


#: COM-R010's trailer fields in Welsh.
_TRAILER_FIELDS_CY = MappingProxyType({"TotalGross": "cyfanswm gros", "TotalNet": "cyfanswm net"})


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
        stated = decimal_or_none(string_value(element)) if element is not None else None
        if element is not None and stated is not None and stated != actual:
            what_cy = _TRAILER_FIELDS_CY[name]
            yield element, {"what": name, "what_cy": what_cy, "stated": stated, "actual": actual}
    for fund_total in trailer.iter(f"{_E}FundTotal"):
        fund = _fund_key(find_value(fund_total, f"{_E}FundCode"))
        count, total = counts.get(fund, 0), totals.get(fund, _ZERO)
        count_element = fund_total.find(f"{_E}RecordCount")
        gross_element = fund_total.find(f"{_E}TotalGross")
        stated_count = (
            decimal_or_none(string_value(count_element)) if count_element is not None else None
        )
        if count_element is not None and stated_count is not None and stated_count != count:
            yield (
                count_element,
                {
                    "what": f"record count for fund {fund}",
                    "what_cy": f"nifer cofnodion cronfa {fund}",
                    "stated": stated_count,
                    "actual": count,
                },
            )
        stated = decimal_or_none(string_value(gross_element)) if gross_element is not None else None
        if gross_element is not None and stated is not None and stated != total:
            yield (
                gross_element,
                {
                    "what": f"gross total for fund {fund}",
                    "what_cy": f"cyfanswm gros cronfa {fund}",
                    "stated": stated,
                    "actual": total,
                },
            )


# ------------------------------------------------------------------ rules of 1.1
_LGC = "{urn:lgstandards:common:1}"
#: The dated parameters of the e-Pay rules (EPAY-R018, R022, R023).
PARAMETERS_FILE = "epay/parameters-v1-1.json"
_CENT = Decimal("0.01")


class DatedProfile(Protocol):
    """What the rules with dated parameters read from a validation profile."""

    @property
    def parameters(self) -> Mapping[str, Any]:
        """Parameter name -> the profile's dated values, replacing the packaged ones."""


def epay_parameter(name: str, on: dt.date, profile: DatedProfile | None = None) -> Any:
    """Return the e-Pay parameter ``name`` in force on ``on`` (the profile's values first)."""
    overrides = None if profile is None else profile.parameters
    return value_on(PARAMETERS_FILE, name, on, overrides)


def _decimal(element: Any, tag: str) -> Decimal | None:
    return decimal_or_none(find_value(element, f"{_E}{tag}"))


def _day(element: Any, path: str) -> dt.date | None:
    return date_or_none(find_value(element, path))


def _created_day(root: Any) -> dt.date | None:
    """Return the day of a message's header ``Created`` timestamp, or None."""
    text = find_value(root, f"{_E}Header/{_LGC}Created")
    return date_or_none(text.strip()[:10]) if text else None


@python_rule("EPAY-R015", kinds=["epay.payout"])
def payout_adds_up(root: Any) -> Iterator[Finding]:
    """Payout amount = sum of its transactions' net amounts."""
    amount = root.find(f"{_E}Amount")
    stated = decimal_or_none(string_value(amount)) if amount is not None else None
    if stated is None:
        return
    net = sum(
        _amounts([find_value(t, f"{_E}NetAmount") for t in root.iterfind(f"{_E}Transaction")]),
        _ZERO,
    )
    if net != stated:
        payout = (find_value(root, f"{_E}PayoutId") or "").strip()
        yield amount, {"payout": payout, "stated": stated, "actual": net}


def is_surcharge_line(allocation: Any) -> bool:
    """Tell whether a receipt allocation is a surcharge line (EPAY-R016).

    It is when it has a ``TrueAccountReference`` that differs from its
    ``AccountReference``: the line is posted to the surcharge account under the account
    of the payment it was charged on.
    """
    true_reference = (find_value(allocation, f"{_E}TrueAccountReference") or "").strip()
    reference = (find_value(allocation, f"{_E}AccountReference") or "").strip()
    return bool(true_reference) and true_reference != reference


@python_rule("EPAY-R016", kinds=["epay.payment-notification"])
def allocations_add_up(root: Any) -> Iterator[Finding]:
    """Receipt allocations add up to the authorised amount, surcharge lines apart."""
    total = root.find(f"{_E}TotalAmount")
    stated = decimal_or_none(string_value(total)) if total is not None else None
    if stated is None:
        return
    lines = [a for a in root.iterfind(f"{_E}Allocation") if not is_surcharge_line(a)]
    actual = sum(_amounts([find_value(a, f"{_E}Amount") for a in lines]), _ZERO)
    if actual != stated:
        yield total, {"stated": stated, "actual": actual}


@python_rule("EPAY-R020", kinds=["epay.demand"])
def instalments_add_up(root: Any) -> Iterator[Finding]:
    """Instalments add up to the net charge."""
    for charge in root.iterfind(f"{_E}CouncilTax"):
        instalments = charge.findall(f"{_E}Instalment")
        net = charge.find(f"{_E}NetCharge")
        stated = decimal_or_none(string_value(net)) if net is not None else None
        if not instalments or stated is None:
            continue
        actual = sum(_amounts([find_value(i, f"{_E}Amount") for i in instalments]), _ZERO)
        if actual != stated:
            yield net, {"stated": stated, "actual": actual}


#: The discount-period parameter of each way of serving a penalty charge notice.
_DISCOUNT_PERIODS = MappingProxyType(
    {
        "on-street": "pcn-discount-days-on-street",
        "postal": "pcn-discount-days-postal",
        "camera": "pcn-discount-days-postal",
    }
)


def discount_deadline(
    notice: dt.date, service: str, profile: DatedProfile | None = None
) -> dt.date | None:
    """Return the last day of a penalty charge's discount period (EPAY-R018), or None.

    The period (dated parameters: 14 days on street, 21 by post or camera, to be
    verified) runs from the day the notice was served; None when the service method is
    unknown, no value is in force, or the deadline would fall after 9999-12-31.
    """
    name = _DISCOUNT_PERIODS.get(service)
    days = epay_parameter(name, notice, profile) if name is not None else None
    if days is None:
        return None
    try:
        return notice + dt.timedelta(days=int(days))
    except OverflowError:  # a notice dated at the end of the calendar
        return None


def _pcn_problems(
    charge: Any, notice: dt.date, profile: DatedProfile | None
) -> Iterator[tuple[Any, str, str]]:
    """Yield EPAY-R018's problems with one penalty charge: element, English, Welsh."""
    service = (find_value(charge, f"{_E}ServiceMethod") or "").strip()
    legal = discount_deadline(notice, service, profile)
    stated_element = charge.find(f"{_E}DiscountDeadline")
    stated = _day(charge, f"{_E}DiscountDeadline")
    if legal is not None and stated is not None and stated != legal:
        days = (legal - notice).days
        yield (
            stated_element,
            f"the discount deadline {stated} is not {days} days after the notice date "
            f"{notice} ({legal})",
            f"nid yw'r dyddiad cau ar gyfer y gostyngiad {stated} {days} diwrnod ar ôl "
            f"dyddiad yr hysbysiad {notice} ({legal})",
        )
    deadline = stated or legal
    discount = _decimal(charge, "DiscountAmount")
    full = _decimal(charge, "FullAmount")
    if deadline is not None and discount is not None and (full is None or discount < full):
        for payment in charge.iterfind(f"{_E}PaymentReceived"):
            paid = _day(payment, f"{_E}PaymentDate")
            amount = _decimal(payment, "Amount")
            if paid is not None and amount == discount and paid > deadline:
                yield (
                    payment,
                    f"the discounted charge {amount} was paid on {paid}, after the discount "
                    f"deadline {deadline}",
                    f"talwyd y tâl gostyngol {amount} ar {paid}, ar ôl y dyddiad cau ar gyfer "
                    f"y gostyngiad {deadline}",
                )
    stage = (find_value(charge, f"{_E}Stage") or "").strip()
    uplift = epay_parameter("pcn-charge-certificate-uplift-percent", notice, profile)
    due_element = charge.find(f"{_E}AmountDue")
    due = _decimal(charge, "AmountDue")
    if stage == "ChargeCertificate" and uplift is not None and full is not None and due is not None:
        expected = (full * (100 + Decimal(str(uplift))) / 100).quantize(_CENT)
        if due != expected:
            yield (
                due_element,
                f"at the charge certificate stage the amount due is {due}, not the charge "
                f"{full} plus {uplift}% ({expected})",
                f"ar gam y dystysgrif tâl y swm sy'n ddyledus yw {due}, nid y tâl {full} a "
                f"{uplift}% ({expected})",
            )


@python_rule("EPAY-R018", kinds=["epay.demand"])
def penalty_discount_in_time(root: Any, profile: DatedProfile | None = None) -> Iterator[Finding]:
    """Check a discounted PCN payment is made by the discount deadline (dated parameters)."""
    for charge in root.iterfind(f"{_E}PenaltyCharge"):
        notice = _day(charge, f"{_E}NoticeDate")
        if notice is None:
            continue
        pcn = (find_value(charge, f"{_E}PCNNumber") or "").strip()
        for element, problem, problem_cy in _pcn_problems(charge, notice, profile):
            yield (
                element,
                {
                    "pcn": pcn,
                    "problem": problem,
                    "problem_cy": problem_cy,
                    "date": notice.isoformat(),
                },
            )


_DD_KINDS = (
    "epay.direct-debit-instruction",
    "epay.direct-debit-collection",
    "epay.direct-debit-return",
)


@python_rule("EPAY-R022", kinds=_DD_KINDS)
def bacs_field_lengths(root: Any, profile: DatedProfile | None = None) -> Iterator[Finding]:
    """Direct Debit account name and reference within the Bacs lengths (dated parameters)."""
    day = _created_day(root)
    if day is None:
        return
    longest_name = epay_parameter("dd-account-name-max-length", day, profile)
    shortest = epay_parameter("dd-reference-min-length", day, profile)
    longest = epay_parameter("dd-reference-max-length", day, profile)
    if longest_name is not None:
        for name in root.iter(f"{_LGC}AccountName"):
            value = string_value(name)
            if len(value) > int(longest_name):
                yield (
                    name,
                    {
                        "what": "account name",
                        "what_cy": "enw cyfrif",
                        "value": value,
                        "length": len(value),
                        "limits": f"at most {longest_name}",
                        "limits_cy": f"dim mwy na {longest_name}",
                    },
                )
    if shortest is not None and longest is not None:
        for reference in root.iter(f"{_E}DirectDebitReference"):
            value = string_value(reference)
            if not int(shortest) <= len(value) <= int(longest):
                yield (
                    reference,
                    {
                        "what": "reference",
                        "what_cy": "cyfeirnod",
                        "value": value,
                        "length": len(value),
                        "limits": f"{shortest} to {longest}",
                        "limits_cy": f"{shortest} i {longest}",
                    },
                )


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Return the Mondays to Fridays after ``start`` up to and including ``end`` (0 if none)."""
    if end <= start:
        return 0
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


@python_rule("EPAY-R023", kinds=["epay.direct-debit-instruction"])
def first_collection_lead_time(root: Any, profile: DatedProfile | None = None) -> Iterator[Finding]:
    """First Direct Debit collection respects the lead time (dated parameter)."""
    given = _day(root, f"{_E}InstructionDate")
    first_element = root.find(f"{_E}FirstCollectionDate")
    first = _day(root, f"{_E}FirstCollectionDate")
    if given is None or first is None:
        return
    lead = epay_parameter("dd-first-collection-lead-working-days", given, profile)
    if lead is None:
        return
    days = working_days_between(given, first)
    if days < int(lead):
        yield first_element, {"first": first, "given": given, "days": days, "lead": lead}


__all__ = [
    "DEFAULT_FUND_TABLE",
    "DEFAULT_GATEWAY_LIMITS",
    "PARAMETERS_FILE",
    "ROUTINES",
    "ROUTINE_NAMES",
    "DatedProfile",
    "EpayProfile",
    "FundRule",
    "account_reference_check_digit",
    "allocations_add_up",
    "amount_within_gateway_limits",
    "bacs_field_lengths",
    "discount_deadline",
    "epay_parameter",
    "find_card_numbers",
    "first_collection_lead_time",
    "instalments_add_up",
    "is_surcharge_line",
    "luhn_valid",
    "may_hold_card_data",
    "mod11_check_character",
    "mod11_valid",
    "mod97_valid",
    "no_card_numbers",
    "payout_adds_up",
    "penalty_discount_in_time",
    "record_sums",
    "text_runs",
    "trailer_findings",
    "trailer_totals_match",
    "working_days_between",
]
