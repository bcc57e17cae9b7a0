"""Small builders of docutils nodes shared by the directives."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from docutils import nodes


def text(value: str) -> nodes.Text:
    """Return a text node."""
    return nodes.Text(value)


def para(*children: nodes.Node | str, ids: Sequence[str] = ()) -> nodes.paragraph:
    """Return a paragraph of nodes and strings."""
    node = nodes.paragraph("", "", *(text(c) if isinstance(c, str) else c for c in children))
    if ids:
        node["ids"].extend(ids)
    return node


def literal(value: str) -> nodes.literal:
    """Return inline code."""
    return nodes.literal(value, value)


def link(url: str, label: str | None = None) -> nodes.reference:
    """Return an external link."""
    return nodes.reference("", label or url, refuri=url)


def field_list(
    items: Iterable[tuple[str, nodes.Node | str | None]], *, classes: Sequence[str] = ()
) -> nodes.field_list:
    """Return a field list of ``(name, body)`` pairs, skipping empty bodies."""
    fields = nodes.field_list(classes=["lgs-fields", *classes])
    for name, body in items:
        if body is None or body == "":
            continue
        value = para(body) if isinstance(body, str | nodes.Inline | nodes.Text) else body
        fields += nodes.field("", nodes.field_name(name, name), nodes.field_body("", value))
    return fields


def joined(items: Sequence[nodes.Node], separator: str = ", ") -> nodes.inline:
    """Return inline nodes joined by ``separator``."""
    node = nodes.inline()
    for index, item in enumerate(items):
        if index:
            node += text(separator)
        node += item
    return node


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[nodes.Node | str]],
    *,
    widths: Sequence[int] | None = None,
    classes: Sequence[str] = (),
) -> nodes.table:
    """Return a table; each cell is a node (wrapped in a paragraph when inline) or a string."""
    given = ["colwidths-given"] if widths else []
    table_node = nodes.table(classes=["lgs-table", *given, *classes])
    group = nodes.tgroup(cols=len(headers))
    table_node += group
    for width in widths or [1] * len(headers):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    group += head
    head += _row(headers)
    body = nodes.tbody()
    group += body
    for cells in rows:
        body += _row(cells)
    return table_node


def _row(cells: Sequence[nodes.Node | str]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        if isinstance(cell, str):
            if cell:
                entry += para(cell)
        elif isinstance(cell, nodes.Inline | nodes.Text):
            entry += para(cell)
        else:
            entry += cell
        row += entry
    return row


def note(message: str) -> nodes.note:
    """Return a note admonition holding one paragraph."""
    return nodes.note("", para(message))


__all__ = ["field_list", "joined", "link", "literal", "note", "para", "table", "text"]
