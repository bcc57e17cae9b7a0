"""Domain types: Postcode, NINumber, Money, UPRN, SortCode, Welsh text."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import SchemaValidator, core_schema

from lgstandards.models import common
from lgstandards.models.common import (
    UPRN,
    USRN,
    Money,
    NameText,
    NINumber,
    PositiveMoney,
    Postcode,
    SortCode,
)

OUTWARD = st.from_regex(r"\A[A-Z]{1,2}[0-9R][0-9A-Z]?\Z")
INWARD = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")
PREFIX1 = "ABCEGHJKLMNOPRSTWXYZ"
PREFIX2 = "ABCEGHJKLMNPRSTWXYZ"
NEVER_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


class Holder(BaseModel):
    postcode: Postcode | None = None
    nino: NINumber | None = None
    amount: Money | None = None


@given(OUTWARD, INWARD, st.sampled_from(["", " ", "  ", "\t"]), st.booleans())
def test_postcode_normalises_case_and_spacing(
    outward: str, inward: str, gap: str, lower: bool
) -> None:
    raw = f"{outward}{gap}{inward}"
    raw = raw.lower() if lower else raw
    assert Holder(postcode=raw).postcode == f"{outward} {inward}"


@given(OUTWARD, INWARD)
def test_postcode_from_xml_is_strict(outward: str, inward: str) -> None:
    adapter = TypeAdapter(Postcode)
    assert adapter.validate_python(f"{outward} {inward}", context={"xml": True}) == (
        f"{outward} {inward}"
    )
    with pytest.raises(ValidationError):
        adapter.validate_python(f"{outward}{inward}".lower(), context={"xml": True})


@pytest.mark.parametrize("bad", ["AA9A 9CA", "AA9A 9AI", "9A 9AA", "AA9A9AAA", "", "A 9AA"])
def test_postcode_rejects_bs7666_violations(bad: str) -> None:
    with pytest.raises(ValidationError):
        Holder(postcode=bad)


def test_postcode_parts() -> None:
    code = Postcode("AA9A 9AA")
    assert (code.outward, code.inward) == ("AA9A", "9AA")


@given(
    st.sampled_from(PREFIX1),
    st.sampled_from(PREFIX2),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.sampled_from("ABCD"),
)
def test_nino_accepts_exactly_the_hmrc_rules(a: str, b: str, digits: str, suffix: str) -> None:
    value = f"{a}{b}{digits}{suffix}"
    if a + b in NEVER_ISSUED:
        with pytest.raises(ValidationError):
            Holder(nino=value)
        assert not common.is_valid_nino(value)
    else:
        spaced = f"{a}{b} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}".lower()
        assert Holder(nino=spaced).nino == value


@settings(deadline=None)
@given(st.from_regex(r"\A[A-Z]{2}[0-9]{6}[A-Z]\Z"))
def test_nino_python_and_xsd_patterns_agree(value: str) -> None:
    from lgstandards.artefacts.schemas import xmlschema_schema

    xsd_type = xmlschema_schema("urn:lgstandards:common:1").types["NationalInsuranceNumberType"]
    assert common.is_valid_nino(value) == xsd_type.is_valid(value)


@settings(deadline=None)
@given(st.from_regex(r"\A[A-Z0-9]{1,4} ?[0-9A-Z]{3}\Z"))
def test_postcode_python_and_xsd_patterns_agree(value: str) -> None:
    from lgstandards.artefacts.schemas import xmlschema_schema

    xsd_type = xmlschema_schema("urn:lgstandards:common:1").types["PostcodeType"]
    assert common.is_valid_postcode(value) == xsd_type.is_valid(value)


@pytest.mark.parametrize("bad", ["DA123456A", "AD123456A", "AO123456A", "AB123456E", "AB12345A"])
def test_nino_rejects_excluded_letters_and_shapes(bad: str) -> None:
    with pytest.raises(ValidationError):
        Holder(nino=bad)


def test_nino_administrative_prefix_flag() -> None:
    assert NINumber("CR000001A").is_administrative
    assert not NINumber("JK000001A").is_administrative
    assert NINumber("JK000001A").prefix == "JK"


@given(st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1))
def test_money_minor_units_round_trip(pence: int) -> None:
    money = Money.from_minor_units(pence)
    assert money.to_minor_units() == pence
    assert money == Decimal(pence) / 100
    assert money.as_tuple().exponent == -2


@given(
    st.decimals(places=2, min_value=Decimal("-9999999999.99"), max_value=Decimal("9999999999.99"))
)
def test_money_accepts_two_places_and_quantises(value: Decimal) -> None:
    held = Holder(amount=value).amount
    assert held == value
    assert held is not None
    assert format(held, "f").split(".")[1].__len__() == 2


@pytest.mark.parametrize("bad", [Decimal("1.005"), "1.234", "abc", "1e3x", Decimal("1e10")])
def test_money_rejects_more_than_two_places_or_junk(bad: object) -> None:
    with pytest.raises(ValidationError):
        Holder(amount=bad)


def test_money_rejects_floats() -> None:
    with pytest.raises(ValidationError):
        Holder(amount=0.1)


def test_money_from_xml_is_lexically_strict() -> None:
    adapter = TypeAdapter(Money)
    assert adapter.validate_python("12.5", context={"xml": True}) == Decimal("12.50")
    for bad in ["1E2", "+1.00", ".5", "1."]:
        with pytest.raises(ValidationError):
            adapter.validate_python(bad, context={"xml": True})


def test_positive_money() -> None:
    adapter = TypeAdapter(PositiveMoney)
    assert adapter.validate_python("0.01") == Decimal("0.01")
    with pytest.raises(ValidationError):
        adapter.validate_python("0.00")


def test_money_json_is_a_string() -> None:
    assert Holder(amount="3").model_dump_json() == '{"postcode":null,"nino":null,"amount":"3.00"}'


@pytest.mark.parametrize(("tp", "ok", "bad"), [(UPRN, 999_999_999_999, 10**12), (USRN, 1, 0)])
def test_uprn_usrn_bounds(tp: type, ok: int, bad: int) -> None:
    adapter = TypeAdapter(tp)
    assert adapter.validate_python(ok) == ok
    with pytest.raises(ValidationError):
        adapter.validate_python(bad)


def test_sort_code_normalises_hyphens() -> None:
    assert TypeAdapter(SortCode).validate_python("00-00-99") == "000099"
    with pytest.raises(ValidationError):
        TypeAdapter(SortCode).validate_python("00-00-99", context={"xml": True})


@pytest.mark.parametrize("name", ["Siân", "Gwŷn", "Llŷr", "Dafydd ap Gruffudd", "O’Brien"])
def test_welsh_names_are_valid_text(name: str) -> None:
    assert TypeAdapter(NameText).validate_python(name) == name


@pytest.mark.parametrize("name", ["", "x" * 36, "tab\there", "emoji 🙂"])
def test_name_text_limits(name: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(NameText).validate_python(name)


def test_json_schema_patterns_match_python_patterns() -> None:
    schema = Holder.model_json_schema()
    props = schema["properties"]
    pattern = props["postcode"]["anyOf"][0]["pattern"]
    assert re.match(pattern, "AA9A 9AA")
    assert not re.match(pattern, "AA9A 9CA")


AMOUNT_TEXT = st.from_regex(r"\A-?[0-9]{1,10}(\.[0-9]{1,2})?\Z") | st.sampled_from(
    ["0", "-0", "-0.00", "0.00", "0.01", "-0.01", "9999999999.99", "-9999999999.99"]
)


@pytest.mark.parametrize("tp", [Money, common.NonNegativeMoney, PositiveMoney])
@pytest.mark.parametrize("context", [None, {"xml": True}])
@given(text=AMOUNT_TEXT)
def test_money_text_is_its_decimal_when_at_least_the_minimum(
    tp: type[Money], context: dict[str, bool] | None, text: str
) -> None:
    adapter = TypeAdapter(tp)
    if tp.minimum is not None and Decimal(text) < tp.minimum:
        with pytest.raises(ValidationError) as info:
            adapter.validate_python(text, context=context)
        assert [error["type"] for error in info.value.errors()] == ["money"]
        return
    value = adapter.validate_python(text, context=context)
    assert type(value) is tp
    assert value == Decimal(text)
    assert str(value) == str(Decimal(text))  # its own places: "12.5" stays 12.5


def _money_by_call(tp: type[Money]) -> SchemaValidator:
    """The amount's schema as it was: its text made and checked by ``_from_text``."""
    schema = tp.__get_pydantic_core_schema__(tp, None)
    assert schema["type"] == "union"
    first = core_schema.no_info_after_validator_function(
        tp._from_text, core_schema.str_schema(pattern=f"^{common.AMOUNT_PATTERN}$")
    )
    return SchemaValidator({**schema, "choices": [first, *schema["choices"][1:]]})


def _validated(validate: Any, value: object) -> object:
    try:
        made = validate(value)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    return (type(made), str(made))


@pytest.mark.parametrize("tp", [Money, common.NonNegativeMoney, PositiveMoney])
@settings(max_examples=300)
@given(
    value=AMOUNT_TEXT
    | st.from_regex(r"\A[-+ 0.]{0,3}[0-9.]{0,14}\s?\Z")
    | st.text(alphabet="-+.0123456789 \t\n٣e", max_size=16)
    | st.decimals(allow_nan=False, places=3)
    | st.integers(-(10**12), 10**12)
)
def test_money_minimums_by_pattern_give_what_the_call_gave(tp: type[Money], value: object) -> None:
    """An amount's minimum checked by a pattern: the same amounts and errors as the call."""
    by_pattern = SchemaValidator(tp.__get_pydantic_core_schema__(tp, None))
    expected = _validated(_money_by_call(tp).validate_python, value)
    assert _validated(by_pattern.validate_python, value) == expected
    assert _validated(TypeAdapter(tp).validate_python, value) == expected
