"""The schema catalogue: every schema compiles offline with both engines."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from lxml import etree

from lgstandards._resources import schemas_root
from lgstandards.artefacts.catalogue import CatalogEntry, entries, entry_for_kind, kind_for, kinds
from lgstandards.artefacts.schemas import compile_lxml, lxml_schema, xmlschema_schema
from lgstandards.exceptions import SchemaNotFoundError

ENTRIES = entries()


def _shipped_unchanged(entry: CatalogEntry) -> bool:
    """Tell whether a schema is a third party's, shipped unchanged (W3C, ISO 20022, Valuebill)."""
    return entry.prefix == "ds" or entry.file.startswith(("iso20022/", "valuebill/"))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def _present(entry: CatalogEntry) -> CatalogEntry:
    assert entry.path.is_file(), f"{entry.file} is missing"
    if entry.rules is not None:
        assert entry.rules_path is not None
        assert entry.rules_path.is_file(), f"{entry.rules} is missing"
    return entry


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.prefix)
def test_schema_compiles_with_lxml_offline(entry: CatalogEntry) -> None:
    schema = lxml_schema(_present(entry).namespace)
    assert isinstance(schema, etree.XMLSchema)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.prefix)
def test_schema_compiles_with_xmlschema_offline(entry: CatalogEntry) -> None:
    schema = xmlschema_schema(_present(entry).namespace)
    assert schema.target_namespace == entry.namespace


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.prefix)
def test_file_name_version_and_namespace_agree(entry: CatalogEntry) -> None:
    root = etree.parse(str(_present(entry).path)).getroot()
    assert root.get("targetNamespace") == entry.namespace
    if entry.file.startswith("iso20022/"):  # the version is the namespace's last part
        assert entry.namespace.endswith(f".{entry.version}")
        assert entry.file == f"iso20022/{entry.namespace.rsplit(':', 1)[1]}.xsd"
    elif entry.prefix != "ds":
        assert root.get("version") == entry.version
        assert root.get("elementFormDefault") == "qualified"
        # "1.1" -> "-v1-1.xsd"; Valuebill writes its versions with a hyphen already ("3-1d").
        assert entry.file.endswith(f"-v{entry.version.replace('.', '-')}.xsd")


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.prefix)
def test_every_declared_root_is_a_global_element(entry: CatalogEntry) -> None:
    schema = xmlschema_schema(_present(entry).namespace)
    for name in entry.roots:
        assert name in schema.elements


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.prefix)
def test_own_schemas_document_every_named_component(entry: CatalogEntry) -> None:
    if _shipped_unchanged(entry):
        pytest.skip("third-party schema shipped unchanged")
    root = etree.parse(str(_present(entry).path)).getroot()
    xs = "{http://www.w3.org/2001/XMLSchema}"
    undocumented = [
        f"{el.tag.split('}')[1]} {el.get('name') or el.get('ref')}"
        for el in root.iter(f"{xs}element", f"{xs}simpleType", f"{xs}complexType", f"{xs}attribute")
        if (el.get("name") or el.get("ref"))
        and el.find(f"{xs}annotation/{xs}documentation") is None
    ]
    assert undocumented == []


def test_kind_lookup_round_trips() -> None:
    for kind in kinds():
        entry = entry_for_kind(kind)
        assert kind_for(entry.namespace, entry.root_for_kind(kind)) == kind
    assert kind_for("urn:unknown", "X") is None
    with pytest.raises(SchemaNotFoundError):
        entry_for_kind("nope.nothing")


def test_catalog_xml_maps_the_same_files() -> None:
    tree = etree.parse(str(schemas_root() / "catalog.xml"))
    ns = {"c": "urn:oasis:names:tc:entity:xmlns:xml:catalog"}
    mapped = {u.get("name"): u.get("uri") for u in tree.findall("c:uri", ns)}
    assert mapped == {e.namespace: e.file for e in ENTRIES}


def test_import_without_location_is_resolved_through_the_catalogue(tmp_path: Path) -> None:
    """Regression for domain.md 5.6 trap 1: xmldsig imported with no schemaLocation."""
    xsd = tmp_path / "env.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t"'
        ' xmlns:ds="http://www.w3.org/2000/09/xmldsig#" elementFormDefault="qualified">'
        '<xs:import namespace="http://www.w3.org/2000/09/xmldsig#"/>'
        '<xs:element name="Signed"><xs:complexType><xs:sequence>'
        '<xs:element ref="ds:Signature"/></xs:sequence></xs:complexType></xs:element>'
        "</xs:schema>"
    )
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.parse(str(xsd)))
    schema = compile_lxml(xsd)
    assert schema is not None


def test_remote_locations_are_refused(tmp_path: Path) -> None:
    xsd = tmp_path / "remote.xsd"
    xsd.write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:r">'
        '<xs:import namespace="urn:elsewhere" schemaLocation="http://example.org/x.xsd"/>'
        "</xs:schema>"
    )
    with pytest.raises((etree.XMLSchemaParseError, SchemaNotFoundError)):
        compile_lxml(xsd)
