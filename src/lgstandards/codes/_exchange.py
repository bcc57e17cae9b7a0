"""Issue codes of the stateful rules (kind "S" of domain.md 6.5), checked by an exchange.

These rules need earlier messages: :class:`lgstandards.exchange.Exchange` checks them
against its ledger after :func:`lgstandards.validate` has checked the document alone.
Their message templates are written here, beside their codes, as the Python rules' are
in ``_rules.PYTHON_RULES``: a stateful rule (``lgstandards.exchange.rules``) passes
the parameters and :func:`lgstandards.codes.issue` (``stateful=True``) makes the
issue. A parameter that is wording rather than a value (a state's name, what kind of
record) has a Welsh twin (``state_cy`` ...) for the Welsh template.

Three ids are also per-document rules (COM-R002, EPAY-R010 in Schematron, BEN-R018 in
Python): the registry holds one entry per code, so for those this module extends the
entry (``EXTENDS``) with what the exchange adds across messages and the templates of
the exchange's findings.
"""

from lgstandards.codes import Extension, IssueCode
from lgstandards.report import Severity

E = Severity.ERROR
W = Severity.WARNING

#: Bank reconciliation (lgstandards.exchange.bank): payouts against a bank statement.
BANK_CODES = (
    IssueCode(
        "bank.not-a-statement",
        E,
        "The document given as the bank statement is not an ISO 20022 camt.052, camt.053 or "
        "camt.054 message.",
        "Nid yw'r ddogfen a roddwyd fel y datganiad banc yn neges ISO 20022 camt.052, "
        "camt.053 na camt.054.",
    ),
    IssueCode(
        "bank.payout-missing",
        E,
        "A payout has no credit entry with its reference on the bank statement.",
        "Nid oes cofnod credyd gyda chyfeirnod taliad allan ar y datganiad banc.",
        "Payout {payout} of {amount} {currency} ({payouts}) has no credit entry with its "
        "reference {reference} on the bank statement {statement}.",
        "Nid oes gan y taliad allan {payout} o {amount} {currency} ({payouts}) gofnod credyd "
        "gyda'i gyfeirnod {reference} ar y datganiad banc {statement}.",
    ),
    IssueCode(
        "bank.amount-mismatch",
        E,
        "The bank statement credits a payout's reference with another amount or currency.",
        "Mae'r datganiad banc yn credydu cyfeirnod taliad allan gyda swm neu arian cyfred arall.",
        "The bank statement {statement} credits {entry_amount} {entry_currency} under the "
        "reference {reference}, but payout {payout} ({payouts}) is {amount} {currency}.",
        "Mae'r datganiad banc {statement} yn credydu {entry_amount} {entry_currency} o dan y "
        "cyfeirnod {reference}, ond {amount} {currency} yw'r taliad allan {payout} "
        "({payouts}).",
        stateful_template="The bank statement credits {entry_amount} {entry_currency} under the "
        "reference {reference}, but the ledger's open payout {payout} is {amount} {currency} "
        "(document {payouts}).",
        stateful_template_cy="Mae'r datganiad banc yn credydu {entry_amount} {entry_currency} o "
        "dan y cyfeirnod {reference}, ond {amount} {currency} yw taliad allan agored y "
        "cyfriflyfr {payout} (dogfen {payouts}).",
    ),
    IssueCode(
        "bank.credit-unmatched",
        W,
        "A credit entry of the bank statement matches none of the payouts given (other "
        "income, or a payout missing from them).",
        "Nid yw cofnod credyd ar y datganiad banc yn cyfateb i'r un o'r taliadau allan a "
        "roddwyd (incwm arall, neu daliad allan sydd ar goll ohonynt).",
        "The credit of {amount} {currency} on the bank statement {statement} (references: "
        "{references}) matches none of the payouts of {payouts}.",
        "Nid yw'r credyd o {amount} {currency} ar y datganiad banc {statement} (cyfeirnodau: "
        "{references}) yn cyfateb i'r un o daliadau allan {payouts}.",
        stateful_template="The credit of {amount} {currency} on the bank statement "
        "(references: {references}) matches none of the ledger's open payouts.",
        stateful_template_cy="Nid yw'r credyd o {amount} {currency} ar y datganiad banc "
        "(cyfeirnodau: {references}) yn cyfateb i'r un o daliadau allan agored y cyfriflyfr.",
    ),
    IssueCode(
        "bank.payout-conflict",
        E,
        "A payout the ledger holds is declared again with another reference, amount or "
        "currency (a Payout message and a reconciliation batch's payout lines must agree).",
        "Mae taliad allan sydd yn y cyfriflyfr yn cael ei ddatgan eto gyda chyfeirnod, swm "
        "neu arian cyfred arall (rhaid i neges Payout a llinellau taliad allan swp cysoni "
        "gytuno).",
        stateful=True,
        stateful_template="Payout {payout} is {amount} {currency} under the reference "
        "{reference} here, but the ledger holds it as {ledger_amount} {ledger_currency} under "
        "the reference {ledger_reference} (document {earlier}).",
        stateful_template_cy="Mae'r taliad allan {payout} yn {amount} {currency} o dan y "
        "cyfeirnod {reference} yma, ond mae'r cyfriflyfr yn ei ddal fel {ledger_amount} "
        "{ledger_currency} o dan y cyfeirnod {ledger_reference} (dogfen {earlier}).",
    ),
    IssueCode(
        "bank.statement-duplicate",
        E,
        "A bank statement (report, notification) the ledger has already reconciled is "
        "checked again; its entries are not matched a second time.",
        "Mae datganiad banc (adroddiad, hysbysiad) y mae'r cyfriflyfr eisoes wedi'i gysoni yn "
        "cael ei wirio eto; nid yw ei gofnodion yn cael eu paru eilwaith.",
        stateful=True,
        stateful_template="The {message} statement {statement} was already reconciled "
        "(document {earlier}); its entries are not matched again.",
        stateful_template_cy="Cysonwyd y datganiad {message} {statement} eisoes (dogfen "
        "{earlier}); nid yw ei gofnodion yn cael eu paru eto.",
    ),
    IssueCode(
        "bank.entry-already-reconciled",
        W,
        "A credit entry carries the reference of a payout another statement has already "
        "reconciled (an entry sent again, or a payout credited twice); it is not matched again.",
        "Mae cofnod credyd yn cario cyfeirnod taliad allan y mae datganiad arall eisoes wedi'i "
        "gysoni (cofnod a anfonwyd eto, neu daliad allan a gredydwyd ddwywaith); nid yw'n cael "
        "ei baru eto.",
        stateful=True,
        stateful_template="The credit of {amount} {currency} under the reference {reference} "
        "is for payout {payout}, which entry {entry} of statement {statement} already "
        "reconciled (document {earlier}); it is not matched again.",
        stateful_template_cy="Mae'r credyd o {amount} {currency} o dan y cyfeirnod {reference} "
        "ar gyfer y taliad allan {payout}, a gysonwyd eisoes gan gofnod {entry} o'r datganiad "
        "{statement} (dogfen {earlier}); nid yw'n cael ei baru eto.",
    ),
    IssueCode(
        "bank.payout-overdue",
        W,
        "A payout is still on no bank statement some days after the day it was paid out "
        "(the exchange's overdue_after, five days unless set).",
        "Nid yw taliad allan ar unrhyw ddatganiad banc o hyd rai dyddiau ar ôl y diwrnod y'i "
        "talwyd allan (overdue_after y cyfnewid, pum diwrnod oni bai ei fod wedi'i osod).",
        stateful=True,
        stateful_template="Payout {payout} of {amount} {currency} (reference {reference}, "
        "document {earlier}) was paid out on {expected} and is on no bank statement "
        "{days} days later ({as_of}).",
        stateful_template_cy="Talwyd y taliad allan {payout} o {amount} {currency} (cyfeirnod "
        "{reference}, dogfen {earlier}) allan ar {expected} ac nid yw ar unrhyw ddatganiad "
        "banc {days} diwrnod yn ddiweddarach ({as_of}).",
    ),
)


def _stateful(
    rule_id: str, severity: Severity, description: str, description_cy: str, en: str, cy: str
) -> IssueCode:
    """Register a rule only an exchange checks: its description and message templates."""
    return IssueCode(
        f"rule.{rule_id}",
        severity,
        description,
        description_cy,
        stateful=True,
        stateful_template=en,
        stateful_template_cy=cy,
    )


CODES = (
    IssueCode(
        "exchange.not-read",
        E,
        "A document valid alone could not be read whole for the stateful rules (too large "
        "for the exchange's limits); it is rejected rather than recorded unchecked.",
        "Ni ellid darllen dogfen sy'n ddilys ar ei phen ei hun yn gyfan ar gyfer y rheolau "
        "cyflwr (rhy fawr i derfynau'r cyfnewid); caiff ei gwrthod yn hytrach na'i chofnodi "
        "heb ei gwirio.",
    ),
    IssueCode(
        "exchange.not-kept",
        E,
        "A value of a document valid alone is beyond what the ledger can keep (an identifier "
        "too long, a number too large); it is rejected rather than recorded unchecked.",
        "Mae gwerth mewn dogfen sy'n ddilys ar ei phen ei hun y tu hwnt i'r hyn y gall y "
        "cyfriflyfr ei gadw (dynodydd rhy hir, rhif rhy fawr); caiff ei gwrthod yn hytrach "
        "na'i chofnodi heb ei gwirio.",
        "{what} cannot be kept in the ledger: {why}. The document is rejected rather than "
        "recorded unchecked.",
        "Ni ellir cadw {what_cy} yn y cyfriflyfr: {why_cy}. Caiff y ddogfen ei gwrthod yn "
        "hytrach na'i chofnodi heb ei gwirio.",
    ),
    _stateful(
        "COM-R003",
        E,
        "The CorrelationID of a poll, response or delete equals the one the gateway "
        "acknowledged for the submission (Document Submission Protocol).",
        "Mae CorrelationID arolwg, ymateb neu ddilead yr un fath â'r un a gydnabu'r porth "
        "ar gyfer y cyflwyniad (Protocol Cyflwyno Dogfennau).",
        "The CorrelationID {correlation_id} of this '{qualifier}' message is not one the "
        "gateway acknowledged.",
        "Nid yw CorrelationID {correlation_id} y neges '{qualifier}' hon yn un a gydnabu'r porth.",
    ),
    _stateful(
        "COM-R004",
        E,
        "The GovTalk TransactionID is unique per sender per day.",
        "Mae TransactionID GovTalk yn unigryw i bob anfonwr bob dydd.",
        "The TransactionID {transaction_id} was already used by {party} on {day} "
        "(document {earlier}).",
        "Defnyddiwyd y TransactionID {transaction_id} eisoes gan {party} ar {day} "
        "(dogfen {earlier}).",
    ),
    _stateful(
        "COM-R011",
        E,
        "The header's organisation is the authenticated sender, and every record of a "
        "batch belongs to that organisation.",
        "Sefydliad y pennyn yw'r anfonwr a ddilyswyd, ac mae pob cofnod mewn swp yn perthyn "
        "i'r sefydliad hwnnw.",
        "The {part}'s organisation {organisation} is not {expected_as} {expected}.",
        "Nid sefydliad {part_cy} {organisation} {expected_as_cy} {expected}.",
    ),
    _stateful(
        "COM-R012",
        E,
        "File and batch sequence numbers are contiguous per sender, and no file id is used twice.",
        "Mae rhifau dilyniant ffeiliau a sypiau yn ddi-fwlch i bob anfonwr, ac nid oes "
        "dynodydd ffeil yn cael ei ddefnyddio ddwywaith.",
        "The {what} {value} {reason} (document {earlier}).",
        "{what_cy} {value}: {reason_cy} (dogfen {earlier}).",
    ),
    _stateful(
        "EPAY-R007",
        E,
        "The fund code exists in the council's fund table (its exchange profile).",
        "Mae'r cod cronfa yn bodoli yn nhabl cronfeydd y cyngor (ei broffil cyfnewid).",
        "The fund code {fund} is not in the council's fund table.",
        "Nid yw'r cod cronfa {fund} yn nhabl cronfeydd y cyngor.",
    ),
    _stateful(
        "EPAY-R011",
        E,
        "A refund is made only against a payment in the success (captured) state.",
        "Dim ond yn erbyn taliad yn y cyflwr llwyddiant (wedi'i gipio) y gwneir ad-daliad.",
        "A refund of payment {reference}, {reason}.",
        "Ad-daliad o daliad {reference}, {reason_cy}.",
    ),
    _stateful(
        "EPAY-R013",
        E,
        "Payment and refund status transitions are legal: no event moves a payment or "
        "refund backwards or out of a final state (skipping forward is legal; the same "
        "state again is not a move).",
        "Mae newidiadau statws taliadau ac ad-daliadau yn gyfreithlon: nid oes digwyddiad "
        "yn symud taliad nac ad-daliad yn ôl nac allan o gyflwr terfynol (mae neidio "
        "ymlaen yn gyfreithlon; nid symudiad yw'r un cyflwr eto).",
        "{what} {reference} cannot move from {old} to {new} ({why}; state set by "
        "document {earlier}).",
        "Ni all {what_cy} {reference} symud o {old_cy} i {new_cy} ({why_cy}; gosodwyd y "
        "cyflwr gan ddogfen {earlier}).",
    ),
    _stateful(
        "EPAY-R017",
        E,
        "A requestId (idempotency key) is unique per calling application, also after a "
        "failed attempt; a refund request id is never reused either.",
        "Mae requestId (allwedd analluedd) yn unigryw i bob rhaglen alw, hyd yn oed ar ôl "
        "ymgais a fethodd; nid yw dynodydd cais ad-daliad byth yn cael ei ailddefnyddio "
        "chwaith.",
        "The {what} {value} of {owner} was already used (document {earlier}); an "
        "idempotency key is never reused.",
        "Defnyddiwyd {what_cy} {value} {owner} eisoes (dogfen {earlier}); nid yw allwedd "
        "analluedd byth yn cael ei hailddefnyddio.",
    ),
    _stateful(
        "EPAY-R024",
        E,
        "A reconciliation batch agrees with the ledger for its period: no record the "
        "ledger lacks, no successful payment or refund of the period missing, the same "
        "amounts, and no record of a payment that did not succeed.",
        "Mae swp cysoni yn cytuno â'r cyfriflyfr ar gyfer ei gyfnod: dim cofnod nad yw yn "
        "y cyfriflyfr, dim taliad nac ad-daliad llwyddiannus o'r cyfnod ar goll, yr un "
        "symiau, a dim cofnod o daliad na lwyddodd.",
        "The batch's {what} record {reference} {reason}.",
        "Cofnod {what_cy} y swp {reference_cy}: {reason_cy}.",
    ),
    *BANK_CODES,
)

#: Per-document codes the exchange also checks across messages: code -> what it adds to
#: the description and the templates of its findings.
EXTENDS = {
    "rule.COM-R002": Extension(
        "Across messages (exchange): each message is a legal move of the Document "
        "Submission Protocol (submit, acknowledgement, poll, response or error, delete).",
        "Ar draws negeseuon (cyfnewid): mae pob neges yn symudiad cyfreithlon o'r Protocol "
        "Cyflwyno Dogfennau (cyflwyno, cydnabod, arolwg, ymateb neu wall, dileu).",
        "A '{move}' message is not a legal move for submission {correlation_id}, which is {state}.",
        "Nid yw neges '{move}' yn symudiad cyfreithlon i gyflwyniad {correlation_id}, sydd "
        "{state_cy}.",
    ),
    "rule.EPAY-R010": Extension(
        "Across messages (exchange): the refunds of one payment never add up to more "
        "than was paid.",
        "Ar draws negeseuon (cyfnewid): nid yw ad-daliadau un taliad byth yn dod i fwy "
        "na'r hyn a dalwyd.",
        "The refund of {amount} with the {refunded} already refunded is more than the "
        "{paid} paid (payment {reference}, document {earlier}).",
        "Mae'r ad-daliad o {amount} gyda'r {refunded} a ad-dalwyd eisoes yn fwy na'r "
        "{paid} a dalwyd (taliad {reference}, dogfen {earlier}).",
    ),
    "rule.BEN-R018": Extension(
        "Across messages (exchange): a change of circumstances, evidence submission or "
        "claim status query refers to a claim the ledger holds (references compare "
        "exactly).",
        "Ar draws negeseuon (cyfnewid): mae newid amgylchiadau, cyflwyniad tystiolaeth neu "
        "ymholiad statws hawliad yn cyfeirio at hawliad sydd yn y cyfriflyfr (cymherir "
        "cyfeirnodau yn union).",
        "The {what} is for {claim}, which the ledger does not hold.",
        "Mae'r {what_cy} ar gyfer {claim_cy}, nad yw yn y cyfriflyfr.",
    ),
}

__all__ = ["BANK_CODES", "CODES", "EXTENDS"]
