"""``vocab release --bump`` and ``vocab diff LIST`` on a copy of a shipped list.

Each kind of edit to a list's source gets the bump the versioning rule gives it (new
codes and deprecations: minor; labels and descriptions: patch; removals: never), and
the commands name both sides: the latest release and the edited source.
"""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from lgstandards._resources import vocabularies_root
from lgstandards.cli import cli

LIST = "functions"
DATE = "2030-01-01"


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the vocabularies holding the list's source and its release 1.0.0."""
    target = tmp_path / "vocabularies"
    target.mkdir()
    shutil.copy(vocabularies_root() / "MANIFEST.json", target)
    shutil.copytree(
        vocabularies_root() / LIST, target / LIST, ignore=shutil.ignore_patterns("built")
    )
    assert (target / LIST / "1.0.0" / "manifest.json").is_file()
    import lgstandards._resources as resources

    shipped = resources.data_root
    monkeypatch.setattr(
        resources, "data_root", lambda kind: target if kind == "vocabularies" else shipped(kind)
    )
    return target


def edit(root: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    path = root / LIST / "concepts.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    change(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def relabel(rows: list[dict[str, str]]) -> None:
    rows[0]["label"] += " (relabelled in a test)"


def describe(rows: list[dict[str, str]]) -> None:
    rows[1]["description"] = "A description added by a test."


def add(rows: list[dict[str, str]]) -> None:
    row = dict.fromkeys(rows[0], "")
    row.update(code="9901", label="Test function (fixture)", created=DATE, modified=DATE)
    rows.append(row)


def deprecate(rows: list[dict[str, str]]) -> None:
    rows[2].update(
        deprecated="true",
        deprecated_date=DATE,
        replaced_by=rows[1]["code"],
        change_note=f"{DATE}: merged into {rows[1]['code']} by a test.",
    )


def remove(rows: list[dict[str, str]]) -> None:
    del rows[-1]


#: Each kind of edit, the bump it needs and the smallest version after 1.0.0.
EDITS = {
    "relabel": (relabel, "patch", "1.0.1"),
    "describe": (describe, "patch", "1.0.1"),
    "add": (add, "minor", "1.1.0"),
    "deprecate": (deprecate, "minor", "1.1.0"),
}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["vocab", *args])


def releases(root: Path) -> list[str]:
    return sorted(p.name for p in (root / LIST).iterdir() if p.name[0].isdigit())


@pytest.mark.parametrize("name", list(EDITS))
def test_auto_bump_is_the_one_the_changes_need(name: str, root: Path) -> None:
    change, bump, version = EDITS[name]
    edit(root, change)
    dry = run("release", LIST, "--bump", "auto", "--dry-run", "--date", DATE)
    assert dry.exit_code == 0, dry.output
    assert dry.stdout == f"{version}\n"
    assert f"would release {LIST} {version}: {bump} since 1.0.0" in dry.stderr
    assert releases(root) == ["1.0.0"]  # a dry run writes nothing
    done = run("release", LIST, "--bump", "auto", "--date", DATE)
    assert done.exit_code == 0, done.output
    assert done.stdout.strip() == str(root / LIST / version)
    manifest = json.loads((root / LIST / version / "manifest.json").read_text("utf-8"))
    assert (manifest["bump"], manifest["previous"]) == (bump, "1.0.0")


@pytest.mark.parametrize("name", list(EDITS))
def test_a_larger_bump_needs_force_and_a_smaller_one_is_refused(name: str, root: Path) -> None:
    change, bump, _ = EDITS[name]
    edit(root, change)
    order = ["patch", "minor", "major"]
    for larger in order[order.index(bump) + 1 :]:
        refused = run("release", LIST, "--bump", larger, "--dry-run", "--date", DATE)
        assert refused.exit_code == 1
        assert "--force" in refused.stderr
        forced = run("release", LIST, "--bump", larger, "--force", "--dry-run", "--date", DATE)
        assert forced.exit_code == 0, forced.output
        assert forced.stdout == ("2.0.0\n" if larger == "major" else "1.1.0\n")
    for smaller in order[: order.index(bump)]:
        refused = run("release", LIST, "--bump", smaller, "--force", "--date", DATE)
        assert refused.exit_code == 1
        assert f"need a {bump} release, not {smaller}" in refused.stderr
    same = run("release", LIST, "--bump", bump, "--dry-run", "--date", DATE)
    assert same.exit_code == 0, same.output
    assert releases(root) == ["1.0.0"]


@pytest.mark.parametrize("bump", ["auto", "patch", "major"])
def test_a_removal_is_never_released_even_with_force(bump: str, root: Path) -> None:
    edit(root, remove)
    result = run("release", LIST, "--bump", bump, "--force", "--date", DATE)
    assert result.exit_code == 1
    assert "never removed or re-used" in result.stderr
    assert releases(root) == ["1.0.0"]


def test_no_change_is_refused(root: Path) -> None:
    result = run("release", LIST, "--bump", "auto", "--dry-run")
    assert result.exit_code == 1
    assert "has not changed since 1.0.0" in result.stderr


def test_version_or_bump_exactly_one(root: Path) -> None:
    assert run("release", LIST).exit_code == 2
    both = run("release", LIST, "--version", "1.1.0", "--bump", "auto")
    assert both.exit_code == 2
    assert "either --version" in both.stderr


def test_dry_run_with_a_version_checks_without_writing(root: Path) -> None:
    edit(root, add)
    ok = run("release", LIST, "--version", "1.2.0", "--dry-run", "--date", DATE)
    assert (ok.exit_code, ok.stdout) == (0, "1.2.0\n")
    small = run("release", LIST, "--version", "1.0.1", "--dry-run", "--date", DATE)
    assert small.exit_code == 1
    assert "smallest allowed version is 1.1.0" in small.stderr
    assert releases(root) == ["1.0.0"]


@pytest.mark.parametrize("name", list(EDITS))
def test_diff_of_a_list_compares_its_source_with_the_latest_release(name: str, root: Path) -> None:
    change, bump, version = EDITS[name]
    edit(root, change)
    text = run("diff", LIST)
    assert text.exit_code == 0, text.output
    first, second = text.stdout.splitlines()[:2]
    assert first.startswith(f"{LIST}: latest release 1.0.0 -> the edited source")
    assert f"next version: {version}: {bump} since 1.0.0" in first
    assert second.startswith("1.0.0 -> ")
    assert f"(version bump: {bump})" in second
    data = json.loads(run("diff", LIST, "--format", "json").stdout)
    assert (data["list"], data["release"], data["next_version"]) == (LIST, "1.0.0", version)
    assert data["old"]["version"] == "1.0.0"
    assert data["new"] == {"source": str(root / LIST), "version": None}
    assert data["bump"] == bump
    assert releases(root) == ["1.0.0"]  # nothing was built or released


def test_diff_of_a_list_with_a_removal_exits_1(root: Path) -> None:
    edit(root, remove)
    result = run("diff", LIST)
    assert result.exit_code == 1
    assert "next version: none: refused" in result.stdout


def test_diff_needs_two_files_or_a_list(root: Path) -> None:
    result = run("diff", "one.ttl")
    assert result.exit_code == 2
    assert "a list name alone" in result.stderr
    assert run("diff", "nosuchlist").exit_code == 1  # an unknown list, as elsewhere
