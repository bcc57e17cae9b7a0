"""Hostile histories for the exchange ledger: findings, never a LedgerError from the content.

A refund notification with a new RefundId under a RefundRequestId another refund holds
broke the ledger's one-refund-per-request constraint: the write was retried as a lost
race until "the ledger stayed busy" (LedgerError). It is EPAY-R017 (a refund request id
is never reused), as for a refund request. The property: identifiers and values copied
between the documents of each example history, in order or shuffled, never raise.
"""

from __future__ import annotations

import re
from pathlib import Path

from hostile_support import EXAMPLES, EXTREME_VALUES, assert_kept_promise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.conformance.kit import exchange_options
from lgstandards.exchange import Exchange

HISTORIES = sorted(p for p in (EXAMPLES / "exchanges").iterdir() if p.is_dir())
_TEXT = re.compile(rb">([^<>]{1,80})</")


def _run(folder: Path, documents: list[tuple[str, bytes]]) -> list[list[str]]:
    options = exchange_options(folder)
    profile = folder / options["profile"] if "profile" in options else None
    found = []
    with Exchange(sender=options.get("sender"), profile=profile) as exchange:
        for name, data in documents:
            found.append(assert_kept_promise(exchange.check(data, name=name).issues))
        exchange.status()
    return [[i.code for i in issues] for issues in found]


def test_a_new_refund_under_a_used_refund_request_id_is_epay_r017() -> None:
    folder = EXAMPLES / "exchanges" / "epay-r013-illegal-transition"
    documents = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.xml"))]
    name, last = documents[-1]
    assert b"<epay:RefundId>GW-RFD-0002</epay:RefundId>" in last
    other = last.replace(b"GW-RFD-0002", b"GW-RFD-0999")
    codes = _run(folder, [*documents[:-1], (name, other)])
    assert codes[-1] == ["rule.EPAY-R017"]


@st.composite
def _histories(draw: st.DrawFn) -> tuple[Path, list[tuple[str, bytes]]]:
    folder = draw(st.sampled_from(HISTORIES))
    documents = [(p.name, p.read_bytes()) for p in sorted(folder.glob("*.xml"))]
    pool = [m.group(1) for _, data in documents for m in _TEXT.finditer(data)]
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(documents) - 1))
        name, data = documents[index]
        spots = [m.span(1) for m in _TEXT.finditer(data)]
        start, end = draw(st.sampled_from(spots))
        value = draw(st.sampled_from(pool) | st.sampled_from(EXTREME_VALUES))
        documents[index] = (name, data[:start] + value + data[end:])
    if draw(st.booleans()):
        documents = draw(st.permutations(documents))
    if draw(st.booleans()):
        documents = [*documents, draw(st.sampled_from(documents))]  # one sent again
    return folder, list(documents)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(history=_histories())
def test_histories_with_values_copied_between_documents(
    history: tuple[Path, list[tuple[str, bytes]]],
) -> None:
    _run(*history)
