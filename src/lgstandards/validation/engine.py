"""The validator: route a document to its mode and run the layers into one report.

Whole-document mode parses once with the safe parser and runs XSD, rules and
vocabulary cross-checks on the tree. Streaming mode (:mod:`.stream`) handles batch
files record by record. RDF documents go to :mod:`.rdf`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING

from lgstandards.artefacts.kinds import RDF_KIND, KindSpec, prefixes, spec_for_kind, spec_for_root
from lgstandards.artefacts.schemas import code_fields, schema_for
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.safexml import (
    DEFAULT_LIMITS,
    Limits,
    Source,
    XMLInputError,
    ascii_compatible,
    parse_bytes,
    read_bytes,
    source_name,
)
from lgstandards.validation import layers
from lgstandards.validation.columns import DocumentLines, SourceLines
from lgstandards.validation.paths import PathMaker
from lgstandards.validation.xsd import validate_element

if TYPE_CHECKING:
    from lxml import etree

#: Batch files larger than this are streamed when ``streaming`` is None (auto).
STREAM_THRESHOLD = 32 * 1024 * 1024

#: Codes of input that cannot be parsed at all; such a document gets that one issue.
FATAL_CODES = frozenset(
    {
        "io.unreadable",
        "xml.empty",
        "xml.binary",
        "xml.not-xml",
        "xml.not-well-formed",
        "xml.truncated",
        "xml.encoding",
        "xml.dtd-forbidden",
        "xml.external-dtd-forbidden",
        "xml.entity-forbidden",
        "xml.external-entity-forbidden",
        "xml.xinclude-forbidden",
        "xml.too-large",
        "xml.too-deep",
        "xml.text-too-long",
    }
)

#: The checks that can be chosen; all run by default.
ALL_CHECKS = frozenset({"xsd", "rules", "vocab"})

#: RDF kinds and the file extensions that mean RDF.
RDF_EXTENSIONS = {
    ".ttl": "turtle",
    ".turtle": "turtle",
    ".nt": "ntriples",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "rdf/xml",
    ".owl": "rdf/xml",
}
RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(slots=True)
class State:
    """What a run learns about a document besides its issues (its kind)."""

    kind: str | None = None


@dataclass(frozen=True, slots=True)
class Options:
    """How one document is validated."""

    kind: str | None = None
    lang: str = "en"
    as_of: dt.date | None = None
    streaming: bool | None = None
    limits: Limits = DEFAULT_LIMITS
    checks: frozenset[str] = field(default=ALL_CHECKS)


def make_options(
    *,
    kind: str | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    streaming: bool | None = None,
    limits: Limits | None = None,
    checks: Collection[str] | None = None,
) -> Options:
    """Check the keyword arguments of the public functions and build :class:`Options`."""
    if lang not in ("en", "cy"):
        raise ValueError(f"lang must be 'en' or 'cy', not {lang!r}")
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    chosen = ALL_CHECKS if checks is None else frozenset(checks)
    unknown = chosen - ALL_CHECKS
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; choose from {sorted(ALL_CHECKS)}")
    if kind is not None and kind != RDF_KIND and spec_for_kind(kind) is None:
        from lgstandards.exceptions import SchemaNotFoundError

        raise SchemaNotFoundError(f"no document kind named {kind!r}")
    return Options(kind, lang, as_of, streaming, limits or DEFAULT_LIMITS, chosen)


def input_issue(exc: XMLInputError, name: str | None = None) -> Issue:
    """Turn a refused input into its one issue (Welsh text from the code registry)."""
    from lgstandards.codes import registry

    entry = registry().get(exc.code)
    return Issue(
        exc.code,
        entry.severity if entry else Severity.ERROR,
        exc.message,
        entry.description_cy if entry else None,
        source=exc.source or name,
        line=exc.line,
        column=exc.column,
    )


def _rdf_format(source: Source, kind: str | None) -> str | None:
    """Return the RDF syntax of a document by its name or content ("auto": sniff it)."""
    from lgstandards.validation.rdf import content_syntax

    if isinstance(source, str | os.PathLike):
        suffix = Path(source).suffix.lower()
        if suffix in RDF_EXTENSIONS and suffix != ".json":
            return RDF_EXTENSIONS[suffix]
        if suffix == ".json" and kind in (None, RDF_KIND):
            found = "json-ld" if kind == RDF_KIND else content_syntax(_head(source))
            return found if found == "json-ld" else None
    elif isinstance(source, bytes | bytearray | memoryview) and kind is None:
        return content_syntax(bytes(source[:65536]))
    if kind == RDF_KIND:
        return "auto"
    return None


def _head(path: str | os.PathLike[str]) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(65536)
    except OSError:
        return b""  # reported when the document is read


def iter_document(
    source: Source, options: Options, name: str | None = None, state: State | None = None
) -> Iterator[Issue]:
    """Validate one document, yielding issues as each layer finds them (unsorted)."""
    name = name or source_name(source)
    state = state if state is not None else State()
    rdf_format = _rdf_format(source, options.kind)
    if rdf_format is not None:
        state.kind = RDF_KIND
        from lgstandards.validation.rdf import iter_rdf

        yield from iter_rdf(source, options, name=name, syntax=rdf_format)
        return
    if _use_streaming(source, options):
        from lgstandards.validation.stream import iter_stream

        yield from iter_stream(source, options, name=name, state=state)
        return
    from lgstandards.validation.rdf import content_syntax

    try:
        data = read_bytes(source, limits=options.limits)
        rdf_format = content_syntax(data) if options.kind is None else None
        if rdf_format is None:
            tree = parse_bytes(data, limits=options.limits, name=name)
    except XMLInputError as exc:
        yield input_issue(exc, name)
        return
    if rdf_format is not None:  # a stream with no name that is JSON-LD or Turtle
        state.kind = RDF_KIND
        from lgstandards.validation.rdf import iter_rdf

        yield from iter_rdf(data, options, name=name, syntax=rdf_format)
        return
    root = tree.getroot()
    if root.tag == f"{{{RDF_NS}}}RDF" and options.kind in (None, RDF_KIND):
        from lgstandards.validation.rdf import iter_rdf

        state.kind = RDF_KIND
        yield from iter_rdf(data, options, name=name, syntax="rdf/xml")
        return
    from lgstandards.validation.starttags import whole_document

    found = check_tree(tree, options, name=name, state=state, hint=data)
    yield from whole_document(found, tree, data)  # exact lines past libxml2's 65,535


def detect(root: etree._Element, options: Options) -> KindSpec | None:
    """Return the kind of a parsed document (forced by ``options.kind`` when given)."""
    if options.kind is not None:
        return spec_for_kind(options.kind)
    tag = root.tag
    if not isinstance(tag, str) or not tag.startswith("{"):
        return spec_for_root("", tag if isinstance(tag, str) else "")
    namespace, _, local = tag[1:].partition("}")
    return spec_for_root(namespace, local)


def unknown_kind(root: etree._Element, *, source: str | None) -> Issue:
    """Return the issue for a root element no kind claims."""
    tag = root.tag if isinstance(root.tag, str) else "?"
    return Issue(
        "xml.unknown-kind",
        Severity.ERROR,
        f"the root element {tag} is not a message of any standard in the catalogue",
        f"nid yw'r elfen wraidd {tag} yn neges o unrhyw safon yn y catalog",
        source=source,
        line=root.sourceline,
    )


def check_tree(
    tree: etree._ElementTree,
    options: Options,
    *,
    name: str | None,
    state: State | None = None,
    hint: bytes | None = None,
) -> Iterator[Issue]:
    """Run every layer on a parsed document (``hint``: its bytes, to skip needless scans).

    An envelope (a kind with message classes) also gets its body validated on its own
    (:mod:`lgstandards.validation.govtalk`).
    """
    root = tree.getroot()
    hints = hint is None or b"chemaLocation" in hint or not ascii_compatible(hint)
    spec = detect(root, options)
    if spec is not None and spec.body_classes:
        from lgstandards.validation.govtalk import check_envelope

        if state is not None:
            state.kind = spec.kind
        lines = DocumentLines(hint) if hint is not None else None
        yield from check_envelope(
            tree, spec, options, name=name, hint=hint, lines=lines, hints=hints
        )
        return
    if hints:
        yield from layers.all_schema_locations(root, source=name)
    if spec is None:
        yield unknown_kind(root, source=name)
        return
    if state is not None:
        state.kind = spec.kind
    lines = DocumentLines(hint) if hint is not None else None
    yield from check_kind(tree, spec, options, name=name, hint=hint, lines=lines)


def check_kind(
    tree: etree._ElementTree,
    spec: KindSpec,
    options: Options,
    *,
    name: str | None,
    hint: bytes | None = None,
    lines: SourceLines | None = None,
    skip: Sequence[etree._Element] = (),
    part: etree._Element | None = None,
) -> Iterator[Issue]:
    """Run the layers of a known kind on a parsed document: version, XSD, rules, vocabulary.

    ``skip``: elements whose XSD errors are left out (validated on their own);
    ``part``: the element the Python rules and vocabulary cross-checks look at when not
    the whole document (an envelope without its body). ``lines``: the document's source
    lines, for columns.
    """
    root = tree.getroot()
    paths = PathMaker(prefixes(), spec.record_tag)
    yield from layers.version_issues(root, spec, source=name, paths=paths)
    failed: set[str] = set()
    if "xsd" in options.checks:
        try:
            schema = schema_for(spec)
        except Exception as exc:
            yield layers.failure("XSD", exc, source=name)
        else:
            for issue in validate_element(
                schema, tree, context=root, paths=paths, source=name, skip=skip, lines=lines
            ):
                failed.add(issue.path or "")
                yield issue
    if "rules" in options.checks:
        if part is None:
            yield from layers.rule_issues(spec, tree, source=name, paths=paths, data=hint)
        else:
            schematron = replace(spec, python_rules=False)
            yield from layers.rule_issues(schematron, tree, source=name, paths=paths, data=hint)
            python = replace(spec, rules_file=None)
            yield from layers.rule_issues(python, part, source=name, paths=paths, data=hint)
    if "vocab" in options.checks and spec.schema_file is not None:
        scope = root if part is None else part
        as_of = options.as_of or layers.find_date(islice(scope.iter(), 200))
        for issue in layers.vocab_issues(
            scope, code_fields(spec.schema_file), as_of=as_of, source=name, paths=paths
        ):
            if issue.path not in failed:  # a value the schema refused is reported once
                yield issue


def _use_streaming(source: Source, options: Options) -> bool:
    if options.streaming is False:
        return False
    if isinstance(source, bytes | bytearray | memoryview):
        size = len(source)
    elif isinstance(source, str | os.PathLike):
        try:
            size = os.path.getsize(source)
        except OSError:
            return False
    else:
        return bool(options.streaming) and _is_binary_stream(source)
    if options.streaming is None and size <= STREAM_THRESHOLD:
        return False
    from lgstandards.validation.stream import streamable

    return streamable(source, options)


def _is_binary_stream(source: IO[bytes]) -> bool:
    return not isinstance(source, io.TextIOBase)


def run(source: Source, options: Options, name: str | None = None) -> ValidationReport:
    """Validate one document into a report, issues sorted by layer then position.

    The report lists at most ``options.limits.max_issues`` issues, the first in that
    order, and then one ``report.truncated`` issue counting the others.
    """
    name = name or source_name(source)
    state = State(kind=options.kind)
    kept = _Kept(max(options.limits.max_issues, 0))
    fatal: Issue | None = None
    for issue in iter_document(source, options, name=name, state=state):
        if issue.code in FATAL_CODES:
            fatal = fatal or issue
        elif fatal is None:
            kept.add(issue)
    report = ValidationReport(source=name, kind=state.kind)
    if fatal is not None:  # as in whole-document mode: a document that cannot be parsed
        report.add(fatal)  # has one issue
        return report
    report.extend(kept.issues())
    more = kept.dropped_issue(name)
    if more is not None:
        report.add(more)
    return report


class _Kept:
    """The ``cap`` first issues in report order, and a count of the others (bounded memory)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._issues: list[Issue] = []
        self.dropped: Counter[Severity] = Counter()

    def add(self, issue: Issue) -> None:
        """Take one issue; past twice the cap, the last in report order are dropped."""
        self._issues.append(issue)
        if len(self._issues) >= 2 * self.cap + 1024:
            self._prune()

    def _prune(self) -> None:
        self._issues.sort(key=layers.sort_key)
        self.dropped.update(i.severity for i in self._issues[self.cap :])
        del self._issues[self.cap :]

    def issues(self) -> list[Issue]:
        """Return the kept issues in report order."""
        self._prune()
        return self._issues

    def dropped_issue(self, source: str | None) -> Issue | None:
        """Return the final issue that counts the issues not listed, or None."""
        count = sum(self.dropped.values())
        if not count:
            return None
        severity = next(s for s in Severity if self.dropped[s])  # the worst dropped
        parts = [(self.dropped[s], s) for s in Severity if self.dropped[s]]
        english = ", ".join(f"{n} {_SEVERITY_EN[s][n != 1]}" for n, s in parts)
        welsh = ", ".join(f"{n} {_SEVERITY_CY[s]}" for n, s in parts)
        return Issue(
            "report.truncated",
            severity,
            f"{count} more {'issue is' if count == 1 else 'issues are'} not listed "
            f"({english}): a report lists at most {self.cap} issues per document",
            f"Nid yw {count} mater arall wedi'u rhestru ({welsh}): mae adroddiad yn rhestru "
            f"{self.cap} mater ar y mwyaf ym mhob dogfen",
            source=source,
        )


#: (singular, plural) of each severity, and its Welsh (Welsh counts take the singular).
_SEVERITY_EN = {
    Severity.ERROR: ("error", "errors"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.INFO: ("note", "notes"),
}
_SEVERITY_CY = {Severity.ERROR: "gwall", Severity.WARNING: "rhybudd", Severity.INFO: "nodyn"}


__all__ = [
    "ALL_CHECKS",
    "RDF_KIND",
    "STREAM_THRESHOLD",
    "Options",
    "State",
    "check_kind",
    "check_tree",
    "detect",
    "input_issue",
    "iter_document",
    "make_options",
    "run",
]
