"""A validation profile is data passed to each validation, never a process-wide setting.

A council's fund table (EPAY-R006), its gateway limits (EPAY-R004) and extra document
kinds reach the rules and the engine through ``validate(..., profile=...)``, in whole
and streaming mode, in threads side by side and in worker processes.
"""

from __future__ import annotations

import dataclasses
import pickle
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from tests_validate_support import BATCH, TEST_PROFILE, batch_xml

from lgstandards.exceptions import SchemaNotFoundError
from lgstandards.rules.epay import DEFAULT_FUND_TABLE, FundRule
from lgstandards.validation import is_valid, iter_issues, validate
from lgstandards.validation.batch import validate_paths
from lgstandards.validation.core import make_options
from lgstandards.validation.profile import (
    DEFAULT_PROFILE,
    Profile,
    current_profile,
    using_profile,
)

REPO = Path(__file__).resolve().parents[2]
EPAY = REPO / "examples" / "epay" / "valid"
REQUEST = (EPAY / "payment-request.xml").read_bytes()
BATCH_FILE = (EPAY / "reconciliation-batch.xml").read_bytes()

#: A fictional council whose council tax references are ten digits, Luhn-checked: the
#: examples' references (nine digits, MOD-11) break it.
COUNCIL = Profile(
    funds={
        **DEFAULT_FUND_TABLE,
        "CT": FundRule("CT", r"[0-9]{10}", "luhn", "council tax account (fictional)"),
    }
)


def _r006(codes: list[str]) -> int:
    return codes.count("rule.EPAY-R006")


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("document", [REQUEST, BATCH_FILE], ids=["request", "batch"])
def test_a_fund_table_in_a_profile_changes_epay_r006(document: bytes, streaming: bool) -> None:
    plain = validate(document, streaming=streaming, profile=DEFAULT_PROFILE)
    council = validate(document, streaming=streaming, profile=COUNCIL)
    assert plain.ok, plain.codes()
    assert _r006(council.codes()) == 1  # the one council tax reference of each example
    assert [c for c in council.codes() if c != "rule.EPAY-R006"] == plain.codes()
    assert validate(document, streaming=streaming, profile=DEFAULT_PROFILE).ok  # unchanged
    found = [i.code for i in iter_issues(document, streaming=streaming, profile=COUNCIL)]
    assert sorted(found) == council.codes()
    assert not is_valid(document, streaming=streaming, profile=COUNCIL)


def test_gateway_limits_in_a_profile_change_epay_r004() -> None:
    small = Profile(gateway_limits=(Decimal("0.01"), Decimal("1.00")))
    assert "rule.EPAY-R004" in validate(REQUEST, profile=small).codes()
    assert validate(REQUEST, profile=DEFAULT_PROFILE).ok


def test_two_profiles_in_two_threads_get_their_own_findings() -> None:
    expected = {
        name: validate(REQUEST, profile=profile).codes()
        for name, profile in (("plain", DEFAULT_PROFILE), ("council", COUNCIL))
    }
    assert expected["plain"] != expected["council"]
    start = threading.Barrier(4)
    found: dict[str, list[list[str]]] = {}

    def work(name: str, profile: Profile, scoped: bool) -> None:
        start.wait()
        runs = []
        for streaming in (False, True, False, True):
            if scoped:  # the profile as this thread's default
                with using_profile(profile):
                    runs.append(validate(REQUEST, streaming=streaming).codes())
            else:
                runs.append(validate(REQUEST, streaming=streaming, profile=profile).codes())
        found[f"{name}-{scoped}"] = runs

    threads = [
        threading.Thread(target=work, args=(name, profile, scoped))
        for name, profile in (("plain", DEFAULT_PROFILE), ("council", COUNCIL))
        for scoped in (False, True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert sorted(found) == ["council-False", "council-True", "plain-False", "plain-True"]
    for key, runs in found.items():
        assert runs == [expected[key.partition("-")[0]]] * 4, key


def test_using_profile_is_scoped_to_the_block_and_the_thread() -> None:
    outer = current_profile()
    seen: list[Profile] = []
    with using_profile(COUNCIL):
        assert current_profile() is COUNCIL
        assert _r006(validate(REQUEST).codes()) == 1
        assert validate(REQUEST, profile=DEFAULT_PROFILE).ok  # an argument wins
        thread = threading.Thread(target=lambda: seen.append(current_profile()))
        thread.start()
        thread.join()
    assert seen == [DEFAULT_PROFILE]  # a new thread starts with the default
    assert current_profile() is outer


def test_a_profile_reaches_worker_processes(tmp_path: Path) -> None:
    paths = []
    for n in range(4):
        path = tmp_path / f"r{n}.xml"
        path.write_bytes(REQUEST if n % 2 else BATCH_FILE)
        paths.append(str(path))
    options = make_options(profile=COUNCIL)
    one = [r.codes() for r in validate_paths(paths, options, jobs=1)]
    two = [r.codes() for r in validate_paths(paths, options, jobs=2)]
    assert one == two
    assert all(_r006(codes) for codes in one)
    copy = pickle.loads(pickle.dumps(COUNCIL))
    assert dict(copy.funds) == dict(COUNCIL.funds)
    assert copy.gateway_limits == COUNCIL.gateway_limits
    kinds = pickle.loads(pickle.dumps(TEST_PROFILE)).kinds
    assert [k.kind for k in kinds] == [k.kind for k in TEST_PROFILE.kinds]


def test_extra_kinds_come_from_the_profile_only() -> None:
    data = batch_xml(3)
    assert validate(data, profile=TEST_PROFILE).kind == "test.batch"
    assert validate(data, profile=DEFAULT_PROFILE).codes() == ["xml.unknown-kind"]
    with pytest.raises(SchemaNotFoundError, match=r"no document kind named 'test\.batch'"):
        validate(data, kind="test.batch", profile=DEFAULT_PROFILE)
    renamed = dataclasses.replace(BATCH, kind="council.batch")
    council = Profile(kinds=(renamed,))
    assert validate(data, profile=council).kind == "council.batch"
    assert "council.batch" in council.all_kinds()
    assert "council.batch" not in DEFAULT_PROFILE.all_kinds()


def test_a_profile_is_checked_when_made() -> None:
    with pytest.raises(ValueError, match="unknown check-digit routine"):
        Profile(funds={"X": FundRule("X", ".*", "mod7")})
    with pytest.raises(ValueError, match="gateway limits"):
        Profile(gateway_limits=(Decimal("2"), Decimal("1")))
    table = {"CT": DEFAULT_FUND_TABLE["CT"]}
    profile = Profile(funds=table)
    table.clear()  # the profile keeps its own copy
    assert list(profile.funds) == ["CT"]
    with pytest.raises(TypeError):
        profile.funds["X"] = FundRule("X", ".*")  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.stream_threshold = 1  # type: ignore[misc]
