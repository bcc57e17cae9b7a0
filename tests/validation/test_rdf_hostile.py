"""Hostile RDF: each input gives issues, never an exception or a crash, in bounded time and memory.

Every case runs in a child Python with a wall-clock timeout and an address-space cap
(``resource.setrlimit``), so that a crash or a runaway parser fails one test instead of
killing the test run. The documents are built in the child. Fake data on example.org.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards.report import Severity
from lgstandards.validation import RDF_KIND, validate
from lgstandards.validation.core import make_options
from lgstandards.validation.rdf import (
    SAFE_DEPTH,
    _validate,
    nesting_depth,
    shacl_issues,
    to_rdflib,
)
from lgstandards.validation.vocabcheck import check_code

#: Seconds a case may take (measured: 1 to 4 s each, most of it importing rdflib and
#: pyshacl; the bound is loose for a shared, loaded machine).
TIME_LIMIT = 30.0
#: Address space of the child, in bytes.
MEMORY_LIMIT = 2 * 1024**3

CASES = r"""
import json, resource, sys, time

resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
from lgstandards.safexml import Limits
from lgstandards.validation import validate

SERVICE = (
    b"@prefix cpsv: <http://purl.org/vocab/cpsv#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n"
    b"<https://council.example.org/services/s> a cpsv:PublicService ;\n"
    b"    dct:description \"A fictional service.\"@en ;\n"
    b"    dct:type <http://id.esd.org.uk/service/57> .\n"
)  # no title: one shacl.violation shows that the document was validated
P = b"<http://schema.org/about>"


def deep_list(n):
    return (b'{"@id": "https://council.example.org/s", "http://schema.org/about": '
            + b'{"@list": [' * n + b"]}" * n + b"}")


def rdfxml(body):
    return (b'<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            b' xmlns:s="http://schema.org/">' + body + b"</rdf:RDF>")


def collection(size):
    out = bytearray(SERVICE + b"<https://council.example.org/services/s> " + P + b" (")
    n = 0
    while len(out) < size:
        out += b' "%d"' % n
        n += 1
    return bytes(out + b" ) .\n")


def code(text):
    return (b"@prefix schema: <http://schema.org/> .\n<https://council.example.org/services/s>"
            b' a schema:GovernmentService ; schema:name "S" ;\n'
            b"    schema:additionalType <http://id.esd.org.uk/service/" + text.encode() + b"> ;\n"
            b"    schema:availableChannel <https://council.example.org/channels/c> .\n"
            b"<https://council.example.org/channels/c> a schema:ServiceChannel ;\n"
            b"    schema:additionalType <http://id.esd.org.uk/interaction/"
            + text.encode() + b"> .\n")


MiB = 1024 * 1024
CASES = {
    "json-ld @list 5,000 deep": lambda: (deep_list(5000), None),
    "json-ld @list 100,000 deep": lambda: (deep_list(100_000), None),
    "json-ld @list 5,000 deep, depth limit raised": lambda: (
        deep_list(5000), Limits(max_depth=100_000)),
    "json-ld @list 100 deep (validated in a child process)": lambda: (deep_list(100), None),
    "rdf/xml 100,000 deep": lambda: (
        rdfxml(b"<rdf:Description><s:about>" * 100_000
               + b"</s:about></rdf:Description>" * 100_000), None),
    "turtle blank nodes 100,000 deep": lambda: (
        b"<https://council.example.org/s> " + (P + b" [ ") * 100_000
        + b" ]" * 100_000 + b" .", None),
    "turtle triple terms 100,000 deep": lambda: (
        b"<https://council.example.org/s> " + P + b" "
        + (b"<<( <https://council.example.org/s> " + P + b" ") * 100_000
        + b'"x"' + b" )>>" * 100_000 + b" .", None),
    "turtle literal of 17 MiB": lambda: (
        SERVICE + b"<https://council.example.org/services/s> " + P + b' "'
        + b"x" * (17 * MiB) + b'" .\n', None),
    "json-ld literal of 17 MiB": lambda: (
        b'{"@id": "https://council.example.org/s", "http://schema.org/about": "'
        + b"x" * (17 * MiB) + b'"}', None),
    "rdf/xml literal of 17 MiB": lambda: (
        rdfxml(b'<rdf:Description rdf:about="https://council.example.org/s"><s:about>'
               + b"x" * (17 * MiB) + b"</s:about></rdf:Description>"), None),
    "turtle literal of 10 MB (within the limit)": lambda: (
        SERVICE + b"<https://council.example.org/services/s> " + P + b' "'
        + b"x" * 9_999_000 + b'" .\n', None),
    "turtle collection of 200 KB": lambda: (collection(200_000), None),
    "turtle collection of 2 MB": lambda: (collection(2_000_000), None),
    "code written with a superscript two": lambda: (code("\u00b2"), None),
    "code of 5,000 digits": lambda: (code("9" * 5000), None),
}

name = sys.argv[1]
document, limits = CASES[name]()
start = time.perf_counter()
report = validate(document, kind="rdf.service-catalogue", limits=limits)
print(json.dumps({"codes": sorted(set(report.codes())), "seconds": time.perf_counter() - start}))
"""

EXPECTED = {
    "json-ld @list 5,000 deep": ["rdf.too-deep"],
    "json-ld @list 100,000 deep": ["rdf.too-deep"],
    "json-ld @list 5,000 deep, depth limit raised": ["rdf.parser-crashed"],
    "json-ld @list 100 deep (validated in a child process)": [],
    "rdf/xml 100,000 deep": ["xml.too-deep"],
    "turtle blank nodes 100,000 deep": ["rdf.too-deep"],
    "turtle triple terms 100,000 deep": ["rdf.too-deep"],
    "turtle literal of 17 MiB": ["rdf.too-long"],
    "json-ld literal of 17 MiB": ["rdf.too-long"],
    "rdf/xml literal of 17 MiB": ["xml.text-too-long"],
    "turtle literal of 10 MB (within the limit)": ["shacl.violation"],
    "turtle collection of 200 KB": ["shacl.violation"],
    "turtle collection of 2 MB": ["shacl.violation"],
    "code written with a superscript two": ["shacl.violation", "vocab.unknown-code"],
    "code of 5,000 digits": ["vocab.unknown-code"],  # LGSL and LGIL alike: in no list
}


def run_case(name: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CASES, name, str(MEMORY_LIMIT)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT * 2,
        check=False,
    )
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    found: dict[str, object] = json.loads(result.stdout)
    return found


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_rdf_gives_issues_in_bounded_time_and_memory(name: str) -> None:
    measured = run_case(name)
    assert measured["codes"] == EXPECTED[name]
    assert isinstance(measured["seconds"], float)
    assert measured["seconds"] < TIME_LIMIT, measured


def _depth(value: object) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text("[]{}\"\\ab<>'#(", max_size=6),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text('[]{}"a', max_size=3), children, max_size=3)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_json_nesting_is_counted_outside_strings(value: object) -> None:
    assert nesting_depth(json.dumps(value).encode(), "json-ld") == _depth(value)


#: Turtle terms whose text holds brackets that are not structure.
LEAVES = st.sampled_from(
    [
        '"a ( [ {"',
        "'] ) }'",
        '"""x\n((( "" ]]]"""',
        "'''y ''[[['''",
        '"\\"(("',
        "<https://council.example.org/a(b>",
        "<https://council.example.org/a[b]>",
        "ex:a\\(b",
        "42",
    ]
)


def _turtle(depth: int, leaf: str, comment: bool) -> str:
    """A term nested ``depth`` levels deep, alternating blank nodes and collections."""
    text = leaf
    for level in range(depth):
        note = " # ( [ {\n" if comment else " "
        text = f"[ ex:p {text} ;{note}ex:q 1 ]" if level % 2 else f"( {text}{note}2 )"
    return text


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 40), LEAVES, st.booleans())
def test_turtle_nesting_is_counted_outside_strings_iris_and_comments(
    depth: int, leaf: str, comment: bool
) -> None:
    data = f"@prefix ex: <http://example.org/> .\nex:s ex:p {_turtle(depth, leaf, comment)} .\n"
    assert nesting_depth(data.encode(), "turtle") == depth


def test_an_unmatched_closing_bracket_ends_the_count() -> None:
    # the parser stops at it: what follows is never parsed
    assert nesting_depth(b"[ [ ] ] ] [ [ [ [", "turtle") == 2
    assert nesting_depth(b'{"a": [[1]]}] [[[[[[', "json-ld") == 3
    assert nesting_depth(b"[]" * 200_000 + b"]" + b"[" * 300, "turtle") == 1


def test_unterminated_tokens_are_scanned_in_linear_time() -> None:
    # each would make a backtracking scanner quadratic: strings with escapes, no end
    for data in (b'"' + b'\\"' * 200_000, b'"""' + b'\\"' * 200_000, b"<" * 200_000):
        assert nesting_depth(data, "turtle") >= 0
    assert nesting_depth(b'{"a": "' + b'\\"' * 200_000, "json-ld") == 1


def test_a_deep_document_validated_in_a_child_has_the_in_process_findings() -> None:
    levels = SAFE_DEPTH  # the list adds 2 levels a step: over SAFE_DEPTH, under the limit
    data = (
        b'{"@context": {"schema": "http://schema.org/"}, '
        b'"@id": "https://council.example.org/services/s", "@type": "schema:GovernmentService",'
        b' "schema:additionalType": {"@id": "http://id.esd.org.uk/service/99999"},'
        b' "schema:about": ' + b'{"@list": [' * levels + b"]}" * levels + b"}"
    )
    assert SAFE_DEPTH < nesting_depth(data, "json-ld") <= 256
    options = make_options(kind=RDF_KIND)
    in_process = list(_validate(data, options, name=None, syntax="json-ld"))
    report = validate(data, kind=RDF_KIND)
    assert sorted(report.issues, key=str) == sorted(in_process, key=str)
    assert report.codes() == ["shacl.violation", "vocab.unknown-code"]


RDF_IRI_REFUSED = b"""@prefix cpsv: <http://purl.org/vocab/cpsv#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://council.example.org/services/tax bill> a cpsv:PublicService ;
    dct:description "A fictional service."@en ;
    dct:type <http://id.esd.org.uk/service/57> ;
    dct:source <<( <https://council.example.org/a|b> dct:type
                   <http://id.esd.org.uk/service/57> )>> .
"""


def test_shacl_runs_on_a_graph_with_iris_rdflib_refuses_and_triple_terms() -> None:
    report = validate(RDF_IRI_REFUSED, kind=RDF_KIND)
    assert "xml.check-failed" not in report.codes()
    (violation,) = [i for i in report.issues if i.code == "shacl.violation"]
    assert violation.path == (
        "<https://council.example.org/services/tax bill> <http://purl.org/dc/terms/title>"
    )
    assert violation.line == 3
    assert sorted(i.path for i in report.issues if i.code == "rdf.bad-iri") == [
        "<https://council.example.org/a|b>",
        "<https://council.example.org/services/tax bill>",
    ]


def test_to_rdflib_builds_stand_ins_that_rdflib_can_serialise() -> None:
    import pyoxigraph

    triples = [
        q.triple
        for q in pyoxigraph.parse(RDF_IRI_REFUSED, format=pyoxigraph.RdfFormat.TURTLE, lenient=True)
    ]
    graph = to_rdflib(triples)
    assert len(graph) == len(triples)
    graph.serialize(format="nt")  # rdflib refuses to write IRIs with a space or '|'
    assert [i.code for i in shacl_issues(graph, source=None)] == ["shacl.violation"]


@pytest.mark.parametrize("raw", ["\u00b2", "\u0663", "9" * 5000, "0" * 30 + "57", "-" + "9" * 5000])
@pytest.mark.parametrize("list_name", ["lgsl", "lgil"])
def test_codes_that_int_refuses_give_issues_not_exceptions(raw: str, list_name: str) -> None:
    issues = list(check_code(raw, list_name, lookup=lambda code: None))
    if not raw.lstrip("-").isascii():
        assert issues == []  # not a whole number: the schema layer's business
    else:
        assert len(issues) == 1
        assert len(issues[0].message) < 200
    if raw.isascii() and raw.isdigit():  # more digits than any code: in no list
        assert issues[0].code == "vocab.unknown-code"
        assert issues[0].severity in (Severity.ERROR, Severity.WARNING)


@pytest.mark.parametrize("raw", ["\u00b2", "9" * 5000])
def test_codes_that_int_refuses_in_an_xml_message(raw: str) -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "transactions" / "valid"
    data = (path / "council-transactions.xml").read_text("utf-8")
    report = validate(
        data.replace("<tx:LGSL>57</tx:LGSL>", f"<tx:LGSL>{raw}</tx:LGSL>", 1).encode()
    )
    assert report.issues  # xsd.type for the superscript, unofficial for the long number
