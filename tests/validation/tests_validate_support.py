"""Helpers shared by the validation tests: the tests' own small batch kind and its documents.

A plain module with a unique name (not ``conftest``), so that test modules can import it
when the whole suite runs with other ``conftest.py`` files.
"""

from __future__ import annotations

from pathlib import Path

from lgstandards.artefacts.kinds import KindSpec
from lgstandards.validation.profile import Profile

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


#: The tests' profile: the standards plus the two test kinds.
TEST_PROFILE = Profile(kinds=(BATCH, MESSAGE))


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
