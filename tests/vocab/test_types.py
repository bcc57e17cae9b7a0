"""Pydantic code types and the Transaction model, with hypothesis over the real lists."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from lgstandards.vocab import LGILCode, LGSLCode, Transaction, lgil, lgsl

LGSL_CODES = lgsl.codes()
LGIL_CODES = lgil.codes()


class Page(BaseModel):
    service: LGSLCode
    interaction: LGILCode | None = None


@given(st.sampled_from(LGSL_CODES))
def test_every_lgsl_code_validates_and_reaches_its_record(code: int) -> None:
    page = Page(service=code)
    assert isinstance(page.service, LGSLCode)
    assert page.service == code
    assert page.service.record is lgsl.lookup(code)
    assert page.service.label == lgsl.lookup(code).label
    assert json.loads(page.model_dump_json())["service"] == code


@given(st.integers().filter(lambda n: n not in lgsl))
def test_codes_outside_the_list_are_refused(code: int) -> None:
    with pytest.raises(ValidationError) as info:
        Page(service=code)
    assert info.value.errors()[0]["type"] in {"lgsl_code", "greater_than_equal"}


@given(st.sampled_from(LGIL_CODES))
def test_lgil_codes_round_trip_through_json(code: int) -> None:
    adapter = TypeAdapter(LGILCode)
    value = adapter.validate_json(json.dumps(code))
    assert value == code
    assert adapter.dump_json(value) == str(code).encode()


@pytest.mark.parametrize("bad", [18, 19, 35, -1])
def test_unassigned_lgil_codes_are_refused(bad: int) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(LGILCode).validate_python(bad)


def test_numeric_strings_are_accepted_in_lax_mode_but_not_words() -> None:
    assert Page.model_validate({"service": "57"}).service == 57
    with pytest.raises(ValidationError):
        Page.model_validate({"service": "fifty-seven"})


def test_json_schemas_are_useful() -> None:
    lgsl_schema = TypeAdapter(LGSLCode).json_schema()
    assert lgsl_schema["type"] == "integer"
    assert "enum" not in lgsl_schema  # too long a list for an enum
    assert "id.esd.org.uk/service" in lgsl_schema["description"]
    lgil_schema = TypeAdapter(LGILCode).json_schema()
    assert lgil_schema["enum"] == list(LGIL_CODES)


@given(st.sampled_from(LGSL_CODES), st.sampled_from(LGIL_CODES))
def test_transaction_accepts_known_codes(service: int, interaction: int) -> None:
    transaction = Transaction(service=service, interaction=interaction)
    assert transaction.service.record.code == service
    assert transaction.interaction.record.code == interaction
    assert Transaction.model_validate_json(transaction.model_dump_json()) == transaction


def test_transaction_refuses_unknown_codes_and_knows_published_pairs() -> None:
    with pytest.raises(ValidationError, match="not a code in lgsl"):
        Transaction(service=999_999, interaction=8)
    with pytest.raises(ValidationError, match="not a code in lgil"):
        Transaction(service=57, interaction=19)
    assert Transaction(service=57, interaction=8).published
    with pytest.raises(ValidationError):
        Transaction(service=57, interaction=8, colour="blue")  # type: ignore[call-arg]
