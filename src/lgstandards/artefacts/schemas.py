"""XML Schemas, compiled once per thread with lxml (libxml2) and once with xmlschema.

Schema files are read offline through :mod:`lgstandards.artefacts.resolver`: a
remote location the catalogue does not ship is refused before anything is compiled.
``xs:import`` without a ``schemaLocation`` (the GovTalk envelope's XML-DSig import,
domain.md 5.6) is handled by compiling through a small wrapper schema that imports
the catalogued file for that namespace first (:func:`wrapper_schema`).

For streaming, :func:`record_schema` builds a schema that declares a batch's record
element globally, so that one record can be validated on its own; :func:`code_fields`
finds which elements and attributes hold LGSL or LGIL codes (typed ``LGSLCodeType``
/ ``LGILCodeType`` or derived from them).

An lxml validator keeps the errors of its last run on itself (``error_log``), so two
threads validating with one object at once mix their documents' findings: each thread
compiles its own (:func:`lgstandards._threads.per_thread`), once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from lgstandards._threads import per_thread
from lgstandards.artefacts.catalogue import entries, file_for_namespace, resolve
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.artefacts.resolver import offline, schema_parser, xmlschema_uri_mapper
from lgstandards.exceptions import SchemaNotFoundError

if TYPE_CHECKING:
    from lxml import etree

XSD_NS = "http://www.w3.org/2001/XMLSchema"
_XS = f"{{{XSD_NS}}}"

#: Simple type names whose values are codes of a vocabulary, and the list they name.
CODE_TYPES = {"LGSLCodeType": "lgsl", "LGILCodeType": "lgil"}


@cache
def _parsed(path: Path) -> etree._ElementTree:
    """Parse a schema file once per process (offline parser); never modify the result."""
    from lxml import etree

    if not path.is_file():
        raise SchemaNotFoundError(f"schema file {path} is missing; reinstall lgstandards")
    try:
        return etree.parse(str(path), schema_parser())
    except etree.XMLSyntaxError as exc:
        raise SchemaNotFoundError(f"schema file {path} is not well-formed XML: {exc}") from exc


def _location_path(location: str, base: Path) -> Path:
    if location.startswith("file:"):
        return Path(unquote(urlsplit(location).path))
    return base.parent / location


@cache
def schema_files(path: Path) -> tuple[Path, ...]:
    """Return ``path`` and every local schema it includes or imports, transitively.

    A catalogued URL is followed to the shipped file; any other remote location
    raises :class:`SchemaNotFoundError` naming it and the schema that names it.
    """
    seen: list[Path] = []
    todo = [path.resolve()]
    while todo:
        current = todo.pop()
        if current in seen or not current.is_file():
            continue
        seen.append(current)
        root = _parsed(current).getroot()
        for ref in root.iterchildren(f"{_XS}include", f"{_XS}import", f"{_XS}redefine"):
            location = ref.get("schemaLocation")
            if not location:
                continue
            target = offline(location, referrer=current.name)
            todo.append((target or _location_path(location, current)).resolve())
    return tuple(seen)


def imports_without_location(path: Path) -> tuple[str, ...]:
    """Return the namespaces ``path``, or a schema it reaches, imports with no location."""
    found: list[str] = []
    for file in schema_files(path):
        for ref in _parsed(file).getroot().iterchildren(f"{_XS}import"):
            namespace = ref.get("namespace")
            if namespace and not ref.get("schemaLocation") and namespace not in found:
                found.append(namespace)
    return tuple(found)


def _import_catalogued(wrapper: etree._Element, path: Path) -> None:
    """Add to ``wrapper`` an import of the catalogued file of each namespace imported bare."""
    from lxml import etree

    for namespace in imports_without_location(path):
        target = file_for_namespace(namespace)
        if target is not None:
            item = etree.SubElement(wrapper, f"{_XS}import")
            item.set("namespace", namespace)
            item.set("schemaLocation", target.as_uri())


def wrapper_schema(path: Path, namespace: str) -> bytes:
    """Return a schema importing the catalogued files a schema imports without location."""
    from lxml import etree

    wrapper = etree.Element(f"{_XS}schema", nsmap={"xs": XSD_NS})
    _import_catalogued(wrapper, path)
    item = etree.SubElement(wrapper, f"{_XS}import")
    item.set("namespace", namespace)
    item.set("schemaLocation", path.resolve().as_uri())
    return bytes(etree.tostring(wrapper))


@per_thread
def compile_lxml(path: Path) -> etree.XMLSchema:
    """Compile the schema at ``path`` with lxml, offline, once per thread."""
    from lxml import etree

    schema_files(path)  # refuses uncatalogued remote locations with a clear error
    document = _parsed(path)
    namespace = document.getroot().get("targetNamespace")
    try:
        if namespace and imports_without_location(path):
            base = path.with_name(f"_wrapper_{path.name}").as_uri()
            wrapper = etree.fromstring(
                wrapper_schema(path, namespace), schema_parser(), base_url=base
            )
            return etree.XMLSchema(etree.ElementTree(wrapper))
        return etree.XMLSchema(document)
    except etree.XMLSchemaParseError as exc:
        raise SchemaNotFoundError(f"schema {path} cannot be compiled: {exc}") from exc


def lxml_schema(namespace_or_kind: str) -> etree.XMLSchema:
    """Return the compiled lxml schema of a catalogued namespace or document kind."""
    return compile_lxml(resolve(namespace_or_kind).path)


@cache
def compile_xmlschema(path: Path) -> Any:
    """Compile the schema at ``path`` with xmlschema (``XMLSchema10``), offline, once."""
    import xmlschema

    if not path.is_file():
        raise SchemaNotFoundError(f"schema file {path} is missing; reinstall lgstandards")
    schema_files(path)  # refuses uncatalogued remote locations, as for lxml
    locations = [(e.namespace, str(e.path)) for e in entries() if e.path.is_file()]
    return xmlschema.XMLSchema10(
        str(path),
        locations=locations,
        allow="local",
        defuse="always",
        uri_mapper=xmlschema_uri_mapper,
    )


def xmlschema_schema(namespace_or_kind: str) -> Any:
    """Return the compiled ``xmlschema.XMLSchema10`` of a catalogued namespace or kind."""
    return compile_xmlschema(resolve(namespace_or_kind).path)


def schema_for(spec: KindSpec) -> etree.XMLSchema:
    """Return the compiled lxml schema of a kind (once per thread)."""
    if spec.schema_file is None:
        raise SchemaNotFoundError(f"no schema is known for kind {spec.kind}")
    return compile_lxml(spec.schema_file)


#: Built-in types whose lexical space libxml2 checks too loosely, checked again by the
#: validator (libxml2 skips characters outside the base64 alphabet).
LEXICAL_TYPES = {"base64Binary": "base64Binary"}


@cache
def _type_references(
    path: Path,
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[etree._Element, str, str], ...]]:
    """Return what :func:`_typed_fields` reads of a schema and the files it reaches.

    In document order: (name, local name of its base) of each named type derived by
    restriction or simple content, and (declaration, name, local name of its type) of
    each named element or attribute declaration with a type. One walk serves every
    family of seeds (:func:`code_fields`, :func:`lexical_fields`).
    """
    derived: list[tuple[str, str]] = []
    typed: list[tuple[etree._Element, str, str]] = []
    simple, attribute = f"{_XS}simpleType", f"{_XS}attribute"
    for file in schema_files(path):
        root = _parsed(file).getroot()
        for declared in root.iter(simple, f"{_XS}complexType"):
            name = declared.get("name")
            if not name:
                continue
            if declared.tag == simple:
                base = declared.find(f"{_XS}restriction")
            else:
                content = declared.find(f"{_XS}simpleContent")
                base = None if content is None else content[0] if len(content) else None
            base_name = None if base is None else base.get("base")
            if base_name:
                derived.append((name, base_name.rpartition(":")[2]))
        for decl in root.iter(f"{_XS}element", attribute):
            name, type_name = decl.get("name"), decl.get("type")
            if name and type_name:
                typed.append((decl, name, type_name.rpartition(":")[2]))
    return tuple(derived), tuple(typed)


@cache
def _referenced_types(path: Path) -> frozenset[str]:
    """Return the local names of every type a ``base`` or ``type`` attribute names."""
    found: set[str] = set()
    for file in schema_files(path):
        values = _parsed(file).xpath("//@base | //@type", smart_strings=False)
        found.update(str(value).rpartition(":")[2] for value in values)
    return frozenset(found)


def _typed_fields(path: Path, seeds: dict[str, str]) -> dict[str, str]:
    """Map the names of elements/attributes typed by one of ``seeds`` to the seed's value.

    Types derived from a seed (by restriction, or by simple content) count too. Keys
    are Clark names of elements (``{ns}ServiceCode``) and ``@name`` for attributes
    (unqualified, as attributeFormDefault is unqualified).
    """
    if _referenced_types(path).isdisjoint(seeds):
        return {}  # no type is derived from a seed and nothing is typed by one
    derived, typed = _type_references(path)
    types: dict[str, str] = dict(seeds)
    changed = True
    while changed:  # close over types derived by restriction or simple-content extension
        changed = False
        for name, local in derived:
            if name not in types and local in types:
                types[name] = types[local]
                changed = True
    found: dict[str, str] = {}
    for decl, name, local in typed:
        if local not in types:
            continue
        if decl.tag == f"{_XS}attribute":
            found[f"@{name}"] = types[local]
            continue
        root = decl.getroottree().getroot()
        target = root.get("targetNamespace")
        qualified = root.get("elementFormDefault") == "qualified"
        is_global = decl.getparent() is root
        ns = target if (is_global or qualified or decl.get("form") == "qualified") else None
        found[f"{{{ns}}}{name}" if ns else name] = types[local]
    return found


@cache
def code_fields(path: Path) -> dict[str, str]:
    """Map the element/attribute names holding codes to their list (``lgsl``/``lgil``).

    Keys are Clark names of elements (``{ns}ServiceCode``) and ``@name`` for
    attributes (unqualified, as attributeFormDefault is unqualified).
    """
    return _typed_fields(path, CODE_TYPES)


@cache
def lexical_fields(path: Path) -> dict[str, str]:
    """Map the element/attribute names of a :data:`LEXICAL_TYPES` type to that type."""
    return _typed_fields(path, LEXICAL_TYPES)


def _local_declarations(root: etree._Element, name: str) -> Iterator[etree._Element]:
    for decl in root.iter(f"{_XS}element"):
        if decl.get("name") == name and decl.getparent() is not root:
            yield decl


def _record_declaration(
    path: Path, namespace: str, record: str
) -> tuple[etree._Element, bool] | None:
    """Return the declaration of ``{namespace}record`` in ``path``'s schemas, and if global.

    A global declaration is preferred; else the first local one (a record is most
    often declared inside its container's type). None when there is none.
    """
    local: etree._Element | None = None
    for file in schema_files(path):
        root = _parsed(file).getroot()
        if root.get("targetNamespace") != namespace:
            continue
        for decl in root.iterchildren(f"{_XS}element"):
            if decl.get("name") == record:
                return decl, True
        if local is None:
            local = next(_local_declarations(root, record), None)
    return (local, False) if local is not None else None


def _schema_around(
    path: Path,
    declaration: etree._Element,
    *,
    copy: bool,
    label: str,
    prefixes: dict[str | None, str] | None = None,
    extend: Callable[[etree._Element], None] | None = None,
) -> etree.XMLSchema:
    """Compile a schema including ``declaration``'s file, in its target namespace.

    ``copy`` makes a copy of a local ``declaration`` global (without its occurrence
    attributes); ``prefixes`` are declared beside the file's own; ``extend`` adds
    declarations of its own. Imports given without a location get the catalogued file.
    Raises ``XMLSchemaParseError`` when the result does not compile.
    """
    from lxml import etree

    source_root = declaration.getroottree().getroot()
    wrapper = etree.Element(f"{_XS}schema", nsmap={**source_root.nsmap, **(prefixes or {})})
    for attribute in ("targetNamespace", "elementFormDefault", "attributeFormDefault"):
        value = source_root.get(attribute)
        if value is not None:
            wrapper.set(attribute, value)
    _import_catalogued(wrapper, path)
    include = etree.SubElement(wrapper, f"{_XS}include")
    include.set("schemaLocation", declaration.getroottree().docinfo.URL or str(path))
    if copy:
        copied = etree.fromstring(etree.tostring(declaration))
        for attribute in ("minOccurs", "maxOccurs", "form"):
            copied.attrib.pop(attribute, None)
        wrapper.append(copied)
    if extend is not None:
        extend(wrapper)
    document = etree.fromstring(
        etree.tostring(wrapper),
        parser=schema_parser(),
        base_url=str(path.with_name(f"_{label}_{path.name}")),
    ).getroottree()
    return etree.XMLSchema(document)


@per_thread
def record_schema(path: Path, namespace: str, record: str) -> etree.XMLSchema:
    """Return a schema that accepts the record element ``{namespace}record`` as a root."""
    from lxml import etree

    found = _record_declaration(path, namespace, record)
    if found is None:
        raise SchemaNotFoundError(f"no declaration of the record element {record} in {path}")
    declaration, is_global = found
    if is_global:
        return compile_lxml(path)
    try:
        return _schema_around(path, declaration, copy=True, label=f"record_{record}")
    except etree.XMLSchemaParseError as exc:
        raise SchemaNotFoundError(f"cannot build a record schema for {record}: {exc}") from exc


#: The local name of :func:`chunk_schema`'s wrapper element (a number is added if the
#: schema declares that name).
CHUNK_WRAPPER = "LgsStreamedRecords"


@per_thread
def chunk_schema(path: Path, namespace: str, record: str) -> tuple[etree.XMLSchema, str] | None:
    """Return (schema, wrapper's Clark tag): a wrapper of any number of ``record`` elements.

    Streaming validates a chunk of records at once under the wrapper; a record is
    valid alone exactly when it is valid there, as the schemas use no ``xs:IDREF``
    (whose target another record could supply). None when the records cannot be
    checked together: no declaration found, a schema using ``xs:IDREF``, or a
    wrapper schema that does not compile.
    """
    from lxml import etree

    names: set[str] = set()
    for file in schema_files(path):
        root = _parsed(file).getroot()
        if b"IDREF" in etree.tostring(root):
            return None
        if root.get("targetNamespace") == namespace:
            names.update(str(d.get("name")) for d in root.iterchildren(f"{_XS}element"))
    found = _record_declaration(path, namespace, record)
    if found is None:
        return None
    declaration, is_global = found
    wrapper_name, number = CHUNK_WRAPPER, 0
    while wrapper_name in names or wrapper_name == record:
        number += 1
        wrapper_name = f"{CHUNK_WRAPPER}{number}"
    prefix, number = "lgs-records", 0
    while prefix in declaration.getroottree().getroot().nsmap:
        number += 1
        prefix = f"lgs-records{number}"

    def add_wrapper(schema: etree._Element) -> None:
        wrapper = etree.SubElement(schema, f"{_XS}element", name=wrapper_name)
        sequence = etree.SubElement(
            etree.SubElement(wrapper, f"{_XS}complexType"), f"{_XS}sequence"
        )
        etree.SubElement(
            sequence,
            f"{_XS}element",
            ref=f"{prefix}:{record}",
            minOccurs="0",
            maxOccurs="unbounded",
        )

    try:
        schema = _schema_around(
            path,
            declaration,
            copy=not is_global,
            label=f"records_{record}",
            prefixes={prefix: namespace},
            extend=add_wrapper,
        )
    except etree.XMLSchemaParseError:
        return None
    return schema, f"{{{namespace}}}{wrapper_name}"


__all__ = [
    "CHUNK_WRAPPER",
    "CODE_TYPES",
    "LEXICAL_TYPES",
    "XSD_NS",
    "chunk_schema",
    "code_fields",
    "compile_lxml",
    "compile_xmlschema",
    "imports_without_location",
    "lexical_fields",
    "lxml_schema",
    "record_schema",
    "schema_files",
    "schema_for",
    "wrapper_schema",
    "xmlschema_schema",
]
