"""Issue codes of the stateful rules (kind "S" of domain.md 6.5), checked by an exchange.

These rules need earlier messages: :class:`lgstandards.exchange.Exchange` checks them
against its ledger after :func:`lgstandards.validate` has checked the document alone.
Three ids are also per-document rules (COM-R002, EPAY-R010 in Schematron, BEN-R018 in
Python): the registry holds one entry per code, so for those this module only extends
the description (``EXTENDS``) with what the exchange adds across messages.
"""

from lgstandards.codes import IssueCode
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
    ),
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
        "rule.COM-R003",
        E,
        "The CorrelationID of a poll, response or delete equals the one the gateway "
        "acknowledged for the submission (Document Submission Protocol).",
        "Mae CorrelationID arolwg, ymateb neu ddilead yr un fath â'r un a gydnabu'r porth "
        "ar gyfer y cyflwyniad (Protocol Cyflwyno Dogfennau).",
    ),
    IssueCode(
        "rule.COM-R004",
        E,
        "The GovTalk TransactionID is unique per sender per day.",
        "Mae TransactionID GovTalk yn unigryw i bob anfonwr bob dydd.",
    ),
    IssueCode(
        "rule.COM-R011",
        E,
        "The header's organisation is the authenticated sender, and every record of a "
        "batch belongs to that organisation.",
        "Sefydliad y pennyn yw'r anfonwr a ddilyswyd, ac mae pob cofnod mewn swp yn perthyn "
        "i'r sefydliad hwnnw.",
    ),
    IssueCode(
        "rule.COM-R012",
        E,
        "File and batch sequence numbers are contiguous per sender, and no file id is used twice.",
        "Mae rhifau dilyniant ffeiliau a sypiau yn ddi-fwlch i bob anfonwr, ac nid oes "
        "dynodydd ffeil yn cael ei ddefnyddio ddwywaith.",
    ),
    IssueCode(
        "rule.EPAY-R007",
        E,
        "The fund code exists in the council's fund table (its exchange profile).",
        "Mae'r cod cronfa yn bodoli yn nhabl cronfeydd y cyngor (ei broffil cyfnewid).",
    ),
    IssueCode(
        "rule.EPAY-R011",
        E,
        "A refund is made only against a payment in the success (captured) state.",
        "Dim ond yn erbyn taliad yn y cyflwr llwyddiant (wedi'i gipio) y gwneir ad-daliad.",
    ),
    IssueCode(
        "rule.EPAY-R013",
        E,
        "Payment and refund status transitions are legal: no event moves a payment or "
        "refund backwards or out of a final state (skipping forward is legal; the same "
        "state again is not a move).",
        "Mae newidiadau statws taliadau ac ad-daliadau yn gyfreithlon: nid oes digwyddiad "
        "yn symud taliad nac ad-daliad yn ôl nac allan o gyflwr terfynol (mae neidio "
        "ymlaen yn gyfreithlon; nid symudiad yw'r un cyflwr eto).",
    ),
    IssueCode(
        "rule.EPAY-R017",
        E,
        "A requestId (idempotency key) is unique per calling application, also after a "
        "failed attempt; a refund request id is never reused either.",
        "Mae requestId (allwedd analluedd) yn unigryw i bob rhaglen alw, hyd yn oed ar ôl "
        "ymgais a fethodd; nid yw dynodydd cais ad-daliad byth yn cael ei ailddefnyddio "
        "chwaith.",
    ),
    IssueCode(
        "rule.EPAY-R024",
        E,
        "A reconciliation batch agrees with the ledger for its period: no record the "
        "ledger lacks, no successful payment or refund of the period missing, the same "
        "amounts, and no record of a payment that did not succeed.",
        "Mae swp cysoni yn cytuno â'r cyfriflyfr ar gyfer ei gyfnod: dim cofnod nad yw yn "
        "y cyfriflyfr, dim taliad nac ad-daliad llwyddiannus o'r cyfnod ar goll, yr un "
        "symiau, a dim cofnod o daliad na lwyddodd.",
    ),
    *BANK_CODES,
)

#: Per-document codes whose description the exchange extends: code -> (English, Welsh).
EXTENDS = {
    "rule.COM-R002": (
        "Across messages (exchange): each message is a legal move of the Document "
        "Submission Protocol (submit, acknowledgement, poll, response or error, delete).",
        "Ar draws negeseuon (cyfnewid): mae pob neges yn symudiad cyfreithlon o'r Protocol "
        "Cyflwyno Dogfennau (cyflwyno, cydnabod, arolwg, ymateb neu wall, dileu).",
    ),
    "rule.EPAY-R010": (
        "Across messages (exchange): the refunds of one payment never add up to more "
        "than was paid.",
        "Ar draws negeseuon (cyfnewid): nid yw ad-daliadau un taliad byth yn dod i fwy "
        "na'r hyn a dalwyd.",
    ),
    "rule.BEN-R018": (
        "Across messages (exchange): a change of circumstances, evidence submission or "
        "claim status query refers to a claim the ledger holds (references compare "
        "exactly).",
        "Ar draws negeseuon (cyfnewid): mae newid amgylchiadau, cyflwyniad tystiolaeth neu "
        "ymholiad statws hawliad yn cyfeirio at hawliad sydd yn y cyfriflyfr (cymherir "
        "cyfeirnodau yn union).",
    ),
}

__all__ = ["BANK_CODES", "CODES", "EXTENDS"]
