"""``Model.from_xml`` on its fast paths gives what the general path gives, on any input.

The fast paths: the safe parser's plain-prolog shortcut for bytes (``safexml.parse_root``:
no full prolog scan, no DTD look-up, a one-byte search before the XInclude search), its
tree without white space between tags where that changes no value (``keep_blanks``), and
the binding's reader (``models._xml._read``: children taken as one list, attributes as a
list of names, validation by alias only). The general path here is the one they replace:
the full prolog scan, ``parse_checked`` (every tree check), and a copy of the reader as
it was (:func:`reference_read`), validating with the model's own options.

Each example message of every bound family is mutated at random, in the ways a reader
must notice or ignore (comments, processing instructions and CDATA in values, with
white space beside them that is part of the value, character references, white space
and text where none belongs, attributes, children in simple content, missing,
repeated, moved and unknown elements, other prefixes and namespaces, declarations and
byte-order marks), and both paths must give the same model (and the same kept
prefixes) or the same error: the ``XMLInputError`` code, or the pydantic error types,
locations and messages.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pydantic import ValidationError

from lgstandards._xmlvalues import XML_SPACE, string_value
from lgstandards.models import MODULES, _native
from lgstandards.models._xml import (
    _ANY,
    _MODEL,
    _ROOTS,
    _SCALAR,
    _XSI_PREFIX,
    XML_CONTEXT,
    RawXml,
    XmlModel,
    _ClassPlan,
    _error,
    _local,
    _native_shape,
    _read,
    plan_for,
)
from lgstandards.safexml import XMLInputError, parse_checked, parse_root, scan_prolog
from lgstandards.testing.strategies import MESSAGE_STRATEGIES

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _examples() -> list[tuple[type[XmlModel], bytes]]:
    import importlib

    for module in MODULES:
        importlib.import_module(f"lgstandards.models.{module}")
    found = []
    for family in ("epay", "ebenefits", "govtalk", "transactions", "valuebill"):
        for path in sorted((EXAMPLES / family / "valid").glob("*.xml")):
            data = path.read_bytes()
            model = _ROOTS.get(etree.fromstring(data).tag)
            if model is not None and len(data) < 20_000:
                found.append((model, data))
    return found


EXAMPLE_MESSAGES = _examples()


# ---------------------------------------------------------------- the general path
def reference_read(element: Any, plan: _ClassPlan, loc: tuple[str | int, ...]) -> dict[str, Any]:
    """The reader as it was before its fast path (iterating, the attrib proxy)."""
    out: dict[str, Any] = {}
    if element.attrib:
        for name, attr_value in element.attrib.items():
            afp = plan.attrs.get(name)
            if afp is None:
                if name.startswith(_XSI_PREFIX):
                    continue
                raise _error("xml.unexpected-attribute", f"unexpected attribute {name}", loc, name)
            out[afp.key] = attr_value.strip(XML_SPACE) if afp.strip else attr_value
    for name in plan.required_attrs:
        if name not in element.attrib:
            raise _error("xml.missing-attribute", f"missing attribute {name}", loc, None)
    own_text = plan.text
    mixed_ok = own_text is not None
    if own_text is not None:
        own = string_value(element)
        out[own_text.key] = own.strip(XML_SPACE) if own_text.strip else own
    else:
        text = element.text
        if text is not None and not text.isspace():
            raise _error("xml.unexpected-text", "unexpected text", loc, text)
    last = -1
    for child in element:
        fp = plan.elements.get(child.tag) if child.tag.__class__ is str else None
        tail = child.tail
        if tail is not None and not mixed_ok and not tail.isspace():
            raise _error("xml.unexpected-text", "unexpected text", loc, tail)
        if fp is None:
            tag = child.tag
            if tag.__class__ is not str:
                continue
            anyp = plan.any
            if anyp is not None and anyp.index >= last:
                out.setdefault(anyp.key, []).append(reference_any(child))
                last = anyp.index
                continue
            raise _error("xml.unexpected-element", f"unexpected element {_local(tag)}", loc, tag)
        if fp.index <= last and (fp.index < last or not fp.repeated):
            raise _error(
                "xml.element-order",
                f"element {_local(fp.tag)} is out of order or repeated",
                loc,
                fp.tag,
            )
        value: Any
        if fp.kind == _SCALAR:
            if len(child):
                if any(grandchild.tag.__class__ is str for grandchild in child):
                    raise _error(
                        "xml.unexpected-element",
                        f"element {_local(fp.tag)} has children",
                        loc,
                        fp.tag,
                    )
                raw = string_value(child)
            else:
                raw = child.text
            names = child.keys()
            if names and any(not a.startswith(_XSI_PREFIX) for a in names):
                raise _error("xml.unexpected-attribute", "unexpected attribute", loc, fp.tag)
            value = "" if raw is None else (raw.strip(XML_SPACE) if fp.strip else raw)
        elif fp.kind == _MODEL:
            assert fp.plan is not None
            value = reference_read(child, fp.plan, (*loc, fp.key))
        else:
            assert fp.kind != _ANY
            value = RawXml(etree.tostring(child, with_tail=False))
        if fp.repeated:
            if fp.index == last:
                out[fp.key].append(value)
            else:
                out[fp.key] = [value]
        else:
            out[fp.key] = value
        last = fp.index
    for required in plan.required_elements:
        if required.key not in out:
            raise _error(
                "xml.missing-element", f"missing element {_local(required.tag)}", loc, None
            )
    return out


def reference_any(element: Any) -> Any:
    cls = _ROOTS.get(element.tag)
    if cls is None:
        return RawXml(etree.tostring(element, with_tail=False))
    return reference_element(cls, element, keep_prefixes=False)


def reference_element(cls: type[XmlModel], element: Any, *, keep_prefixes: bool = True) -> Any:
    plan = plan_for(cls)
    if plan.root_tag is not None and element.tag != plan.root_tag:
        raise _error(
            "xml.wrong-root", f"expected {cls.xml_root} in {cls.xml_namespace}", (), element.tag
        )
    model = cls.model_validate(reference_read(element, plan, ()), context=XML_CONTEXT)
    if keep_prefixes and element.nsmap != cls.default_nsmap():
        object.__setattr__(model, "__pydantic_private__", {"_nsmap": element.nsmap})
    return model


def reference_from_xml(cls: type[XmlModel], data: bytes) -> Any:
    scan_prolog(data)
    return reference_element(cls, parse_checked(data).getroot())


def outcome(read: Any, cls: type[XmlModel], data: bytes) -> Any:
    """What reading gives: the model and its kept prefixes, or the error's identity."""
    try:
        model = read(cls, data)
    except XMLInputError as exc:
        return ("XMLInputError", exc.code, exc.line)
    except ValidationError as exc:
        return ("ValidationError", [(e["type"], e["loc"], e["msg"]) for e in exc.errors()])
    return (model, model.kept_prefixes())


# ---------------------------------------------------------------- mutations
def _elements(root: Any) -> list[Any]:
    return [e for e in root.iter() if isinstance(e.tag, str)]


def _leaves(root: Any) -> list[Any]:
    return [e for e in _elements(root) if not len(e)]


TEXTS = st.sampled_from(["", " ", "\n  ", "\t", "x", " 12.5 ", "\xa0", "2026-04-01", "a b", "€"])
ATTRIBUTES = st.sampled_from(
    [
        "Extra",
        f"{{{XSI}}}type",
        f"{{{XSI}}}nil",
        "{urn:other}a",
        "SchemaVersion",
        "currency",
        "Type",
    ]
)
NAMESPACES = st.sampled_from(
    [
        "urn:lgstandards:epay:1",
        "urn:lgstandards:common:1",
        "urn:other",
        "",
        "http://www.w3.org/2001/XInclude",
    ]
)


@st.composite
def tree_mutation(draw: st.DrawFn, root: Any) -> None:
    """Change one thing in the tree ``root`` (in place)."""
    elements = _elements(root)
    target = draw(st.sampled_from(elements))
    kind = draw(st.integers(0, 13))
    if kind == 0:  # a comment or PI inside an element, perhaps splitting its text
        node = (
            etree.Comment(" c ") if draw(st.booleans()) else etree.ProcessingInstruction("pi", "x")
        )
        text = target.text or ""
        cut = draw(st.integers(0, len(text)))
        target.text = text[:cut]
        node.tail = text[cut:] or None
        target.insert(0, node)
    elif kind == 1:
        target.tail = draw(TEXTS)
    elif kind == 2:
        target.text = draw(TEXTS) if len(target) else (target.text or "") + draw(TEXTS)
    elif kind == 3:
        target.set(draw(ATTRIBUTES), draw(TEXTS))
    elif kind == 4 and target.getparent() is not None:
        target.addnext(copy.deepcopy(target))
    elif kind == 5 and target.getparent() is not None:
        target.getparent().remove(target)
    elif kind == 6 and target.getparent() is not None and target.getnext() is not None:
        following = target.getnext()
        target.addprevious(following)
    elif kind == 7:  # an unknown element, or a known name in another namespace
        name = draw(
            st.sampled_from(["Unknown", etree.QName(target).localname, "Amount", "include"])
        )
        target.insert(
            draw(st.integers(0, len(target))), etree.Element(f"{{{draw(NAMESPACES)}}}{name}")
        )
    elif kind == 8:  # a child in simple content
        leaves = _leaves(root)
        leaf = draw(st.sampled_from(leaves))
        etree.SubElement(leaf, leaf.tag).text = "1"
    elif kind == 9 and target.text and not len(target):
        target.text = etree.CDATA(target.text)
    elif kind == 10 and not len(target):
        target.text = (
            draw(st.sampled_from(["", " ", "\n"]))
            + (target.text or "")
            + draw(st.sampled_from(["", " ", "\t\r\n"]))
        )
    elif kind == 11:  # the element in another namespace
        target.tag = f"{{{draw(NAMESPACES)}}}{etree.QName(target).localname}"
    elif kind == 12 and not len(target) and target.text:
        target.text = target.text.upper() if draw(st.booleans()) else target.text[:-1]
    elif kind == 13 and not len(target):
        target.text = None


#: The declaration ``to_xml`` writes: with the root's start tag as it writes it, the
#: reader takes the root's name and prefixes as known from the bytes.
WRITTEN = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def _serialised(root: Any, draw: st.DrawFn) -> bytes:
    style = draw(st.integers(0, 5))
    if style == 4:  # as to_xml writes it, the root's start tag as the tree has it
        return WRITTEN + etree.tostring(root)
    if style == 5:  # as to_xml writes it, with another declaration on the root or below
        target = draw(st.sampled_from(_elements(root)[:2]))
        prefix, uri = draw(
            st.sampled_from(
                [("x", "urn:other"), ("lgc", "urn:lgstandards:common:1"), ("z", "urn:z")]
            )
        )
        text = etree.tostring(root)
        name = etree.tostring(target).split(b">")[0].split(b" ")[0]
        end = text.index(b">", text.index(name))  # the end of its start tag
        end -= text[end - 1 : end] == b"/"
        declaration = b' xmlns:%s="%s"' % (prefix.encode(), uri.encode())
        return WRITTEN + text[:end] + declaration + text[end:]
    if style == 0:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    if style == 1:
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    if style == 2:  # other prefixes for the same namespaces (default namespace first)
        uris = sorted({ns for e in _elements(root) if (ns := etree.QName(e).namespace)})
        nsmap: dict[str | None, str] = {None: uris[0]} if uris else {}
        nsmap.update({f"n{i}": uri for i, uri in enumerate(uris[1:])})
        other = etree.Element(root.tag, nsmap=nsmap, attrib=dict(root.attrib))
        other.text = root.text
        other.extend(copy.deepcopy(child) for child in root)
        etree.cleanup_namespaces(other)
        return etree.tostring(other)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=False)


PROLOGS = st.sampled_from(
    [
        b"",
        b'<?xml version="1.0" encoding="UTF-8"?>\n',
        b"<?xml version='1.0'?>",
        b"\xef\xbb\xbf",
        b"<!-- c -->\n",
        b"<?pi x?>",
        b"<!DOCTYPE r>",
        b"\n\n",
        b'<?xml version="1.0" encoding="ISO-8859-1"?>',
    ]
)


#: A value (V) with white space beside a comment, CDATA section or instruction: a parser
#: that leaves out ignorable white space must keep this (it is part of the value).
BESIDE_MARKUP = st.sampled_from(
    [
        b" <!-- c -->V",
        b"\n<![CDATA[V]]>",
        b"  <![CDATA[V]]> ",
        b" <?pi x?>V",
        b"V<!-- c --> ",
        b"<!-- c --> V",
    ]
)


@st.composite
def documents(draw: st.DrawFn) -> tuple[type[XmlModel], bytes]:
    """An example message, mutated in the tree, then perhaps in its bytes."""
    model, data = draw(st.sampled_from(EXAMPLE_MESSAGES))
    root = etree.fromstring(data)
    for _ in range(draw(st.integers(0, 3))):
        draw(tree_mutation(root))
    out = _serialised(root, draw)
    if draw(st.booleans()):  # a character reference for a character of a value
        spots = [m.start(1) for m in re.finditer(rb">([A-Za-z0-9])", out)]
        if spots:
            at = draw(st.sampled_from(spots))
            out = out[:at] + b"&#%d;" % out[at] + out[at + 1 :]
    if draw(st.booleans()):  # white space beside markup in a value (which keeps it)
        spots = [m.span(1) for m in re.finditer(rb">([^<>]+)</", out)]
        if spots:
            start, end = draw(st.sampled_from(spots))
            value = out[start:end]
            out = out[:start] + draw(BESIDE_MARKUP).replace(b"V", value) + out[end:]
    if draw(st.booleans()):
        out = draw(PROLOGS) + re.sub(rb"\A<\?xml[^>]*\?>\s*", b"", out)
    return model, out


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_from_xml_gives_what_the_general_path_gives(document: tuple[type[XmlModel], bytes]) -> None:
    model, data = document
    found = outcome(lambda cls, d: cls.from_xml(d), model, data)
    assert found == outcome(reference_from_xml, model, data)
    assert outcome(lambda cls, d: cls.from_element(parse_root(d)), model, data) == found


def _in_start_tag(text: bytes, name: bytes, extra: bytes) -> bytes:
    """``text`` with ``extra`` written at the end of the first start tag named ``name``.

    lxml writes a ">" in an attribute value as a reference, so the tag ends at the
    first ">" after its name.
    """
    end = text.index(b">", text.index(name))
    end -= text[end - 1 : end] == b"/"
    return text[:end] + extra + text[end:]


def _tag_name(element: Any) -> bytes:
    """The name of ``element``'s start tag as lxml writes it (``<prefix:Local``)."""
    return etree.tostring(element).split(b">")[0].split(b" ")[0]


def _gt_in_root_value(text: bytes, how: int) -> bytes:
    """``text`` with a ">" written as such in a value of the root's (``how`` 1 or 2).

    A reader of the bytes must not take that ">" for the end of the root's start tag.
    1: in ``SchemaVersion`` (if the root has it), which is then invalid: an error that
    comes after any the reader finds in the tree. 2: in an ``xsi:type`` that readers
    ignore, with ``xsi`` declared after it, so that the root has more prefixes to keep.
    """
    if how == 1:
        return re.sub(rb'SchemaVersion="([^"]*)"', rb'SchemaVersion="\\1 > x"', text, count=1)
    if how == 2:
        declared = b' xsi:type="a > b" xmlns:xsi="%s"' % XSI.encode()
        return _in_start_tag(text, text.split(b" ")[0], declared)
    return text


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLE_MESSAGES), st.data())
def test_an_attribute_below_the_root_is_seen_in_a_message_as_to_xml_writes_it(
    example: tuple[type[XmlModel], bytes], data: st.DataObject
) -> None:
    """``to_xml``'s bytes with an attribute on one element below the root (perhaps after
    a ">" in a root attribute's value): ``from_xml`` reads it as the general path does.

    Without an "=" after the root's start tag, ``from_xml`` reads with the readers that
    look for no attributes below the root; with one, it must not.
    """
    model, written = example
    root = etree.fromstring(written)
    below = [e for e in _elements(root) if e is not root]
    target = data.draw(st.sampled_from(below))
    target.set(data.draw(ATTRIBUTES), data.draw(TEXTS))
    text = etree.tostring(root)
    text = _gt_in_root_value(text, data.draw(st.integers(0, 2)))
    document = WRITTEN + text
    found = outcome(lambda cls, d: cls.from_xml(d), model, document)
    assert found == outcome(reference_from_xml, model, document)


#: Declarations to add to a start tag: a prefix of the message redeclared (the same or
#: another namespace), an unused prefix, a default namespace.
DECLARATIONS = st.sampled_from(
    [
        b' xmlns:lgc="urn:lgstandards:common:1"',
        b' xmlns:lgc="urn:other"',
        b' xmlns:epay="urn:lgstandards:epay:1"',
        b' xmlns:x="urn:other"',
        b' xmlns="urn:other"',
        b" xmlns:z = 'urn:z'",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(EXAMPLE_MESSAGES), st.data())
def test_a_declaration_anywhere_in_a_message_as_to_xml_writes_it_is_seen(
    example: tuple[type[XmlModel], bytes], data: st.DataObject
) -> None:
    """``to_xml``'s bytes with a namespace declaration on any element, with or without
    attributes below the root, perhaps after a ">" in a root attribute's value:
    ``from_xml`` reads it as the general path does (kept prefixes too).

    ``from_xml`` looks for a declaration after the root's own only up to the first ">"
    when no "=" follows that ">"; everywhere when one does.
    """
    model, written = example
    root = etree.fromstring(written)
    if data.draw(st.booleans()):
        for element in root.iter():
            if element is not root:
                element.attrib.clear()  # no attribute below the root
    target = data.draw(st.sampled_from(_elements(root)))
    text = _in_start_tag(etree.tostring(root), _tag_name(target), data.draw(DECLARATIONS))
    text = _gt_in_root_value(text, data.draw(st.integers(0, 2)))
    document = WRITTEN + text
    found = outcome(lambda cls, d: cls.from_xml(d), model, document)
    assert found == outcome(reference_from_xml, model, document)


def test_the_examples_read_on_both_paths() -> None:
    assert len(EXAMPLE_MESSAGES) >= 20
    for model, data in EXAMPLE_MESSAGES:
        compact = etree.tostring(etree.fromstring(data), xml_declaration=True, encoding="UTF-8")
        for document in (data, compact):
            found = outcome(lambda cls, d: cls.from_xml(d), model, document)
            assert found == outcome(reference_from_xml, model, document)


# ---------------------------------------------------------------- the straight-line readers
def _model_classes() -> list[type[XmlModel]]:
    found: list[type[XmlModel]] = []
    stack = list(XmlModel.__subclasses__())
    while stack:
        cls = stack.pop()
        if cls not in found:
            found.append(cls)
            stack.extend(cls.__subclasses__())
    return found


def _read_outcome(read: Any, element: Any, plan: _ClassPlan) -> Any:
    try:
        return ("dict", read(element, plan, ()))
    except ValidationError as exc:
        return ("ValidationError", [(e["type"], e["loc"], e["msg"]) for e in exc.errors()])


def _check_readers(element: Any, plan: _ClassPlan) -> int:
    """Check ``element``'s plan's straight-line reader and every nested one; count the plain.

    The native reader (``models._native``) gives what the reader as it was gives, or
    None. Where a straight-line reader gives a dict or raises (a nested element that is not
    plain, read by ``_read``), it is what the reader as it was gives; where it gives None
    (the caller then reads the element with ``_read``), nothing is said. ``_read``
    (which takes nested models through their straight-line readers) gives what the
    reader as it was gives, dict or error.
    """
    expected = _read_outcome(reference_read, element, plan)
    assert _read_outcome(_read, element, plan) == expected
    fast = _read_outcome(lambda e, p, loc: p.fast(e, loc), element, plan)
    plain = 0
    if fast != ("dict", None):
        assert fast == expected
        plain = 1 if fast[0] == "dict" else 0
    native = _native.read(plan, element, _native_shape)  # the C reader: the same dict, or None
    if native is not None:
        assert ("dict", native) == expected
    if not any(len(e.attrib) for e in element.iterdescendants()):  # the bare reader's case
        bare = _read_outcome(lambda e, p, loc: p.bare(e, loc), element, plan)
        assert bare in (("dict", None), expected)
        assert bare == fast or fast == ("dict", None)
    for child in element:
        fp = plan.elements.get(child.tag) if isinstance(child.tag, str) else None
        if fp is not None and fp.plan is not None:
            plain += _check_readers(child, fp.plan)
    return plain


#: The XML message kinds that have a model, with their strategies.
MODEL_KINDS = sorted(
    k for k in MESSAGE_STRATEGIES if not k.startswith(("rdf.", "valuebill.", "transactions."))
)


@st.composite
def generated_documents(draw: st.DrawFn) -> tuple[type[XmlModel], bytes]:
    """A generated message of any kind, compact or pretty, then mutated as the examples are."""
    message = draw(MESSAGE_STRATEGIES[draw(st.sampled_from(MODEL_KINDS))])
    root = etree.fromstring(message.to_xml(pretty=draw(st.booleans())))
    for _ in range(draw(st.integers(0, 3))):
        draw(tree_mutation(root))
    out = _serialised(root, draw)
    if draw(st.booleans()):
        spots = [m.start(1) for m in re.finditer(rb">([A-Za-z0-9])", out)]
        if spots:
            at = draw(st.sampled_from(spots))
            out = out[:at] + b"&#%d;" % out[at] + out[at + 1 :]
    return type(message), out


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.one_of(documents(), generated_documents()))
def test_straight_line_readers_give_what_the_general_reader_gives(
    document: tuple[type[XmlModel], bytes],
) -> None:
    model, data = document
    try:
        root = parse_root(data)
    except XMLInputError:
        return
    _check_readers(root, plan_for(model))
    found = outcome(lambda cls, d: cls.from_xml(d), model, data)
    assert found == outcome(reference_from_xml, model, data)


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_straight_line_readers_read_plain_documents(kind: str) -> None:
    """Every element of a generated message, compact or pretty, is read straight."""

    @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
    @given(MESSAGE_STRATEGIES[kind], st.booleans())
    def check(message: XmlModel, pretty: bool) -> None:
        root = parse_root(message.to_xml(pretty=pretty))
        elements = sum(1 for e in root.iter() if _plan_at(root, e) is not None)
        plan = plan_for(type(message))
        assert _check_readers(root, plan) == elements
        if _native.reader() is not None and plan.native:
            assert _native.read(plan, root, _native_shape) is not None  # read in C, whole
        assert type(message).from_element(root) == message

    check()


def _plan_at(root: Any, element: Any) -> _ClassPlan | None:
    """The plan of ``element``'s model, where it is the root or a nested model's element."""
    path = []
    while element is not root:
        path.append(element.tag)
        element = element.getparent()
    plan: _ClassPlan | None = plan_for(_ROOTS[root.tag])
    for tag in reversed(path):
        fp = plan.elements.get(tag) if plan is not None else None
        plan = fp.plan if fp is not None else None
    return plan


def test_every_model_class_has_a_straight_line_reader() -> None:
    """The reader of every model class compiles, and reads an element with nothing in it."""
    classes = _model_classes()
    assert len(classes) > 50
    for cls in classes:
        plan = plan_for(cls)
        element = etree.Element(plan.root_tag or "x")
        fast = _read_outcome(lambda e, p, loc: p.fast(e, loc), element, plan)
        assert fast in (("dict", None), _read_outcome(reference_read, element, plan))
        assert getattr(plan.fast, "__func__", None) is not _ClassPlan._first_fast
        assert _read_outcome(lambda e, p, loc: p.bare(e, loc), element, plan) == fast
        assert getattr(plan.bare, "__func__", None) is not _ClassPlan._first_bare
