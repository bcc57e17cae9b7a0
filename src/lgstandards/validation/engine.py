"""The validator: route a document to its engine and gather the issues into one report.

A document is opened once (:class:`~lgstandards.validation.input.Document`): its syntax,
size and first bytes choose the engine. Whole-document mode (here) parses once with
the safe parser and runs XSD, rules and vocabulary cross-checks on the tree.
Streaming mode (:mod:`.stream`) handles batch files record by record. RDF documents
go to :mod:`.rdf`. The engines share :mod:`.core` and never import each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import suppress
from typing import TYPE_CHECKING

from lgstandards._threads import begin, helper_pool
from lgstandards.artefacts.kinds import RDF_KIND
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.safexml import (
    Limits,
    Source,
    XMLInputError,
    ascii_compatible,
    parse_checked,
    screen_bytes,
)
from lgstandards.validation import layers
from lgstandards.validation.columns import DocumentLines, whole_document
from lgstandards.validation.core import (
    Options,
    State,
    detect,
    input_issue,
    make_options,
    unknown_kind,
)
from lgstandards.validation.input import XML, Document
from lgstandards.validation.layers import check_kind
from lgstandards.validation.xsd import Screened, screen_schema, screen_tree

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.artefacts.kinds import KindSpec

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def iter_document(
    source: Source, options: Options, name: str | None = None, state: State | None = None
) -> Iterator[Issue]:
    """Validate one document, yielding issues as each layer finds them (unsorted)."""
    document = Document.open(source, name=name, limits=options.limits, kind=options.kind)
    with document:
        yield from iter_input(document, options, State() if state is None else state)


def iter_input(
    document: Document,
    options: Options,
    state: State,
    *,
    unlisted: Callable[[Issue], bool] | None = None,
) -> Iterator[Issue]:
    """Validate an opened document with the engine its syntax, size and kind choose.

    ``unlisted`` tells the issues that the report will not list (no exact line is
    looked for them).
    """
    name = document.name
    if document.syntax != XML:
        state.kind = RDF_KIND
        try:
            data = document.read_all(options.limits)
        except XMLInputError as exc:
            yield input_issue(exc, name)
            return
        from lgstandards.validation.rdf import iter_rdf  # RDF's stack loads only for RDF

        yield from iter_rdf(data, options, name=name, syntax=document.syntax)
        return
    spec = document.stream_spec(options)
    if spec is not None:
        from lgstandards.validation.stream import iter_stream  # loads only when streaming

        yield from iter_stream(document, spec, options, state=state, check_tree=check_tree)
        return
    screened: Callable[[], Screened | None] | None = None
    try:
        data = document.read_all(options.limits)  # the size limit first, then the prolog
        document.check_prolog()
        screen = _screen(document, options, len(data))
        tree = parse_checked(data, limits=options.limits, name=name)
        if screen is not None:  # in the helper thread, while the rules run (check_kind)
            spec, schema = screen
            screened = begin(helper_pool(), _screened, spec, schema, tree, data, options.limits)
    except XMLInputError as exc:
        yield input_issue(exc, name)
        return
    try:
        yield from _checked(tree, data, options, state, name, screened, unlisted)
    finally:
        if screened is not None:  # ended before the tree can go (its error: check_kind's)
            with suppress(Exception):
                screened()


def _checked(
    tree: etree._ElementTree,
    data: bytes,
    options: Options,
    state: State,
    name: str | None,
    screened: Callable[[], Screened | None] | None,
    unlisted: Callable[[Issue], bool] | None,
) -> Iterator[Issue]:
    """Run the layers on a parsed document (see :func:`iter_input`)."""
    root = tree.getroot()
    if root.tag == f"{{{RDF_NS}}}RDF" and options.kind in (None, RDF_KIND):
        state.kind = RDF_KIND
        from lgstandards.validation.rdf import iter_rdf

        yield from iter_rdf(data, options, name=name, syntax="rdf/xml")
        return
    state.tree = tree
    made: dict[str, etree._Element] = {}  # the issues' paths with their elements
    found = check_tree(
        tree, options, name=name, state=state, hint=data, screened=screened, made=made
    )
    # exact lines past libxml2's 65,535
    yield from whole_document(
        found, tree, data, prefixes=options.profile.prefixes, unlisted=unlisted, made=made
    )


def _screened(
    spec: KindSpec, schema: etree.XMLSchema, tree: etree._ElementTree, data: bytes, limits: Limits
) -> Screened | None:
    """Screen a parsed batch with ``schema``: its tree, else its bytes; None if neither can.

    (None too if its bytes cannot be read as the tree was: the XSD layer then validates
    the tree as a whole.)
    """
    found = screen_tree(spec, schema, tree)
    if found is None:
        try:
            errors = screen_bytes(data, schema, limits=limits)
        except XMLInputError:
            return None
        found = None if errors is None else Screened(schema, errors)
    return found


def _screen(
    document: Document, options: Options, size: int
) -> tuple[KindSpec, etree.XMLSchema] | None:
    """Return the kind and schema to screen the document (``size`` bytes) with, once parsed.

    A large batch (see :func:`~lgstandards.validation.xsd.screen_schema`) whose kind its
    first bytes tell, when the XSD check runs; None for any other document. Its tree is
    validated at once, each error with its element (:func:`.xsd.screen_tree`), else its
    bytes are screened (``safexml.screen_bytes``).
    """
    if "xsd" not in options.checks:
        return None
    profile = options.profile
    if options.kind is not None:
        spec = profile.spec_for_kind(options.kind)
    else:
        found = document.root
        spec = profile.spec_for_root(*found) if found is not None else None
    if spec is None:
        return None
    try:
        schema = screen_schema(spec, size)
    except Exception:  # the XSD layer reports a schema that cannot be compiled
        return None
    return None if schema is None else (spec, schema)


def check_tree(
    tree: etree._ElementTree,
    options: Options,
    *,
    name: str | None,
    state: State | None = None,
    hint: bytes | None = None,
    screened: Callable[[], Screened | None] | None = None,
    made: dict[str, etree._Element] | None = None,
) -> Iterator[Issue]:
    """Run every layer on a parsed document (``hint``: its bytes, to skip needless scans).

    An envelope (a kind with message classes) also gets its body validated on its own
    (:mod:`lgstandards.validation.govtalk`). ``screened``: waits for what screening the
    document with its schema found (see :func:`check_kind`); ``made``: where given,
    gets the issues' paths with their elements (see
    :class:`~lgstandards.validation.paths.PathMaker`).
    """
    root = tree.getroot()
    hints = hint is None or b"chemaLocation" in hint or not ascii_compatible(hint)
    spec = detect(root, options)
    if spec is not None and spec.body_classes:
        from lgstandards.validation.govtalk import check_envelope  # an envelope's only

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
        yield unknown_kind(root, source=name, profile=options.profile)
        return
    if state is not None:
        state.kind = spec.kind
    lines = DocumentLines(hint) if hint is not None else None
    yield from check_kind(
        tree, spec, options, name=name, hint=hint, lines=lines, screened=screened, made=made
    )


def run(source: Source, options: Options, name: str | None = None) -> ValidationReport:
    """Validate one document into a report, issues sorted by layer then position.

    The report lists at most ``options.limits.max_issues`` issues, the first in that
    order, and then one ``report.truncated`` issue counting the others.
    """
    return run_parsed(source, options, name)[0]


def run_parsed(
    source: Source, options: Options, name: str | None = None
) -> tuple[ValidationReport, etree._ElementTree | None]:
    """Validate one document as :func:`run` does; return its report and its parsed tree.

    The tree is the one the layers checked (read it, do not change it); None when the
    document was not parsed whole as XML (streamed, RDF, or unreadable: the report
    says so). An exchange reads its facts from it rather than parsing it again.
    """
    state = State(kind=options.kind)
    kept = _Kept(max(options.limits.max_issues, 0))
    fatal: Issue | None = None
    fatal_set: frozenset[str] | None = None  # read with the first issue (a valid one: never)
    document = Document.open(source, name=name, limits=options.limits, kind=options.kind)
    with document:
        for issue in iter_input(document, options, state, unlisted=kept.unlisted):
            if fatal_set is None:
                from lgstandards.codes import fatal_codes

                fatal_set = fatal_codes()
            if issue.code in fatal_set:
                fatal = fatal or issue
            elif fatal is None:
                kept.add(issue)
    name = document.name
    report = ValidationReport(source=name, kind=state.kind)
    if fatal is not None:  # as in whole-document mode: a document that cannot be parsed
        report.add(fatal)  # has one issue
        return report, None
    report.extend(kept.issues())
    more = kept.dropped_issue(name)
    if more is not None:
        report.add(more)
    return report, state.tree


class _Kept:
    """The ``cap`` first issues in report order, and a count of the others (bounded memory)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._issues: list[Issue] = []
        self.dropped: Counter[Severity] = Counter()
        self._ranks: Counter[int] = Counter()  # issues taken, by layer rank

    def add(self, issue: Issue) -> None:
        """Take one issue; past twice the cap, the last in report order are dropped."""
        self._ranks[layers.layer_rank(issue)] += 1
        self._issues.append(issue)
        if len(self._issues) >= 2 * self.cap + 1024:
            self._prune()

    def unlisted(self, issue: Issue) -> bool:
        """Tell whether ``issue`` will not be listed: ``cap`` issues of earlier layers are.

        Issues are listed by layer first: the ``cap`` first are then of earlier layers,
        whatever the issue's line.
        """
        rank = layers.layer_rank(issue)
        return sum(n for r, n in self._ranks.items() if r < rank) >= self.cap

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


#: Options, make_options and RDF_KIND are imported here by the command line; their homes
#: are :mod:`.core` and :mod:`.kinds`.
__all__ = [
    "RDF_KIND",
    "RDF_NS",
    "Options",
    "check_tree",
    "iter_document",
    "iter_input",
    "make_options",
    "run",
    "run_parsed",
]
