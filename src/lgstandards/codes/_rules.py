"""Issue codes of the business rules: the Schematron rules' and the Python rules'.

Schematron rule ids, severities and texts are written once, in the ``.sch`` files
(``sch:assert/@id``, ``@role``, the assertion and its Welsh diagnostic), and read from
there. The Python rules' severities and message templates are written here, in
:data:`PYTHON_RULES`, beside their codes: a rule function (``lgstandards.rules``)
yields only the element and the template's parameters, and
:func:`lgstandards.codes.issue` makes the issue. A parameter that is wording rather
than a value from the document has a Welsh twin (``reason_cy`` ...) for the Welsh
template. Read when :func:`lgstandards.codes.registry` is first called, never at
import of ``lgstandards``.
"""

from __future__ import annotations

from lgstandards.codes import IssueCode
from lgstandards.report import Severity

E = Severity.ERROR
W = Severity.WARNING


def _python(
    rule_id: str, severity: Severity, description: str, description_cy: str, en: str, cy: str
) -> IssueCode:
    """Register a Python rule: its description and message templates, in both languages."""
    return IssueCode(f"rule.{rule_id}", severity, description, description_cy, en, cy)


#: The Python rules' codes, severities, descriptions and message templates (English, Welsh).
PYTHON_RULES: tuple[IssueCode, ...] = (
    # ------------------------------------------------------------- rules/common.py
    _python(
        "COM-R014",
        E,
        "Every non-empty postcode matches BS7666 v2 after normalisation.",
        "Mae pob cod post nad yw'n wag yn cyfateb i BS7666 v2 ar ôl ei normaleiddio.",
        "The postcode '{value}' is not a UK postcode (BS7666), even after normalising.",
        "Nid yw'r cod post '{value}' yn god post yn y DU (BS7666), hyd yn oed wedi'i normaleiddio.",
    ),
    _python(
        "COM-R016",
        E,
        "NINO passes the HMRC rules: shape, excluded letters, unissued prefixes, suffix A-D.",
        "Mae'r rhif Yswiriant Gwladol yn bodloni rheolau CThEF: ffurf, llythrennau a "
        "waherddir, rhagddodiaid heb eu dyroddi, ôl-ddodiad A i D.",
        "'{value}' is not a valid National Insurance number (HMRC prefix and suffix rules).",
        "Nid yw '{value}' yn rhif Yswiriant Gwladol dilys (rheolau rhagddodiad CThEF).",
    ),
    _python(
        "COM-R017",
        W,
        "NINO has an administrative or temporary prefix (a warning).",
        "Mae gan y rhif Yswiriant Gwladol ragddodiad gweinyddol neu dros dro (rhybudd).",
        "The National Insurance number {value} has an administrative or temporary prefix.",
        "Mae gan y rhif Yswiriant Gwladol {value} ragddodiad gweinyddol neu dros dro.",
    ),
    _python(
        "COM-R013",
        E,
        "An integrity digest (IRmark-style) or XML-DSig signature, when present, verifies.",
        "Mae crynodeb cywirdeb (yn null IRmark) neu lofnod XML-DSig, pan fo'n bresennol, yn "
        "dilysu.",
        "The {what} does not verify: {reason}.",
        "Nid yw'r {what_cy} yn dilysu: {reason_cy}.",
    ),
    _python(
        "COM-R019",
        W,
        "Text uses characters outside the GovTalk RestrictedStringType (legacy receivers may "
        "reject it; Welsh letters are valid in lgstandards types).",
        "Mae'r testun yn defnyddio nodau y tu allan i RestrictedStringType GovTalk (gall "
        "derbynwyr hŷn ei wrthod; mae llythrennau Cymraeg yn ddilys ym mathau lgstandards).",
        "The text '{text}' has characters a legacy GovTalk receiver may refuse ({characters}): "
        "they are outside the GovTalk RestrictedStringType.",
        "Mae gan y testun '{text}' nodau y gall derbynnydd GovTalk hŷn eu gwrthod "
        "({characters}): maent y tu allan i RestrictedStringType GovTalk.",
    ),
    _python(
        "COM-R005",
        W,
        "GatewayTimestamp is UTC and not in the future.",
        "Mae GatewayTimestamp mewn UTC ac nid yw yn y dyfodol.",
        "The gateway timestamp {value} is not in UTC or is in the future.",
        "Nid yw stamp amser y porth {value} mewn UTC neu mae yn y dyfodol.",
    ),
    # ------------------------------------------------------------- rules/epay.py
    _python(
        "EPAY-R004",
        E,
        "Amount within the target gateway's limits.",
        "Mae'r swm o fewn terfynau'r porth talu targed.",
        "The sale total {value} is outside the gateway's limits ({minimum} to {maximum}).",
        "Mae cyfanswm y gwerthiant {value} y tu allan i derfynau'r porth ({minimum} i {maximum}).",
    ),
    _python(
        "EPAY-R006",
        E,
        "AccountReference matches the regex and check-digit routine configured for its fund.",
        "Mae AccountReference yn cyfateb i'r patrwm a'r drefn digid gwirio a ffurfweddwyd ar "
        "gyfer ei gronfa.",
        "The account reference {reference} is not valid for fund {fund}: {reason}.",
        "Nid yw'r cyfeirnod cyfrif {reference} yn ddilys ar gyfer cronfa {fund}: {reason_cy}.",
    ),
    _python(
        "EPAY-R008",
        E,
        "No full card number anywhere and no card security code (PCI DSS).",
        "Dim rhif cerdyn llawn yn unman a dim cod diogelwch cerdyn (PCI DSS).",
        "The message carries card data it must not hold ({what}).",
        "Mae'r neges yn cario data cerdyn na ddylai ei ddal ({what_cy}).",
    ),
    _python(
        "COM-R010",
        E,
        "Trailer money totals equal the sums of the records, overall and per fund.",
        "Mae cyfansymiau arian y trelar yn hafal i symiau'r cofnodion, yn gyffredinol ac "
        "fesul cronfa.",
        "The trailer's {what} is {stated}, but the records give {actual}.",
        "Mae {what_cy} y trelar yn {stated}, ond mae'r cofnodion yn rhoi {actual}.",
    ),
    _python(
        "EPAY-R015",
        E,
        "Payout amount = sum of its transactions' net amounts.",
        "Mae swm y taliad allan yn hafal i swm symiau net ei drafodion.",
        "The payout {payout} is {stated}, but its transactions' net amounts add up to {actual}.",
        "Mae'r taliad allan {payout} yn {stated}, ond mae symiau net ei drafodion yn dod i "
        "{actual}.",
    ),
    _python(
        "EPAY-R016",
        E,
        "Receipt allocations add up to the authorised amount, except surcharge lines under "
        "their own TrueAccountReference.",
        "Mae dyraniadau'r dderbynneb yn adio i'r swm a awdurdodwyd, ac eithrio llinellau "
        "gordal o dan eu TrueAccountReference eu hunain.",
        "The allocations add up to {actual} (surcharge lines apart), not the authorised amount "
        "{stated}.",
        "Mae'r dyraniadau yn dod i {actual} (ar wahân i linellau gordal), nid y swm a "
        "awdurdodwyd {stated}.",
    ),
    _python(
        "EPAY-R018",
        W,
        "A PCN paid at the discount rate is paid by the discount deadline (14 days; 21 for "
        "camera/postal PCNs; +50% after a charge certificate; dated parameters).",
        "Mae PCN a dalwyd ar y gyfradd ostyngol wedi'i dalu erbyn dyddiad cau'r gostyngiad "
        "(14 diwrnod; 21 ar gyfer PCNau camera neu bost; +50% ar ôl tystysgrif tâl; "
        "paramedrau wedi'u dyddio).",
        "Penalty charge notice {pcn}: {problem} (dated parameters in force on {date}; to be "
        "verified).",
        "Hysbysiad tâl cosb {pcn}: {problem_cy} (paramedrau dyddiedig mewn grym ar {date}; i'w "
        "gwirio).",
    ),
    _python(
        "EPAY-R020",
        E,
        "Instalments add up to the net charge.",
        "Mae'r rhandaliadau'n adio i'r tâl net.",
        "The instalments add up to {actual}, not the net charge {stated}.",
        "Mae'r rhandaliadau yn dod i {actual}, nid y tâl net {stated}.",
    ),
    _python(
        "EPAY-R022",
        E,
        "Direct Debit account name at most 18 characters; reference 6 to 18 characters (Bacs; "
        "dated parameters).",
        "Enw cyfrif Debyd Uniongyrchol yn 18 nod ar y mwyaf; cyfeirnod yn 6 i 18 nod (Bacs; "
        "paramedrau wedi'u dyddio).",
        "The Direct Debit {what} '{value}' is {length} characters; Bacs takes {limits} (dated "
        "parameters; to be verified).",
        "Mae {what_cy} Debyd Uniongyrchol '{value}' yn {length} nod; mae Bacs yn derbyn "
        "{limits_cy} (paramedrau dyddiedig; i'w gwirio).",
    ),
    _python(
        "EPAY-R023",
        W,
        "First Direct Debit collection respects the lead time (Bacs; dated parameter).",
        "Mae'r casgliad Debyd Uniongyrchol cyntaf yn parchu'r amser arwain (Bacs; paramedr "
        "wedi'i ddyddio).",
        "The first collection on {first} is {days} working days after the instruction of "
        "{given}; Bacs needs at least {lead} (dated parameter; to be verified).",
        "Mae'r casgliad cyntaf ar {first} {days} diwrnod gwaith ar ôl cyfarwyddyd {given}; mae "
        "Bacs angen o leiaf {lead} (paramedr dyddiedig; i'w wirio).",
    ),
    # ------------------------------------------------------------- rules/ebenefits.py
    _python(
        "BEN-R004",
        W,
        "Claimant is of claiming age on the date of claim (dated parameter).",
        "Mae'r hawlydd o oedran hawlio ar ddyddiad yr hawliad (paramedr wedi'i ddyddio).",
        "The claimant is {age} on the date of claim, under the minimum claiming age of {minimum} "
        "(dated parameter in force on {date}; to be verified).",
        "Mae'r hawlydd yn {age} oed ar y dyddiad hawlio, o dan yr isafswm oedran hawlio o "
        "{minimum} (paramedr dyddiedig mewn grym ar {date}; i'w wirio).",
    ),
    _python(
        "BEN-R006",
        W,
        "Dependants are under 16, or under 20 in qualifying education (dated parameters).",
        "Mae dibynyddion o dan 16 oed, neu o dan 20 oed mewn addysg gymhwysol (paramedrau "
        "wedi'u dyddio).",
        "Dependant {person} is {age} on the date of claim: a dependant must be under {child}, "
        "or under {education} in qualifying education (dated parameters; to be verified).",
        "Mae'r dibynnydd {person} yn {age} oed ar y dyddiad hawlio: rhaid i ddibynnydd fod o dan "
        "{child}, neu o dan {education} mewn addysg gymhwysol (paramedrau dyddiedig; i'w gwirio).",
    ),
    _python(
        "BEN-R007",
        E,
        "Backdating request and reason given when the date of claim is backdated too far.",
        "Rhoddir cais am ôl-ddyddio a'r rheswm pan fo dyddiad yr hawliad wedi'i ôl-ddyddio'n "
        "rhy bell.",
        "The date of claim {claimed} is more than {months} month(s) before the received date "
        "{received} ({group}): a BackdatingRequest with a Reason is required.",
        "Mae'r dyddiad hawlio {claimed} fwy na {months} mis cyn y dyddiad derbyn {received} "
        "({group_cy}): mae angen BackdatingRequest gyda Reason.",
    ),
    _python(
        "BEN-R008",
        W,
        "Capital is not above the upper limit, unless passported via guarantee credit.",
        "Nid yw'r cyfalaf yn uwch na'r terfyn uchaf, oni bai ei fod wedi'i basbortio drwy "
        "gredyd gwarant.",
        "Capital of {total} GBP is above the upper limit of {limit} GBP and the claimant is not "
        "passported by guarantee credit (dated parameter; to be verified).",
        "Mae cyfalaf o {total} GBP yn uwch na'r terfyn uchaf o {limit} GBP ac nid yw'r hawlydd "
        "wedi'i basbortio gan gredyd gwarant (paramedr dyddiedig; i'w wirio).",
    ),
    _python(
        "BEN-R022",
        E,
        "Evidence ``Sha256`` and ``Size`` match the embedded content when both are present.",
        "Mae ``Sha256`` a ``Size`` y dystiolaeth yn cyfateb i'r cynnwys sydd wedi'i fewnosod "
        "pan fo'r ddau'n bresennol.",
        "Document {file}: the {what} does not match the embedded content ({actual}).",
        "Dogfen {file}: nid yw'r {what_cy} yn cyfateb i'r cynnwys sydd wedi'i fewnosod "
        "({actual_cy}).",
    ),
    _python(
        "BEN-R018",
        E,
        "Change of circumstances refers to an existing claim (stateful: see claims_register).",
        "Mae newid mewn amgylchiadau yn cyfeirio at hawliad sy'n bodoli eisoes (rheol â "
        "chyflwr: gweler claims_register).",
        "Change of circumstances for claim {reference}, which is not an existing claim.",
        "Newid amgylchiadau ar gyfer hawliad {reference}, nad yw'n hawliad sy'n bodoli.",
    ),
)


#: Bank reconciliation (:mod:`lgstandards.rules.reconcile`): a payout and a bank statement.
RECONCILIATION: tuple[IssueCode, ...] = (
    IssueCode(
        "recon.unmatched-payout",
        E,
        "A payout has no credit on the bank statement under its reference.",
        "Nid oes credyd ar y cyfriflen banc o dan gyfeirnod taliad allan.",
        "Payout {payout} of {amount} ({payouts}) has no credit on the bank statement "
        "({statement}) under its reference {reference}.",
        "Nid oes credyd ar y cyfriflen banc ({statement}) o dan gyfeirnod {reference} y taliad "
        "allan {payout} o {amount} ({payouts}).",
    ),
    IssueCode(
        "recon.amount-mismatch",
        E,
        "The bank statement credits another amount under a payout's reference.",
        "Mae'r cyfriflen banc yn credydu swm arall o dan gyfeirnod taliad allan.",
        "Payout {payout} ({payouts}) is {amount}, but the bank statement ({statement}) credits "
        "{credited} under its reference {reference} (entry {entry}).",
        "Mae'r taliad allan {payout} ({payouts}) yn {amount}, ond mae'r cyfriflen banc "
        "({statement}) yn credydu {credited} o dan ei gyfeirnod {reference} (cofnod {entry}).",
    ),
    IssueCode(
        "recon.unmatched-credit",
        W,
        "A credit on the bank statement matches no payout.",
        "Nid yw credyd ar y cyfriflen banc yn cyfateb i unrhyw daliad allan.",
        "The credit {entry} of {amount} on the bank statement ({statement}) matches no payout "
        "of {payouts}.",
        "Nid yw'r credyd {entry} o {amount} ar y cyfriflen banc ({statement}) yn cyfateb i "
        "unrhyw daliad allan yn {payouts}.",
    ),
)


def _collect() -> tuple[IssueCode, ...]:
    from lgstandards.artefacts.catalogue import rule_files
    from lgstandards.artefacts.declarations import declared_rules

    found: dict[str, IssueCode] = {}
    for path in rule_files():
        for rule in declared_rules(path):
            found.setdefault(
                rule.code,
                IssueCode(rule.code, rule.severity, rule.description_en, rule.description_cy),
            )
    for entry in PYTHON_RULES:
        if entry.code in found:
            raise ValueError(f"{entry.code} is both a Schematron and a Python rule")
        found[entry.code] = entry
    for entry in RECONCILIATION:
        found[entry.code] = entry
    return tuple(found[code] for code in sorted(found))


CODES: tuple[IssueCode, ...] = _collect()

__all__ = ["CODES", "PYTHON_RULES", "RECONCILIATION"]
