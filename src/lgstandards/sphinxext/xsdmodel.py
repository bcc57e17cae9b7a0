"""Read an XML Schema (XSD 1.0) into plain records for documentation.

This is a reader for people, not a validator: it keeps what a reference page shows
(each global element, complex type, simple type and group, with the local elements
and attributes of each, cardinality, facets and ``xs:documentation``) and never
fails on constructs it does not know; they are skipped. Names of types are kept as
``(namespace, local name)`` pairs so that links can cross schema files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

XS = "http://www.w3.org/2001/XMLSchema"
_SPACE = re.compile(r"\s+")

#: A qualified name as ``(namespace or "", local name)``.
QName = tuple[str, str]

#: The facets of ``xs:restriction`` a page shows (``enumeration`` is listed separately).
FACETS = (
    "length",
    "minLength",
    "maxLength",
    "pattern",
    "minInclusive",
    "maxInclusive",
    "minExclusive",
    "maxExclusive",
    "totalDigits",
    "fractionDigits",
    "whiteSpace",
)


@dataclass(frozen=True, slots=True)
class Enumeration:
    """One allowed value of a simple type, with its documentation."""

    value: str
    documentation: str = ""


@dataclass(frozen=True, slots=True)
class SimpleTypeDef:
    """A simple type: its base, facets and allowed values (named or anonymous)."""

    name: str | None
    documentation: str = ""
    base: QName | None = None
    variety: str = "restriction"
    facets: tuple[tuple[str, str], ...] = ()
    enumerations: tuple[Enumeration, ...] = ()
    members: tuple[QName, ...] = ()


@dataclass(frozen=True, slots=True)
class AttributeDef:
    """An attribute of a complex type."""

    name: str
    type_name: QName | None = None
    use: str = "optional"
    default: str | None = None
    fixed: str | None = None
    documentation: str = ""
    inline: SimpleTypeDef | None = None


@dataclass(frozen=True, slots=True)
class Particle:
    """A local element (or element reference, or group reference) in a content model.

    ``compositor`` says where it sits: ``sequence``, ``all`` or ``choice N`` (numbered
    per schema), with ``, option a`` ... when an alternative of the choice is a
    sequence of several elements.
    """

    name: str
    type_name: QName | None = None
    min_occurs: int = 1
    max_occurs: int | None = 1
    documentation: str = ""
    compositor: str = "sequence"
    is_ref: bool = False
    is_group: bool = False
    inline: ComplexTypeDef | SimpleTypeDef | None = None

    @property
    def cardinality(self) -> str:
        """The occurrences as ``1``, ``0..1``, ``1..*``, ``0..5`` ..."""
        upper = "*" if self.max_occurs is None else str(self.max_occurs)
        if str(self.min_occurs) == upper:
            return upper
        return f"{self.min_occurs}..{upper}"


@dataclass(frozen=True, slots=True)
class ComplexTypeDef:
    """A complex type: its derivation, its local elements in order, and its attributes."""

    name: str | None
    documentation: str = ""
    base: QName | None = None
    derivation: str | None = None
    content: str = "element-only"
    particles: tuple[Particle, ...] = ()
    attributes: tuple[AttributeDef, ...] = ()
    abstract: bool = False


@dataclass(frozen=True, slots=True)
class ElementDef:
    """A global element declaration."""

    name: str
    type_name: QName | None = None
    documentation: str = ""
    inline: ComplexTypeDef | SimpleTypeDef | None = None
    substitution_group: QName | None = None
    abstract: bool = False


@dataclass(frozen=True, slots=True)
class GroupDef:
    """A named model group (``xs:group``) or attribute group."""

    name: str
    documentation: str = ""
    particles: tuple[Particle, ...] = ()
    attributes: tuple[AttributeDef, ...] = ()


@dataclass(frozen=True, slots=True)
class SchemaDoc:
    """Everything a reference page shows about one schema file."""

    path: Path
    target_namespace: str
    version: str = ""
    documentation: str = ""
    prefixes: tuple[tuple[str, str], ...] = ()
    imports: tuple[tuple[str, str], ...] = ()
    elements: tuple[ElementDef, ...] = ()
    complex_types: tuple[ComplexTypeDef, ...] = ()
    simple_types: tuple[SimpleTypeDef, ...] = ()
    groups: tuple[GroupDef, ...] = ()
    attribute_groups: tuple[GroupDef, ...] = ()
    _types: dict[QName, ComplexTypeDef | SimpleTypeDef] = field(
        default_factory=dict, repr=False, compare=False
    )

    def prefix_for(self, namespace: str) -> str | None:
        """Return the prefix this schema binds to ``namespace``, if any."""
        for prefix, uri in self.prefixes:
            if uri == namespace and prefix:
                return prefix
        return None

    def type_named(self, name: QName) -> ComplexTypeDef | SimpleTypeDef | None:
        """Return the type this schema defines under ``name``, or None."""
        return self._types.get(name)

    def all_element_names(self) -> tuple[str, ...]:
        """Return the name of every element declared (global and local), sorted, unique."""
        found: set[str] = set()

        def walk(particles: tuple[Particle, ...]) -> None:
            for p in particles:
                if not p.is_ref and not p.is_group:
                    found.add(p.name)
                if isinstance(p.inline, ComplexTypeDef):
                    walk(p.inline.particles)

        for element in self.elements:
            found.add(element.name)
            if isinstance(element.inline, ComplexTypeDef):
                walk(element.inline.particles)
        for ctype in self.complex_types:
            walk(ctype.particles)
        for group in self.groups:
            walk(group.particles)
        return tuple(sorted(found))


def _tag(element: Any, local: str) -> bool:
    return bool(element.tag == f"{{{XS}}}{local}")


def documentation(element: Any) -> str:
    """Return the text of an element's ``xs:annotation/xs:documentation``, spaces collapsed."""
    parts: list[str] = []
    for annotation in element.iterchildren(f"{{{XS}}}annotation"):
        for doc in annotation.iterchildren(f"{{{XS}}}documentation"):
            text = "".join(doc.itertext())
            if text.strip():
                parts.append(_SPACE.sub(" ", text).strip())
    return " ".join(parts)


def _qname(element: Any, value: str | None, default_ns: str = "") -> QName | None:
    """Resolve a QName attribute value against the element's in-scope namespaces."""
    if not value:
        return None
    value = value.strip()
    prefix, sep, local = value.rpartition(":")
    if not sep:
        return (element.nsmap.get(None, default_ns) or "", value)
    return (element.nsmap.get(prefix, prefix) or "", local)


def _occurs(value: str | None, default: int = 1) -> int | None:
    if value is None:
        return default
    if value == "unbounded":
        return None
    try:
        return int(value)
    except ValueError:
        return default


class _Reader:
    def __init__(self, root: Any, path: Path) -> None:
        self.root = root
        self.path = path
        self.tns: str = root.get("targetNamespace") or ""
        self.qualified = root.get("elementFormDefault") == "qualified"
        self.choices = 0

    # -- simple types ----------------------------------------------------------

    def simple_type(self, node: Any) -> SimpleTypeDef:
        name = node.get("name")
        doc = documentation(node)
        for child in node:
            if _tag(child, "restriction"):
                facets: list[tuple[str, str]] = []
                values: list[Enumeration] = []
                for facet in child:
                    if not isinstance(facet.tag, str) or not facet.tag.startswith(f"{{{XS}}}"):
                        continue
                    local = facet.tag.split("}", 1)[1]
                    if local == "enumeration":
                        values.append(Enumeration(facet.get("value", ""), documentation(facet)))
                    elif local in FACETS:
                        facets.append((local, facet.get("value", "")))
                base = _qname(child, child.get("base"))
                if base is None:
                    for inner in child.iterchildren(f"{{{XS}}}simpleType"):
                        base = self.simple_type(inner).base
                return SimpleTypeDef(name, doc, base, "restriction", tuple(facets), tuple(values))
            if _tag(child, "list"):
                item = _qname(child, child.get("itemType"))
                return SimpleTypeDef(name, doc, item, "list")
            if _tag(child, "union"):
                members = tuple(
                    q
                    for q in (_qname(child, m) for m in (child.get("memberTypes") or "").split())
                    if q is not None
                )
                return SimpleTypeDef(name, doc, None, "union", members=members)
        return SimpleTypeDef(name, doc)

    # -- attributes ------------------------------------------------------------

    def attribute(self, node: Any) -> AttributeDef | None:
        ref = node.get("ref")
        name = node.get("name") or (ref.rpartition(":")[2] if ref else None)
        if not name:
            return None
        inline = None
        for child in node.iterchildren(f"{{{XS}}}simpleType"):
            inline = self.simple_type(child)
        return AttributeDef(
            name=name,
            type_name=_qname(node, node.get("type")) or (_qname(node, ref) if ref else None),
            use=node.get("use", "optional"),
            default=node.get("default"),
            fixed=node.get("fixed"),
            documentation=documentation(node),
            inline=inline,
        )

    def attributes(self, node: Any) -> list[AttributeDef]:
        found: list[AttributeDef] = []
        for child in node:
            if _tag(child, "attribute"):
                attribute = self.attribute(child)
                if attribute is not None:
                    found.append(attribute)
            elif _tag(child, "attributeGroup") and child.get("ref"):
                ref = child.get("ref")
                found.append(
                    AttributeDef(
                        name=ref.rpartition(":")[2],
                        type_name=_qname(child, ref),
                        use="group",
                        documentation=documentation(child),
                    )
                )
        return found

    # -- content models --------------------------------------------------------

    def particles(self, node: Any, compositor: str = "sequence") -> list[Particle]:
        found: list[Particle] = []
        for child in node:
            if _tag(child, "element"):
                found.append(self.local_element(child, compositor))
            elif _tag(child, "sequence"):
                found.extend(self.particles(child, compositor))
            elif _tag(child, "all"):
                found.extend(self.particles(child, "all"))
            elif _tag(child, "choice"):
                self.choices += 1
                number = self.choices
                options = [c for c in child if isinstance(c.tag, str) and not _tag(c, "annotation")]
                lettered = any(_tag(c, "sequence") for c in options)
                for index, option in enumerate(options):
                    label = f"choice {number}"
                    if lettered:
                        label += f", option {chr(ord('a') + index % 26)}"
                    found.extend(self.particles([option], label))
            elif _tag(child, "group") and child.get("ref"):
                ref = child.get("ref")
                found.append(
                    Particle(
                        name=ref.rpartition(":")[2],
                        type_name=_qname(child, ref),
                        min_occurs=_occurs(child.get("minOccurs")) or 0,
                        max_occurs=_occurs(child.get("maxOccurs")),
                        documentation=documentation(child),
                        compositor=compositor,
                        is_group=True,
                    )
                )
            elif _tag(child, "any"):
                found.append(
                    Particle(
                        name="any",
                        min_occurs=_occurs(child.get("minOccurs")) or 0,
                        max_occurs=_occurs(child.get("maxOccurs")),
                        documentation=documentation(child)
                        or f"Any element ({child.get('namespace', '##any')}).",
                        compositor=compositor,
                        is_ref=True,
                    )
                )
        return found

    def local_element(self, node: Any, compositor: str) -> Particle:
        ref = node.get("ref")
        inline: ComplexTypeDef | SimpleTypeDef | None = None
        for child in node:
            if _tag(child, "complexType"):
                inline = self.complex_type(child)
            elif _tag(child, "simpleType"):
                inline = self.simple_type(child)
        min_occurs = _occurs(node.get("minOccurs"))
        return Particle(
            name=node.get("name") or (ref.rpartition(":")[2] if ref else "?"),
            type_name=_qname(node, node.get("type")) or (_qname(node, ref) if ref else None),
            min_occurs=1 if min_occurs is None else min_occurs,
            max_occurs=_occurs(node.get("maxOccurs")),
            documentation=documentation(node),
            compositor=compositor,
            is_ref=ref is not None,
            inline=inline,
        )

    def complex_type(self, node: Any) -> ComplexTypeDef:
        name = node.get("name")
        doc = documentation(node)
        abstract = node.get("abstract") == "true"
        content = "mixed" if node.get("mixed") == "true" else "element-only"
        for child in node:
            if _tag(child, "simpleContent") or _tag(child, "complexContent"):
                simple = _tag(child, "simpleContent")
                for derivation in child:
                    if _tag(derivation, "extension") or _tag(derivation, "restriction"):
                        return ComplexTypeDef(
                            name=name,
                            documentation=doc,
                            base=_qname(derivation, derivation.get("base")),
                            derivation=derivation.tag.split("}", 1)[1],
                            content="simple" if simple else content,
                            particles=tuple(self.particles(derivation)),
                            attributes=tuple(self.attributes(derivation)),
                            abstract=abstract,
                        )
        particles = tuple(self.particles(node))
        if not particles and content != "mixed":
            content = "empty"
        return ComplexTypeDef(
            name=name,
            documentation=doc,
            content=content,
            particles=particles,
            attributes=tuple(self.attributes(node)),
            abstract=abstract,
        )

    def global_element(self, node: Any) -> ElementDef:
        inline: ComplexTypeDef | SimpleTypeDef | None = None
        for child in node:
            if _tag(child, "complexType"):
                inline = self.complex_type(child)
            elif _tag(child, "simpleType"):
                inline = self.simple_type(child)
        return ElementDef(
            name=node.get("name", "?"),
            type_name=_qname(node, node.get("type")),
            documentation=documentation(node),
            inline=inline,
            substitution_group=_qname(node, node.get("substitutionGroup")),
            abstract=node.get("abstract") == "true",
        )

    def read(self) -> SchemaDoc:
        root = self.root
        elements: list[ElementDef] = []
        ctypes: list[ComplexTypeDef] = []
        stypes: list[SimpleTypeDef] = []
        groups: list[GroupDef] = []
        agroups: list[GroupDef] = []
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if _tag(child, "element") and child.get("name"):
                elements.append(self.global_element(child))
            elif _tag(child, "complexType") and child.get("name"):
                ctypes.append(self.complex_type(child))
            elif _tag(child, "simpleType") and child.get("name"):
                stypes.append(self.simple_type(child))
            elif _tag(child, "group") and child.get("name"):
                groups.append(
                    GroupDef(child.get("name"), documentation(child), tuple(self.particles(child)))
                )
            elif _tag(child, "attributeGroup") and child.get("name"):
                agroups.append(
                    GroupDef(
                        child.get("name"),
                        documentation(child),
                        attributes=tuple(self.attributes(child)),
                    )
                )
        imports = tuple(
            (i.get("namespace", ""), i.get("schemaLocation", ""))
            for i in root
            if isinstance(i.tag, str) and (_tag(i, "import") or _tag(i, "include"))
        )
        types: dict[QName, ComplexTypeDef | SimpleTypeDef] = {}
        typedefs: list[ComplexTypeDef | SimpleTypeDef] = [*ctypes, *stypes]
        for t in typedefs:
            if t.name:
                types[(self.tns, t.name)] = t
        return SchemaDoc(
            path=self.path,
            target_namespace=self.tns,
            version=root.get("version", ""),
            documentation=documentation(root),
            prefixes=tuple(sorted((p or "", u) for p, u in root.nsmap.items())),
            imports=imports,
            elements=tuple(elements),
            complex_types=tuple(ctypes),
            simple_types=tuple(stypes),
            groups=tuple(groups),
            attribute_groups=tuple(agroups),
            _types=types,
        )


def read_schema(path: Path) -> SchemaDoc:
    """Read the XSD file at ``path``; raises ``OSError`` or ``lxml.etree.XMLSyntaxError``.

    The file is parsed with no DTD, entities or network access.
    """
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    root = etree.parse(str(path), parser).getroot()
    if root.tag != f"{{{XS}}}schema":
        raise ValueError(f"{path}: not an XML Schema (root element {root.tag!r})")
    return _Reader(root, path).read()


__all__ = [
    "FACETS",
    "XS",
    "AttributeDef",
    "ComplexTypeDef",
    "ElementDef",
    "Enumeration",
    "GroupDef",
    "Particle",
    "QName",
    "SchemaDoc",
    "SimpleTypeDef",
    "documentation",
    "read_schema",
]
