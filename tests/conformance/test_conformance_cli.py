"""``lgstandards conformance list|export|check``: outputs and exit codes 0/1/2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

from click.testing import CliRunner, Result
from conformance_support import FAULTS

from lgstandards.cli import cli
from lgstandards.conformance import cases, known_schema_versions, listing


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["conformance", *args])


def test_list_text_names_every_case() -> None:
    result = run("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split("\t")[0] for line in lines] == [c.name for c in cases()]
    request = next(line for line in lines if line.startswith("epay/invalid/request-bad-postcode"))
    assert request.split("\t")[1:] == ["epay.payment-request", "1.1", "xsd.pattern rule.COM-R014"]


def test_list_json_is_the_listing() -> None:
    result = run("list", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    envelope = {key: data.pop(key) for key in ("lgstandards", "schema", "command")}
    assert envelope["command"] == "conformance list"
    assert data == json.loads(json.dumps(listing()))


def test_list_by_schema_version() -> None:
    result = run("list", "--format", "json", "--schema-version", "2.0")
    assert result.exit_code == 0
    names = [c["name"] for c in json.loads(result.output)["cases"]]
    assert names == [c.name for c in cases(schema_version="2.0")]


def test_unknown_schema_version_is_a_usage_error(tmp_path: Path) -> None:
    for args in (("list",), ("export", str(tmp_path)), ("check", str(tmp_path))):
        result = run(*args, "--schema-version", "7.3")
        assert result.exit_code == 2
        assert "known versions: " + ", ".join(known_schema_versions()) in result.output


def test_export_then_check_passes(tmp_path: Path) -> None:
    result = run("export", str(tmp_path / "kit"))
    assert result.exit_code == 0
    assert (tmp_path / "kit" / "kit.json").is_file()
    result = run("check", str(tmp_path / "kit"))
    assert result.exit_code == 0, result.output
    assert f"{len(cases())} of {len(cases())} conformance cases passed, 0 failed" in result.output


def test_check_faulty_product_exits_1(product_dir: Path) -> None:
    result = run("check", str(product_dir))
    assert result.exit_code == 1
    failing = sorted(
        line.split()[1] for line in result.output.splitlines() if line.startswith("FAIL")
    )
    assert failing == sorted(FAULTS)


def test_check_formats_to_files(product_dir: Path, tmp_path: Path) -> None:
    for fmt in ("json", "junit", "html"):
        out = tmp_path / f"report.{fmt}"
        result = run("check", str(product_dir), "--format", fmt, "--output", str(out))
        assert result.exit_code == 1
        assert f"{len(cases()) - 2} of {len(cases())} conformance cases passed" in result.output
        text = out.read_text(encoding="utf-8")
        if fmt == "json":
            assert json.loads(text)["summary"]["failed"] == 2
        elif fmt == "junit":
            failures = ET.fromstring(text).findall("testsuite/testcase/failure")
            assert len(failures) == 2
        else:
            assert text.startswith("<!DOCTYPE html>")


def test_check_json_on_stdout(product_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["conformance", "check", str(product_dir), "--format", "json"])
    assert result.exit_code == 1
    payload = result.stdout
    assert json.loads(payload)["summary"]["failed"] == 2


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("check", str(tmp_path / "missing")).exit_code == 2
    assert run("check", str(tmp_path), "--format", "pdf").exit_code == 2
    assert run("export").exit_code == 2
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("export", str(blocker / "kit"))
    assert result.exit_code == 2


def test_check_of_an_empty_folder_fails_every_case(tmp_path: Path) -> None:
    result = run("check", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.count("no output file for this case") == len(cases())


def test_console_script_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "lgstandards", "conformance", "list", "--schema-version", "2.0"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "govtalk/valid/envelope-payment-request.xml" in done.stdout
