"""The GovTalk envelope and its body: each validated as what it is (domain.md 5.1).

The envelope's schema takes any Body (a lax wildcard). The envelope parts get the
envelope's own checks: its XSD (errors inside the body left out), its Schematron
(COM-R001, COM-R002, COM-R006, which look at the body's root element only) and its
Python rules and vocabulary cross-checks, run on the envelope without the body.

The body is then validated on its own, as the document kind its message ``Class``
(catalogue ``body`` -> ``class_prefixes``) and its root element choose: a copy of each
body element is checked exactly as a document of that kind would be, and every
finding is put back in the whole document (its line there, and its path from
``/gt:GovTalkMessage/gt:Body/...``). A body whose root does not match the class gets
COM-R006 (once, from the Schematron) and nothing else; a body under a class that is
not ours (an HMRC or DWP message) gets one ``govtalk.foreign-body`` notice and no
lgstandards rule runs inside it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from lgstandards._xmlvalues import string_value
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.report import Issue, Severity
from lgstandards.validation.columns import element_column
from lgstandards.validation.core import is_within, unknown_kind
from lgstandards.validation.layers import check_kind
from lgstandards.validation.paths import PathMaker, split_path, step_parts

if TYPE_CHECKING:
    from collections.abc import Mapping

    from lxml import etree

    from lgstandards.validation.columns import SourceLines
    from lgstandards.validation.core import Options

#: libxml2 keeps line numbers above this one outside the node, and a copy loses them.
_BIG_LINE = 65535


def _namespace(element: etree._Element) -> str:
    tag = element.tag
    return str(tag)[1:].partition("}")[0] if str(tag).startswith("{") else ""


def parts(
    root: etree._Element, spec: KindSpec
) -> tuple[etree._Element | None, str | None, list[etree._Element]]:
    """Return an envelope's ``Body`` (or None), its ``Class`` text and the body's elements."""
    ns = f"{{{spec.namespace}}}"
    found = root.find(f"{ns}Header/{ns}MessageDetails/{ns}Class")
    # its string value, as COM-R001 reads it (a comment inside it does not cut it short)
    message_class = string_value(found) if found is not None else None
    body = root.find(f"{ns}Body")
    elements = [c for c in body if isinstance(c.tag, str)] if body is not None else []
    return body, message_class, elements


def without_body(root: etree._Element, spec: KindSpec) -> etree._Element:
    """Return a copy of an envelope whose ``Body`` elements are empty (same lines and paths).

    The envelope's Python rules and vocabulary cross-checks run on it, so that none
    of them looks inside a body.
    """
    from lxml import etree

    body_tag = f"{{{spec.namespace}}}Body"
    shell = etree.Element(root.tag, dict(root.attrib), nsmap=root.nsmap)
    _same_line(shell, root)
    shell.text = root.text
    for child in root:
        if child.tag == body_tag:
            empty = etree.SubElement(shell, child.tag, dict(child.attrib), nsmap=child.nsmap)
            _same_line(empty, child)
            empty.tail = child.tail
        else:
            shell.append(copy.deepcopy(child))
    return shell


def _same_line(target: etree._Element, source: etree._Element) -> None:
    line = source.sourceline
    if line is not None and line < _BIG_LINE:
        target.sourceline = line  # type: ignore[misc]  # settable in lxml; read-only in stubs


def foreign_body(
    body: etree._Element,
    message_class: str,
    *,
    source: str | None,
    prefixes: Mapping[str, str],
) -> Issue:
    """Return the notice for a body under a message class lgstandards does not cover."""
    paths = PathMaker(prefixes)
    return Issue(
        "govtalk.foreign-body",
        Severity.WARNING,
        f"the message class {message_class} is not an lgstandards message: the envelope is "
        "checked, its body is not (no lgstandards schema or rule applies to it)",
        f"nid yw dosbarth y neges {message_class} yn neges lgstandards: gwirir yr amlen, nid "
        "ei chorff (nid oes sgema na rheol lgstandards yn berthnasol iddo)",
        source=source,
        line=body.sourceline,
        path=paths.path(body),
    )


def check_envelope(
    tree: etree._ElementTree,
    spec: KindSpec,
    options: Options,
    *,
    name: str | None,
    hint: bytes | None,
    lines: SourceLines | None,
    hints: bool = True,
) -> Iterator[Issue]:
    """Validate an envelope: its own checks, then each body element as its own kind.

    ``hints``: whether to look for ``xsi:schemaLocation`` hints (in the envelope and
    in bodies of ours; a foreign body's are not lgstandards' business).
    """
    root = tree.getroot()
    body, message_class, elements = parts(root, spec)
    wanted = spec.body_namespace(message_class) if message_class else None
    if hints:
        foreign = [e for e in elements if wanted is None or _namespace(e) != wanted]
        yield from schema_locations(root, outside=foreign, source=name)
    yield from check_kind(
        tree,
        spec,
        options,
        name=name,
        hint=hint,
        lines=lines,
        skip=elements,
        part=without_body(root, spec) if elements else None,
    )
    if body is None or not elements or not message_class:
        return  # nothing to validate, or no class to choose by (the envelope's XSD says so)
    if wanted is None:
        ours = set(spec.body_classes.values())
        if any(_namespace(e) not in ours for e in elements):
            yield foreign_body(body, message_class, source=name, prefixes=options.profile.prefixes)
        return  # a body of ours under a foreign class is COM-R006's
    envelope_paths = PathMaker(options.profile.prefixes)
    for element in elements:
        if _namespace(element) == wanted:  # else COM-R006
            yield from body_issues(
                element, options, name=name, hint=hint, lines=lines, paths=envelope_paths
            )


def body_issues(
    element: etree._Element,
    options: Options,
    *,
    name: str | None,
    hint: bytes | None,
    lines: SourceLines | None,
    paths: PathMaker,
) -> Iterator[Issue]:
    """Validate one body element as a document of its own kind, located in the envelope."""
    standalone = copy.deepcopy(element)
    namespace, _, local = str(element.tag)[1:].partition("}")
    spec = options.profile.spec_for_root(namespace, local)
    found: Iterable[Issue]
    if spec is None:
        found = [unknown_kind(standalone, source=name, profile=options.profile)]
    else:
        found = check_kind(
            standalone.getroottree(), spec, options, name=name, hint=hint, lines=lines
        )
    base = paths.path(element)
    children: Children = {}
    for issue in found:
        yield relocate(issue, element, base, paths, lines=lines, children=children)


def relocate(
    issue: Issue,
    element: etree._Element,
    base: str,
    paths: PathMaker,
    *,
    lines: SourceLines | None = None,
    children: Children | None = None,
) -> Issue:
    """Put an issue found in a body's copy back in the envelope (path and line there).

    ``element`` is the body element in the envelope and ``base`` its path. An issue
    with no place in the body gets the body element's. A copy keeps no line number
    above 65535 (libxml2 holds those outside the node): such an issue's line is
    taken from the element its path names, and a schema error's column with it
    (``children``: the cache of :func:`find_path`).
    """
    if issue.path is None:
        line = issue.line if issue.line is not None else element.sourceline
        return replace(issue, path=base, line=line)
    steps = split_path(issue.path)
    path = "/".join([base, *steps[1:]]) if steps else base
    if issue.line is not None and issue.line < _BIG_LINE:
        return replace(issue, path=path)
    target = find_path(element, steps[1:], paths, children)
    if target is None or target.sourceline is None:
        return replace(issue, path=path)
    column = issue.column
    if column is None and lines is not None and issue.code.startswith("xsd."):
        column = element_column(target, lines)
    return replace(issue, path=path, line=target.sourceline, column=column)


def schema_locations(
    root: etree._Element, *, outside: Sequence[etree._Element], source: str | None
) -> Iterator[Issue]:
    """Report the schema-location hints of a document, except inside ``outside``."""
    from lxml import etree

    from lgstandards.validation.layers import XSI
    from lgstandards.validation.layers import schema_locations as hints_of

    found = root.xpath(
        "descendant-or-self::*[@xsi:schemaLocation or @xsi:noNamespaceSchemaLocation]",
        namespaces={"xsi": XSI},
    )
    if not isinstance(found, list):
        return
    for element in found:
        if isinstance(element, etree._Element) and not any(is_within(element, o) for o in outside):
            yield from hints_of(element, source=source)


#: Children of an element by step name (``prefix:Local``), for :func:`find_path`.
Children = dict["etree._Element", dict[str, list["etree._Element"]]]


def find_path(
    start: etree._Element,
    steps: Sequence[str],
    paths: PathMaker,
    children: Children | None = None,
) -> etree._Element | None:
    """Follow the steps of a :class:`PathMaker` path down from ``start`` (None if lost).

    ``children`` caches each parent's children by name, so that many look-ups among
    many siblings (a batch's records) take one pass over each parent.
    """
    known: Children = {} if children is None else children
    current = start
    for step in steps:
        if step.startswith("@"):
            break
        name, position = step_parts(step)
        table = known.get(current)
        if table is None:
            table = {}
            for child in current:
                if isinstance(child.tag, str):
                    table.setdefault(paths.name(child.tag), []).append(child)
            known[current] = table
        wanted = table.get(name, [])
        if not 0 < position <= len(wanted):
            return None
        current = wanted[position - 1]
    return current


__all__ = [
    "body_issues",
    "check_envelope",
    "find_path",
    "foreign_body",
    "parts",
    "relocate",
    "schema_locations",
    "without_body",
]
