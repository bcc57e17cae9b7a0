"""COM-R004, COM-R012 and EPAY-R017 on the cluster give the exchange ledger's findings.

Generated histories (fake data) of payment requests, GovTalk submissions carrying
payment requests (a document in two groups), and reconciliation batches, with keys
drawn from small sets so that they collide, and some documents invalid alone (they
are found against but record nothing). The cluster's findings, grouped from keys on
the cluster, must be the exchange's (:class:`lgstandards.exchange.Exchange` on SQLite
in memory, the files checked in the same order), issue for issue, texts included.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from lgstandards._resources import examples_root
from lgstandards.bulk import validate_many
from lgstandards.bulk.keys import RULES
from lgstandards.exchange import STATEFUL_RULES, Exchange

CASES = examples_root() / "exchanges"
REQUEST = (CASES / "epay-r017-request-id-reused" / "01-payment-request.xml").read_text()
SUBMIT = (CASES / "com-r004-transaction-id-reused" / "01-submit.xml").read_text()
BATCH = (CASES / "com-r012-sequence-and-file-id" / "01-batch-5.xml").read_text()
COUNCILS = ("W99999999", "E99999999")


def _request(rng: random.Random, n: int) -> str:
    text = REQUEST.replace("REQ-0002", f"REQ-{rng.randrange(5)}").replace("PR-0002", f"PR-{n}")
    return text.replace("W99999999", rng.choice(COUNCILS))


def _submit(rng: random.Random, n: int) -> str:
    text = SUBMIT.replace("D0000001", f"D{rng.randrange(4):07d}")
    text = text.replace("2026-04-01T10:00:00Z", f"2026-04-0{rng.randrange(1, 3)}T10:00:00Z")
    text = text.replace("LGS-TEST-USER", rng.choice(("LGS-TEST-USER", "LGS-TEST-OTHER")))
    return text.replace("REQ-GT-0003", f"REQ-{rng.randrange(5)}")


def _batch(rng: random.Random, n: int) -> str:
    text = BATCH.replace("RECON-TEST-0005", f"RECON-{rng.randrange(5)}")
    text = text.replace(
        "<epay:SequenceNumber>5</epay:SequenceNumber>",
        f"<epay:SequenceNumber>{rng.randrange(1, 7)}</epay:SequenceNumber>",
    )
    return text.replace("W99999999", rng.choice(COUNCILS))


def history(folder: Path, seed: int, count: int = 60) -> list[str]:
    """Write a history of ``count`` documents; return their paths in order."""
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        text = rng.choice((_request, _submit, _batch))(rng, n)
        if rng.random() < 0.15:  # invalid alone, still parsed: found against, records nothing
            text = text.replace(
                "<epay:Currency>GBP</epay:Currency>", "<epay:Currency>XX</epay:Currency>"
            )
        path = folder / f"{n:03d}.xml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def _findings(issues: list[Any]) -> str:
    return json.dumps([i.to_dict() for i in issues if i.code[5:] in RULES])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cluster_gives_the_ledgers_findings(client: Any, tmp_path: Path, seed: int) -> None:
    paths = history(tmp_path, seed)
    with Exchange() as exchange:
        ledger = [exchange.check(path) for path in paths]
    others = {
        i.code
        for r in ledger
        for i in r.issues
        if i.code.startswith("rule.") and i.code[5:] in STATEFUL_RULES and i.code[5:] not in RULES
    }
    assert not others  # the histories stay within the three rules
    found = list(validate_many([str(tmp_path)], client, ordered=True, cross_document=True))
    own, extra = found[: len(paths)], found[len(paths) :]
    assert [r.source for r in own] == paths
    by_source: dict[str | None, list[Any]] = {}
    for report in extra:
        assert report.source not in by_source  # one report per document found against
        by_source[report.source] = report.issues
    expected = {p: _findings(r.issues) for p, r in zip(paths, ledger, strict=True)}
    assert sum(1 for v in expected.values() if v != "[]") >= 5  # the keys did collide
    for path in paths:
        assert _findings(by_source.get(path, [])) == expected[path], path
    kinds = {r.source: r.kind for r in own}
    assert all(r.kind == kinds[r.source] for r in extra)


def test_an_envelope_rejected_in_one_group_records_nothing_in_the_other(
    client: Any, tmp_path: Path
) -> None:
    """A submission reusing a TransactionID carries a new requestId: it must not hold it."""
    first = SUBMIT.replace("REQ-GT-0003", "REQ-A")
    again = SUBMIT.replace("REQ-GT-0003", "REQ-B")  # COM-R004: rejected, REQ-B not recorded
    later = REQUEST.replace("REQ-0002", "REQ-B")  # so REQ-B is new here
    paths = []
    for n, text in enumerate((first, again, later)):
        path = tmp_path / f"{n}.xml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    with Exchange() as exchange:
        ledger = [exchange.check(path) for path in paths]
    found = list(validate_many(paths, client, ordered=True, cross_document=True))
    codes = {r.source: [i.code for i in r.issues] for r in found[3:]}
    assert codes == {paths[1]: ["rule.COM-R004"]}
    assert [_findings(r.issues) for r in ledger] == [
        _findings(next((f.issues for f in found[3:] if f.source == p), [])) for p in paths
    ]


def test_no_keys_no_findings(client: Any) -> None:
    found = list(
        validate_many([str(CASES / "epay-valid-day")], client, cross_document=True, ordered=True)
    )
    assert len(found) == len(list((CASES / "epay-valid-day").glob("*.xml")))
