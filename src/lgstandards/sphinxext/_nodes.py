"""Small builders of docutils nodes shared by the directives."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from docutils import nodes

#: Where a name may break: after a separator, or before a word of a CamelCase name
#: (``Payment|Request``, ``BS7666|Address``, ``ISO|Currency``), never inside a word.
_BREAK = re.compile(r"(?<=[:./_-])(?=.)|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


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


def name_parts(name: str) -> list[str]:
    """Split a name (type, element, attribute) where a line may break: its words.

    ``epay:PaymentRequestStructure`` gives ``["epay:", "Payment", "Request",
    "Structure"]``; the parts joined are the name.
    """
    if len(name) < 2:
        return [name] if name else []
    parts = _BREAK.split(name)
    return [part for part in parts if part]


class name_literal(nodes.literal):
    """Inline code of a name that lines break between its words only (HTML ``<wbr>``).

    Other builders render it as ordinary inline code.
    """


class name_text(nodes.inline):
    """A name as plain text (a heading) that breaks between its words only."""


def name_code(value: str) -> name_literal:
    """Return inline code of a type, element or attribute name (see :class:`name_literal`)."""
    return name_literal(value, value)


def name_plain(value: str) -> name_text:
    """Return a name as text that breaks between its words only (see :class:`name_text`)."""
    return name_text(value, value)


def _with_breaks(translator: Any, value: str) -> str:
    return "<wbr>".join(translator.encode(part) for part in name_parts(value))


def visit_name_literal_html(translator: Any, node: name_literal) -> None:
    """Write ``<code class="... lgs-name">Payment<wbr>Request</code>`` and skip the children."""
    translator.body.append(
        translator.starttag(node, "code", "", CLASS="docutils literal notranslate lgs-name")
    )
    translator.body.append(_with_breaks(translator, node.astext()) + "</code>")
    raise nodes.SkipNode


def visit_name_text_html(translator: Any, node: name_text) -> None:
    """Write ``Payment<wbr>Request`` (no element of its own) and skip the children."""
    translator.body.append(_with_breaks(translator, node.astext()))
    raise nodes.SkipNode


def link(url: str, label: str | None = None) -> nodes.reference:
    """Return an external link."""
    return nodes.reference("", label or url, refuri=url)


def field_list(
    items: Iterable[tuple[str, nodes.Node | str | None]], *, classes: Sequence[str] = ()
) -> nodes.definition_list:
    """Return a compact list of ``(name, body)`` pairs, skipping empty bodies.

    It is a definition list (``dl.lgs-fields``), lighter than a docutils field list:
    no colon spans and no odd/even classes on every item.
    """
    fields = nodes.definition_list(classes=["lgs-fields", *classes])
    for name, body in items:
        if body is None or body == "":
            continue
        value = para(body) if isinstance(body, str | nodes.Inline | nodes.Text) else body
        term = nodes.term(name, name)
        fields += nodes.definition_list_item("", term, nodes.definition("", value))
    return fields


def joined(items: Sequence[nodes.Node], separator: str = ", ") -> list[nodes.Node]:
    """Return ``items`` with ``separator`` text between them (to put in a paragraph)."""
    out: list[nodes.Node] = []
    for index, item in enumerate(items):
        if index:
            out.append(text(separator))
        out.append(item)
    return out


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


def as_written(result: list[nodes.Node]) -> list[nodes.Node]:
    """Mark a directive's nodes so that "smart quotes" never change their text.

    Published data, codes and documentation are shown as written (``'`` stays ``'``,
    ``--`` stays ``--``) even on sites that turn smart quotes on.
    """
    for node in result:
        if isinstance(node, nodes.Element):
            node["support_smartquotes"] = False
    return result


def note(message: str) -> nodes.note:
    """Return a note admonition holding one paragraph."""
    return nodes.note("", para(message))


__all__ = [
    "as_written",
    "field_list",
    "joined",
    "link",
    "literal",
    "name_code",
    "name_literal",
    "name_parts",
    "name_plain",
    "name_text",
    "note",
    "para",
    "table",
    "text",
    "visit_name_literal_html",
    "visit_name_text_html",
]
