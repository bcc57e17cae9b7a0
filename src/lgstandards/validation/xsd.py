"""XSD validation with libxml2, and the mapping of its errors to the library's codes.

libxml2 reports each error with a type (``SCHEMAV_CVC_PATTERN_VALID`` ...) and an
English text. Each type maps to one ``xsd.*`` code with an English and a Welsh
message built from the element, attribute and value named in the text; the engine's
own text is kept as the issue's ``detail``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from functools import cache
from itertools import chain, islice
from typing import TYPE_CHECKING, Any, NamedTuple

from lgstandards._regex import LazyPattern
from lgstandards._xmlvalues import string_value
from lgstandards.report import Issue, Severity
from lgstandards.validation.columns import SourceLines, element_column
from lgstandards.validation.core import is_within
from lgstandards.validation.paths import EngineLocator, PathMaker

if TYPE_CHECKING:
    from pathlib import Path

    from lxml import etree

    from lgstandards.artefacts.kinds import KindSpec

_FACETS = {
    "SCHEMAV_CVC_PATTERN_VALID": "xsd.pattern",
    "SCHEMAV_CVC_ENUMERATION_VALID": "xsd.enumeration",
    "SCHEMAV_CVC_LENGTH_VALID": "xsd.length",
    "SCHEMAV_CVC_MINLENGTH_VALID": "xsd.length",
    "SCHEMAV_CVC_MAXLENGTH_VALID": "xsd.length",
    "SCHEMAV_CVC_MININCLUSIVE_VALID": "xsd.range",
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID": "xsd.range",
    "SCHEMAV_CVC_MINEXCLUSIVE_VALID": "xsd.range",
    "SCHEMAV_CVC_MAXEXCLUSIVE_VALID": "xsd.range",
    "SCHEMAV_CVC_TOTALDIGITS_VALID": "xsd.range",
    "SCHEMAV_CVC_FRACTIONDIGITS_VALID": "xsd.range",
}

_CODES: dict[str, str] = {
    **_FACETS,
    "SCHEMAV_CVC_ELT_1": "xsd.unexpected-element",
    "SCHEMAV_CVC_COMPLEX_TYPE_4": "xsd.missing-attribute",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_1": "xsd.unexpected-attribute",
    "SCHEMAV_CVC_COMPLEX_TYPE_3_2_2": "xsd.unexpected-attribute",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": "xsd.type",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_2": "xsd.type",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_3": "xsd.type",
    "SCHEMAV_CVC_TYPE_3_1_1": "xsd.type",
    "SCHEMAV_CVC_TYPE_3_1_2": "xsd.type",
    "SCHEMAV_CVC_ATTRIBUTE_3": "xsd.type",
    "SCHEMAV_CVC_AU": "xsd.type",
    "SCHEMAV_CVC_ELT_5_2_2_1": "xsd.type",
    "SCHEMAV_CVC_ELT_5_2_2_2_1": "xsd.type",
    "SCHEMAV_CVC_ELT_5_2_2_2_2": "xsd.type",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_1": "xsd.type",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_3": "xsd.type",
}

#: English and Welsh message templates per code (and for digit facets).
MESSAGES: dict[str, tuple[str, str]] = {
    "xsd.missing-element": (
        "{element}: a required child element is missing{expected}",
        "{element}: mae elfen plentyn ofynnol ar goll{expected_cy}",
    ),
    "xsd.unexpected-element": (
        "{element} is not allowed here{expected}",
        "Ni chaniateir {element} yma{expected_cy}",
    ),
    "xsd.pattern": (
        "{element}: the value {value} does not match the pattern of its type",
        "{element}: nid yw'r gwerth {value} yn cyfateb i batrwm ei fath",
    ),
    "xsd.enumeration": (
        "{element}: the value {value} is not one of the allowed values{allowed}",
        "{element}: nid yw'r gwerth {value} yn un o'r gwerthoedd a ganiateir{allowed}",
    ),
    "xsd.type": (
        "{element}: the value {value} is not valid for its type{type}",
        "{element}: nid yw'r gwerth {value} yn ddilys ar gyfer ei fath{type}",
    ),
    "xsd.length": (
        "{element}: the value {value} is too short or too long{limit}",
        "{element}: mae'r gwerth {value} yn rhy fyr neu'n rhy hir{limit_cy}",
    ),
    "xsd.range": (
        "{element}: the value {value} is outside the allowed range",
        "{element}: mae'r gwerth {value} y tu allan i'r ystod a ganiateir",
    ),
    "digits": (
        "{element}: the value {value} has too many digits",
        "{element}: mae gan y gwerth {value} ormod o ddigidau",
    ),
    "xsd.missing-attribute": (
        "{element}: the required attribute {attribute} is missing",
        "{element}: mae'r briodwedd ofynnol {attribute} ar goll",
    ),
    "xsd.unexpected-attribute": (
        "{element}: the attribute {attribute} is not allowed",
        "{element}: ni chaniateir y briodwedd {attribute}",
    ),
    "xsd.other": (
        "{element}: the document does not conform to its schema",
        "{element}: nid yw'r ddogfen yn cydymffurfio â'i sgema",
    ),
}

_ELEMENT = LazyPattern(r"^Element '([^']+)'")
_ATTRIBUTE = LazyPattern(r"attribute '([^']+)'")
_VALUE = LazyPattern(r"[Tt]he value '([^']*)'|^Element '[^']+'(?:, attribute '[^']+')?: '([^']*)'")
_EXPECTED = LazyPattern(r"Expected is (?:one of )?\( ?([^)]*?) ?\)")
_ALLOWED = LazyPattern(r"set \{([^}]*)\}")
_TYPE = LazyPattern(r"(?:atomic|simple) type '([^']+)'")
_LIMIT = LazyPattern(r"allowed (minimum|maximum) length of '(\d+)'")
_CLARK = LazyPattern(r"\{([^}]*)\}([\w.\-]+)")


class EngineError(NamedTuple):
    """The parts of one libxml2 schema error the mapping needs."""

    type_name: str
    message: str
    line: int
    path: str | None


def classify(type_name: str, message: str) -> str:
    """Return the ``xsd.*`` code for a libxml2 error type and text."""
    if type_name in ("SCHEMAV_ELEMENT_CONTENT", "SCHEMAV_CVC_COMPLEX_TYPE_2_4"):
        if "Missing child element" in message:
            return "xsd.missing-element"
        return "xsd.unexpected-element"
    return _CODES.get(type_name, "xsd.other")


def _names(text: str, paths: PathMaker) -> str:
    if "{" not in text:
        return text
    return _CLARK().sub(lambda m: paths.name(f"{{{m.group(1)}}}{m.group(2)}"), text)


def make_issue(
    error: EngineError,
    *,
    element: etree._Element | None,
    paths: PathMaker,
    source: str | None,
    path: str | None = None,
    column: int | None = None,
) -> Issue:
    """Build the issue for one engine error (``element`` resolved from its path).

    ``path`` is the element's path when the caller has it already; ``column``, its
    start tag's column, when known.
    """
    code = classify(error.type_name, error.message)
    message = error.message.strip()
    found = _ELEMENT().search(message)
    element_name = _names(found.group(1), paths) if found else "document"
    attribute = _ATTRIBUTE().search(message)
    key = "digits" if "DIGITS" in error.type_name else code
    english, welsh = MESSAGES[key]
    value = ""
    if "{value}" in english:  # looked up only where the message shows it
        value_match = _VALUE().search(message)
        found_value = (
            next((g for g in value_match.groups() if g is not None), "") if value_match else None
        )
        if found_value is None:
            found_value = _value_of(element, attribute.group(1) if attribute else None)
        value = found_value
    fields = english + welsh  # only the parts the messages show are looked for
    limit = _LIMIT().search(message) if "{limit" in fields else None
    expected = _EXPECTED().search(message) if "{expected" in fields else None
    allowed = _ALLOWED().search(message) if "{allowed}" in fields else None
    type_match = _TYPE().search(message) if "{type}" in fields else None
    expected_names = _names(expected.group(1), paths) if expected else ""
    values = {
        "element": element_name,
        "attribute": attribute.group(1) if attribute else "",
        "value": f"'{value}'",
        "expected": f"; expected {expected_names}" if expected else "",
        "expected_cy": f"; disgwylir {expected_names}" if expected else "",
        "allowed": f" ({allowed.group(1)})" if allowed else "",
        "type": f" ({_names(type_match.group(1), paths)})" if type_match else "",
        "limit": f" (allowed {limit.group(1)} length {limit.group(2)})" if limit else "",
        "limit_cy": (
            f" (hyd {'lleiaf' if limit.group(1) == 'minimum' else 'mwyaf'} a ganiateir "
            f"{limit.group(2)})"
            if limit
            else ""
        ),
    }
    if path is None:
        path = paths.path(element) if element is not None else error.path
    return Issue(
        code=code,
        severity=Severity.ERROR,
        message=english.format(**values),
        message_cy=welsh.format(**values),
        source=source,
        line=error.line or None,
        column=column,
        path=path,
        detail=_names(message, paths),
    )


def lexical_issues(
    scope: etree._Element,
    fields: Mapping[str, str],
    *,
    paths: PathMaker,
    source: str | None,
    skip: Collection[etree._Element] = (),
) -> Iterator[Issue]:
    """Check values whose type libxml2 reads too loosely (``base64Binary``) as XSD says.

    ``fields`` comes from :func:`lgstandards.artefacts.schemas.lexical_fields`; elements
    inside ``skip`` are left out. The issue is the one a strict schema engine gives.
    """
    from lgstandards._xmlvalues import is_base64, string_value

    if not fields:  # most kinds have no such field: no walk of the tree
        return
    tags = [name for name in fields if not name.startswith("@")]
    attributes = [name[1:] for name in fields if name.startswith("@")]
    english, welsh = MESSAGES["xsd.type"]
    candidates = scope.iter(*tags) if tags and not attributes else scope.iter()
    for element in candidates:
        if skip and any(is_within(element, kept) for kept in skip):
            continue
        values: list[tuple[str | None, str]] = []
        if str(element.tag) in fields and not len(element):
            values.append((None, string_value(element)))
        values.extend(
            (name, element.get(name, "")) for name in attributes if name in element.attrib
        )
        for attribute, value in values:
            if is_base64(value):
                continue
            element_name = paths.name(str(element.tag))
            where = f"{element_name}/@{attribute}" if attribute else element_name
            shown = value if len(value) <= 40 else value[:37] + "..."
            params = {"element": where, "value": f"'{shown}'", "type": " (xs:base64Binary)"}
            path = paths.path(element)
            yield Issue(
                code="xsd.type",
                severity=Severity.ERROR,
                message=english.format(**params),
                message_cy=welsh.format(**params),
                source=source,
                line=element.sourceline,
                path=f"{path}/@{attribute}" if attribute else path,
                detail=f"{where}: not in the lexical space of xs:base64Binary",
            )


def validate_element(
    schema: etree.XMLSchema,
    target: Any,
    *,
    context: etree._Element,
    paths: PathMaker,
    source: str | None,
    skip: Sequence[etree._Element] = (),
    lines: SourceLines | None = None,
) -> Iterator[Issue]:
    """Validate ``target`` (a tree or element) and yield mapped issues.

    ``context`` is the element the engine's paths start at; errors inside ``skip``
    (elements already validated on their own) are left out. ``lines`` gives the
    document's source lines, for the columns of the issues (see
    :mod:`lgstandards.validation.columns`).
    """
    if schema.validate(target):
        return
    yield from _mapped(
        schema.error_log, context, paths=paths, source=source, skip=skip, lines=lines
    )


def _mapped(
    entries: Iterable[Any],
    context: etree._Element,
    *,
    paths: PathMaker,
    source: str | None,
    skip: Sequence[etree._Element] = (),
    lines: SourceLines | None = None,
    located: bool = False,
) -> Iterator[Issue]:
    """Map a tree validation's log entries (paths from ``context``) to issues.

    ``located``: each entry names its element (``element``, see
    :class:`~lgstandards.validation.treeschema.TreeError`) instead of a path.
    """
    previous: tuple[int, str | None, str] | None = None
    # Many errors may name one element (100,000 attributes): each look-up is done once.
    elements: dict[str | None, etree._Element | None] = {}
    element_paths: dict[etree._Element, str] = {}
    columns: dict[etree._Element, int | None] = {}
    locator = EngineLocator(context)
    for entry in entries:
        error = EngineError(entry.type_name, entry.message, entry.line, entry.path)
        if located:
            element = entry.element
        elif error.path in elements:
            element = elements[error.path]
        else:
            element = elements[error.path] = locator.element(error.path)
        if skip and element is not None and _skipped(element, error, skip):
            continue
        path = None
        if element is not None:
            path = element_paths.get(element)
            if path is None:
                path = element_paths[element] = paths.path(element)
        column = None
        if lines is not None and element is not None and (error.line or None) == element.sourceline:
            if element in columns:
                column = columns[element]
            else:
                column = columns[element] = element_column(element, lines)
        issue = make_issue(
            error, element=element, paths=paths, source=source, path=path, column=column
        )
        key = (error.line, issue.path, issue.code)
        if (
            previous is not None
            and issue.code == "xsd.type"
            and error.type_name.startswith("SCHEMAV_CVC_DATATYPE_VALID")
            and previous[:2] == key[:2]
            and previous[2] in _FACETS.values()
        ):
            continue  # older libxml2 repeats a facet failure as a type failure
        previous = key
        yield issue


def skipped_records(
    misplaced: Sequence[str],
    root: etree._Element,
    spec: KindSpec,
    *,
    paths: PathMaker,
    source: str | None,
    lines: SourceLines | None = None,
) -> Iterator[Issue]:
    """Validate on their own the records the schema's check skipped; yield their issues.

    After an element it did not expect among a parent's children, libxml2 checks
    nothing more of that parent's content: the batch's records from there on (the
    element itself when it is a record, those within it and within the siblings after
    it) would go unchecked. Each is validated with the record schema, as streaming
    validates every record, so both ways find the same errors. A record-named element
    inside a record is not a record (nor is it one streamed): its record reports it out
    of place. ``misplaced``: the paths of the document's ``xsd.unexpected-element``
    issues, in order.
    """
    if not misplaced or spec.record_tag is None or spec.schema_file is None or not spec.record:
        return
    from lgstandards.artefacts.schemas import record_schema
    from lgstandards.validation.starttags import PathResolver

    try:
        record_xsd = record_schema(spec.schema_file, spec.namespace, spec.record)
    except Exception:  # the whole document's check has reported what it could
        return
    resolver = PathResolver(root, dict(paths.prefixes))
    tag = spec.record_tag
    parents: set[etree._Element] = set()  # each parent's first element out of place only
    for path in misplaced:
        element = resolver.element(path)
        parent = element.getparent() if element is not None else None
        if element is None or parent is None or parent in parents:
            continue
        parents.add(parent)
        for node in chain((element,), element.itersiblings()):
            for record in node.iter(tag):  # ``node`` itself first, when a record
                if next(record.iterancestors(tag), None) is not None:
                    continue  # inside a record: part of it (out of place there), as streamed
                yield from validate_element(
                    record_xsd, record, context=record, paths=paths, source=source, lines=lines
                )


def _skipped(element: etree._Element, error: EngineError, skip: Sequence[etree._Element]) -> bool:
    """Tell whether an error is inside an element validated on its own (``skip``).

    An element out of place is its parent's error, which validating it on its own does
    not find: it is kept.
    """
    if not any(is_within(element, s) for s in skip):
        return False
    if element in skip:
        return classify(error.type_name, error.message) != "xsd.unexpected-element"
    return True


class Screened(NamedTuple):
    """What screening a document with its schema found (see ``safexml.parse_screened``).

    ``errors``: the schema's log entries, in the validator's order (no node, no line);
    empty when the document is valid. ``located``: the errors are the tree's own
    validation's, each with its element (:func:`screen_tree`).
    """

    schema: etree.XMLSchema
    errors: list[Any]
    located: bool = False


#: A wildcard in a schema file (``xs:any``, ``xs:anyAttribute``).
_WILDCARD = LazyPattern(rb"<(?:[\w.\-]+:)?any(?:Attribute)?[\s/>]")


#: Documents from this size on are screened: below it, an error's node path costs little.
SCREEN_FROM = 1024 * 1024


def screen_schema(spec: KindSpec, size: int) -> etree.XMLSchema | None:
    """Return the schema to screen a batch of kind ``spec`` with (a validating pass), or None.

    A batch's errors are then found without the engine's node paths, whose cost grows
    with the number of records before each error: its tree is validated with each
    error's element (:func:`screen_tree`), else its bytes are screened (a second pass
    of the parser, building no tree, that costs a valid document a little more than
    validating its tree; :func:`screened_issues`). Only batches of at least
    :data:`SCREEN_FROM` bytes (``size``) are screened, and only kinds with a record
    element, not an envelope, whose schema declares no wildcard.
    """
    if size < SCREEN_FROM or spec.record_tag is None or spec.schema_file is None:
        return None
    if spec.body_classes or _has_wildcards(spec.schema_file):
        return None
    from lgstandards.artefacts.schemas import schema_for

    return schema_for(spec)


@cache
def _has_wildcards(path: Path) -> bool:
    from lgstandards.artefacts.schemas import schema_files

    return any(_WILDCARD().search(file.read_bytes()) for file in schema_files(path))


def screen_tree(
    spec: KindSpec, schema: etree.XMLSchema, tree: etree._ElementTree
) -> Screened | None:
    """Validate a parsed batch of kind ``spec`` (``schema``: its schema) as the tree is.

    The errors are those of :func:`validate_element` (the tree's validation), each
    with its element rather than a node path, whose cost grows with the records before
    it (see :mod:`lgstandards.validation.treeschema`). None when this cannot be done:
    the caller screens the document's bytes instead (``safexml.screen_bytes``).
    """
    if spec.schema_file is None:
        return None
    from lgstandards.validation.treeschema import tree_errors

    errors = tree_errors(spec.schema_file, tree.getroot())
    return None if errors is None else Screened(schema, errors, located=True)


def screened_issues(
    screened: Screened,
    spec: KindSpec,
    tree: etree._ElementTree,
    *,
    paths: PathMaker,
    source: str | None,
    lines: SourceLines | None = None,
    data: bytes | None = None,
) -> Iterator[Issue]:
    """Yield the issues of a screened batch: :func:`validate_element`'s, at a cost per error.

    Each error is located in its record, validated on its own (paths from the record,
    whatever the number of records before it); the record's errors must be the next
    ones of the screen. The record of an error that names a value is looked for in
    ``data`` (the document's bytes), else among the elements with that value; any
    record is validated at most once. An error outside the records, or one not found,
    makes the whole tree validated as before.
    """
    if not screened.errors:
        return
    root = tree.getroot()
    if screened.located:
        yield from _mapped(
            screened.errors, root, paths=paths, source=source, lines=lines, located=True
        )
        return
    found: Iterable[Issue] | None = None
    if spec.record_tag is not None and spec.schema_file is not None and spec.record:
        from lgstandards.artefacts.schemas import record_schema

        try:
            record_xsd = record_schema(spec.schema_file, spec.namespace, spec.record)
        except Exception:
            record_xsd = None
        if record_xsd is not None:
            found = _by_records(
                screened.errors,
                root,
                spec.record_tag,
                record_xsd,
                paths=paths,
                source=source,
                lines=lines,
                finder=_ByteFinder.make(data, root, spec.record_tag),
            )
    if found is None:
        found = validate_element(
            screened.schema, tree, context=root, paths=paths, source=source, lines=lines
        )
    yield from found


def _by_records(
    errors: list[Any],
    root: etree._Element,
    record_tag: str,
    record_xsd: etree.XMLSchema,
    *,
    paths: PathMaker,
    source: str | None,
    lines: SourceLines | None,
    finder: _ByteFinder | None = None,
) -> list[Issue] | None:
    """Locate the screen's errors record by record; None when one is not in a record.

    The errors come in document order: the record of the next one is the first invalid
    record after the last one found that holds an element the error may name. It is
    looked for first by ``finder`` (in the document's bytes); then elements and records
    are read in document order, each once, up to the last error's. A record is taken
    only if its own errors are the next ones: the records taken are then the invalid
    records, in order, however they were found.
    """
    wanted = [(e.type_name, e.message) for e in errors]
    order = _Ordinals(root.iter(record_tag))
    candidates: dict[str, Iterator[Any]] = {}
    valid: set[Any] = set()  # records validated on their own without an error
    issues: list[Issue] = []
    done, last = 0, -1

    def errors_of(record: Any) -> Any:
        """Return the record's own error log, or None when it is valid (validated once)."""
        if record in valid:
            return None
        if record_xsd.validate(record):
            valid.add(record)
            return None
        return record_xsd.error_log

    def next_ones(log: Any) -> bool:
        """Tell whether ``log`` holds the next errors of the screen."""
        return [(e.type_name, e.message) for e in log] == wanted[done : done + len(log)]

    while done < len(wanted):
        message = wanted[done][1]
        named = _ELEMENT().match(message)
        if named is None:
            return None
        tag = named.group(1)
        attribute = _ATTRIBUTE().search(message)
        found_value = _VALUE().search(message)
        value = (
            next((g for g in found_value.groups() if g is not None), None) if found_value else None
        )
        name = attribute.group(1) if attribute else None
        taken: tuple[int, etree._Element, Any] | None = None
        if finder is not None:
            for number, record in finder.records(tag, name, value, message, after=last):
                log = errors_of(record)
                if log is None:
                    continue
                if next_ones(log):
                    taken = (number, record, log)
                    finder.taken(number)
                break  # an invalid record: the next one, or one after it (then walk)
        if taken is None:
            elements = candidates.get(tag)
            if elements is None:
                elements = candidates[tag] = root.iter(tag)
            for element in elements:
                if not _plausible(element, name, value, message):
                    continue
                holder = _record_of(element, record_tag)
                if holder is None:
                    return None  # an error outside the records
                ordinal = order.of(holder)
                if ordinal is None:
                    return None
                if ordinal <= last:
                    continue
                log = errors_of(holder)
                if log is None:
                    continue
                if not next_ones(log):
                    return None  # the first invalid record after the last must be the one
                taken = (ordinal, holder, log)
                break
            else:
                return None  # no element left that the error may name
        number, record, log = taken
        issues.extend(_mapped(log, record, paths=paths, source=source, lines=lines))
        done += len(log)
        last = number
    return issues


#: Places in the bytes where an error's value is tried before the elements are walked.
_BYTE_TRIES = 16


class _ByteFinder:
    """Find the records an error may be in by its value, in the document's bytes.

    An element's value ``v`` is written ``>v</p:name>`` and an attribute's ``name="v"``
    in most documents; the record holding such a place is the one whose start tag
    ``<p:record`` is the last before it (``<p:record`` counted once, forward, at C speed). Records
    are read from the tree forward, as far as the last one asked for. What is found
    is only a candidate: the caller validates the record and takes it only if its
    errors are the next ones (a value written otherwise, with references, in a comment
    or elsewhere, then makes the caller walk the elements instead).
    """

    def __init__(
        self,
        data: bytes,
        root: etree._Element,
        record_tag: str,
        encoding: str,
        prefixes: dict[str, str | None],
    ) -> None:
        self.data = data
        self.encoding = encoding
        self.prefixes = prefixes
        record = self._qname(record_tag)
        self._start_tag = b"<" + record if record is not None else None
        self._records = root.iter(record_tag)
        self._read = 0  # records read from the tree so far
        self._current: tuple[int, Any] | None = None
        #: (offset, record start tags before it), in increasing order
        self._marks: list[tuple[int, int]] = [(0, 0)]
        self._from = 0  # where the next error's value is looked for

    @classmethod
    def make(cls, data: bytes | None, root: etree._Element, record_tag: str) -> _ByteFinder | None:
        """Return a finder for a document's bytes, or None (not in an ASCII-compatible code)."""
        if data is None:
            return None
        from lgstandards.safexml import ascii_encoding

        encoding = ascii_encoding(data)
        if encoding is None:
            return None
        prefixes: dict[str, str | None] = {}
        counts: dict[str, int] = {}
        for prefix, uri in root.nsmap.items():
            prefixes[uri] = prefix
            counts[uri] = counts.get(uri, 0) + 1
        for uri, number in counts.items():
            if number > 1:  # two prefixes for one namespace: which one is written is unknown
                del prefixes[uri]
        return cls(data, root, record_tag, encoding, prefixes)

    def _qname(self, tag: str) -> bytes | None:
        if tag.startswith("{"):
            uri, _, local = tag[1:].partition("}")
            if uri not in self.prefixes:
                return None
            prefix = self.prefixes[uri]
            name = f"{prefix}:{local}" if prefix else local
        elif None in self.prefixes.values():
            return None  # a default namespace: a bare name is written as namespaced elements
        else:
            name = tag
        return name.encode("ascii") if name.isascii() else None

    def _encoded(self, text: str) -> bytes | None:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        try:
            return escaped.encode(self.encoding)
        except (UnicodeEncodeError, LookupError):
            return None

    def _needles(
        self, tag: str, attribute: str | None, value: str | None, message: str
    ) -> list[bytes]:
        if value is None:
            return []
        if attribute is not None:
            if "{" in attribute or not attribute.isascii() or "is required" in message:
                return []
            encoded = self._encoded(value)
            if encoded is None:
                return []
            name = b" " + attribute.encode("ascii") + b"="
            return [name + b'"' + encoded + b'"', name + b"'" + encoded + b"'"]
        qname = self._qname(tag)
        encoded = self._encoded(value)
        if qname is None or encoded is None:
            return []
        needles = [b">" + encoded + b"</" + qname + b">"]
        if not value:
            needles.append(b"<" + qname + b"/>")
        return needles

    def records(
        self, tag: str, attribute: str | None, value: str | None, message: str, *, after: int
    ) -> Iterator[tuple[int, etree._Element]]:
        """Yield (0-based number, record) of records after ``after`` that may hold the error."""
        if self._start_tag is None:
            return
        needles = self._needles(tag, attribute, value, message)
        if not needles:
            return
        data = self.data
        position = self._from
        tries = 0
        while tries < _BYTE_TRIES:
            hits = [found for found in (data.find(n, position) for n in needles) if found >= 0]
            if not hits:
                return
            offset = min(hits)
            position = offset + 1
            number = self._number(offset)
            if number <= after:
                continue  # in a record already done (few: the search starts after them)
            tries += 1
            record = self._record(number)
            if record is None:
                return
            yield number, record

    def taken(self, number: int) -> None:
        """Note that record ``number`` was taken: the next errors are in later records."""
        if self._current is not None and self._current[0] == number:
            self._from = max(self._from, self._marks[-1][0])

    def _number(self, offset: int) -> int:
        """Return the number of the last record starting before ``offset`` (-1: none)."""
        from bisect import bisect_right  # per error, not at start-up (a shared library)

        assert self._start_tag is not None
        marks, data = self._marks, self.data
        if offset + 1 >= marks[-1][0]:
            start, counted = marks[-1]
        else:  # a place before the last counted: from the last mark before it
            start, counted = marks[bisect_right(marks, (offset + 1, -1)) - 1]
        # "<p:record" never holds ">" or a space, where a value's place begins; it may
        # begin a longer name (a candidate the caller then finds invalid, or not next)
        counted += data.count(self._start_tag, start, offset + 1)
        if offset + 1 > marks[-1][0]:
            marks.append((offset + 1, counted))
        return counted - 1

    def _record(self, number: int) -> Any:
        current = self._current
        if current is not None and current[0] == number:
            return current[1]
        if number < self._read:
            return None  # records are read forward only
        record = next(islice(self._records, number - self._read, None), None)
        self._read = number + 1
        self._current = (number, record) if record is not None else None
        return record


class _Ordinals:
    """Number records in document order, reading them only as far as asked."""

    def __init__(self, records: Iterator[Any]) -> None:
        self._records = records
        self._known: dict[Any, int] = {}

    def of(self, record: etree._Element) -> int | None:
        """Return the record's 0-based position among the records, or None."""
        known = self._known.get(record)
        if known is not None:
            return known
        for seen in self._records:
            number = self._known[seen] = len(self._known)
            if seen is record:
                return number
        return None


def _record_of(element: etree._Element, record_tag: str) -> etree._Element | None:
    node: etree._Element | None = element
    while node is not None and node.tag != record_tag:
        node = node.getparent()
    return node


def _plausible(
    element: etree._Element, attribute: str | None, value: str | None, message: str
) -> bool:
    """Tell whether ``element`` may be the one a screen's error names (a cheap filter)."""
    if attribute is not None:
        present = element.get(attribute)
        if "is required but missing" in message:
            return present is None
        return present is not None and (value is None or _same(present, value))
    if value is None:
        return True
    text = (element.text or "") if not len(element) else string_value(element)
    if text == value:
        return True
    if " " in text or "\n" in text or "\t" in text or "\r" in text:
        return _same(text, value)
    return text == " ".join(value.split())  # a value libxml2 shows collapsed


def _same(text: str, value: str) -> bool:
    return text == value or " ".join(text.split()) == " ".join(value.split())


def _value_of(element: etree._Element | None, attribute: str | None) -> str:
    if element is None:
        return ""
    if attribute:
        return element.get(attribute, "")
    return string_value(element).strip()


__all__ = [
    "MESSAGES",
    "SCREEN_FROM",
    "EngineError",
    "Screened",
    "classify",
    "lexical_issues",
    "make_issue",
    "screen_schema",
    "screen_tree",
    "screened_issues",
    "validate_element",
]
