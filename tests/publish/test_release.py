"""Releases: the issue's "Done when" scenario on a copy of the LGSL source, and the rules."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from testsupport import copy_vocabularies

from lgstandards.exceptions import PublishError, UnsupportedVersionError
from lgstandards.publish.release import FAULT_ENV, release, smallest_version
from lgstandards.vocab import releases as rel

DAY1 = dt.date(2026, 11, 26)
DAY2 = dt.date(2026, 12, 1)
SERVICE = "http://id.esd.org.uk/service/"


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the vocabularies with the first LGSL release 4.0.1 made."""
    root = copy_vocabularies(tmp_path_factory.mktemp("first") / "vocabularies")
    release("lgsl", "4.0.1", date=DAY1, root=root)
    return root


@pytest.fixture
def root(first: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(first, tmp_path / "vocabularies"))


def read_rows(root: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(root / "lgsl" / "concepts.csv", newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(root: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    rows.sort(key=lambda r: int(r["code"]))
    with open(root / "lgsl" / "concepts.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def edit_source(root: Path) -> None:
    """Add two services, rename one, deprecate one with a replacement."""
    header, rows = read_rows(root)
    by_code = {r["code"]: r for r in rows}
    for code, label in (
        ("99001", "Test service one (fixture)"),
        ("99002", "Test service two (fixture)"),
    ):
        row = dict.fromkeys(header, "")
        row.update(
            code=code,
            label=label,
            description=f"{label}, added by a test.",
            created="2026-12-01",
            modified="2026-12-01",
        )
        rows.append(row)
    by_code["57"]["label"] = "Council tax annual bill"
    by_code["230"].update(
        deprecated="true",
        deprecated_date="2026-12-01",
        replaced_by="107",
        change_note="2026-12-01: merged into 107 Sheltered housing.",
    )
    write_rows(root, header, rows)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_first_release(first: Path) -> None:
    folder = first / "lgsl" / "4.0.1"
    assert sorted(p.name for p in folder.iterdir()) == [
        "CHANGELOG.md",
        "lgsl.csv",
        "lgsl.jsonld",
        "lgsl.rdf",
        "lgsl.ttl",
        "manifest.json",
    ]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == "4.0.1"
    assert manifest["previous"] is None
    assert manifest["concepts"] == 1519
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == {
        k: v for k, v in digests(folder).items() if k != "manifest.json"
    }
    changelog = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.startswith(
        "# Changelog\n\n## 4.0.1 (2026-11-26)\n\nFirst release of lgsl: 1519"
    )
    ttl = (folder / "lgsl.ttl").read_text(encoding="utf-8")
    assert '"4.0.1"' in ttl
    assert not list((first / "lgsl").glob(".*"))


def test_done_when_edit_release_diff_changelog_manifest(root: Path) -> None:
    before = digests(root / "lgsl" / "4.0.1")
    edit_source(root)
    with pytest.raises(
        PublishError,
        match=r"need a minor release; the smallest allowed version is 4\.1\.0, not 4\.0\.2",
    ):
        release("lgsl", "4.0.2", date=DAY2, root=root)
    folder = release("lgsl", "4.1.0", date=DAY2, root=root)
    assert folder == root / "lgsl" / "4.1.0"
    assert digests(root / "lgsl" / "4.0.1") == before

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["version"], manifest["previous"], manifest["bump"]) == (
        "4.1.0",
        "4.0.1",
        "minor",
    )
    assert manifest["concepts"] == 1521
    assert {k: v["sha256"] for k, v in manifest["files"].items()} == {
        k: v for k, v in digests(folder).items() if k != "manifest.json"
    }

    from lgstandards.publish.diff import diff_vocabularies

    diff = diff_vocabularies(root / "lgsl/4.0.1/lgsl.ttl", folder / "lgsl.ttl")
    assert diff.to_json()["changes"] == {
        "added": [
            {
                "concept": SERVICE + "99001",
                "notation": "99001",
                "label": "Test service one (fixture)",
            },
            {
                "concept": SERVICE + "99002",
                "notation": "99002",
                "label": "Test service two (fixture)",
            },
        ],
        "deprecated": [
            {
                "concept": SERVICE + "230",
                "notation": "230",
                "label": "Sheltered housing - older people",
                "replaced_by": [
                    {"concept": SERVICE + "107", "notation": "107", "label": "Sheltered housing"}
                ],
                "reason": ["2026-12-01: merged into 107 Sheltered housing."],
            }
        ],
        "relabelled": [
            {
                "concept": SERVICE + "57",
                "notation": "57",
                "label": "Council tax annual bill",
                "property": "skos:prefLabel",
                "lang": "en",
                "old": ["Council tax annual notification"],
                "new": ["Council tax annual bill"],
            }
        ],
    }
    changelog = (folder / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog == (
        "# Changelog\n\n"
        "## 4.1.0 (2026-12-01)\n\n"
        "Minor release. 2 added, 1 deprecated, 1 relabelled since 4.0.1 (version bump: minor).\n\n"
        "### Added\n\n"
        "- 99001 Test service one (fixture)\n"
        "- 99002 Test service two (fixture)\n\n"
        "### Deprecated\n\n"
        "- 230 Sheltered housing - older people deprecated, replaced by 107 Sheltered housing: "
        "2026-12-01: merged into 107 Sheltered housing.\n\n"
        "### Relabelled\n\n"
        "- 57 Council tax annual bill: skos:prefLabel@en 'Council tax annual notification' → "
        "'Council tax annual bill'\n\n"
        "## 4.0.1 (2026-11-26)\n\n"
        "First release of lgsl: 1519 concepts, from the source version 4.0.1 "
        "(12 quality warning(s)).\n"
    )
    # lookups by version and date
    assert rel.release_versions("lgsl", root) == ["4.0.1", "4.1.0"]
    assert rel.latest_release("lgsl", root).version == "4.1.0"
    assert rel.release_as_of("lgsl", dt.date(2026, 11, 30), root).version == "4.0.1"
    assert rel.release_as_of("lgsl", dt.date(2026, 1, 1), root) is None
    assert rel.get_release("lgsl", "4.0.1", root).verify() == []
    with pytest.raises(UnsupportedVersionError, match=r"4\.0\.1, 4\.1\.0"):
        rel.get_release("lgsl", "9.9.9", root)
    # releasing over an existing version, or an unchanged source, is refused
    with pytest.raises(PublishError, match="already released"):
        release("lgsl", "4.1.0", date=DAY2, root=root)
    with pytest.raises(PublishError, match=r"has not changed since 4\.1\.0"):
        release("lgsl", "4.1.1", date=DAY2, root=root)


def test_removing_a_code_is_refused_with_how_to_deprecate(root: Path) -> None:
    header, rows = read_rows(root)
    write_rows(root, header, [r for r in rows if r["code"] != "372"])
    with pytest.raises(PublishError) as info:
        release("lgsl", "5.0.0", date=DAY2, root=root)
    message = str(info.value)
    assert "372 Abandoned vehicles" in message
    assert "codes are never removed" in message
    assert "deprecated=true" in message
    assert "replaced_by=" in message
    assert rel.release_versions("lgsl", root) == ["4.0.1"]


def test_reusing_a_code_is_refused(root: Path) -> None:
    header, rows = read_rows(root)
    for row in rows:
        if row["code"] == "372":
            row.update(
                label="Pop-up shops (test)", description="Something else.", created="2026-12-01"
            )
    write_rows(root, header, rows)
    with pytest.raises(PublishError, match=r"(?s)never re-used.*372.*created date changed"):
        release("lgsl", "5.0.0", date=DAY2, root=root)
    assert rel.release_versions("lgsl", root) == ["4.0.1"]


def test_release_is_deterministic(first: Path, tmp_path: Path) -> None:
    again = copy_vocabularies(tmp_path / "again")
    release("lgsl", "4.0.1", date=DAY1, root=again)
    assert digests(again / "lgsl" / "4.0.1") == digests(first / "lgsl" / "4.0.1")


def test_altered_earlier_release_is_refused(root: Path) -> None:
    edit_source(root)
    with open(root / "lgsl" / "4.0.1" / "lgsl.csv", "a", encoding="utf-8") as handle:
        handle.write("tampered\n")
    with pytest.raises(PublishError, match="has changed since it was released"):
        release("lgsl", "4.1.0", date=DAY2, root=root)


def test_quality_errors_refuse_the_release(tmp_path: Path) -> None:
    root = copy_vocabularies(tmp_path / "v")
    header, rows = read_rows(root)
    rows[0]["broader"] = rows[1]["code"]
    rows[1]["broader"] = rows[0]["code"]
    write_rows(root, header, rows)
    with pytest.raises(PublishError, match=r"skos\.cyclic-hierarchy"):
        release("lgsl", "4.0.1", date=DAY1, root=root)
    assert not (root / "lgsl" / "4.0.1").exists()


def test_version_rules() -> None:
    assert smallest_version("4.0.1", "minor") == "4.1.0"
    assert smallest_version("4.0.1", "patch") == "4.0.2"
    assert smallest_version("4.9.1", "major") == "5.0.0"
    with pytest.raises(UnsupportedVersionError):
        release("lgsl", "4.1")


def run_release_process(root: Path, fault: int | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop(FAULT_ENV, None)
    if fault is not None:
        env[FAULT_ENV] = str(fault)
    code = (
        "import datetime, pathlib, sys\n"
        "from lgstandards.publish.release import release\n"
        "release('tiers', '1.0.0', date=datetime.date(2026, 11, 26),\n"
        "        root=pathlib.Path(sys.argv[1]))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(root)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_killed_release_leaves_nothing_and_rerun_succeeds(tmp_path: Path) -> None:
    root = copy_vocabularies(tmp_path / "v")
    killed = run_release_process(root, fault=3)
    assert killed.returncode == -9
    list_folder = root / "tiers"
    assert not (list_folder / "1.0.0").exists()
    assert rel.release_versions("tiers", root) == []
    partial = [p for p in list_folder.iterdir() if p.name.startswith(".")]
    assert len(partial) == 1
    assert len(list(partial[0].iterdir())) == 3
    ok = run_release_process(root, fault=None)
    assert ok.returncode == 0, ok.stderr
    assert rel.release_versions("tiers", root) == ["1.0.0"]
    assert not [p for p in list_folder.iterdir() if p.name.startswith(".")]
    assert rel.get_release("tiers", "1.0.0", root).verify() == []


def test_release_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lgstandards.cli.publish import release as release_command

    root = copy_vocabularies(tmp_path / "v")
    monkeypatch.setattr("lgstandards._resources.data_root", lambda kind: root)
    runner = CliRunner()
    ok = runner.invoke(release_command, ["functions", "--version", "1.0.0", "--date", "2026-11-26"])
    assert ok.exit_code == 0, ok.output
    assert ok.stdout.strip() == str(root / "functions" / "1.0.0")
    again = runner.invoke(release_command, ["functions", "--version", "1.0.0"])
    assert again.exit_code == 1
    assert "already released" in again.stderr
    assert runner.invoke(release_command, ["functions", "--version", "1.0"]).exit_code == 2
    assert runner.invoke(release_command, ["nope", "--version", "1.0.0"]).exit_code == 2
    # a second release, then diff the two release folders
    rows = (root / "functions" / "concepts.csv").read_text(encoding="utf-8").splitlines()
    header, first_row = rows[0].split(","), rows[1]
    label_at = header.index("label")
    cells = next(csv.reader([first_row]))
    cells[label_at] = cells[label_at] + " (renamed in a test)"
    with open(root / "functions" / "concepts.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerow(cells)
        handle.write("".join(f"{line}\n" for line in rows[2:]))
    refused = runner.invoke(
        release_command, ["functions", "--version", "1.0.0", "--date", "2026-12-01"]
    )
    assert refused.exit_code == 1
    ok = runner.invoke(release_command, ["functions", "--version", "1.0.1", "--date", "2026-12-01"])
    assert ok.exit_code == 0, ok.output
    from lgstandards.cli.publish import diff

    result = runner.invoke(diff, [str(root / "functions/1.0.0"), str(root / "functions/1.0.1")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("1.0.0 -> 1.0.1: 1 relabelled (version bump: patch)")
    assert (
        runner.invoke(release_command, ["functions", "--version", "1.0.1", "--date", "x"]).exit_code
        == 2
    )
