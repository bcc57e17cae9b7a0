from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph, Literal, Namespace
from testsupport.publish import EXPECTED_DEFECTS, local

from lgstandards.cli.publish import check, diff

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
EX = Namespace("http://example.org/clean/")


def run(command, args):
    return CliRunner().invoke(command, [str(a) for a in args])


def test_check_defects_text_exit_1(defects: Path) -> None:
    result = run(check, [defects])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED_DEFECTS)
    assert f"{defects}: error skos.missing-preflabel" in result.stdout
    assert "1 document(s): 0 valid, 1 invalid" in result.stderr


def test_check_json(defects: Path) -> None:
    result = run(check, [defects, "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["format"] == "lgstandards-report"
    assert data["valid"] is False
    (document,) = data["documents"]
    assert document["kind"] == "skos"
    assert {(i["code"], local(i["path"])) for i in document["issues"]} == EXPECTED_DEFECTS


def test_check_sarif_and_junit(defects: Path) -> None:
    sarif = json.loads(run(check, [defects, "--format", "sarif"]).stdout)
    assert len(sarif["runs"][0]["results"]) == len(EXPECTED_DEFECTS)
    junit = run(check, [defects, "--format", "junit"])
    assert junit.exit_code == 1
    assert junit.stdout.lstrip().startswith("<?xml")


def test_check_clean_exit_0(clean: Path) -> None:
    result = run(check, [clean])
    assert result.exit_code == 0
    assert result.stdout == ""


def test_check_shipped_list_has_only_warnings() -> None:
    result = run(check, ["lgsl"])
    assert result.exit_code == 0, result.output
    assert "skos.label-whitespace" in result.stdout
    assert " error " not in result.stdout


def test_check_unreadable_exit_2(tmp_path: Path) -> None:
    for target in [tmp_path / "missing.ttl", "no-such-list"]:
        result = run(check, [target])
        assert result.exit_code == 2
        assert result.stderr.startswith("Error: ")
        assert "Traceback" not in result.output
    odd = tmp_path / "file.txt"
    odd.write_text("x", encoding="utf-8")
    assert run(check, [odd]).exit_code == 2


def test_check_syntax_error_is_a_finding(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> ", encoding="utf-8")
    result = run(check, [bad])
    assert result.exit_code == 1
    assert "skos.syntax-error" in result.stdout


def test_diff_formats_and_exit_codes(clean: Path, tmp_path: Path) -> None:
    g = Graph().parse(clean)
    g.set((EX.bins, SKOS.prefLabel, Literal("Bin day", lang="en")))
    changed = tmp_path / "changed.ttl"
    g.serialize(changed, format="turtle", encoding="utf-8")
    text = run(diff, [clean, changed])
    assert text.exit_code == 0
    assert "relabelled" in text.stdout
    assert "(version bump: patch)" in text.stdout
    md = run(diff, [clean, changed, "--format", "markdown"])
    assert md.stdout.startswith("## Unreleased\n")
    js = json.loads(run(diff, [clean, changed, "--format", "json"]).stdout)
    assert js["bump"] == "patch"
    g.remove((EX.bins, None, None))
    g.serialize(changed, format="turtle", encoding="utf-8")
    removed = run(diff, [clean, changed])
    assert removed.exit_code == 1
    assert "removed" in removed.stdout
    assert run(diff, [clean, tmp_path / "nope.ttl"]).exit_code == 2
