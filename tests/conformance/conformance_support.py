"""The fake product of the conformance tests: it writes the kit back with two faults."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from lgstandards.conformance import cases


def _bad_postcode(text: str) -> str:
    return re.sub(
        r"<lgc:Postcode>[^<]*</lgc:Postcode>", "<lgc:Postcode>AA9A 9CI</lgc:Postcode>", text
    )


def _duplicate_link(text: str) -> str:
    link = re.search(r"<tx:Link>.*?</tx:Link>", text, flags=re.S)
    assert link is not None
    return text.replace("</tx:CouncilTransactions>", link.group(0) + "</tx:CouncilTransactions>")


#: The fake product's two deliberate faults: case name -> (what it does, the codes it causes).
FAULTS: dict[str, tuple[Callable[[str], str], tuple[str, ...]]] = {
    "epay/valid/payment-request.xml": (_bad_postcode, ("xsd.pattern", "rule.COM-R014")),
    "transactions/valid/council-transactions.xml": (_duplicate_link, ("rule.TX-R001",)),
}


def fake_product(kit: Path, out: Path) -> None:
    """Play a supplier's product: read every exported case, write it back, two with faults."""
    for case in cases():
        data = (kit / case.name).read_bytes()
        if case.name in FAULTS:
            fault, _ = FAULTS[case.name]
            changed = fault(data.decode("utf-8"))
            assert changed.encode("utf-8") != data
            data = changed.encode("utf-8")
        target = out / case.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
