"""Hypothesis strategies for the parts every message family shares (needs ``hypothesis``).

Text, names, identifiers, dates and money, and the common structures: message headers,
person names, BS7666 addresses and bank accounts. The e-Pay, e-Benefits and
transactions strategies all build on these, so each name means one thing everywhere in
:mod:`lgstandards.testing`. Install with ``pip install 'lgstandards[testing]'``.

Values are clearly fake: council codes ``[ENSW]9999nnnn``, example.org addresses,
Welsh test names (``Prawf`` is Welsh for "test"). Strategies built at import combine with
``st.one_of`` (not ``|``), so that the documentation builds with Hypothesis mocked.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from lgstandards.models.common import (
    AON,
    POSTCODE_PATTERN,
    AONRange,
    BankAccount,
    BS7666Address,
    MessageHeader,
    PersonName,
)
from lgstandards.testing._hypothesis import st

#: Letters for names and free text: ASCII, Welsh and other Latin-1/Extended-A letters.
NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPRSTUWY" + "âêîôûŵŷÂÊÎÔÛŴŶáéëïöüÿ"
#: Characters of GovTalk-style text: letters and punctuation, no digits (so that no text
#: looks like a card number to the e-Pay rule EPAY-R008).
TEXT_CHARS = NAME_LETTERS + " '-.,&/()"
#: Every printable character of the schemas' TextType, Welsh letters and digits included.
TEXT_ALPHABET = "".join(
    [chr(c) for c in range(0x20, 0x7F)]
    + [chr(c) for c in range(0xA0, 0x180)]
    + ["\u2018", "\u2019", "\u20ac"]
)
#: Welsh given names (test data: the family name is often ``Prawf``).
WELSH_NAMES = ("Siân", "Gwŷn", "Llŷr", "Dafydd", "Gwenllïan", "Ŵyn", "Elen", "Rhys")


def _model(cls: Any, **fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Build ``cls`` from a strategy per field (no type inference for the others)."""
    return st.fixed_dictionaries(fields).map(lambda values: cls(**values))


def text(
    min_size: int = 1, max_size: int = 35, alphabet: str = TEXT_CHARS
) -> st.SearchStrategy[str]:
    """Draw free text of ``alphabet`` (default :data:`TEXT_CHARS`: no digits)."""
    return st.text(alphabet=alphabet, min_size=min_size, max_size=max_size)


def names(max_size: int = 35) -> st.SearchStrategy[str]:
    """Draw a name part starting with a letter."""
    return st.builds(
        lambda first, rest: first + rest,
        st.sampled_from(NAME_LETTERS),
        st.text(alphabet=TEXT_CHARS, max_size=max_size - 1),
    )


def identifiers(prefix: str = "ID") -> st.SearchStrategy[str]:
    """Draw a message or reference identifier (short digit runs only)."""
    return st.builds(lambda n: f"{prefix}-{n:06d}", st.integers(0, 999_999))


#: A BS7666 v2 postcode (rule COM-R014).
postcodes = st.from_regex(f"\\A{POSTCODE_PATTERN}\\Z")
#: A clearly fake GSS-shaped council code.
councils = st.from_regex(r"\A[ENSW]9999[0-9]{4}\Z")
dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31))
#: Dates at which the shipped code lists are in force (for messages carrying LGSL codes).
recent_dates = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 11, 1))
timestamps = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2090, 12, 31),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=1))]),
)


def money(low: str = "0.01", high: str = "9999.99") -> st.SearchStrategy[Decimal]:
    """Draw an amount in pounds from ``low`` to ``high``, with exactly two decimal places."""
    return st.integers(int(Decimal(low) * 100), int(Decimal(high) * 100)).map(
        lambda pence: (Decimal(pence) / 100).quantize(Decimal("0.01"))
    )


def headers(created: dt.date | None = None) -> st.SearchStrategy[MessageHeader]:
    """Draw a message header, created on the day ``created`` (UTC) or at any time."""
    moments = (
        timestamps
        if created is None
        else st.times().map(lambda t: dt.datetime.combine(created, t, tzinfo=dt.UTC))
    )
    return _model(
        MessageHeader,
        message_id=identifiers("MSG"),
        created=moments,
        sender=councils,
        receiver=st.one_of(st.none(), identifiers("SYS")),
        language=st.one_of(st.none(), st.sampled_from(["en", "cy"])),
        test=st.one_of(st.none(), st.just("yes")),
    )


def person_names() -> st.SearchStrategy[PersonName]:
    """Draw a person's name (often Welsh), with at least one given name."""
    return _model(
        PersonName,
        title=st.lists(
            st.one_of(st.sampled_from(["Mr", "Ms", "Mrs", "Dr", "Mx"]), names(10)), max_size=1
        ),
        given_name=st.lists(
            st.one_of(st.sampled_from(WELSH_NAMES), names()), min_size=1, max_size=2
        ),
        family_name=st.one_of(st.just("Prawf"), names()),
        requested_name=st.one_of(st.none(), names(70)),
    )


#: A BS7666 addressable object name: a description, or a number with an optional suffix.
aons = st.one_of(
    _model(AON, description=st.one_of(st.sampled_from(["Tŷ Prawf", "Bwthyn yr Ŵyn"]), text(1, 90))),
    _model(
        AON,
        start_range=_model(
            AONRange,
            number=st.integers(1, 9999),
            suffix=st.one_of(st.none(), st.sampled_from("ABC")),
        ),
        description=st.one_of(st.none(), text(1, 90)),
    ),
)


def addresses() -> st.SearchStrategy[BS7666Address]:
    """Draw a BS7666 address (a postcode and UPRN more often than not)."""
    return _model(
        BS7666Address,
        saon=st.one_of(st.none(), aons),
        paon=aons,
        street=st.one_of(st.just("Lôn yr Ŵyn"), text(1, 100)),
        locality=st.one_of(st.none(), text()),
        town=st.one_of(st.none(), text(1, 30)),
        administrative_area=st.one_of(st.none(), text(1, 30)),
        post_town=st.one_of(st.none(), st.just("Trefbrawf"), text(1, 30)),
        postcode=st.one_of(postcodes, st.none()),
        uprn=st.one_of(st.integers(1, 999_999_999_999), st.none()),
        usrn=st.one_of(st.none(), st.integers(1, 99_999_999)),
    )


#: A UK bank account: sort code, account number, sometimes a building-society roll number.
bank_accounts = _model(
    BankAccount,
    account_name=names(),
    sort_code=st.from_regex(r"\A[0-9]{6}\Z"),
    account_number=st.from_regex(r"\A[0-9]{8}\Z"),
    roll_number=st.one_of(st.none(), st.from_regex(r"\A[A-Z0-9]{1,10}\Z")),
)

__all__ = [
    "NAME_LETTERS",
    "TEXT_ALPHABET",
    "TEXT_CHARS",
    "WELSH_NAMES",
    "addresses",
    "aons",
    "bank_accounts",
    "councils",
    "dates",
    "headers",
    "identifiers",
    "money",
    "names",
    "person_names",
    "postcodes",
    "recent_dates",
    "text",
    "timestamps",
]
