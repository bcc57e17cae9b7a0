"""RDF consistency: the same graph gives the same findings in every syntax and every input form.

Catalogues are generated (hypothesis) as triples and written by the small serialisers
below, independent of the parser under test, in Turtle, N-Triples, RDF/XML and JSON-LD
(the latter also as a ``.json`` file, as bytes and as a stream with no name, none with a
kind). Findings are compared on code, severity, message, path (focus node) and detail;
lines differ between syntaxes by nature. Fake councils on example.org only.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.report import ValidationReport
from lgstandards.validation import RDF_KIND, validate
from lgstandards.validation.input import content_syntax, sniff

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CPSV = "http://purl.org/vocab/cpsv#"
CV = "http://data.europa.eu/m8g/"
DCT = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
SERVICE = "http://id.esd.org.uk/service/"
INTERACTION = "http://id.esd.org.uk/interaction/"
BASE = "https://council.example.org/"

#: Characters an IRI may not hold (RFC 3987) that the lenient parsers all read.
BAD_IRI_PARTS = ("]", "[", " ", "{", "}", "|", "^", "`", "%zz")

Term = tuple[str, str, str | None]  # ("iri", value, None) or ("lit", value, language)
Triple = tuple[str, str, Term]


def iri(value: str) -> Term:
    return ("iri", value, None)


def lit(value: str, language: str | None = None) -> Term:
    return ("lit", value, language)


# --- serialisers (independent of pyoxigraph) -------------------------------------------


def _nt_term(term: Term) -> str:
    kind, value, language = term
    if kind == "iri":
        return f"<{value}>"
    text = json.dumps(value, ensure_ascii=False)  # the escapes N-Triples shares with JSON
    return text + (f"@{language}" if language else "")


def to_ntriples(triples: list[Triple]) -> bytes:
    lines = [f"<{s}> <{p}> {_nt_term(o)} .\n" for s, p, o in triples]
    return "".join(lines).encode()


PREFIXES = {"cpsv": CPSV, "cv": CV, "dct": DCT, "schema": SCHEMA}


def _ttl_name(value: str) -> str:
    if value == RDF + "type":
        return "a"
    for prefix, namespace in PREFIXES.items():
        local = value.removeprefix(namespace)
        if local != value and local.isalnum():
            return f"{prefix}:{local}"
    return f"<{value}>"


def to_turtle(triples: list[Triple]) -> bytes:
    out = [f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()]
    subjects: dict[str, list[tuple[str, Term]]] = {}
    for s, p, o in triples:
        subjects.setdefault(s, []).append((p, o))
    for subject, pairs in subjects.items():
        body = " ;\n    ".join(
            f"{_ttl_name(p)} {_ttl_name(o[1]) if o[0] == 'iri' else _nt_term(o)}" for p, o in pairs
        )
        out.append(f"<{subject}>\n    {body} .\n")
    return "".join(out).encode()


def _split(predicate: str) -> tuple[str, str]:
    for namespace in (RDF, CPSV, CV, DCT, SCHEMA):
        if predicate.startswith(namespace):
            return namespace, predicate[len(namespace) :]
    raise AssertionError(predicate)


def to_rdfxml(triples: list[Triple]) -> bytes:
    names = {RDF: "rdf", CPSV: "cpsv", CV: "cv", DCT: "dct", SCHEMA: "schema"}
    declarations = " ".join(f"xmlns:{prefix}={quoteattr(ns)}" for ns, prefix in names.items())
    out = [f'<?xml version="1.0" encoding="UTF-8"?>\n<rdf:RDF {declarations}>\n']
    subjects: dict[str, list[tuple[str, Term]]] = {}
    for s, p, o in triples:
        subjects.setdefault(s, []).append((p, o))
    for subject, pairs in subjects.items():
        out.append(f"  <rdf:Description rdf:about={quoteattr(subject)}>\n")
        for predicate, (kind, value, language) in pairs:
            namespace, local = _split(predicate)
            tag = f"{names[namespace]}:{local}"
            if kind == "iri":
                out.append(f"    <{tag} rdf:resource={quoteattr(value)}/>\n")
            else:
                lang = f" xml:lang={quoteattr(language)}" if language else ""
                out.append(f"    <{tag}{lang}>{escape(value)}</{tag}>\n")
        out.append("  </rdf:Description>\n")
    out.append("</rdf:RDF>\n")
    return "".join(out).encode()


def to_jsonld(triples: list[Triple]) -> bytes:
    nodes: dict[str, dict[str, list[object]]] = {}
    for s, p, (kind, value, language) in triples:
        node = nodes.setdefault(s, {})
        if p == RDF + "type":
            node.setdefault("@type", []).append(value)
        elif kind == "iri":
            node.setdefault(p, []).append({"@id": value})
        else:
            node.setdefault(p, []).append(
                {"@value": value, "@language": language} if language else {"@value": value}
            )
    document = [{"@id": s, **properties} for s, properties in nodes.items()]
    return json.dumps(document, indent=1, ensure_ascii=False).encode()


SERIALISERS: dict[str, tuple[str, Callable[[list[Triple]], bytes]]] = {
    "turtle": (".ttl", to_turtle),
    "ntriples": (".nt", to_ntriples),
    "rdf/xml": (".rdf", to_rdfxml),
    "json-ld": (".jsonld", to_jsonld),
}


# --- catalogues ------------------------------------------------------------------------


def service(
    name: str,
    *,
    style: str = "cpsv",
    title: bool = True,
    description: bool = True,
    codes: tuple[str, ...] = ("57",),
    channel: tuple[str, str] | None = None,
) -> list[Triple]:
    """One public (CPSV-AP) or government (schema.org) service, optionally with a channel."""
    subject = f"{BASE}services/{name}"
    cpsv = style == "cpsv"
    typed = DCT + "type" if cpsv else SCHEMA + "additionalType"
    found: list[Triple] = [
        (
            subject,
            RDF + "type",
            iri(CPSV + "PublicService" if cpsv else SCHEMA + "GovernmentService"),
        )
    ]
    if title:
        label = f"Service {name} (fake)"
        found.append(
            (subject, DCT + "title", lit(label, "en"))
            if cpsv
            else (subject, SCHEMA + "name", lit(label))
        )
    if description and cpsv:
        found.append((subject, DCT + "description", lit("A fictional service.", "en")))
    found += [(subject, typed, iri(SERVICE + code)) for code in codes]
    if channel is not None:
        address, interaction = channel
        node = f"{BASE}channels/{name}"
        found.append(
            (subject, CPSV + "hasChannel" if cpsv else SCHEMA + "availableChannel", iri(node))
        )
        found.append(
            (node, RDF + "type", iri(CV + "Channel" if cpsv else SCHEMA + "ServiceChannel"))
        )
        found.append((node, typed, iri(INTERACTION + interaction)))
        found.append((node, SCHEMA + "url", iri(address)))
    return found


def findings(report: ValidationReport) -> list[tuple[str, str, str, str | None, str | None]]:
    """What must agree between syntaxes: everything but the line and column."""
    return sorted((i.code, i.severity.value, i.message, i.path, i.detail) for i in report.issues)


def by_syntax(triples: list[Triple], tmp_path: Path) -> dict[str, ValidationReport]:
    """Validate the graph in every syntax and input form, none of them given a kind."""
    reports = {}
    for syntax, (suffix, write) in SERIALISERS.items():
        path = tmp_path / f"catalogue{suffix}"
        path.write_bytes(write(triples))
        reports[syntax] = validate(path)
    data = to_jsonld(triples)
    json_path = tmp_path / "catalogue.json"
    json_path.write_bytes(data)
    reports["json-ld as .json"] = validate(json_path)
    reports["json-ld as bytes"] = validate(data)
    reports["json-ld as a stream"] = validate(io.BytesIO(data))
    return reports


def assert_same_everywhere(
    reports: dict[str, ValidationReport],
) -> list[tuple[str, str, str, str | None, str | None]]:
    expected = findings(reports["turtle"])
    for form, report in reports.items():
        assert report.kind == RDF_KIND, form
        assert findings(report) == expected, form
    return expected


# --- tests -----------------------------------------------------------------------------

CODES = st.sampled_from(["57", "524", "99999", "100001", "abc"])
INTERACTIONS = st.sampled_from(["2", "8", "18"])
ADDRESS = st.builds(
    lambda part, n: f"{BASE}pages/{n}{part}x",
    st.sampled_from(("", *BAD_IRI_PARTS)),
    st.integers(0, 3),
)
SERVICES = st.lists(
    st.builds(
        lambda n, style, title, description, codes, channel: service(
            f"s{n}",
            style=style,
            title=title,
            description=description,
            codes=tuple(codes),
            channel=channel,
        ),
        st.integers(0, 5),
        st.sampled_from(["cpsv", "schema"]),
        st.booleans(),
        st.booleans(),
        st.lists(CODES, max_size=2),
        st.none() | st.tuples(ADDRESS, INTERACTIONS),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(services=SERVICES)
def test_generated_catalogues_give_the_same_findings_in_every_syntax(
    services: list[list[Triple]], tmp_path: Path
) -> None:
    triples = list(dict.fromkeys(t for s in services for t in s))  # one graph: no repeats
    assert_same_everywhere(by_syntax(triples, tmp_path))


def test_a_catalogue_with_every_kind_of_finding(tmp_path: Path) -> None:
    triples = [
        *service("a", codes=("99999",), channel=(f"{BASE}a]b", "18")),
        *service("b", description=False, codes=("99999", "100001")),
        *service("c", style="schema", title=False, codes=("abc",), channel=(f"{BASE}c d", "2")),
    ]
    expected = assert_same_everywhere(by_syntax(triples, tmp_path))
    assert Counter(code for code, *_ in expected) == {
        "rdf.bad-iri": 2,
        "shacl.violation": 2,  # c has no name and no LGSL type ('abc' is not one)
        "shacl.warning": 1,  # b has no description
        "vocab.unknown-code": 3,  # 99999 (used twice: once), 'abc', LGIL 18
        "vocab.unofficial-code": 1,
    }


@pytest.mark.parametrize("uses", [1, 2, 5, 40])
def test_an_unknown_code_is_one_issue_per_uri(uses: int, tmp_path: Path) -> None:
    triples = [t for n in range(uses) for t in service(f"s{n}", codes=("99999", "99998"))]
    reports = by_syntax(triples, tmp_path)
    expected = assert_same_everywhere(reports)
    unknown = [f for f in expected if f[0] == "vocab.unknown-code"]
    assert len(unknown) == 2  # one per URI, not one per use
    assert {f[4] for f in unknown} == {f"used {uses} times" if uses > 1 else None}
    assert unknown[0][3] == f"<{BASE}services/s0> <{DCT}type>"  # first use in sorted order
    for form, report in reports.items():
        assert all(i.line is not None for i in report.issues if i.code.startswith("vocab")), form


@pytest.mark.parametrize("part", BAD_IRI_PARTS)
def test_a_bad_iri_is_one_issue_at_its_place_and_the_rest_is_validated(
    part: str, tmp_path: Path
) -> None:
    bad = f"{BASE}pages/x{part}y"
    triples = [
        *service("a", channel=(bad, "2")),
        *service("b", channel=(bad, "2")),  # the same bad IRI twice: one issue
        *service("c", title=False, codes=("99999",)),
    ]
    reports = by_syntax(triples, tmp_path)
    expected = assert_same_everywhere(reports)
    assert Counter(code for code, *_ in expected) == {
        "rdf.bad-iri": 1,
        "shacl.violation": 1,
        "vocab.unknown-code": 1,
    }
    for form, report in reports.items():
        (issue,) = [i for i in report.issues if i.code == "rdf.bad-iri"]
        assert issue.path == f"<{bad}>"
        assert issue.line is not None, form
        text = (tmp_path / "catalogue.ttl").read_bytes() if form == "turtle" else None
        if text is not None:  # the line and column of its first use
            line = text.decode().splitlines()[issue.line - 1]
            assert line[issue.column - 1 :].startswith(f"<{bad}>")


def test_a_relative_iri_or_undefined_json_ld_term_is_reported_not_dropped() -> None:
    data = json.dumps(
        {
            "@context": {"schema": SCHEMA},
            "@id": f"{BASE}services/a",
            "@type": "schema:GovernmentService",
            "schema:name": "A fictional service",
            "schema:additionalType": {"@id": SERVICE + "524"},
            "colour": "blue",  # a term the context does not define
        }
    ).encode()
    report = validate(data)
    assert report.kind == RDF_KIND
    assert [(i.code, i.path) for i in report.issues] == [("rdf.bad-iri", "<colour>")]
    turtle = b'<services/a> <http://schema.org/name> "x" .\n'
    assert validate(turtle, kind=RDF_KIND).codes() == ["rdf.bad-iri"]


def test_json_is_recognised_by_content_only_when_it_is_json_ld(tmp_path: Path) -> None:
    plain = tmp_path / "payment.json"
    plain.write_bytes(b'{"PaymentRequest": {"Amount": 10}}')
    assert validate(plain).codes() == ["xml.not-xml"]
    assert validate(plain.read_bytes()).codes() == ["xml.not-xml"]
    assert content_syntax(b'{"PaymentRequest": 1}') is None
    assert content_syntax(b' [{"@id": "https://a.example/"}]') == "json-ld"
    assert content_syntax(b"# a comment\n@prefix s: <http://schema.org/> .") == "turtle"
    assert content_syntax(b"PREFIX s: <http://schema.org/>") == "turtle"
    assert content_syntax(b"<r/>") is None


def test_turtle_that_starts_like_n_triples_is_parsed_as_turtle() -> None:
    lines = b"".join(f'<{BASE}x/{n}> <{SCHEMA}name> "n{n}" .\n'.encode() for n in range(100))
    data = lines + f"<{BASE}x/0> <{SCHEMA}x> ( 1 2 3 ) .\n".encode()
    assert sniff(data) == "ntriples"  # the first 4 KiB say so
    assert validate(data, kind=RDF_KIND).codes() == []
