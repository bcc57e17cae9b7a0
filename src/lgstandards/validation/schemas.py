"""Compiled XML Schemas for the validator, each built once per process.

Schemas come from the package's catalogue (``lgstandards.catalog.lxml_schema`` when
available) or are compiled here from local files only: no network, no file outside
the schema's own folder tree is fetched. For streaming, a per-record schema declares
the batch's record element globally so that one record can be validated on its own.
This module also reads the schemas to find which elements and attributes hold LGSL
or LGIL codes (typed ``LGSLCodeType`` / ``LGILCodeType`` or derived from them).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgstandards.exceptions import SchemaNotFoundError
from lgstandards.validation.kinds import KindSpec

if TYPE_CHECKING:
    from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
_XS = f"{{{XS}}}"

#: Simple type names whose values are codes of a vocabulary, and the list they name.
CODE_TYPES = {"LGSLCodeType": "lgsl", "LGILCodeType": "lgil"}


def _parser() -> etree.XMLParser:
    from lxml import etree

    class LocalResolver(etree.Resolver):
        """Refuse anything that is not a local file."""

        def resolve(self, system_url: str | None, public_id: str | None, context: Any) -> Any:
            if system_url and "://" in system_url and not system_url.startswith("file:"):
                return self.resolve_string("", context)
            return None

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, collect_ids=False
    )
    parser.resolvers.add(LocalResolver())
    return parser


def _parse_schema_file(path: Path) -> etree._ElementTree:
    from lxml import etree

    if not path.is_file():
        raise SchemaNotFoundError(f"schema file {path} is missing; reinstall lgstandards")
    return etree.parse(str(path), parser=_parser())


@cache
def compile_file(path: Path) -> etree.XMLSchema:
    """Compile the schema at ``path`` (local files only), once per process."""
    from lxml import etree

    try:
        return etree.XMLSchema(_parse_schema_file(path))
    except etree.XMLSchemaParseError as exc:
        raise SchemaNotFoundError(f"schema {path} cannot be compiled: {exc}") from exc


def schema_for(spec: KindSpec) -> etree.XMLSchema:
    """Return the compiled schema of a kind (cached per process)."""
    if spec.from_catalogue:
        try:
            from lgstandards import catalog
        except ImportError:
            pass
        else:
            getter = getattr(catalog, "lxml_schema", None)
            if getter is not None:
                schema: etree.XMLSchema = getter(spec.namespace)
                return schema
    if spec.schema_file is None:
        raise SchemaNotFoundError(f"no schema is known for kind {spec.kind}")
    return compile_file(spec.schema_file)


def schema_files(path: Path) -> list[Path]:
    """Return ``path`` and every local schema it includes or imports, transitively."""
    seen: list[Path] = []
    todo = [path.resolve()]
    while todo:
        current = todo.pop()
        if current in seen or not current.is_file():
            continue
        seen.append(current)
        root = _parse_schema_file(current).getroot()
        for ref in root.iterchildren(f"{_XS}include", f"{_XS}import", f"{_XS}redefine"):
            location = ref.get("schemaLocation")
            if location and "://" not in location:
                todo.append((current.parent / location).resolve())
    return seen


def _qname_local(element: etree._Element, qname: str) -> tuple[str | None, str]:
    prefix, _, local = qname.rpartition(":")
    return element.nsmap.get(prefix or None), local


@cache
def code_fields(path: Path) -> dict[str, str]:
    """Map the element/attribute names holding codes to their list (``lgsl``/``lgil``).

    Keys are Clark names of elements (``{ns}ServiceCode``) and ``@name`` for
    attributes (unqualified, as attributeFormDefault is unqualified).
    """
    roots = [(_parse_schema_file(p).getroot()) for p in schema_files(path)]
    code_types: dict[str, str] = dict(CODE_TYPES)
    changed = True
    while changed:  # close over simple types derived by restriction
        changed = False
        for root in roots:
            for simple in root.iter(f"{_XS}simpleType"):
                name = simple.get("name")
                base = simple.find(f"{_XS}restriction")
                if name and name not in code_types and base is not None and base.get("base"):
                    _, local = _qname_local(base, base.get("base", ""))
                    if local in code_types:
                        code_types[name] = code_types[local]
                        changed = True
    found: dict[str, str] = {}
    for root in roots:
        target = root.get("targetNamespace")
        qualified = root.get("elementFormDefault") == "qualified"
        for decl in root.iter(f"{_XS}element", f"{_XS}attribute"):
            name, type_name = decl.get("name"), decl.get("type")
            if not name or not type_name:
                continue
            _, local = _qname_local(decl, type_name)
            if local not in code_types:
                continue
            if decl.tag == f"{_XS}attribute":
                found[f"@{name}"] = code_types[local]
                continue
            is_global = decl.getparent() is root
            ns = target if (is_global or qualified or decl.get("form") == "qualified") else None
            found[f"{{{ns}}}{name}" if ns else name] = code_types[local]
    return found


@cache
def record_schema(path: Path, namespace: str, record: str) -> etree.XMLSchema:
    """Return a schema that accepts the record element ``{namespace}record`` as a root."""
    from lxml import etree

    files = schema_files(path)
    declaration: etree._Element | None = None
    for file in files:
        root = _parse_schema_file(file).getroot()
        if root.get("targetNamespace") != namespace:
            continue
        for decl in root.iterchildren(f"{_XS}element"):
            if decl.get("name") == record:
                return compile_file(path)
        if declaration is None:
            declaration = next(_local_declarations(root, record), None)
    if declaration is None:
        raise SchemaNotFoundError(f"no declaration of the record element {record} in {path}")
    source_root = declaration.getroottree().getroot()
    wrapper = etree.Element(f"{_XS}schema", nsmap=dict(source_root.nsmap))
    for attribute in ("targetNamespace", "elementFormDefault", "attributeFormDefault"):
        value = source_root.get(attribute)
        if value is not None:
            wrapper.set(attribute, value)
    for imported in _imports_without_location(files):
        target = _catalogue_file(imported)
        if target is not None:
            item = etree.SubElement(wrapper, f"{_XS}import")
            item.set("namespace", imported)
            item.set("schemaLocation", target.as_uri())
    include = etree.SubElement(wrapper, f"{_XS}include")
    include.set("schemaLocation", declaration.getroottree().docinfo.URL or str(path))
    copied = etree.fromstring(etree.tostring(declaration))
    for attribute in ("minOccurs", "maxOccurs", "form"):
        copied.attrib.pop(attribute, None)
    wrapper.append(copied)
    document = etree.fromstring(
        etree.tostring(wrapper),
        parser=_parser(),
        base_url=str(path.with_name(f"_record_{record}_{path.name}")),
    ).getroottree()
    try:
        return etree.XMLSchema(document)
    except etree.XMLSchemaParseError as exc:
        raise SchemaNotFoundError(f"cannot build a record schema for {record}: {exc}") from exc


def _imports_without_location(files: list[Path]) -> list[str]:
    found: list[str] = []
    for file in files:
        for ref in _parse_schema_file(file).getroot().iterchildren(f"{_XS}import"):
            namespace = ref.get("namespace")
            if namespace and not ref.get("schemaLocation") and namespace not in found:
                found.append(namespace)
    return found


def _catalogue_file(namespace: str) -> Path | None:
    try:
        from lgstandards.catalog import local_file
    except ImportError:
        return None
    found = local_file(namespace)
    return Path(found) if found is not None else None


def _local_declarations(root: etree._Element, name: str) -> Iterator[etree._Element]:
    for decl in root.iter(f"{_XS}element"):
        if decl.get("name") == name and decl.getparent() is not root:
            yield decl


__all__ = [
    "CODE_TYPES",
    "code_fields",
    "compile_file",
    "record_schema",
    "schema_files",
    "schema_for",
]
