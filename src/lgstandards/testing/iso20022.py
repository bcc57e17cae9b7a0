"""Hypothesis strategies for ISO 20022 bank statements and the payouts they settle.

A council's bank statement (camt.053) shows each payout of its payment gateway as a
credit entry; :mod:`lgstandards.exchange.bank` matches the two by reference and amount.
:func:`statements_with_payouts` draws both sides at once: e-Pay ``Payout`` messages
(valid, their amounts adding up) and a camt.053.001.02 statement, valid against the
ISO schema, with one booked credit per payout (its reference as the end-to-end id, the
account servicer's reference or a word of the remittance line) and a few debits. With
``breaks=`` one payout no longer matches (:data:`RECONCILIATION_BREAKS`): its amount
differs (``bank.amount-mismatch``), or its reference (``bank.payout-missing``).

Every value is fake: the account's IBAN has right check digits (:func:`iban`) but the
bank code ``ZZZZ``, the account holder is a test council. Install with
``pip install 'lgstandards[testing]'``.

>>> from lgstandards.testing.iso20022 import iban
>>> iban("GB", "ZZZZ00000012345678")
'GB72ZZZZ00000012345678'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from lgstandards.models import epay
from lgstandards.testing._hypothesis import st
from lgstandards.testing.common import dates, identifiers, money
from lgstandards.testing.epay import payouts

CAMT053_NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"
#: What a drawn case can break, and the issue the reconciliation then raises.
RECONCILIATION_BREAKS = ("bank.amount-mismatch", "bank.payout-missing")
#: The bank code of every drawn IBAN: no bank has it.
FAKE_BANK = "ZZZZ"
#: The account holder of every drawn statement.
FAKE_HOLDER = "TEST COUNCIL INCOME ACCOUNT"


def iban_check_digits(country: str, bban: str) -> str:
    """Return the two check digits of an IBAN (ISO 13616: mod 97-10 of ISO 7064)."""
    digits = "".join(str(int(c, 36)) for c in (bban + country + "00").upper())
    return f"{98 - int(digits) % 97:02d}"


def iban(country: str, bban: str) -> str:
    """Return the IBAN of a country's basic bank account number, check digits included."""
    return f"{country}{iban_check_digits(country, bban)}{bban}"


def is_valid_iban(value: str) -> bool:
    """Tell whether ``value`` has an IBAN's shape and right check digits."""
    text = value.replace(" ", "").upper()
    if len(text) < 5 or not text.isalnum() or not text[:2].isalpha() or not text[2:4].isdigit():
        return False
    return iban_check_digits(text[:2], text[4:]) == text[2:4]


#: A fake UK IBAN: bank code ZZZZ, a sort code starting 00, an eight-digit account.
ibans = st.builds(
    lambda sort, account: iban("GB", f"{FAKE_BANK}00{sort:04d}{account:08d}"),
    st.integers(0, 9999),
    st.integers(0, 99_999_999),
)

#: Where a statement carries a payout's reference (exchange.bank reads all three).
PLACES = ("end-to-end", "servicer", "remittance")


@dataclass(frozen=True, slots=True)
class Debit:
    """A debit entry on a drawn statement (a bank charge, a Direct Debit paid out)."""

    amount: Decimal
    code: str


@dataclass(frozen=True, slots=True)
class StatementCase:
    """A drawn camt.053 statement and the payouts it settles.

    ``broken`` is the code the reconciliation raises (None: it matches cleanly) and
    ``payout_id`` the payout it is about.
    """

    statement: bytes
    payouts: tuple[epay.Payout, ...]
    broken: str | None = None
    payout_id: str | None = None


def reference_of(payout: epay.Payout) -> str:
    """Return the reference a payout is found by on the statement (exchange.bank's rule)."""
    return payout.statement_reference or payout.payout_id


def camt053(
    credits: list[tuple[epay.Payout, str]],
    debits: list[Debit],
    *,
    account: str,
    statement_id: str,
    day: dt.date,
    opening: Decimal,
) -> bytes:
    """Write a camt.053.001.02 statement of one day: a booked credit per payout, and debits.

    ``credits`` pairs each payout with where its reference goes (:data:`PLACES`); the
    closing balance is the opening balance plus the credits less the debits.
    """
    from lxml import etree

    def sub(parent: Any, name: str, text: str | None = None, **attrs: str) -> Any:
        element = etree.SubElement(parent, f"{{{CAMT053_NS}}}{name}", attrs)
        element.text = text
        return element

    def amount(parent: Any, value: Decimal) -> None:
        sub(parent, "Amt", f"{abs(value):.2f}", Ccy="GBP")
        sub(parent, "CdtDbtInd", "DBIT" if value < 0 else "CRDT")

    def balance(parent: Any, code: str, value: Decimal) -> None:
        bal = sub(parent, "Bal")
        sub(sub(sub(bal, "Tp"), "CdOrPrtry"), "Cd", code)
        amount(bal, value)
        sub(sub(bal, "Dt"), "Dt", day.isoformat())

    created = dt.datetime.combine(day, dt.time(18, 0)).isoformat() + "Z"
    document = etree.Element(f"{{{CAMT053_NS}}}Document", nsmap={None: CAMT053_NS})
    message = sub(document, "BkToCstmrStmt")
    header = sub(message, "GrpHdr")
    sub(header, "MsgId", statement_id)
    sub(header, "CreDtTm", created)
    statement = sub(message, "Stmt")
    sub(statement, "Id", f"{statement_id}-1")
    sub(statement, "CreDtTm", created)
    acct = sub(statement, "Acct")
    sub(sub(acct, "Id"), "IBAN", account)
    sub(acct, "Ccy", "GBP")
    sub(acct, "Nm", FAKE_HOLDER)
    total = sum((p.amount for p, _ in credits), Decimal(0)) - sum(
        (d.amount for d in debits), Decimal(0)
    )
    balance(statement, "OPBD", opening)
    balance(statement, "CLBD", opening + total)
    entries: list[tuple[Decimal, epay.Payout | Debit, str]] = [
        (p.amount, p, place) for p, place in credits
    ]
    entries += [(-d.amount, d, "") for d in debits]
    for number, (value, item, place) in enumerate(entries, start=1):
        entry = sub(statement, "Ntry")
        sub(entry, "NtryRef", str(number))
        amount(entry, value)
        sub(entry, "Sts", "BOOK")
        sub(sub(entry, "BookgDt"), "Dt", day.isoformat())
        sub(sub(entry, "ValDt"), "Dt", day.isoformat())
        reference = reference_of(item) if isinstance(item, epay.Payout) else None
        servicer = reference if place == "servicer" else f"BANK-REF-{number:04d}"
        sub(entry, "AcctSvcrRef", servicer)
        code = "BGC" if isinstance(item, epay.Payout) else item.code
        sub(sub(sub(entry, "BkTxCd"), "Prtry"), "Cd", code)
        if reference is not None and place in ("end-to-end", "remittance"):
            details = sub(sub(entry, "NtryDtls"), "TxDtls")
            if place == "end-to-end":
                sub(sub(details, "Refs"), "EndToEndId", reference)
            else:
                sub(sub(details, "RmtInf"), "Ustrd", f"GATEWAY TEST {reference} PAYOUT")
    data: bytes = etree.tostring(document, xml_declaration=True, encoding="UTF-8")
    return data


def _positive_payouts() -> st.SearchStrategy[epay.Payout]:
    return payouts().filter(lambda p: p.amount > 0)


def statements_with_payouts(breaks: str | None = None) -> st.SearchStrategy[StatementCase]:
    """Draw payouts and the statement that settles them (``breaks``: one no longer matches).

    Each payout is a valid e-Pay ``Payout`` (EPAY-R015 holds, also after a break) with its
    own reference; the statement is valid against the camt.053.001.02 schema.
    """
    if breaks is not None and breaks not in RECONCILIATION_BREAKS:
        raise ValueError(
            f"statements_with_payouts cannot break {breaks!r}; "
            f"choose from {', '.join(RECONCILIATION_BREAKS)}"
        )
    return _statements_with_payouts(breaks)


@st.composite
def _statements_with_payouts(draw: Any, breaks: str | None) -> StatementCase:
    drawn = draw(
        st.lists(_positive_payouts(), min_size=1, max_size=4, unique_by=reference_of).filter(
            lambda found: len({p.payout_id for p in found}) == len(found)
        )
    )
    places = [draw(st.sampled_from(PLACES)) for _ in drawn]
    debits = draw(
        st.lists(
            st.builds(Debit, money("0.01", "500.00"), st.sampled_from(["DD", "CHG", "BACS"])),
            max_size=3,
        )
    )
    statement = camt053(
        list(zip(drawn, places, strict=True)),
        debits,
        account=draw(ibans),
        statement_id=draw(identifiers("STMT")),
        day=draw(dates),
        opening=draw(money("0.00", "99999.99")),
    )
    if breaks is None:
        return StatementCase(statement, tuple(drawn))
    index = draw(st.integers(0, len(drawn) - 1))
    target = drawn[index]
    if breaks == "bank.amount-mismatch":  # more paid out than the bank credited
        delta = Decimal(draw(st.integers(1, 999))) / 100
        largest = max(
            range(len(target.transaction)), key=lambda i: target.transaction[i].gross_amount
        )
        transactions = list(target.transaction)
        line = transactions[largest]
        transactions[largest] = line.model_copy(
            update={
                "gross_amount": line.gross_amount + delta,
                "net_amount": line.net_amount + delta,
            }
        )
        broken = target.model_copy(
            update={"amount": target.amount + delta, "transaction": transactions}
        )
    else:  # a reference the statement does not carry
        taken = {reference_of(p) for p in drawn}
        fresh = draw(identifiers("PO").filter(lambda r: r not in taken))
        broken = target.model_copy(update={"payout_id": fresh, "statement_reference": fresh})
    changed = (*drawn[:index], broken, *drawn[index + 1 :])
    return StatementCase(statement, changed, breaks, broken.payout_id)


def bank_statements() -> st.SearchStrategy[bytes]:
    """Draw a camt.053.001.02 statement (valid against the ISO schema) of fake payouts."""
    return statements_with_payouts().map(lambda case: case.statement)


__all__ = [
    "CAMT053_NS",
    "FAKE_BANK",
    "FAKE_HOLDER",
    "PLACES",
    "RECONCILIATION_BREAKS",
    "Debit",
    "StatementCase",
    "bank_statements",
    "camt053",
    "iban",
    "iban_check_digits",
    "ibans",
    "is_valid_iban",
    "reference_of",
    "statements_with_payouts",
]
