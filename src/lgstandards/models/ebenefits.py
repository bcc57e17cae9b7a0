"""Typed models of the e-Benefits messages (Housing Benefit and Council Tax Reduction).

One model per message of ``schemas/ebenefits/lgs-ebenefits-v1-0.xsd``:
:class:`BenefitClaim`, :class:`ChangeOfCircumstances`, :class:`EvidenceSubmission`,
:class:`DecisionNotice`, :class:`ClaimStatusQuery` and :class:`BulkClaims`, and one
model per structure, named after it without ``Structure``. The models accept exactly
what the schema accepts, so ``from_xml()`` loads any schema-valid message and
``to_xml()`` always writes one; the business rules (BEN-R001 ...) are checked by the
validator, not by the models, so that a claim can be loaded and reported on::

    claim = BenefitClaim.from_xml("claim.xml")
    claim.claimant.name.given_name          # ['Siân']
    claim.to_xml()                          # schema-valid bytes, same prefixes and order
"""

from __future__ import annotations

import base64
import hashlib
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from lgstandards._xmlvalues import is_base64
from lgstandards.models._xml import Xml, XmlModel
from lgstandards.models.common import (
    TEXT_PATTERN,
    XML_WHITESPACE,
    BankAccount,
    BS7666Address,
    EmailAddress,
    Language,
    MessageHeader,
    Money,
    NINumber,
    NonNegativeMoney,
    PersonName,
    Postcode,
    SchemaVersion,
    TelephoneNumber,
    Timestamp,
    XsDate,
    YesNo,
)

BEN_NS = "urn:lgstandards:ebenefits:1"

# ---------------------------------------------------------------- simple types
#: HB (Housing Benefit) or CTR (Council Tax Reduction).
BenefitType = Literal["HB", "CTR"]
#: A claim, submission, scheme or document reference.
Reference = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9/._\-]{0,34}$")]
#: An id local to one message (PersonId, ItemId and the references to them).
LocalId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_\-]{0,31}$")]
#: Text of 1 to 100 characters (Welsh letters allowed).
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=TEXT_PATTERN)]
#: Text of 1 to 2000 characters (Welsh letters allowed).
LongText = Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=TEXT_PATTERN)]
Channel = Literal[
    "online", "paper", "telephone", "face-to-face", "email", "third-party", "bulk-transfer"
]
NinoNotHeldReason = Literal["applied-for", "never-issued", "not-known", "not-required"]
#: GovTalk gender code: 0 not known, 1 male, 2 female, 9 not specified.
Gender = Literal["0", "1", "2", "9"]
PassportingBenefit = Literal[
    "guarantee-pension-credit",
    "income-support",
    "jsa-income-based",
    "esa-income-related",
    "universal-credit",
    "none",
]
CoupleRelationship = Literal["married", "civil-partnership", "living-together"]
Tenure = Literal[
    "private-rented",
    "local-authority",
    "housing-association",
    "supported-exempt",
    "owner-occupier",
    "shared-ownership",
    "other",
]
Frequency = Literal[
    "weekly", "fortnightly", "four-weekly", "calendar-monthly", "quarterly", "annually", "other"
]
IncomeCategory = Literal[
    "employment",
    "self-employment",
    "statutory-pay",
    "state-benefit",
    "pension",
    "maintenance",
    "student-income",
    "other",
]
CapitalCategory = Literal[
    "current-account",
    "savings-account",
    "isa",
    "premium-bonds",
    "shares",
    "property",
    "cash",
    "other",
]
EvidenceType = Literal[
    "payslip",
    "final-payslip",
    "bank-statement",
    "tenancy-agreement",
    "rent-statement",
    "identity",
    "benefit-letter",
    "pension-statement",
    "capital-statement",
    "self-employed-accounts",
    "childcare-invoice",
    "student-finance",
    "other",
]
EvidenceStatus = Literal["required", "provided", "waived"]
Verification = Literal["original-seen", "certified-copy", "copy", "electronic", "rbv-waived"]
RiskCategory = Literal["low", "medium", "high"]
Payee = Literal["claimant", "landlord", "appointee"]
ChangeType = Literal[
    "address",
    "household-member-joined",
    "household-member-left",
    "income-started",
    "income-stopped",
    "income-changed",
    "capital-changed",
    "pension",
    "childcare",
    "rent",
    "bank-details",
    "stop-claim",
    "death",
    "other",
]
DecisionType = Literal[
    "award", "nil-award", "refusal", "suspension", "termination", "revision", "supersession"
]
OverpaymentClassification = Literal[
    "claimant-error", "local-authority-error", "dwp-error", "fraud", "other"
]
RecoveryMethod = Literal[
    "deduction-from-ongoing-benefit", "deduction-from-other-benefit", "invoice"
]
ReasonCode = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9\-]{1,10}$")]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
MimeType = Annotated[str, StringConstraints(pattern=r"^[a-z]{1,20}/[a-z0-9][a-z0-9.+\-]{0,79}$")]


def _no_folder(value: str) -> str:
    if "/" in value or "\\" in value:
        raise PydanticCustomError("ebenefits.file-name", "a file name has no / or \\")
    return value


#: A file name without a folder.
FileName = Annotated[
    str,
    StringConstraints(min_length=1, max_length=255, pattern=TEXT_PATTERN),
    AfterValidator(_no_folder),
]


def _bounded_digits(pattern: str, maximum: int) -> tuple[Any, Any]:
    lexical = re.compile(pattern)

    def check_lexical(value: Any) -> Any:
        if isinstance(value, str) and lexical.fullmatch(value) is None:
            raise PydanticCustomError("xsd.integer", "'{value}' is not allowed", {"value": value})
        if isinstance(value, bool):
            raise PydanticCustomError("xsd.integer", "give an int, not a bool")
        return value

    return BeforeValidator(check_lexical), Field(ge=0, le=maximum)


_COUNT = _bounded_digits(r"[0-9]{1,2}", 99)
_SCORE = _bounded_digits(r"[0-9]{1,4}", 1000)
_SIZE = _bounded_digits(r"[0-9]{1,11}", 10 * 1024**3)
#: A small count (rooms, joint tenants): 0 to 99.
Count = Annotated[int, _COUNT[0], _COUNT[1]]
#: A risk score: 0 to 1000.
RiskScore = Annotated[int, _SCORE[0], _SCORE[1]]
#: A file size in bytes: 0 to 10 GiB.
FileSize = Annotated[int, _SIZE[0], _SIZE[1]]

_HOURS = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?")


def _hours(value: Any) -> Decimal:
    if isinstance(value, float | bool):
        raise PydanticCustomError("ebenefits.hours", "give hours as a Decimal, int or string")
    if isinstance(value, str) and _HOURS.fullmatch(value) is None:
        raise PydanticCustomError("ebenefits.hours", "'{value}' is not hours", {"value": value})
    try:
        number = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise PydanticCustomError(
            "ebenefits.hours", "'{value}' is not hours", {"value": str(value)}
        ) from None
    if not number.is_finite():
        raise PydanticCustomError("ebenefits.hours", "hours have at most two decimal places")
    if abs(number) > 1000:  # no week's hours (and quantize would overflow at 10**27)
        raise PydanticCustomError("ebenefits.hours", "hours a week are 0 to 168")
    if number != number.quantize(Decimal("0.01")):
        raise PydanticCustomError("ebenefits.hours", "hours have at most two decimal places")
    if not Decimal(0) <= number <= Decimal(168):
        raise PydanticCustomError("ebenefits.hours", "hours a week are 0 to 168")
    if number.is_zero():
        return Decimal(0)
    # Written as plain digits (no exponent), at most two places, as the schema's pattern.
    return number.quantize(Decimal("0.01")) if number.as_tuple().exponent != 0 else number


#: Hours a week: 0 to 168, at most two decimal places.
Hours = Annotated[Decimal, BeforeValidator(_hours)]


def _base64_text(value: str) -> str:
    if not is_base64(value):
        raise PydanticCustomError("ebenefits.base64", "the content is not valid base64")
    return value


#: File content as base64 text (``xs:base64Binary``), kept exactly as written.
Base64Text = Annotated[str, AfterValidator(_base64_text)]


def decode_base64(text: str) -> bytes:
    """Decode ``xs:base64Binary`` text (whitespace allowed) to bytes."""
    return base64.b64decode(XML_WHITESPACE.sub("", text).replace(" ", ""), validate=True)


# ---------------------------------------------------------------- structures
class EBenefitsModel(XmlModel):
    """Base of the structures defined in the e-Benefits namespace."""

    xml_namespace: ClassVar[str] = BEN_NS
    xml_prefix: ClassVar[str] = "ben"


class BackdatingRequest(EBenefitsModel):
    """A request for backdating, with the reason for claiming late (BEN-R007)."""

    requested_from: XsDate | None = None
    reason: LongText | None = None


class ClaimDetails(EBenefitsModel):
    """What is claimed, the date of claim and when it was received."""

    submission_id: Reference
    claim_reference: Reference | None = None
    channel: Channel
    benefit_claimed: Annotated[list[BenefitType], Field(min_length=1, max_length=2)]
    ctr_scheme_id: Annotated[Reference | None, Field(alias="CTRSchemeId")] = None
    date_of_claim: XsDate
    received_date: XsDate
    backdating_request: BackdatingRequest | None = None


class Person(EBenefitsModel):
    """What every person in a claim has; ``person_id`` is what PersonRef points to."""

    person_id: Annotated[LocalId, Xml(attr=True)]
    name: PersonName
    birth_date: XsDate
    national_insurance_number: NINumber | None = None
    nino_not_held_reason: NinoNotHeldReason | None = None
    gender: Gender | None = None


class Contact(EBenefitsModel):
    """How to contact a person."""

    telephone: TelephoneNumber | None = None
    email: EmailAddress | None = None
    preferred_language: Language | None = None


class Claimant(Person):
    """The person claiming."""

    nationality: ShortText | None = None
    contact: Contact | None = None
    address: BS7666Address
    date_moved_in: XsDate | None = None
    lives_with_partner: YesNo
    passporting_benefit: PassportingBenefit | None = None


class Partner(Person):
    """The claimant's partner."""

    relationship: CoupleRelationship
    date_joined_household: XsDate | None = None


class Dependant(Person):
    """A child or young person the claimant or partner is responsible for."""

    child_benefit_received: YesNo | None = None
    disabled: YesNo | None = None
    in_qualifying_education: YesNo | None = None


class Dependants(EBenefitsModel):
    """The list of dependants."""

    dependant: Annotated[list[Dependant], Field(min_length=1)]


class NonDependant(Person):
    """An adult living in the home who is not the partner or a dependant."""

    relationship_to_claimant: ShortText
    student: YesNo | None = None
    gross_weekly_income: NonNegativeMoney | None = None


class NonDependants(EBenefitsModel):
    """The list of non-dependants."""

    non_dependant: Annotated[list[NonDependant], Field(min_length=1)]


class Landlord(EBenefitsModel):
    """A landlord or managing agent."""

    name: ShortText
    address: BS7666Address | None = None
    contact: Contact | None = None
    managing_agent: ShortText | None = None


class PeriodicAmount(EBenefitsModel):
    """An amount and how often it is due."""

    amount: Money
    frequency: Frequency


class ServiceCharge(EBenefitsModel):
    """One service charge."""

    description: ShortText
    amount: NonNegativeMoney
    frequency: Frequency


class Tenancy(EBenefitsModel):
    """The home: tenure, landlord and rent."""

    tenure: Tenure
    landlord: Landlord | None = None
    rent: PeriodicAmount | None = None
    service_charge: list[ServiceCharge] = Field(default_factory=list)
    tenancy_start_date: XsDate | None = None
    joint_tenant_count: Count | None = None
    bedroom_count: Count | None = None
    council_tax_account_reference: Reference | None = None


class Employer(EBenefitsModel):
    """An employer."""

    name: ShortText
    address: BS7666Address | None = None
    payroll_number: Reference | None = None


class Period(EBenefitsModel):
    """A period of whole days, both ends included."""

    start_date: XsDate
    end_date: XsDate


class IncomeItem(EBenefitsModel):
    """One source of income of one person."""

    item_id: Annotated[LocalId, Xml(attr=True)]
    person_ref: LocalId
    category: IncomeCategory
    description: ShortText | None = None
    employer: Employer | None = None
    start_date: XsDate | None = None
    end_date: XsDate | None = None
    hours_per_week: Hours | None = None
    frequency: Frequency
    frequency_description: ShortText | None = None
    gross_amount: NonNegativeMoney
    net_amount: NonNegativeMoney | None = None
    pay_period: Period | None = None
    pay_date: list[XsDate] = Field(default_factory=list)


class Incomes(EBenefitsModel):
    """The list of income items."""

    income_item: Annotated[list[IncomeItem], Field(min_length=1)]


class CapitalItem(EBenefitsModel):
    """One capital item and its holders."""

    item_id: Annotated[LocalId, Xml(attr=True)]
    person_ref: Annotated[list[LocalId], Field(min_length=1, max_length=2)]
    category: CapitalCategory
    description: ShortText | None = None
    value: NonNegativeMoney
    valuation_date: XsDate | None = None


class Capital(EBenefitsModel):
    """The list of capital items."""

    capital_item: Annotated[list[CapitalItem], Field(min_length=1)]


class PaymentDetails(EBenefitsModel):
    """Who HB is paid to, and the account."""

    payee: Payee
    landlord_payment_reason: LongText | None = None
    bank_account: BankAccount


class EvidenceItem(EBenefitsModel):
    """One piece of evidence and where it stands."""

    evidence_type: EvidenceType
    person_ref: LocalId | None = None
    relates_to: LocalId | None = None
    status: EvidenceStatus
    document_id: Reference | None = None
    received_date: XsDate | None = None
    verification: Verification | None = None


class EvidenceList(EBenefitsModel):
    """The list of evidence items."""

    evidence_item: Annotated[list[EvidenceItem], Field(min_length=1)]


class RiskAssessment(EBenefitsModel):
    """The outcome of risk-based verification."""

    category: RiskCategory
    score: RiskScore | None = None
    provider: ShortText | None = None


class Declaration(EBenefitsModel):
    """The declaration and consents."""

    text_version: Reference
    agreed: YesNo
    signatory_name: ShortText
    signed_date: XsDate
    employer_contact_consent: YesNo | None = None
    third_party_contact_consent: YesNo | None = None


class ClaimantIdentity(EBenefitsModel):
    """The details a claimant is identified by in a change or query."""

    name: PersonName
    birth_date: XsDate
    national_insurance_number: NINumber | None = None
    postcode: Postcode | None = None


class HouseholdMember(Person):
    """A person who joined the household."""

    relationship_to_claimant: ShortText


class Change(EBenefitsModel):
    """One change of circumstances."""

    change_type: ChangeType
    effective_date: XsDate
    person_ref: LocalId | None = None
    description: LongText | None = None
    new_address: BS7666Address | None = None
    household_member: HouseholdMember | None = None
    income_item: IncomeItem | None = None
    capital_item: CapitalItem | None = None
    rent: PeriodicAmount | None = None
    bank_account: BankAccount | None = None


class EvidenceDocument(EBenefitsModel):
    """One evidence document: name, type, size, digest, and content or a store id."""

    evidence_type: EvidenceType
    person_ref: LocalId | None = None
    relates_to: LocalId | None = None
    file_name: FileName
    mime_type: MimeType
    size: FileSize
    sha256: Annotated[Sha256, Field(alias="Sha256")]
    content: Base64Text | None = None
    document_id: Reference | None = None
    received_date_time: Timestamp | None = None

    @classmethod
    def for_content(cls, data: bytes, **fields: Any) -> Self:
        """Build a document embedding ``data``, with its size and SHA-256 filled in."""
        return cls(
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content=base64.b64encode(data).decode("ascii"),
            **fields,
        )

    def content_bytes(self) -> bytes | None:
        """Return the decoded content, or None when the document is held elsewhere."""
        return None if self.content is None else decode_base64(self.content)


class NonDependantDeduction(EBenefitsModel):
    """A weekly deduction for one non-dependant."""

    person_ref: LocalId | None = None
    amount: NonNegativeMoney


class Award(EBenefitsModel):
    """The weekly calculation of an award and how it is paid."""

    weekly_entitlement: NonNegativeMoney
    eligible_rent: NonNegativeMoney | None = None
    applicable_amount: NonNegativeMoney | None = None
    assessed_weekly_income: NonNegativeMoney | None = None
    tariff_income: NonNegativeMoney | None = None
    non_dependant_deduction: list[NonDependantDeduction] = Field(default_factory=list)
    payee: Payee | None = None
    payment_frequency: Frequency | None = None
    first_payment_date: XsDate | None = None


class DecisionReason(EBenefitsModel):
    """One reason for a decision."""

    code: ReasonCode
    text: LongText


class Overpayment(EBenefitsModel):
    """An overpayment created by a decision."""

    period_from: XsDate
    period_to: XsDate
    amount: Money
    classification: OverpaymentClassification
    recoverable: YesNo
    recovery_method: RecoveryMethod | None = None
    invoice_reference: Reference | None = None


# ---------------------------------------------------------------- messages
class BenefitClaim(EBenefitsModel):
    """A claim for Housing Benefit and/or Council Tax Reduction."""

    xml_root: ClassVar[str | None] = "BenefitClaim"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)] = "1.0"
    header: MessageHeader
    claim_details: ClaimDetails
    claimant: Claimant
    partner: Partner | None = None
    dependants: Dependants | None = None
    non_dependants: NonDependants | None = None
    tenancy: Tenancy | None = None
    incomes: Incomes | None = None
    capital: Capital | None = None
    payment_details: PaymentDetails | None = None
    evidence: EvidenceList | None = None
    risk_assessment: RiskAssessment | None = None
    declaration: Declaration

    def people(self) -> list[Person]:
        """Return every person in the claim: claimant, partner, dependants, non-dependants."""
        found: list[Person] = [self.claimant]
        if self.partner is not None:
            found.append(self.partner)
        if self.dependants is not None:
            found.extend(self.dependants.dependant)
        if self.non_dependants is not None:
            found.extend(self.non_dependants.non_dependant)
        return found


class ChangeOfCircumstances(EBenefitsModel):
    """Changes reported against an existing claim."""

    xml_root: ClassVar[str | None] = "ChangeOfCircumstances"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)] = "1.0"
    header: MessageHeader
    claim_reference: Reference
    claimant: ClaimantIdentity
    reported_date: XsDate
    change: Annotated[list[Change], Field(min_length=1)]
    evidence: EvidenceList | None = None
    declaration: Declaration


class EvidenceSubmission(EBenefitsModel):
    """Documents sent as evidence for a claim."""

    xml_root: ClassVar[str | None] = "EvidenceSubmission"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)] = "1.0"
    header: MessageHeader
    claim_reference: Reference
    submission_id: Reference | None = None
    channel: Channel | None = None
    document: Annotated[list[EvidenceDocument], Field(min_length=1)]


class DecisionNotice(EBenefitsModel):
    """The council's decision on a claim for one benefit."""

    xml_root: ClassVar[str | None] = "DecisionNotice"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)] = "1.0"
    header: MessageHeader
    claim_reference: Reference
    benefit_type: BenefitType
    ctr_scheme_id: Annotated[Reference | None, Field(alias="CTRSchemeId")] = None
    decision_type: DecisionType
    decision_date: XsDate
    date_of_claim: XsDate
    backdated_from: XsDate | None = None
    effective_from: XsDate
    effective_to: XsDate | None = None
    award: Award | None = None
    reason: list[DecisionReason] = Field(default_factory=list)
    overpayment: Overpayment | None = None
    reconsideration_deadline: XsDate | None = None


class ClaimStatusQuery(EBenefitsModel):
    """A status query by claim reference, or by NI number and date of birth."""

    xml_root: ClassVar[str | None] = "ClaimStatusQuery"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)] = "1.0"
    header: MessageHeader
    claim_reference: Reference | None = None
    national_insurance_number: NINumber | None = None
    birth_date: XsDate | None = None
    benefit_type: BenefitType | None = None

    @model_validator(mode="after")
    def _one_key(self) -> Self:
        by_person = (self.national_insurance_number, self.birth_date)
        if self.claim_reference is not None:
            if any(v is not None for v in by_person):
                raise PydanticCustomError(
                    "ebenefits.query-key",
                    "give a claim reference, or an NI number and birth date, not both",
                )
        elif any(v is None for v in by_person):
            raise PydanticCustomError(
                "ebenefits.query-key",
                "give a claim reference, or both an NI number and a birth date",
            )
        return self


class BulkClaims(EBenefitsModel):
    """A file of many claims with one header."""

    xml_root: ClassVar[str | None] = "BulkClaims"

    schema_version: Annotated[SchemaVersion, Xml(attr=True)] = "1.0"
    header: MessageHeader
    batch_reference: Reference | None = None
    benefit_claim: Annotated[list[BenefitClaim], Field(min_length=1)]


#: Every e-Benefits message model, by root element name.
MESSAGES: dict[str, type[EBenefitsModel]] = {
    m.xml_root or m.__name__: m
    for m in (
        BenefitClaim,
        ChangeOfCircumstances,
        EvidenceSubmission,
        DecisionNotice,
        ClaimStatusQuery,
        BulkClaims,
    )
}

__all__ = [
    "BEN_NS",
    "MESSAGES",
    "Award",
    "BackdatingRequest",
    "Base64Text",
    "BenefitClaim",
    "BenefitType",
    "BulkClaims",
    "Capital",
    "CapitalItem",
    "Change",
    "ChangeOfCircumstances",
    "ClaimDetails",
    "ClaimStatusQuery",
    "Claimant",
    "ClaimantIdentity",
    "Contact",
    "DecisionNotice",
    "DecisionReason",
    "Declaration",
    "Dependant",
    "Dependants",
    "EBenefitsModel",
    "Employer",
    "EvidenceDocument",
    "EvidenceItem",
    "EvidenceList",
    "EvidenceSubmission",
    "HouseholdMember",
    "IncomeItem",
    "Incomes",
    "Landlord",
    "NonDependant",
    "NonDependantDeduction",
    "NonDependants",
    "Overpayment",
    "Partner",
    "PaymentDetails",
    "PeriodicAmount",
    "Person",
    "RiskAssessment",
    "ServiceCharge",
    "Tenancy",
    "decode_base64",
]
