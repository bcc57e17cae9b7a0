"""Round trips: random concept rows -> source -> built Turtle, JSON-LD, CSV -> same values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import RDF, XSD, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from testsupport import parse

from lgstandards.exceptions import PublishError
from lgstandards.publish import skos
from lgstandards.vocab.source import BASE_COLUMNS

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
OWL = Namespace("http://www.w3.org/2002/07/owl#")
LGS = Namespace(skos.LGS)
EXTRA = ("short_label", "parent_inferred", "bvpi157")
CONCEPT = "http://example.org/concept/{code}"

# Text as people type it: Welsh (ŵ, ŷ, ll), odd unicode, quotes, commas, tabs, newlines,
# carriage returns, leading/trailing and double spaces. Surrogates cannot be UTF-8; NUL is
# not text.
WELSH = "ŵŷâêîôûŴŶ Ll ll Dd dd Ff ff ‘’“”–—…"
text = st.text(
    alphabet=st.one_of(
        st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
        st.sampled_from([*WELSH, '"', "'", ",", "\n", "\r", "\t", " ", "\\", "@", "<", ">"]),
    ),
    max_size=40,
)
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
dates = st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))


@st.composite
def concept_rows(draw: Any) -> list[dict[str, Any]]:
    codes = draw(st.lists(st.integers(0, 10**6), min_size=1, max_size=12, unique=True))
    rows = []
    for code in sorted(codes):
        rows.append(
            {
                "code": code,
                "label": draw(text),
                "description": draw(text),
                "broader": draw(st.one_of(st.none(), st.sampled_from(codes))),
                "created": draw(dates),
                "modified": draw(dates),
                "history_notes": draw(text),
                "deprecated": draw(st.booleans()),
                "deprecated_date": draw(dates),
                "replaced_by": draw(st.one_of(st.none(), st.sampled_from(codes))),
                "change_note": draw(text),
                "short_label": draw(text),
                "parent_inferred": draw(st.booleans()),
                "bvpi157": draw(st.booleans()),
            }
        )
    return rows


def cell(value: Any) -> str:
    if value is None or value is False:
        return ""
    if value is True:
        return "true"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_list(root: Path, rows: list[dict[str, Any]]) -> list[list[str]]:
    """Write a list folder 'sample' in FORMAT.md form; return the CSV cells."""
    folder = root / "sample"
    folder.mkdir()
    (folder / "scheme.toml").write_text(
        'id = "sample"\n'
        'title = "Sample list, ŵ"\n'
        'uri = "http://example.org/list"\n'
        f'concept_uri = "{CONCEPT}"\n'
        'version = "1.0"\n'
        "issued = 2020-01-02\n"
        'extra_columns = ["short_label", "parent_inferred", "bvpi157"]\n'
        "[licence]\n"
        'url = "http://example.org/licence"\n'
        'attribution = "Example"\n',
        encoding="utf-8",
    )
    header = [*BASE_COLUMNS, *EXTRA]
    cells = [[cell(row[column]) for column in header] for row in rows]
    buffer = io.StringIO(newline="")
    # A bare "\r" must be quoted (csv's QUOTE_MINIMAL only quotes the line terminator "\n").
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows(cells)
    (folder / "concepts.csv").write_bytes(buffer.getvalue().encode("utf-8"))
    return cells


def lang(value: str) -> Literal:
    return Literal(value, lang="en")


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(concept_rows())
def test_concepts_survive_turtle_jsonld_and_csv(rows: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cells = write_list(root, rows)
        files = skos.build_list("sample", root)
        assert files == skos.build_list("sample", root)  # deterministic
        graph = parse(files["sample.ttl"], "turtle")

    assert isomorphic(graph, parse(files["sample.jsonld"], "json-ld"))
    if any(XML_ILLEGAL.search(str(o)) for o in graph.objects()):
        with pytest.raises(PublishError, match=r"XML 1\.0"):
            skos.serialize(graph, "rdfxml")
    else:
        assert isomorphic(graph, parse(skos.serialize(graph, "rdfxml"), "xml"))
    scheme = URIRef("http://example.org/list")
    assert len(set(graph.subjects(RDF.type, SKOS.Concept))) == len(rows)
    for row in rows:
        node = URIRef(CONCEPT.format(code=row["code"]))

        def uri(code: int | None) -> URIRef | None:
            return None if code is None else URIRef(CONCEPT.format(code=code))

        def date(value: dt.date | None) -> Literal | None:
            return None if value is None else Literal(value)

        def optional(value: str) -> Literal | None:
            return lang(value) if value else None

        assert graph.value(node, SKOS.notation) == Literal(row["code"], datatype=XSD.integer)
        assert graph.value(node, SKOS.prefLabel) == lang(row["label"])
        assert graph.value(node, SKOS.definition) == optional(row["description"])
        assert graph.value(node, SKOS.broader) == uri(row["broader"])
        assert ((node, SKOS.topConceptOf, scheme) in graph) == (row["broader"] is None)
        assert graph.value(node, DCT.created) == date(row["created"])
        assert graph.value(node, DCT.modified) == date(row["modified"])
        assert graph.value(node, SKOS.historyNote) == optional(row["history_notes"])
        assert graph.value(node, SKOS.changeNote) == optional(row["change_note"])
        assert graph.value(node, OWL.deprecated) == (Literal(True) if row["deprecated"] else None)
        assert graph.value(node, LGS.deprecatedDate) == date(row["deprecated_date"])
        assert graph.value(node, DCT.isReplacedBy) == uri(row["replaced_by"])
        assert graph.value(node, LGS.shortLabel) == optional(row["short_label"])
        alt = row["short_label"] if row["short_label"] != row["label"] else ""
        assert graph.value(node, SKOS.altLabel) == optional(alt)
        flag = Literal(True)
        assert graph.value(node, LGS.parentInferred) == (flag if row["parent_inferred"] else None)
        assert graph.value(node, LGS.bvpi157) == (flag if row["bvpi157"] else None)
        assert (node, SKOS.inScheme, scheme) in graph
        if row["broader"] is not None:
            assert (uri(row["broader"]), SKOS.narrower, node) in graph

    back = list(csv.reader(io.StringIO(files["sample.csv"].decode("utf-8"), newline="")))
    assert back[0] == [*BASE_COLUMNS, *EXTRA, "uri"]
    assert [line[:-1] for line in back[1:]] == cells
    assert [line[-1] for line in back[1:]] == [CONCEPT.format(code=r["code"]) for r in rows]
