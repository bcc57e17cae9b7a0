"""Validate a run of batch records with one schema call: streaming's XSD screen.

Streaming parses without a validating parser (libxml2's validation while parsing costs
more than validating the tree afterwards) and checks each chunk of records at once: the
records are moved under a wrapper element whose schema accepts any number of them
(:func:`chunk_schema`), validated together, and only the records the errors name (or,
when unsure, all of them) are validated again on their own with the record schema,
whose issues are the ones reported. A record is valid alone exactly when it is valid
under the wrapper: the wrapper's only content is the records, each checked against the
same declaration, and the schemas shipped use no ``xs:IDREF`` (whose target another
record could supply); a schema that does gets no screen (every record is re-checked).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgstandards.artefacts.resolver import schema_parser
from lgstandards.artefacts.schemas import (
    _import_catalogued,
    _local_declarations,
    _parsed,
    per_thread,
    schema_files,
)

if TYPE_CHECKING:
    from lxml import etree

_XS = "{http://www.w3.org/2001/XMLSchema}"

#: The wrapper element's local name (a suffix is added if the schema declares it).
WRAPPER = "LgsStreamedRecords"

#: The record step of a libxml2 error path under the wrapper: ``/w:Wrapper/p:Record[n]``.
_RECORD_STEP = re.compile(r"/[^/]+/[^/\[\]]+(?:\[([1-9][0-9]*)\])?(?:/.*)?")


@per_thread
def chunk_schema(path: Path, namespace: str, record: str) -> tuple[etree.XMLSchema, str] | None:
    """Return (schema, wrapper's Clark tag) accepting any number of ``record`` elements.

    None when the records cannot be screened together (no declaration found, a schema
    using ``xs:IDREF``, or one that does not compile): they are then checked one by one.
    """
    from lxml import etree

    files = schema_files(path)
    declaration: etree._Element | None = None
    is_global = False
    names: set[str] = set()
    for file in files:
        root = _parsed(file).getroot()
        if b"IDREF" in etree.tostring(root):
            return None
        if root.get("targetNamespace") != namespace:
            continue
        names.update(str(d.get("name")) for d in root.iterchildren(f"{_XS}element"))
        for decl in root.iterchildren(f"{_XS}element"):
            if decl.get("name") == record:
                declaration, is_global = decl, True
        if declaration is None:
            declaration = next(_local_declarations(root, record), None)
    if declaration is None:
        return None
    wrapper_name, number = WRAPPER, 0
    while wrapper_name in names or wrapper_name == record:
        number += 1
        wrapper_name = f"{WRAPPER}{number}"
    source_root = declaration.getroottree().getroot()
    nsmap = dict(source_root.nsmap)
    prefix, number = "lgs-records", 0
    while prefix in nsmap:
        number += 1
        prefix = f"lgs-records{number}"
    nsmap[prefix] = namespace
    schema = etree.Element(f"{_XS}schema", nsmap=nsmap)
    for attribute in ("elementFormDefault", "attributeFormDefault"):
        value = source_root.get(attribute)
        if value is not None:
            schema.set(attribute, value)
    schema.set("targetNamespace", namespace)
    _import_catalogued(schema, path)
    include = etree.SubElement(schema, f"{_XS}include")
    include.set("schemaLocation", declaration.getroottree().docinfo.URL or str(path))
    if not is_global:
        copied = etree.fromstring(etree.tostring(declaration))
        for attribute in ("minOccurs", "maxOccurs", "form"):
            copied.attrib.pop(attribute, None)
        schema.append(copied)
    wrapper = etree.SubElement(schema, f"{_XS}element", name=wrapper_name)
    sequence = etree.SubElement(etree.SubElement(wrapper, f"{_XS}complexType"), f"{_XS}sequence")
    etree.SubElement(
        sequence,
        f"{_XS}element",
        ref=f"{prefix}:{record}",
        minOccurs="0",
        maxOccurs="unbounded",
    )
    document = etree.fromstring(
        etree.tostring(schema),
        parser=schema_parser(),
        base_url=str(path.with_name(f"_records_{record}_{path.name}")),
    ).getroottree()
    try:
        return etree.XMLSchema(document), f"{{{namespace}}}{wrapper_name}"
    except etree.XMLSchemaParseError:
        return None


class RecordScreen:
    """Screen chunks of records with one validation each (see the module's docstring)."""

    def __init__(self, schema: etree.XMLSchema, tag: str, nsmap: dict[str | None, str]) -> None:
        from lxml import etree

        self.schema = schema
        #: The wrapper, declaring the prefixes in scope at the records (for QName values).
        self.wrapper = etree.Element(tag, nsmap=nsmap)

    def suspects(self, records: list[Any]) -> list[Any]:
        """Return the records of ``records`` that may be invalid alone, in order.

        The records are moved under the wrapper (out of their tree); the caller moves
        them on (those still there at the next call are dropped from it).
        """
        wrapper = self.wrapper
        if len(wrapper):
            del wrapper[:]
        for record in records:
            wrapper.append(record)
        if self.schema.validate(wrapper):
            return []
        found: set[int] = set()
        for entry in self.schema.error_log:
            match = _RECORD_STEP.fullmatch(entry.path or "")
            if match is None:
                return list(records)  # the wrapper itself, or a path of another form
            index = match.group(1)
            if index is None and len(records) != 1:
                return list(records)
            found.add(int(index or 1) - 1)
        if any(i >= len(records) for i in found):
            return list(records)
        return [records[i] for i in sorted(found)]


__all__ = ["WRAPPER", "RecordScreen", "chunk_schema"]
