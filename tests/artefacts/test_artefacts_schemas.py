"""Schemas are read offline through one resolver and compiled once per process.

Every way a schema can name another (``xs:import``, ``xs:include``, ``xs:redefine``,
an import with no location at any depth) goes through the same rules for lxml and
xmlschema: a catalogued namespace or URL is the shipped file; any other remote
location is refused with an error naming it, never fetched and never read as an
empty document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from lgstandards.artefacts import catalogue, kinds
from lgstandards.artefacts.resolver import KNOWN_URLS, offline, xmlschema_uri_mapper
from lgstandards.artefacts.schemas import (
    compile_lxml,
    compile_xmlschema,
    lxml_schema,
    record_schema,
    schema_files,
    schema_for,
    xmlschema_schema,
)
from lgstandards.exceptions import SchemaNotFoundError

XS = "http://www.w3.org/2001/XMLSchema"
DS = "http://www.w3.org/2000/09/xmldsig#"
REMOTE = [
    "http://example.org/x.xsd",
    "https://example.org/x.xsd",
    "HTTP://EXAMPLE.ORG/X.XSD",
    "ftp://example.org/x.xsd",
    "//example.org/x.xsd",
]


def _schema(folder: Path, name: str, body: str, *, namespace: str = "urn:t") -> Path:
    path = folder / name
    path.write_text(
        f'<xs:schema xmlns:xs="{XS}" xmlns:ds="{DS}" targetNamespace="{namespace}"'
        f' xmlns:t="{namespace}" elementFormDefault="qualified">{body}</xs:schema>',
        encoding="utf-8",
    )
    return path


REFERENCES = {
    "import": '<xs:import namespace="urn:elsewhere" schemaLocation="{url}"/>',
    "include": '<xs:include schemaLocation="{url}"/>',
    "redefine": '<xs:redefine schemaLocation="{url}"/>',
}


@pytest.mark.parametrize("url", REMOTE)
@pytest.mark.parametrize("how", sorted(REFERENCES))
@pytest.mark.parametrize("depth", [0, 1])
def test_an_uncatalogued_remote_location_is_refused_by_name(
    tmp_path: Path, url: str, how: str, depth: int
) -> None:
    """Whether the schema itself or one it includes names it."""
    inner = _schema(tmp_path, "inner.xsd", REFERENCES[how].format(url=url))
    top = (
        inner
        if depth == 0
        else _schema(tmp_path, "top.xsd", '<xs:include schemaLocation="inner.xsd"/>')
    )
    for compile_it in (compile_lxml, schema_files):
        with pytest.raises(SchemaNotFoundError, match="refusing to fetch") as caught:
            compile_it(top)
        assert url in str(caught.value)
        assert "inner.xsd" in str(caught.value)
    spec = kinds.KindSpec("test.remote", "urn:t", "Root", top, record="Item")
    with pytest.raises(SchemaNotFoundError, match="refusing to fetch"):
        schema_for(spec)
    with pytest.raises(SchemaNotFoundError, match="refusing to fetch"):
        record_schema(top, "urn:t", "Item")


@pytest.mark.parametrize("url", REMOTE)
def test_the_resolver_refuses_for_both_engines(url: str) -> None:
    with pytest.raises(SchemaNotFoundError, match="refusing to fetch"):
        offline(url)
    with pytest.raises(SchemaNotFoundError, match="refusing to fetch"):
        xmlschema_uri_mapper(url)


@pytest.mark.parametrize("url", sorted(KNOWN_URLS))
def test_a_catalogued_url_is_read_from_the_shipped_file_by_both_engines(
    tmp_path: Path, url: str
) -> None:
    path = _schema(
        tmp_path,
        "signed.xsd",
        f'<xs:import namespace="{DS}" schemaLocation="{url}"/>'
        '<xs:element name="Signed"><xs:complexType><xs:sequence>'
        '<xs:element ref="ds:Signature" minOccurs="0"/></xs:sequence></xs:complexType>'
        "</xs:element>",
    )
    target = offline(url)
    assert target is not None
    assert target.is_file()
    assert xmlschema_uri_mapper(url) == target.as_uri()
    assert target.resolve() in schema_files(path)
    document = etree.fromstring(b'<Signed xmlns="urn:t"/>')
    assert compile_lxml(path).validate(document)
    assert compile_xmlschema(path).is_valid(document)


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_an_import_without_location_is_catalogued_at_any_depth(tmp_path: Path, depth: int) -> None:
    """domain.md 5.6 trap 1, also when an included schema holds the bare import."""
    body = (
        f'<xs:import namespace="{DS}"/>'
        '<xs:element name="Signed"><xs:complexType><xs:sequence>'
        '<xs:element ref="ds:Signature"/></xs:sequence></xs:complexType></xs:element>'
    )
    path = _schema(tmp_path, "level0.xsd", body)
    for level in range(1, depth + 1):
        path = _schema(tmp_path, f"level{level}.xsd", f'<xs:include schemaLocation="{path.name}"/>')
    with pytest.raises(etree.XMLSchemaParseError):
        etree.XMLSchema(etree.parse(str(path)))
    schema = compile_lxml(path)
    signature = f'<ds:Signature xmlns:ds="{DS}"/>'
    assert not schema.validate(etree.fromstring(f'<Signed xmlns="urn:t">{signature}</Signed>'))
    assert "Signature" in str(schema.error_log)


@pytest.mark.parametrize("kind", catalogue.kinds())
def test_each_schema_is_compiled_once_whatever_names_it(kind: str) -> None:
    entry = catalogue.entry_for_kind(kind)
    spec = kinds.spec_for_kind(kind)
    assert spec is not None
    compiled = lxml_schema(kind)
    assert lxml_schema(entry.namespace) is compiled
    assert schema_for(spec) is compiled
    assert compile_lxml(entry.path) is compiled
    assert xmlschema_schema(entry.namespace) is xmlschema_schema(kind)


def test_a_missing_schema_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "gone.xsd"
    for compile_it in (compile_lxml, compile_xmlschema):
        with pytest.raises(SchemaNotFoundError, match=r"gone\.xsd"):
            compile_it(missing)
    spec = kinds.KindSpec("test.none", "urn:t", "Root", None)
    with pytest.raises(SchemaNotFoundError, match=r"test\.none"):
        schema_for(spec)


_TYPED = f"""<xs:schema xmlns:xs="{XS}" xmlns:t="urn:test" targetNamespace="urn:test"
    elementFormDefault="unqualified">
  <xs:simpleType name="LGSLCodeType"><xs:restriction base="xs:positiveInteger"/></xs:simpleType>
  <xs:simpleType name="Service"><xs:restriction base="t:LGSLCodeType"/></xs:simpleType>
  <xs:simpleType name="Derived"><xs:restriction base="t:Service"/></xs:simpleType>
  <xs:complexType name="WithUnit">
    <xs:simpleContent><xs:extension base="t:Derived"/></xs:simpleContent>
  </xs:complexType>
  <xs:complexType name="Blob">
    <xs:simpleContent><xs:extension base="xs:base64Binary"/></xs:simpleContent>
  </xs:complexType>
  <xs:element name="Root">
    <xs:complexType><xs:sequence>
      <xs:element name="Local" type="t:WithUnit"/>
      <xs:element name="Qualified" type="t:Service" form="qualified"/>
      <xs:element name="Data" type="t:Blob"/>
      <xs:element name="Raw" type="xs:base64Binary"/>
      <xs:element name="Plain" type="xs:string"/>
    </xs:sequence>
    <xs:attribute name="code" type="t:Derived"/></xs:complexType>
  </xs:element>
  <xs:element name="Top" type="t:LGSLCodeType"/>
</xs:schema>"""


def test_typed_fields_close_over_derived_types_for_each_family(tmp_path: Path) -> None:
    # The code fields and the lexically checked fields come from one reading of the
    # schema; each family gets its own types derived from its seeds.
    from lgstandards.artefacts.schemas import code_fields, lexical_fields

    path = tmp_path / "typed.xsd"
    path.write_text(_TYPED, encoding="utf-8")
    assert code_fields(path) == {
        "Local": "lgsl",
        "{urn:test}Qualified": "lgsl",
        "@code": "lgsl",
        "{urn:test}Top": "lgsl",
    }
    assert lexical_fields(path) == {"Data": "base64Binary", "Raw": "base64Binary"}


def test_typed_fields_of_the_catalogue() -> None:
    from lgstandards.artefacts.schemas import code_fields, lexical_fields

    council_list = kinds.spec_for_kind("transactions.council-list")
    assert council_list is not None
    assert council_list.schema_file is not None
    assert code_fields(council_list.schema_file) == {
        "{urn:lgstandards:transactions:1}LGSL": "lgsl",
        "{urn:lgstandards:transactions:1}LGIL": "lgil",
    }
    envelope = kinds.spec_for_kind("govtalk.envelope")
    assert envelope is not None
    assert envelope.schema_file is not None
    assert lexical_fields(envelope.schema_file)[f"{{{DS}}}SignatureValue"] == "base64Binary"
    assert code_fields(envelope.schema_file) == {}
