"""Fake camt.053 statements and e-Pay payouts for the reconciliation tests (all data fake)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from lgstandards._resources import examples_root

PAYOUT = examples_root() / "epay" / "valid" / "payout.xml"


@dataclass(frozen=True)
class Credit:
    """One entry of a fake statement: where the reference goes, amount, currency, direction."""

    amount: Decimal
    end_to_end: str | None = None
    servicer: str | None = None
    entry_ref: str | None = None
    remittance: str | None = None
    currency: str = "GBP"
    credit: bool = True
    status: str = "BOOK"

    def xml(self) -> str:
        parts = ["<Ntry>"]
        if self.entry_ref is not None:
            parts.append(f"<NtryRef>{self.entry_ref}</NtryRef>")
        parts.append(f'<Amt Ccy="{self.currency}">{self.amount:.2f}</Amt>')
        parts.append(f"<CdtDbtInd>{'CRDT' if self.credit else 'DBIT'}</CdtDbtInd>")
        parts.append(f"<Sts>{self.status}</Sts><BookgDt><Dt>2026-04-02</Dt></BookgDt>")
        if self.servicer is not None:
            parts.append(f"<AcctSvcrRef>{self.servicer}</AcctSvcrRef>")
        parts.append("<BkTxCd><Prtry><Cd>BGC</Cd></Prtry></BkTxCd>")
        if self.end_to_end is not None or self.remittance is not None:
            parts.append("<NtryDtls><TxDtls>")
            if self.end_to_end is not None:
                parts.append(f"<Refs><EndToEndId>{self.end_to_end}</EndToEndId></Refs>")
            if self.remittance is not None:
                parts.append(f"<RmtInf><Ustrd>{self.remittance}</Ustrd></RmtInf>")
            parts.append("</TxDtls></NtryDtls>")
        parts.append("</Ntry>")
        return "".join(parts)


def statement(statement_id: str, *credits: Credit, day: str = "2026-04-02") -> bytes:
    """A camt.053.001.02 statement (id ``statement_id``, created on ``day``) of ``credits``."""
    return (
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        f"<GrpHdr><MsgId>MSG-{statement_id}</MsgId><CreDtTm>{day}T18:00:00Z</CreDtTm></GrpHdr>"
        f"<Stmt><Id>{statement_id}</Id><CreDtTm>{day}T18:00:00Z</CreDtTm>"
        "<Acct><Id><Othr><Id>00000000</Id></Othr></Id></Acct>"
        '<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="GBP">0.00</Amt>'
        f"<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>{day}</Dt></Dt></Bal>"
        + "".join(c.xml() for c in credits)
        + "</Stmt></BkToCstmrStmt></Document>"
    ).encode()


def payout(
    payout_id: str,
    amount: Decimal,
    *,
    reference: str | None = None,
    paid_out: str = "2026-04-01",
    sender: str = "W99999999",
) -> bytes:
    """A valid Payout of one payment transaction of ``amount`` (no fee)."""
    ref = f"<epay:StatementReference>{reference}</epay:StatementReference>" if reference else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<epay:Payout xmlns:epay="urn:lgstandards:epay:1" xmlns:lgc="urn:lgstandards:common:1" \
SchemaVersion="1.1">
  <epay:Header>
    <lgc:MessageId>MSG-{payout_id}</lgc:MessageId>
    <lgc:Created>{paid_out}T09:30:00Z</lgc:Created>
    <lgc:Sender>{sender}</lgc:Sender>
    <lgc:Receiver>IMS-TEST</lgc:Receiver>
    <lgc:Test>yes</lgc:Test>
  </epay:Header>
  <epay:PayoutId>{payout_id}</epay:PayoutId>
  <epay:PaidOutDate>{paid_out}</epay:PaidOutDate>
  <epay:Currency>GBP</epay:Currency>
  <epay:Amount>{amount:.2f}</epay:Amount>
  {ref}
  <epay:Transaction>
    <epay:RecordType>PAYMENT</epay:RecordType>
    <epay:TransactionId>TX-{payout_id}</epay:TransactionId>
    <epay:GatewayReference>GW-{payout_id}</epay:GatewayReference>
    <epay:GrossAmount>{amount:.2f}</epay:GrossAmount>
    <epay:NetAmount>{amount:.2f}</epay:NetAmount>
    <epay:TransactionDate>{paid_out}</epay:TransactionDate>
  </epay:Transaction>
</epay:Payout>
""".encode()
