"""e-Benefits business rules coded in Python (the rest are in ``lgs-ebenefits-v1-0.sch``).

These rules need what XPath 1.0 lacks: dated legal parameters and calendar
arithmetic (BEN-R004, R006, R007, R008), or a digest of embedded content (BEN-R022).
The dated parameters live in ``schemas/ebenefits/parameters-v1-0.json``; each value
has an ``effective_from`` date and is marked *verify* until checked against the
legislation. A rule reads the value in force at the claim's date of claim, and does
not run when none is in force. BEN-R018 is stateful: it runs only inside
:func:`claims_register`, which tells it the claim references that exist. The
rules tolerate schema-invalid input (they skip what they cannot read), because
business rules also run on documents that failed the XSD layer.
"""

from __future__ import annotations

import binascii
import datetime as dt
import hashlib
from collections.abc import Container, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from types import MappingProxyType
from typing import Any

from lgstandards._xmlvalues import date_or_none, decimal_or_none, find_value, string_value
from lgstandards.rules import Finding, python_rule
from lgstandards.rules.parameters import parameters_file, value_on

BEN_NS = "urn:lgstandards:ebenefits:1"
_B = f"{{{BEN_NS}}}"
PARAMETERS_FILE = "ebenefits/parameters-v1-0.json"
CLAIM_KINDS = ("ebenefits.claim", "ebenefits.bulk-claims")


# ---------------------------------------------------------------- dated parameters
def parameters() -> Mapping[str, Any]:
    """Return the dated parameters file, read once (``parameters`` mapping by name)."""
    return parameters_file(PARAMETERS_FILE)


def parameter(name: str, on: dt.date) -> Any:
    """Return the value of parameter ``name`` in force on ``on``, or None if none is."""
    return value_on(PARAMETERS_FILE, name, on)


# ---------------------------------------------------------------- helpers
def _text(element: Any, path: str) -> str | None:
    """Return the value at ``path`` without surrounding spaces; None if missing or empty."""
    value = find_value(element, path)
    return (value.strip() or None) if value is not None else None


def _date(element: Any, path: str) -> dt.date | None:
    return date_or_none(find_value(element, path))


def age_on(birth: dt.date, day: dt.date) -> int:
    """Return a person's age in whole years on ``day``."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def months_before(day: dt.date, months: int) -> dt.date:
    """Return the date ``months`` calendar months before ``day`` (day clamped to month end).

    A date before the year 1 is clamped to ``date.min``.
    """
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    month += 1
    if year < dt.MINYEAR:
        return dt.date.min
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise ValueError(f"no date {months} months before {day}")  # pragma: no cover


def claims(root: Any) -> Iterator[Any]:
    """Yield every BenefitClaim element: the root itself, or each record of a bulk file."""
    if root.tag == f"{_B}BenefitClaim":
        yield root
    else:
        yield from root.iterfind(f"{_B}BenefitClaim")


def _date_of_claim(claim: Any) -> dt.date | None:
    return _date(claim, f"{_B}ClaimDetails/{_B}DateOfClaim")


# ---------------------------------------------------------------- rules
@python_rule("BEN-R004", kinds=CLAIM_KINDS)
def claimant_of_claiming_age(root: Any) -> Iterator[Finding]:
    """Claimant is of claiming age on the date of claim (dated parameter)."""
    for claim in claims(root):
        day = _date_of_claim(claim)
        birth_element = claim.find(f"{_B}Claimant/{_B}BirthDate")
        birth = _date(claim, f"{_B}Claimant/{_B}BirthDate")
        if day is None or birth is None:
            continue
        minimum = parameter("claimant-minimum-age", day)
        if minimum is None:
            continue
        age = age_on(birth, day)
        if age < int(minimum):
            yield birth_element, {"age": age, "minimum": minimum, "date": day.isoformat()}


@python_rule("BEN-R006", kinds=CLAIM_KINDS)
def dependants_of_dependant_age(root: Any) -> Iterator[Finding]:
    """Dependants are under 16, or under 20 in qualifying education (dated parameters)."""
    for claim in claims(root):
        day = _date_of_claim(claim)
        if day is None:
            continue
        child = parameter("dependant-age-limit", day)
        education = parameter("dependant-education-age-limit", day)
        if child is None or education is None:
            continue
        for dependant in claim.iterfind(f"{_B}Dependants/{_B}Dependant"):
            birth = _date(dependant, f"{_B}BirthDate")
            if birth is None:
                continue
            age = age_on(birth, day)
            studying = _text(dependant, f"{_B}InQualifyingEducation") == "yes"
            limit = int(education) if studying else int(child)
            if age >= limit:
                yield (
                    dependant,
                    {
                        "person": dependant.get("PersonId", "?"),
                        "age": age,
                        "child": child,
                        "education": education,
                    },
                )


#: BEN-R007's age groups (pension age or not) in English and Welsh.
_AGE_GROUPS: Mapping[bool, tuple[str, str]] = MappingProxyType(
    {True: ("pension age", "oedran pensiwn"), False: ("working age", "oedran gweithio")}
)


@python_rule("BEN-R007", kinds=CLAIM_KINDS)
def backdating_requested(root: Any) -> Iterator[Finding]:
    """Backdating request and reason given when the date of claim is backdated too far."""
    for claim in claims(root):
        details = claim.find(f"{_B}ClaimDetails")
        if details is None:
            continue
        claimed = _date(details, f"{_B}DateOfClaim")
        received = _date(details, f"{_B}ReceivedDate")
        birth = _date(claim, f"{_B}Claimant/{_B}BirthDate")
        if claimed is None or received is None or claimed >= received:
            continue
        pension_age = parameter("pension-credit-qualifying-age", claimed)
        pension = (
            birth is not None and pension_age is not None and age_on(birth, claimed) >= pension_age
        )
        group, group_cy = _AGE_GROUPS[pension]
        months = parameter(
            "backdating-pension-age-months" if pension else "backdating-working-age-months",
            received,
        )
        if months is None or claimed >= months_before(received, int(months)):
            continue
        reason = _text(details, f"{_B}BackdatingRequest/{_B}Reason")
        if not reason:
            yield (
                details.find(f"{_B}DateOfClaim"),
                {
                    "claimed": claimed.isoformat(),
                    "received": received.isoformat(),
                    "months": months,
                    "group": group,
                    "group_cy": group_cy,
                },
            )


@python_rule("BEN-R008", kinds=CLAIM_KINDS)
def capital_within_limit(root: Any) -> Iterator[Finding]:
    """Capital is not above the upper limit, unless passported via guarantee credit."""
    for claim in claims(root):
        day = _date_of_claim(claim)
        capital = claim.find(f"{_B}Capital")
        if day is None or capital is None:
            continue
        if _text(claim, f"{_B}Claimant/{_B}PassportingBenefit") == "guarantee-pension-credit":
            continue
        limit = parameter("capital-upper-limit", day)
        if limit is None:
            continue
        total = Decimal(0)
        for value in capital.iterfind(f"{_B}CapitalItem/{_B}Value"):
            amount = decimal_or_none(string_value(value))
            if amount is not None:
                total += amount
        if total > Decimal(str(limit)):
            yield capital, {"total": f"{total:.2f}", "limit": limit}


#: BEN-R022's evidence fields in Welsh.
_EVIDENCE_FIELDS_CY: Mapping[str, str] = MappingProxyType(
    {"Size": "maint", "Sha256": "crynodeb SHA-256"}
)


@python_rule("BEN-R022", kinds=("ebenefits.evidence-submission",))
def evidence_digest_matches(root: Any) -> Iterator[Finding]:
    """Evidence ``Sha256`` and ``Size`` match the embedded content when both are present."""
    import base64

    for document in root.iter(f"{_B}Document"):
        content = document.find(f"{_B}Content")
        if content is None:
            continue
        try:
            data = base64.b64decode("".join(string_value(content).split()), validate=True)
        except (binascii.Error, ValueError):
            continue
        wrong: list[str] = []
        actual: list[tuple[str, str]] = []  # English, Welsh
        size = decimal_or_none(_text(document, f"{_B}Size"))
        if size is not None and size != len(data):
            wrong.append("Size")
            actual.append((f"{len(data)} bytes", f"{len(data)} beit"))
        digest = _text(document, f"{_B}Sha256")
        computed = hashlib.sha256(data).hexdigest()
        if digest is not None and digest != computed:
            wrong.append("Sha256")
            actual.append((f"sha256 {computed}", f"SHA-256 {computed}"))
        if wrong:
            yield (
                document,
                {
                    "file": _text(document, f"{_B}FileName") or "?",
                    "what": " and ".join(wrong),
                    "what_cy": " a'r ".join(_EVIDENCE_FIELDS_CY[name] for name in wrong),
                    "actual": ", ".join(english for english, _ in actual),
                    "actual_cy": ", ".join(welsh for _, welsh in actual),
                },
            )


_REGISTER: ContextVar[Container[str] | None] = ContextVar("ebenefits_claims", default=None)


@contextmanager
def claims_register(references: Container[str]) -> Iterator[None]:
    """Check BEN-R018 against ``references`` (the existing claims) inside the ``with`` block.

    ``with claims_register(existing): report = validate(change)``; outside the block
    the stateful rule does not run.
    """
    token = _REGISTER.set(references)
    try:
        yield
    finally:
        _REGISTER.reset(token)


@python_rule("BEN-R018", kinds=("ebenefits.change-of-circumstances",))
def change_refers_to_existing_claim(root: Any) -> Iterator[Finding]:
    """Change of circumstances refers to an existing claim (stateful: see claims_register)."""
    register = _REGISTER.get()
    if register is None:
        return
    element = root.find(f"{_B}ClaimReference")
    reference = _text(root, f"{_B}ClaimReference")
    if reference is not None and reference not in register:
        yield element, {"reference": reference}


__all__ = [
    "CLAIM_KINDS",
    "PARAMETERS_FILE",
    "age_on",
    "backdating_requested",
    "capital_within_limit",
    "change_refers_to_existing_claim",
    "claimant_of_claiming_age",
    "claims",
    "claims_register",
    "dependants_of_dependant_age",
    "evidence_digest_matches",
    "months_before",
    "parameter",
    "parameters",
]
