"""No full card number ever reaches the ledger; e-Benefits personal data is kept as keyed
hashes, not in clear (both ledgers: the SQLite file's bytes and every text column)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from messages import CASES, DAY, payment_request

from lgstandards._resources import examples_root
from lgstandards.exchange import Exchange
from lgstandards.exchange import ledger as lg
from lgstandards.exchange.checker import scrub
from lgstandards.rules.epay import luhn_valid

#: Fake, Luhn-valid test card numbers (the schemes' published test numbers).
CARDS = ("4000000000000002", "5555555555554444", "4111111111111111")
_RUN = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")


def card_runs(text: str) -> list[str]:
    """Luhn-valid runs of 13 to 19 digits (single spaces or hyphens allowed between)."""
    found = []
    for match in _RUN.finditer(text):
        digits = re.sub(r"[ -]", "", match.group(0))
        if luhn_valid(digits):
            found.append(digits)
    return found


def _documents_with_cards() -> list[tuple[str, bytes]]:
    request = (DAY / "01-payment-request.xml").read_text(encoding="utf-8")
    result = (DAY / "03-payment-success.xml").read_text(encoding="utf-8")
    found = [
        (p.name, p.read_bytes())
        for p in (
            examples_root() / "epay" / "invalid" / "request-card-number.xml",
            examples_root() / "govtalk" / "invalid" / "envelope-payment-card-number.xml",
        )
    ]
    found.append(
        (
            "masked-is-full.xml",
            result.replace(
                "</epay:Currency>",
                "</epay:Currency>\n  <epay:Card>\n    <epay:MaskedCardNumber>"
                f"{CARDS[1]}</epay:MaskedCardNumber>\n  </epay:Card>",
            ).encode(),
        )
    )
    found.append(
        (
            "narrative-hyphens.xml",
            request.replace("Test item 1", "card 4111-1111-1111-1111 please").encode(),
        )
    )
    found.append(
        (
            "comment.xml",
            request.replace("REQ-0001", "REQ-CARD-C")
            .replace("<epay:Currency>", f"<!-- {CARDS[0]} --><epay:Currency>")
            .encode(),
        )
    )
    found.append(
        (
            "reference.xml",
            request.replace("REQ-0001", f"REQ-{CARDS[2]}").encode(),
        )
    )
    return found


def _text_columns(url: str) -> list[str]:
    engine = sa.create_engine(lg.ledger_url(url))
    values: list[str] = []
    with engine.connect() as conn:
        for table in lg.TABLES.values():
            for column in table.columns:
                if column.name == "sha256" or (table.name, column.name) == ("ledger_meta", "value"):
                    continue  # hex digits (a digest, the salt): chance runs, never a card
                for (value,) in conn.execute(sa.select(column)).all():
                    if isinstance(value, bytes):
                        values.append(value.decode("latin-1"))
                    elif value is not None:
                        values.append(str(value))
    engine.dispose()
    return values


def _sqlite_bytes(url: str) -> bytes:
    path = Path(url)
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("keep", [False, True], ids=["facts-only", "keep-documents"])
def test_no_full_card_number_reaches_the_ledger(ledger: str, ledger_kind: str, keep: bool) -> None:
    documents = _documents_with_cards()
    planted = {n for _, data in documents for n in card_runs(data.decode("utf-8"))}
    assert set(CARDS) <= planted
    with Exchange(ledger, keep_documents=keep, retention=30 if keep else None) as exchange:
        reports = [exchange.check(data, name=name) for name, data in documents]
        kept_count = exchange.status().documents_accepted
    assert any("rule.EPAY-R008" in r.codes() for r in reports)
    assert kept_count >= 1  # the comment and reference documents pass validation
    for value in _text_columns(ledger):
        assert card_runs(value) == [], value[:200]
    if ledger_kind == "sqlite":
        raw = _sqlite_bytes(ledger)
        for number in planted:
            for spelling in (number, " ".join(number[i : i + 4] for i in range(0, 16, 4))):
                assert spelling.encode() not in raw
    # The report the caller gets is whole: the masking is the ledger's.
    assert any("4000" in i.message for r in reports for i in r.issues if i.code == "rule.EPAY-R008")


def test_scrub_removes_card_numbers_and_personal_data() -> None:
    text = "card 4000 0000 0000 0002 and 4111-1111-1111-1111; order 1234567890123"
    assert scrub(text, personal=False) == (
        "card [card number removed] and [card number removed]; order 1234567890123"
    )
    personal = "NINO AB000001A, born 1985-03-14, reference HB/2026/000101"
    assert scrub(personal, personal=True) == (
        "NINO [NINO removed], born [date removed], reference HB/2026/000101"
    )
    assert scrub(personal, personal=False) == personal


def test_benefits_personal_data_is_never_in_clear(ledger: str, ledger_kind: str) -> None:
    case = CASES / "ben-r018-claim-must-exist"
    paths = sorted(case.glob("*.xml"))
    personal: set[str] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        personal.update(re.findall(r"<ben:NationalInsuranceNumber>([^<]+)<", text))
        personal.update(re.findall(r"<ben:BirthDate>([^<]+)<", text))
    assert "AB000001A" in personal
    assert "1985-03-14" in personal
    bad_nino = paths[0].read_text(encoding="utf-8").replace("AB000001A", "AB00000 1A")
    with Exchange(ledger) as exchange:
        reports = [exchange.check(path) for path in paths]
        reports.append(exchange.check(bad_nino.encode(), name="bad-nino.xml"))
        assert exchange.status().claims >= 2
    assert any(i.code.startswith("xsd.") for i in reports[-1].issues)
    for value in _text_columns(ledger):
        for secret in personal:
            assert secret not in value, (secret, value[:200])
        assert "AB00000 1A" not in value
    if ledger_kind == "sqlite":
        raw = _sqlite_bytes(ledger)
        for secret in personal:
            assert secret.encode() not in raw
    # A status query by NINO and birth date still finds the claim: the keyed hash.
    assert reports[8].codes() == []
    assert reports[9].codes() == ["rule.BEN-R018"]


def test_the_keyed_hash_differs_between_ledgers(new_ledger: object) -> None:
    assert callable(new_ledger)
    keys = []
    claim = CASES / "ben-r018-claim-must-exist" / "01-claim.xml"
    for _ in range(2):
        url = str(new_ledger())
        with Exchange(url) as exchange:
            exchange.check(claim)
        engine = sa.create_engine(lg.ledger_url(url))
        with engine.connect() as conn:
            keys.append(conn.execute(sa.select(lg.claims.c.claimant_key)).scalar())
        engine.dispose()
    assert keys[0] is not None
    assert keys[1] is not None
    assert keys[0] != keys[1]
    assert len(keys[0]) == 64


def test_a_valid_document_is_kept_only_when_asked(ledger: str) -> None:
    data = payment_request("REQ-KEEP")
    with Exchange(ledger) as exchange:
        exchange.check(data)
    engine = sa.create_engine(lg.ledger_url(ledger))
    with engine.connect() as conn:
        assert conn.execute(sa.select(lg.documents.c.content)).scalar() is None
    engine.dispose()
