"""The cluster gives the same report as ``--jobs 1``, issue for issue, wherever files come from.

Compared on the examples and on generated sets mixing valid and invalid messages,
RDF, e-Pay batches and every input of the hostile catalogue, in the files' order and
as they finish, with tasks of one file and of many, from local folders and from
fsspec URLs (``file://`` and ``memory://``), and through the command line.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from validation.hostile_cases import cases

from lgstandards._resources import examples_root
from lgstandards.bulk import validate_many
from lgstandards.cli import cli
from lgstandards.report import ValidationReport
from lgstandards.validation.batch import expand, validate_paths
from lgstandards.validation.engine import make_options

EXAMPLES = examples_root()


def _seen(reports: list[ValidationReport], rename: Any = None) -> list[tuple[Any, ...]]:
    """Each report as comparable data: source, kind, and every issue's fields."""
    found = []
    for report in reports:
        issues = [issue.to_dict() for issue in report.issues]
        if rename is not None:
            for issue in issues:
                issue["source"] = rename(issue["source"])
        found.append(
            (rename(report.source) if rename else report.source, report.kind, json.dumps(issues))
        )
    return found


def _jobs1(paths: list[str]) -> list[ValidationReport]:
    items = expand(paths)
    files = [i for i in items if isinstance(i, str)]
    done = iter(validate_paths(files, make_options()))
    return [next(done) if isinstance(i, str) else i for i in items]


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated set: examples of every family, hostile inputs, a big batch, odd names."""
    root = tmp_path_factory.mktemp("mixed")
    for family in ("epay", "govtalk", "ebenefits", "catalogues", "transactions"):
        shutil.copytree(EXAMPLES / family, root / family, ignore=shutil.ignore_patterns("*.md"))
    secret = root / "secret.txt"
    secret.write_text("not to be read\n")
    hostile = root / "hostile"
    hostile.mkdir()
    for name, (document, _) in cases(str(secret), "http://127.0.0.1:9").items():
        (hostile / f"{name}.xml").write_bytes(document)
    (hostile / "caf\u00e9 \u2013 odd name.xml").write_bytes(b"<r>")
    from validation.epay_batches import batch_file

    batch_file(root / "epay" / "big-batch.xml", 3000, bad_every=97)
    (root / "broken-link.xml").symlink_to(root / "nowhere.xml")
    return root


def test_examples_same_report_in_order(client: Any) -> None:
    expected = _jobs1([str(EXAMPLES)])
    found = list(validate_many([str(EXAMPLES)], client, ordered=True))
    assert _seen(found) == _seen(expected)


@pytest.mark.parametrize(("batch_files", "batch_bytes"), [(1, 1), (64, 1 << 20), (7, 4096)])
def test_generated_set_with_hostile_inputs_same_report(
    client: Any, mixed: Path, batch_files: int, batch_bytes: int
) -> None:
    expected = _jobs1([str(mixed)])
    assert any(r.codes() == ["xml.entity-forbidden"] for r in expected)  # hostile ones are in
    assert any("io.unreadable" in r.codes() for r in expected)  # and the broken link
    found = list(
        validate_many(
            [str(mixed)], client, ordered=True, batch_files=batch_files, batch_bytes=batch_bytes
        )
    )
    assert _seen(found) == _seen(expected)


def test_as_they_finish_the_same_reports(client: Any, mixed: Path) -> None:
    expected = _jobs1([str(mixed)])
    finished: list[int] = []
    found = list(
        validate_many([str(mixed)], client, batch_files=3, window=2, progress=finished.append)
    )
    assert sorted(_seen(found)) == sorted(_seen(expected))
    assert sum(finished) == sum(1 for i in expand([str(mixed)]) if isinstance(i, str))


def test_exclude_and_several_paths_as_the_command_walks_them(client: Any, mixed: Path) -> None:
    paths = [str(mixed / "epay"), str(mixed / "hostile" / "empty.xml"), str(mixed / "gone")]
    items = expand(paths, ["invalid"])
    files = [i for i in items if isinstance(i, str)]
    done = iter(validate_paths(files, make_options()))
    expected = [next(done) if isinstance(i, str) else i for i in items]
    found = list(validate_many(paths, client, exclude=["invalid"], ordered=True))
    assert _seen(found) == _seen(expected)


def test_file_urls_validate_as_the_local_files(client: Any, mixed: Path) -> None:
    folder = mixed / "hostile"
    expected = _jobs1([str(folder)])
    url = folder.as_uri()
    found = list(validate_many([url], client, ordered=True))

    def local(name: str | None) -> str | None:
        if name is None or not name.startswith("file://"):
            return name
        return str(folder / name[len(url) + 1 :]).replace("%20", " ")

    assert [r.source for r in found] == [url + "/" + Path(r.source or "").name for r in expected]
    assert _seen(found, _unquote(local)) == _seen(expected)


def _unquote(rename: Any) -> Any:
    from urllib.parse import unquote

    return lambda name: rename(unquote(name)) if name else name


@pytest.fixture
def memory_set(mixed: Path) -> Iterator[tuple[str, Path]]:
    """The hostile and e-Pay files copied to fsspec's memory file system."""
    import fsspec

    fs = fsspec.filesystem("memory")
    base = f"/bulk-{uuid.uuid4().hex}"
    for folder in ("hostile", "epay"):
        for path in sorted((mixed / folder).rglob("*")):
            if path.is_file():
                fs.pipe(f"{base}/{path.relative_to(mixed).as_posix()}", path.read_bytes())
    yield f"memory://{base}", mixed
    fs.rm(base, recursive=True)


def test_memory_urls_validate_as_the_same_bytes_on_disk(
    client: Any, memory_set: tuple[str, Path]
) -> None:
    url, mixed = memory_set
    expected = _jobs1([str(mixed / "epay"), str(mixed / "hostile")])
    found = list(validate_many([url], client, ordered=True))
    shown = {str(mixed / "epay"): "/epay", str(mixed / "hostile"): "/hostile"}

    def local(name: str | None) -> str | None:
        if name is None:
            return name
        for folder, part in shown.items():
            if name.startswith(folder):
                return url + part + name[len(folder) :]
        return name

    assert len(found) == len(expected)
    assert sorted(_seen(found)) == sorted(_seen(expected, local))


def test_a_missing_url_is_an_unreadable_report(client: Any) -> None:
    found = list(validate_many(["memory://no-such-folder/x.xml"], client))
    assert [r.codes() for r in found] == [["io.unreadable"]]


# --- the command line ---------------------------------------------------------------

_STAMPS = re.compile(r'(timestamp="[^"]*"|"(start|end)TimeUtc": "[^"]*")')


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif", "jsonl"])
def test_cli_cluster_gives_the_same_report_as_jobs_1(fmt: str) -> None:
    runner = CliRunner()
    plain = runner.invoke(cli, ["validate", "--format", fmt, str(EXAMPLES)])
    spread = runner.invoke(
        cli, ["validate", "--cluster", "local:2:threads", "--format", fmt, str(EXAMPLES)]
    )
    assert spread.exit_code == plain.exit_code == 1, spread.output
    assert _STAMPS.sub("", spread.stdout) == _STAMPS.sub("", plain.stdout)
    assert spread.stderr == plain.stderr


def test_cli_cluster_of_processes_writes_the_file_report(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    folder = str(EXAMPLES / "epay")
    runner = CliRunner()
    spread = runner.invoke(cli, ["validate", "--cluster", "local:2", "-o", str(target), folder])
    plain = runner.invoke(cli, ["validate", "-o", str(tmp_path / "plain.sarif"), folder])
    assert spread.exit_code == plain.exit_code == 1
    assert _STAMPS.sub("", target.read_text()) == _STAMPS.sub(
        "", (tmp_path / "plain.sarif").read_text()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cluster", "local:0"], "at least one worker"),
        (["--cluster", "local:x"], "needs a number"),
        (["--cluster", "local:1", "--jobs", "2"], "do not go together"),
        (["--cross-document"], "needs --cluster"),
    ],
)
def test_cli_cluster_usage_errors(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["validate", *args, str(EXAMPLES / "epay")])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_cluster_empty_folder_is_refused_as_without(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", "--cluster", "local:1:threads", str(tmp_path)])
    assert result.exit_code == 2
    assert "no document in" in result.stderr
