"""The ``lgstandards vocab`` commands: output, JSON shape and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from lgstandards.cli import cli
from lgstandards.vocab import lgsl
from lgstandards.vocab.source import read_concepts, read_scheme


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_json_matches_source_for_every_code() -> None:
    folder = lgsl.folder
    rows = {r.code: r for r in read_concepts(folder, read_scheme(folder))}
    runner = CliRunner()
    for code, row in rows.items():
        result = runner.invoke(cli, ["vocab", "show", "lgsl", str(code), "--format", "json"])
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["list"] == "lgsl"
        assert data["code"] == code
        assert data["label"] == row.label
        assert data["description"] == row.description
        assert data["history_notes"] == row.history_notes


def test_show_57_text() -> None:
    code, out, _ = invoke("vocab", "show", "lgsl", "57")
    assert code == 0
    assert "Council tax annual notification" in out
    assert "56 Taxation" in out


def test_unknown_code_and_list_exit_1_with_message() -> None:
    code, out, err = invoke("vocab", "show", "lgsl", "999999")
    assert (code, out) == (1, "")
    assert "999999" in err
    assert "Traceback" not in err
    code, _, err = invoke("vocab", "show", "ipsv", "1")
    assert code == 1
    assert "no vocabulary named 'ipsv'" in err


def test_usage_errors_exit_2() -> None:
    assert invoke("vocab", "show")[0] == 2
    assert invoke("vocab", "show", "lgsl", "57", "--format", "yaml")[0] == 2
    assert invoke("vocab", "nosuchcommand")[0] == 2


def test_search_json() -> None:
    code, out, _ = invoke("vocab", "search", "lgsl", "abandoned vehicles", "--format", "json")
    assert code == 0
    found = json.loads(out)
    assert (found["list"], found["query"]) == ("lgsl", "abandoned vehicles")
    first = found["results"][0]
    assert {k: first[k] for k in ("code", "label", "uri")} == {
        "code": 372,
        "label": "Abandoned vehicles",
        "uri": "http://id.esd.org.uk/service/372",
    }
    # Scores rank the results (best first) and each result says why it matched.
    scores = [result["score"] for result in found["results"]]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 0
    assert all(result["why"] for result in found["results"])


def test_list_json_names_versions_counts() -> None:
    code, out, _ = invoke("vocab", "list", "--format", "json")
    assert code == 0
    lists = {entry["name"]: entry for entry in json.loads(out)["lists"]}
    assert lists["lgsl"]["count"] == 1519
    assert lists["lgil"]["count"] == 33
    assert lists["lgnl"]["status"] == "discontinued"
    assert all(entry["version"] and entry["source"] for entry in lists.values())


def test_export_turtle_parses_to_every_concept() -> None:
    rdflib = pytest.importorskip("rdflib")
    code, out, _ = invoke("vocab", "export", "lgsl", "--format", "turtle")
    assert code == 0
    graph = rdflib.Graph().parse(data=out, format="turtle")
    skos = rdflib.Namespace("http://www.w3.org/2004/02/skos/core#")
    concepts = set(graph.subjects(rdflib.RDF.type, skos.Concept))
    assert len(concepts) == 1519
    assert rdflib.URIRef("http://id.esd.org.uk/service/57") in concepts
    code, out_jsonld, _ = invoke("vocab", "export", "lgsl", "--format", "jsonld")
    assert code == 0
    other = rdflib.Graph().parse(data=out_jsonld, format="json-ld")
    from rdflib.compare import isomorphic

    assert isomorphic(graph, other)


def test_export_csv_to_file(tmp_path: Path) -> None:
    target = tmp_path / "lgil.csv"
    code, _, err = invoke("vocab", "export", "lgil", "--format", "csv", "-o", str(target))
    assert code == 0
    assert "wrote" in err
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert len(rows) == 33


def test_python_m_entry_point_and_no_traceback() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "lgstandards", "vocab", "show", "lgil", "18"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "18" in result.stderr
