"""Throughput of the lgstandards XML binding on a 10,000-record reconciliation batch.

Compares ``ReconciliationBatch.from_xml`` / ``to_xml`` with pydantic-xml (models written
here for the same schema) and xsdata (classes generated from
``schemas/epay/lgs-epay-v1-1.xsd`` into a temporary folder at run time), in the same
run, on the same document. Prints records per second and the ratio to the faster of
the other two. Run: ``python benchmarks/bench_models.py [--records N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_xml import BaseXmlModel, attr, element

from lgstandards._resources import schemas_root
from lgstandards.models import epay
from lgstandards.models.common import MessageHeader
from lgstandards.testing.strategies import trailer_for

EPAY = "urn:lgstandards:epay:1"
LGC = "urn:lgstandards:common:1"


def make_batch(count: int) -> epay.ReconciliationBatch:
    funds = [("CT", "500000018"), ("SUN", "200000016"), ("PCN", "ZZ12345678")]
    records = []
    start = dt.date(2026, 4, 1)
    for i in range(count):
        fund, reference = funds[i % 3]
        kind = "REFUND" if i % 10 == 9 else "PAYMENT"
        gross = Decimal(1000 + i % 9000) / 100 * (-1 if kind == "REFUND" else 1)
        fee = Decimal("0.25")
        day = start + dt.timedelta(days=i % 20)
        records.append(
            epay.PaymentRecord(
                record_type=kind,
                transaction_id=f"TX-{i:07d}",
                receipt_number=f"RCPT-{i:07d}",
                fund_code=fund,
                account_reference=reference,
                gross_amount=gross,
                fee=fee,
                net_amount=gross - fee,
                transaction_date=day,
                captured_date=day,
                settled_date=day + dt.timedelta(days=2),
                paid_out_date=day + dt.timedelta(days=3),
                payout_id=f"PO-{i // 500:04d}",
            )
        )
    return epay.ReconciliationBatch(
        header=MessageHeader(
            message_id="RB-BENCH",
            created=dt.datetime(2026, 4, 30, 23, 0, tzinfo=dt.UTC),
            sender="W99999999",
        ),
        batch_header=epay.BatchHeader(
            file_id="RECON-BENCH",
            sequence_number=1,
            period_from=start,
            period_to=start + dt.timedelta(days=25),
            currency="GBP",
        ),
        payment_record=records,
        trailer=trailer_for(records),
    )


# ---------------------------------------------------------------- pydantic-xml
NSMAP = {"epay": EPAY, "lgc": LGC}


class PxHeader(BaseXmlModel, tag="Header", ns="lgc", nsmap=NSMAP):
    message_id: str = element(tag="MessageId")
    created: dt.datetime = element(tag="Created")
    sender: str = element(tag="Sender")
    receiver: str | None = element(tag="Receiver", default=None)
    language: str | None = element(tag="Language", default=None)
    test: str | None = element(tag="Test", default=None)


class PxBatchHeader(BaseXmlModel, tag="BatchHeader", ns="epay", nsmap=NSMAP):
    file_id: str = element(tag="FileId")
    sequence_number: int = element(tag="SequenceNumber")
    period_from: dt.date = element(tag="PeriodFrom")
    period_to: dt.date = element(tag="PeriodTo")
    currency: str = element(tag="Currency")


class PxRecord(BaseXmlModel, tag="PaymentRecord", ns="epay", nsmap=NSMAP):
    record_type: str = element(tag="RecordType")
    transaction_id: str = element(tag="TransactionId")
    receipt_number: str | None = element(tag="ReceiptNumber", default=None)
    fund_code: str = element(tag="FundCode")
    account_reference: str = element(tag="AccountReference")
    gross_amount: Decimal = element(tag="GrossAmount")
    fee: Decimal | None = element(tag="Fee", default=None)
    net_amount: Decimal = element(tag="NetAmount")
    transaction_date: dt.date = element(tag="TransactionDate")
    captured_date: dt.date | None = element(tag="CapturedDate", default=None)
    settled_date: dt.date | None = element(tag="SettledDate", default=None)
    paid_out_date: dt.date | None = element(tag="PaidOutDate", default=None)
    payout_id: str | None = element(tag="PayoutId", default=None)


class PxFundTotal(BaseXmlModel, tag="FundTotal", ns="epay", nsmap=NSMAP):
    fund_code: str = element(tag="FundCode")
    record_count: int = element(tag="RecordCount")
    total_gross: Decimal = element(tag="TotalGross")


class PxTrailer(BaseXmlModel, tag="Trailer", ns="epay", nsmap=NSMAP):
    record_count: int = element(tag="RecordCount")
    payment_count: int = element(tag="PaymentCount")
    refund_count: int = element(tag="RefundCount")
    dispute_count: int = element(tag="DisputeCount")
    total_gross: Decimal = element(tag="TotalGross")
    total_net: Decimal = element(tag="TotalNet")
    fund_total: list[PxFundTotal] = element(default_factory=list)


class PxBatch(BaseXmlModel, tag="ReconciliationBatch", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    batch_header: PxBatchHeader
    payment_record: list[PxRecord] = element(default_factory=list)
    trailer: PxTrailer


# ---------------------------------------------------------------- xsdata
def xsdata_model(workdir: Path) -> Any:
    env = dict(os.environ)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    schema = schemas_root() / "epay" / "lgs-epay-v1-1.xsd"
    subprocess.run(
        [sys.executable, "-m", "xsdata", "generate", str(schema), "--package", "bench_epay"],
        cwd=workdir,
        env=env,
        check=True,
        capture_output=True,
    )
    sys.path.insert(0, str(workdir))
    module = importlib.import_module("bench_epay.epay.lgs_epay_v1_0")
    return module.ReconciliationBatch


# ---------------------------------------------------------------- timing
def best(function: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n = args.records

    batch = make_batch(n)
    data = batch.to_xml()
    print(f"document: {n} PaymentRecord elements, {len(data) / 1e6:.1f} MB")

    results: dict[str, tuple[float, float]] = {}
    ours = epay.ReconciliationBatch
    assert ours.from_xml(data) == batch
    results["lgstandards"] = (
        best(lambda: ours.from_xml(data), args.repeat),
        best(batch.to_xml, args.repeat),
    )

    px = PxBatch
    px_obj = px.from_xml(data)
    assert len(px_obj.payment_record) == n
    results["pydantic-xml"] = (
        best(lambda: px.from_xml(data), args.repeat),
        best(px_obj.to_xml, args.repeat),
    )

    with tempfile.TemporaryDirectory() as tmp:
        from xsdata.formats.dataclass.parsers import XmlParser
        from xsdata.formats.dataclass.serializers import XmlSerializer

        xs = xsdata_model(Path(tmp))
        xs_parser = XmlParser()
        xs_obj = xs_parser.from_bytes(data, xs)
        assert len(xs_obj.payment_record) == n
        serializer = XmlSerializer()
        results["xsdata"] = (
            best(lambda: xs_parser.from_bytes(data, xs), args.repeat),
            best(lambda: serializer.render(xs_obj), args.repeat),
        )

    print(f"{'binding':14} {'from_xml rec/s':>16} {'to_xml rec/s':>14}")
    for name, (read, write) in results.items():
        print(f"{name:14} {n / read:16,.0f} {n / write:14,.0f}")
    others = [v for k, v in results.items() if k != "lgstandards"]
    read_ratio = min(o[0] for o in others) / results["lgstandards"][0]
    write_ratio = min(o[1] for o in others) / results["lgstandards"][1]
    print(
        f"lgstandards vs the faster other binding: from_xml {read_ratio:.1f}x, "
        f"to_xml {write_ratio:.1f}x (target 3x)"
    )


if __name__ == "__main__":
    main()
