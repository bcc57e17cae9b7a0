"""Helpers shared by the validation tests (imported by conftest)."""

from __future__ import annotations

from lgstandards.validate.aggregates import TrailerTotals, register_aggregate
from lgstandards.validate.kinds import KindSpec

NS = "{urn:lgstandards:test:batch}"


def register_test_aggregates() -> None:
    """Stream the fixture's trailer rules TST-R003 (count) and TST-R004 (total)."""

    def factory(spec: KindSpec) -> TrailerTotals:
        return TrailerTotals(
            spec,
            trailer=f"{NS}Trailer",
            count_element=f"{NS}RecordCount",
            total_element=f"{NS}Total",
            amount_element=f"{NS}Amount",
            count_rule="TST-R003",
            total_rule="TST-R004",
        )

    register_aggregate("test.batch", factory)
