"""SKOS quality checks: :func:`check_vocabulary` returns a :class:`ValidationReport`.

The checks run in plain Python over indexed triples (see :mod:`._graph`), so a
100,000-concept vocabulary checks in seconds. Each finding has a stable code from
:mod:`lgstandards.codes._skos`, the concept IRI in ``path`` and the file in
``source``. ``schemas/shapes/skos-profile.ttl`` expresses the same profile in SHACL.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from lgstandards.codes import get as get_code
from lgstandards.exceptions import DocumentParseError
from lgstandards.publish._graph import (
    DCT_REPLACED_BY,
    OWL_DEPRECATED,
    SKOS,
    SKOS_CONCEPT,
    SKOS_SCHEME,
    Lit,
    Triples,
    format_for,
    load,
    parse_bytes,
)
from lgstandards.report import Issue, ValidationReport
from lgstandards.safexml import DEFAULT_LIMITS, Limits, XMLInputError, read_bytes
from lgstandards.validation.core import input_issue

PREF = SKOS + "prefLabel"
ALT = SKOS + "altLabel"
HIDDEN = SKOS + "hiddenLabel"
NOTATION = SKOS + "notation"
BROADER = SKOS + "broader"
NARROWER = SKOS + "narrower"
RELATED = SKOS + "related"
IN_SCHEME = SKOS + "inScheme"
TOP_OF = SKOS + "topConceptOf"
HAS_TOP = SKOS + "hasTopConcept"
CHANGE_NOTE = SKOS + "changeNote"

#: The predicates the checks read; the others are not indexed.
NEEDED = frozenset(
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        *(SKOS + p for p in ("prefLabel", "altLabel", "hiddenLabel", "notation", "broader")),
        *(SKOS + p for p in ("narrower", "related", "inScheme", "topConceptOf")),
        *(SKOS + p for p in ("hasTopConcept", "changeNote")),
        DCT_REPLACED_BY,
        OWL_DEPRECATED,
    }
)

LABELS = ((PREF, "skos:prefLabel"), (ALT, "skos:altLabel"), (HIDDEN, "skos:hiddenLabel"))
RELATIONS = (
    (BROADER, "skos:broader"),
    (NARROWER, "skos:narrower"),
    (RELATED, "skos:related"),
    (DCT_REPLACED_BY, "dct:isReplacedBy"),
)


_NONE: dict[Any, None] = {}


class _Index:
    """The relations the checks need, with inverses resolved, built once."""

    def __init__(self, triples: Triples) -> None:
        self.t = triples
        self.concepts = triples.subjects_of_type(SKOS_CONCEPT)
        self.concept_set = set(self.concepts)
        self.schemes = triples.subjects_of_type(SKOS_SCHEME)
        self.in_scheme: dict[str, set[str]] = defaultdict(set)
        self.top: set[str] = set()
        self.broader: dict[str, set[str]] = defaultdict(set)
        self.narrower: dict[str, set[str]] = defaultdict(set)
        self.related: dict[str, set[str]] = defaultdict(set)
        self.replaced_by: dict[str, list[str]] = {}
        self.deprecated: set[str] = set()
        for subject, props in triples.spo.items():
            objects = props.get(IN_SCHEME)
            if objects:
                for scheme in objects:
                    if isinstance(scheme, str):
                        self.in_scheme[subject].add(scheme)
            objects = props.get(TOP_OF)
            if objects:
                for scheme in objects:
                    if isinstance(scheme, str):
                        self.in_scheme[subject].add(scheme)
                        self.top.add(subject)
            objects = props.get(HAS_TOP)
            if objects:
                for concept in objects:
                    if isinstance(concept, str):
                        self.in_scheme[concept].add(subject)
                        self.top.add(concept)
            objects = props.get(BROADER)
            if objects:
                for parent in objects:
                    if isinstance(parent, str):
                        self.broader[subject].add(parent)
                        self.narrower[parent].add(subject)
            objects = props.get(NARROWER)
            if objects:
                for child in objects:
                    if isinstance(child, str):
                        self.broader[child].add(subject)
                        self.narrower[subject].add(child)
            objects = props.get(RELATED)
            if objects:
                for other in objects:
                    if isinstance(other, str):
                        self.related[subject].add(other)
                        self.related[other].add(subject)
            objects = props.get(DCT_REPLACED_BY)
            if objects:
                replacements = [o for o in objects if isinstance(o, str)]
                if replacements:
                    self.replaced_by[subject] = sorted(replacements)
            objects = props.get(OWL_DEPRECATED)
            if objects and any(isinstance(o, Lit) and o.is_true() for o in objects):
                self.deprecated.add(subject)


def _cycles(edges: dict[str, Any]) -> list[list[str]]:
    """Return the cycles of a directed graph: strongly connected components that loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges.get(root, ())))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(sorted(component))
    return sorted(found)


class _Checker:
    def __init__(self, triples: Triples, source: str | None) -> None:
        self.ix = _Index(triples)
        self.t = triples
        self.source = source

    def issue(self, code: str, node: str, message: str, prop: str | None = None) -> Issue:
        entry = get_code(code)
        return Issue(
            code=code,
            severity=entry.severity,
            message=message,
            source=self.source,
            path=node,
            detail=f"property {prop}" if prop else None,
        )

    def run(self) -> Iterator[Issue]:
        if not self.ix.concepts:
            yield Issue(
                "skos.no-concepts",
                get_code("skos.no-concepts").severity,
                "no skos:Concept found",
                source=self.source,
            )
            return
        yield from self.labels()
        yield from self.overlapping_labels()
        yield from self.schemes_and_orphans()
        yield from self.hierarchy()
        yield from self.notations()
        yield from self.undefined()
        yield from self.deprecation()

    def labels(self) -> Iterator[Issue]:
        spo = self.t.spo
        for c in self.ix.concepts:
            props = spo[c]
            prefs = [o for o in props.get(PREF, _NONE) if type(o) is Lit]
            if not prefs:
                yield self.issue(
                    "skos.missing-preflabel", c, "concept has no preferred label", "skos:prefLabel"
                )
            by_lang: dict[str | None, list[str]] = defaultdict(list)
            for label in prefs:
                by_lang[label.lang].append(label.value)
                if not label.value.strip():
                    yield self.issue(
                        "skos.empty-preflabel",
                        c,
                        "concept has an empty preferred label",
                        "skos:prefLabel",
                    )
            if len(prefs) > 1:
                for lang, values in sorted(by_lang.items(), key=lambda kv: kv[0] or ""):
                    if len(values) > 1:
                        shown = ", ".join(repr(v) for v in sorted(values))
                        yield self.issue(
                            "skos.inconsistent-preflabels",
                            c,
                            f"concept has {len(values)} preferred labels in language "
                            f"{lang or '(none)'}: {shown}",
                            "skos:prefLabel",
                        )
            labelled = [(label, "skos:prefLabel") for label in prefs]
            if ALT in props or HIDDEN in props:
                pref_keys = {(label.value, label.lang) for label in prefs}
                for prop, name in LABELS[1:]:
                    for label in props.get(prop, _NONE):
                        if type(label) is not Lit:
                            continue
                        labelled.append((label, name))
                        if (label.value, label.lang) in pref_keys:
                            yield self.issue(
                                "skos.disjoint-labels",
                                c,
                                f"{label.value!r} is both skos:prefLabel and {name}",
                                name,
                            )
            for label, name in labelled:
                value = label.value
                if value and value != " ".join(value.split()):
                    yield self.issue(
                        "skos.label-whitespace",
                        c,
                        f"{name} {value!r} has stray whitespace",
                        name,
                    )
                if label.lang is None:
                    yield self.issue(
                        "skos.missing-language-tag",
                        c,
                        f"{name} {value!r} has no language tag",
                        name,
                    )

    def overlapping_labels(self) -> Iterator[Issue]:
        groups: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
        spo = self.t.spo
        for c in self.ix.concepts:
            schemes = self.ix.in_scheme.get(c, ())
            for label in spo[c].get(PREF, _NONE):
                if type(label) is Lit and label.value.strip():
                    for scheme in schemes:
                        groups[(label.value, label.lang, scheme)].append(c)
        reported: set[tuple[str, str]] = set()
        shared = [(key, members) for key, members in groups.items() if len(members) > 1]
        for (value, _lang, scheme), members in sorted(shared, key=lambda kv: kv[1]):
            for c in members:
                if (c, value) in reported:
                    continue
                reported.add((c, value))
                others = ", ".join(m for m in members if m != c)
                yield self.issue(
                    "skos.overlapping-labels",
                    c,
                    f"concept shares the preferred label {value!r} with {others} in {scheme}",
                    "skos:prefLabel",
                )

    def schemes_and_orphans(self) -> Iterator[Issue]:
        ix = self.ix
        for c in ix.concepts:
            if not ix.in_scheme.get(c):
                yield self.issue(
                    "skos.not-in-scheme", c, "concept is in no concept scheme", "skos:inScheme"
                )
            if (
                c not in ix.top
                and not ix.broader.get(c)
                and not ix.narrower.get(c)
                and not ix.related.get(c)
            ):
                yield self.issue(
                    "skos.orphan-concept",
                    c,
                    "concept has no broader, narrower or related concept and is not a top concept",
                )

    def hierarchy(self) -> Iterator[Issue]:
        ix = self.ix
        for cycle in _cycles(ix.broader):
            shown = " -> ".join([*cycle, cycle[0]]) if len(cycle) > 1 else f"{cycle[0]} itself"
            for c in cycle:
                yield self.issue(
                    "skos.cyclic-hierarchy",
                    c,
                    f"concept is in a cycle of broader relations: {shown}",
                    "skos:broader",
                )
        for c in ix.concepts:
            broader = ix.broader.get(c, set())
            clash = broader & ix.related.get(c, set())
            for other in sorted(clash):
                yield self.issue(
                    "skos.relation-clash",
                    c,
                    f"concept has {other} both as broader and as related concept",
                    "skos:related",
                )
            if c in ix.top and broader:
                yield self.issue(
                    "skos.top-concept-has-broader",
                    c,
                    f"concept is a top concept but has broader {', '.join(sorted(broader))}",
                    "skos:broader",
                )

    def notations(self) -> Iterator[Issue]:
        groups: dict[tuple[str, str | None, str], list[str]] = defaultdict(list)
        spo = self.t.spo
        for c in self.ix.concepts:
            notations = [n for n in spo[c].get(NOTATION, _NONE) if type(n) is Lit]
            if not notations:
                yield self.issue(
                    "skos.missing-notation", c, "concept has no notation (code)", "skos:notation"
                )
            for scheme in self.ix.in_scheme.get(c, ()):
                for notation in notations:
                    groups[(notation.value, notation.datatype, scheme)].append(c)
        for (value, _datatype, scheme), members in groups.items():
            if len(members) > 1:
                for c in members:
                    others = ", ".join(m for m in members if m != c)
                    yield self.issue(
                        "skos.duplicate-notation",
                        c,
                        f"concept shares the notation {value!r} with {others} in {scheme}",
                        "skos:notation",
                    )

    def undefined(self) -> Iterator[Issue]:
        known = self.ix.concept_set
        spo = self.t.spo
        schemes = set(self.ix.schemes)
        for c in [*self.ix.concepts, *self.ix.schemes]:
            props = spo[c]
            relations = ((HAS_TOP, "skos:hasTopConcept"),) if c in schemes else RELATIONS
            for prop, name in relations:
                for target in props.get(prop, _NONE):
                    if isinstance(target, str) and target not in known:
                        yield self.issue(
                            "skos.undefined-concept",
                            c,
                            f"{name} points to {target}, which is not a concept of this vocabulary",
                            name,
                        )

    def deprecation(self) -> Iterator[Issue]:
        ix = self.ix
        replaced_by = ix.replaced_by
        targets: dict[str, list[str]] = defaultdict(list)
        for c, replacements in replaced_by.items():
            for r in replacements:
                targets[r].append(c)
        loops = {c: cycle for cycle in _cycles(replaced_by) for c in cycle}
        for c in ix.concepts:
            deprecated = c in ix.deprecated
            if deprecated and not self.t.literals(c, CHANGE_NOTE):
                yield self.issue(
                    "skos.deprecated-without-reason",
                    c,
                    "concept is deprecated but has no skos:changeNote with the date and reason",
                    "skos:changeNote",
                )
            if c in replaced_by and not deprecated:
                yield self.issue(
                    "skos.replaced-not-deprecated",
                    c,
                    f"not deprecated but has dct:isReplacedBy {', '.join(replaced_by[c])}",
                    "owl:deprecated",
                )
            if c in loops:
                yield self.issue(
                    "skos.replacement-cycle",
                    c,
                    "concept is in a loop of replacements: "
                    + " -> ".join([*loops[c], loops[c][0]]),
                    "dct:isReplacedBy",
                )
            if c in replaced_by:
                ends = sorted(e for e in _chain_ends(c, replaced_by) if e in ix.deprecated)
                if ends:
                    yield self.issue(
                        "skos.replacement-deprecated",
                        c,
                        f"the replacements of the concept end in deprecated {', '.join(ends)}, "
                        "which has no replacement",
                        "dct:isReplacedBy",
                    )
            if deprecated and c in targets:
                yield self.issue(
                    "skos.deprecated-replacement",
                    c,
                    f"concept is deprecated but named as the replacement of "
                    f"{', '.join(sorted(targets[c]))}",
                    "dct:isReplacedBy",
                )


def _chain_ends(start: str, replaced_by: dict[str, list[str]]) -> set[str]:
    """Return the concepts without a replacement reachable from ``start`` by replacements."""
    seen = {start}
    todo = list(replaced_by.get(start, ()))
    ends: set[str] = set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        nxt = replaced_by.get(node)
        if nxt:
            todo.extend(nxt)
        else:
            ends.add(node)
    return ends


def iter_vocabulary_issues(
    source: Any,
    *,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Iterator[Issue]:
    """Yield the quality issues of a SKOS vocabulary (see :func:`check_vocabulary`)."""
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        fmt_name = format_for(path, fmt)
        try:
            data = read_bytes(path, limits=limits)
        except XMLInputError as exc:
            if exc.code != "xml.too-large":  # missing, unreadable, or not a regular file
                cause = exc.__cause__
                raise cause if isinstance(cause, OSError) else OSError(exc.message) from exc
            yield input_issue(exc, str(path))
            return
        try:
            triples = parse_bytes(data, fmt_name, source=str(path), keep=NEEDED)
        except DocumentParseError as exc:
            yield Issue(
                "skos.syntax-error",
                get_code("skos.syntax-error").severity,
                str(exc),
                source=str(path),
            )
            return
    else:
        triples = load(source, fmt=fmt, keep=NEEDED)
    yield from _Checker(triples, name or triples.source).run()


def check_vocabulary(
    source: Any,
    *,
    fmt: str | None = None,
    name: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ValidationReport:
    """Check a SKOS vocabulary and return a report of its quality issues.

    ``source`` is a file path (Turtle, RDF/XML, JSON-LD, N-Triples ..., format from
    the extension or ``fmt``), an rdflib graph, a pyoxigraph store or parsed quads.
    A file with bad syntax gives one ``skos.syntax-error``; a file that cannot be
    read raises ``OSError``; an unknown format raises ``DocumentParseError``. ``name``
    is the ``source`` given in the issues (default: the file path). A file larger than
    ``limits.max_bytes`` is not read past that size: it gives one ``xml.too-large``.
    """
    if name is None and isinstance(source, (str, os.PathLike)):
        name = str(source)
    report = ValidationReport(source=name, kind="skos")
    report.extend(iter_vocabulary_issues(source, fmt=fmt, name=name, limits=limits))
    return report


def issues_by_concept(issues: Iterable[Issue]) -> set[tuple[str, str]]:
    """Return the ``(code, concept)`` pairs of ``issues``: handy to compare two checkers."""
    return {(i.code, i.path or "") for i in issues}


__all__ = ["check_vocabulary", "issues_by_concept", "iter_vocabulary_issues"]
