"""The XSD reader behind ``lgstandards-schema``: what a reference page is built from."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgstandards.sphinxext.xsdmodel import (
    XS,
    ComplexTypeDef,
    Particle,
    SchemaDoc,
    SimpleTypeDef,
    read_schema,
)

FIXTURE = Path(__file__).parent / "fixtures" / "library-v1-0.xsd"
LIB = "urn:example:library:1"


@pytest.fixture(scope="module")
def schema() -> SchemaDoc:
    return read_schema(FIXTURE)


def test_schema_metadata(schema: SchemaDoc) -> None:
    assert schema.target_namespace == LIB
    assert schema.version == "1.0"
    assert schema.documentation == "A lending library's loans, for testing."
    assert schema.prefix_for(LIB) == "lib"


def test_every_element_name_is_found_global_and_local(schema: SchemaDoc) -> None:
    assert schema.all_element_names() == (
        "Barcode",
        "Bay",
        "Condition",
        "Due",
        "Floor",
        "Loan",
        "NewDue",
        "ReaderCard",
        "ReaderName",
        "Renewal",
        "Returned",
        "Returns",
        "Shelf",
        "Store",
        "When",
    )


def test_content_model_in_order_with_cardinality_and_choices(schema: SchemaDoc) -> None:
    loan = schema.type_named((LIB, "LoanStructure"))
    assert isinstance(loan, ComplexTypeDef)
    assert [(p.name, p.cardinality, p.compositor) for p in loan.particles] == [
        ("Barcode", "1", "sequence"),
        ("ReaderCard", "1", "choice 2"),
        ("ReaderName", "1", "choice 2"),
        ("Due", "1", "sequence"),
        ("Renewal", "0..3", "sequence"),
    ]
    assert loan.particles[0].documentation == "The book's barcode."
    assert loan.particles[0].type_name == (LIB, "BarcodeType")
    assert loan.particles[3].type_name == (XS, "date")
    attributes = {a.name: a for a in loan.attributes}
    assert attributes["SchemaVersion"].use == "required"
    assert attributes["Channel"].default == "desk"


def test_choice_alternatives_that_are_sequences_are_lettered(schema: SchemaDoc) -> None:
    shelf = schema.type_named((LIB, "ShelfStructure"))
    assert isinstance(shelf, ComplexTypeDef)
    assert [(p.name, p.compositor) for p in shelf.particles] == [
        ("Floor", "choice 1, option a"),
        ("Bay", "choice 1, option a"),
        ("Store", "choice 1, option b"),
    ]


def test_derivation_by_extension(schema: SchemaDoc) -> None:
    renewal = schema.type_named((LIB, "RenewalStructure"))
    assert isinstance(renewal, ComplexTypeDef)
    assert renewal.base == (LIB, "BaseEventStructure")
    assert renewal.derivation == "extension"
    assert [p.name for p in renewal.particles] == ["NewDue"]


def test_simple_types_facets_enumerations_and_lists(schema: SchemaDoc) -> None:
    barcode = schema.type_named((LIB, "BarcodeType"))
    assert isinstance(barcode, SimpleTypeDef)
    assert barcode.base == (XS, "string")
    assert barcode.facets == (("pattern", "[0-9]{8}"), ("length", "8"))
    channel = schema.type_named((LIB, "ChannelType"))
    assert isinstance(channel, SimpleTypeDef)
    assert [(e.value, e.documentation) for e in channel.enumerations] == [
        ("desk", "At the counter."),
        ("kiosk", ""),
    ]
    codes = schema.type_named((LIB, "CodeListType"))
    assert isinstance(codes, SimpleTypeDef)
    assert (codes.variety, codes.base) == ("list", (LIB, "BarcodeType"))


def test_anonymous_types_are_kept_inline(schema: SchemaDoc) -> None:
    returns = next(e for e in schema.elements if e.name == "Returns")
    assert isinstance(returns.inline, ComplexTypeDef)
    returned = returns.inline.particles[0]
    assert returned.cardinality == "1..*"
    assert isinstance(returned.inline, ComplexTypeDef)
    condition = returned.inline.particles[1]
    assert isinstance(condition.inline, SimpleTypeDef)
    assert [e.value for e in condition.inline.enumerations] == ["good", "damaged"]


def test_not_a_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.xsd"
    path.write_text("<root/>", encoding="utf-8")
    with pytest.raises(ValueError, match="not an XML Schema"):
        read_schema(path)


def test_unknown_constructs_are_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "odd.xsd"
    path.write_text(
        f'<xs:schema xmlns:xs="{XS}" targetNamespace="urn:x">'
        '<xs:notation name="gif" public="image/gif"/>'
        '<xs:element name="A"><xs:complexType><xs:sequence>'
        '<xs:any namespace="##other" minOccurs="0" maxOccurs="unbounded"/>'
        '<xs:group ref="G"/>'
        "</xs:sequence></xs:complexType></xs:element>"
        '<xs:group name="G"><xs:sequence><xs:element name="B" type="xs:string"/></xs:sequence>'
        "</xs:group></xs:schema>",
        encoding="utf-8",
    )
    doc = read_schema(path)
    particles = doc.elements[0].inline.particles  # type: ignore[union-attr]
    assert [(p.name, p.is_group) for p in particles] == [("any", False), ("G", True)]
    assert [g.name for g in doc.groups] == ["G"]
    assert doc.all_element_names() == ("A", "B")


def test_entities_are_not_expanded(tmp_path: Path) -> None:
    path = tmp_path / "entity.xsd"
    path.write_text(
        '<!DOCTYPE xs:schema [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        f'<xs:schema xmlns:xs="{XS}"><xs:annotation><xs:documentation>&e;</xs:documentation>'
        "</xs:annotation></xs:schema>",
        encoding="utf-8",
    )
    assert "root:" not in read_schema(path).documentation


@given(st.integers(0, 5), st.one_of(st.none(), st.integers(0, 5)))
def test_cardinality_text(low: int, high: int | None) -> None:
    text = Particle("X", min_occurs=low, max_occurs=high).cardinality
    if high == low:
        assert text == str(low)
    else:
        assert text == f"{low}..{'*' if high is None else high}"
