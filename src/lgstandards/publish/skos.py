"""Build the SKOS forms (Turtle, JSON-LD, RDF/XML, CSV) of a vocabulary from its source.

The source of a list is read through :mod:`lgstandards.vocab.source`; the terms used are
documented in ``vocabularies/FORMAT.md``. rdflib is imported inside the functions, so
importing this module is cheap.

Turtle and JSON-LD are written by this module, not by rdflib's serialisers, so that the
output is byte-identical across runs and Python versions: fixed prefixes, subjects in a
fixed order (scheme, concepts by code, then other resources in natural IRI order),
predicates in a fixed order, objects sorted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from lgstandards.exceptions import PublishError
from lgstandards.vocab.releases import FORMATS, SUFFIXES, Format
from lgstandards.vocab.source import (
    BASE_COLUMNS,
    ConceptRow,
    SchemeInfo,
    SourceFormatError,
    list_dir,
    read_concepts,
    read_mappings,
    read_scheme,
    read_transactions,
    write_csv,
)

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

#: The lgstandards namespace for terms SKOS and Dublin Core do not have.
LGS = "https://w3id.org/lgstandards/def#"
#: esd's own namespace (``esd:isPartOfServiceGroup``).
ESD = "http://def.esd.org.uk/"
#: Item IRI templates of the lists other lists link to.
SERVICE_URI = "http://id.esd.org.uk/service/{code}"
INTERACTION_URI = "http://id.esd.org.uk/interaction/{code}"

#: The prefixes every Turtle and JSON-LD file declares, in this order.
PREFIXES: tuple[tuple[str, str], ...] = (
    ("dct", "http://purl.org/dc/terms/"),
    ("esd", ESD),
    ("function", "http://id.esd.org.uk/function/"),
    ("interaction", "http://id.esd.org.uk/interaction/"),
    ("lgs", LGS),
    ("navigation", "http://id.esd.org.uk/website%20navigation/"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("service", "http://id.esd.org.uk/service/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("tier", "https://w3id.org/lgstandards/id/tier/"),
    ("transaction", "https://w3id.org/lgstandards/id/transaction/"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)
_NS = dict(PREFIXES)

#: The formats written to ``built/`` by :func:`build_list`.
BUILT_FORMATS: tuple[Format, ...] = ("turtle", "jsonld", "csv")

TRANSACTION_COLUMNS = (
    "service",
    "interaction",
    "service_slug",
    "interaction_slug",
    "councils",
    "source",
)

#: Extra columns with a dedicated RDF property: column -> (prefixed property, kind).
_EXTRA: Mapping[str, tuple[str, str]] = {
    "short_label": ("lgs:shortLabel", "text"),
    "parent_inferred": ("lgs:parentInferred", "flag"),
    "bvpi157": ("lgs:bvpi157", "flag"),
}

#: Predicates in the order they are written; the rest follow sorted by IRI.
_PREDICATE_ORDER = (
    "rdf:type",
    "skos:notation",
    "skos:prefLabel",
    "skos:altLabel",
    "lgs:shortLabel",
    "skos:definition",
    "dct:title",
    "dct:description",
    "owl:versionInfo",
    "skos:broader",
    "skos:narrower",
    "lgs:parentInferred",
    "skos:topConceptOf",
    "skos:inScheme",
    "lgs:publishedUri",
    "dct:created",
    "dct:issued",
    "dct:modified",
    "skos:historyNote",
    "skos:changeNote",
    "owl:deprecated",
    "lgs:deprecatedDate",
    "dct:isReplacedBy",
    "lgs:status",
    "lgs:discontinuedDate",
    "dct:license",
    "dct:rights",
    "dct:source",
    "prov:wasDerivedFrom",
    "skos:hasTopConcept",
)


def _iri(prefixed: str) -> str:
    prefix, _, local = prefixed.partition(":")
    return _NS[prefix] + local


_ORDER = {_iri(p): i for i, p in enumerate(_PREDICATE_ORDER)}


# --------------------------------------------------------------------------- graph


def build_graph(list_id: str, root: Path | None = None) -> Graph:
    """Build the SKOS graph of ``list_id`` from its source in ``root`` (the vocabularies)."""
    folder = list_dir(list_id, root)
    scheme = read_scheme(folder)
    if (folder / "transactions.csv").is_file():
        return _graph(scheme, (), (), read_transactions(folder))
    return _graph(scheme, read_concepts(folder, scheme), read_mappings(folder), ())


def _graph(
    scheme: SchemeInfo,
    concepts: Sequence[ConceptRow],
    mappings: Sequence[Mapping[str, str]],
    transactions: Sequence[Mapping[str, str]],
) -> Graph:
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import XSD

    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES:
        graph.bind(prefix, namespace)
    lang = scheme.language

    def p(prefixed: str) -> URIRef:
        return URIRef(_iri(prefixed))

    def add(subject: URIRef, prefixed: str, value: Node) -> None:
        graph.add((subject, p(prefixed), value))

    def text(value: str) -> Literal:
        return Literal(value, lang=lang)

    def flag() -> Literal:
        return Literal(True)

    node = URIRef(scheme.uri)
    add(node, "rdf:type", p("skos:ConceptScheme"))
    add(node, "dct:title", text(scheme.title))
    if scheme.description:
        add(node, "dct:description", text(scheme.description))
    add(node, "owl:versionInfo", Literal(scheme.version))
    if scheme.issued:
        add(node, "dct:issued", Literal(scheme.issued))
    if scheme.modified:
        add(node, "dct:modified", Literal(scheme.modified))
    add(node, "lgs:status", Literal(scheme.status))
    if scheme.discontinued:
        add(node, "lgs:discontinuedDate", Literal(scheme.discontinued))
    if scheme.licence.get("url"):
        add(node, "dct:license", URIRef(str(scheme.licence["url"])))
    if scheme.licence.get("attribution"):
        add(node, "dct:rights", text(str(scheme.licence["attribution"])))
    for source in scheme.sources:
        url = str(source.get("url", ""))
        if url.startswith(("http://", "https://")):
            add(node, "dct:source", URIRef(url))
        elif url:
            add(node, "dct:source", Literal(url))
        if source.get("via") and source.get("commit") and source.get("path"):
            blob = f"{source['via']}/blob/{source['commit']}/{source['path']}"
            add(node, "prov:wasDerivedFrom", URIRef(blob))

    def concept(code: int | str) -> URIRef:
        return URIRef(scheme.concept_uri.format(code=code))

    for row in concepts:
        subject = concept(row.code)
        add(subject, "rdf:type", p("skos:Concept"))
        add(subject, "skos:notation", Literal(row.code, datatype=XSD.integer))
        add(subject, "skos:prefLabel", text(row.label))
        if row.description:
            add(subject, "skos:definition", text(row.description))
        add(subject, "skos:inScheme", node)
        if row.broader is None:
            add(subject, "skos:topConceptOf", node)
            add(node, "skos:hasTopConcept", subject)
        else:
            add(subject, "skos:broader", concept(row.broader))
            add(concept(row.broader), "skos:narrower", subject)
        if scheme.published_concept_uri:
            published = scheme.published_concept_uri.format(code=row.code)
            add(subject, "lgs:publishedUri", Literal(published))
        if row.created:
            add(subject, "dct:created", Literal(row.created))
        if row.modified:
            add(subject, "dct:modified", Literal(row.modified))
        if row.history_notes:
            add(subject, "skos:historyNote", text(row.history_notes))
        if row.change_note:
            add(subject, "skos:changeNote", text(row.change_note))
        if row.deprecated:
            add(subject, "owl:deprecated", flag())
        if row.deprecated_date:
            add(subject, "lgs:deprecatedDate", Literal(row.deprecated_date))
        if row.replaced_by is not None:
            add(subject, "dct:isReplacedBy", concept(row.replaced_by))
        for column, value in row.extra.items():
            prop, kind = _EXTRA.get(column, (f"lgs:{_camel(column)}", "plain"))
            if value == "":
                continue
            if column == "short_label" and value != row.label:
                # Also an altLabel, except where it equals the prefLabel: SKOS makes
                # prefLabel and altLabel of one concept disjoint (integrity condition S13).
                add(subject, "skos:altLabel", text(value))
            if kind == "flag":
                add(subject, prop, Literal(value == "true"))
            elif kind == "text":
                add(subject, prop, text(value))
            else:
                add(subject, prop, Literal(value))

    tiers = {row.label: concept(row.code) for row in concepts}
    for mapping in mappings:
        if "providing_tier" in mapping:
            service = URIRef(SERVICE_URI.format(code=int(mapping["service"])))
            published = mapping["providing_tier"]
            add(service, "lgs:providingTier", Literal(published))
            names = sorted(tiers) if published == "all" else published.split("/")
            for name in names:
                if name not in tiers:
                    raise SourceFormatError(
                        f"{scheme.id}: providing tier {published!r} names {name!r}, "
                        f"which is not a concept label ({', '.join(sorted(tiers))})"
                    )
                add(service, "lgs:providedByTier", tiers[name])
            if mapping.get("description"):
                add(service, "lgs:govukDescription", text(mapping["description"]))
        else:
            owner = concept(int(mapping["code"]))
            service = URIRef(SERVICE_URI.format(code=int(mapping["service"])))
            add(owner, "lgs:containsService", service)
            if scheme.id == "lgnl":
                add(service, "esd:isPartOfServiceGroup", owner)

    for row_map in transactions:
        service_code, interaction_code = int(row_map["service"]), int(row_map["interaction"])
        subject = concept(f"{service_code}-{interaction_code}")
        add(subject, "rdf:type", p("lgs:Transaction"))
        add(subject, "skos:inScheme", node)
        add(subject, "lgs:service", URIRef(SERVICE_URI.format(code=service_code)))
        add(subject, "lgs:interaction", URIRef(INTERACTION_URI.format(code=interaction_code)))
        add(subject, "lgs:serviceSlug", Literal(row_map["service_slug"]))
        add(subject, "lgs:interactionSlug", Literal(row_map["interaction_slug"]))
        add(subject, "lgs:councils", Literal(int(row_map["councils"]), datatype=XSD.integer))
        if row_map.get("source"):
            add(subject, "dct:source", Literal(row_map["source"]))
    return graph


def _camel(column: str) -> str:
    head, *rest = column.split("_")
    return head + "".join(part.title() for part in rest)


# --------------------------------------------------------------------------- ordering


def _natural(value: str) -> tuple[Any, ...]:
    """Sort key putting ``service/9`` before ``service/10``; ties broken by the text."""
    parts = tuple(
        (0, int(part), "") if "0" <= part[0] <= "9" else (1, 0, part)
        for part in re.findall(r"[0-9]+|[^0-9]+", value)
    )
    return (parts, value)


def _subjects(graph: Graph) -> list[Node]:
    from rdflib import RDF, BNode, URIRef

    scheme = URIRef(_iri("skos:ConceptScheme"))
    concept = URIRef(_iri("skos:Concept"))
    transaction = URIRef(_iri("lgs:Transaction"))

    def key(subject: Node) -> tuple[Any, ...]:
        if isinstance(subject, BNode):
            raise ValueError("blank nodes are not supported by the lgstandards writers")
        types = set(graph.objects(subject, RDF.type))
        group = 0 if scheme in types else 1 if concept in types else 2
        group = 3 if group == 2 and transaction not in types else group
        return (group, _natural(str(subject)))

    return sorted(set(graph.subjects()), key=key)


def _predicates(graph: Graph, subject: Node) -> list[Node]:
    return sorted(
        set(graph.predicates(subject)),
        key=lambda p: (_ORDER.get(str(p), len(_ORDER)), str(p)),
    )


def _object_key(value: Node) -> tuple[Any, ...]:
    from rdflib import Literal as RDFLiteral

    if isinstance(value, RDFLiteral):
        return (1, str(value.datatype or ""), value.language or "", _natural(str(value)))
    return (0, "", "", _natural(str(value)))


def _objects(graph: Graph, subject: Node, predicate: Node) -> list[Node]:
    return sorted(set(graph.objects(subject, predicate)), key=_object_key)


# --------------------------------------------------------------------------- Turtle

_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_XSD = _NS["xsd"]


def _escape(value: str) -> str:
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def _compact(iri: str) -> str | None:
    for prefix, namespace in sorted(PREFIXES, key=lambda pn: -len(pn[1])):
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if _LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return None


def _turtle_iri(iri: str) -> str:
    compact = _compact(iri)
    if compact is not None:
        return compact
    escaped = "".join(
        f"\\u{ord(c):04X}" if c in ' <>"{}|^`\\' or ord(c) <= 0x20 else c for c in iri
    )
    return f"<{escaped}>"


def _turtle_term(value: Node) -> str:
    from rdflib import Literal as RDFLiteral

    if not isinstance(value, RDFLiteral):
        return _turtle_iri(str(value))
    lexical = str(value)
    datatype = str(value.datatype) if value.datatype else None
    if datatype == _XSD + "integer" and re.fullmatch(r"[+-]?\d+", lexical):
        return lexical
    if datatype == _XSD + "boolean" and lexical in ("true", "false"):
        return lexical
    quoted = f'"{_escape(lexical)}"'
    if value.language:
        return f"{quoted}@{value.language}"
    if datatype and datatype != _XSD + "string":
        return f"{quoted}^^{_turtle_iri(datatype)}"
    return quoted


def to_turtle(graph: Graph) -> bytes:
    """Serialise ``graph`` as deterministic Turtle (UTF-8)."""
    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES]
    rdf_type = _iri("rdf:type")
    for subject in _subjects(graph):
        lines.append("")
        statements = []
        for predicate in _predicates(graph, subject):
            verb = "a" if str(predicate) == rdf_type else _turtle_iri(str(predicate))
            objects = [_turtle_term(o) for o in _objects(graph, subject, predicate)]
            if len(objects) > 3:
                statements.append(f"    {verb}\n        " + ",\n        ".join(objects))
            else:
                statements.append(f"    {verb} " + ", ".join(objects))
        lines.append(_turtle_iri(str(subject)) + "\n" + " ;\n".join(statements) + " .")
    return ("\n".join(lines) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- JSON-LD


def _json_key(iri: str) -> str:
    compact = _compact(iri)
    return compact if compact is not None else iri


def _json_value(value: Node) -> Any:
    from rdflib import Literal as RDFLiteral

    if not isinstance(value, RDFLiteral):
        return {"@id": str(value)}
    lexical = str(value)
    datatype = str(value.datatype) if value.datatype else None
    if datatype == _XSD + "integer" and re.fullmatch(r"-?(?:0|[1-9]\d*)", lexical):
        return int(lexical)
    if datatype == _XSD + "boolean" and lexical in ("true", "false"):
        return lexical == "true"
    if value.language:
        return {"@value": lexical, "@language": value.language}
    if datatype and datatype != _XSD + "string":
        return {"@value": lexical, "@type": _json_key(datatype)}
    return lexical


def to_jsonld(graph: Graph) -> bytes:
    """Serialise ``graph`` as deterministic JSON-LD (a ``@graph`` of flat nodes, UTF-8)."""
    rdf_type = _iri("rdf:type")
    nodes = []
    for subject in _subjects(graph):
        node: dict[str, Any] = {"@id": str(subject)}
        for predicate in _predicates(graph, subject):
            objects = _objects(graph, subject, predicate)
            if str(predicate) == rdf_type:
                types = [_json_key(str(o)) for o in objects]
                node["@type"] = types[0] if len(types) == 1 else types
                continue
            values = [_json_value(o) for o in objects]
            node[_json_key(str(predicate))] = values[0] if len(values) == 1 else values
        nodes.append(node)
    document = {"@context": dict(PREFIXES), "@graph": nodes}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --------------------------------------------------------------------------- CSV


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    return write_csv(header, rows)


def to_csv(graph: Graph, extra_columns: Sequence[str] | None = None) -> bytes:
    """One row per concept (or per transaction): the source columns, then ``uri``.

    ``extra_columns`` gives the list's extra columns in order; by default those whose
    property occurs in the graph, in the order of FORMAT.md.
    """
    from rdflib import RDF, URIRef

    concepts = list(graph.subjects(RDF.type, URIRef(_iri("skos:Concept"))))
    transactions = list(graph.subjects(RDF.type, URIRef(_iri("lgs:Transaction"))))
    if transactions and not concepts:
        return _transactions_csv(graph, transactions)
    if extra_columns is None:
        present = {str(p) for p in graph.predicates()}
        extra_columns = [c for c, (prop, _) in _EXTRA.items() if _iri(prop) in present]
    header = [*BASE_COLUMNS, *extra_columns, "uri"]

    def one(subject: Node, prefixed: str) -> Node | None:
        values = _objects(graph, subject, URIRef(_iri(prefixed)))
        return values[0] if values else None

    def code_of(target: Node | None) -> str:
        if target is None:
            return ""
        notation = one(target, "skos:notation")
        return str(notation) if notation is not None else str(target).rsplit("/", 1)[-1]

    def lexical(subject: Node, prefixed: str) -> str:
        value = one(subject, prefixed)
        return "" if value is None else str(value)

    rows = []
    for subject in sorted(concepts, key=lambda s: _natural(lexical(s, "skos:notation"))):
        row = {
            "code": lexical(subject, "skos:notation"),
            "label": lexical(subject, "skos:prefLabel"),
            "description": lexical(subject, "skos:definition"),
            "broader": code_of(one(subject, "skos:broader")),
            "created": lexical(subject, "dct:created"),
            "modified": lexical(subject, "dct:modified"),
            "history_notes": lexical(subject, "skos:historyNote"),
            "deprecated": lexical(subject, "owl:deprecated").replace("false", ""),
            "deprecated_date": lexical(subject, "lgs:deprecatedDate"),
            "replaced_by": code_of(one(subject, "dct:isReplacedBy")),
            "change_note": lexical(subject, "skos:changeNote"),
            "uri": str(subject),
        }
        for column in extra_columns:
            prop, kind = _EXTRA.get(column, (f"lgs:{_camel(column)}", "plain"))
            value = lexical(subject, prop)
            row[column] = value.replace("false", "") if kind == "flag" else value
        rows.append([row[column] for column in header])
    return _csv(header, rows)


def _transactions_csv(graph: Graph, subjects: Sequence[Node]) -> bytes:
    from rdflib import URIRef

    def value(subject: Node, prefixed: str) -> str:
        found = _objects(graph, subject, URIRef(_iri(prefixed)))
        return str(found[0]) if found else ""

    rows = []
    for subject in subjects:
        service = value(subject, "lgs:service").rsplit("/", 1)[-1]
        interaction = value(subject, "lgs:interaction").rsplit("/", 1)[-1]
        rows.append(
            [
                service,
                interaction,
                value(subject, "lgs:serviceSlug"),
                value(subject, "lgs:interactionSlug"),
                value(subject, "lgs:councils"),
                value(subject, "dct:source"),
                str(subject),
            ]
        )
    rows.sort(key=lambda r: (int(r[0]), int(r[1])))
    return _csv([*TRANSACTION_COLUMNS, "uri"], rows)


# --------------------------------------------------------------------------- public API


#: Characters XML 1.0 documents cannot contain, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _qname(iri: str) -> tuple[str, str]:
    """Split a predicate IRI into (prefix, local name) for RDF/XML."""
    for prefix, namespace in sorted(PREFIXES, key=lambda pn: -len(pn[1])):
        local = iri[len(namespace) :]
        if iri.startswith(namespace) and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.-]*", local):
            return prefix, local
    raise ValueError(f"cannot write predicate {iri} in RDF/XML: no prefix for its namespace")


def to_rdfxml(graph: Graph) -> bytes:
    """Serialise ``graph`` as deterministic, flat RDF/XML (one ``rdf:Description`` each).

    Raises ``PublishError`` when a literal holds a control character XML 1.0 cannot carry.
    """
    from xml.sax.saxutils import escape, quoteattr

    from rdflib import Literal as RDFLiteral

    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines.extend(f"  xmlns:{prefix}={quoteattr(namespace)}" for prefix, namespace in PREFIXES)
    lines[-1] += ">"
    for subject in _subjects(graph):
        lines.append(f"  <rdf:Description rdf:about={quoteattr(str(subject))}>")
        for predicate in _predicates(graph, subject):
            prefix, local = _qname(str(predicate))
            tag = f"{prefix}:{local}"
            for value in _objects(graph, subject, predicate):
                if not isinstance(value, RDFLiteral):
                    lines.append(f"    <{tag} rdf:resource={quoteattr(str(value))}/>")
                    continue
                attrs = ""
                if value.language:
                    attrs = f" xml:lang={quoteattr(value.language)}"
                elif value.datatype and str(value.datatype) != _XSD + "string":
                    attrs = f" rdf:datatype={quoteattr(str(value.datatype))}"
                if _NOT_XML.search(str(value)):
                    raise PublishError(
                        f"{subject} {tag}: the text holds a character XML 1.0 cannot carry "
                        "(a control character); use Turtle or JSON-LD"
                    )
                text = escape(str(value), {"\r": "&#13;"})
                lines.append(f"    <{tag}{attrs}>{text}</{tag}>")
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS: Mapping[str, Callable[[Graph], bytes]] = {
    "turtle": to_turtle,
    "jsonld": to_jsonld,
    "rdfxml": to_rdfxml,
    "csv": to_csv,
}


def serialize(graph: Graph, fmt: Format) -> bytes:
    """Serialise ``graph`` as ``turtle``, ``jsonld``, ``rdfxml`` or ``csv`` (UTF-8 bytes).

    Turtle, JSON-LD and CSV are byte-identical across runs for the same graph.
    """
    try:
        writer = _WRITERS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return writer(graph)


def build_list(list_id: str, root: Path | None = None) -> dict[str, bytes]:
    """Build the published files of ``list_id``: ``{"<list>.ttl": bytes, ...}``."""
    folder = list_dir(list_id, root)
    scheme = read_scheme(folder)
    graph = build_graph(list_id, folder.parent)
    out: dict[str, bytes] = {}
    for fmt in BUILT_FORMATS:
        name = f"{list_id}.{SUFFIXES[fmt]}"
        if fmt == "csv":
            out[name] = to_csv(graph, scheme.extra_columns)
        else:
            out[name] = serialize(graph, fmt)
    return out


def write_built(list_id: str, root: Path | None = None) -> list[Path]:
    """Build ``list_id`` and write its files to ``<list>/built/``; returns the paths."""
    folder = list_dir(list_id, root)
    built = folder / "built"
    built.mkdir(exist_ok=True)
    paths = []
    for name, data in build_list(list_id, folder.parent).items():
        path = built / name
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


def stale_files(list_id: str, root: Path | None = None) -> list[Path]:
    """Return the built files of ``list_id`` that are missing or differ from a fresh build."""
    folder = list_dir(list_id, root)
    built = folder / "built"
    stale = []
    for name, data in build_list(list_id, folder.parent).items():
        path = built / name
        if not path.is_file() or path.read_bytes() != data:
            stale.append(path)
    return stale


__all__ = [
    "BUILT_FORMATS",
    "ESD",
    "LGS",
    "PREFIXES",
    "build_graph",
    "build_list",
    "serialize",
    "stale_files",
    "to_csv",
    "to_jsonld",
    "to_rdfxml",
    "to_turtle",
    "write_built",
]
