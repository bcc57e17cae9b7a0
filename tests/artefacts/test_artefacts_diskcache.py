"""The disk cache of compiled artefacts: used only when intact and private, never fatal.

Each class of failure is covered: an entry that is not what was stored (another key,
a changed payload, a truncated file, garbage), a folder another account could write
to or that is not a folder, a folder that cannot be written, and the cache switched
off. In every case the artefact is compiled again and validation gives the same
findings; a good entry is used instead of compiling.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgstandards.artefacts import diskcache
from lgstandards.artefacts.kinds import spec_for_kind
from lgstandards.rules import schematron
from lgstandards.validation import validate

BAD_BATCH = b"""<?xml version="1.0" encoding="UTF-8"?>
<epay:ReconciliationBatch xmlns:epay="urn:lgstandards:epay:1" xmlns:lgc="urn:lgstandards:common:1"
  SchemaVersion="1.0"><epay:Header><lgc:MessageId>B-1</lgc:MessageId>
  <lgc:Created>2024-06-01T09:00:00Z</lgc:Created><lgc:Sender>E99999999</lgc:Sender></epay:Header>
  <epay:BatchHeader><epay:FileId>F-1</epay:FileId><epay:SequenceNumber>1</epay:SequenceNumber>
  <epay:PeriodFrom>2024-05-01</epay:PeriodFrom><epay:PeriodTo>2024-05-31</epay:PeriodTo>
  <epay:Currency>EUR</epay:Currency></epay:BatchHeader>
  <epay:Trailer><epay:RecordCount>3</epay:RecordCount><epay:PaymentCount>0</epay:PaymentCount>
  <epay:RefundCount>0</epay:RefundCount><epay:DisputeCount>0</epay:DisputeCount>
  <epay:TotalGross>0</epay:TotalGross><epay:TotalNet>0</epay:TotalNet></epay:Trailer>
</epay:ReconciliationBatch>"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "cache"
    monkeypatch.setenv(diskcache.CACHE_ENV, str(target))
    return target


def _codes() -> list[str]:
    return validate(BAD_BATCH, streaming=False).codes()


def _rules_file() -> Path:
    spec = spec_for_kind("epay.reconciliation-batch")
    assert spec is not None
    assert spec.rules_file is not None
    return spec.rules_file


def test_a_round_trip_gives_the_payload(folder: Path) -> None:
    key = diskcache.key_of("a", b"b")
    assert diskcache.store("test", key, b"<x/>")
    assert diskcache.load("test", key) == b"<x/>"
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0  # created private


def test_keys_keep_parts_apart() -> None:
    assert diskcache.key_of("ab", "c") != diskcache.key_of("a", "bc")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda data: data.replace(b"<x/>", b"<y/>"),  # payload changed, digest not
        lambda data: data[:-2],  # truncated
        lambda data: b"garbage",
        lambda data: b"",
        lambda data: data.replace(b"lgstandards-cache-1", b"lgstandards-cache-0"),
    ],
)
def test_an_entry_that_is_not_what_was_stored_is_a_miss(folder: Path, spoil: object) -> None:
    key = diskcache.key_of("spoilt")
    diskcache.store("test", key, b"<x/>")
    entry = folder / f"test-{key}"
    entry.write_bytes(spoil(entry.read_bytes()))  # type: ignore[operator]
    assert diskcache.load("test", key) is None


def test_an_entry_under_another_key_is_a_miss(folder: Path) -> None:
    first, second = diskcache.key_of("1"), diskcache.key_of("2")
    diskcache.store("test", first, b"<x/>")
    (folder / f"test-{first}").rename(folder / f"test-{second}")
    assert diskcache.load("test", second) is None


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_a_folder_others_can_write_is_not_used(folder: Path) -> None:
    key = diskcache.key_of("shared")
    diskcache.store("test", key, b"<x/>")
    folder.chmod(0o777)
    assert diskcache.load("test", key) is None
    assert not diskcache.store("test", key, b"<y/>")


def test_a_file_in_place_of_the_folder_is_not_used(folder: Path) -> None:
    folder.write_bytes(b"not a folder")
    assert not diskcache.store("test", diskcache.key_of("x"), b"<x/>")
    assert diskcache.load("test", diskcache.key_of("x")) is None
    schematron._iso_validator.cache_clear()
    schematron.compiled.cache_clear()
    assert "rule.EPAY-R003" in _codes()  # compiled anyway, same findings


def test_an_empty_setting_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.CACHE_ENV, "")
    assert diskcache.cache_dir() is None
    assert not diskcache.store("test", diskcache.key_of("x"), b"<x/>")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root writes anywhere")
def test_an_unwritable_folder_never_fails_a_run(folder: Path) -> None:
    folder.mkdir(mode=0o500)
    schematron.compiled.cache_clear()
    assert "rule.EPAY-R003" in _codes()


def test_unwritable_location_never_fails_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(diskcache.CACHE_ENV, "/proc/lgstandards-cannot-be-made")
    schematron.compiled.cache_clear()
    assert "rule.EPAY-R003" in _codes()


def test_a_cached_validator_is_used_and_gives_the_same_findings(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schematron.compiled.cache_clear()
    fresh = _codes()
    assert list(folder.glob(f"{schematron.CACHE_NAMESPACE}-*")), "the validator was stored"
    schematron.compiled.cache_clear()
    schematron._iso_validator.cache_clear()

    def no_skeleton(path: Path) -> object:
        raise AssertionError("compiled again although the cache holds it")

    monkeypatch.setattr(schematron, "_iso_validator", no_skeleton)
    assert _codes() == fresh
    schematron.compiled.cache_clear()


def test_a_spoilt_validator_entry_is_compiled_again(folder: Path) -> None:
    schematron.compiled.cache_clear()
    fresh = _codes()
    for entry in folder.glob(f"{schematron.CACHE_NAMESPACE}-*"):
        entry.write_bytes(entry.read_bytes().replace(b"EPAY-R003", b"EPAY-R999"))
    schematron.compiled.cache_clear()
    assert _codes() == fresh
    assert schematron.streamlined_xslt(_rules_file()) is not None
    schematron.compiled.cache_clear()


@given(st.lists(st.binary(max_size=300) | st.text(max_size=100), max_size=5))
def test_keys_are_the_sha256_of_the_length_prefixed_parts(parts: list[bytes | str]) -> None:
    # The cache hashes with the interpreter's own SHA-256 (no OpenSSL to load at
    # start-up): the same digests as hashlib's, so keys and entries stay the same.
    expected = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        expected.update(len(data).to_bytes(8, "big") + data)
    assert diskcache.key_of(*parts) == expected.hexdigest()


def test_an_entry_carries_the_sha256_of_its_payload(folder: Path) -> None:
    assert diskcache.store("test", "k1", b"payload")
    (entry,) = folder.glob("test-k1")
    assert hashlib.sha256(b"payload").hexdigest().encode() in entry.read_bytes().splitlines()
