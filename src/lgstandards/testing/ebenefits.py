"""Hypothesis strategies for the e-Benefits messages (needs the ``hypothesis`` test extra).

Each strategy draws a model that is valid against the schema and, by default, passes
every e-Benefits business rule (Schematron and Python). With ``breaks="BEN-Rnnn"``
the drawn message breaks exactly that rule and no other e-Benefits rule, which lets
suppliers and tests check a validator rule by rule::

    from hypothesis import given
    from lgstandards.testing.ebenefits import benefit_claims

    @given(benefit_claims(breaks="BEN-R013"))
    def test_private_tenancy_needs_landlord(claim): ...

The breakable rules of each message are in :data:`BREAKABLE`. Headers, names,
addresses and free text come from :mod:`lgstandards.testing.common`. Install with
``pip install 'lgstandards[testing]'``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from decimal import Decimal
from string import ascii_uppercase
from typing import Any

from lgstandards.models.common import ADMINISTRATIVE_NINO_PREFIXES, BankAccount, is_valid_nino
from lgstandards.models.ebenefits import (
    Award,
    BackdatingRequest,
    BenefitClaim,
    BulkClaims,
    Capital,
    CapitalItem,
    Change,
    ChangeOfCircumstances,
    Claimant,
    ClaimantIdentity,
    ClaimDetails,
    ClaimStatusQuery,
    Contact,
    DecisionNotice,
    DecisionReason,
    Declaration,
    Dependant,
    Dependants,
    Employer,
    EvidenceDocument,
    EvidenceItem,
    EvidenceList,
    EvidenceSubmission,
    IncomeItem,
    Incomes,
    Landlord,
    NonDependant,
    NonDependants,
    Overpayment,
    Partner,
    PaymentDetails,
    Period,
    PeriodicAmount,
    RiskAssessment,
    Tenancy,
)
from lgstandards.rules.ebenefits import months_before
from lgstandards.testing._hypothesis import st
from lgstandards.testing.common import (
    TEXT_ALPHABET,
    addresses,
    headers,
    money,
    person_names,
    postcodes,
    text,
)

#: The rules each strategy can break on request, by strategy name.
BREAKABLE: dict[str, tuple[str, ...]] = {
    "benefit_claims": tuple(
        f"BEN-R{n:03d}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16)
    ),
    "changes_of_circumstances": ("BEN-R009", "BEN-R010", "BEN-R016", "BEN-R017"),
    "evidence_submissions": ("BEN-R022",),
    "decision_notices": ("BEN-R019", "BEN-R020", "BEN-R021"),
}

_FIRST_DAY = dt.date(2017, 1, 1)
_LAST_DAY = dt.date(2026, 11, 1)
_ONE = dt.timedelta(days=1)


def _text(min_size: int, max_size: int) -> st.SearchStrategy[str]:
    """Free text of every printable character of the schema's TextType."""
    return text(min_size, max_size, alphabet=TEXT_ALPHABET)


#: A claim or document reference.
references = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9/._\-]{0,34}", fullmatch=True)
#: The NINO prefixes HMRC issues, less the administrative ones (``models.common``'s rules).
_NINO_PREFIXES = [
    prefix
    for prefix in (a + b for a in ascii_uppercase for b in ascii_uppercase)
    if is_valid_nino(f"{prefix}000000A") and prefix not in ADMINISTRATIVE_NINO_PREFIXES
]
nino_prefixes = st.sampled_from(_NINO_PREFIXES)
_NINO_SUFFIXES = [c for c in ascii_uppercase if is_valid_nino(f"{_NINO_PREFIXES[0]}000000{c}")]


@st.composite
def ninos(draw: st.DrawFn) -> str:
    """Draw a National Insurance number passing the HMRC rules (no administrative prefix)."""
    digits = draw(st.from_regex(r"[0-9]{6}", fullmatch=True))
    return draw(nino_prefixes) + digits + draw(st.sampled_from(_NINO_SUFFIXES))


def _birth_for_age(doc: dt.date, years: int, extra_days: int) -> dt.date:
    """Return a birth date giving ``years`` on ``doc`` (``extra_days`` into that year of age)."""
    try:
        birthday = doc.replace(year=doc.year - years)
    except ValueError:  # 29 February
        birthday = doc.replace(year=doc.year - years, day=28)
    return birthday - dt.timedelta(days=extra_days)


def _period_end(start: dt.date, frequency: str, draw: st.DrawFn) -> dt.date:
    """Return the end of a pay period of ``frequency`` starting on ``start``."""
    fixed = {"weekly": 6, "fortnightly": 13, "four-weekly": 27}
    if frequency in fixed:
        return start + dt.timedelta(days=fixed[frequency])
    months = {"calendar-monthly": 1, "quarterly": 3, "annually": 12}
    if frequency in months:
        # the day before the same day ``months`` later, clamped: 28 to 31, 89 to 92, 365/366 days
        later = months_before(start, -months[frequency])
        return later - _ONE
    return start + dt.timedelta(days=draw(st.integers(0, 60)))


@st.composite
def income_items(
    draw: st.DrawFn,
    item_id: str,
    person_ref: str,
    reporting: dt.date,
    *,
    ended_employment: bool = False,
    frequency: str | None = None,
) -> IncomeItem:
    """Draw an income item consistent with BEN-R009/R010 (pay dates up to ``reporting``)."""
    category = (
        "employment"
        if ended_employment
        else draw(
            st.sampled_from(
                ["employment", "pension", "state-benefit", "maintenance", "self-employment"]
            )
        )
    )
    freq = frequency or draw(
        st.sampled_from(
            [
                "weekly",
                "fortnightly",
                "four-weekly",
                "calendar-monthly",
                "quarterly",
                "annually",
                "other",
            ]
        )
    )
    start = draw(st.dates(reporting - dt.timedelta(days=400), reporting))
    with_period = frequency is not None or draw(st.booleans())
    pay_period = (
        Period(start_date=start, end_date=_period_end(start, freq, draw)) if with_period else None
    )
    pay_dates = draw(st.lists(st.dates(reporting - dt.timedelta(days=120), reporting), max_size=3))
    return IncomeItem(
        item_id=item_id,
        person_ref=person_ref,
        category=category,
        employer=Employer(name=draw(_text(1, 100))) if category == "employment" else None,
        start_date=reporting - dt.timedelta(days=700) if category == "employment" else None,
        end_date=reporting - dt.timedelta(days=3) if ended_employment else None,
        hours_per_week=draw(st.none() | st.decimals(Decimal(0), Decimal(168), places=2)),
        frequency=freq,
        frequency_description="Every six weeks" if freq == "other" else None,
        gross_amount=draw(money("0", "5000")),
        pay_period=pay_period,
        pay_date=sorted(pay_dates),
    )


def benefit_claims(breaks: str | None = None) -> st.SearchStrategy[BenefitClaim]:
    """Draw a claim passing every rule, or breaking exactly the rule ``breaks``."""
    if breaks is not None and breaks not in BREAKABLE["benefit_claims"]:
        raise ValueError(f"benefit_claims cannot break {breaks}")
    return _benefit_claims(breaks)


@st.composite
def _benefit_claims(draw: st.DrawFn, breaks: str | None) -> BenefitClaim:
    doc = draw(st.dates(_FIRST_DAY, _LAST_DAY))
    received = doc + dt.timedelta(days=draw(st.integers(0, 20)))
    backdated = draw(st.booleans()) and breaks != "BEN-R007"
    if backdated:  # claimed months late, with a reason (BEN-R007 satisfied)
        received = doc + dt.timedelta(days=draw(st.integers(35, 200)))
    hb = draw(st.booleans()) or breaks == "BEN-R012"
    benefits = ["HB", "CTR"] if hb and draw(st.booleans()) else (["HB"] if hb else ["CTR"])
    want_partner = draw(st.booleans()) or breaks in ("BEN-R002",)
    want_dependant = draw(st.booleans()) or breaks in ("BEN-R003", "BEN-R006")
    ids = iter(f"P{n}" for n in range(1, 100))
    numbers = iter(draw(st.lists(ninos(), min_size=8, max_size=8, unique=True)))

    claimant = Claimant(
        person_id=next(ids),
        name=draw(person_names()),
        birth_date=_birth_for_age(doc, draw(st.integers(18, 90)), draw(st.integers(1, 300))),
        national_insurance_number=next(numbers),
        contact=Contact(email="claimant@example.org", preferred_language="cy")
        if draw(st.booleans())
        else None,
        address=draw(addresses()),
        lives_with_partner="yes" if want_partner else "no",
        passporting_benefit=draw(st.none() | st.sampled_from(["none", "universal-credit"])),
    )
    partner = (
        Partner(
            person_id=next(ids),
            name=draw(person_names()),
            birth_date=_birth_for_age(doc, draw(st.integers(18, 90)), draw(st.integers(1, 300))),
            national_insurance_number=next(numbers),
            relationship=draw(st.sampled_from(["married", "civil-partnership", "living-together"])),
        )
        if want_partner
        else None
    )
    dependants = [
        Dependant(
            person_id=next(ids),
            name=draw(person_names()),
            birth_date=_birth_for_age(doc, draw(st.integers(0, 14)), draw(st.integers(1, 300))),
            nino_not_held_reason="not-required",
            child_benefit_received=draw(st.none() | st.sampled_from(["yes", "no"])),
        )
        for _ in range(draw(st.integers(1 if want_dependant else 0, 2)))
    ]
    non_dependants = [
        NonDependant(
            person_id=next(ids),
            name=draw(person_names()),
            birth_date=_birth_for_age(doc, draw(st.integers(18, 70)), draw(st.integers(1, 300))),
            national_insurance_number=next(numbers),
            relationship_to_claimant="Mab (son)",
            gross_weekly_income=draw(st.none() | money("0", "900")),
        )
        for _ in range(draw(st.integers(0, 1)))
    ]
    people = [p.person_id for p in (claimant, partner, *dependants, *non_dependants) if p]
    adults = [claimant.person_id] + ([partner.person_id] if partner else [])

    tenure = (
        "private-rented"
        if breaks == "BEN-R013"
        else draw(st.sampled_from(["private-rented", "local-authority", "housing-association"]))
    )
    tenancy = Tenancy(
        tenure=tenure,
        landlord=Landlord(name="Landlord Prawf Cyf") if tenure == "private-rented" else None,
        rent=PeriodicAmount(
            amount=draw(money("1", "3000")),
            frequency=draw(st.sampled_from(["weekly", "four-weekly", "calendar-monthly"])),
        ),
        bedroom_count=draw(st.none() | st.integers(0, 9)),
    )

    ended = breaks == "BEN-R011" or draw(st.booleans())
    incomes = [
        draw(income_items(f"INC{n}", draw(st.sampled_from(people)), received))
        for n in range(1, draw(st.integers(1, 3)) + 1)
    ]
    if ended:
        incomes.append(draw(income_items("INCEND", adults[0], received, ended_employment=True)))
    if breaks in ("BEN-R009",):
        incomes.append(draw(income_items("INCW", adults[0], received, frequency="weekly")))
    limit = Decimal("16000.00")
    capital = [
        CapitalItem(
            item_id=f"CAP{n}",
            person_ref=[draw(st.sampled_from(adults))],
            category=draw(st.sampled_from(["current-account", "savings-account", "isa"])),
            value=draw(money("0", "5000")),
        )
        for n in range(1, draw(st.integers(1, 3)) + 1)
    ]
    evidence = [
        EvidenceItem(
            evidence_type="final-payslip" if item.end_date is not None else "payslip",
            person_ref=item.person_ref,
            relates_to=item.item_id,
            status=draw(st.sampled_from(["required", "provided", "waived"])),
        )
        for item in incomes
    ] + [
        EvidenceItem(evidence_type="bank-statement", relates_to=item.item_id, status="required")
        for item in capital
    ]
    risk = "medium" if breaks == "BEN-R014" else draw(st.sampled_from(["low", "medium", "high"]))
    claim = BenefitClaim(
        header=draw(headers(received)),
        claim_details=ClaimDetails(
            submission_id=draw(references),
            channel=draw(st.sampled_from(["online", "paper", "telephone"])),
            benefit_claimed=benefits,
            ctr_scheme_id="CTR-2026" if "CTR" in benefits else None,
            date_of_claim=doc,
            received_date=received,
            backdating_request=BackdatingRequest(reason="Roeddwn yn yr ysbyty (in hospital).")
            if backdated
            else None,
        ),
        claimant=claimant,
        partner=partner,
        dependants=Dependants(dependant=dependants) if dependants else None,
        non_dependants=NonDependants(non_dependant=non_dependants) if non_dependants else None,
        tenancy=tenancy if hb or draw(st.booleans()) else None,
        incomes=Incomes(income_item=incomes),
        capital=Capital(capital_item=capital),
        payment_details=PaymentDetails(
            payee="claimant",
            bank_account=BankAccount(
                account_name="S Prawf", sort_code="000000", account_number="00000001"
            ),
        )
        if hb and draw(st.booleans())
        else None,
        evidence=EvidenceList(evidence_item=evidence),
        risk_assessment=RiskAssessment(category=risk, score=draw(st.none() | st.integers(0, 1000))),
        declaration=Declaration(
            text_version="DECL-2026-1",
            agreed="yes",
            signatory_name="Siân Prawf",
            signed_date=draw(st.dates(doc, received)),
        ),
    )
    if breaks is not None:
        _CLAIM_BREAKERS[breaks](claim, limit)
    return claim


def _break_claim(rule: str) -> Callable[[Callable[[BenefitClaim, Decimal], None]], Any]:
    def register(function: Callable[[BenefitClaim, Decimal], None]) -> Any:
        _CLAIM_BREAKERS[rule] = function
        return function

    return register


_CLAIM_BREAKERS: dict[str, Callable[[BenefitClaim, Decimal], None]] = {}


@_break_claim("BEN-R001")
def _r001(claim: BenefitClaim, limit: Decimal) -> None:
    claim.claimant.national_insurance_number = None
    claim.claimant.nino_not_held_reason = None


@_break_claim("BEN-R002")
def _r002(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.partner is not None
    claim.partner.national_insurance_number = claim.claimant.national_insurance_number


@_break_claim("BEN-R003")
def _r003(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.dependants is not None
    claim.dependants.dependant[0].birth_date = claim.claim_details.date_of_claim


@_break_claim("BEN-R004")
def _r004(claim: BenefitClaim, limit: Decimal) -> None:
    claim.claimant.birth_date = _birth_for_age(claim.claim_details.date_of_claim, 17, 1)


@_break_claim("BEN-R005")
def _r005(claim: BenefitClaim, limit: Decimal) -> None:
    claim.claimant.lives_with_partner = "no" if claim.partner is not None else "yes"


@_break_claim("BEN-R006")
def _r006(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.dependants is not None
    child = claim.dependants.dependant[0]
    child.birth_date = _birth_for_age(claim.claim_details.date_of_claim, 16, 0)
    child.in_qualifying_education = "no"


@_break_claim("BEN-R007")
def _r007(claim: BenefitClaim, limit: Decimal) -> None:
    details = claim.claim_details
    details.received_date = months_before(details.date_of_claim, -4) + _ONE
    details.backdating_request = None


@_break_claim("BEN-R008")
def _r008(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.capital is not None
    claim.capital.capital_item[0].value = limit + Decimal("0.01")  # type: ignore[assignment]
    claim.claimant.passporting_benefit = None


@_break_claim("BEN-R009")
def _r009(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.incomes is not None
    item = next(i for i in claim.incomes.income_item if i.item_id == "INCW")
    item.frequency = "fortnightly"


@_break_claim("BEN-R010")
def _r010(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.incomes is not None
    claim.incomes.income_item[0].pay_date = [claim.claim_details.received_date + _ONE]


@_break_claim("BEN-R011")
def _r011(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.evidence is not None
    for item in claim.evidence.evidence_item:
        if item.evidence_type == "final-payslip":
            item.evidence_type = "payslip"


@_break_claim("BEN-R012")
def _r012(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.tenancy is not None
    assert claim.tenancy.rent is not None
    claim.tenancy.rent.amount = Decimal("0.00")  # type: ignore[assignment]


@_break_claim("BEN-R013")
def _r013(claim: BenefitClaim, limit: Decimal) -> None:
    if claim.tenancy is None:
        claim.tenancy = Tenancy(tenure="private-rented")
    claim.tenancy.landlord = None


@_break_claim("BEN-R014")
def _r014(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.evidence is not None
    kept = [e for e in claim.evidence.evidence_item if e.relates_to != "CAP1"]
    claim.evidence = EvidenceList(evidence_item=kept) if kept else None


@_break_claim("BEN-R015")
def _r015(claim: BenefitClaim, limit: Decimal) -> None:
    assert claim.capital is not None
    claim.capital.capital_item[0].person_ref = ["Nobody"]


@_break_claim("BEN-R016")
def _r016(claim: BenefitClaim, limit: Decimal) -> None:
    claim.declaration.agreed = "no"


def changes_of_circumstances(breaks: str | None = None) -> st.SearchStrategy[ChangeOfCircumstances]:
    """Draw a change of circumstances passing every rule, or breaking exactly ``breaks``."""
    if breaks is not None and breaks not in BREAKABLE["changes_of_circumstances"]:
        raise ValueError(f"changes_of_circumstances cannot break {breaks}")
    return _changes_of_circumstances(breaks)


@st.composite
def _changes_of_circumstances(draw: st.DrawFn, breaks: str | None) -> ChangeOfCircumstances:
    reported = draw(st.dates(_FIRST_DAY, _LAST_DAY))
    income = draw(
        income_items(
            "INC1",
            "P2",
            reported,
            ended_employment=True,
            frequency="weekly" if breaks == "BEN-R009" else None,
        )
    )
    changes = [
        Change(
            change_type="income-stopped",
            effective_date=income.end_date or reported,
            person_ref="P2",
            income_item=income,
        ),
        Change(
            change_type=draw(st.sampled_from(["address", "rent", "other"])),
            effective_date=draw(st.dates(reported - dt.timedelta(days=60), reported)),
            description=draw(st.none() | _text(1, 2000)),
            new_address=draw(st.none() | addresses()),
        ),
    ]
    message = ChangeOfCircumstances(
        header=draw(headers(reported)),
        claim_reference=draw(references),
        claimant=ClaimantIdentity(
            name=draw(person_names()),
            birth_date=draw(st.dates(dt.date(1930, 1, 1), dt.date(2000, 1, 1))),
            national_insurance_number=draw(st.none() | ninos()),
            postcode=draw(st.none() | postcodes),
        ),
        reported_date=reported,
        change=changes,
        evidence=EvidenceList(
            evidence_item=[
                EvidenceItem(evidence_type="final-payslip", relates_to="INC1", status="provided")
            ]
        ),
        declaration=Declaration(
            text_version="DECL-2026-1",
            agreed="no" if breaks == "BEN-R016" else "yes",
            signatory_name="Siân Prawf",
            signed_date=reported,
        ),
    )
    if breaks == "BEN-R009":
        income.frequency = "fortnightly"
    elif breaks == "BEN-R010":
        income.pay_date = [reported + _ONE]
    elif breaks == "BEN-R017":
        changes[1].effective_date = reported + dt.timedelta(days=draw(st.integers(1, 90)))
    return message


def evidence_submissions(breaks: str | None = None) -> st.SearchStrategy[EvidenceSubmission]:
    """Draw an evidence submission passing every rule, or breaking BEN-R022."""
    if breaks is not None and breaks not in BREAKABLE["evidence_submissions"]:
        raise ValueError(f"evidence_submissions cannot break {breaks}")
    return _evidence_submissions(breaks)


@st.composite
def _evidence_submissions(draw: st.DrawFn, breaks: str | None) -> EvidenceSubmission:
    documents = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["payslip", "bank-statement", "identity"]))
        name = draw(
            st.text(TEXT_ALPHABET.replace("/", "").replace("\\", ""), min_size=1, max_size=40)
        )
        if draw(st.booleans()):
            documents.append(
                EvidenceDocument.for_content(
                    draw(st.binary(max_size=300)),
                    evidence_type=kind,
                    file_name=name,
                    mime_type="application/octet-stream",
                )
            )
        else:
            documents.append(
                EvidenceDocument(
                    evidence_type=kind,
                    file_name=name,
                    mime_type="application/pdf",
                    size=draw(st.integers(0, 10 * 1024**3)),
                    sha256=hashlib.sha256(name.encode()).hexdigest(),
                    document_id=draw(references),
                )
            )
    if breaks == "BEN-R022":
        documents.append(
            EvidenceDocument.for_content(
                b"fake evidence", evidence_type="other", file_name="x.txt", mime_type="text/plain"
            )
        )
        documents[-1].size += draw(st.integers(1, 1000))
    return EvidenceSubmission(
        header=draw(headers()),
        claim_reference=draw(references),
        channel=draw(st.none() | st.just("online")),
        document=documents,
    )


def decision_notices(breaks: str | None = None) -> st.SearchStrategy[DecisionNotice]:
    """Draw a decision notice passing every rule, or breaking exactly ``breaks``."""
    if breaks is not None and breaks not in BREAKABLE["decision_notices"]:
        raise ValueError(f"decision_notices cannot break {breaks}")
    return _decision_notices(breaks)


@st.composite
def _decision_notices(draw: st.DrawFn, breaks: str | None) -> DecisionNotice:
    benefit = "HB" if breaks == "BEN-R020" else draw(st.sampled_from(["HB", "CTR"]))
    doc = draw(st.dates(_FIRST_DAY, _LAST_DAY))
    backdated = doc - dt.timedelta(days=draw(st.integers(1, 90))) if draw(st.booleans()) else None
    earliest = backdated or doc
    rent = draw(money("0", "800"))
    start = draw(st.dates(dt.date(2015, 1, 1), _LAST_DAY))
    notice = DecisionNotice(
        header=draw(headers(doc)),
        claim_reference=draw(references),
        benefit_type=benefit,
        ctr_scheme_id="CTR-2026" if benefit == "CTR" else None,
        decision_type="award",
        decision_date=doc + dt.timedelta(days=draw(st.integers(0, 60))),
        date_of_claim=doc,
        backdated_from=backdated,
        effective_from=earliest + dt.timedelta(days=draw(st.integers(0, 6))),
        award=Award(
            weekly_entitlement=draw(money("0", str(rent))) if benefit == "HB" else rent,
            eligible_rent=rent if benefit == "HB" else None,
            payee=draw(st.none() | st.just("claimant")),
        ),
        reason=[DecisionReason(code="AWD-01", text=draw(_text(1, 200)))],
        overpayment=(
            Overpayment(
                period_from=start,
                period_to=start + dt.timedelta(days=draw(st.integers(0, 400))),
                amount=draw(money("0.01", "99999")),
                classification=draw(st.sampled_from(["claimant-error", "local-authority-error"])),
                recoverable=draw(st.sampled_from(["yes", "no"])),
            )
            if draw(st.booleans())
            else None
        )
        if breaks != "BEN-R021"
        else Overpayment(
            period_from=start,
            period_to=start - dt.timedelta(days=draw(st.integers(1, 30))),
            amount=draw(money("0.01", "999")),
            classification="fraud",
            recoverable="yes",
        ),
    )
    if breaks == "BEN-R019":
        notice.effective_from = earliest - dt.timedelta(days=draw(st.integers(1, 30)))
    elif breaks == "BEN-R020":
        assert notice.award is not None
        notice.award.weekly_entitlement = rent + Decimal("0.01")  # type: ignore[assignment]
    return notice


@st.composite
def claim_status_queries(draw: st.DrawFn) -> ClaimStatusQuery:
    """Draw a status query, by claim reference or by NI number and birth date."""
    if draw(st.booleans()):
        return ClaimStatusQuery(header=draw(headers()), claim_reference=draw(references))
    return ClaimStatusQuery(
        header=draw(headers()),
        national_insurance_number=draw(ninos()),
        birth_date=draw(st.dates(dt.date(1920, 1, 1), dt.date(2008, 1, 1))),
        benefit_type=draw(st.none() | st.sampled_from(["HB", "CTR"])),
    )


@st.composite
def bulk_claims(draw: st.DrawFn, max_claims: int = 3) -> BulkClaims:
    """Draw a bulk file of 1 to ``max_claims`` valid claims."""
    return BulkClaims(
        header=draw(headers()),
        batch_reference=draw(st.none() | references),
        benefit_claim=draw(st.lists(benefit_claims(), min_size=1, max_size=max_claims)),
    )


#: A strategy for each message, by its kind in the catalogue.
STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "ebenefits.claim": benefit_claims,
    "ebenefits.change-of-circumstances": changes_of_circumstances,
    "ebenefits.evidence-submission": evidence_submissions,
    "ebenefits.decision-notice": decision_notices,
    "ebenefits.status-query": claim_status_queries,
    "ebenefits.bulk-claims": bulk_claims,
}

__all__ = [
    "BREAKABLE",
    "STRATEGIES",
    "benefit_claims",
    "bulk_claims",
    "changes_of_circumstances",
    "claim_status_queries",
    "decision_notices",
    "evidence_submissions",
    "income_items",
    "ninos",
    "references",
]
