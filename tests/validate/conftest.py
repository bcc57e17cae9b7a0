"""Fixtures for the validation engine: a small batch kind of the tests' own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lgstandards.validate.kinds import KindSpec, register, unregister

FIXTURES = Path(__file__).parent / "fixtures"
TEST_NS = "urn:lgstandards:test:batch"

BATCH = KindSpec(
    kind="test.batch",
    namespace=TEST_NS,
    root="TestBatch",
    schema_file=FIXTURES / "test-batch.xsd",
    rules_file=FIXTURES / "test-batch.sch",
    versions=frozenset({"1.0"}),
    record="Record",
    python_rules=False,
    prefixes={TEST_NS: "tb"},
)
MESSAGE = KindSpec(
    kind="test.message",
    namespace=TEST_NS,
    root="TestMessage",
    schema_file=FIXTURES / "test-batch.xsd",
    versions=frozenset({"1.0"}),
    python_rules=False,
    prefixes={TEST_NS: "tb"},
)


@pytest.fixture(autouse=True)
def test_kinds() -> Iterator[None]:
    """Register the test kinds (and the batch totals aggregate) for every test here."""
    from lgstandards.validate import aggregates

    register(BATCH)
    register(MESSAGE)
    before = dict(aggregates._FACTORIES)
    from tests_validate_support import register_test_aggregates

    register_test_aggregates()
    yield
    aggregates._FACTORIES.clear()
    aggregates._FACTORIES.update(before)
    unregister(BATCH.kind)
    unregister(MESSAGE.kind)


def batch_xml(records: int, *, bad_every: int = 0, total: str | None = None) -> bytes:
    """Generate a test batch of ``records`` records; every ``bad_every``-th is broken."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<tb:TestBatch xmlns:tb="{TEST_NS}" SchemaVersion="1.0">\n'
        "  <tb:Header><tb:Created>2024-05-01T10:00:00Z</tb:Created>"
        "<tb:ServiceCode>57</tb:ServiceCode></tb:Header>\n  <tb:Records>\n"
    ]
    amount_total = 0
    for n in range(1, records + 1):
        broken = bad_every and n % bad_every == 0
        amount = 0 if broken else 1
        amount_total += amount
        postcode = "aa1 1aa" if broken else "AA9A 9AA"
        channel = "18" if broken else "2"
        parts.append(
            f'    <tb:Record method="card"><tb:Reference>REF{n:06d}</tb:Reference>'
            f"<tb:Postcode>{postcode}</tb:Postcode><tb:Amount>{amount}.00</tb:Amount>"
            f"<tb:Service>57</tb:Service><tb:Channel>{channel}</tb:Channel></tb:Record>\n"
        )
    parts.append(
        f"  </tb:Records>\n  <tb:Trailer><tb:RecordCount>{records}</tb:RecordCount>"
        f"<tb:Total>{total or f'{amount_total}.00'}</tb:Total></tb:Trailer>\n</tb:TestBatch>\n"
    )
    return "".join(parts).encode()
