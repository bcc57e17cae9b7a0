"""A small, fast, generic XML binding for pydantic models.

Models subclass :class:`XmlModel`. Each field is a child element named by its alias
(UpperCamelCase, as in the schema), in the namespace of the model class that
declares it, in declaration order; ``Annotated[..., Xml(attr=True)]`` makes it an
attribute, ``Xml(text=True)`` the element's text, ``Xml(ns=...)`` puts the element in
another namespace and ``Xml(any=True)`` holds any registered message (a GovTalk
``Body``). A field typed as another :class:`XmlModel` (or a list of them) is a
nested element.

Reading walks the lxml tree once into plain dicts keyed by alias, checking element
names, order and repetition against a plan computed once per class, then makes a
single ``model_validate`` call (validation context ``{"xml": True}``, in which the
domain types take the XML lexical forms strictly instead of normalising).
Writing builds the tree with ``lxml.etree.SubElement`` in the same precomputed
order. Content errors raise :class:`pydantic.ValidationError`; unsafe or
malformed XML raises :class:`lgstandards.safexml.XMLInputError`.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Self

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    WithJsonSchema,
)
from pydantic.alias_generators import to_pascal
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError, PydanticUndefined

from lgstandards._xmlvalues import XML_SPACE, string_value
from lgstandards.models._native import Shape
from lgstandards.models._native import read as _native_read
from lgstandards.safexml import (
    is_xml_text,
    parse_root,
    parse_xml,
    xml_text_source,
)

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.safexml import Source

XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
_XSI_PREFIX = f"{{{XSI_NS}}}"

#: Validation context used when loading XML: domain types check lexical forms strictly.
XML_CONTEXT: Mapping[str, object] = types.MappingProxyType({"xml": True})


@dataclass(frozen=True, slots=True)
class Xml:
    """Field metadata for the XML binding (use inside ``Annotated``).

    ``required=True`` makes an attribute or element required when reading XML even
    though the field has a default for Python callers (``SchemaVersion``, ``Currency``).
    """

    attr: bool = False
    text: bool = False
    ns: str | None = None
    any: bool = False
    name: str | None = None
    required: bool = False


_SCALAR, _MODEL, _ANY, _RAW = 0, 1, 2, 3


@dataclass(slots=True)
class _FieldPlan:
    name: str
    key: str
    tag: str
    kind: int
    repeated: bool
    index: int
    strip: bool
    fmt: Callable[[Any], str]
    model: type[XmlModel] | None = None
    plan: _ClassPlan | None = None


#: A class's straight-line reader: the dict ``_read`` gives for an element and its
#: location, or None where the element is anything but plain (``_read`` then reads it).
_FastReader = Callable[[Any, tuple[str | int, ...]], "dict[str, Any] | None"]

#: What the reader needs of one child element, unpacked in one step: (alias, index,
#: kind, repeated, strip, the child's plan for a nested model, the field's plan).
_Entry = tuple[str, int, int, bool, bool, "_ClassPlan | None", _FieldPlan]


@dataclass(slots=True)
class _ClassPlan:
    cls: type[XmlModel]
    elements: dict[str, _FieldPlan] = field(default_factory=dict)
    ordered: list[_FieldPlan] = field(default_factory=list)
    attrs: dict[str, _FieldPlan] = field(default_factory=dict)
    text: _FieldPlan | None = None
    any: _FieldPlan | None = None
    required_attrs: tuple[str, ...] = ()
    required_elements: tuple[_FieldPlan, ...] = ()
    #: ``elements`` as the reader takes them (see :data:`_Entry`), by expanded name.
    entries: dict[str, _Entry] = field(default_factory=dict)
    #: The expanded name of a message root element (None for a structure).
    root_tag: str | None = None
    #: ``cls.default_nsmap()``, once a document was read (see ``XmlModel.from_element``).
    nsmap: dict[str | None, str] | None = None
    #: The class's straight-line reader (see :func:`_fast_source`), made on first use.
    fast: _FastReader = field(init=False)
    #: The same for an element none of whose descendants has attributes (``bare``).
    bare: _FastReader = field(init=False)
    #: Whether white space between elements means nothing to this class's reading and
    #: its nested models' (see :func:`_element_content`); None until first asked.
    element_content: bool | None = None
    #: What ``to_xml`` writes of a message up to its root's last namespace declaration
    #: (b"" for a structure); None until first asked (see :func:`_written_start`).
    written_start: bytes | None = None
    #: The address of the native reader's table for this class (see ``_native``), 0 if
    #: the class is not read there; None until first asked.
    native: int | None = None

    def __post_init__(self) -> None:
        self.fast = self._first_fast
        self.bare = self._first_bare

    def _first_fast(self, element: Any, loc: tuple[str | int, ...]) -> dict[str, Any] | None:
        self.fast = _fast_reader(self)
        return self.fast(element, loc)

    def _first_bare(self, element: Any, loc: tuple[str | int, ...]) -> dict[str, Any] | None:
        self.bare = _fast_reader(self, bare=True)
        return self.bare(element, loc)


#: The most children ``_read`` takes as one list (cheaper for a small element); a larger
#: one (a batch's records) is iterated, so that its children's proxies do not all live
#: at once (holding thousands sets off garbage collections that find nothing).
_AS_LIST = 64

_PLANS: dict[type, _ClassPlan] = {}
_ROOTS: dict[str, type[XmlModel]] = {}


def _format_datetime(value: dt.datetime) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _format_money(value: Decimal) -> str:
    return format(value, ".2f")


def _format_any(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        return _format_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _unwrap(annotation: Any) -> tuple[Any, bool, list[Any]]:
    """Return (inner type, repeated, metadata) with Optional, Annotated and list removed."""
    metadata: list[Any] = []
    repeated = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            args = typing.get_args(annotation)
            annotation = args[0]
            metadata.extend(args[1:])
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
            else:
                return annotation, repeated, metadata
        elif origin in (list, tuple):
            repeated = True
            annotation = typing.get_args(annotation)[0]
        else:
            return annotation, repeated, metadata


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, XmlModel)


def _strip_and_format(tp: Any) -> tuple[bool, Callable[[Any], str]]:
    """Whitespace-collapsing XSD types (numbers, dates) are stripped; strings are kept."""
    if typing.get_origin(tp) is typing.Literal:
        return False, _format_any
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return False, _format_any
        if issubclass(tp, str):
            return False, str
        if issubclass(tp, bool):
            return True, _format_any
        if issubclass(tp, Decimal):
            places = getattr(tp, "xml_decimal_places", None)
            return True, _format_money if places == 2 else _format_any
        if issubclass(tp, int):
            return True, str
        if issubclass(tp, dt.datetime):
            return True, _format_datetime
        if issubclass(tp, dt.date):
            return True, _format_any
    return False, _format_any


def plan_for(cls: type[XmlModel]) -> _ClassPlan:
    """Return (computing once) the binding plan of a model class."""
    plan = _PLANS.get(cls)
    if plan is not None:
        return plan
    plan = _ClassPlan(cls)
    _PLANS[cls] = plan
    hints = typing.get_type_hints(cls, include_extras=True)
    index = 0
    for name, info in cls.model_fields.items():
        inner, repeated, metadata = _unwrap(hints[name])
        metadata.extend(info.metadata)
        marker = next((m for m in metadata if isinstance(m, Xml)), Xml())
        key = info.alias or name
        local = marker.name or key
        strip, fmt = _strip_and_format(inner)
        if marker.attr:
            plan.attrs[local] = _FieldPlan(name, key, local, _SCALAR, False, -1, strip, fmt)
            if marker.required:
                plan.required_attrs = (*plan.required_attrs, local)
            continue
        if marker.text:
            plan.text = _FieldPlan(name, key, "", _SCALAR, False, -1, strip, fmt)
            continue
        if marker.any:
            plan.any = _FieldPlan(name, key, "", _ANY, True, index, False, fmt)
            plan.ordered.append(plan.any)
            index += 1
            continue
        ns = marker.ns if marker.ns is not None else cls.xml_namespace
        tag = f"{{{ns}}}{local}" if ns else local
        kind = _MODEL if _is_model(inner) else _SCALAR
        if inner is RawXml:
            kind = _RAW
        fp = _FieldPlan(
            name, key, tag, kind, repeated, index, strip, fmt, inner if kind == _MODEL else None
        )
        plan.elements[tag] = fp
        plan.ordered.append(fp)
        if marker.required:
            plan.required_elements = (*plan.required_elements, fp)
        index += 1
    if cls.xml_root is not None:
        plan.root_tag = f"{{{cls.xml_namespace}}}{cls.xml_root}"
    for tag, fp in plan.elements.items():  # after registering: a model may nest itself
        child = plan_for(fp.model) if fp.model is not None else None
        fp.plan = child
        plan.entries[tag] = (fp.key, fp.index, fp.kind, fp.repeated, fp.strip, child, fp)
    return plan


def _error(kind: str, message: str, loc: tuple[str | int, ...], value: object) -> ValidationError:
    detail: InitErrorDetails = {
        "type": PydanticCustomError(kind, message),
        "loc": loc,
        "input": value,
    }
    return ValidationError.from_exception_data("XML binding", [detail])


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read(element: Any, plan: _ClassPlan, loc: tuple[str | int, ...]) -> dict[str, Any]:
    """Walk one element into a dict keyed by alias, checking names, order and repeats.

    The loop body runs once per element of every document read, so the common case (a
    known element of simple content, no attributes) takes the fewest steps: one lookup
    and one unpacking of its entry, then the order, tail, children and attribute checks.
    The children are taken as one list (``element[:]``: comments and processing
    instructions too, as iterating gives them), which costs less than the iterator.
    """
    out: dict[str, Any] = {}
    names = element.keys()  # a list: cheaper than the attrib proxy
    if names:
        for name, attr_value in element.items():
            afp = plan.attrs.get(name)
            if afp is None:
                if name.startswith(_XSI_PREFIX):
                    continue
                raise _error("xml.unexpected-attribute", f"unexpected attribute {name}", loc, name)
            out[afp.key] = attr_value.strip(XML_SPACE) if afp.strip else attr_value
    if plan.required_attrs:
        for name in plan.required_attrs:
            if name not in names:
                raise _error("xml.missing-attribute", f"missing attribute {name}", loc, None)
    own_text = plan.text
    mixed_ok = own_text is not None
    if own_text is not None:
        own = string_value(element)  # simple content: element children are refused below
        out[own_text.key] = own.strip(XML_SPACE) if own_text.strip else own
    else:
        text = element.text
        if text is not None and not text.isspace():
            raise _error("xml.unexpected-text", "unexpected text", loc, text)
    last = -1
    entries = plan.entries
    space = XML_SPACE
    for child in element[:] if len(element) <= _AS_LIST else element:
        entry = entries.get(child.tag)  # a comment's or PI's tag is a function: not found
        tail = child.tail
        if tail is not None and not mixed_ok and not tail.isspace():
            raise _error("xml.unexpected-text", "unexpected text", loc, tail)
        if entry is None:
            tag = child.tag
            if tag.__class__ is not str:
                continue  # comments and processing instructions
            anyp = plan.any
            if anyp is not None and anyp.index >= last:
                out.setdefault(anyp.key, []).append(_read_any(child, (*loc, anyp.key)))
                last = anyp.index
                continue
            raise _error("xml.unexpected-element", f"unexpected element {_local(tag)}", loc, tag)
        key, index, kind, repeated, strip, child_plan, fp = entry
        if index <= last and (index < last or not repeated):
            raise _error(
                "xml.element-order",
                f"element {_local(fp.tag)} is out of order or repeated",
                loc,
                fp.tag,
            )
        if not kind:  # _SCALAR (0)
            if len(child):  # comments and processing instructions only; their text is not
                if any(grandchild.tag.__class__ is str for grandchild in child):
                    raise _error(
                        "xml.unexpected-element",
                        f"element {_local(fp.tag)} has children",
                        loc,
                        fp.tag,
                    )
                value: Any = string_value(child)
            else:
                value = child.text
                if value is None:
                    value = ""
            names = child.keys()  # a list: cheaper than the attrib proxy
            if names and any(not a.startswith(_XSI_PREFIX) for a in names):
                raise _error("xml.unexpected-attribute", "unexpected attribute", loc, fp.tag)
            if strip:
                value = value.strip(space)
        elif child_plan is not None:
            child_loc = (*loc, key)
            value = child_plan.fast(child, child_loc)
            if value is None:
                value = _read(child, child_plan, child_loc)
        else:
            from lxml import etree

            value = RawXml(etree.tostring(child, with_tail=False))
        if not repeated:
            out[key] = value
        elif index == last:
            out[key].append(value)
        else:
            out[key] = [value]
        last = index
    for required in plan.required_elements:
        if required.key not in out:
            raise _error(
                "xml.missing-element", f"missing element {_local(required.tag)}", loc, None
            )
    return out


def _element_content(plan: _ClassPlan) -> bool:
    """Tell whether ``plan``'s model and every model nested in it read element content only.

    No wildcard, raw or mixed content (text beside child elements): white space
    between their elements is then never part of a value. Known once per class.
    """
    known = plan.element_content
    if known is not None:
        return known
    plan.element_content = False  # meanwhile: a model nested in itself is taken as mixed
    plain = not (plan.any is not None or (plan.text is not None and plan.ordered))
    for fp in plan.ordered:
        if not plain:
            break
        if fp.kind == _RAW or fp.kind == _ANY:
            plain = False
        elif fp.model is not None:
            plain = _element_content(plan_for(fp.model))
    plan.element_content = plain
    return plain


def _written_start(plan: _ClassPlan) -> bytes:
    """Find ``plan.written_start`` (and ``plan.element_content``) once per class.

    A document that starts so, with no other ``xmlns`` after, has the root element and
    namespace declarations ``XmlModel.from_element`` checks for and keeps: this name
    in this namespace (the prefix is declared in the same tag, once, or the document
    is not well-formed), and no other prefixes (declarations are attributes, whose
    names no reference can spell). Empty where the start tag's name is not closed by
    a declaration, so that a longer name could follow.
    """
    from lxml import etree

    _element_content(plan)
    start = b""
    if plan.root_tag is not None:
        empty = etree.tostring(etree.Element(plan.root_tag, nsmap=plan.cls.default_nsmap()))
        if empty.endswith(b'"/>'):
            start = _DECLARATION + empty[:-2]
    plan.written_start = start
    return start


#: The XML declaration ``to_xml`` writes, with the line feed after it.
_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


class _End:
    """What the straight-line readers take for the child after the last: no tag."""

    __slots__ = ()
    tag = None


def _fast_reader(plan: _ClassPlan, *, bare: bool = False) -> _FastReader:
    """Make ``plan``'s straight-line reader (see :func:`_fast_source`)."""
    mixed = plan.text is not None and plan.ordered
    if plan.any is not None or mixed or any(fp.kind == _RAW for fp in plan.ordered):
        # Wildcards, mixed plans and raw content: the general reader, which gives the
        # same or raises.
        return lambda element, loc: _read(element, plan, loc)
    children = {f"P{fp.index}": fp.plan for fp in plan.ordered if fp.plan is not None}
    namespace: dict[str, Any] = {"_read": _read, "END": _End(), "S": XML_SPACE, **children}
    name = f"<lgstandards reader of {plan.cls.__module__}.{plan.cls.__qualname__}>"
    exec(compile(_fast_source(plan, bare=bare), name, "exec"), namespace)  # ours, from the plan
    made: _FastReader = namespace["fast"]
    return made


def _fast_source(plan: _ClassPlan, *, bare: bool = False) -> str:
    """Write the source of ``plan``'s straight-line reader, ``fast(E, loc)``.

    ``bare``: the reader of an element none of whose descendants has attributes (see
    ``XmlModel.from_xml``), which does not look for theirs; its nested models are read
    by their own bare readers. The element's own attributes are checked as usual.

    It reads an element as :func:`_read` does, in one pass over its children with one
    comparison of each child's tag to the name of each field in turn, and gives the
    same dict for a plain element: the expected attributes only, white space only
    between children, the children in order, each of simple content without comments,
    processing instructions or attributes, or a nested model (which its own reader
    reads, or ``_read`` where that gives None). For anything else it gives None, and
    the caller reads the element with ``_read``, which gives its value or its error. A
    nested model's element is read only after every check ``_read`` makes before it
    passed, so an error ``_read`` raises there is the one it raises for the whole.
    """
    lines = ["def fast(E, loc, len=len):", "    out = {}"]
    reader = "bare" if bare else "fast"
    add = lines.append

    def strip(value: str, on: bool) -> str:
        return f"{value}.strip(S)" if on else value

    if plan.attrs:
        add("    for name, value in E.items():")
        word = "if"
        for local, afp in plan.attrs.items():
            add(f"        {word} name == {local!r}:")
            add(f"            out[{afp.key!r}] = {strip('value', afp.strip)}")
            word = "elif"
        add("        else:")
        add("            return None")
    else:
        add("    if E.keys():")
        add("        return None")
    for local in plan.required_attrs:
        add(f"    if {plan.attrs[local].key!r} not in out:")
        add("        return None")
    if plan.text is not None:  # simple content (no element fields: see _fast_reader)
        add("    if len(E):")
        add("        return None")
        add("    v = E.text")
        add(f"    out[{plan.text.key!r}] = '' if v is None else {strip('v', plan.text.strip)}")
        add("    return out")
        return "\n".join(lines) + "\n"
    add("    text = E.text")
    add("    if text is not None and not text.isspace():")
    add("        return None")
    if not plan.ordered:
        add("    if len(E):")
        add("        return None")
        add("    return out")
        return "\n".join(lines) + "\n"
    # More children than fields (when no field repeats) is not plain; a longer list is
    # not taken at once (see _AS_LIST).
    most = _AS_LIST if any(fp.repeated for fp in plan.ordered) else len(plan.ordered)
    add(f"    if len(E) > {most}:")
    add("        return None")
    add("    children = E[:]")
    add("    children.append(END)")
    add("    following = children.__iter__().__next__")
    add("    c = following()")
    add("    tag = c.tag")
    for fp in plan.ordered:
        key = repr(fp.key)
        add(f"    if tag == {fp.tag!r}:")
        indent = "        "
        if fp.repeated:
            add(f"        items = out[{key}] = []")
            add(f"        while tag == {fp.tag!r}:")
            indent = "            "
        add(f"{indent}if (tail := c.tail) is not None and not tail.isspace():")
        add(f"{indent}    return None")
        if fp.kind == _MODEL:
            add(f"{indent}v = P{fp.index}.{reader}(c, loc + ({key},))")
            add(f"{indent}if v is None:")
            add(f"{indent}    v = _read(c, P{fp.index}, loc + ({key},))")
            value = "v"
        else:
            add(f"{indent}if {'len(c)' if bare else 'len(c) or c.keys()'}:")
            add(f"{indent}    return None")
            value = strip("(c.text or '')", fp.strip)
        add(f"{indent}{f'items.append({value})' if fp.repeated else f'out[{key}] = {value}'}")
        add(f"{indent}c = following()")
        add(f"{indent}tag = c.tag")
    add("    if tag is not None:")
    add("        return None")
    for required in plan.required_elements:
        add(f"    if {required.key!r} not in out:")
        add("        return None")
    add("    return out")
    return "\n".join(lines) + "\n"


def _read_any(element: Any, loc: tuple[str | int, ...]) -> Any:
    """Bind a wildcard child: a registered message model, or the raw element as bytes."""
    from lxml import etree

    cls = _ROOTS.get(element.tag)
    if cls is None:
        return RawXml(etree.tostring(element, with_tail=False))
    return cls.from_element(element, keep_prefixes=False)


def _parse_element(value: Any, code: str) -> tuple[bytes, etree._Element]:
    """Parse XML text or bytes given for wildcard or raw content safely: (bytes, root).

    Anything else, text that is not XML and XML the safe parser refuses are a
    ``PydanticCustomError`` with ``code``, never content that ``to_xml`` cannot write.
    """
    from lgstandards.safexml import XMLInputError, parse_xml

    if isinstance(value, str) and is_xml_text(value):
        try:
            data = xml_text_source(value)
        except XMLInputError as exc:
            raise PydanticCustomError(
                code, "the XML element cannot be read: {reason}", {"reason": str(exc)}
            ) from None
    elif isinstance(value, bytes):
        data = bytes(value)
    else:
        raise PydanticCustomError(code, "expected an XML element as text")
    assert isinstance(data, bytes)
    try:
        return data, parse_xml(data).getroot()
    except XMLInputError as exc:
        raise PydanticCustomError(
            code, "the XML element cannot be read: {reason}", {"reason": str(exc)}
        ) from None


def _any_from_text(value: Any) -> Any:
    """Bind XML text given for wildcard content (JSON gives it so) as the XML reader does.

    A bound message or a raw element is taken as it is; any other value is an error.
    """
    if isinstance(value, XmlModel | RawXml):
        return value
    return _read_any(_parse_element(value, "xml.any-content")[1], ())


def _any_to_text(value: Any) -> Any:
    """Write wildcard content as XML text: a bound message or a raw element."""
    if isinstance(value, XmlModel):
        return value.to_xml(declaration=False).decode()
    if isinstance(value, bytes):
        return bytes(value).decode()
    return value


#: Content of an ``Xml(any=True)`` field: bound messages and raw elements; dumps (JSON
#: and Python) write each as its XML text, and validation reads that back.
AnyXml = Annotated[
    Any,
    BeforeValidator(_any_from_text),
    PlainSerializer(_any_to_text),
    WithJsonSchema({"type": "string", "contentMediaType": "application/xml"}),
]


class RawXml(bytes):
    """An element the binding does not model, kept as serialised XML bytes."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """Accept bytes (or XML text) holding one XML element the safe parser reads."""
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            lambda v: (
                v if isinstance(v, RawXml) else RawXml(_parse_element(v, "xml.raw-content")[0])
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda v: bytes(v).decode(), when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, str]:
        """Describe the element as a string of XML."""
        return {"type": "string", "contentMediaType": "application/xml"}


class XmlModel(BaseModel):
    """Base of every lgstandards message and structure model.

    Subclasses set ``xml_namespace`` and ``xml_prefix`` (the namespace their own
    elements are in) and, for message roots, ``xml_root`` (the root element name).
    """

    model_config = ConfigDict(
        extra="forbid",
        # One naming convention for JSON: the XML names (the aliases) are what
        # model_json_schema() describes, what model_dump()/model_dump_json() write and
        # what model_validate()/model_validate_json() read; Python code may also pass
        # the field names (PaymentRequest(request_id=...)).
        serialize_by_alias=True,
        validate_by_alias=True,
        validate_by_name=True,
        alias_generator=to_pascal,
        arbitrary_types_allowed=False,
        use_enum_values=False,
    )

    xml_namespace: ClassVar[str] = ""
    xml_prefix: ClassVar[str] = ""
    xml_root: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Describe the fields with the schema's documentation, before pydantic reads them."""
        _describe_fields(cls)
        super().__init_subclass__(**kwargs)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Register message roots so wildcards (GovTalk Body) can bind them."""
        super().__pydantic_init_subclass__(**kwargs)
        if cls.__dict__.get("xml_root"):
            _ROOTS[f"{{{cls.xml_namespace}}}{cls.xml_root}"] = cls

    # ------------------------------------------------------------------ reading
    @classmethod
    def from_element(cls, element: etree._Element, *, keep_prefixes: bool = True) -> Self:
        """Bind a parsed element (the message root, or a record in a batch).

        With ``keep_prefixes`` the element's namespace prefixes are kept for ``to_xml``.
        """
        plan = _PLANS.get(cls) or plan_for(cls)
        if plan.root_tag is not None and element.tag != plan.root_tag:
            raise _error(
                "xml.wrong-root", f"expected {cls.xml_root} in {cls.xml_namespace}", (), element.tag
            )
        model: Self = _bind(cls, plan, element)
        if not keep_prefixes:
            return model
        nsmap = element.nsmap
        expected = plan.nsmap
        if expected is None:
            expected = plan.nsmap = cls.default_nsmap()
        if nsmap != expected:
            # Kept outside the fields (no PrivateAttr, which would cost every nested
            # model an extra initialisation step); compared by ``==`` like private data.
            object.__setattr__(model, "__pydantic_private__", {"_nsmap": nsmap})
        return model

    @classmethod
    def from_xml(cls, source: Source) -> Self:
        """Load a message from XML text or bytes, a binary file object or a path (parsed safely).

        A ``str`` is XML text when it starts with ``<`` (after an optional byte-order
        mark and whitespace), and a path otherwise; bytes are always XML. Unsafe or
        malformed XML raises :class:`~lgstandards.safexml.XMLInputError` naming the
        file (a path or a named file object), never the document's text.
        """
        if source.__class__ is bytes:  # the common case, in fewest steps
            plan = _PLANS.get(cls) or plan_for(cls)
            start = plan.written_start
            if start is None:
                start = _written_start(plan)
            # White space between tags left out of the tree where that changes nothing
            # read (a smaller tree, built and walked faster): same model, same errors.
            root = parse_root(source, keep_blanks=None if plan.element_content else True)
            if start and source.startswith(start):
                # The root's name and prefixes as to_xml writes them (see _written_start):
                # what from_element checks and keeps, known from the bytes, if no other
                # namespace is declared after them. With no "=" after the first ">"
                # after them, no element below the root has an attribute (whatever that
                # ">" closes, each such start tag comes after it), and so no declaration
                # either: one is looked for before that ">" only.
                after = len(start)
                close = source.find(b">", after)
                if source.find(b"=", close) < 0:
                    if source.find(b"xmlns", after, close) < 0:
                        return _bind(cls, plan, root, bare=True)
                elif (x := source.find(b"x", after)) < 0 or source.find(b"xmlns", x) < 0:
                    # (An "x" first: one memchr, and most messages have none after.)
                    return _bind(cls, plan, root)
            return cls.from_element(root)
        return cls.from_element(parse_xml(xml_text_source(source)).getroot())

    def kept_prefixes(self) -> dict[str | None, str] | None:
        """Return the namespace prefixes read from the document, if they differ from ours."""
        private = self.__pydantic_private__
        return private.get("_nsmap") if private else None

    # ------------------------------------------------------------------ writing
    @classmethod
    def default_nsmap(cls) -> dict[str | None, str]:
        """Return the prefixes written on the root: every namespace the model can use."""
        cached: dict[str | None, str] | None = cls.__dict__.get("_default_nsmap_cache")
        if cached is not None:
            return cached
        found: dict[str | None, str] = {}
        seen: set[type] = set()
        stack: list[type[XmlModel]] = [cls]
        while stack:
            model = stack.pop()
            if model in seen:
                continue
            seen.add(model)
            if model.xml_namespace and model.xml_prefix:
                found.setdefault(model.xml_prefix, model.xml_namespace)
            plan = plan_for(model)
            stack.extend(fp.model for fp in plan.ordered if fp.model is not None)
        type.__setattr__(cls, "_default_nsmap_cache", found)
        return found

    def to_element(self, parent: etree._Element | None = None) -> etree._Element:
        """Build this model as an lxml element (a root, or a child of ``parent``)."""
        from lxml import etree

        cls = type(self)
        local = cls.xml_root or cls.__name__
        tag = f"{{{cls.xml_namespace}}}{local}" if cls.xml_namespace else local
        if parent is None:
            element = etree.Element(tag, nsmap=self.kept_prefixes() or cls.default_nsmap())
        else:
            nsmap = {p: u for p, u in cls.default_nsmap().items() if parent.nsmap.get(p) != u}
            element = etree.SubElement(parent, tag, nsmap=nsmap or None)
        _write(element, self, plan_for(cls))
        return element

    def to_xml(self, *, pretty: bool = False, declaration: bool = True) -> bytes:
        """Serialise the message as UTF-8 XML bytes."""
        from lxml import etree

        data: bytes = etree.tostring(self.to_element(), encoding="UTF-8", pretty_print=pretty)
        if declaration:
            return b'<?xml version="1.0" encoding="UTF-8"?>\n' + data
        return data


_M = typing.TypeVar("_M", bound="XmlModel")


def _native_shape(plan: _ClassPlan) -> Shape | None:
    """Describe ``plan`` for the native reader; None where it reads it not (as ``_fast_reader``).

    Wildcards, mixed plans, raw content and namespaced attributes are read in Python.
    """
    if plan.any is not None or (plan.text is not None and plan.ordered):
        return None
    if any(name.startswith("{") for name in plan.attrs):
        return None
    if any(fp.kind not in (_SCALAR, _MODEL) for fp in plan.ordered):
        return None
    required = {id(fp) for fp in plan.required_elements}
    return Shape(
        attrs=[
            (name, afp.key, afp.strip, name in plan.required_attrs)
            for name, afp in plan.attrs.items()
        ],
        elements=[
            (
                fp.tag,
                fp.key,
                fp.strip,
                id(fp) in required,
                fp.repeated,
                plan_for(fp.model) if fp.model is not None else None,
            )
            for fp in plan.ordered
        ],
        text=(plan.text.key, plan.text.strip) if plan.text is not None else None,
    )


def _bind(cls: type[_M], plan: _ClassPlan, element: Any, *, bare: bool = False) -> _M:
    """Read ``element`` with ``plan`` and validate what it gives as a ``cls``.

    ``bare``: none of the element's descendants has attributes (its bare reader).
    """
    data = _native_read(plan, element, _native_shape)
    if data is None:
        data = plan.bare(element, ()) if bare else plan.fast(element, ())
        if data is None:
            data = _read(element, plan, ())
    # The validator itself: model_validate adds a Python frame and argument checks.
    # The reader's keys are the aliases, so names are not looked up too.
    model: _M = cls.__pydantic_validator__.validate_python(data, context=XML_CONTEXT, by_name=False)
    return model


def _describe_fields(cls: type) -> None:
    """Give the fields ``cls`` declares their descriptions from the generated table.

    Runs as the class is made, before pydantic collects its fields: each described
    field's default becomes ``Field(default, description=...)`` (a required field gets
    ``Field(description=...)``), so ``model_json_schema()`` and ``model_fields`` show the
    schema's ``xs:documentation`` (see :mod:`lgstandards.models._describe`).
    """
    from lgstandards.models._descriptions import DESCRIPTIONS

    found = DESCRIPTIONS.get(f"{cls.__module__}.{cls.__qualname__}")
    if not found:
        return
    own = inspect.get_annotations(cls)
    for name, text in found.items():
        if name not in own:
            continue  # a stale table; the tests say to rebuild it
        value = cls.__dict__.get(name, PydanticUndefined)
        if isinstance(value, FieldInfo):
            factory = value.default_factory
            if factory is None or repr(value) != repr(Field(default_factory=factory)):
                raise TypeError(
                    f"{cls.__qualname__}.{name}: only Field(default_factory=...) can take a "
                    "description from the schema"
                )
            setattr(cls, name, Field(default_factory=factory, description=text))
        else:
            setattr(cls, name, Field(value, description=text))


def _write(element: Any, model: XmlModel, plan: _ClassPlan) -> None:
    from lxml import etree

    values = model.__dict__
    sub = etree.SubElement
    for name, fp in plan.attrs.items():
        value = values[fp.name]
        if value is not None:
            element.set(name, fp.fmt(value))
    if plan.text is not None:
        value = values[plan.text.name]
        element.text = plan.text.fmt(value) if value is not None else None
    for fp in plan.ordered:
        value = values[fp.name]
        if value is None:
            continue
        items = value if fp.repeated else (value,)
        if fp.kind == _SCALAR:
            fmt = fp.fmt
            for item in items:
                sub(element, fp.tag).text = fmt(item)
        elif fp.kind == _RAW:
            for item in items:
                element.append(etree.fromstring(bytes(item)))
        elif fp.kind == _MODEL:
            assert fp.model is not None
            child_plan = plan_for(fp.model)
            for item in items:
                item_plan = child_plan if type(item) is fp.model else plan_for(type(item))
                _write(sub(element, fp.tag), item, item_plan)
        else:
            for item in items:
                if isinstance(item, XmlModel):
                    item.to_element(element)
                else:
                    element.append(etree.fromstring(bytes(item)))


def root_model(namespace: str, local_name: str) -> type[XmlModel]:
    """Return the registered model of a message root element; raises ``KeyError``."""
    return _ROOTS[f"{{{namespace}}}{local_name}"]


__all__ = [
    "XML_CONTEXT",
    "AnyXml",
    "RawXml",
    "Xml",
    "XmlModel",
    "is_xml_text",
    "plan_for",
    "root_model",
    "xml_text_source",
]
