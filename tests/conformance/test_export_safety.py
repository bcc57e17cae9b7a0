"""``conformance export`` writes only inside its folder and never through a symbolic link."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.cli import cli
from lgstandards.conformance import Case, cases, export
from lgstandards.conformance import kit as kit_module
from lgstandards.exceptions import PublishError

Tree = Callable[[Path], dict[str, tuple[str, str]]]

#: Where a planted link sits in the export folder, and whether it points at a file or folder.
PLANTS = {
    "kit.json": "file",
    "epay/MANIFEST": "file",
    "epay/valid/payment-request.xml": "file",
    "epay": "folder",
    "epay/invalid": "folder",
    "govtalk/valid": "dangling",
}


def outside_world(base: Path) -> Path:
    """A folder beside the export folder, with a file and a folder a link can point at."""
    outside = base / "outside"
    (outside / "folder" / "valid").mkdir(parents=True)
    (outside / "secret.txt").write_text("do not overwrite\n", encoding="utf-8")
    (outside / "folder" / "kept.txt").write_text("kept\n", encoding="utf-8")
    return outside


def plant(target: Path, where: str, kind: str, outside: Path) -> None:
    link = target / where
    link.parent.mkdir(parents=True, exist_ok=True)
    destination = {
        "file": outside / "secret.txt",
        "folder": outside / "folder",
        "dangling": outside / "not-yet",
    }[kind]
    link.symlink_to(destination, target_is_directory=kind == "folder")


@pytest.mark.parametrize(("where", "kind"), sorted(PLANTS.items()))
def test_a_planted_link_is_refused_and_nothing_is_written(
    where: str, kind: str, tmp_path: Path, tree_state: Tree
) -> None:
    outside = outside_world(tmp_path)
    target = tmp_path / "kit"
    plant(target, where, kind, outside)
    before = tree_state(tmp_path)
    with pytest.raises(PublishError, match="symbolic link"):
        export(target)
    assert tree_state(tmp_path) == before


def test_every_link_at_once_is_named(tmp_path: Path, tree_state: Tree) -> None:
    outside = outside_world(tmp_path)
    target = tmp_path / "kit"
    for where, kind in PLANTS.items():
        if not any(where.startswith(other + "/") for other in PLANTS if other != where):
            plant(target, where, kind, outside)
    before = tree_state(tmp_path)
    with pytest.raises(PublishError) as info:
        export(target)
    assert str(target / "kit.json") in str(info.value)
    assert tree_state(tmp_path) == before


def test_a_link_as_the_export_folder_is_refused(tmp_path: Path, tree_state: Tree) -> None:
    outside = outside_world(tmp_path)
    (tmp_path / "kit").symlink_to(outside / "folder", target_is_directory=True)
    before = tree_state(tmp_path)
    with pytest.raises(PublishError, match="symbolic link"):
        export(tmp_path / "kit")
    assert tree_state(tmp_path) == before


@pytest.mark.parametrize(("where", "kind"), sorted(PLANTS.items()))
def test_a_link_planted_after_the_check_is_still_not_followed(
    where: str, kind: str, tmp_path: Path, tree_state: Tree, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writes themselves never follow a link (a link may appear after the check)."""
    outside = outside_world(tmp_path)
    target = tmp_path / "kit"
    plant(target, where, kind, outside)
    monkeypatch.setattr(kit_module, "_refuse_links", lambda target, files: None)
    before = tree_state(outside)
    try:
        export(target)
    except PublishError as exc:
        refusal: str | None = str(exc)
    else:
        refusal = None
    assert tree_state(outside) == before
    link = target / where
    if refusal is None:  # the link at a file's name was replaced by the file itself
        assert kind != "folder"
        assert not link.is_symlink()
        assert link.is_file()
    else:
        assert "symbolic link" in refusal
        assert link.is_symlink()


def test_export_replaces_files_atomically_and_leaves_no_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "kit"
    first = export(target)
    (target / "kit.json").write_text("stale", encoding="utf-8")
    again = export(target)
    assert again == first
    assert (target / "kit.json").read_text(encoding="utf-8").startswith("{")
    assert not list(target.rglob(".*"))
    for case in cases():
        assert (target / case.name).read_bytes() == case.path.read_bytes()


PARTS = st.sampled_from(["a", "b.xml", "..", ".", "", "c/..", "\\", "x\x00y", "~", " ", "..."])
#: Relative names only: should the check ever fail, ``..`` parts stay inside the test's folder
#: (the export folder is deeper than a name can climb); absolute names are tested below.
NAMES = st.lists(PARTS, min_size=1, max_size=4).map("/".join).filter(lambda n: n[:1] != "/")
DEEP = Path("d1", "d2", "d3", "d4", "d5", "kit")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=NAMES)
def test_a_case_name_never_leads_outside(
    name: str, tmp_path_factory: pytest.TempPathFactory, tree_state: Tree
) -> None:
    base = tmp_path_factory.mktemp("names")
    target = base / DEEP
    target.mkdir(parents=True)
    outside_world(base)
    before = tree_state(base)
    case = replace(cases()[0], name=name, family="family")
    try:
        written = export(target, selected=[case])
    except (PublishError, OSError):
        written = []
    after = tree_state(base)
    inside = DEEP.as_posix() + "/"
    assert {k: v for k, v in after.items() if not k.startswith(inside)} == before
    for path in written:
        assert Path(os.path.realpath(path)).is_relative_to(target.resolve())
    if written:
        assert written[0] == target.joinpath(*name.split("/"))


@pytest.mark.parametrize("name", ["../escape.xml", "ABSOLUTE", "a/../../escape.xml", "", "a//b"])
def test_a_hostile_case_name_is_refused(name: str, tmp_path: Path, tree_state: Tree) -> None:
    target = tmp_path / "d1" / "d2" / "kit"
    if name == "ABSOLUTE":  # an absolute name that would still land in this test's folder
        name = str(tmp_path / "escape.xml")
    before = tree_state(tmp_path)
    case: Case = replace(cases()[0], name=name)
    with pytest.raises(PublishError, match="not a relative path"):
        export(target, selected=[case])
    assert tree_state(tmp_path) == before


def test_cli_export_into_a_folder_with_a_link_exits_2(tmp_path: Path, tree_state: Tree) -> None:
    outside = outside_world(tmp_path)
    target = tmp_path / "kit"
    plant(target, "epay", "folder", outside)
    before = tree_state(tmp_path)
    result = CliRunner().invoke(cli, ["conformance", "export", str(target)])
    assert result.exit_code == 2
    assert "symbolic link" in result.stderr
    assert "Traceback" not in result.output
    assert tree_state(tmp_path) == before
