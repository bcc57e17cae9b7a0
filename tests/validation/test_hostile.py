"""Hostile inputs: each refused with its own code, nothing fetched, nothing leaked, fast."""

from __future__ import annotations

import http.server
import io
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_cases import LIMIT_CASES, cases

from lgstandards.safexml import Limits
from lgstandards.validation import formats, validate

SECRET = "TOP-SECRET-do-not-leak-4f1d"


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - shared by the handler instances

    def do_GET(self) -> None:
        _Recorder.hits.append(self.path)
        body = f"<!ENTITY leak '{SECRET}'>".encode()
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def listener() -> Iterator[tuple[str, list[str]]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Recorder.hits = []
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


def _all_outputs(report: object) -> str:
    reports = [report]
    out = []
    for fmt in formats.FORMATS:
        buffer = io.StringIO()
        formats.write(reports, buffer, fmt=fmt)  # type: ignore[arg-type]
        out.append(buffer.getvalue())
    return "\n".join(out)


CASE_NAMES = sorted(cases("/x", "http://127.0.0.1:1"))


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_input_is_refused_with_its_code(
    name: str, listener: tuple[str, list[str]], secret_file: Path
) -> None:
    url, hits = listener
    document, code = cases(str(secret_file), url)[name]
    report = validate(document, kind=None)
    assert code in report.codes(), report.codes()
    if code == "xml.external-reference":
        assert report.issues[0].severity.value == "warning"
    else:
        assert not report.ok
        assert report.codes()[0] == code
    assert SECRET not in _all_outputs(report)
    assert hits == [], f"the validator connected to the listener: {hits}"


@pytest.mark.parametrize("name", sorted(LIMIT_CASES))
def test_limits_are_enforced(name: str) -> None:
    make, limits, code = LIMIT_CASES[name]
    report = validate(make(), limits=Limits(**limits))
    assert report.codes() == [code]


def test_limits_can_be_raised_for_trusted_input() -> None:
    deep = b"<a>" * 400 + b"</a>" * 400
    assert validate(deep).codes() == ["xml.too-deep"]
    raised = validate(deep, limits=Limits(max_depth=1000))
    assert "xml.too-deep" not in raised.codes()


def test_hostile_files_from_disk_are_each_refused_and_the_batch_goes_on(
    tmp_path: Path, listener: tuple[str, list[str]], secret_file: Path
) -> None:
    from click.testing import CliRunner

    from lgstandards.cli import cli

    url, hits = listener
    for name, (document, _) in cases(str(secret_file), url).items():
        (tmp_path / f"{name}.xml").write_bytes(document)
    result = CliRunner().invoke(cli, ["validate", "--format", "json", str(tmp_path)])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["summary"]["documents"] == len(CASE_NAMES)
    assert SECRET not in result.output
    assert hits == []


SCRIPT = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from peak_memory import peak_kb
from hostile_cases import cases
from lgstandards.validation import validate
times = {}
for name, (doc, code) in cases(sys.argv[2], "http://127.0.0.1:9").items():
    start = time.perf_counter()
    report = validate(doc)
    times[name] = time.perf_counter() - start
    assert code in report.codes(), (name, report.codes())
print(json.dumps({"times": times, "maxrss_kb": peak_kb()}))
"""


def test_each_hostile_input_is_fast_and_small(secret_file: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(Path(__file__).parent), str(secret_file)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    measured = json.loads(result.stdout)
    slow = {k: v for k, v in measured["times"].items() if v >= 2.0}
    assert not slow, slow
    assert measured["maxrss_kb"] < 200 * 1024, measured["maxrss_kb"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_hostile_input_is_refused_while_streaming(
    name: str, listener: tuple[str, list[str]], secret_file: Path
) -> None:
    url, hits = listener
    document, code = cases(str(secret_file), url)[name]
    report = validate(document, streaming=True, kind="test.batch")
    if code.startswith("xml.external-reference"):
        assert code in report.codes()
    else:
        assert report.codes() == [code]
    assert SECRET not in _all_outputs(report)
    assert hits == []
