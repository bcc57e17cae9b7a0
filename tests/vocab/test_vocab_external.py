"""Shipped vocabulary data against the original external files (skipped without them)."""

from __future__ import annotations

import csv
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from testsupport import DOMAIN, LISTS, REPO, VOCABULARIES, copy_vocabularies

from lgstandards.vocab.source import (
    read_concepts,
    read_mappings,
    read_scheme,
    read_transactions,
)

pytestmark = pytest.mark.external

Tree = Callable[[Path], dict[str, tuple[str, str]]]


def original(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def lgsl_codes() -> set[int]:
    return {
        row.code for row in read_concepts(VOCABULARIES / "lgsl", read_scheme(VOCABULARIES / "lgsl"))
    }


def pairs(list_id: str) -> set[tuple[int, int]]:
    return {(int(m["code"]), int(m["service"])) for m in read_mappings(VOCABULARIES / list_id)}


def test_every_lgsl_row_equals_the_published_row(external: Path) -> None:
    rows = original(external / "ckanext-esdstandards/services.csv")
    assert rows[0][:6] == [
        "Identifier",
        "Label",
        "Description",
        "Created",
        "Modified",
        "History notes",
    ]
    published = {int(r[0]): r for r in rows[1:]}
    shipped = read_concepts(VOCABULARIES / "lgsl", read_scheme(VOCABULARIES / "lgsl"))
    assert len(published) == len(shipped) == 1519
    for row in shipped:
        source = published[row.code]
        assert row.label == source[1]
        assert row.description == source[2]
        assert row.created is not None
        assert row.created.isoformat() == source[3]
        assert row.modified is not None
        assert row.modified.isoformat() == source[4]
        assert row.history_notes == source[5]
        assert (row.broader, row.deprecated, row.replaced_by, row.change_note) == (
            None,
            False,
            None,
            "",
        )
    # Embedded newlines are LF in the original (the file's own line ends are CRLF).
    assert sum("\n" in r.description for r in shipped) == 114
    assert not any("\r" in r.description for r in shipped)


def test_built_lgsl_csv_carries_the_published_text(external: Path) -> None:
    rows = original(external / "ckanext-esdstandards/services.csv")
    published = {r[0]: r for r in rows[1:]}
    with (VOCABULARIES / "lgsl/built/lgsl.csv").open(encoding="utf-8", newline="") as handle:
        built = list(csv.DictReader(handle))
    assert len(built) == 1519
    for row in built:
        source = published[row["code"]]
        assert [row["label"], row["description"], row["history_notes"]] == [
            source[1],
            source[2],
            source[5],
        ]
        assert row["uri"] == f"http://id.esd.org.uk/service/{row['code']}"


def test_a_fresh_import_equals_the_shipped_sources(
    external: Path, tmp_path: Path, tree_state: Tree
) -> None:
    """scripts/import_external.py, run as maintainers run it, rewrites no shipped source."""
    if not DOMAIN.is_file():
        pytest.skip("domain notes not found")
    target = copy_vocabularies(tmp_path / "vocabularies")
    before = tree_state(target)
    script = REPO / "scripts" / "import_external.py"
    args = ["--external", str(external), "--domain", str(DOMAIN), "--out", str(target)]
    done = subprocess.run(
        [sys.executable, str(script), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "wrote 0 changed file(s)" in done.stdout
    assert tree_state(target) == before
    # The lists, and the word tables of search (written by people, not imported).
    assert sorted(p.name for p in target.iterdir() if p.is_dir()) == sorted([*LISTS, "search"])


def test_functions_counts_and_parents(external: Path) -> None:
    scheme = read_scheme(VOCABULARIES / "functions")
    concepts = read_concepts(VOCABULARIES / "functions", scheme)
    assert len(concepts) == 113
    assert sum(c.broader is None for c in concepts) == 13
    rows = original(external / "ckanext-esdstandards/functions.csv")
    assert {(int(r[0]), r[1], r[7]) for r in rows[1:]} == {
        (c.code, c.label, "" if c.broader is None else str(c.broader)) for c in concepts
    }
    mapped = pairs("functions")
    assert len(mapped) == 1241
    assert len({service for _, service in mapped}) == 1241


def test_functions_mappings_agree_with_the_2013_xml(external: Path) -> None:
    root = ET.parse(external / "ckanext-dgu-local/functions_services.xml").getroot()
    xml_pairs = {
        (int(function.findtext("Identifier") or ""), int(service.findtext("Identifier") or ""))
        for function in root.iter("Function")
        for service in function.findall("Services/Service")
    }
    assert len(xml_pairs) == 1127
    csv_pairs = pairs("functions")
    # One December 2013 mapping is gone by March 2014: service 1076, which the 2015 LGSL
    # no longer has either. No service moved to another function.
    assert xml_pairs - csv_pairs == {(83, 1076)}
    assert 1076 not in lgsl_codes()
    function_of = {service: function for function, service in csv_pairs}
    assert all(function_of.get(s, f) == f for f, s in xml_pairs)


def test_lgnl_counts_and_xml_agree(external: Path) -> None:
    scheme = read_scheme(VOCABULARIES / "lgnl")
    concepts = read_concepts(VOCABULARIES / "lgnl", scheme)
    assert len(concepts) == 118
    assert scheme.status == "discontinued"
    assert scheme.version == "4.00"
    mapped = pairs("lgnl")
    assert len(mapped) == 829
    root = ET.parse(external / "localgovstarterkit-lgnl/navigation_englishAndWelshServices.xml")
    published = {
        int(item.findtext("Identifier") or ""): item.findtext("URI")
        for item in root.getroot().iter("WebsiteNavigation")
        if item.findtext("Identifier")
    }
    assert scheme.published_concept_uri is not None
    assert published == {c.code: scheme.published_concept_uri.format(code=c.code) for c in concepts}
    assert all(" " not in scheme.concept_iri(c.code) for c in concepts)


def test_lgil_codes_are_0_to_17_and_20_to_34() -> None:
    scheme = read_scheme(VOCABULARIES / "lgil")
    codes = [c.code for c in read_concepts(VOCABULARIES / "lgil", scheme)]
    assert codes == [*range(18), *range(20, 35)]
    assert scheme.version == "1.01"


def test_tiers_equal_the_2025_govuk_file(external: Path) -> None:
    rows = original(external / "alphagov-publisher/2025-07-02_71d85309/local_services.csv")
    assert rows[0] == ["LGSL", "Description", "Providing Tier"]
    shipped = read_mappings(VOCABULARIES / "tiers")
    assert len(shipped) == 117
    assert {(int(r[0]), r[1], r[2]) for r in rows[1:]} == {
        (int(m["service"]), m["description"], m["providing_tier"]) for m in shipped
    }
    assert read_scheme(VOCABULARIES / "tiers").issued.isoformat() == "2025-07-02"  # type: ignore[union-attr]


def test_transactions_count_councils_per_pair(external: Path) -> None:
    rows = original(external / "alphagov-local-links-manager/lgsl_lgil_fallback_links.csv")
    councils: dict[tuple[int, int], set[str]] = defaultdict(set)
    for row in rows[1:]:
        assert len(row) == 6  # the header names only 4 columns
        councils[(int(row[4]), int(row[5]))].add(row[0])
    shipped = read_transactions(VOCABULARIES / "transactions")
    assert {(int(t["service"]), int(t["interaction"])): int(t["councils"]) for t in shipped} == {
        pair: len(names) for pair, names in councils.items()
    }
    assert len(shipped) == 81
    assert sum(int(t["councils"]) for t in shipped) == len(rows) - 1 == 7405


@pytest.mark.parametrize("list_id", ["functions", "lgnl", "tiers", "transactions"])
def test_codes_not_in_lgsl_are_declared(list_id: str) -> None:
    folder = VOCABULARIES / list_id
    with (folder / "scheme.toml").open("rb") as handle:
        declared = tomllib.load(handle)["checks"]["codes_not_in_lgsl"]
    if list_id == "transactions":
        services = {int(t["service"]) for t in read_transactions(folder)}
    else:
        services = {int(m["service"]) for m in read_mappings(folder)}
    assert declared == sorted(services - lgsl_codes())
    if list_id == "tiers":
        assert declared == [1788]  # added by esd in 2019, after the 2015 snapshot


def test_no_reference_only_source_is_shipped() -> None:
    reference_only = (
        "jennyd/govuk-local-interactions",
        "matt-porism",
        "tokshine/paymentframework",
        "digitickets",
    )
    # The data files only: SOURCES.md names these repositories to say they are not shipped.
    for path in VOCABULARIES.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".toml", ".ttl", ".jsonld", ".json"):
            text = path.read_text(encoding="utf-8")
            assert not any(name in text for name in reference_only), path
