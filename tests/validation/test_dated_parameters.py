"""Dated parameters of the e-Pay rules (EPAY-R018, R022, R023): in force by date, marked
*verify*, replaced by a profile's values."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards._resources import examples_root
from lgstandards.codes import registry
from lgstandards.rules.epay import PARAMETERS_FILE, working_days_between
from lgstandards.rules.parameters import in_force, parameters_file
from lgstandards.validation import validate
from lgstandards.validation.profile import Profile

VALID = examples_root() / "epay" / "valid"
INVALID = examples_root() / "epay" / "invalid"


def _codes(path: Path | bytes, profile: Profile | None = None) -> list[str]:
    return validate(path, profile=profile).codes()


def _replace(path: Path, old: str, new: str) -> bytes:
    text = path.read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new, 1).encode("utf-8")


def test_every_epay_parameter_names_its_rule_and_is_marked_to_verify() -> None:
    found = parameters_file(PARAMETERS_FILE)
    assert set(found) >= {
        "pcn-discount-days-on-street",
        "pcn-discount-days-postal",
        "pcn-charge-certificate-uplift-percent",
        "dd-account-name-max-length",
        "dd-reference-min-length",
        "dd-reference-max-length",
        "dd-first-collection-lead-working-days",
    }
    for name, parameter in found.items():
        assert f"rule.{parameter['rule']}" in registry(), name
        assert parameter["values"], name
        for value in parameter["values"]:
            dt.date.fromisoformat(value["effective_from"])
            assert value["verify"] is True, name
            assert value["note"].startswith("Verify"), name


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)), st.integers(0, 99)),
        max_size=5,
        unique_by=lambda v: v[0],
    ),
    st.dates(dt.date(1999, 1, 1), dt.date(2041, 1, 1)),
)
def test_the_value_in_force_is_the_latest_not_after_the_day(
    values: list[tuple[dt.date, int]], day: dt.date
) -> None:
    dated = [{"effective_from": start.isoformat(), "value": value} for start, value in values]
    started = sorted((start, value) for start, value in values if start <= day)
    assert in_force(dated, day) == (started[-1][1] if started else None)


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(2000, 1, 1), dt.date(2040, 1, 1)), st.integers(-10, 60))
def test_working_days_count_the_weekdays_after_the_start(start: dt.date, days: int) -> None:
    end = start + dt.timedelta(days=days)
    expected = sum(1 for n in range(1, days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)
    assert working_days_between(start, end) == expected


# ------------------------------------------------------------------ EPAY-R018
PCN = VALID / "demand-penalty-charge.xml"


def test_a_profile_period_replaces_the_packaged_one() -> None:
    shorter = Profile(
        parameters={"pcn-discount-days-on-street": [{"effective_from": "2000-01-01", "value": 7}]}
    )
    assert _codes(PCN) == []
    (found,) = validate(PCN, profile=shorter).issues
    assert found.code == "rule.EPAY-R018"
    assert "is not 7 days after the notice date 2026-03-02 (2026-03-09)" in found.message


def test_without_a_value_in_force_the_deadline_is_the_stated_one_or_none() -> None:
    late = INVALID / "demand-pcn-late-discount.xml"
    unstated = _replace(late, "<epay:DiscountDeadline>2026-03-16</epay:DiscountDeadline>", "")
    later = Profile(
        parameters={"pcn-discount-days-on-street": [{"effective_from": "2030-01-01", "value": 14}]}
    )
    assert _codes(late) == _codes(late, later) == ["rule.EPAY-R018"]  # the stated deadline
    assert _codes(unstated) == ["rule.EPAY-R018"]  # the deadline the parameter gives
    assert _codes(unstated, later) == []  # no value in force on the notice date: no deadline


@pytest.mark.parametrize(("service", "days"), [("on-street", 14), ("postal", 21), ("camera", 21)])
def test_the_deadline_follows_the_service_method(service: str, days: int) -> None:
    deadline = (dt.date(2026, 3, 2) + dt.timedelta(days=days)).isoformat()
    data = _replace(PCN, "<epay:ServiceMethod>on-street", f"<epay:ServiceMethod>{service}")
    data = data.replace(
        b"2026-03-16</epay:DiscountDeadline>", f"{deadline}</epay:DiscountDeadline>".encode()
    )
    assert _codes(data) == []
    wrong = data.replace(
        f"{deadline}</epay:DiscountDeadline>".encode(), b"2026-03-15</epay:DiscountDeadline>"
    )
    assert _codes(wrong) == ["rule.EPAY-R018"]


@pytest.mark.parametrize(("due", "codes"), [("105.00", []), ("70.00", ["rule.EPAY-R018"])])
def test_a_charge_certificate_adds_the_uplift(due: str, codes: list[str]) -> None:
    data = _replace(PCN, "<epay:Stage>PCN", "<epay:Stage>ChargeCertificate")
    data = data.replace(b"<epay:AmountDue>70.00", f"<epay:AmountDue>{due}".encode())
    assert _codes(data) == codes


# ------------------------------------------------------------------ EPAY-R022 / R023
def test_bacs_lengths_come_from_the_parameters() -> None:
    short = INVALID / "dd-instruction-short-reference.xml"
    assert _codes(short) == ["rule.EPAY-R022"]
    five = Profile(
        parameters={"dd-reference-min-length": [{"effective_from": "2000-01-01", "value": 5}]}
    )
    assert _codes(short, five) == []


def test_the_lead_time_is_counted_in_working_days_from_the_instruction() -> None:
    early = INVALID / "dd-instruction-lead-time.xml"
    (found,) = validate(early).issues
    assert found.code == "rule.EPAY-R023"
    assert "5" in found.message  # 2026-03-02 (Mon) to 2026-03-09 (Mon): 5 working days
    none = Profile(
        parameters={
            "dd-first-collection-lead-working-days": [{"effective_from": "2000-01-01", "value": 5}]
        }
    )
    assert _codes(early, none) == []
