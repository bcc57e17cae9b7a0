"""Generate e-Pay reconciliation batches (fake data) for streaming tests and the benchmark."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO

NS = "urn:lgstandards:epay:1"


def records(count: int, *, bad_every: int = 0) -> Iterator[tuple[str, Decimal, Decimal, str]]:
    """Yield (xml, gross, net, fund) for ``count`` records; every ``bad_every``-th is broken."""
    for n in range(1, count + 1):
        broken = bool(bad_every) and n % bad_every == 0
        fund = "PARK" if n % 3 else "LIB"
        gross = Decimal(n % 50 + 1) + Decimal("0.25")
        fee = Decimal("0.20")
        net = gross - fee
        kind = "REFUND" if n % 10 == 0 else "PAYMENT"
        captured = "2024-04-30" if broken else "2024-05-02"  # EPAY-R014 when broken
        reference = f"PCN{n:07d}" if not broken or n % 2 else f"PCN {n}"  # xsd.pattern
        yield (
            f"  <epay:PaymentRecord><epay:RecordType>{kind}</epay:RecordType>"
            f"<epay:TransactionId>TX{n:08d}</epay:TransactionId>"
            f"<epay:FundCode>{fund}</epay:FundCode>"
            f"<epay:AccountReference>{reference}</epay:AccountReference>"
            f"<epay:GrossAmount>{gross}</epay:GrossAmount><epay:Fee>{fee}</epay:Fee>"
            f"<epay:NetAmount>{net}</epay:NetAmount>"
            f"<epay:TransactionDate>2024-05-01</epay:TransactionDate>"
            f"<epay:CapturedDate>{captured}</epay:CapturedDate></epay:PaymentRecord>\n",
            gross,
            net,
            fund,
        )


def write_batch(
    out: IO[bytes], count: int, *, bad_every: int = 0, wrong_totals: bool = False
) -> None:
    """Write a ReconciliationBatch of ``count`` records to ``out``."""
    out.write(
        f'<?xml version="1.0" encoding="UTF-8"?>\n<epay:ReconciliationBatch xmlns:epay="{NS}" '
        'xmlns:lgc="urn:lgstandards:common:1" SchemaVersion="1.0">\n'
        "  <epay:Header><lgc:MessageId>BATCH-0001</lgc:MessageId>"
        "<lgc:Created>2024-06-01T09:00:00Z</lgc:Created><lgc:Sender>E99999999</lgc:Sender>"
        "</epay:Header>\n  <epay:BatchHeader><epay:FileId>F-0001</epay:FileId>"
        "<epay:SequenceNumber>1</epay:SequenceNumber><epay:PeriodFrom>2024-05-01</epay:PeriodFrom>"
        "<epay:PeriodTo>2024-05-31</epay:PeriodTo><epay:Currency>GBP</epay:Currency>"
        "</epay:BatchHeader>\n".encode()
    )
    gross_total = net_total = Decimal(0)
    counts = {"PAYMENT": 0, "REFUND": 0, "DISPUTE": 0}
    funds: dict[str, tuple[int, Decimal]] = {}
    buffer: list[str] = []
    for xml, gross, net, fund in records(count, bad_every=bad_every):
        buffer.append(xml)
        gross_total += gross
        net_total += net
        counts["REFUND" if "REFUND" in xml else "PAYMENT"] += 1
        n, total = funds.get(fund, (0, Decimal(0)))
        funds[fund] = (n + 1, total + gross)
        if len(buffer) >= 10_000:
            out.write("".join(buffer).encode())
            buffer.clear()
    out.write("".join(buffer).encode())
    if wrong_totals:
        gross_total += 1
        count += 1
    fund_xml = "".join(
        f"<epay:FundTotal><epay:FundCode>{f}</epay:FundCode><epay:RecordCount>{n}</epay:RecordCount>"
        f"<epay:TotalGross>{t}</epay:TotalGross></epay:FundTotal>"
        for f, (n, t) in sorted(funds.items())
    )
    out.write(
        f"  <epay:Trailer><epay:RecordCount>{count}</epay:RecordCount>"
        f"<epay:PaymentCount>{counts['PAYMENT']}</epay:PaymentCount>"
        f"<epay:RefundCount>{counts['REFUND']}</epay:RefundCount>"
        f"<epay:DisputeCount>0</epay:DisputeCount><epay:TotalGross>{gross_total}</epay:TotalGross>"
        f"<epay:TotalNet>{net_total}</epay:TotalNet>{fund_xml}</epay:Trailer>\n"
        "</epay:ReconciliationBatch>\n".encode()
    )


def batch_file(path: Path, count: int, **kwargs: object) -> Path:
    """Write a batch file and return its path."""
    with path.open("wb") as out:
        write_batch(out, count, **kwargs)  # type: ignore[arg-type]
    return path
