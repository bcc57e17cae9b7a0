"""Every model field an XSD documents carries that documentation as its description.

The expected text is read here with the documentation site's own XSD reader
(:mod:`lgstandards.sphinxext.xsdmodel`), independently of the table builder (which
uses ``xmlschema``): the two readers must agree, for every field of every model, and
``model_json_schema()`` must show the same text.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")

from lgstandards.artefacts.catalogue import entry_for_namespace
from lgstandards.models._describe import TYPE_NAMES, class_key, main, model_classes
from lgstandards.models._xml import XmlModel, plan_for
from lgstandards.sphinxext.xsdmodel import XS, ComplexTypeDef, SchemaDoc, read_schema

CLASSES = [cls for cls in model_classes() if cls.model_fields]


@cache
def _schema(namespace: str) -> SchemaDoc:
    return read_schema(entry_for_namespace(namespace).path)


def _complex_type(cls: type[XmlModel]) -> ComplexTypeDef | None:
    doc = _schema(cls.xml_namespace)
    root = cls.__dict__.get("xml_root")
    if root:
        element = next(e for e in doc.elements if e.name == root)
        if isinstance(element.inline, ComplexTypeDef):
            return element.inline
        found = doc.type_named(element.type_name) if element.type_name else None
    else:
        name = TYPE_NAMES.get(class_key(cls), f"{cls.__name__}Structure")
        found = doc.type_named((doc.target_namespace, name))
    return found if isinstance(found, ComplexTypeDef) else None


def _documented(ctype: ComplexTypeDef, namespace: str, hops: int = 0) -> dict[str, str]:
    """Return ``{"element {ns}Name" | "attribute Name": documentation}``, inherited first."""
    found: dict[str, str] = {}
    base_ns = ctype.base[0] if ctype.base is not None else XS
    if ctype.derivation == "extension" and base_ns != XS and hops < 10:
        assert ctype.base is not None
        base = _schema(base_ns).type_named(ctype.base)
        if isinstance(base, ComplexTypeDef):
            found.update(_documented(base, base_ns, hops + 1))

    def particles(items: Any) -> None:
        for p in items:
            if p.is_group and p.type_name is not None:
                group = next(g for g in _schema(p.type_name[0]).groups if g.name == p.name)
                particles(group.particles)
            elif p.documentation and p.name != "any":
                ns = p.type_name[0] if p.is_ref and p.type_name else namespace
                # An element declared twice (in two branches of a choice): the first.
                found.setdefault(f"element {{{ns}}}{p.name}", p.documentation)

    particles(ctype.particles)
    for attribute in ctype.attributes:
        if attribute.documentation:
            found.setdefault(f"attribute {attribute.name}", attribute.documentation)
    return found


def _shown(schema: dict[str, Any], key: str) -> str | None:
    """Return the description the JSON Schema gives a property.

    pydantic leaves out a description next to a ``$ref`` when the referenced model's
    own description is the same text; the property then shows that one.
    """
    prop = schema["properties"][key]
    if "description" in prop or "$ref" not in prop:
        return prop.get("description")
    target = schema["$defs"][prop["$ref"].rpartition("/")[2]]
    text: str | None = target.get("description")
    return text


def test_the_table_is_up_to_date(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0, capsys.readouterr().out


def test_every_model_binds_a_schema_type() -> None:
    assert len(CLASSES) > 80
    unbound = [cls.__qualname__ for cls in CLASSES if _complex_type(cls) is None]
    assert unbound == []


@pytest.mark.parametrize(
    "cls", CLASSES, ids=lambda cls: class_key(cls).removeprefix("lgstandards.")
)
def test_every_documented_field_has_its_documentation(cls: type[XmlModel]) -> None:
    ctype = _complex_type(cls)
    assert ctype is not None
    documented = _documented(ctype, cls.xml_namespace)
    plan = plan_for(cls)
    where = {fp.name: f"element {tag}" for tag, fp in plan.elements.items()}
    where.update({fp.name: f"attribute {local}" for local, fp in plan.attrs.items()})
    schema = cls.model_json_schema()
    for name, info in cls.model_fields.items():
        expected = documented.get(where.get(name, ""))
        assert info.description == expected, name
        if expected is None:
            assert "description" not in schema["properties"][info.alias or name], name
        else:
            assert _shown(schema, info.alias or name) == expected, name
    # Nothing the schema documents is left out: each documented item is a field.
    assert set(documented) <= set(where.values()), sorted(set(documented) - set(where.values()))
