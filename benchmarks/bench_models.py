"""Throughput of the lgstandards XML binding against pydantic-xml and xsdata.

Cases, each the same documents for the three bindings: a 10,000-record reconciliation
batch, a payout settling 10,000 transactions and a Direct Debit collection file of
10,000 collections (e-Pay 1.1), then 1,000 small documents of each other e-Pay 1.1
message: penalty charge notices and council tax bills (``Demand``), payment request
answers, disputes, Direct Debit instructions and returns (copies of the valid examples,
each with its own identifier).

What each binding does, on the same bytes (ours, written once per case):

* lgstandards ``Model.from_xml``: the safe parser (prolog check, no DTD or entities,
  size, depth and text limits), element names, order and repetition checked against
  the schema's content model, and every value checked by the domain types (the
  schema's patterns, lengths, digits, ranges); ``to_xml`` writes it back.
* pydantic-xml ``from_xml`` / ``to_xml``: models written here for the same schema,
  with plain types (``str``, ``Decimal``, ``date``: no patterns or lengths), parsed by
  lxml's default parser (no safe-parser checks).
* xsdata ``XmlParser.from_bytes`` / ``XmlSerializer.render``: dataclasses generated
  from ``schemas/epay/lgs-epay-v1-1.xsd`` into a temporary folder at run time; values
  are converted to their types, facets are not checked.

So lgstandards does the most work per document. Each binding's reading is checked to
give back what it wrote. Times are the least CPU time of this process over the
repeats (other load on the machine does not count; the garbage collector runs as
usual), the three bindings taking turns in each round (a slow spell of the machine
falls on all of them), one case in memory at a time. Prints records (documents) per
second per case and the ratio to the faster of the other two.
Run: ``python benchmarks/bench_models.py [--records N] [--repeat R] [--only CASE ...]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic_xml import BaseXmlModel, attr, element

from lgstandards._resources import schemas_root
from lgstandards.models import epay
from lgstandards.models.common import BankAccount, MessageHeader, PersonName
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


HEADER = MessageHeader(
    message_id="BENCH", created=dt.datetime(2026, 4, 30, 23, 0, tzinfo=dt.UTC), sender="W99999999"
)


def make_payout(count: int) -> epay.Payout:
    transactions = []
    for i in range(count):
        gross = Decimal(1000 + i % 9000) / 100
        transactions.append(
            epay.PayoutTransaction(
                record_type="PAYMENT",
                transaction_id=f"TX-{i:07d}",
                gateway_reference=f"GW-{i:07d}",
                fund_code="CT",
                account_reference="500000018",
                gross_amount=gross,
                fee=Decimal("0.25"),
                net_amount=gross - Decimal("0.25"),
                transaction_date=dt.date(2026, 4, 1) + dt.timedelta(days=i % 20),
            )
        )
    return epay.Payout(
        header=HEADER,
        payout_id="PO-BENCH",
        paid_out_date=dt.date(2026, 4, 30),
        amount=sum((t.net_amount for t in transactions), Decimal("0.00")),
        transaction=transactions,
    )


def make_collection(count: int) -> epay.DirectDebitCollection:
    account = BankAccount(account_name="S PRAWF", sort_code="000000", account_number="00000000")
    return epay.DirectDebitCollection(
        header=HEADER,
        file_id="DDC-BENCH",
        collection_date=dt.date(2026, 4, 1),
        collection=[
            epay.Collection(
                collection_id=f"COL-{i:07d}",
                direct_debit_reference=f"CT{i:09d}",
                transaction_code="17",
                bank_account=account,
                fund_code="CT",
                account_reference="500000018",
                amount=Decimal(1000 + i % 9000) / 100,
            )
            for i in range(count)
        ],
    )


def make_demand(i: int) -> epay.Demand:
    pcn = f"ZZ{i:08d}"
    notice = dt.date(2026, 3, 2)
    return epay.Demand(
        header=HEADER,
        demand_number=pcn,
        issue_date=notice,
        fund_code="PCN",
        account_reference=pcn,
        liable_person=[PersonName(given_name=["Testy"], family_name="McTestface")],
        penalty_charge=epay.PenaltyCharge(
            pcn_number=pcn,
            vehicle_registration_mark="ZZ99ZZZ",
            contravention_code="01",
            contravention_date_time=dt.datetime(2026, 3, 2, 10, 15, tzinfo=dt.UTC),
            location="Test Street, Testtown",
            service_method="on-street",
            stage="PCN",
            notice_date=notice,
            full_amount=Decimal("70.00"),
            discount_amount=Decimal("35.00"),
            discount_deadline=notice + dt.timedelta(days=14),
            amount_due=Decimal("70.00"),
        ),
    )


# ---------------------------------------------------------------- pydantic-xml
NSMAP = {"epay": EPAY, "lgc": LGC}


class PxIRmark(BaseXmlModel, tag="IRmark", ns="lgc", nsmap=NSMAP):
    type: str = attr(name="Type")
    value: str


class PxHeader(BaseXmlModel, tag="Header", ns="lgc", nsmap=NSMAP):
    message_id: str = element(tag="MessageId")
    created: dt.datetime = element(tag="Created")
    sender: str = element(tag="Sender")
    receiver: str | None = element(tag="Receiver", default=None)
    language: str | None = element(tag="Language", default=None)
    test: str | None = element(tag="Test", default=None)
    ir_mark: PxIRmark | None = None


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


class PxPayoutTransaction(BaseXmlModel, tag="Transaction", ns="epay", nsmap=NSMAP):
    record_type: str = element(tag="RecordType")
    transaction_id: str = element(tag="TransactionId")
    gateway_reference: str | None = element(tag="GatewayReference", default=None)
    fund_code: str | None = element(tag="FundCode", default=None)
    account_reference: str | None = element(tag="AccountReference", default=None)
    gross_amount: Decimal = element(tag="GrossAmount")
    fee: Decimal | None = element(tag="Fee", default=None)
    net_amount: Decimal = element(tag="NetAmount")
    transaction_date: dt.date = element(tag="TransactionDate")


class PxPayout(BaseXmlModel, tag="Payout", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    payout_id: str = element(tag="PayoutId")
    paid_out_date: dt.date = element(tag="PaidOutDate")
    currency: str = element(tag="Currency")
    amount: Decimal = element(tag="Amount")
    statement_reference: str | None = element(tag="StatementReference", default=None)
    transaction: list[PxPayoutTransaction] = element(default_factory=list)


class PxBankAccount(BaseXmlModel, tag="BankAccount", ns="epay", nsmap=NSMAP):
    account_name: str = element(tag="AccountName", ns="lgc")
    sort_code: str = element(tag="SortCode", ns="lgc")
    account_number: str = element(tag="AccountNumber", ns="lgc")
    roll_number: str | None = element(tag="RollNumber", ns="lgc", default=None)


class PxCollection(BaseXmlModel, tag="Collection", ns="epay", nsmap=NSMAP):
    collection_id: str = element(tag="CollectionId")
    direct_debit_reference: str = element(tag="DirectDebitReference")
    transaction_code: str = element(tag="TransactionCode")
    bank_account: PxBankAccount
    fund_code: str = element(tag="FundCode")
    account_reference: str = element(tag="AccountReference")
    amount: Decimal = element(tag="Amount")


class PxDirectDebitCollection(BaseXmlModel, tag="DirectDebitCollection", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    file_id: str = element(tag="FileId")
    collection_date: dt.date = element(tag="CollectionDate")
    currency: str = element(tag="Currency")
    collection: list[PxCollection] = element(default_factory=list)


class PxPersonName(BaseXmlModel, tag="LiablePerson", ns="epay", nsmap=NSMAP):
    title: list[str] = element(tag="Title", ns="lgc", default_factory=list)
    given_name: list[str] = element(tag="GivenName", ns="lgc", default_factory=list)
    family_name: str = element(tag="FamilyName", ns="lgc")
    suffix: list[str] = element(tag="Suffix", ns="lgc", default_factory=list)
    requested_name: str | None = element(tag="RequestedName", ns="lgc", default=None)


class PxPaymentReceived(BaseXmlModel, tag="PaymentReceived", ns="epay", nsmap=NSMAP):
    payment_date: dt.date = element(tag="PaymentDate")
    amount: Decimal = element(tag="Amount")


class PxPenaltyCharge(BaseXmlModel, tag="PenaltyCharge", ns="epay", nsmap=NSMAP):
    pcn_number: str = element(tag="PCNNumber")
    vehicle_registration_mark: str = element(tag="VehicleRegistrationMark")
    contravention_code: str = element(tag="ContraventionCode")
    contravention_date_time: dt.datetime = element(tag="ContraventionDateTime")
    location: str = element(tag="Location")
    service_method: str = element(tag="ServiceMethod")
    stage: str = element(tag="Stage")
    notice_date: dt.date = element(tag="NoticeDate")
    full_amount: Decimal = element(tag="FullAmount")
    discount_amount: Decimal | None = element(tag="DiscountAmount", default=None)
    discount_deadline: dt.date | None = element(tag="DiscountDeadline", default=None)
    amount_due: Decimal = element(tag="AmountDue")
    payment_received: list[PxPaymentReceived] = element(default_factory=list)


class PxAONRange(BaseXmlModel, ns="lgc", nsmap=NSMAP):
    number: int = element(tag="Number")
    suffix: str | None = element(tag="Suffix", default=None)


class PxAON(BaseXmlModel, ns="lgc", nsmap=NSMAP):
    start_range: PxAONRange | None = element(tag="StartRange", default=None)
    end_range: PxAONRange | None = element(tag="EndRange", default=None)
    description: str | None = element(tag="Description", default=None)


class PxAddress(BaseXmlModel, tag="Property", ns="epay", nsmap=NSMAP):
    saon: PxAON | None = element(tag="SAON", ns="lgc", default=None)
    paon: PxAON = element(tag="PAON", ns="lgc")
    street: str = element(tag="Street", ns="lgc")
    locality: str | None = element(tag="Locality", ns="lgc", default=None)
    town: str | None = element(tag="Town", ns="lgc", default=None)
    administrative_area: str | None = element(tag="AdministrativeArea", ns="lgc", default=None)
    post_town: str | None = element(tag="PostTown", ns="lgc", default=None)
    postcode: str | None = element(tag="Postcode", ns="lgc", default=None)
    uprn: int | None = element(tag="UPRN", ns="lgc", default=None)
    usrn: int | None = element(tag="USRN", ns="lgc", default=None)


class PxAdjustment(BaseXmlModel, tag="Adjustment", ns="epay", nsmap=NSMAP):
    kind: str = element(tag="Kind")
    code: str = element(tag="Code")
    description: str | None = element(tag="Description", default=None)
    amount: Decimal = element(tag="Amount")


class PxInstalment(BaseXmlModel, tag="Instalment", ns="epay", nsmap=NSMAP):
    due_date: dt.date = element(tag="DueDate")
    amount: Decimal = element(tag="Amount")


class PxCouncilTax(BaseXmlModel, tag="CouncilTax", ns="epay", nsmap=NSMAP):
    property: PxAddress
    band: str = element(tag="Band")
    period_from: dt.date = element(tag="PeriodFrom")
    period_to: dt.date = element(tag="PeriodTo")
    gross_charge: Decimal = element(tag="GrossCharge")
    adjustment: list[PxAdjustment] = element(default_factory=list)
    net_charge: Decimal = element(tag="NetCharge")
    instalment: list[PxInstalment] = element(default_factory=list)


class PxDemand(BaseXmlModel, tag="Demand", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    demand_number: str = element(tag="DemandNumber")
    issue_date: dt.date = element(tag="IssueDate")
    fund_code: str = element(tag="FundCode")
    account_reference: str = element(tag="AccountReference")
    liable_person: list[PxPersonName] = element(default_factory=list)
    currency: str = element(tag="Currency")
    council_tax: PxCouncilTax | None = None
    penalty_charge: PxPenaltyCharge | None = None
    balance: Decimal | None = element(tag="Balance", default=None)


class PxPaymentRequestAccepted(BaseXmlModel, tag="PaymentRequestAccepted", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    request_id: str = element(tag="RequestId")
    status: str = element(tag="Status")
    transaction_state: str = element(tag="TransactionState")
    gateway_reference: str | None = element(tag="GatewayReference", default=None)
    redirect_url: str | None = element(tag="RedirectUrl", default=None)
    error_code: str | None = element(tag="ErrorCode", default=None)
    error_message: str | None = element(tag="ErrorMessage", default=None)


class PxDispute(BaseXmlModel, tag="Dispute", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    dispute_id: str = element(tag="DisputeId")
    gateway_reference: str = element(tag="GatewayReference")
    payment_date: dt.date = element(tag="PaymentDate")
    amount: Decimal = element(tag="Amount")
    fee: Decimal | None = element(tag="Fee", default=None)
    currency: str = element(tag="Currency")
    reason: str = element(tag="Reason")
    status: str = element(tag="Status")
    created: dt.datetime = element(tag="Created")
    evidence_due_date: dt.date | None = element(tag="EvidenceDueDate", default=None)


class PxDirectDebitInstruction(BaseXmlModel, tag="DirectDebitInstruction", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    instruction_id: str = element(tag="InstructionId")
    action: str = element(tag="Action")
    direct_debit_reference: str = element(tag="DirectDebitReference")
    fund_code: str = element(tag="FundCode")
    account_reference: str = element(tag="AccountReference")
    bank_account: PxBankAccount
    frequency: str = element(tag="Frequency")
    instruction_date: dt.date = element(tag="InstructionDate")
    first_collection_date: dt.date | None = element(tag="FirstCollectionDate", default=None)
    amount: Decimal | None = element(tag="Amount", default=None)


class PxReturnedCollection(BaseXmlModel, tag="ReturnedCollection", ns="epay", nsmap=NSMAP):
    collection_id: str | None = element(tag="CollectionId", default=None)
    direct_debit_reference: str = element(tag="DirectDebitReference")
    fund_code: str | None = element(tag="FundCode", default=None)
    account_reference: str | None = element(tag="AccountReference", default=None)
    original_collection_date: dt.date | None = element(tag="OriginalCollectionDate", default=None)
    amount: Decimal | None = element(tag="Amount", default=None)
    reason_code: str = element(tag="ReasonCode")
    reason: str | None = element(tag="Reason", default=None)
    new_bank_account: PxBankAccount | None = element(tag="NewBankAccount", default=None)


class PxDirectDebitReturn(BaseXmlModel, tag="DirectDebitReturn", ns="epay", nsmap=NSMAP):
    schema_version: str = attr(name="SchemaVersion")
    header: PxHeader = element(tag="Header", ns="epay")
    return_id: str = element(tag="ReturnId")
    report_date: dt.date = element(tag="ReportDate")
    currency: str = element(tag="Currency")
    returned_collection: list[PxReturnedCollection] = element(default_factory=list)


# ---------------------------------------------------------------- xsdata
def xsdata_module(workdir: Path) -> Any:
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
    return importlib.import_module("bench_epay.epay.lgs_epay_v1_1")


# ---------------------------------------------------------------- timing
def interleaved(functions: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Least CPU time of each function over ``rounds`` rounds, the functions taking turns.

    CPU time of this process only (other load does not count), and each round runs
    every function once, so that a slow spell of a shared machine (its speed moves by
    a third within minutes) falls on all of them rather than on one binding's runs.
    """
    least = dict.fromkeys(functions, float("inf"))
    for _ in range(rounds):
        for name, function in functions.items():
            gc.collect()
            start = time.process_time()
            function()
            least[name] = min(least[name], time.process_time() - start)
    return least


#: A case: lgstandards model, the documents (our objects), pydantic-xml model, xsdata
#: class name and the number of records per document.
Case = tuple[Any, list[Any], Any, str, int]

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "epay" / "valid"


def from_example(model: Any, name: str, count: int, field: str) -> list[Any]:
    """``count`` copies of an e-Pay example, each with its own ``field`` (an identifier)."""
    example = model.from_xml(EXAMPLES / name)
    stem = getattr(example, field)
    return [example.model_copy(update={field: f"{stem}-{i}"}) for i in range(count)]


def cases(n: int) -> Iterator[tuple[str, Callable[[], Case]]]:
    """Each case's name and maker, for ``n`` records (1/10 as many small documents).

    Made one at a time, so that one case's documents are not in memory (nor walked by
    the garbage collector) while another is timed.
    """
    small = max(1, n // 10)
    yield (
        "ReconciliationBatch",
        lambda: (
            epay.ReconciliationBatch,
            [make_batch(n)],
            PxBatch,
            "ReconciliationBatch",
            n,
        ),
    )
    yield "Payout", lambda: (epay.Payout, [make_payout(n)], PxPayout, "Payout", n)
    yield (
        "DirectDebitCollection",
        lambda: (
            epay.DirectDebitCollection,
            [make_collection(n)],
            PxDirectDebitCollection,
            "DirectDebitCollection",
            n,
        ),
    )
    yield (
        "Demand (PCN)",
        lambda: (
            epay.Demand,
            [make_demand(i) for i in range(small)],
            PxDemand,
            "Demand",
            1,
        ),
    )
    for name, model, example, field, px in (
        ("Demand (council tax)", epay.Demand, "demand-council-tax.xml", "demand_number", PxDemand),
        (
            "PaymentRequestAccepted",
            epay.PaymentRequestAccepted,
            "payment-request-accepted.xml",
            "request_id",
            PxPaymentRequestAccepted,
        ),
        ("Dispute", epay.Dispute, "dispute.xml", "dispute_id", PxDispute),
        (
            "DirectDebitInstruction",
            epay.DirectDebitInstruction,
            "direct-debit-instruction.xml",
            "instruction_id",
            PxDirectDebitInstruction,
        ),
        (
            "DirectDebitReturn",
            epay.DirectDebitReturn,
            "direct-debit-return.xml",
            "return_id",
            PxDirectDebitReturn,
        ),
    ):
        yield name, example_case(model, example, field, px, small)


def example_case(model: Any, name: str, field: str, px: Any, count: int) -> Callable[[], Case]:
    """The maker of a case of ``count`` copies of an e-Pay example (see :func:`from_example`).

    xsdata's class has the model's name.
    """
    return lambda: (model, from_example(model, name, count, field), px, model.__name__, 1)


def run_case(case: Case, xs_module: Any, repeat: int) -> dict[str, tuple[float, float]]:
    """Return CPU seconds (read, write) per binding for all the case's documents.

    Every binding reads the same bytes (ours, written once) and writes the objects it
    read from them; each one's reading is checked to give back what was written.
    """
    from xsdata.formats.dataclass.parsers import XmlParser
    from xsdata.formats.dataclass.serializers import XmlSerializer

    ours, objects, px, xs_name, per = case
    documents = [o.to_xml() for o in objects]
    assert [ours.from_xml(d) for d in documents] == objects
    px_objects = [px.from_xml(d) for d in documents]
    assert [px.from_xml(o.to_xml()) for o in px_objects] == px_objects
    xs = getattr(xs_module, xs_name)
    parser, serializer = XmlParser(), XmlSerializer()
    xs_objects = [parser.from_bytes(d, xs) for d in documents]
    assert [parser.from_string(serializer.render(o), xs) for o in xs_objects] == xs_objects
    functions: dict[str, Callable[[], Any]] = {
        "lgstandards read": lambda: [ours.from_xml(d) for d in documents],
        "lgstandards write": lambda: [o.to_xml() for o in objects],
        "pydantic-xml read": lambda: [px.from_xml(d) for d in documents],
        "pydantic-xml write": lambda: [o.to_xml() for o in px_objects],
        "xsdata read": lambda: [parser.from_bytes(d, xs) for d in documents],
        "xsdata write": lambda: [serializer.render(o) for o in xs_objects],
    }
    # Small documents take tens of milliseconds a round: more rounds for the same care.
    least = interleaved(functions, repeat if per > 1 else SMALL_ROUNDS * repeat)
    return {
        binding: (least[f"{binding} read"], least[f"{binding} write"])
        for binding in ("lgstandards", "pydantic-xml", "xsdata")
    }


#: Rounds per ``--repeat`` for the cases of small documents.
SMALL_ROUNDS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--only", action="append", metavar="CASE", help="run only this case (repeatable)"
    )
    args = parser.parse_args()
    unknown = set(args.only or ()) - {name for name, _ in cases(args.records)}
    if unknown:
        parser.error(f"no such case: {', '.join(sorted(unknown))}")

    print(f"load average {os.getloadavg()[0]:.2f}; CPU seconds of this process")
    with tempfile.TemporaryDirectory() as tmp:
        xs_module = xsdata_module(Path(tmp))
        for name, make in cases(args.records):
            if args.only and name not in args.only:
                continue  # (before its documents are made)
            case = make()
            _ours, objects, _px, _xs, per = case
            records = len(objects) * per
            size = sum(len(o.to_xml()) for o in objects)
            unit = "documents" if per == 1 else "records"
            print(f"\n{name}: {len(objects)} document(s), {records} {unit}, {size / 1e6:.1f} MB")
            results = run_case(case, xs_module, args.repeat)
            del case, objects
            print(f"{'binding':14} {'from_xml ' + unit + '/s':>22} {'to_xml ' + unit + '/s':>20}")
            for binding, (read, write) in results.items():
                print(f"{binding:14} {records / read:22,.0f} {records / write:20,.0f}")
            others = [v for k, v in results.items() if k != "lgstandards"]
            read_ratio = min(o[0] for o in others) / results["lgstandards"][0]
            write_ratio = min(o[1] for o in others) / results["lgstandards"][1]
            # Two places: a ratio of 2.95 is short of the target, and must not print as 3.0.
            print(
                f"lgstandards vs the faster other binding: from_xml {read_ratio:.2f}x, "
                f"to_xml {write_ratio:.2f}x (target 3x)"
            )


if __name__ == "__main__":
    main()
