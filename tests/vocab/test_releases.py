"""Look-ups by release and by date: the default is the latest release; deprecated codes resolve."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from lgstandards import UnsupportedVersionError
from lgstandards._resources import vocabularies_root
from lgstandards.publish.release import release
from lgstandards.vocab._base import Vocabulary
from lgstandards.vocab.lgsl import Service, _service, lgsl

FIRST = dt.date(2015, 3, 17)
SECOND = dt.date(2026, 12, 1)


def _edit(root: Path) -> None:
    """Deprecate 230 in favour of 107 (GOV.UK's pair) and add one service."""
    path = root / "lgsl" / "concepts.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    for row in rows:
        if row["code"] == "230":
            row.update(
                deprecated="true",
                deprecated_date=SECOND.isoformat(),
                replaced_by="107",
                change_note="Deprecated in favour of 107 Sheltered housing (test fixture).",
            )
    extra = dict.fromkeys(header, "")
    extra.update(code="99001", label="Test service (fixture)", description="Added by a test.")
    rows.append(extra)
    rows.sort(key=lambda r: int(r["code"]))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary[Service]:
    root = tmp_path_factory.mktemp("releases") / "vocabularies"
    root.mkdir()
    shutil.copy(vocabularies_root() / "MANIFEST.json", root)
    shutil.copytree(
        vocabularies_root() / "lgsl",
        root / "lgsl",
        ignore=shutil.ignore_patterns("built", "[0-9]*.[0-9]*"),
    )
    release("lgsl", "4.0.1", date=FIRST, root=root)
    _edit(root)
    release("lgsl", "4.1.0", date=SECOND, root=root)
    return Vocabulary("lgsl", _service, root=root)


def test_shipped_lists_default_to_their_latest_release() -> None:
    assert lgsl.releases()
    assert lgsl.version == lgsl.releases()[-1]
    assert len(lgsl) == len(lgsl.source())


def test_default_is_the_latest_release(released: Vocabulary[Service]) -> None:
    assert released.releases() == ["4.0.1", "4.1.0"]
    assert released.version == "4.1.0"
    assert 99001 in released


def test_deprecated_code_resolves_with_its_replacement(released: Vocabulary[Service]) -> None:
    old = released.lookup(230)
    assert old.deprecated
    assert old.deprecated_date == SECOND
    assert old.replaced_by == 107
    assert released.lookup(old.replaced_by).label == "Sheltered housing"
    assert "Deprecated in favour of 107" in old.change_note


def test_release_by_version_is_as_published(released: Vocabulary[Service]) -> None:
    first = released.release("4.0.1")
    assert first.version == "4.0.1"
    assert not first.lookup(230).deprecated
    assert 99001 not in first
    assert released.release("4.0.1") is first  # cached
    with pytest.raises(UnsupportedVersionError, match=r"released versions: 4\.0\.1, 4\.1\.0"):
        released.release("5.0.0")


@pytest.mark.parametrize(
    ("date", "version"),
    [
        ("2001-01-01", "4.0.1"),  # before the first release: the earliest known
        ("2015-03-17", "4.0.1"),
        ("2026-11-30", "4.0.1"),
        (dt.date(2026, 12, 1), "4.1.0"),
        ("2030-01-01", "4.1.0"),
    ],
)
def test_as_of_picks_the_release_in_force(
    released: Vocabulary[Service], date: str | dt.date, version: str
) -> None:
    assert released.as_of(date).version == version


def test_source_shows_unreleased_edits(released: Vocabulary[Service]) -> None:
    path = released.folder / "concepts.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Test service (fixture)", "Renamed test service"), "utf-8")
    try:
        fresh = Vocabulary("lgsl", _service, root=released.folder.parent)
        assert fresh.lookup(99001).label == "Test service (fixture)"  # latest release
        assert fresh.source().lookup(99001).label == "Renamed test service"
    finally:
        path.write_text(text, "utf-8")
