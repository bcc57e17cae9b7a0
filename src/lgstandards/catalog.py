"""The schema catalogue: namespaces, files, document kinds and compiled schemas.

``schemas/catalog.json`` maps every namespace the lgstandards schemas use to its
local file, and each message root element to a *document kind*
(``epay.payment-request`` ...). This module reads it once and compiles schemas
on first use, once per process, with both lxml (libxml2) and xmlschema, using
local files only: no schema is ever fetched from the network.

``xs:import`` without a ``schemaLocation`` (the GovTalk envelope's XML-DSig import,
domain.md 5.6) is handled by compiling through a small wrapper schema that imports
the catalogued file for that namespace first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lgstandards._resources import schemas_root
from lgstandards.exceptions import SchemaNotFoundError

if TYPE_CHECKING:
    from lxml import etree

XSD_NS = "http://www.w3.org/2001/XMLSchema"

#: Legacy or canonical URLs some schemas use for files the catalogue ships.
KNOWN_URLS: Mapping[str, str] = MappingProxyType(
    {
        "http://www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd": "w3c/xmldsig-core-schema.xsd",
        "http://www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd": (
            "w3c/xmldsig-core-schema.xsd"
        ),
    }
)


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One namespace of the catalogue: its schema file, rules, model module and roots."""

    namespace: str
    prefix: str
    file: str
    version: str
    rules: str | None = None
    python_rules: str | None = None
    models: str | None = None
    roots: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    streaming: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def path(self) -> Path:
        """The schema file's absolute path."""
        return schemas_root() / self.file

    @property
    def rules_path(self) -> Path | None:
        """The Schematron file's absolute path, or None when the namespace has no rules."""
        return schemas_root() / self.rules if self.rules else None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The document kinds whose root elements are in this namespace."""
        return tuple(self.roots.values())

    def root_for_kind(self, kind: str) -> str:
        """Return the root element local name of ``kind``."""
        for name, value in self.roots.items():
            if value == kind:
                return name
        raise SchemaNotFoundError(f"no root element for kind {kind!r} in {self.namespace}")


@cache
def entries() -> tuple[CatalogEntry, ...]:
    """Return every catalogue entry, in file order (read once)."""
    data = json.loads((schemas_root() / "catalog.json").read_text(encoding="utf-8"))
    found = []
    for item in data["namespaces"]:
        found.append(
            CatalogEntry(
                namespace=item["namespace"],
                prefix=item["prefix"],
                file=item["file"],
                version=item["version"],
                rules=item.get("rules"),
                python_rules=item.get("python_rules"),
                models=item.get("models"),
                roots=MappingProxyType(dict(item.get("roots", {}))),
                streaming=MappingProxyType(dict(item.get("streaming", {}))),
            )
        )
    return tuple(found)


@cache
def _by_namespace() -> Mapping[str, CatalogEntry]:
    return MappingProxyType({e.namespace: e for e in entries()})


@cache
def _by_kind() -> Mapping[str, CatalogEntry]:
    return MappingProxyType({k: e for e in entries() for k in e.kinds})


def kinds() -> tuple[str, ...]:
    """Return every document kind the catalogue knows, sorted."""
    return tuple(sorted(_by_kind()))


def kind_for(namespace: str | None, local_name: str) -> str | None:
    """Return the document kind of a root element, or None when it is not catalogued."""
    entry = _by_namespace().get(namespace or "")
    if entry is None:
        return None
    return entry.roots.get(local_name)


def entry_for_namespace(namespace: str) -> CatalogEntry:
    """Return the entry of ``namespace``; raises :class:`SchemaNotFoundError` if unknown."""
    try:
        return _by_namespace()[namespace]
    except KeyError:
        raise SchemaNotFoundError(f"no bundled schema for namespace {namespace!r}") from None


def entry_for_kind(kind: str) -> CatalogEntry:
    """Return the entry holding document kind ``kind``; raises if unknown."""
    try:
        return _by_kind()[kind]
    except KeyError:
        raise SchemaNotFoundError(
            f"unknown document kind {kind!r}; known kinds: {', '.join(kinds())}"
        ) from None


def resolve(namespace_or_kind: str) -> CatalogEntry:
    """Return the entry for a namespace URI or a document kind."""
    if namespace_or_kind in _by_namespace():
        return _by_namespace()[namespace_or_kind]
    return entry_for_kind(namespace_or_kind)


def local_file(uri: str) -> Path | None:
    """Map a namespace or a known schema URL to the shipped file, or None."""
    entry = _by_namespace().get(uri)
    if entry is not None:
        return entry.path
    relative = KNOWN_URLS.get(uri)
    return schemas_root() / relative if relative else None


_IMPORT = re.compile(rb"<(?:\w+:)?import\b[^>]*>")
_NAMESPACE_ATTR = re.compile(rb"""namespace\s*=\s*["']([^"']+)["']""")


def _imports_without_location(path: Path) -> tuple[str, ...]:
    """Return namespaces a schema file imports with no schemaLocation."""
    found = []
    for match in _IMPORT.finditer(path.read_bytes()):
        text = match.group(0)
        if b"schemaLocation" in text:
            continue
        ns = _NAMESPACE_ATTR.search(text)
        if ns is not None:
            found.append(ns.group(1).decode())
    return tuple(found)


def wrapper_schema(path: Path, namespace: str) -> bytes:
    """Return a schema importing the catalogued files a schema imports without location."""
    lines = [f'<xs:schema xmlns:xs="{XSD_NS}">']
    for ns in _imports_without_location(path):
        target = local_file(ns)
        if target is not None:
            lines.append(f'<xs:import namespace="{ns}" schemaLocation="{target.as_uri()}"/>')
    lines.append(f'<xs:import namespace="{namespace}" schemaLocation="{path.as_uri()}"/>')
    lines.append("</xs:schema>")
    return "\n".join(lines).encode()


def _local_only_parser() -> etree.XMLParser:
    """Return an lxml parser for schema files: no network, no DTD, local catalogue resolver."""
    from lxml import etree

    class _CatalogResolver(etree.Resolver):
        def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
            if system_url is None:
                return None
            target = local_file(system_url)
            if target is not None:
                return self.resolve_filename(str(target), context)
            if system_url.startswith(("http://", "https://", "ftp://")):
                raise SchemaNotFoundError(f"refusing to fetch {system_url} (offline catalogue)")
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_CatalogResolver())
    return parser


def compile_lxml(path: Path, namespace: str) -> etree.XMLSchema:
    """Compile a schema file with lxml, offline, working round imports without location."""
    from lxml import etree

    parser = _local_only_parser()
    if _imports_without_location(path):
        base = path.with_name(f"_wrapper_{path.name}").as_uri()
        doc = etree.fromstring(wrapper_schema(path, namespace), parser, base_url=base)
        return etree.XMLSchema(etree.ElementTree(doc))
    return etree.XMLSchema(etree.parse(str(path), parser))


@cache
def lxml_schema(namespace_or_kind: str) -> etree.XMLSchema:
    """Return the compiled lxml schema for a namespace or document kind (cached)."""
    entry = resolve(namespace_or_kind)
    if not entry.path.is_file():
        raise SchemaNotFoundError(f"schema file {entry.file} is missing from the package")
    return compile_lxml(entry.path, entry.namespace)


@cache
def xmlschema_schema(namespace_or_kind: str) -> Any:
    """Return the compiled ``xmlschema.XMLSchema10`` for a namespace or kind (cached)."""
    import xmlschema

    entry = resolve(namespace_or_kind)
    if not entry.path.is_file():
        raise SchemaNotFoundError(f"schema file {entry.file} is missing from the package")
    locations = [(e.namespace, str(e.path)) for e in entries() if e.path.is_file()]
    return xmlschema.XMLSchema10(
        str(entry.path),
        locations=locations,
        allow="local",
        defuse="always",
        uri_mapper=_xmlschema_uri_mapper,
    )


def _xmlschema_uri_mapper(uri: str) -> str:
    """Map known remote schema URLs to the shipped files (xmlschema ``uri_mapper``)."""
    target = local_file(uri) if uri in KNOWN_URLS else None
    return target.as_uri() if target is not None else uri


__all__ = [
    "KNOWN_URLS",
    "CatalogEntry",
    "compile_lxml",
    "entries",
    "entry_for_kind",
    "entry_for_namespace",
    "kind_for",
    "kinds",
    "local_file",
    "lxml_schema",
    "resolve",
    "wrapper_schema",
    "xmlschema_schema",
]
