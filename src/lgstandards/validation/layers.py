"""The validation layers after parsing, shared by whole-document and streaming modes.

Each function yields issues for one layer: references to external schemas, the
declared ``SchemaVersion``, business rules (Schematron and Python) and vocabulary
cross-checks. XSD is in :mod:`lgstandards.validation.xsd`. :func:`check_kind` runs them
all on a parsed document of a known kind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, Any

from lgstandards._xmlvalues import string_value
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.artefacts.schemas import code_fields, lexical_fields, schema_for
from lgstandards.report import Issue, Severity
from lgstandards.validation.paths import PathMaker
from lgstandards.validation.xsd import (
    Screened,
    lexical_issues,
    screened_issues,
    skipped_records,
    validate_element,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

    from lxml import etree

    from lgstandards.validation.columns import SourceLines
    from lgstandards.validation.core import Options
    from lgstandards.validation.profile import Profile
    from lgstandards.validation.vocabcheck import ListLookup, Lookup

XSI = "http://www.w3.org/2001/XMLSchema-instance"
#: The attributes of schema-location hints.
LOCATIONS = (f"{{{XSI}}}schemaLocation", f"{{{XSI}}}noNamespaceSchemaLocation")
#: Elements whose value dates a message (the first found wins).
DATE_ELEMENTS = ("Created", "GatewayTimestamp", "Timestamp")

#: Order of layers in a report: parse, XSD, rules, vocabulary, then anything else.
LAYER_RANK = {"io": 0, "xml": 0, "xsd": 1, "rule": 2, "vocab": 3, "rdf": 0, "shacl": 1}


def layer_rank(issue: Issue) -> int:
    """Return the rank of an issue's layer in a report (:data:`LAYER_RANK`; others last)."""
    return LAYER_RANK.get(issue.code.split(".", 1)[0], 4)


def sort_key(issue: Issue) -> tuple[int, int, int, str, str]:
    """Sort issues by layer, then by position in the document."""
    return (layer_rank(issue), issue.line or 0, issue.column or 0, issue.path or "", issue.code)


def schema_locations(element: etree._Element, *, source: str | None) -> Iterator[Issue]:
    """Report ``xsi:schemaLocation`` hints on one element; they are never followed."""
    for attribute in LOCATIONS:
        value = element.get(attribute)
        if value is None:
            continue
        words = value.split()
        locations = words[1::2] if attribute.endswith("}schemaLocation") else words
        remote = any(
            ("://" in w and not w.startswith("file:")) or w.startswith("//") for w in locations
        )
        name = "xsi:" + attribute.rpartition("}")[2]
        if remote:
            yield Issue(
                "xml.external-reference",
                Severity.WARNING,
                f"{name} points to a schema on the network; it is not fetched, the bundled "
                "schema is used",
                f"Mae {name} yn pwyntio at sgema ar y rhwydwaith; nid yw'n cael ei nôl, "
                "defnyddir y sgema sydd wedi'i chynnwys",
                source=source,
                line=element.sourceline,
            )
        else:
            yield Issue(
                "xml.schema-location-ignored",
                Severity.INFO,
                f"{name} is ignored; the bundled schema is used",
                f"Anwybyddir {name}; defnyddir y sgema sydd wedi'i chynnwys",
                source=source,
                line=element.sourceline,
            )


def all_schema_locations(root: etree._Element, *, source: str | None) -> Iterator[Issue]:
    """Report schema-location hints anywhere in a document."""
    found = root.xpath(
        "descendant-or-self::*[@xsi:schemaLocation or @xsi:noNamespaceSchemaLocation]",
        namespaces={"xsi": XSI},
    )
    if isinstance(found, list):
        for element in found:
            yield from schema_locations(element, source=source)


def version_issues(
    root: etree._Element, spec: KindSpec, *, source: str | None, paths: PathMaker
) -> Iterator[Issue]:
    """Report a ``SchemaVersion`` this release does not support (a missing one is XSD's)."""
    declared = root.get("SchemaVersion")
    if declared is None or not spec.versions or declared in spec.versions:
        return
    known = ", ".join(sorted(spec.versions))
    yield Issue(
        "xml.unsupported-version",
        Severity.ERROR,
        f"SchemaVersion {declared!r} is not supported for {spec.root}; supported: {known}",
        f"Nid yw SchemaVersion {declared!r} yn cael ei gefnogi ar gyfer {spec.root}; "
        f"cefnogir: {known}",
        source=source,
        line=root.sourceline,
        path=paths.path(root),
    )


def failure(step: str, exc: BaseException, *, source: str | None) -> Issue:
    """Return the issue for a validation step that raised (a bug, not the document's fault)."""
    import traceback  # only a bug needs it (start-up)

    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return Issue(
        "xml.check-failed",
        Severity.ERROR,
        f"the {step} step failed on this document",
        f"methodd y cam {step} ar y ddogfen hon",
        source=source,
        detail=detail,
    )


def rule_issues(
    spec: KindSpec,
    tree: Any,
    *,
    source: str | None,
    paths: PathMaker,
    exclude: frozenset[str] = frozenset(),
    data: bytes | None = None,
    profile: Profile | None = None,
    whole: Any = None,
) -> Iterator[Issue]:
    """Run the kind's Schematron and Python rules on a (part of a) document.

    ``data``, the whole document's bytes, lets rules with a screen skip documents
    where they cannot fire; ``profile`` goes to the rules that read it; ``whole``, the
    whole document's root when ``tree`` is a part of it (an envelope without its body),
    goes to the rules registered to read it whole.

    The rules of a kind with a record element (a batch) share what they read of its
    records (:func:`lgstandards.rules.screens.sharing`): they all run before the first
    issue is given.
    """
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    found = _rule_issues(
        spec,
        root,
        source=source,
        paths=paths,
        exclude=exclude,
        data=data,
        profile=profile,
        whole=whole,
    )
    if spec.record_tag is None:
        yield from found
        return
    from lgstandards.rules.screens import sharing

    with sharing(root):
        issues = list(found)
    yield from issues


def _rule_issues(
    spec: KindSpec,
    root: Any,
    *,
    source: str | None,
    paths: PathMaker,
    exclude: frozenset[str],
    data: bytes | None,
    profile: Profile | None,
    whole: Any,
) -> Iterator[Issue]:
    """Run the rules of :func:`rule_issues` on ``root``, yielding their issues."""
    doc = root.getroottree()
    if spec.rules_file is not None and spec.rules_file.is_file():
        try:
            from lgstandards.rules.schematron import compiled
            from lgstandards.validation.svrl import run_located

            rules = compiled(spec.rules_file)
            frequent = frozenset({spec.record_tag}) if spec.record_tag else frozenset()
            # every path made by the validator's maker (its prefixes, record positions)
            found = run_located(rules, doc, source=source, frequent=frequent, paths=paths)
        except Exception as exc:
            yield failure("Schematron", exc, source=source)
        else:
            yield from (issue for issue, _ in found if issue.code not in exclude)
    if spec.python_rules:
        from lgstandards.rules import rules_for

        for rule in rules_for(spec.kind):
            if rule.code in exclude:
                continue
            target = whole if rule.whole and whole is not None else root
            try:
                issues = list(
                    rule.run(target, source=source, data=data, paths=paths, profile=profile)
                )
            except Exception as exc:
                yield failure(f"rule {rule.id}", exc, source=source)
                continue
            yield from issues


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
    screened: Callable[[], Screened | None] | None = None,
    made: dict[str, etree._Element] | None = None,
) -> Iterator[Issue]:
    """Run the layers of a known kind on a parsed document: version, XSD, rules, vocabulary.

    ``skip``: elements whose XSD errors are left out (validated on their own);
    ``part``: the element the Python rules and vocabulary cross-checks look at when not
    the whole document (an envelope without its body). ``lines``: the document's source
    lines, for columns. ``screened``: waits for what screening the document with its
    schema found (used when its schema is the kind's); the business rules run first,
    while the screen runs in another thread. ``made``: gets the paths made with their
    elements (:class:`~lgstandards.validation.paths.PathMaker`).
    """
    root = tree.getroot()
    paths = PathMaker(options.profile.prefixes, spec.record_tag, made=made)
    rules_found: list[Issue] | None = None
    screen: Screened | None = None
    if screened is not None:
        if "rules" in options.checks:
            rules_found = list(
                _rule_layer(tree, spec, options, name=name, hint=hint, part=part, paths=paths)
            )
        screen = screened()
    yield from version_issues(root, spec, source=name, paths=paths)
    failed: set[str] = set()
    if "xsd" in options.checks:
        try:
            schema = schema_for(spec)
        except Exception as exc:
            yield failure("XSD", exc, source=name)
        else:
            found: Iterator[Issue]
            if screen is not None and screen.schema is schema and not skip:
                found = screened_issues(
                    screen, spec, tree, paths=paths, source=name, lines=lines, data=hint
                )
            else:
                found = validate_element(
                    schema, tree, context=root, paths=paths, source=name, skip=skip, lines=lines
                )
            misplaced: list[str] = []  # the paths of elements out of place
            for issue in found:
                failed.add(issue.path or "")
                if issue.code == "xsd.unexpected-element" and issue.path:
                    misplaced.append(issue.path)
                yield issue
            for issue in skipped_records(
                misplaced, root, spec, paths=paths, source=name, lines=lines
            ):
                failed.add(issue.path or "")
                yield issue
            if spec.schema_file is not None:
                for issue in lexical_issues(
                    root,
                    lexical_fields(spec.schema_file),
                    paths=paths,
                    source=name,
                    skip=skip or (),
                ):
                    if issue.path not in failed:
                        failed.add(issue.path or "")
                        yield issue
    if rules_found is not None:
        yield from rules_found
    elif "rules" in options.checks:
        yield from _rule_layer(tree, spec, options, name=name, hint=hint, part=part, paths=paths)
    fields: Mapping[str, str] = {}
    if "vocab" in options.checks and spec.schema_file is not None:
        fields = code_fields(spec.schema_file)
    if fields:  # a kind with code fields (only then the vocabulary checks are imported)
        scope = root if part is None else part
        as_of = options.as_of or find_date(islice(scope.iter(), 200))
        for issue in vocab_issues(scope, fields, as_of=as_of, source=name, paths=paths):
            if issue.path not in failed:  # a value the schema refused is reported once
                yield issue


def _rule_layer(
    tree: etree._ElementTree,
    spec: KindSpec,
    options: Options,
    *,
    name: str | None,
    hint: bytes | None,
    part: etree._Element | None,
    paths: PathMaker,
) -> Iterator[Issue]:
    """Run the business rules of :func:`check_kind` (``part``: see there)."""
    runs: list[tuple[KindSpec, Any]] = [(spec, tree)]
    if part is not None:  # the Schematron on the whole envelope, the Python rules on part
        schematron, python = replace(spec, python_rules=False), replace(spec, rules_file=None)
        runs = [(schematron, tree), (python, part)]
    for kind, scope in runs:
        yield from rule_issues(
            kind,
            scope,
            source=name,
            paths=paths,
            data=hint,
            profile=options.profile,
            whole=tree.getroot() if part is not None else None,
        )


def find_date(elements: Iterable[etree._Element]) -> dt.date | None:
    """Return the date of the first dating element (``Created`` ...) among ``elements``."""
    from lgstandards.validation.vocabcheck import document_date

    for element in elements:
        tag = element.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] in DATE_ELEMENTS:
            found = document_date(string_value(element))
            if found is not None:
                return found
    return None


@lru_cache(maxsize=64)
def lookups(as_of: dt.date | None) -> dict[str, ListLookup]:
    """Return the LGSL and LGIL look-ups in force at ``as_of``."""
    from lgstandards.validation.vocabcheck import lookup_for

    return {"lgsl": lookup_for("lgsl", as_of), "lgil": lookup_for("lgil", as_of)}


def vocab_issues(
    root: etree._Element,
    fields: Mapping[str, str],
    *,
    as_of: dt.date | None,
    source: str | None,
    paths: PathMaker,
    noticed: set[str] | None = None,
) -> Iterator[Issue]:
    """Cross-check every LGSL/LGIL code under ``root`` (inclusive).

    When the document's date is before the first version of a list, the first code of
    that list found yields a notice naming the version used (:func:`version_notice`).
    ``noticed`` holds the lists already noticed in this document (streaming mode calls
    this function many times per document and passes one set); None: a new set.
    """
    if not fields:
        return
    from lgstandards.validation.vocabcheck import check_code

    tables = lookups(as_of)
    noticed = set() if noticed is None else noticed
    element_fields = {k: v for k, v in fields.items() if not k.startswith("@")}
    attribute_fields = {k[1:]: v for k, v in fields.items() if k.startswith("@")}
    if element_fields:
        for element in root.iter(*element_fields):
            list_name = element_fields[str(element.tag)]
            if list_name not in noticed:
                yield from _notice(tables[list_name], list_name, noticed, source)
            for issue in check_code(
                string_value(element), list_name, lookup=tables[list_name], source=source
            ):
                yield replace(issue, line=element.sourceline, path=paths.path(element))
    if attribute_fields:
        for element in root.iter():
            for name, list_name in attribute_fields.items():
                value = element.get(name)
                if value is None:
                    continue
                if list_name not in noticed:
                    yield from _notice(tables[list_name], list_name, noticed, source)
                for issue in check_code(value, list_name, lookup=tables[list_name], source=source):
                    path = f"{paths.path(element)}/@{name}"
                    yield replace(issue, line=element.sourceline, path=path)


def _notice(
    lookup: Lookup, list_name: str, noticed: set[str], source: str | None
) -> Iterator[Issue]:
    from lgstandards.validation.vocabcheck import ListVersion, version_notice

    noticed.add(list_name)
    version = getattr(lookup, "version", None)
    if isinstance(version, ListVersion):
        notice = version_notice(version, source=source)
        if notice is not None:
            yield notice


__all__ = [
    "DATE_ELEMENTS",
    "LAYER_RANK",
    "LOCATIONS",
    "all_schema_locations",
    "check_kind",
    "failure",
    "find_date",
    "layer_rank",
    "lookups",
    "rule_issues",
    "schema_locations",
    "sort_key",
    "version_issues",
    "vocab_issues",
]
