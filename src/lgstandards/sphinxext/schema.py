"""``.. lgstandards-schema:: NAME``: every element and type of an XML Schema.

``NAME`` is a catalogue prefix or folder (``epay``, ``ben``, ``ebenefits``, ``lgc``,
``common`` ...), a namespace from ``schemas/catalog.json``, or the path of an ``.xsd``
file relative to the page (for your own schemas). The page gets a section per message
(global element) and per complex type, with a table of local elements (type,
cardinality, documentation), attributes and an example skeleton, and a table of the
simple types with their facets. Anchors: ``<prefix>-element-<name>``,
``<prefix>-type-<name>`` (lower case).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import (
    as_written,
    field_list,
    literal,
    name_code,
    name_plain,
    note,
    para,
    table,
    text,
)
from lgstandards.sphinxext.domain import LGStandardsDomain, clark, optional_xref
from lgstandards.sphinxext.xsdmodel import (
    XS,
    AttributeDef,
    ComplexTypeDef,
    ElementDef,
    Particle,
    QName,
    SchemaDoc,
    SimpleTypeDef,
    read_schema,
)

logger = logging.getLogger(__name__)

#: Sample text for built-in types in example skeletons.
SAMPLES = {
    "date": "2026-04-01",
    "dateTime": "2026-04-01T09:30:00Z",
    "time": "09:30:00",
    "gYear": "2026",
    "decimal": "12.50",
    "integer": "1",
    "int": "1",
    "long": "1",
    "short": "1",
    "positiveInteger": "1",
    "nonNegativeInteger": "0",
    "boolean": "true",
    "anyURI": "https://example.invalid/",
    "base64Binary": "AAAA",
    "string": "text",
    "normalizedString": "text",
    "token": "text",
}

#: Lines after which an example skeleton is cut.
EXAMPLE_LINES = 60


@dataclass(frozen=True, slots=True)
class SchemaSource:
    """A schema to document: its file and the prefix its anchors and names use."""

    path: Path
    prefix: str
    namespace: str | None = None


@cache
def _read(path: Path, mtime: float) -> SchemaDoc:
    return read_schema(path)


def load_schema(path: Path) -> SchemaDoc:
    """Read (once per file version) the schema at ``path``."""
    return _read(path, path.stat().st_mtime)


def catalogue_prefixes() -> dict[str, str]:
    """Return the catalogue's namespace -> prefix map (a broken catalogue raises)."""
    from lgstandards.artefacts.catalogue import prefixes

    return dict(prefixes())


def resolve_source(name: str) -> SchemaSource | None:
    """Find a catalogued schema by prefix, folder, file stem or namespace; None when unknown."""
    from lgstandards.artefacts.catalogue import entries

    key = name.strip()
    for entry in entries():
        folder = entry.file.split("/", 1)[0]
        stem = Path(entry.file).stem
        if key in {entry.prefix, folder, stem, entry.namespace}:
            return SchemaSource(entry.path, entry.prefix, entry.namespace)
    return None


class _Universe:
    """Every schema the examples and links can reach: the catalogue plus the page's own."""

    def __init__(self, own: SchemaDoc, prefix: str) -> None:
        self.own = own
        self.prefixes = catalogue_prefixes()
        self.prefixes.setdefault(own.target_namespace, prefix)
        for p, uri in own.prefixes:
            if p:
                self.prefixes.setdefault(uri, p)
        self.prefixes[XS] = "xs"
        self._docs: dict[str, SchemaDoc | None] = {own.target_namespace: own}

    def schema(self, namespace: str) -> SchemaDoc | None:
        if namespace not in self._docs:
            self._docs[namespace] = None
            from lgstandards.artefacts.catalogue import entries

            for entry in entries():
                if entry.namespace == namespace and entry.path.is_file():
                    try:
                        self._docs[namespace] = load_schema(entry.path)
                    except Exception:
                        self._docs[namespace] = None
        return self._docs[namespace]

    def type_def(self, name: QName | None) -> ComplexTypeDef | SimpleTypeDef | None:
        if name is None:
            return None
        doc = self.schema(name[0])
        return None if doc is None else doc.type_named(name)

    def element_def(self, name: QName) -> ElementDef | None:
        doc = self.schema(name[0])
        if doc is None:
            return None
        return next((e for e in doc.elements if e.name == name[1]), None)

    def show(self, name: QName) -> str:
        prefix = self.prefixes.get(name[0])
        return f"{prefix}:{name[1]}" if prefix else name[1]

    def builtin(self, simple: SimpleTypeDef | None, name: QName | None) -> str | None:
        """Follow a simple type's base chain to the XSD built-in it restricts."""
        seen = 0
        while seen < 20:
            seen += 1
            if name is not None and name[0] == XS:
                return name[1]
            if simple is None:
                found = self.type_def(name)
                if not isinstance(found, SimpleTypeDef):
                    return None
                simple = found
            name, simple = simple.base, None
        return None


def _breakable(title: str) -> nodes.Node:
    """Return a heading's text; a single name breaks only between its words."""
    return name_plain(title) if title and " " not in title else text(title)


def _anchor(prefix: str, kind: str, name: str) -> str:
    return nodes.make_id(f"{prefix}-{kind}-{name}")


class SchemaDirective(SphinxDirective):
    """Render every element and type of one schema."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "prefix": directives.unchanged,
        "no-examples": directives.flag,
    }

    @property
    def domain(self) -> LGStandardsDomain:
        """The ``lgs`` domain of this build."""
        domain = self.env.get_domain("lgs")
        assert isinstance(domain, LGStandardsDomain)
        return domain

    def _source(self) -> SchemaSource | None:
        name = self.arguments[0].strip()
        if name.endswith(".xsd"):
            _, path = self.env.relfn2path(name, self.env.docname)
            prefix = self.options.get("prefix") or Path(name).stem
            return SchemaSource(Path(path), prefix)
        found = resolve_source(name)
        if found is None:
            raise self.error(f"lgstandards-schema: no schema {name!r} in schemas/catalog.json")
        if self.options.get("prefix"):
            found = SchemaSource(found.path, self.options["prefix"], found.namespace)
        return found

    def run(self) -> list[nodes.Node]:
        """Build the reference nodes of one schema."""
        source = self._source()
        assert source is not None
        self.env.note_dependency(str(source.path))
        if not source.path.is_file():
            logger.info("lgstandards-schema: %s is not written yet", source.path)
            return [note(f"The schema {source.path.name} is not published yet.")]
        try:
            doc = load_schema(source.path)
        except Exception as exc:
            raise self.error(f"lgstandards-schema: cannot read {source.path}: {exc}") from exc
        self.universe = _Universe(doc, source.prefix)
        self.prefix = source.prefix
        self.domain.note_prefix(source.prefix, doc.target_namespace)
        self._register(doc)
        result: list[nodes.Node] = [self._summary(doc, source)]
        if doc.elements:
            section = self._section("Messages and global elements", "elements")
            for element in doc.elements:
                section += self._element(element)
            result.append(section)
        if doc.complex_types:
            section = self._section("Complex types", "complex-types")
            for ctype in doc.complex_types:
                section += self._complex(ctype)
            result.append(section)
        if doc.groups:
            section = self._section("Groups", "groups")
            for group in doc.groups:
                sub = self._subsection(
                    group.name, _anchor(self.prefix, "group", group.name), group.documentation
                )
                sub += self._particles_table(group.particles, None)
                section += sub
            result.append(section)
        if doc.simple_types:
            section = self._section("Simple types", "simple-types")
            section += self._simple_table(doc.simple_types)
            result.append(section)
        return as_written(result)

    # -- registration ----------------------------------------------------------

    def _register(self, doc: SchemaDoc) -> None:
        ns = doc.target_namespace
        show = self.universe.show
        for element in doc.elements:
            self.domain.note_object(
                "element",
                clark(ns, element.name),
                _anchor(self.prefix, "element", element.name),
                show((ns, element.name)),
            )
        typedefs: tuple[ComplexTypeDef | SimpleTypeDef, ...] = (
            *doc.complex_types,
            *doc.simple_types,
        )
        for typedef in typedefs:
            assert typedef.name is not None
            self.domain.note_object(
                "type",
                clark(ns, typedef.name),
                _anchor(self.prefix, "type", typedef.name),
                show((ns, typedef.name)),
            )
        for group in doc.groups:
            self.domain.note_object(
                "group",
                clark(ns, group.name),
                _anchor(self.prefix, "group", group.name),
                show((ns, group.name)),
            )

    # -- pieces ----------------------------------------------------------------

    def _summary(self, doc: SchemaDoc, source: SchemaSource) -> nodes.Node:
        imports = [
            para(
                optional_xref("schema", ns, literal(ns)) if ns else literal("(no namespace)"),
                f" from {loc}" if loc else "",
            )
            for ns, loc in doc.imports
        ]
        imports_node: nodes.Node | None = None
        if imports:
            imports_node = nodes.container("", *imports)
        parts: list[nodes.Node] = []
        if doc.documentation:
            parts.append(para(doc.documentation))
        parts.append(
            field_list(
                [
                    ("Namespace", para(literal(doc.target_namespace or "(none)"))),
                    ("Prefix", para(literal(self.prefix))),
                    ("File", para(literal(source.path.name))),
                    ("Version", doc.version or None),
                    ("Imports", imports_node),
                ]
            )
        )
        ident = nodes.make_id(f"{self.prefix}-schema")
        if doc.target_namespace:
            self.domain.note_object("schema", doc.target_namespace, ident, self.prefix)
        return nodes.container("", *parts, classes=["lgs-schema-summary"], ids=[ident])

    def _section(self, title: str, key: str) -> nodes.section:
        ident = nodes.make_id(f"{self.prefix}-{key}")
        section = nodes.section(ids=[ident])
        section += nodes.title(title, title)
        return section

    def _subsection(self, title: str, ident: str, documentation: str) -> nodes.section:
        section = nodes.section(ids=[ident])
        section += nodes.title(title, "", _breakable(title))
        if documentation:
            section += para(documentation)
        return section

    def type_ref(self, name: QName | None) -> nodes.Node:
        """Return the (optional) link to a type, or plain code for built-ins."""
        if name is None:
            return text("")
        shown = self.universe.show(name)
        if name[0] == XS:
            return name_code(shown)
        return optional_xref("type", clark(*name), name_code(shown))

    def _element(self, element: ElementDef) -> nodes.section:
        ns = self.universe.own.target_namespace
        section = self._subsection(
            element.name, _anchor(self.prefix, "element", element.name), element.documentation
        )
        facts: list[tuple[str, nodes.Node | str | None]] = [
            ("Element", para(name_code(self.universe.show((ns, element.name))))),
            ("Type", para(self.type_ref(element.type_name)) if element.type_name else None),
            (
                "Substitutes for",
                para(self.type_ref(element.substitution_group))
                if element.substitution_group
                else None,
            ),
            ("Abstract", "yes" if element.abstract else None),
        ]
        section += field_list(facts)
        if isinstance(element.inline, ComplexTypeDef):
            section += self._complex_body(element.inline, element.name)
        elif isinstance(element.inline, SimpleTypeDef):
            section += self._simple_facts(element.inline)
        if "no-examples" not in self.options:
            section += self._example_block((ns, element.name), element.type_name, element.inline, 3)
        return section

    def _complex(self, ctype: ComplexTypeDef) -> nodes.section:
        assert ctype.name is not None
        section = self._subsection(
            ctype.name, _anchor(self.prefix, "type", ctype.name), ctype.documentation
        )
        section += self._complex_body(ctype, ctype.name)
        return section

    def _complex_body(self, ctype: ComplexTypeDef, owner: str) -> list[nodes.Node]:
        out: list[nodes.Node] = []
        facts: list[tuple[str, nodes.Node | str | None]] = []
        if ctype.base is not None:
            facts.append(
                (
                    "Derived",
                    para(f"by {ctype.derivation} of ", self.type_ref(ctype.base)),
                )
            )
        facts.append(("Content", ctype.content))
        if ctype.abstract:
            facts.append(("Abstract", "yes"))
        out.append(field_list(facts))
        if ctype.particles:
            out.append(self._particles_table(ctype.particles, owner))
        if ctype.attributes:
            out.append(self._attributes_table(ctype.attributes))
        for particle in ctype.particles:
            if isinstance(particle.inline, ComplexTypeDef):
                title = f"{owner}/{particle.name}"
                holder = nodes.container(classes=["lgs-anonymous-type"])
                holder += nodes.rubric(title, "", _breakable(title))
                if particle.inline.documentation:
                    holder += para(particle.inline.documentation)
                holder += self._complex_body(particle.inline, title)
                out.append(holder)
        return out

    def _particles_table(self, particles: tuple[Particle, ...], owner: str | None) -> nodes.Node:
        rows: list[list[nodes.Node | str]] = []
        for p in particles:
            if p.is_group:
                name_cell: nodes.Node = para(
                    "group ",
                    optional_xref("group", clark(*p.type_name), name_code(p.name))
                    if p.type_name
                    else name_code(p.name),
                )
            elif p.is_ref and p.type_name is not None:
                name_cell = para(
                    optional_xref(
                        "element", clark(*p.type_name), name_code(self.universe.show(p.type_name))
                    )
                )
            else:
                name_cell = para(name_code(p.name))
            if isinstance(p.inline, ComplexTypeDef):
                type_cell: nodes.Node = para(f"anonymous (see {owner}/{p.name})")
            elif isinstance(p.inline, SimpleTypeDef):
                type_cell = self._simple_inline(p.inline)
            elif p.is_ref or p.is_group:
                type_cell = para("")
            else:
                type_cell = para(self.type_ref(p.type_name))
            cardinality = p.cardinality
            if p.compositor != "sequence":
                cardinality += f" ({p.compositor})"
            rows.append([name_cell, type_cell, cardinality, p.documentation])
        return table(
            ["Element", "Type", "Occurs", "Documentation"],
            rows,
            widths=[22, 25, 10, 43],
            classes=["lgs-elements"],
        )

    def _attributes_table(self, attributes: tuple[AttributeDef, ...]) -> nodes.Node:
        rows: list[list[nodes.Node | str]] = []
        for a in attributes:
            use = a.use
            if a.default is not None:
                use += f", default {a.default}"
            if a.fixed is not None:
                use += f", fixed {a.fixed}"
            type_cell = (
                self._simple_inline(a.inline) if a.inline else para(self.type_ref(a.type_name))
            )
            rows.append([para(name_code(f"@{a.name}")), type_cell, use, a.documentation])
        return table(
            ["Attribute", "Type", "Use", "Documentation"],
            rows,
            widths=[22, 25, 10, 43],
            classes=["lgs-attributes"],
        )

    def _simple_inline(self, simple: SimpleTypeDef) -> nodes.Node:
        node = para(self.type_ref(simple.base) if simple.base else text(simple.variety))
        for name, value in simple.facets:
            node += text(f"; {name} ")
            node += literal(value)
        if simple.enumerations:
            node += text("; one of ")
            for index, allowed in enumerate(simple.enumerations):
                if index:
                    node += text(", ")
                node += literal(allowed.value)
        return node

    def _simple_facts(self, simple: SimpleTypeDef) -> nodes.Node:
        return field_list([("Restricts", self._simple_inline(simple))])

    def _facets_cell(self, simple: SimpleTypeDef) -> nodes.Node:
        holder = nodes.container()
        if simple.variety == "union":
            holder += para("union of ", *self._joined_types(simple.members))
        elif simple.variety == "list":
            holder += para("list of ", self.type_ref(simple.base))
        for name, value in simple.facets:
            holder += para(f"{name}: ", literal(value))
        if simple.enumerations:
            items = nodes.bullet_list()
            for allowed in simple.enumerations:
                item = para(literal(allowed.value))
                if allowed.documentation:
                    item += text(f": {allowed.documentation}")
                items += nodes.list_item("", item)
            holder += items
        return holder

    def _joined_types(self, names: tuple[QName, ...]) -> Iterator[nodes.Node]:
        for index, name in enumerate(names):
            if index:
                yield text(", ")
            yield self.type_ref(name)

    def _simple_table(self, simples: tuple[SimpleTypeDef, ...]) -> nodes.Node:
        rows: list[list[nodes.Node | str]] = []
        for s in simples:
            assert s.name is not None
            name_cell = para(name_code(s.name), ids=[_anchor(self.prefix, "type", s.name)])
            base = para(self.type_ref(s.base)) if s.variety == "restriction" and s.base else ""
            rows.append([name_cell, base, self._facets_cell(s), s.documentation])
        return table(
            ["Type", "Base", "Facets and values", "Documentation"],
            rows,
            widths=[20, 18, 27, 35],
            classes=["lgs-simple-types"],
        )

    # -- examples --------------------------------------------------------------

    def _example_block(
        self,
        name: QName,
        type_name: QName | None,
        inline: ComplexTypeDef | SimpleTypeDef | None,
        depth: int,
    ) -> list[nodes.Node]:
        self._used = set()
        lines = list(self._example_lines(name, type_name, inline, depth, 0, set()))
        if not lines:
            return []
        if len(lines) > EXAMPLE_LINES:
            lines = [*lines[:EXAMPLE_LINES], "  <!-- ... -->"]
        namespaces = sorted(
            {ns for ns in self._used if ns and ns != XS},
            key=lambda ns: self.universe.show((ns, "")),
        )
        declarations = "".join(
            f' xmlns:{self.universe.prefixes.get(ns, "ns")}="{ns}"' for ns in namespaces
        )
        first = lines[0]
        cut = first.index(">") if first.endswith(">") else len(first)
        closing = "/>" if first.endswith("/>") else ">"
        if closing == "/>":
            cut -= 1
        lines[0] = first[:cut] + declarations + first[cut:]
        code = "\n".join(lines)
        block = nodes.literal_block(code, code, language="xml")
        caption = "Example skeleton (generated from the schema; values are placeholders)"
        return [nodes.rubric(caption, caption, classes=["lgs-example-caption"]), block]

    _used: set[str]

    def _tag(self, name: QName) -> str:
        self._used.add(name[0])
        return self.universe.show(name)

    def _example_lines(
        self,
        name: QName,
        type_name: QName | None,
        inline: ComplexTypeDef | SimpleTypeDef | None,
        depth: int,
        level: int,
        seen: set[QName],
        note: str = "",
    ) -> Iterator[str]:
        indent = "  " * level
        tag = self._tag(name)
        typedef = inline or self.universe.type_def(type_name)
        comment = f"  <!-- {note} -->" if note else ""
        if isinstance(typedef, ComplexTypeDef):
            attrs = "".join(
                f' {a.name}="{self._attribute_sample(a)}"'
                for a in self._all_attributes(typedef)
                if a.use == "required"
            )
            own_ns = type_name[0] if type_name is not None and not inline else name[0]
            particles = self._all_particles(typedef, own_ns)
            if typedef.content == "simple":
                sample = self._sample(None, typedef.base)
                yield f"{indent}<{tag}{attrs}>{sample}</{tag}>{comment}"
                return
            if not particles:
                yield f"{indent}<{tag}{attrs}/>{comment}"
                return
            yield f"{indent}<{tag}{attrs}>{comment}"
            if level >= depth or (type_name is not None and type_name in seen):
                yield f"{indent}  <!-- ... -->"
            else:
                inner = seen | ({type_name} if type_name else set())
                chosen: dict[str, str] = {}  # choice -> the alternative shown
                for child_ns, p in particles:
                    if p.is_group or p.name == "any":
                        continue
                    child_note = "" if p.cardinality == "1" else f"occurs {p.cardinality}"
                    if p.compositor.startswith("choice"):
                        choice_id, _, option = p.compositor.partition(",")
                        if choice_id in chosen:
                            if not option or chosen[choice_id] != p.compositor:
                                continue
                        else:
                            chosen[choice_id] = p.compositor
                            note = "one of " + _alternatives(particles, choice_id)
                            child_note = f"{child_note}; {note}" if child_note else note
                    child_type, child_inline = p.type_name, p.inline
                    if p.is_ref and p.type_name is not None:
                        child_ns = p.type_name[0]
                        target = self.universe.element_def(p.type_name)
                        child_type = target.type_name if target else None
                        child_inline = target.inline if target else None
                    yield from self._example_lines(
                        (child_ns, p.name),
                        child_type,
                        child_inline,
                        depth,
                        level + 1,
                        inner,
                        child_note,
                    )
            yield f"{indent}</{tag}>"
            return
        simple = typedef if isinstance(typedef, SimpleTypeDef) else None
        yield f"{indent}<{tag}>{self._sample(simple, type_name)}</{tag}>{comment}"

    def _all_particles(
        self, ctype: ComplexTypeDef, namespace: str, hops: int = 0
    ) -> list[tuple[str, Particle]]:
        """Return ``(namespace, particle)`` pairs, inherited ones first (by extension)."""
        base = self.universe.type_def(ctype.base)
        inherited: list[tuple[str, Particle]] = []
        if (
            ctype.derivation == "extension"
            and ctype.base is not None
            and isinstance(base, ComplexTypeDef)
            and hops < 10
        ):
            inherited = self._all_particles(base, ctype.base[0], hops + 1)
        return [*inherited, *((namespace, p) for p in ctype.particles)]

    def _all_attributes(self, ctype: ComplexTypeDef, hops: int = 0) -> list[AttributeDef]:
        base = self.universe.type_def(ctype.base)
        inherited: list[AttributeDef] = []
        if ctype.derivation == "extension" and isinstance(base, ComplexTypeDef) and hops < 10:
            inherited = self._all_attributes(base, hops + 1)
        return [*inherited, *ctype.attributes]

    def _attribute_sample(self, attribute: AttributeDef) -> str:
        if attribute.fixed is not None:
            return attribute.fixed
        if attribute.name == "SchemaVersion" and self.universe.own.version:
            return self.universe.own.version
        return self._sample(attribute.inline, attribute.type_name)

    def _sample(self, simple: SimpleTypeDef | None, name: QName | None) -> str:
        """Return a placeholder value: the first allowed value, or one for the built-in."""
        current = simple if simple is not None else self.universe.type_def(name)
        patterned = False
        hops = 0
        while isinstance(current, SimpleTypeDef) and hops < 20:
            hops += 1
            if current.enumerations:
                return current.enumerations[0].value
            patterned = patterned or any(f == "pattern" for f, _ in current.facets)
            if current.base is None:
                break
            nxt = self.universe.type_def(current.base)
            if nxt is None:
                break
            current = nxt
        builtin = self.universe.builtin(simple, name) or ""
        if patterned and builtin in {"string", "normalizedString", "token", ""}:
            return "..."
        return SAMPLES.get(builtin, "...")


def _alternatives(particles: list[tuple[str, Particle]], choice_id: str) -> str:
    """Describe the alternatives of a choice: ``A, B`` or ``A+B, C`` for sequences."""
    options: dict[str, list[str]] = {}
    for _, p in particles:
        if p.compositor.partition(",")[0] == choice_id:
            options.setdefault(p.compositor, []).append(p.name)
    if len(options) == 1:
        return ", ".join(next(iter(options.values())))
    return ", ".join("+".join(names) for names in options.values())


def schema_element_names(path: os.PathLike[str] | str) -> tuple[str, ...]:
    """Return every element name the schema at ``path`` declares (for tests and checks)."""
    return read_schema(Path(path)).all_element_names()


__all__ = [
    "EXAMPLE_LINES",
    "SAMPLES",
    "SchemaDirective",
    "SchemaSource",
    "catalogue_prefixes",
    "load_schema",
    "resolve_source",
    "schema_element_names",
]
