"""Load any RDF source into plain Python indexes (dicts of lists) for fast checks.

Parsing uses pyoxigraph (about 40 times faster than rdflib); an rdflib graph or a
pyoxigraph store/dataset is accepted too. IRIs are plain ``str``, blank nodes
``"_:id"``, literals :class:`Lit`. Nothing here imports a heavy library at import
time.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from lgstandards.exceptions import DocumentParseError

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"
DCT = "http://purl.org/dc/terms/"

SKOS_CONCEPT = SKOS + "Concept"
SKOS_SCHEME = SKOS + "ConceptScheme"
OWL_DEPRECATED = OWL + "deprecated"
DCT_REPLACED_BY = DCT + "isReplacedBy"

#: File extensions and the pyoxigraph format name each one means.
EXTENSIONS = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".ntriples": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".n3": "N3",
    ".rdf": "RDF_XML",
    ".xml": "RDF_XML",
    ".owl": "RDF_XML",
    ".rdfxml": "RDF_XML",
    ".jsonld": "JSON_LD",
    ".json": "JSON_LD",
}

#: Short prefixes used to name properties in messages.
PREFIXES = {
    SKOS: "skos:",
    OWL: "owl:",
    DCT: "dct:",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:",
}


class Lit(NamedTuple):
    """An RDF literal: lexical value, language tag (lower-case) and datatype IRI."""

    value: str
    lang: str | None = None
    datatype: str | None = None

    def is_true(self) -> bool:
        """Tell whether the literal is the boolean true (``true`` or ``1``)."""
        return self.value.strip() in ("true", "1") and self.datatype in (XSD_BOOLEAN, None)


Term = str | Lit

_EMPTY: dict[Any, Any] = {}


def curie(iri: str) -> str:
    """Shorten ``iri`` with the well-known prefixes (``skos:prefLabel``)."""
    for namespace, prefix in PREFIXES.items():
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return iri


@dataclass(slots=True)
class Triples:
    """Triples indexed subject -> predicate -> objects, with the source they came from."""

    spo: dict[str, dict[str, dict[Term, None]]] = field(default_factory=dict)
    source: str | None = None

    def add(self, subject: str, predicate: str, obj: Term) -> None:
        """Add one triple (duplicates are skipped)."""
        by_predicate = self.spo.get(subject)
        if by_predicate is None:
            by_predicate = self.spo[subject] = {}
        objects = by_predicate.get(predicate)
        if objects is None:
            by_predicate[predicate] = {obj: None}
        else:
            objects[obj] = None

    def objects(self, subject: str, predicate: str) -> Collection[Term]:
        """Return the objects of ``subject predicate ?o`` (empty when none), in input order."""
        objects: dict[Term, None] = self.spo.get(subject, _EMPTY).get(predicate, _EMPTY)
        return objects.keys()

    def nodes(self, subject: str, predicate: str) -> list[str]:
        """Return the IRI/blank-node objects of ``subject predicate ?o``."""
        return [o for o in self.objects(subject, predicate) if isinstance(o, str)]

    def literals(self, subject: str, predicate: str) -> list[Lit]:
        """Return the literal objects of ``subject predicate ?o``."""
        return [o for o in self.objects(subject, predicate) if isinstance(o, Lit)]

    def subjects_of_type(self, class_iri: str) -> list[str]:
        """Return the subjects typed ``class_iri``, in a stable (sorted) order."""
        return sorted(s for s, props in self.spo.items() if class_iri in props.get(RDF_TYPE, ()))

    def pairs(self, predicate: str) -> Iterator[tuple[str, Term]]:
        """Yield every ``(subject, object)`` of ``predicate``."""
        for subject, props in self.spo.items():
            for obj in props.get(predicate, ()):
                yield subject, obj

    def __len__(self) -> int:
        return sum(len(objs) for props in self.spo.values() for objs in props.values())


def _from_oxigraph(
    quads: Iterable[Any], into: Triples, keep: Collection[str] | None = None
) -> Triples:
    import pyoxigraph as ox

    literal_type = ox.Literal
    named_type = ox.NamedNode
    spo = into.spo
    last_subject: Any = None
    props: dict[str, dict[Term, None]] = {}
    for quad in quads:
        predicate = quad.predicate.value
        if keep is not None and predicate not in keep:
            continue
        subject = quad.subject
        if subject != last_subject:
            last_subject = subject
            key = subject.value if type(subject) is named_type else "_:" + subject.value
            found = spo.get(key)
            if found is None:
                found = spo[key] = {}
            props = found
        obj = quad.object
        kind = type(obj)
        o: Term
        if kind is named_type:
            o = obj.value
        elif kind is literal_type:
            language = obj.language
            o = Lit(obj.value, language.lower() if language else None, obj.datatype.value)
        else:
            o = "_:" + obj.value
        objects = props.get(predicate)
        if objects is None:
            props[predicate] = {o: None}
        else:
            objects[o] = None
    return into


def _from_rdflib(graph: Any, into: Triples, keep: Collection[str] | None = None) -> Triples:
    from rdflib import BNode, Literal, URIRef

    pattern = (None, None, None)
    for subject, predicate, obj in (
        graph.triples(pattern)
        if keep is None
        else (t for p in keep for t in graph.triples((None, URIRef(p), None)))
    ):
        s = "_:" + str(subject) if isinstance(subject, BNode) else str(subject)
        o: Term
        if isinstance(obj, Literal):
            language = obj.language
            datatype = str(obj.datatype) if obj.datatype else None
            if language:
                datatype = RDF_LANGSTRING
            elif datatype is None:
                datatype = XSD_STRING
            o = Lit(str(obj), language.lower() if language else None, datatype)
        elif isinstance(obj, BNode):
            o = "_:" + str(obj)
        else:
            o = str(obj)
        into.add(s, str(predicate), o)
    return into


def format_for(path: Path, fmt: str | None = None) -> str:
    """Return the pyoxigraph format name for ``path`` (or for an explicit ``fmt``)."""
    if fmt:
        aliases = {
            "turtle": "TURTLE",
            "ttl": "TURTLE",
            "xml": "RDF_XML",
            "rdfxml": "RDF_XML",
            "rdf": "RDF_XML",
            "jsonld": "JSON_LD",
            "json-ld": "JSON_LD",
            "nt": "N_TRIPLES",
            "ntriples": "N_TRIPLES",
        }
        name = aliases.get(fmt.lower())
        if name is None:
            raise DocumentParseError(f"unknown RDF format {fmt!r}")
        return name
    name = EXTENSIONS.get(path.suffix.lower())
    if name is None:
        raise DocumentParseError(
            f"{path}: cannot tell the RDF format from the extension {path.suffix!r} "
            f"(known: {', '.join(sorted(EXTENSIONS))})"
        )
    return name


def parse_bytes(
    data: bytes, fmt: str, *, source: str | None = None, keep: Collection[str] | None = None
) -> Triples:
    """Parse ``data`` in the pyoxigraph format ``fmt``; bad syntax raises ``DocumentParseError``."""
    import pyoxigraph as ox

    try:
        quads = ox.parse(data, getattr(ox.RdfFormat, fmt), base_iri="http://localhost/")
        return _from_oxigraph(quads, Triples(source=source), keep)
    except (SyntaxError, ValueError) as exc:
        raise DocumentParseError(f"{source or '<input>'}: {exc}") from exc


def load(source: Any, *, fmt: str | None = None, keep: Collection[str] | None = None) -> Triples:
    """Index ``source``: a file path, an rdflib graph, a pyoxigraph store or :class:`Triples`.

    ``keep``, when given, is the set of predicate IRIs to index (the others are skipped).

    Raises ``DocumentParseError`` for bad syntax or an unknown format and
    ``OSError`` (``FileNotFoundError`` ...) when a file cannot be read.
    """
    if isinstance(source, Triples):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        data = path.read_bytes()
        return parse_bytes(data, format_for(path, fmt), source=str(path), keep=keep)
    module = type(source).__module__.split(".")[0]
    if module == "rdflib":
        return _from_rdflib(source, Triples(), keep)
    if module == "pyoxigraph":
        return _from_oxigraph(source.quads_for_pattern(None, None, None), Triples(), keep)
    if isinstance(source, Iterable):
        return _from_oxigraph(source, Triples(), keep)
    raise TypeError(f"cannot read RDF from a {type(source).__name__}")


__all__ = [
    "DCT",
    "OWL",
    "SKOS",
    "Lit",
    "Term",
    "Triples",
    "curie",
    "format_for",
    "load",
    "parse_bytes",
]
