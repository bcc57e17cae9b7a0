"""Publishing safety: versions, list names, release order and damaged manifests.

Every test works on a copy of the vocabularies in a temporary folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from testsupport import copy_vocabularies

from lgstandards.exceptions import (
    InvalidReleaseError,
    LGStandardsError,
    PublishError,
    UnknownListError,
    UnsupportedVersionError,
)
from lgstandards.publish.diff import _natural
from lgstandards.publish.release import release
from lgstandards.publish.skos import build_graph, write_built
from lgstandards.vocab import releases as rel
from lgstandards.vocab._base import Vocabulary
from lgstandards.vocab.source import list_dir
from lgstandards.vocab.tiers import _tier

Tree = Callable[[Path], dict[str, tuple[str, str]]]

DAY1 = dt.date(2026, 1, 10)
DAY2 = dt.date(2026, 2, 10)
DAY3 = dt.date(2026, 3, 10)


def is_release_version(text: str) -> bool:
    """The rule, written out without a regular expression: X.Y.Z, ASCII, no leading zero."""
    parts = text.split(".")
    return len(parts) == 3 and all(
        0 < len(p) <= 9 and all(c in "0123456789" for c in p) and (p == "0" or p[0] != "0")
        for p in parts
    )


def edit_tiers(root: Path, text: str) -> None:
    """Change the description of tier 1 (a patch-level change)."""
    path = root / "tiers" / "concepts.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    cells = lines[1].split(",")
    cells[2] = text
    lines[1] = ",".join(cells)
    path.write_text("".join(lines), encoding="utf-8")


# -- versions ----------------------------------------------------------------------

_NUMBERS = ["0", "1", "4", "10", "007", "00", "١", "٠", "²", "𝟙", "999999999", "1000000000"]
_OTHERS = [" 1", "1 ", "1\n", "\n", "-rc.1", "1-rc.1", "1+build", "/", "\\", "..", "a", "", "\x00"]
_PIECES = st.sampled_from([*_NUMBERS, *_OTHERS])
_TAILS = st.sampled_from(["", "\n", "\r\n", " ", "\t", "-rc.1", "+b.1", "/x", "/../x", "\x00", "."])
VERSIONS = st.one_of(
    st.lists(_PIECES, min_size=1, max_size=4).map(".".join),
    st.builds(
        lambda core, tail: core + tail,
        st.from_regex(r"\A[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\Z"),
        _TAILS,
    ),
    st.builds(
        lambda head, core: head + core,
        st.sampled_from(["", " ", "\n", "v", "/", "../"]),
        st.from_regex(r"\A[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\Z"),
    ),
    st.text(max_size=16),
)


@settings(max_examples=400, deadline=None)
@given(VERSIONS)
def test_a_version_is_a_plain_semantic_version_or_refused(text: str) -> None:
    try:
        parsed = rel.parse_version(text)
    except UnsupportedVersionError as exc:
        refusal = str(exc)
    else:
        refusal = None
    if refusal is not None:
        assert not is_release_version(text)
        assert "\n" not in refusal
        return
    assert is_release_version(text)
    # the folder is named exactly as the version (no other spelling of the same numbers)
    assert ".".join(str(n) for n in parsed) == text
    folder = rel.release_dir("tiers", text)
    assert folder == rel.list_folder("tiers") / text
    assert folder.name == text


def test_the_version_rule_covers_the_reported_cases() -> None:
    for bad in ("1.1.0\n", "1.1.0 ", " 1.1.0", "01.1.0", "1.1.0-rc.1", "1.1.0+b", "١.٠.٠"):
        with pytest.raises(UnsupportedVersionError):
            rel.parse_version(bad)
    for bad_type in (None, 1, 1.0, ["1", "0", "0"], b"1.0.0"):
        with pytest.raises(UnsupportedVersionError):
            rel.parse_version(bad_type)
    assert rel.parse_version("0.0.0") == (0, 0, 0)
    assert rel.parse_version("999999999.0.10") == (999999999, 0, 10)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(text=VERSIONS)
def test_release_writes_the_folder_named_by_the_version_or_nothing(
    text: str, tmp_path_factory: pytest.TempPathFactory, tree_state: Tree
) -> None:
    base = tmp_path_factory.mktemp("version")
    root = copy_vocabularies(base / "vocabularies", ("tiers",))
    before = tree_state(base)
    try:
        folder = release("tiers", text, date=DAY1, root=root)
    except UnsupportedVersionError:
        assert not is_release_version(text)
        assert tree_state(base) == before
        return
    assert is_release_version(text)
    assert folder == root / "tiers" / text
    added = set(tree_state(base)) - set(before)
    assert added == {f"vocabularies/tiers/{text}"} | {
        f"vocabularies/tiers/{text}/{p.name}" for p in folder.iterdir()
    }
    assert rel.release_versions("tiers", root) == [text]


@pytest.mark.parametrize("version", ["1.1.0\n", "1.1.0/../../x", "../1.1.0", "١.١.٠", "1.1"])
def test_cli_refuses_a_hostile_version_and_writes_nothing(
    version: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tree_state: Tree
) -> None:
    from lgstandards.cli.publish import release as release_command

    root = copy_vocabularies(tmp_path / "vocabularies", ("lgil",))
    monkeypatch.setattr("lgstandards._resources.data_root", lambda kind: root)
    before = tree_state(tmp_path)
    result = CliRunner().invoke(release_command, ["lgil", "--version", version])
    assert result.exit_code == 2
    assert "is not a release version" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_state(tmp_path) == before


# -- list names --------------------------------------------------------------------

PATH_NAMES = ["../x", "lgsl/../x", "", ".", "..", "lgsl/", "./tiers", "tiers\x00", "ti\x00ers"]
PATH_NAMES += ["tiers\n", " tiers", "TIERS", "x", "../vocabularies/tiers"]


@pytest.fixture
def planted(tmp_path: Path) -> tuple[Path, Path]:
    """A vocabularies copy, and beside it a list-shaped folder ``x`` a path could reach."""
    root = copy_vocabularies(tmp_path / "vocabularies", ("tiers",))
    shutil.copytree(root / "tiers", tmp_path / "x")
    return tmp_path, root


@pytest.mark.parametrize("name", [*PATH_NAMES, "ABSOLUTE"])
def test_a_path_is_never_a_list_name(
    name: str, planted: tuple[Path, Path], tree_state: Tree
) -> None:
    base, root = planted
    if name == "ABSOLUTE":
        name = str(base / "x")
    before = tree_state(base)
    with pytest.raises(UnknownListError):
        release(name, "1.0.0", date=DAY1, root=root)
    for call in (list_dir, build_graph, write_built, rel.releases, rel.list_folder):
        with pytest.raises(UnknownListError):
            call(name, root)
    with pytest.raises(UnknownListError):
        rel.release_dir(name, "1.0.0", root)
    assert tree_state(base) == before


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=12))
def test_only_registered_names_reach_a_folder(name: str) -> None:
    registered = name in {"lgsl", "lgil", "functions", "lgnl", "tiers", "transactions"}
    try:
        folder = rel.list_folder(name, None)
    except UnknownListError:
        assert not registered
        return
    assert registered
    assert folder.name == name
    assert folder.parent == rel.list_folder("lgsl", None).parent


def test_cli_refuses_a_path_as_list_and_writes_nothing(
    planted: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, tree_state: Tree
) -> None:
    from lgstandards.cli.publish import release as release_command

    base, root = planted
    monkeypatch.setattr("lgstandards._resources.data_root", lambda kind: root)
    before = tree_state(base)
    for name in ("../x", str(base / "x"), "tiers/../../x"):
        result = CliRunner().invoke(release_command, [name, "--version", "1.0.0"])
        assert result.exit_code == 2, result.output
        assert "no vocabulary named" in result.stderr
    assert tree_state(base) == before


def test_a_registry_naming_a_path_is_refused(tmp_path: Path) -> None:
    root = copy_vocabularies(tmp_path / "vocabularies", ("tiers",))
    (root / "MANIFEST.json").write_text(json.dumps({"lists": ["tiers", "../x"]}), "utf-8")
    with pytest.raises(LGStandardsError, match=r"MANIFEST\.json"):
        release("tiers", "1.0.0", date=DAY1, root=root)
    (root / "MANIFEST.json").write_text("{not json", "utf-8")
    with pytest.raises(LGStandardsError, match=r"MANIFEST\.json"):
        list_dir("tiers", root)


# -- release order -----------------------------------------------------------------


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Tiers released three times: 1.0.0 on DAY1, 1.0.1 on DAY2, 1.1.0 on DAY3."""
    root = copy_vocabularies(tmp_path_factory.mktemp("series") / "vocabularies", ("tiers",))
    release("tiers", "1.0.0", date=DAY1, root=root)
    edit_tiers(root, "first edit")
    release("tiers", "1.0.1", date=DAY2, root=root)
    edit_tiers(root, "second edit")
    release("tiers", "1.1.0", date=DAY3, root=root)
    return root


@pytest.fixture
def series_copy(series: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(series, tmp_path / "vocabularies"))


@pytest.mark.parametrize(
    ("version", "date", "message"),
    [
        ("1.1.1", DAY2, r"dated 2026-02-10, before release 1\.1\.0 of 2026-03-10"),
        ("2.0.0", DAY1 - dt.timedelta(days=1), "before release 1.1.0"),
        ("1.0.2", DAY3, r"1\.0\.2 is not after the latest release 1\.1\.0"),
        ("0.9.0", DAY3 + dt.timedelta(days=5), "not after the latest release"),
        ("1.1.0", DAY3, "already released"),
    ],
)
def test_out_of_order_releases_are_refused(
    series_copy: Path, version: str, date: dt.date, message: str, tree_state: Tree
) -> None:
    edit_tiers(series_copy, "third edit")
    before = tree_state(series_copy)
    with pytest.raises(PublishError, match=message):
        release("tiers", version, date=date, root=series_copy)
    assert tree_state(series_copy) == before


def test_same_day_and_later_releases_are_accepted(series_copy: Path) -> None:
    edit_tiers(series_copy, "third edit")
    assert release("tiers", "1.1.1", date=DAY3, root=series_copy).name == "1.1.1"
    assert rel.release_versions("tiers", series_copy) == ["1.0.0", "1.0.1", "1.1.0", "1.1.1"]


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=dt.date(2025, 12, 1), max_value=dt.date(2026, 5, 1)))
def test_as_of_picks_the_release_in_force(series: Path, day: dt.date) -> None:
    expected = [v for v, d in (("1.0.0", DAY1), ("1.0.1", DAY2), ("1.1.0", DAY3)) if d <= day]
    found = rel.release_as_of("tiers", day, series)
    assert (found.version if found else None) == (expected[-1] if expected else None)
    vocabulary = Vocabulary("tiers", _tier, root=series).as_of(day.isoformat())
    assert vocabulary.version == (expected[-1] if expected else "1.0.0")
    assert (
        vocabulary.lookup(1).description
        == {
            "1.0.0": "",
            "1.0.1": "first edit",
            "1.1.0": "second edit",
        }[vocabulary.version]
    )


def test_as_of_refuses_what_is_not_a_date(series: Path) -> None:
    vocabulary = Vocabulary("tiers", _tier, root=series)
    for value in ("yesterday", "2026-02-30", "", 20260101, None):
        with pytest.raises(UnsupportedVersionError, match="is not a date"):
            vocabulary.as_of(value)  # type: ignore[arg-type]
    assert vocabulary.as_of(dt.datetime(2026, 2, 11, 9, 30)).version == "1.0.1"


# -- damaged manifests ---------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=8)
    | st.sampled_from(["1.0.0", "1.0.0\n", "../../x", "1.0.0/../x", "/etc/passwd", "tiers"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
HOSTILE_NAMES = ["../../outside.ttl", "/etc/passwd", "", ".", "..", "a/b", "x\x00", "tiers.ttl/"]


@st.composite
def damaged_manifests(draw: Any, valid: dict[str, Any]) -> bytes:
    """A valid manifest with one or more fields dropped, retyped or made hostile."""
    data = json.loads(json.dumps(valid))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from([*sorted(data), "files.name", "files.sha256"]))
        action = draw(st.sampled_from(["drop", "value"]))
        if key == "files.name" and isinstance(data.get("files"), dict) and data["files"]:
            name = draw(st.sampled_from(sorted(data["files"])))
            data["files"][draw(st.sampled_from(HOSTILE_NAMES))] = data["files"].pop(name)
        elif key == "files.sha256" and isinstance(data.get("files"), dict) and data["files"]:
            name = draw(st.sampled_from(sorted(data["files"])))
            data["files"][name] = draw(JSON_VALUES)
        elif key in data and action == "drop":
            del data[key]
        elif key in data:
            data[key] = draw(JSON_VALUES)
    return json.dumps(data).encode("utf-8")


RAW_MANIFESTS = st.one_of(
    st.binary(max_size=64),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[" * 100_000,
            b'{"format": 1e400}',
            b'{"format": NaN}',
            b'{"format": ' + b"1" * 5000 + b"}",
            b"\xff\xfe{}",
            b"null",
            b"[]",
            b'"1.0.0"',
        ]
    ),
)


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A vocabularies copy with tiers 1.0.0 released; and that release's manifest."""
    root = copy_vocabularies(tmp_path_factory.mktemp("manifest") / "vocabularies", ("tiers",))
    folder = release("tiers", "1.0.0", date=DAY1, root=root)
    return root, (folder / rel.MANIFEST).read_bytes()


def read_everything(root: Path) -> None:
    """Every way the library reads a release."""
    rel.releases("tiers", root)
    rel.latest_release("tiers", root)
    rel.release_as_of("tiers", DAY2, root)
    rel.read_release(root / "tiers" / "1.0.0")
    vocabulary = Vocabulary("tiers", _tier, root=root)
    vocabulary.lookup(1)
    vocabulary.as_of(DAY2).lookup(1)
    vocabulary.release("1.0.0").lookup(1)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_damaged_manifest_raises_only_the_library_error(
    released: tuple[Path, bytes], data: st.DataObject
) -> None:
    root, valid = released
    content = data.draw(st.one_of(damaged_manifests(json.loads(valid)), RAW_MANIFESTS))
    manifest = root / "tiers" / "1.0.0" / rel.MANIFEST
    manifest.write_bytes(content)
    error: InvalidReleaseError | None = None
    try:
        read_everything(root)
        info = rel.read_release(manifest.parent, "tiers")
    except InvalidReleaseError as exc:
        error = exc
    finally:
        manifest.write_bytes(valid)
    if error is not None:
        assert error.path == manifest
        assert str(error).startswith(f"{manifest}: not a valid release manifest: ")
        assert "\n" not in str(error)
        return
    assert (info.list_id, info.version) == ("tiers", "1.0.0")
    assert all(name == Path(name).name not in ("", ".", "..") for name in info.files)
    assert {f"tiers.{s}" for s in rel.SUFFIXES.values()} <= set(info.files)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("version"), "'version'"),
        (lambda d: d.update(version="1.0.0/../../x"), "not a release version"),
        (lambda d: d.update(version="1.0.1"), "not its folder's name"),
        (lambda d: d.update(list="../x"), "'list'"),
        (lambda d: d.update(list="lgsl"), "'list' is 'lgsl', not 'tiers'"),
        (lambda d: d.update(date="yesterday"), "'date'"),
        (lambda d: d.update(date=None), "'date'"),
        (lambda d: d.update(format=True), "'format'"),
        (lambda d: d.update(previous="2.0.0"), "'previous'"),
        (lambda d: d["files"].update({"../../x": {"sha256": "0" * 64}}), "not a file name"),
        (lambda d: d["files"]["tiers.csv"].update(sha256=123), "sha256"),
        (lambda d: d["files"].pop("tiers.csv"), "does not list tiers.csv"),
        (lambda d: d.update(files=[]), "'files'"),
    ],
)
def test_each_manifest_fault_is_named(
    released: tuple[Path, bytes], change: Callable[[dict[str, Any]], object], message: str
) -> None:
    root, valid = released
    manifest = root / "tiers" / "1.0.0" / rel.MANIFEST
    data = json.loads(valid)
    change(data)
    manifest.write_text(json.dumps(data), encoding="utf-8")
    try:
        with pytest.raises(InvalidReleaseError, match=message) as info:
            rel.releases("tiers", root)
        assert str(info.value).startswith(f"{manifest}: not a valid release manifest: ")
        with pytest.raises(InvalidReleaseError):
            Vocabulary("tiers", _tier, root=root).lookup(1)
    finally:
        manifest.write_bytes(valid)


def test_an_oversized_or_special_manifest_is_refused(released: tuple[Path, bytes]) -> None:
    root, valid = released
    manifest = root / "tiers" / "1.0.0" / rel.MANIFEST
    try:
        manifest.write_bytes(b" " * (rel.MAX_MANIFEST_BYTES + 1) + valid)
        with pytest.raises(InvalidReleaseError, match="larger than"):
            rel.releases("tiers", root)
        manifest.unlink()
        os.mkfifo(manifest)  # never opened for a blocking read
        with pytest.raises(InvalidReleaseError, match="not a regular file"):
            rel.read_release(manifest.parent)
    finally:
        manifest.unlink(missing_ok=True)
        manifest.write_bytes(valid)


def test_a_damaged_earlier_release_refuses_the_next_release(
    released: tuple[Path, bytes], tmp_path: Path
) -> None:
    root = Path(shutil.copytree(released[0], tmp_path / "vocabularies"))
    (root / "tiers" / "1.0.0" / rel.MANIFEST).write_text("{}", encoding="utf-8")
    edit_tiers(root, "an edit")
    with pytest.raises(InvalidReleaseError):
        release("tiers", "1.0.1", date=DAY2, root=root)
    assert not (root / "tiers" / "1.0.1").exists()


def test_cli_diff_of_a_damaged_release_exits_2(released: tuple[Path, bytes]) -> None:
    from lgstandards.cli.publish import diff

    root, valid = released
    folder = root / "tiers" / "1.0.0"
    try:
        (folder / rel.MANIFEST).write_text('{"format": 1, "list": "../../x"}', "utf-8")
        result = CliRunner().invoke(diff, [str(folder), str(folder)])
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: {folder / rel.MANIFEST}: ")
    finally:
        (folder / rel.MANIFEST).write_bytes(valid)


_VOCAB_LIST = textwrap.dedent(
    """
    import pathlib, sys
    import lgstandards._resources as resources
    shipped = resources.data_root
    root = pathlib.Path(sys.argv[1])
    resources.data_root = lambda kind: root if kind == "vocabularies" else shipped(kind)
    from lgstandards.cli import main
    main(["vocab", "list", "--format", "json"])
    """
)


def run_vocab_list(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", _VOCAB_LIST, str(root)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.slow
def test_vocab_list_with_a_damaged_manifest_exits_2_with_one_line(tmp_path: Path) -> None:
    root = tmp_path / "vocabularies"
    shutil.copytree(rel.list_folder("lgsl").parent, root, ignore=shutil.ignore_patterns("built"))
    ok = run_vocab_list(root)
    assert ok.returncode == 0, ok.stderr
    assert [row["name"] for row in json.loads(ok.stdout)["lists"]][:2] == ["lgsl", "lgil"]
    manifest = next((root / "tiers").glob(f"*/{rel.MANIFEST}"))
    for content in ('{"format": 1, "version": "1.0.0\\n"}', "{", "[" * 50_000):
        manifest.write_text(content, encoding="utf-8")
        failed = run_vocab_list(root)
        assert failed.returncode == 2, failed.stderr
        assert failed.stdout == ""
        assert failed.stderr.endswith("\n")
        assert failed.stderr.count("\n") == 1, failed.stderr
        assert failed.stderr.startswith(f"Error: {manifest}: not a valid release manifest")


# -- natural order of notations (diff) -------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789a²١-", max_size=8) | st.just("9" * 5000), max_size=6))
def test_natural_order_never_raises_and_orders_numbers(values: list[str]) -> None:
    ordered = sorted(values, key=_natural)
    numbers = [Decimal(v) for v in ordered if v and all(c in "0123456789" for c in v)]
    assert numbers == sorted(numbers)
