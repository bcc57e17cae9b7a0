from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from testsupport.publish import EX, EXPECTED_DEFECTS, local

from lgstandards.codes import registry
from lgstandards.exceptions import DocumentParseError
from lgstandards.publish.check import check_vocabulary
from lgstandards.report import Severity


def found(report) -> set[tuple[str, str]]:
    return {(i.code, local(i.path)) for i in report}


def test_every_defect_found_with_code_and_concept(defects: Path) -> None:
    report = check_vocabulary(defects)
    assert found(report) == EXPECTED_DEFECTS
    assert not report.ok
    assert all(i.source == str(defects) for i in report)
    assert all(i.path and i.path.startswith(EX) for i in report)


def test_every_skos_check_code_is_seeded_in_the_fixture() -> None:
    seeded = {code for code, _ in EXPECTED_DEFECTS}
    registered = {c for c in registry() if c.startswith("skos.")}
    assert registered - seeded == {"skos.syntax-error", "skos.no-concepts", "skos.shacl-result"}


def test_severities_come_from_the_registry(defects: Path) -> None:
    for issue in check_vocabulary(defects):
        assert issue.severity is registry()[issue.code].severity


def test_clean_fixture_has_no_issue(clean: Path) -> None:
    report = check_vocabulary(clean)
    assert report.issues == []
    assert report.ok


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("xml", ".rdf"), ("json-ld", ".jsonld"), ("nt", ".nt")]
)
def test_same_findings_in_every_format(
    defects: Path, tmp_path: Path, fmt: str, suffix: str
) -> None:
    from rdflib import Graph

    target = tmp_path / f"defects{suffix}"
    Graph().parse(defects).serialize(target, format=fmt, encoding="utf-8")
    assert found(check_vocabulary(target)) == EXPECTED_DEFECTS


def test_graph_objects_are_accepted(defects: Path) -> None:
    import pyoxigraph
    from rdflib import Graph

    assert found(check_vocabulary(Graph().parse(defects))) == EXPECTED_DEFECTS
    store = pyoxigraph.Store()
    store.load(path=str(defects), format=pyoxigraph.RdfFormat.TURTLE)
    report = check_vocabulary(store, name="store")
    assert found(report) == EXPECTED_DEFECTS
    assert {i.source for i in report} == {"store"}


def test_bad_syntax_is_one_issue(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ", encoding="utf-8")
    report = check_vocabulary(bad)
    assert report.codes() == ["skos.syntax-error"]
    assert report.issues[0].severity is Severity.ERROR


def test_unknown_extension_and_missing_file_raise(tmp_path: Path) -> None:
    odd = tmp_path / "vocab.txt"
    odd.write_text("", encoding="utf-8")
    with pytest.raises(DocumentParseError, match="extension"):
        check_vocabulary(odd)
    with pytest.raises(FileNotFoundError):
        check_vocabulary(tmp_path / "missing.ttl")


def test_no_concepts_is_a_warning(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("", encoding="utf-8")
    report = check_vocabulary(empty)
    assert report.codes() == ["skos.no-concepts"]
    assert report.ok


def _vocab(edges: list[tuple[int, int]], n: int) -> str:
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "<http://x/s> a skos:ConceptScheme .",
    ]
    for i in range(n):
        lines.append(
            f'<http://x/{i}> a skos:Concept ; skos:inScheme <http://x/s> ; skos:notation "{i}" ; '
            f'skos:prefLabel "L{i}"@en ; skos:topConceptOf <http://x/s> .'
        )
    lines += [f"<http://x/{a}> skos:broader <http://x/{b}> ." for a, b in edges]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 7).flatmap(
        lambda n: st.tuples(
            st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)))
        )
    )
)
def test_cycles_are_exactly_the_concepts_that_reach_themselves(case) -> None:
    import pyoxigraph

    n, edges = case
    quads = pyoxigraph.parse(_vocab(edges, n), pyoxigraph.RdfFormat.TURTLE)
    report = check_vocabulary(list(quads))
    flagged = {int(local(i.path)) for i in report if i.code == "skos.cyclic-hierarchy"}
    graph: dict[int, set[int]] = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)

    def reaches_itself(start: int) -> bool:
        todo, seen = list(graph.get(start, ())), set()
        while todo:
            node = todo.pop()
            if node == start:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph.get(node, ()))
        return False

    assert flagged == {i for i in range(n) if reaches_itself(i)}


@given(st.text(alphabet=" \t\nab", max_size=8))
def test_whitespace_check_matches_the_shacl_pattern(label: str) -> None:
    import re

    import pyoxigraph

    escaped = (
        label.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    text = (
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<http://x/s> a skos:ConceptScheme .\n"
        f'<http://x/1> a skos:Concept ; skos:topConceptOf <http://x/s> ; skos:notation "1" ; '
        f'skos:altLabel "{escaped}"@en ; skos:prefLabel "P"@en .'
    )
    report = check_vocabulary(list(pyoxigraph.parse(text, pyoxigraph.RdfFormat.TURTLE)))
    flagged = "skos.label-whitespace" in report.codes()
    assert flagged == (re.search(r"^\s|\s$|\s\s|[^\S ]", label) is not None)
    assert flagged == (re.fullmatch(r"(\S+( \S+)*)?", label) is None)


def test_a_vocabulary_over_the_size_limit_is_one_issue_not_read_whole(tmp_path: Path) -> None:
    from lgstandards.safexml import Limits

    big = tmp_path / "big.ttl"
    big.write_text("# comment\n" * 2000, encoding="utf-8")  # 20,000 bytes
    report = check_vocabulary(big, limits=Limits(max_bytes=10_000))
    assert report.codes() == ["xml.too-large"]
    assert report.issues[0].source == str(big)
    assert "over the limit of 10000" in report.issues[0].message
    assert report.issues[0].message_cy
    assert check_vocabulary(big, limits=Limits(max_bytes=20_000)).codes() == ["skos.no-concepts"]


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "vocab.ttl"
    os.mkfifo(fifo)  # no writer: opening it for reading would block
    with pytest.raises(OSError, match="not a regular file"):
        check_vocabulary(fifo)
