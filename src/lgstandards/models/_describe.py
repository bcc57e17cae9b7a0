"""Build the models' field descriptions from the schemas' ``xs:documentation``.

The schemas own the documentation of every element and attribute; the models carry it
as their fields' descriptions (``model_fields[name].description`` and the
``description`` of each property in ``model_json_schema()``). Reading the schemas when
the models are imported would make every import slow, so the descriptions are built
ahead, into the checked-in table :mod:`lgstandards.models._descriptions`, which the
models apply when their classes are made (a dictionary look-up per class).

Rebuild the table after changing a schema or a model::

    python -m lgstandards.models._describe           # rewrite _descriptions.py
    python -m lgstandards.models._describe --check   # exit 1 when it is out of date

The tests run the check. A model binds the global element named by its ``xml_root``
or the complex type ``<ClassName>Structure`` (the exceptions are in
:data:`TYPE_NAMES`); each field's element or attribute is found as the XML binding
finds it (:func:`~lgstandards.models._xml.plan_for`), inherited content included.
"""

from __future__ import annotations

import importlib
import inspect
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

from lgstandards.models._xml import XmlModel, plan_for

#: The table this module writes.
TABLE = Path(__file__).with_name("_descriptions.py")

#: The longest line of the generated module (the project's line length).
LINE_LENGTH = 100

#: Models whose complex type is not named ``<ClassName>Structure``.
TYPE_NAMES = {"lgstandards.models.common.MoneyAmount": "MoneyStructure"}

_HEADER = '''"""The models' field descriptions, from the schemas' xs:documentation (generated).

Do not edit: run ``python -m lgstandards.models._describe`` after changing a schema
or a model (the tests check that this table is up to date).
"""

#: ``{"module.Class": {"field": "description"}}``, for the fields each class declares.
DESCRIPTIONS: dict[str, dict[str, str]] = {
'''


def model_classes() -> list[type[XmlModel]]:
    """Return every model class of :data:`lgstandards.models.MODULES`, in source order."""
    from lgstandards.models import MODULES

    found: list[type[XmlModel]] = []
    for name in MODULES:
        module = importlib.import_module(f"lgstandards.models.{name}")
        classes = [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, XmlModel)
            and value.__module__ == module.__name__
        ]
        found += sorted(classes, key=lambda cls: inspect.getsourcelines(cls)[1])
    return found


def class_key(cls: type) -> str:
    """Return the key of a class in the table: ``lgstandards.models.epay.Payer``."""
    return f"{cls.__module__}.{cls.__qualname__}"


def schema_component(cls: type[XmlModel]) -> Any:
    """Return the ``xmlschema`` complex type a model binds, or None when there is none."""
    from lgstandards.artefacts.schemas import xmlschema_schema
    from lgstandards.exceptions import LGStandardsError

    if not cls.xml_namespace:
        return None
    try:
        schema = xmlschema_schema(cls.xml_namespace)
    except LGStandardsError:
        return None
    root = cls.__dict__.get("xml_root")
    if root:
        element = schema.elements.get(root)
        return None if element is None else element.type
    name = TYPE_NAMES.get(class_key(cls), f"{cls.__name__}Structure")
    found = schema.types.get(name)
    return found if found is not None and found.is_complex() else None


def documentation(component: Any) -> str:
    """Return a schema component's ``xs:documentation`` text, white space collapsed."""
    annotation = getattr(component, "annotation", None)
    if annotation is None:
        return ""
    parts = [" ".join("".join(doc.itertext()).split()) for doc in annotation.documentation]
    return " ".join(part for part in parts if part)


def field_descriptions(cls: type[XmlModel]) -> dict[str, str]:
    """Return ``{field: documentation}`` for the documented fields ``cls`` declares."""
    component = schema_component(cls)
    if component is None:
        return {}
    documented: dict[str, str] = {}
    content = getattr(component, "content", None)
    if content is not None and hasattr(content, "iter_elements"):
        for element in content.iter_elements():
            text = documentation(element)
            if text and element.name is not None:
                documented.setdefault(f"element {element.name}", text)
    for name, attribute in getattr(component, "attributes", {}).items():
        text = documentation(attribute)
        if text and isinstance(name, str):
            documented.setdefault(f"attribute {name}", text)
    plan = plan_for(cls)
    where = {fp.name: f"element {tag}" for tag, fp in plan.elements.items()}
    where.update({fp.name: f"attribute {local}" for local, fp in plan.attrs.items()})
    own = inspect.get_annotations(cls)
    return {
        name: documented[where[name]]
        for name in cls.model_fields
        if name in own and name in where and where[name] in documented
    }


def descriptions() -> dict[str, dict[str, str]]:
    """Return the table: the documented fields of every model, by class."""
    table: dict[str, dict[str, str]] = {}
    for cls in model_classes():
        found = field_descriptions(cls)
        if found:
            table[class_key(cls)] = found
    return table


def _literal(text: str) -> str:
    """Return a Python string literal as ``ruff format`` writes it (double quotes)."""
    return json.dumps(text, ensure_ascii=False)


def _entry(name: str, text: str) -> str:
    """Return one ``"field": "description",`` line, or a parenthesised block if too long."""
    line = f"        {_literal(name)}: {_literal(text)},\n"
    if len(line) <= LINE_LENGTH + 1:
        return line
    pieces = textwrap.wrap(
        text,
        LINE_LENGTH - 14,
        break_long_words=False,
        break_on_hyphens=False,
        drop_whitespace=False,
    )
    assert "".join(pieces) == text
    body = "".join(f"            {_literal(piece)}\n" for piece in pieces)
    return f"        {_literal(name)}: (\n{body}        ),\n"


def render(table: dict[str, dict[str, str]]) -> str:
    """Return the source of the table module (formatted as ``ruff format`` leaves it)."""
    lines = [_HEADER]
    for key, fields in table.items():
        lines.append(f"    {_literal(key)}: {{\n")
        lines += [_entry(name, text) for name, text in fields.items()]
        lines.append("    },\n")
    lines.append("}\n")
    return "".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Rewrite the table, or with ``--check`` say whether it is up to date (exit 1 if not)."""
    args = sys.argv[1:] if argv is None else argv
    wanted = render(descriptions())
    current = TABLE.read_text(encoding="utf-8") if TABLE.is_file() else ""
    if "--check" in args:
        if current != wanted:
            print(f"{TABLE} is out of date: run python -m lgstandards.models._describe")
            return 1
        return 0
    if current != wanted:
        TABLE.write_text(wanted, encoding="utf-8")
        print(f"wrote {TABLE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
