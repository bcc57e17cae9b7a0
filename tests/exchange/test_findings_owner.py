"""One owner of the findings' parameters that the ledger's rules and the cluster's keys share.

COM-R004, COM-R012 and EPAY-R017 are found by the exchange (one document after another,
against the ledger) and by the bulk layer (from keys grouped by a shuffle); both fill the
registry's templates with the parameters :mod:`lgstandards.exchange.findings` builds.
The differential test (tests/bulk/test_cross_document.py) checks that the findings agree;
this one checks that the wording exists once, so the two cannot drift apart.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lgstandards.codes import get
from lgstandards.exchange import findings

SRC = Path(findings.__file__).resolve().parents[1]

#: The wording each builder writes into its findings (the Welsh twins most of all).
WORDING = (
    "Dynodydd y ffeil",
    "Rhif dilyniant y swp",
    "dynodydd y cais ad-daliad",
    "fe'i defnyddiwyd eisoes",
    "does not follow on from",
    "was already used",
)


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append(node.value)
    return found


@pytest.mark.parametrize("words", WORDING)
def test_the_wording_lives_in_one_module(words: str) -> None:
    holders = sorted(
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "_exchange.py" and any(words in s for s in _strings(path))
    )
    assert holders == ["exchange/findings.py"]


@pytest.mark.parametrize(
    ("code", "params"),
    [
        ("rule.COM-R004", findings.transaction_id_reused("T-1", "W1", "2026-04-01", "#1")),
        ("rule.EPAY-R017", findings.request_id_reused("REQ-1", "APP", "#1")),
        ("rule.EPAY-R017", findings.refund_request_id_reused("RFD-1", "W1", "#1")),
        ("rule.COM-R012", findings.file_id_reused("F-1", "#1")),
        ("rule.COM-R012", findings.sequence_broken(7, 5, "#1")),
    ],
)
def test_every_builder_fills_its_templates_exactly(code: str, params: dict[str, object]) -> None:
    entry = get(code)
    assert set(params) == entry.parameters(stateful=True)
    english, welsh = entry.texts(stateful=True, **params)
    assert "{" not in english
    assert welsh is not None
    assert "{" not in welsh
