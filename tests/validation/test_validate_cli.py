"""``lgstandards validate``: paths, folders, stdin, formats, jobs and exit codes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests_validate_support import FIXTURES, batch_xml

from lgstandards.cli import cli

REPO = Path(__file__).resolve().parents[2]
CATALOGUES = REPO / "examples" / "catalogues"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validate", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_valid_files_exit_0() -> None:
    code, out, err = run(str(FIXTURES / "batch-valid.xml"), str(CATALOGUES / "valid"))
    assert code == 0
    assert "vocab.unofficial-code" in out  # a warning is printed but the run passes
    assert "0 invalid" in err


def test_invalid_file_exits_1_and_prints_one_line_per_issue() -> None:
    code, out, _ = run(str(FIXTURES / "batch-invalid.xml"))
    assert code == 1
    lines = out.splitlines()
    from lgstandards.validation import validate

    assert len(lines) == len(validate(FIXTURES / "batch-invalid.xml")) > 10
    assert all(line.startswith(str(FIXTURES / "batch-invalid.xml") + ":") for line in lines)


def test_unreadable_file_exits_2_and_others_are_still_validated() -> None:
    code, out, _ = run("no-such-file.xml", str(FIXTURES / "batch-invalid.xml"))
    assert code == 2
    assert "io.unreadable" in out
    assert "xsd.pattern" in out


def test_usage_errors_exit_2() -> None:
    assert run("--kind", "nope", "x.xml")[0] == 2
    assert run("--as-of", "yesterday", "x.xml")[0] == 2
    assert run("--format", "yaml", "x.xml")[0] == 2
    assert run()[0] == 2


def test_stdin() -> None:
    code, out, _ = run("-", stdin=b"<unclosed>")
    assert code == 1
    assert out.startswith("<stdin>:")
    code, _, _ = run("-", stdin=batch_xml(3))  # the profile's kind, found by its root
    assert code == 0
    request = (REPO / "examples" / "epay" / "valid" / "payment-request.xml").read_bytes()
    code, _, _ = run("-", "--kind", "epay.payment-request", stdin=request)
    assert code == 0
    code, out, _ = run("-", "--kind", "ebenefits.claim", stdin=request)
    assert code == 1
    assert "xsd." in out


def test_output_file_and_welsh_json(tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    code, out, _ = run(
        "--format", "json", "--lang", "cy", "-o", str(target), str(FIXTURES / "batch-invalid.xml")
    )
    assert code == 1
    assert out == ""
    data = json.loads(target.read_text("utf-8"))
    assert data["lang"] == "cy"
    assert data["documents"][0]["issues"][0]["message_cy"]


@pytest.mark.parametrize("fmt", ["junit", "sarif"])
def test_ci_formats(fmt: str) -> None:
    code, out, _ = run("--format", fmt, str(FIXTURES))
    assert code == 1
    assert out.strip()


def test_jobs_give_the_same_reports(tmp_path: Path) -> None:
    for n in range(12):
        (tmp_path / f"b{n:02d}.xml").write_bytes(batch_xml(3, bad_every=2 if n % 3 == 0 else 0))
    one = run("--format", "json", str(tmp_path))
    two = run("--format", "json", "--jobs", "2", str(tmp_path))
    assert one[0] == two[0] == 1
    first, second = json.loads(one[1]), json.loads(two[1])
    assert first["documents"] == second["documents"]
    assert first["summary"]["invalid"] == 4


def test_limits_options() -> None:
    code, out, _ = run("--max-bytes", "100", str(FIXTURES / "batch-valid.xml"))
    assert code == 1
    assert "xml.too-large" in out
    code, out, _ = run("--max-depth", "2", str(FIXTURES / "batch-valid.xml"))
    assert "xml.too-deep" in out


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0
    assert "Example: lgstandards validate" in result.output


# --- progress: on a terminal only --------------------------------------------------------


def _big_batch(tmp_path: Path) -> Path:
    from epay_batches import batch_file

    from lgstandards.cli._progress import PROGRESS_BYTES

    path = batch_file(tmp_path / "big.xml", 30_000)
    assert path.stat().st_size > PROGRESS_BYTES
    return path


def _run_with_stderr(args: list[str], stderr: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lgstandards", *args],
        stdout=subprocess.PIPE,
        stderr=stderr,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs /proc")
def test_read_offset_is_how_far_a_file_was_read(tmp_path: Path) -> None:
    from lgstandards.cli._progress import read_offset

    path = tmp_path / "data.xml"
    path.write_bytes(b"x" * 10_000)
    assert read_offset(str(path)) is None  # not open
    with open(path, "rb", buffering=0) as handle:
        handle.read(1234)
        assert read_offset(str(path)) == 1234
        handle.read()
        assert read_offset(str(path)) == 10_000


@pytest.mark.skipif(sys.platform != "linux", reason="pseudo-terminals and /proc")
def test_a_big_streaming_file_shows_bytes_and_rate_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import threading

    big = _big_batch(tmp_path)
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process = _run_with_stderr(["validate", "--streaming", str(big)], slave)
        out, _ = process.communicate(timeout=300)
    finally:
        os.close(slave)
    reader.join(timeout=10)
    os.close(master)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert process.returncode == 0, screen
    assert out == b""  # the report (no issue) is untouched by the progress display
    assert "Validating" in screen
    shown = [(float(a), float(b)) for a, b in re.findall(r"([\d.]+)/([\d.]+) MB", screen)]
    assert any(0 < done < total for done, total in shown), shown  # bytes read while streaming
    assert max(total for _, total in shown) == round(big.stat().st_size / 1e6, 1)
    assert re.search(r"\d+(\.\d+)? [kM]B/s", screen), screen[-2000:]
    assert "1 document(s): 1 valid" in screen


def test_no_progress_in_a_pipe(tmp_path: Path) -> None:
    big = _big_batch(tmp_path)
    process = _run_with_stderr(["validate", "--streaming", str(big)], subprocess.PIPE)
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0
    assert err.decode() == "1 document(s): 1 valid, 0 invalid (0 error(s), 0 warning(s))\n"
    assert out == b""
