"""Validate RDF service catalogues: parse (Turtle, RDF/XML, JSON-LD, N-Triples), SHACL, codes.

Parsing uses pyoxigraph (Rust; 15-50x faster than rdflib here) and never loads
anything from the network: JSON-LD remote contexts are refused, RDF/XML goes through
the safe XML parser first (no DTD, no entities, the depth and text limits).

Every syntax gives the same findings for the same graph:

- the parser is lenient about IRIs and language tags, which are then checked here,
  once per distinct value (``rdf.bad-iri``, ``rdf.bad-language-tag``), so that a bad IRI
  is one issue and the rest of the graph is still validated (strict Turtle would refuse
  the whole document, strict JSON-LD would silently drop the triple);
- the shapes in ``schemas/shapes/service-catalogue.ttl`` run with pyshacl on an rdflib
  graph built from the parsed triples (never re-parsed), holding only the triples whose
  predicate the shapes can read; IRIs rdflib refuses and RDF 1.2 triple terms get
  stand-ins, mapped back in the report;
- every ``http://id.esd.org.uk/service/N`` and ``.../interaction/N`` URI is cross-checked
  against the shipped LGSL and LGIL lists once per URI, at its first use in sorted order,
  with the number of uses.

Before any parser sees the input, brackets are counted outside strings, IRIs and
comments (:func:`nesting_depth`): deeper than ``Limits.max_depth`` is ``rdf.too-deep``.
Native parsers recurse, so a document nested deeper than :data:`SAFE_DEPTH` (allowed
only with raised limits) is validated in a child process: a crash there is one
``rdf.parser-crashed`` issue, not the end of the run.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import re
import subprocess
import sys
import warnings
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import TYPE_CHECKING, Any

from lgstandards._text import shorten
from lgstandards.report import Issue, Severity
from lgstandards.safexml import DEFAULT_LIMITS, Limits, XMLInputError, parse_bytes
from lgstandards.validation.layers import lookups
from lgstandards.validation.vocabcheck import LIST_NAMES, check_code, code_from_uri

if TYPE_CHECKING:
    from lgstandards.validation.core import Options

SHAPES_FILE = "shapes/service-catalogue.ttl"
SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
ESD_PREFIX = "http://id.esd.org.uk/"

#: Syntax names accepted by :func:`parse_rdf` and their pyoxigraph format names.
SYNTAXES = {
    "turtle": "TURTLE",
    "ntriples": "N_TRIPLES",
    "rdf/xml": "RDF_XML",
    "json-ld": "JSON_LD",
}

#: Nesting that pyoxigraph parses in process: its JSON-LD parser recurses (about 2 KiB of
#: stack a level: 5,000 levels overflow an 8 MiB stack, 128 a 256 KiB thread stack).
SAFE_DEPTH = 64

#: The longest token pyoxigraph's parsers buffer (a larger one raises MemoryError).
PARSER_BUFFER = 16 * 1024 * 1024

#: Characters rdflib refuses in an IRI (``URIRef.n3`` raises, its parsers reject them).
_RDFLIB_BAD_IRI = re.compile(r'[<>" {}|\\^`]')

# Tokens whose content is not structure: strings, IRIs, comments, escapes. Every
# alternative is possessive and may end at the end of the input (an unterminated
# token), so a scan is linear whatever the input. ``<<`` opens a triple term.
_TURTLE_TOKENS = re.compile(
    rb"""
      <<
    | <(?P<iri>[^>]*+)>?
    | "\"\"(?:[^"\\]++|\\(?s:.)?|"(?!""))*+(?:\"\"\")?
    | '''(?:[^'\\]++|\\(?s:.)?|'(?!''))*+(?:''')?
    | "(?:[^"\\\r\n]++|\\(?s:.)?)*+"?
    | '(?:[^'\\\r\n]++|\\(?s:.)?)*+'?
    | \#[^\r\n]*+
    | \\(?s:.)?
    """,
    re.VERBOSE,
)
_JSON_TOKENS = re.compile(rb'"(?P<iri>(?:[^"\\]++|\\(?s:.)?)*+)"?')
_XML_VALUES = re.compile(rb"""=\s*+(?:"(?P<iri>[^"<]*+)"|'(?P<iri2>[^'<]*+)')""")
_OPENERS = b"[({<\x01"
_CLOSERS = b"])}>"
_STEPS = bytes.maketrans(_OPENERS + _CLOSERS, b"\x01" * len(_OPENERS) + b"\xff" * len(_CLOSERS))
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _OPENERS + _CLOSERS)


class RDFInputError(Exception):
    """An RDF document cannot be validated; carries the issue code and position."""

    def __init__(
        self, code: str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


def nesting_depth(data: bytes, syntax: str) -> int:
    """Return how deep brackets nest in Turtle, N-Triples or JSON-LD, in linear time.

    Brackets inside strings, IRIs and comments do not count; ``<<`` counts as two
    levels. A closing bracket with nothing open ends the count: the parser stops there.
    """
    if syntax == "json-ld":
        structure = _JSON_TOKENS.sub(b"", data)
    else:
        # "<<" opens a triple term (two levels): mark it so that no token takes it
        structure = _TURTLE_TOKENS.sub(b"", data.replace(b"<<", b"\x01\x01"))
    steps = array("b", structure.translate(_STEPS, _NOT_BRACKETS))  # +1 or -1 a bracket
    if not steps:
        return 0
    if min(accumulate(steps)) >= 0:  # the sums are the depths, in C
        return max(accumulate(steps))
    depth = deepest = 0
    for start in range(0, len(steps), 65536):  # find the unmatched bracket, chunk by chunk
        chunk = steps[start : start + 65536]
        if depth + min(accumulate(chunk)) < 0:
            for step in chunk:
                depth += step
                if depth < 0:
                    break
                deepest = max(deepest, depth)
            break
        deepest = max(deepest, depth + max(accumulate(chunk)))
        depth += sum(chunk)
    return deepest


def check_input(
    data: bytes, syntax: str, *, limits: Limits = DEFAULT_LIMITS, name: str | None = None
) -> int:
    """Refuse input over the limits before an RDF parser sees it; return its nesting.

    RDF/XML goes through the safe XML parser (no DTD or entities, the depth and text
    limits, with their ``xml.*`` codes); the other syntaxes are scanned for brackets.
    """
    if syntax == "rdf/xml":
        try:
            parse_bytes(data, limits=limits, name=name)
        except XMLInputError as exc:
            raise RDFInputError(exc.code, exc.message, exc.line, exc.column) from exc
        return 0
    depth = nesting_depth(data, syntax)
    if depth > limits.max_depth:
        raise RDFInputError(
            "rdf.too-deep",
            f"brackets are nested {depth} levels deep, deeper than the limit of "
            f"{limits.max_depth} (raise Limits.max_depth for trusted input)",
        )
    return depth


def iter_triples(data: bytes, syntax: str) -> Iterator[Any]:
    """Parse ``data`` leniently with pyoxigraph, yielding ``pyoxigraph.Triple`` objects.

    IRIs and language tags are not checked by the parser (see :class:`GraphScan`).
    Raises :class:`RDFInputError` for a syntax error or a token over the parser's buffer.
    Call :func:`check_input` first: this runs the native parser in this process.
    """
    import pyoxigraph

    fmt = getattr(pyoxigraph.RdfFormat, SYNTAXES[syntax])
    try:
        for quad in pyoxigraph.parse(data, format=fmt, lenient=True):
            yield quad.triple
    except SyntaxError as exc:
        message = str(exc.msg if hasattr(exc, "msg") else exc)
        if "remote context" in message.lower() or "LoadDocumentCallback" in message:
            message = "JSON-LD remote contexts are not loaded (no network access)"
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "offset", None)
        raise RDFInputError("rdf.syntax-error", message, line, column) from exc
    except MemoryError as exc:
        if "buffer" not in str(exc):
            raise
        raise RDFInputError(
            "rdf.too-long",
            f"a literal or IRI is longer than the parser's buffer of {PARSER_BUFFER} bytes",
        ) from exc


def parse_rdf(data: bytes, syntax: str, *, limits: Limits = DEFAULT_LIMITS) -> list[Any]:
    """Parse ``data`` with pyoxigraph into a list of triples (``pyoxigraph.Triple``).

    Input over the limits, or nested deeper than :data:`SAFE_DEPTH`, is refused with
    :class:`RDFInputError` (use :func:`iter_rdf` to validate such a document).
    """
    depth = check_input(data, syntax, limits=limits)
    if depth > SAFE_DEPTH:
        raise RDFInputError(
            "rdf.too-deep", f"brackets are nested {depth} levels deep (over {SAFE_DEPTH})"
        )
    return list(iter_triples(data, syntax))


@cache
def shapes_graph() -> Any:
    """Return the service-catalogue shapes as an rdflib graph (parsed once)."""
    from rdflib import Graph

    from lgstandards._resources import schemas_root

    graph = Graph()
    graph.parse(schemas_root() / SHAPES_FILE, format="turtle")
    return graph


@cache
def shape_predicates() -> frozenset[str] | None:
    """Return the predicates the shapes can read in a data graph (None: any of them).

    Without SPARQL or closed shapes, SHACL reads data triples only along the paths the
    shapes name (and ``rdf:type``/``rdfs:subClassOf`` for class targets); a path or
    ``sh:equals`` predicate is an IRI the shapes graph holds as a subject or object.
    """
    from rdflib import URIRef

    graph = shapes_graph()
    for word in ("closed", "sparql", "target", "select", "ask", "js", "rule"):
        if (None, URIRef(SH + word), None) in graph:
            return None
    named = {str(t) for s, _, o in graph for t in (s, o) if isinstance(t, URIRef)}
    return frozenset(named | {RDF_TYPE, RDFS_SUBCLASS})


@dataclass(slots=True)
class Uses:
    """Where one esd URI is used: how often, and its first use in sorted order."""

    count: int = 0
    first: str = ""


class _QuietRdflib(logging.Filter):
    """Drop rdflib's log records about literals it cannot convert (reported otherwise)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Failed to convert Literal")


@dataclass
class GraphScan:
    """What one pass over the parsed triples learns; the triples themselves are not kept.

    ``keep`` is the set of predicates whose triples go into the rdflib graph for SHACL
    (None: all; ``shacl`` False: none). Literals and IRIs longer than ``max_text``
    raise :class:`RDFInputError` (``rdf.too-long``).
    """

    max_text: int = DEFAULT_LIMITS.max_text
    keep: frozenset[str] | None = None
    shacl: bool = True
    triples: int = 0
    iris: set[str] = field(default_factory=set)
    languages: set[str] = field(default_factory=set)
    esd: dict[str, Uses] = field(default_factory=dict)
    #: rdflib stand-in (an IRI rdflib refuses, a triple term) -> the text to show
    shown: dict[Any, str] = field(default_factory=dict)
    _kept: list[tuple[Any, Any, Any]] = field(default_factory=list)
    _terms: dict[Any, Any] = field(default_factory=dict)

    def add_all(self, triples: Iterable[Any]) -> GraphScan:
        """Scan every triple; return self."""
        import pyoxigraph

        named, literal, nested = pyoxigraph.NamedNode, pyoxigraph.Literal, pyoxigraph.Triple
        keep, shacl, kept = self.keep, self.shacl, self._kept
        add_iri, add_language, max_text = self.iris.add, self.languages.add, self.max_text
        count = self.triples
        try:
            for triple in triples:  # the hot loop: one pass, few calls
                count += 1
                subject, predicate, obj = triple.subject, triple.predicate, triple.object
                name = predicate.value
                add_iri(name)
                kind = type(subject)
                if kind is named:
                    value = subject.value
                    add_iri(value)
                    if value.startswith(ESD_PREFIX):
                        self._use(value, subject, predicate)
                elif kind is nested:
                    self._triple_term(subject, subject, predicate)
                kind = type(obj)
                if kind is named:
                    value = obj.value
                    add_iri(value)
                    if value.startswith(ESD_PREFIX):
                        self._use(value, subject, predicate)
                elif kind is literal:
                    if len(obj.value) > max_text:
                        raise self._too_long("a literal", len(obj.value))
                    language = obj.language
                    if language:
                        add_language(language)
                    else:
                        add_iri(obj.datatype.value)
                elif kind is nested:
                    self._triple_term(obj, subject, predicate)
                if shacl and (keep is None or name in keep):
                    kept.append((subject, predicate, obj))
        finally:
            self.triples = count
        longest = max(map(len, self.iris), default=0)
        if longest > max_text:
            raise self._too_long("an IRI", longest)
        return self

    def _too_long(self, what: str, length: int) -> RDFInputError:
        return RDFInputError(
            "rdf.too-long",
            f"{what} is {length} characters long, longer than the limit of "
            f"{self.max_text} (raise Limits.max_text for trusted input)",
        )

    def _use(self, uri: str, subject: Any, predicate: Any) -> None:
        uses = self.esd.get(uri)
        if uses is None:
            uses = self.esd[uri] = Uses()
        where = f"{_node_text(subject)} <{predicate.value}>"
        uses.count += 1
        if uses.count == 1 or where < uses.first:
            uses.first = where

    def _triple_term(self, term: Any, subject: Any, predicate: Any) -> None:
        """Scan an RDF 1.2 triple term (its IRIs, literals and esd URIs)."""
        import pyoxigraph

        stack = [term]
        while stack:  # nesting is bounded by check_input; no recursion anyway
            triple = stack.pop()
            self.iris.add(triple.predicate.value)
            for part in (triple.subject, triple.object):
                if isinstance(part, pyoxigraph.NamedNode):
                    self.iris.add(part.value)
                    if part.value.startswith(ESD_PREFIX):
                        self._use(part.value, subject, predicate)
                elif isinstance(part, pyoxigraph.Literal):
                    if len(part.value) > self.max_text:
                        raise self._too_long("a literal", len(part.value))
                    if part.language:
                        self.languages.add(part.language)
                    else:
                        self.iris.add(part.datatype.value)
                elif isinstance(part, pyoxigraph.Triple):
                    stack.append(part)

    def graph(self) -> Any:
        """Return the rdflib graph of the kept triples (stand-ins in :attr:`shown`)."""
        from rdflib import Graph

        graph = Graph()
        quiet = _QuietRdflib()
        log = logging.getLogger("rdflib.term")
        log.addFilter(quiet)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # rdflib warns on odd lexical forms
                convert = self._convert
                graph.addN((convert(s), convert(p), convert(o), graph) for s, p, o in self._kept)
        finally:
            log.removeFilter(quiet)
        self._kept = []
        self._terms = {}
        return graph

    def _convert(self, term: Any) -> Any:
        found = self._terms.get(term)
        if found is None:
            found = self._terms[term] = self._rdflib_term(term)
        return found

    def _rdflib_term(self, term: Any) -> Any:
        import pyoxigraph
        from rdflib import BNode, Literal, URIRef

        if isinstance(term, pyoxigraph.NamedNode):
            value = term.value
            if not _RDFLIB_BAD_IRI.search(value):
                return URIRef(value)
            standin = URIRef(_RDFLIB_BAD_IRI.sub(lambda m: f"%{ord(m.group()):02X}", value))
            if standin in self.iris or standin in self.shown:
                digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
                standin = URIRef(f"urn:lgstandards:bad-iri:{digest[:32]}")
            self.shown[standin] = f"<{value}>"
            return standin
        if isinstance(term, pyoxigraph.BlankNode):
            return BNode(term.value)
        if isinstance(term, pyoxigraph.Literal):
            if term.language:
                try:
                    return Literal(term.value, lang=term.language)
                except ValueError:  # reported as rdf.bad-language-tag
                    return Literal(term.value, lang="und")
            datatype = term.datatype.value
            if datatype == XSD_STRING:
                return Literal(term.value)
            return Literal(term.value, datatype=self._convert(term.datatype))
        text = f"<<( {term} )>>"  # an RDF 1.2 triple term: rdflib has none
        node = BNode("t" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())
        self.shown[node] = text
        return node


def _node_text(term: Any) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, pyoxigraph.Triple):
        return f"<<( {term} )>>"
    return "[]"


def to_rdflib(triples: Iterable[Any]) -> Any:
    """Build an rdflib graph from pyoxigraph triples (term by term, never re-parsed)."""
    return GraphScan(max_text=sys.maxsize).add_all(triples).graph()


def iri_issues(scan: GraphScan, *, source: str | None) -> Iterator[tuple[str, Issue]]:
    """Yield (IRI, issue) for every distinct invalid IRI and language tag of a scan."""
    import pyoxigraph

    bad: dict[str, str] = {}
    for value in scan.iris:
        try:
            pyoxigraph.NamedNode(value)  # the checks of pyoxigraph's strict parsers
        except ValueError as exc:
            bad[value] = str(exc)
    for value, reason in sorted(bad.items()):
        shown = shorten(value, 120)
        if ":" not in value or "scheme" in reason:
            english = (
                f"<{shown}> is not an absolute IRI: a relative IRI with no base, or a "
                "JSON-LD term the context does not define"
            )
            welsh = (
                f"Nid yw <{shown}> yn IRI absoliwt: IRI cymharol heb sylfaen, neu derm "
                "JSON-LD nad yw'r cyd-destun yn ei ddiffinio"
            )
        else:
            english = f"<{shown}> is not a valid IRI"
            welsh = f"Nid yw <{shown}> yn IRI dilys"
        issue = Issue(
            "rdf.bad-iri",
            Severity.ERROR,
            english,
            welsh,
            source=source,
            path=f"<{shown}>",
            detail=reason,
        )
        yield value, issue
    for tag in sorted(scan.languages):
        try:
            pyoxigraph.Literal("", language=tag)
        except ValueError as exc:
            shown = shorten(tag, 40)
            issue = Issue(
                "rdf.bad-language-tag",
                Severity.ERROR,
                f'"{shown}" is not a valid language tag (BCP 47)',
                f'Nid yw "{shown}" yn dag iaith dilys (BCP 47)',
                source=source,
                path=f"@{shown}",
                detail=str(exc),
            )
            yield "", issue


def shacl_issues(
    graph: Any, *, source: str | None, shown: dict[Any, str] | None = None
) -> Iterator[Issue]:
    """Run the catalogue shapes on an rdflib graph; one issue per SHACL result.

    ``shown`` maps stand-in terms of the graph back to the text to report.
    """
    return (issue for _, issue in _shacl_results(graph, source=source, shown=shown or {}))


#: The issue code of a service-catalogue SHACL result, by its severity.
_SHACL_CODES = {
    Severity.ERROR: "shacl.violation",
    Severity.WARNING: "shacl.warning",
    Severity.INFO: "shacl.info",
}


def _shacl_results(
    graph: Any, *, source: str | None, shown: dict[Any, str]
) -> Iterator[tuple[str, Issue]]:
    from rdflib import URIRef

    from lgstandards._shacl import shacl_results

    found: dict[tuple[str, str, str, str | None], tuple[str, Issue]] = {}
    for result in shacl_results(graph, shapes_graph()):
        code = _SHACL_CODES[result.severity]
        focus, path, value = result.focus, result.path, result.value
        focus_text = _shown(graph, focus, shown)
        where = focus_text + (f" <{path}>" if isinstance(path, URIRef) else "")
        component = result.component
        detail = str(component).rpartition("#")[2] if component is not None else None
        if value is not None:
            detail = f"{detail}; value {shorten(_shown(graph, value, shown, literal=True), 120)}"
        issue = Issue(
            code,
            result.severity,
            result.message or f"{focus_text} does not conform to the service catalogue shapes",
            result.message_cy,
            source=source,
            path=where,
            detail=detail,
        )
        anchor = focus_text[1:-1] if isinstance(focus, URIRef) else ""  # the IRI as written
        found[(code, where, issue.message, detail)] = (anchor, issue)
    yield from sorted(found.values(), key=lambda a: (a[1].path or "", a[1].code, a[1].message))


def _shown(graph: Any, term: Any, shown: dict[Any, str], *, literal: bool = False) -> str:
    """Return the text of a term in a report: an IRI, a stand-in's original, a blank node."""
    from rdflib import BNode, URIRef

    if term in shown:
        return shown[term]
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        # a blank node's label differs between syntaxes: name it by a link to it instead
        links = sorted(
            (str(s), str(p)) for s, p in graph.subject_predicates(term) if isinstance(s, URIRef)
        )
        return f"<{links[0][0]}> <{links[0][1]}> []" if links else "[]"
    return str(term) if literal else f'"{term}"'


def vocab_issues(scan: GraphScan, *, source: str | None, as_of: Any) -> Iterator[tuple[str, Issue]]:
    """Yield (URI, issue) for the esd service and interaction URIs of a scan, once per URI."""
    tables = lookups(as_of)
    for uri, uses in sorted(scan.esd.items()):
        found = code_from_uri(uri)
        if found is None:
            continue
        list_name, code = found
        shown = shorten(uri, 120)
        detail = f"used {uses.count} times" if uses.count > 1 else None
        if not (code.isascii() and code.isdigit()):
            name = LIST_NAMES[list_name][0]
            yield (
                uri,
                Issue(
                    "vocab.unknown-code",
                    Severity.ERROR,
                    f"<{shown}> is not an {name} URI (the code must be a number)",
                    f"Nid yw <{shown}> yn URI {name} (rhaid i'r cod fod yn rhif)",
                    source=source,
                    path=uses.first,
                    detail=detail,
                ),
            )
            continue
        for issue in check_code(
            code,
            list_name,
            lookup=tables[list_name],
            source=source,
            path=uses.first,
            where=f" (<{shown}>)",
        ):
            yield uri, dataclasses.replace(issue, detail=detail)


def vocab_uri_issues(triples: Iterable[Any], *, source: str | None, as_of: Any) -> Iterator[Issue]:
    """Cross-check every esd service and interaction URI of ``triples`` (once per URI)."""
    scan = GraphScan(max_text=sys.maxsize, shacl=False).add_all(triples)
    return (issue for _, issue in vocab_issues(scan, source=source, as_of=as_of))


def locate(data: bytes, syntax: str, iris: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Return the line and column (from 1, in characters) of the first use of each IRI.

    Written IRIs are looked for as the syntax writes them (``<...>`` in Turtle, a JSON
    string, an XML attribute value); one linear scan for them all. An IRI written
    otherwise (a prefixed name, escaped, relative) has no position.
    """
    wanted = {iri.encode("utf-8", "surrogatepass") for iri in iris if iri}
    if not wanted:
        return {}
    tokens = {"json-ld": _JSON_TOKENS, "rdf/xml": _XML_VALUES}.get(syntax, _TURTLE_TOKENS)
    found: dict[str, tuple[int, int]] = {}
    line, line_start, counted, chars = 1, 0, 0, 0
    for match in tokens.finditer(data):
        group = "iri2" if syntax == "rdf/xml" and match.group("iri") is None else "iri"
        value = match.group(group)
        if value is None or value not in wanted:
            continue
        wanted.discard(value)
        start = match.start(group) - 1  # the opening delimiter
        newlines = data.count(b"\n", counted, start)
        if newlines:
            line += newlines
            line_start = data.rfind(b"\n", counted, start) + 1
            counted, chars = line_start, 0
        chars += len(data[counted:start].decode("utf-8", "replace"))
        counted = start
        found[value.decode("utf-8", "surrogatepass")] = (line, chars + 1)
        if not wanted:
            break
    return found


def iter_rdf(data: bytes, options: Options, *, name: str | None, syntax: str) -> Iterator[Issue]:
    """Validate one RDF service catalogue, read whole (``syntax``: one of :data:`SYNTAXES`).

    The router (:class:`~lgstandards.validation.input.Document`) reads the document and
    finds its syntax.
    """
    if not data.strip():
        yield _empty(name, "the RDF document is empty", "mae'r ddogfen RDF yn wag")
        return
    try:
        depth = check_input(data, syntax, limits=options.limits, name=name)
    except RDFInputError as exc:
        yield _input_error(exc, syntax, name)
        return
    if depth > SAFE_DEPTH:
        yield from _isolated(data, options, name=name, syntax=syntax)
        return
    yield from _validate(data, options, name=name, syntax=syntax)


def _validate(data: bytes, options: Options, *, name: str | None, syntax: str) -> Iterator[Issue]:
    """Parse in this process and run every check (the input passed :func:`check_input`)."""
    shacl = "rules" in options.checks or "xsd" in options.checks
    scan = GraphScan(
        max_text=options.limits.max_text,
        keep=shape_predicates() if shacl else frozenset(),
        shacl=shacl,
    )
    try:
        scan.add_all(iter_triples(data, syntax))
    except RDFInputError as exc:
        yield _input_error(exc, syntax, name)
        return
    if not scan.triples:
        yield _empty(
            name, "the RDF document holds no triples", "nid oes unrhyw driphlyg yn y ddogfen RDF"
        )
        return
    found = list(iri_issues(scan, source=name))
    if shacl:
        try:
            found.extend(_shacl_results(scan.graph(), source=name, shown=scan.shown))
        except Exception as exc:
            from lgstandards.validation.layers import failure

            found.append(("", failure("SHACL", exc, source=name)))
    if "vocab" in options.checks:
        found.extend(vocab_issues(scan, source=name, as_of=options.as_of))
    places = locate(data, syntax, {anchor for anchor, _ in found})
    for anchor, issue in found:
        place = places.get(anchor)
        yield issue if place is None else dataclasses.replace(issue, line=place[0], column=place[1])


def _empty(name: str | None, english: str, welsh: str) -> Issue:
    return Issue("rdf.empty", Severity.ERROR, english, welsh, source=name)


def _input_error(exc: RDFInputError, syntax: str, name: str | None) -> Issue:
    from lgstandards.codes import registry

    entry = registry().get(exc.code)
    syntax_error = exc.code == "rdf.syntax-error"
    return Issue(
        exc.code,
        Severity.ERROR,
        f"{syntax} syntax error: {exc.message}" if syntax_error else exc.message,
        entry.description_cy if entry else None,
        source=name,
        line=exc.line,
        column=exc.column,
    )


_CHILD = (
    "import json, sys; args = json.loads(sys.argv[1]); sys.path[:0] = args['path']; "
    "from lgstandards.validation.rdf import _child_main; _child_main(args)"
)


def _isolated(data: bytes, options: Options, *, name: str | None, syntax: str) -> Iterator[Issue]:
    """Validate in a child process (native parsers recurse on deep input); a crash is an issue."""
    args = {
        "path": [p for p in sys.path if isinstance(p, str)],
        "syntax": syntax,
        "name": name,
        "checks": sorted(options.checks),
        "as_of": options.as_of.isoformat() if options.as_of else None,
        "limits": dataclasses.asdict(options.limits),
    }
    if not sys.executable:
        yield _input_error(
            RDFInputError("rdf.too-deep", f"brackets are nested deeper than {SAFE_DEPTH} levels"),
            syntax,
            name,
        )
        return
    result = subprocess.run(  # this interpreter and our own code, no shell
        [sys.executable, "-c", _CHILD, json.dumps(args)],
        input=data,
        capture_output=True,
        check=False,
    )
    if result.returncode == 0:
        for item in json.loads(result.stdout):
            item["severity"] = Severity(item["severity"])
            yield Issue(**item)
        return
    if result.returncode < 0:
        yield Issue(
            "rdf.parser-crashed",
            Severity.ERROR,
            f"the {syntax} parser crashed on this document (signal {-result.returncode}); it "
            "ran in a separate process, so only this document is affected",
            f"chwalodd y dosrannydd {syntax} ar y ddogfen hon (signal {-result.returncode}); "
            "roedd yn rhedeg mewn proses ar wahân, felly dim ond y ddogfen hon a effeithiwyd",
            source=name,
        )
        return
    from lgstandards.validation.layers import failure

    error = result.stderr.decode("utf-8", "replace").strip().splitlines()
    yield failure(
        "RDF", RuntimeError(error[-1] if error else f"exit {result.returncode}"), source=name
    )


def _child_main(args: dict[str, Any]) -> None:
    """Run :func:`_validate` on standard input and print the issues as JSON (child process)."""
    import datetime as dt

    from lgstandards.validation.core import make_options

    options = make_options(
        kind="rdf.service-catalogue",
        checks=args["checks"],
        as_of=dt.date.fromisoformat(args["as_of"]) if args["as_of"] else None,
        limits=Limits(**args["limits"]),
    )
    data = sys.stdin.buffer.read()
    issues = [
        {**dataclasses.asdict(issue), "severity": issue.severity.value}
        for issue in _validate(data, options, name=args["name"], syntax=args["syntax"])
    ]
    sys.stdout.write(json.dumps(issues))


__all__ = [
    "SAFE_DEPTH",
    "SHAPES_FILE",
    "SYNTAXES",
    "GraphScan",
    "RDFInputError",
    "Uses",
    "check_input",
    "iri_issues",
    "iter_rdf",
    "iter_triples",
    "locate",
    "nesting_depth",
    "parse_rdf",
    "shacl_issues",
    "shape_predicates",
    "shapes_graph",
    "to_rdflib",
    "vocab_issues",
    "vocab_uri_issues",
]
