"""The Timestamp's time-zone check: its UTC shortcut gives what the full check gives.

``common._xsd_time_zone`` passes a value whose zone is pydantic-core's one UTC zone
object (or ``datetime.UTC``) by identity, without computing the offset. Each test
compares it with the check as it was (every value's offset computed), for the whole
class of inputs: strings in every lexical form and zone (Z, +00:00, -00:00, in and
out of range, odd minutes, end of day), and Python datetimes in fixed, UTC and
named zones, before and after the UTC object is first seen.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError, SchemaValidator, core_schema

from lgstandards.models import common
from lgstandards.models._xml import XML_CONTEXT


def _old_time_zone(value: dt.datetime) -> dt.datetime:
    """The check before the UTC shortcut (the reference)."""
    offset = value.utcoffset()
    if offset is None or abs(offset) > dt.timedelta(hours=14) or offset % dt.timedelta(minutes=1):
        raise PydanticCustomError(
            "timestamp",
            "the time zone of {value} is outside -14:00 to +14:00",
            {"value": value.isoformat()},
        )
    return value


def _reference_schema() -> core_schema.CoreSchema:
    """The Timestamp's schema with the old check in place of the new one."""
    schema: Any = dict(common._TIMESTAMP_SCHEMA)
    assert schema["function"]["function"] is common._xsd_time_zone
    schema["function"] = {**schema["function"], "function": _old_time_zone}
    result: core_schema.CoreSchema = schema
    return result


NEW = TypeAdapter(common.Timestamp)
OLD = SchemaValidator(_reference_schema())


def _outcome(validator: Any, value: object, context: Any) -> tuple[object, ...]:
    try:
        result = validator.validate_python(value, context=context)
    except ValidationError as exc:
        return ("error", exc.errors(include_url=False))
    return ("ok", result, result.utcoffset())


zones = st.one_of(
    st.just("Z"),
    st.sampled_from(["+00:00", "-00:00", "+14:00", "-14:00", "+14:01", "-14:01", "+23:59"]),
    st.builds(
        lambda sign, h, m: f"{sign}{h:02d}:{m:02d}",
        st.sampled_from("+-"),
        st.integers(0, 99),
        st.integers(0, 99),
    ),
)
strings = st.builds(
    lambda day, time, fraction, zone: f"{day}T{time}{fraction}{zone}",
    st.dates().map(dt.date.isoformat),
    st.sampled_from(["00:00:00", "12:30:59", "23:59:59", "24:00:00", "25:00:00"]),
    st.sampled_from(["", ".0", ".000000", ".5", ".1234567"]),
    zones,
)
python_zones = st.one_of(
    st.just(dt.UTC),
    st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23)).map(
        dt.timezone
    ),
    st.timezones(),
)
datetimes = st.datetimes(timezones=python_zones)


@settings(max_examples=400, deadline=None)
@given(value=st.one_of(strings, datetimes), context=st.sampled_from([XML_CONTEXT, None]))
def test_utc_shortcut_matches_the_full_check(value: object, context: Any) -> None:
    """Every string or datetime: the same value and offset, or the same errors."""
    assert _outcome(NEW.validator, value, context) == _outcome(OLD, value, context)


def test_the_remembered_zone_is_utc_only() -> None:
    """Only a zero-offset pydantic-core zone is remembered; others go the full way."""
    NEW.validate_python("2026-01-01T00:00:00+05:00", context=XML_CONTEXT)
    assert common._UTC_ZONE is dt.UTC or not common._UTC_ZONE.utcoffset(None)
    NEW.validate_python("2026-01-01T00:00:00Z", context=XML_CONTEXT)
    zone = common._UTC_ZONE
    assert zone is not dt.UTC
    assert not zone.utcoffset(None)
    for text in ("2026-01-01T00:00:00+14:01", "2026-01-01T00:00:00-15:00"):
        assert _outcome(NEW.validator, text, XML_CONTEXT) == _outcome(OLD, text, XML_CONTEXT)
        assert _outcome(NEW.validator, text, XML_CONTEXT)[0] == "error"
