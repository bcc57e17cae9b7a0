"""The CLI's promise on hostile ground: never a traceback, bounded time and memory.

Each class of failure from the "Trust" issue: empty and unreadable folders, paths that
are not regular files, endless standard input, closed or full standard streams, report
files that cannot be written or would overwrite a document, file names and messages no
report format can hold as they are, ``--jobs`` and workers that crash. Most tests run
the real CLI in a subprocess, with a timeout and (where a read could run away) a cap
on its address space, so that a regression fails instead of hanging the machine.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards.cli import cli
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.validation import formats

REPO = Path(__file__).resolve().parents[2]
EPAY = REPO / "examples" / "epay"
VALID = EPAY / "valid" / "payment-request.xml"
INVALID = EPAY / "invalid" / "request-total-mismatch.xml"
HOOK = Path(__file__).resolve().parent / "crashhook"
TIMEOUT = 120
#: Address-space cap of every run, so that a read without end (the CLI once read a link
#: to /dev/zero at 190 MB/s) fails the test instead of the machine; runs need far less.
MEMORY_CAP = 1536 * 1024 * 1024

resource = pytest.importorskip("resource", reason="POSIX processes, streams and files")


@dataclass
class Run:
    code: int
    out: bytes
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")

    def error_line(self) -> str:
        """Return the run's one ``Error:`` line, checking there is no traceback."""
        assert "Traceback" not in self.err, self.err
        assert "Exception ignored" not in self.err, self.err
        errors = [line for line in self.err.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1, self.err
        return errors[0]


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def lgs(
    *args: str | bytes | Path,
    stdin: Any = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
    cwd: Path | None = None,
    user: int | None = None,
) -> Run:
    """Run ``python -m lgstandards ARGS`` in a subprocess and return what it did."""

    def prepare() -> None:
        _cap_memory()
        if before is not None:
            before()

    command = [sys.executable, "-m", "lgstandards", *(os.fsencode(a) for a in args)]
    started = time.monotonic()
    result = subprocess.run(
        command,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        preexec_fn=prepare,
        cwd=cwd,
        user=user,
        timeout=TIMEOUT,
        check=False,
    )
    return Run(
        result.returncode,
        result.stdout or b"",
        result.stderr.decode("utf-8", "backslashreplace"),
        time.monotonic() - started,
    )


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- empty and unreadable folders ------------------------------------------------------


def test_a_folder_without_documents_exits_2_unless_allowed(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "README.txt").write_text("not a document", encoding="utf-8")
    for paths in ([empty], [notes], [VALID, empty]):
        code, out, err = invoke("validate", *map(str, paths))
        assert code == 2, err
        assert out == ""
        assert [line for line in err.splitlines() if line.startswith("Error: ")] == [err.strip()]
        assert "no document in" in err
        assert "--allow-empty" in err
    assert invoke("validate", "--allow-empty", str(empty))[0] == 0
    assert invoke("validate", "--allow-empty", str(VALID), str(empty), str(notes))[0] == 0
    assert invoke("validate", "--allow-empty", str(INVALID), str(empty))[0] == 1


def _world_readable_tree() -> Path:
    top = Path(tempfile.mkdtemp(prefix="lgs-unreadable-"))
    top.chmod(0o755)
    shutil.copy(VALID, top / "good.xml")
    (top / "good.xml").chmod(0o644)
    for name in ("locked", "sub"):
        (top / name).mkdir()
    shutil.copy(INVALID, top / "sub" / "bad.xml")
    (top / "sub").chmod(0o755)
    (top / "sub" / "bad.xml").chmod(0o644)
    shutil.copy(VALID, top / "locked" / "hidden.xml")
    (top / "locked").chmod(0)
    return top


def test_an_unreadable_folder_is_an_issue_not_a_silent_pass() -> None:
    """A folder that cannot be listed (as an argument or inside one) is io.unreadable."""
    user = None
    if os.geteuid() == 0:  # root reads any folder: run the CLI as nobody
        user = 65534
        probe = subprocess.run(
            [sys.executable, "-c", "import lgstandards.cli"], user=user, check=False
        )
        if probe.returncode != 0:
            pytest.skip("the user nobody cannot run this checkout's Python")
    top = _world_readable_tree()
    try:
        run = lgs("validate", "--format", "json", top, top / "locked", user=user, cwd=top)
        assert run.code == 2, run.err
        assert "Traceback" not in run.err
        documents = json.loads(run.out)["documents"]
        sources = [d["source"] for d in documents]
        locked = str(top / "locked")
        assert sources == [str(top / "good.xml"), locked, str(top / "sub" / "bad.xml"), locked]
        assert [d["valid"] for d in documents] == [True, False, False, False]
        for document in (documents[1], documents[3]):
            (issue,) = document["issues"]
            assert issue["code"] == "io.unreadable"
            assert "Permission denied" in issue["message"]
    finally:
        (top / "locked").chmod(0o755)
        shutil.rmtree(top)


def test_a_folder_listing_error_is_reported_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same, at any privilege: listing a sub-folder fails (as it does without access)."""
    shutil.copy(VALID, tmp_path / "a.xml")
    (tmp_path / "b").mkdir()
    shutil.copy(VALID, tmp_path / "b" / "inside.xml")
    shutil.copy(INVALID, tmp_path / "c.xml")
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(tmp_path / "b"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 2, result.output
    documents = json.loads(result.stdout)["documents"]
    assert [Path(d["source"]).name for d in documents] == ["a.xml", "c.xml", "b"]
    assert documents[2]["issues"][0]["code"] == "io.unreadable"
    assert "Permission denied" in documents[2]["issues"][0]["message"]


# --- paths that are not regular files ---------------------------------------------------


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    server.close()  # the socket file stays


def _link_to(target: str) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.symlink_to(target)

    return make


def _link_to_fifo(path: Path) -> None:
    os.mkfifo(path.with_suffix(".pipe"))
    path.symlink_to(path.with_suffix(".pipe"))


def _loop(path: Path) -> None:
    path.symlink_to(path)


NOT_REGULAR = {
    "fifo": (_fifo, "FIFO"),
    "socket": (_socket, "socket"),
    "link to /dev/zero": (_link_to("/dev/zero"), "character device"),
    "link to /dev/urandom": (_link_to("/dev/urandom"), "character device"),
    "link to a fifo": (_link_to_fifo, "FIFO"),
    "broken link": (_link_to("/nonexistent/nowhere.xml"), "no such file"),
    "link loop": (_loop, "symbolic links"),
}


@pytest.mark.parametrize("case", sorted(NOT_REGULAR))
@pytest.mark.parametrize("where", ["in a folder", "as an argument"])
def test_paths_that_are_not_regular_files_are_reported_never_opened(
    case: str, where: str, tmp_path: Path
) -> None:
    make, why = NOT_REGULAR[case]
    shutil.copy(INVALID, tmp_path / "a-invalid.xml")
    make(tmp_path / "odd.xml")
    shutil.copy(VALID, tmp_path / "z-valid.xml")
    args = [tmp_path] if where == "in a folder" else sorted(tmp_path.glob("*.xml"))
    run = lgs("validate", "--format", "json", *args)
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    documents = {Path(d["source"]).name: d for d in json.loads(run.out)["documents"]}
    assert sorted(documents) == ["a-invalid.xml", "odd.xml", "z-valid.xml"]
    (issue,) = documents["odd.xml"]["issues"]
    assert issue["code"] == "io.unreadable"
    assert why in issue["message"]
    assert documents["a-invalid.xml"]["valid"] is False
    assert documents["z-valid.xml"]["valid"] is True


# --- standard input ---------------------------------------------------------------------


@pytest.fixture
def endless_pipe() -> Iterator[Any]:
    writer = subprocess.Popen(["yes", "<a>"], stdout=subprocess.PIPE)
    assert writer.stdout is not None
    yield writer.stdout
    writer.kill()
    writer.wait()
    writer.stdout.close()


def test_endless_standard_input_stops_at_max_bytes(endless_pipe: Any) -> None:
    with open("/dev/zero", "rb") as zeros:
        for source in (zeros, endless_pipe):
            run = lgs("validate", "--max-bytes", "100000", "-", stdin=source)
            assert run.code == 1, run.err
            assert run.text.startswith("<stdin>: error xml.too-large"), run.text
            assert run.seconds < 60
        # the default limit (256 MiB) holds too, inside the memory cap
        run = lgs("validate", "-", stdin=zeros)
        assert run.code == 1, run.err
        assert "xml.too-large" in run.text


def test_closed_standard_input_is_an_unreadable_document() -> None:
    run = lgs("validate", "-", str(VALID), before=lambda: os.close(0))
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    assert run.text.startswith("<stdin>: error io.unreadable"), run.text
    assert "standard input is closed" in run.text
    assert "1 valid" in run.err  # the other document was still validated


# --- standard output closed, full or gone -----------------------------------------------

#: Commands that write to standard output (the invalid document has a finding to print).
WRITERS = [
    ("validate", str(INVALID)),
    ("validate", "--format", "json", str(VALID)),
    ("validate", "--format", "junit", str(INVALID)),
    ("validate", "--format", "sarif", str(INVALID)),
    ("vocab", "list"),
    ("vocab", "show", "lgsl", "57"),
    ("vocab", "export", "lgil", "--format", "csv"),
    ("vocab", "check", "lgil", "--format", "json"),
    ("conformance", "list"),
    ("info",),
    ("--help",),
]


@pytest.mark.parametrize("args", [*WRITERS, ("validate", str(VALID))], ids=" ".join)
def test_closed_standard_output_is_one_line_error(args: Sequence[str]) -> None:
    run = lgs(*args, stdout=subprocess.DEVNULL, before=lambda: os.close(1))
    assert run.code == 2, run.err
    assert "closed" in run.error_line()


@pytest.mark.parametrize("args", WRITERS, ids=" ".join)
def test_full_standard_output_is_one_line_error(args: Sequence[str]) -> None:
    with open("/dev/full", "wb") as full:
        run = lgs(*args, stdout=full)
    assert run.code == 2, run.err
    assert "No space left on device" in run.error_line()


@pytest.mark.parametrize("args", WRITERS[:5], ids=" ".join)
def test_standard_output_closed_by_its_reader_is_one_line_error(args: Sequence[str]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read: every write fails with EPIPE
    try:
        run = lgs(*args, stdout=writer)
    finally:
        os.close(writer)
    assert run.code == 2, run.err
    assert "Broken pipe" in run.error_line()


def test_with_a_report_file_a_closed_standard_output_does_not_matter(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    run = lgs("validate", "--format", "json", "-o", target, VALID, before=lambda: os.close(1))
    assert run.code == 0, run.err
    assert json.loads(target.read_text("utf-8"))["valid"] is True


# --- report files -----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["missing folder", "file as folder", "folder"])
def test_an_unwritable_report_file_fails_before_any_work(where: str, tmp_path: Path) -> None:
    """The report path is checked first: the run never reads its (endless) input."""
    shutil.copy(VALID, tmp_path / "doc.xml")
    target = {
        "missing folder": tmp_path / "no" / "such" / "report.json",
        "file as folder": tmp_path / "doc.xml" / "report.json",
        "folder": tmp_path,
    }[where]
    reader, writer = os.pipe()  # standard input that never ends nor closes
    try:
        run = lgs("validate", "-o", target, "-", stdin=reader)
    finally:
        os.close(reader)
        os.close(writer)
    assert run.code == 2, run.err
    line = run.error_line() if where != "folder" else run.err
    assert str(target) in line or "directory" in line
    assert run.out == b""
    assert (tmp_path / "doc.xml").read_bytes() == VALID.read_bytes()


def _refusal_cases(tmp_path: Path) -> dict[str, tuple[list[str], Path]]:
    doc = tmp_path / "doc.xml"
    shutil.copy(INVALID, doc)
    (tmp_path / "hard.xml").hardlink_to(doc)
    (tmp_path / "soft.xml").symlink_to(doc)
    return {
        "same path": ([str(doc)], doc),
        "another spelling": (
            [f"{tmp_path}/./doc.xml"],
            tmp_path / ".." / tmp_path.name / "doc.xml",
        ),
        "hard link": ([str(doc)], tmp_path / "hard.xml"),
        "symbolic link": ([str(tmp_path / "soft.xml")], doc),
        "inside a folder": ([str(VALID), str(tmp_path)], doc),
    }


@pytest.mark.parametrize(
    "case", ["same path", "another spelling", "hard link", "symbolic link", "inside a folder"]
)
def test_a_report_onto_a_document_is_refused(case: str, tmp_path: Path) -> None:
    inputs, output = _refusal_cases(tmp_path)[case]
    code, out, err = invoke("validate", "--format", "json", "-o", str(output), *inputs)
    assert code == 2
    assert out == ""
    assert err.startswith("Error: the report")
    assert "would overwrite the document" in err
    assert (tmp_path / "doc.xml").read_bytes() == INVALID.read_bytes()


def test_a_report_onto_standard_input_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "doc.xml"
    shutil.copy(INVALID, doc)
    with open(doc, "rb") as stdin:
        run = lgs("validate", "-o", doc, "-", stdin=stdin)
    assert run.code == 2
    assert "would overwrite the document standard input" in run.error_line()
    assert doc.read_bytes() == INVALID.read_bytes()


def test_a_report_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("\u00a7" * 100_000, encoding="utf-8")  # longer than the new report
    code, _, _ = invoke("validate", "-o", str(target), str(INVALID))
    assert code == 1
    assert "\u00a7" not in target.read_text("utf-8")
    assert target.read_text("utf-8").startswith(str(INVALID))


# --- file names and messages no format can hold as they are -----------------------------

#: A file name's bytes: its state, its one-line form (text, JUnit), its JSON form, its URI.
ODD_NAMES = {
    b"ok\x01.xml": ("valid", "ok\\x01.xml", "ok\x01.xml", "ok%01.xml"),
    b"esc\x1b[31m.xml": ("valid", "esc\\x1b[31m.xml", "esc\x1b[31m.xml", "esc%1B%5B31m.xml"),
    b"bad\xff.xml": ("invalid", "bad\\xff.xml", "bad\\xff.xml", "bad%FF.xml"),
    b"new\nline.xml": ("invalid", "new\\x0aline.xml", "new\nline.xml", "new%0Aline.xml"),
    b"tab\t.xml": ("invalid", "tab\\x09.xml", "tab\t.xml", "tab%09.xml"),
    "gw\u0175r\u2028.xml".encode(): (
        "invalid",
        "gw\u0175r\\u2028.xml",
        "gw\u0175r\u2028.xml",
        "gw%C5%B5r%E2%80%A8.xml",
    ),
}


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    for name, (state, *_) in ODD_NAMES.items():
        source = VALID if state == "valid" else INVALID
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as out:
            out.write(source.read_bytes())
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "sarif"])
def test_every_format_holds_any_file_name(fmt: str, odd_folder: Path) -> None:
    run = lgs("validate", "--format", fmt, ".", cwd=odd_folder)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    text = run.out.decode("utf-8")  # strict: the output is UTF-8
    shown = {f"./{v[1]}" for v in ODD_NAMES.values()}
    invalid = {f"./{v[1]}" for v in ODD_NAMES.values() if v[0] == "invalid"}
    if fmt == "text":  # one line per issue (the invalid examples have one each)
        assert not any(c in text for c in "\x00\x01\x1b\t\r\u2028")
        lines = text.splitlines()
        assert len(lines) == len(invalid)
        assert {line.split(":", 1)[0] for line in lines} == invalid
    elif fmt == "json":
        names = {d["source"] for d in json.loads(text)["documents"]}
        assert names == {f"./{v[2]}" for v in ODD_NAMES.values()}
    elif fmt == "junit":
        from lxml import etree

        root = etree.fromstring(run.out)
        cases = {c.get("name"): c for c in root.iter("testcase")}
        assert set(cases) == shown
        assert {n for n, c in cases.items() if c.find("failure") is not None} == invalid
        assert root.find("testsuite").get("failures") == str(len(invalid))
    else:
        log = json.loads(text)
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in log["runs"][0]["results"]
        }
        assert uris == {v[3] for v in ODD_NAMES.values() if v[0] == "invalid"}


@pytest.mark.parametrize("fmt", ["junit", "json", "sarif", "text"])
def test_a_valid_file_with_a_control_character_in_its_name_passes(fmt: str, tmp_path: Path) -> None:
    name = tmp_path / "ok\x01.xml"
    shutil.copy(VALID, name)
    target = tmp_path / "report.out"
    code, _, err = invoke("validate", "--format", fmt, "-o", str(target), str(name))
    assert code == 0, err
    if fmt == "junit":
        from lxml import etree

        (case,) = etree.parse(str(target)).getroot().iter("testcase")
        assert case.get("name") == str(tmp_path / "ok\\x01.xml")


_ODD_CHARACTERS = "\x00\x01\n\r\t\x1b\x7f\x85\u2028\ufffe\uffff\ud800\udcff"
_ANY_TEXT = st.text(
    st.characters(codec=None, exclude_categories=()) | st.sampled_from(_ODD_CHARACTERS),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(
    names=st.lists(_ANY_TEXT, min_size=1, max_size=4),
    message=_ANY_TEXT,
    path=st.none() | _ANY_TEXT,
    detail=st.none() | _ANY_TEXT,
    severity=st.sampled_from(list(Severity)),
    code=st.sampled_from(["xml.not-well-formed", "io.unreadable", "rule.EPAY-R001"]) | _ANY_TEXT,
)
def test_reports_are_well_formed_for_any_text(
    names: list[str],
    message: str,
    path: str | None,
    detail: str | None,
    severity: Severity,
    code: str,
) -> None:
    """Any name, message or path (controls, lone surrogates, non-characters) in any format."""
    from lxml import etree

    reports = []
    for name in names:
        report = ValidationReport(source=name, kind=message or None)
        report.add(Issue(code, severity, message, message, source=name, path=path, detail=detail))
        reports.append(report)
    rendered = {}
    for fmt in formats.FORMATS:
        out = io.StringIO()
        formats.write(reports, out, fmt=fmt)
        rendered[fmt] = out.getvalue()
        rendered[fmt].encode("utf-8")  # no lone surrogate left
    assert len(rendered["text"].splitlines()) == len(reports)
    root = etree.fromstring(rendered["junit"].encode("utf-8"))
    assert len(root.findall("testsuite/testcase")) == len(reports)
    data = json.loads(rendered["json"])
    assert [d["source"] for d in data["documents"]] == [formats.json_safe(n) for n in names]
    sarif = json.loads(rendered["sarif"])
    assert len(sarif["runs"][0]["results"]) == len(reports)


# --- --jobs and crashing workers --------------------------------------------------------


def _forks(tmp_path: Path, *args: str | Path) -> tuple[Run, int]:
    log = tmp_path / "forks.log"
    log.unlink(missing_ok=True)
    run = lgs(
        *args,
        env={"PYTHONPATH": str(HOOK), "LGSTANDARDS_TEST_FORKS": str(log)},
    )
    count = len(log.read_text("ascii").split()) if log.exists() else 0
    return run, count


@pytest.mark.skipif(
    multiprocessing.get_start_method() != "fork",
    reason="processes are counted at fork",
)
def test_jobs_never_start_more_processes_than_files(tmp_path: Path) -> None:
    run, forks = _forks(tmp_path, "validate", "--jobs", "4", VALID)
    assert (run.code, forks) == (0, 0)  # one file: no pool at all
    run, forks = _forks(tmp_path, "validate", "--jobs", "4", VALID, INVALID)
    assert run.code == 1
    assert 1 <= forks <= 2
    run, forks = _forks(tmp_path, "validate", "--jobs", "2", EPAY)
    assert run.code == 1
    assert forks == 2


def _crash_folder(tmp_path: Path, files: int, crashes: Sequence[int]) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    sources = sorted((EPAY / "valid").glob("*.xml")) + sorted((EPAY / "invalid").glob("*.xml"))
    for n in range(files):
        tag = "crash" if n in crashes else "doc"
        shutil.copy(sources[n % len(sources)], folder / f"{n:02d}-{tag}.xml")
    return folder


CRASHES = {
    "segfault": "signal 11, SIGSEGV",
    "kill": "signal 9, SIGKILL",
    "exit": "exit status 3",
    "raise": "RuntimeError: crash hook",
}


@pytest.mark.parametrize(
    ("mode", "files", "crashes", "jobs"),
    [
        ("segfault", 3, [1], 2),
        ("segfault", 40, [0, 17, 18, 39], 2),  # chunks of 5: crashes at both ends, twice in one
        ("kill", 20, [7], 3),
        ("exit", 20, [3, 12], 2),
        ("raise", 20, [3, 12], 2),
        ("raise", 4, [2], 1),
    ],
)
def test_a_crash_costs_only_its_document(
    mode: str, files: int, crashes: list[int], jobs: int, tmp_path: Path
) -> None:
    folder = _crash_folder(tmp_path, files, crashes)
    expected = json.loads(lgs("validate", "--format", "json", folder).out)["documents"]
    run = lgs(
        "validate",
        "--format",
        "json",
        "--jobs",
        str(jobs),
        folder,
        env={"PYTHONPATH": str(HOOK), "LGSTANDARDS_TEST_CRASH": f"{mode}:-crash."},
    )
    assert run.code == 1, run.err
    assert "Traceback" not in run.err
    assert "BrokenProcessPool" not in run.err
    documents = json.loads(run.out)["documents"]
    assert [d["source"] for d in documents] == [d["source"] for d in expected]
    for n, (got, want) in enumerate(zip(documents, expected, strict=True)):
        if n in crashes:
            (issue,) = got["issues"]
            assert issue["code"] == "xml.check-failed"
            assert CRASHES[mode] in (issue["detail"] or ""), issue
        else:
            assert got == want


# --- errors of the library ---------------------------------------------------------------


def _vocabularies_with(tmp_path: Path, manifest: str) -> Path:
    root = tmp_path / "vocabularies"
    shutil.copytree(REPO / "vocabularies", root)
    (manifest_file,) = root.glob("lgsl/*/manifest.json")
    manifest_file.write_text(manifest, encoding="utf-8")
    return root


_WITH_ROOT = """
import sys
from pathlib import Path
import lgstandards._resources as resources
real = resources.data_root
resources.data_root = lambda kind: Path(sys.argv[1]) if kind == "vocabularies" else real(kind)
from lgstandards.cli import main
main(sys.argv[2:])
"""


@pytest.mark.parametrize("manifest", ['{"list": "lgsl", "vers', "{}", "[1, 2]", "\xff"])
def test_a_malformed_release_manifest_is_one_line_error(manifest: str, tmp_path: Path) -> None:
    root = _vocabularies_with(tmp_path, manifest)
    result = subprocess.run(
        [sys.executable, "-c", _WITH_ROOT, str(root), "vocab", "list"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    run = Run(result.returncode, result.stdout.encode(), result.stderr, 0)
    assert run.code == 2, run.err
    run.error_line()


def test_an_unexpected_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise KeyError("a bug")

    monkeypatch.setattr(formats, "summary_line", broken)
    code, _, err = invoke("validate", str(VALID))
    assert code == 2
    assert err.startswith("Error: internal error (KeyError: 'a bug')")
    assert len(err.splitlines()) == 1


def test_a_layer_that_raises_is_an_issue(monkeypatch: pytest.MonkeyPatch) -> None:
    from lgstandards.validation import batch

    def run(*args: object, **kwargs: object) -> ValidationReport:
        raise ZeroDivisionError("a bug in a layer")

    monkeypatch.setattr(batch, "run", run)
    code, out, err = invoke("validate", str(VALID), "-")
    assert code == 1, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert all("xml.check-failed the validation step failed" in line for line in lines)
    assert "Traceback" not in err


@pytest.mark.parametrize("name", ["\ud800", "a\udfff.xml", "ok\udcff.xml", "x\x01.xml"])
def test_sarif_locates_any_file_name(name: str) -> None:
    from lgstandards.report import Issue, Severity, ValidationReport

    report = ValidationReport(source=name)
    report.extend([Issue("xml.not-well-formed", Severity.ERROR, "m", "m", source=name, line=1)])
    log = formats.to_sarif([report])
    text = json.dumps(log, ensure_ascii=True)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].isascii()
    assert json.loads(text) == log


@pytest.mark.parametrize("case", ["fifo", "socket", "link to /dev/zero", "link to a fifo"])
@pytest.mark.parametrize("command", [("vocab", "check"), ("vocab", "diff")])
def test_vocabulary_files_that_are_not_regular_are_named_never_read(
    case: str, command: tuple[str, ...], tmp_path: Path
) -> None:
    make, _why = NOT_REGULAR[case]
    odd = tmp_path / "odd.ttl"
    make(odd)
    args = [*command, str(odd)] if command[1] == "check" else [*command, str(odd), str(odd)]
    run = lgs(*args)
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    assert f"not a regular file: {odd}" in run.err
    gone = str(tmp_path / "gone.ttl")
    missing = lgs(*args[:2], *([gone] if command[1] == "check" else [gone, gone]))
    assert missing.code == 2
    assert "no such file" in missing.err
