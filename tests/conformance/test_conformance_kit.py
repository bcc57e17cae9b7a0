"""The kit: every bundled example is a case with its manifest's outcome; export writes them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lgstandards import __version__
from lgstandards._resources import examples_root, schemas_root
from lgstandards.artefacts.kinds import all_kinds
from lgstandards.conformance import (
    Case,
    cases,
    check,
    export,
    known_schema_versions,
    listing,
    schema_versions,
)
from lgstandards.conformance.kit import parse_manifest
from lgstandards.exceptions import UnsupportedVersionError

DOCUMENT_SUFFIXES = {".xml", ".ttl", ".nt", ".rdf", ".jsonld"}


def test_every_bundled_document_is_a_case() -> None:
    names = [c.name for c in cases()]
    assert len(names) == len(set(names))
    on_disk = {
        p.relative_to(examples_root()).as_posix()
        for p in examples_root().rglob("*")
        if p.suffix in DOCUMENT_SUFFIXES
    }
    assert set(names) == on_disk


def test_cases_cover_every_message_kind_valid_and_invalid() -> None:
    kit = cases()
    catalogued = {k for k, spec in all_kinds().items() if spec.from_catalogue}
    valid_kinds = {c.kind for c in kit if c.expects_valid}
    assert catalogued <= valid_kinds
    families = {c.family for c in kit}
    for family in families:
        outcomes = {c.expects_valid for c in kit if c.family == family}
        assert outcomes == {True, False}, family


@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_case_fields(case: Case) -> None:
    assert case.path.is_file()
    assert case.name.startswith(case.family + "/")
    assert case.kind is not None
    assert case.expected == ("valid" if not case.codes else case.codes)
    if case.kind.startswith("rdf."):
        assert case.schema_version is None
    else:
        assert case.schema_version in known_schema_versions()


def test_manifest_parsing() -> None:
    text = (
        "# comment\n\nvalid/a.xml   -\ninvalid/b.xml  xsd.pattern rule.COM-R014 xsd.pattern # why\n"
    )
    assert parse_manifest(text) == [
        ("valid/a.xml", ()),
        ("invalid/b.xml", ("xsd.pattern", "rule.COM-R014")),
    ]


def test_schema_versions_come_from_the_catalogue() -> None:
    catalogue = json.loads((schemas_root() / "catalog.json").read_text(encoding="utf-8"))
    expected = {e["prefix"]: e["version"] for e in catalogue["namespaces"]}
    assert schema_versions() == expected
    assert set(known_schema_versions()) <= set(expected.values())


def test_schema_version_selects_cases() -> None:
    for version in known_schema_versions():
        chosen = cases(schema_version=version)
        assert chosen
        assert all(c.schema_version in (None, version) for c in chosen)
    assert sum(
        len([c for c in cases(schema_version=v) if c.schema_version])
        for v in known_schema_versions()
    ) == len([c for c in cases() if c.schema_version])


def test_unknown_schema_version_is_refused() -> None:
    with pytest.raises(UnsupportedVersionError, match="known versions"):
        cases(schema_version="0.9")


def test_listing_records_versions_and_outcomes() -> None:
    data = listing()
    assert data["library_version"] == __version__
    assert data["schema_versions"] == schema_versions()
    assert [c["name"] for c in data["cases"]] == [c.name for c in cases()]
    first_invalid = next(c for c in data["cases"] if c["expected"] != "valid")
    assert first_invalid["expected"] == first_invalid["codes"]


def test_export_writes_every_case_byte_for_byte(kit_dir: Path) -> None:
    for case in cases():
        assert (kit_dir / case.name).read_bytes() == case.path.read_bytes()
    kit = json.loads((kit_dir / "kit.json").read_text(encoding="utf-8"))
    assert kit == json.loads(json.dumps(listing()))
    families = {c.family for c in cases()}
    assert {p.parent.name for p in kit_dir.glob("*/MANIFEST")} == families


def test_exported_kit_checks_clean(kit_dir: Path) -> None:
    report = check(kit_dir)
    assert report.ok, [(r.case.name, r.reason) for r in report.failures]
    assert report.total == report.passed == len(cases())


def test_export_of_a_selection(tmp_path: Path) -> None:
    chosen = cases(schema_version="2.0")
    written = export(tmp_path, selected=chosen)
    documents = [p for p in written if p.suffix in DOCUMENT_SUFFIXES]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in documents) == sorted(
        c.name for c in chosen
    )


# ------------------------------------------------------------------ exchange.toml
def test_exchange_options_are_read(tmp_path: Path) -> None:
    from lgstandards.conformance.kit import exchange_options

    (tmp_path / "exchange.toml").write_text('sender = "E07000001"\nprofile = "p.toml"\n')
    assert exchange_options(tmp_path) == {"sender": "E07000001", "profile": "p.toml"}
    assert exchange_options(tmp_path / "none") == {}


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'sender = "E"\n' + b"#" * (64 * 1024), "over the limit"),  # read no further than 64 KiB
        (b"sender = [\n", "exchange.toml"),
        (b'sender = "\xff"\n', "utf-8"),
        (b"colour = 'red'\n", "only the strings sender and profile"),
        (b'profile = "../p.toml"\n', "a file in the case's folder"),
    ],
)
def test_bad_exchange_options_name_the_file(tmp_path: Path, content: bytes, says: str) -> None:
    from lgstandards.conformance.kit import exchange_options
    from lgstandards.exceptions import ExchangeOptionsError

    (tmp_path / "exchange.toml").write_bytes(content)
    with pytest.raises(ExchangeOptionsError, match=r"exchange\.toml") as caught:
        exchange_options(tmp_path)
    assert says in str(caught.value)
