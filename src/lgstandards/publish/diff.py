"""Compare two SKOS vocabularies concept by concept: :func:`diff_vocabularies`.

The result, :class:`VocabularyDiff`, lists concepts added, deprecated,
un-deprecated, relabelled (per language), redefined, moved (broader changed),
notation changed, mappings changed, notes changed, removed and codes re-used, and
renders as text, JSON (shape below) and Markdown (the changelog entry of a release).
:meth:`VocabularyDiff.required_bump` applies the versioning rule: removing or
re-using a code is never allowed; new codes, deprecations, un-deprecations, moves
and mapping changes need a minor version; label, definition and note changes a patch.

JSON shape (``"format": 1``)::

    {"format": 1, "old": {"source": str|null, "version": str|null},
     "new": {...}, "bump": "major"|"minor"|"patch"|null, "forbidden": [str, ...],
     "summary": {"<change>": count, ...},
     "changes": {"<change>": [{"concept": iri, "notation": str|null,
                               "label": str|null, ...change fields}, ...]}}

Change kinds and their extra fields: ``added``, ``removed``, ``undeprecated`` (none);
``deprecated`` (``replaced_by``: [{concept, notation, label}], ``reason``: [str]);
``relabelled`` (``property``, ``lang``, ``old``: [str], ``new``: [str]); ``redefined``
(``lang``, ``old``, ``new``); ``moved`` and ``notation_changed`` (``old``, ``new``);
``mappings_changed`` (``property``, ``added``, ``removed``); ``notes_changed``
(``property``, ``old``, ``new``); ``reused`` (``reason``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from lgstandards.exceptions import PublishError
from lgstandards.publish._graph import (
    DCT,
    DCT_REPLACED_BY,
    OWL,
    OWL_DEPRECATED,
    SKOS,
    SKOS_CONCEPT,
    SKOS_SCHEME,
    Lit,
    Triples,
    curie,
    load,
)

Bump = Literal["major", "minor", "patch"]

MAPPING_PROPERTIES = tuple(
    SKOS + p
    for p in (
        "exactMatch",
        "closeMatch",
        "broadMatch",
        "narrowMatch",
        "relatedMatch",
        "mappingRelation",
    )
)
NOTE_PROPERTIES = tuple(
    SKOS + p for p in ("changeNote", "historyNote", "scopeNote", "editorialNote", "example", "note")
)
LABEL_PROPERTIES = (SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel")

#: The predicates the diff reads; the others are not indexed.
NEEDED = frozenset(
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        *LABEL_PROPERTIES,
        *MAPPING_PROPERTIES,
        *NOTE_PROPERTIES,
        *(SKOS + p for p in ("notation", "definition", "broader", "narrower")),
        DCT + "created",
        DCT_REPLACED_BY,
        OWL_DEPRECATED,
        OWL + "versionInfo",
    }
)

#: Change kinds in the order they are reported.
KINDS = (
    "removed",
    "reused",
    "notation_changed",
    "added",
    "deprecated",
    "undeprecated",
    "moved",
    "mappings_changed",
    "relabelled",
    "redefined",
    "notes_changed",
)
TITLES = {
    "removed": "Removed (not allowed)",
    "reused": "Codes re-used (not allowed)",
    "notation_changed": "Notation changed (not allowed)",
    "added": "Added",
    "deprecated": "Deprecated",
    "undeprecated": "Un-deprecated",
    "moved": "Moved",
    "mappings_changed": "Mappings changed",
    "relabelled": "Relabelled",
    "redefined": "Redefined",
    "notes_changed": "Notes changed",
}
FORBIDDEN = ("removed", "reused", "notation_changed")
MINOR = ("added", "deprecated", "undeprecated", "moved", "mappings_changed")
PATCH = ("relabelled", "redefined", "notes_changed")


@dataclass(frozen=True, slots=True)
class ConceptRef:
    """A concept named in a change: IRI, code (notation) and preferred label."""

    concept: str
    notation: str | None
    label: str | None

    def to_json(self) -> dict[str, Any]:
        """Return ``{"concept", "notation", "label"}``."""
        return {"concept": self.concept, "notation": self.notation, "label": self.label}

    def name(self) -> str:
        """Return ``code label`` (or the IRI when the concept has neither)."""
        parts = [p for p in (self.notation, self.label) if p]
        return " ".join(parts) if parts else self.concept


@dataclass(frozen=True, slots=True)
class Change:
    """One change to one concept; ``fields`` holds the kind's extra JSON fields."""

    kind: str
    ref: ConceptRef
    fields: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON object of the change."""
        return {**self.ref.to_json(), **self.fields}

    def describe(self) -> str:
        """Return a one-line English description (used by text and Markdown output)."""
        f = self.fields
        name = self.ref.name()
        if self.kind == "deprecated":
            text = f"{name} deprecated"
            if f["replaced_by"]:
                names = ", ".join(_ref_name(r) for r in f["replaced_by"])
                text += f", replaced by {names}"
            if f["reason"]:
                text += f": {' '.join(f['reason'])}"
            return text
        if self.kind == "relabelled":
            return (
                f"{name}: {f['property']}@{f['lang'] or '-'} {_show(f['old'])} -> {_show(f['new'])}"
            )
        if self.kind == "redefined":
            return f"{name}: definition@{f['lang'] or '-'} {_show(f['old'])} -> {_show(f['new'])}"
        if self.kind in ("moved", "notation_changed"):
            what = "broader" if self.kind == "moved" else "notation"
            return f"{name}: {what} {_show(f['old'])} -> {_show(f['new'])}"
        if self.kind == "mappings_changed":
            parts = [f"+{v}" for v in f["added"]] + [f"-{v}" for v in f["removed"]]
            return f"{name}: {f['property']} {' '.join(parts)}"
        if self.kind == "notes_changed":
            return f"{name}: {f['property']} changed"
        if self.kind == "reused":
            return f"{name}: {f['reason']}"
        return name


def _ref_name(ref: Mapping[str, Any]) -> str:
    parts = [p for p in (ref.get("notation"), ref.get("label")) if p]
    return " ".join(parts) if parts else str(ref["concept"])


def _show(values: Iterable[str]) -> str:
    items = list(values)
    if not items:
        return "(none)"
    return " | ".join(repr(v) for v in items)


def _natural(value: str | None) -> tuple[Any, ...]:
    """Sort key: runs of ASCII digits compare as numbers (by length, then digits)."""
    if value is None:
        return ((2, 0, ""),)
    key = []
    for part in re.split(r"([0-9]+)", value):
        if part[:1].isascii() and part[:1].isdigit():
            digits = part.lstrip("0") or "0"
            key.append((0, len(digits), digits))
        elif part:
            key.append((1, 0, part))
    return tuple(key)


@dataclass(slots=True)
class _Concept:
    iri: str
    notations: tuple[str, ...]
    labels: dict[tuple[str, str], tuple[str, ...]]  # (property, lang) -> values
    definitions: dict[str, tuple[str, ...]]
    broader: tuple[str, ...]
    deprecated: bool
    replaced_by: tuple[str, ...]
    mappings: dict[str, tuple[str, ...]]
    notes: dict[str, tuple[str, ...]]
    created: tuple[str, ...]

    def pref(self, lang: str = "en") -> str | None:
        values = self.labels.get((SKOS + "prefLabel", lang)) or next(
            (v for (p, _l), v in sorted(self.labels.items()) if p == SKOS + "prefLabel"), ()
        )
        return values[0] if values else None

    def ref(self) -> ConceptRef:
        return ConceptRef(self.iri, self.notations[0] if self.notations else None, self.pref())


def _by_lang(literals: Iterable[Lit]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for lit in literals:
        out.setdefault(lit.lang or "", []).append(lit.value)
    return {lang: tuple(sorted(values)) for lang, values in out.items()}


def _concept(iri: str, props: Mapping[str, Any], extra_broader: Iterable[str]) -> _Concept:
    labels: dict[tuple[str, str], tuple[str, ...]] = {}
    for prop in LABEL_PROPERTIES:
        for lang, values in _by_lang(o for o in props.get(prop, ()) if isinstance(o, Lit)).items():
            labels[(prop, lang)] = values
    broader = {o for o in props.get(SKOS + "broader", ()) if isinstance(o, str)}
    broader.update(extra_broader)
    return _Concept(
        iri=iri,
        notations=tuple(
            sorted({o.value for o in props.get(SKOS + "notation", ()) if isinstance(o, Lit)})
        ),
        labels=labels,
        definitions=_by_lang(o for o in props.get(SKOS + "definition", ()) if isinstance(o, Lit)),
        broader=tuple(sorted(broader)),
        deprecated=any(isinstance(o, Lit) and o.is_true() for o in props.get(OWL_DEPRECATED, ())),
        replaced_by=tuple(sorted(o for o in props.get(DCT_REPLACED_BY, ()) if isinstance(o, str))),
        mappings={
            p: tuple(sorted(str(o) for o in props[p] if isinstance(o, str)))
            for p in MAPPING_PROPERTIES
            if p in props
        },
        notes={
            p: tuple(sorted(o.value for o in props[p] if isinstance(o, Lit)))
            for p in NOTE_PROPERTIES
            if p in props
        },
        created=tuple(
            sorted(o.value for o in props.get(DCT + "created", ()) if isinstance(o, Lit))
        ),
    )


class _Snapshots:
    """The concepts of one vocabulary, each read into a :class:`_Concept` when first asked."""

    def __init__(self, t: Triples) -> None:
        self.t = t
        self.iris = t.subjects_of_type(SKOS_CONCEPT)
        self.iri_set = set(self.iris)
        # skos:narrower stated on the parent counts as the child's broader.
        self.inverse: dict[str, set[str]] = {}
        for parent, props in t.spo.items():
            children = props.get(SKOS + "narrower")
            if children:
                for child in children:
                    if isinstance(child, str):
                        self.inverse.setdefault(child, set()).add(parent)
        self.cache: dict[str, _Concept] = {}

    def __contains__(self, iri: str) -> bool:
        return iri in self.iri_set

    def get(self, iri: str) -> _Concept | None:
        if iri not in self.iri_set:
            return None
        found = self.cache.get(iri)
        if found is None:
            found = self.cache[iri] = _concept(iri, self.t.spo[iri], self.inverse.get(iri, ()))
        return found

    def __getitem__(self, iri: str) -> _Concept:
        found = self.get(iri)
        assert found is not None
        return found

    def notations(self, iri: str) -> list[str]:
        return [o.value for o in self.t.spo[iri].get(SKOS + "notation", ()) if isinstance(o, Lit)]

    def same(self, other: _Snapshots, iri: str) -> bool:
        """Tell whether ``iri`` has exactly the same statements in both vocabularies."""
        return self.t.spo[iri] == other.t.spo[iri] and self.inverse.get(iri) == other.inverse.get(
            iri
        )


def _scheme_version(t: Triples) -> str | None:
    for scheme in t.subjects_of_type(SKOS_SCHEME):
        for value in t.literals(scheme, OWL + "versionInfo"):
            return value.value
    return None


@dataclass(slots=True)
class VocabularyDiff:
    """The changes from one vocabulary to another, by kind (see the module docstring)."""

    changes: dict[str, list[Change]]
    old_source: str | None = None
    new_source: str | None = None
    old_version: str | None = None
    new_version: str | None = None

    def __getitem__(self, kind: str) -> list[Change]:
        return self.changes.get(kind, [])

    def summary(self) -> dict[str, int]:
        """Return the number of changes of each kind that has any."""
        return {k: len(self.changes[k]) for k in KINDS if self.changes.get(k)}

    def __bool__(self) -> bool:
        return any(self.changes.get(k) for k in KINDS)

    def forbidden(self) -> list[str]:
        """Return a message for each change the versioning rule never allows."""
        return [f"{TITLES[k]}: {c.describe()}" for k in FORBIDDEN for c in self[k]]

    def required_bump(self, *, allow_breaking: bool = False) -> Bump | None:
        """Return the smallest version bump the changes need (None when nothing changed).

        Removing or re-using a code (or changing a concept's notation) is never
        allowed: it raises :class:`PublishError`, unless ``allow_breaking`` (for
        vocabularies that are not ours), which gives ``"major"``.
        """
        forbidden = self.forbidden()
        if forbidden:
            if not allow_breaking:
                raise PublishError("codes are never removed or re-used: " + "; ".join(forbidden))
            return "major"
        if any(self[k] for k in MINOR):
            return "minor"
        if any(self[k] for k in PATCH):
            return "patch"
        return None

    def _bump_text(self) -> str:
        try:
            return self.required_bump() or "none"
        except PublishError:
            return "not allowed"

    def to_json(self) -> dict[str, Any]:
        """Return the diff as a JSON-ready dict (shape in the module docstring)."""
        return {
            "format": 1,
            "old": {"source": self.old_source, "version": self.old_version},
            "new": {"source": self.new_source, "version": self.new_version},
            "bump": self.required_bump(allow_breaking=True),
            "forbidden": self.forbidden(),
            "summary": self.summary(),
            "changes": {k: [c.to_json() for c in self[k]] for k in KINDS if self[k]},
        }

    def _summary_text(self) -> str:
        summary = self.summary()
        if not summary:
            return "no changes"
        return ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in summary.items())

    def to_text(self) -> str:
        """Return a plain-text report, one line per change."""
        head = f"{self.old_version or self.old_source or 'old'} -> "
        head += f"{self.new_version or self.new_source or 'new'}: {self._summary_text()}"
        lines = [head + f" (version bump: {self._bump_text()})"]
        for kind in KINDS:
            for change in self[kind]:
                lines.append(f"{kind:<17} {change.describe()}")
        return "\n".join(lines) + "\n"

    def to_markdown(self, title: str | None = None) -> str:
        """Return the changelog entry: a level-2 heading, a summary, a section per kind."""
        heading = title or self.new_version or "Unreleased"
        lines = [f"## {heading}", ""]
        bump = self._bump_text()
        since = f" since {self.old_version}" if self.old_version else ""
        lines.append(f"{self._summary_text().capitalize()}{since} (version bump: {bump}).")
        for kind in KINDS:
            if not self[kind]:
                continue
            lines += ["", f"### {TITLES[kind]}", ""]
            lines += [f"- {_md(c.describe())}" for c in self[kind]]
        return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    text = " ".join(text.split()).replace(" -> ", " → ")
    return re.sub(r"([\\`*_\[\]<|])", r"\\\1", text)


def diff_vocabularies(old: Any, new: Any) -> VocabularyDiff:
    """Compare two SKOS vocabularies (paths, rdflib graphs, pyoxigraph stores, ...)."""
    old_t, new_t = load(old, keep=NEEDED), load(new, keep=NEEDED)
    before, after = _Snapshots(old_t), _Snapshots(new_t)
    changes: dict[str, list[Change]] = {k: [] for k in KINDS}

    def ref(iri: str) -> dict[str, Any]:
        concept = after.get(iri) or before.get(iri)
        if concept is None:
            return {"concept": iri, "notation": None, "label": None}
        return concept.ref().to_json()

    old_owner: dict[str, str] = {}
    for iri in before.iris:
        for n in before.notations(iri):
            old_owner.setdefault(n, iri)

    for iri in sorted(before.iri_set - after.iri_set):
        changes["removed"].append(Change("removed", before[iri].ref()))
    for iri in after.iris:
        if iri in before and before.same(after, iri):
            continue
        new_c = after[iri]
        r = new_c.ref()
        old_c = before.get(iri)
        if old_c is None:
            changes["added"].append(Change("added", r))
            for n in new_c.notations:
                owner = old_owner.get(n)
                if owner is not None and owner != iri:
                    changes["reused"].append(
                        Change("reused", r, {"reason": f"notation {n!r} was the code of {owner}"})
                    )
            continue
        if old_c.created and new_c.created and old_c.created != new_c.created:
            changes["reused"].append(
                Change(
                    "reused",
                    r,
                    {
                        "reason": f"created date changed from {_show(old_c.created)} "
                        f"to {_show(new_c.created)}: a new concept cannot take an existing code"
                    },
                )
            )
        if old_c.notations != new_c.notations:
            changes["notation_changed"].append(
                Change(
                    "notation_changed",
                    r,
                    {"old": list(old_c.notations), "new": list(new_c.notations)},
                )
            )
        if new_c.deprecated and not old_c.deprecated:
            reason = [
                n
                for n in new_c.notes.get(SKOS + "changeNote", ())
                if n not in old_c.notes.get(SKOS + "changeNote", ())
            ]
            changes["deprecated"].append(
                Change(
                    "deprecated",
                    r,
                    {"replaced_by": [ref(x) for x in new_c.replaced_by], "reason": reason},
                )
            )
        elif old_c.deprecated and not new_c.deprecated:
            if old_c.pref() != new_c.pref():
                changes["reused"].append(
                    Change(
                        "reused",
                        r,
                        {
                            "reason": f"deprecated code brought back with a new "
                            f"label (was {old_c.pref()!r})"
                        },
                    )
                )
            else:
                changes["undeprecated"].append(Change("undeprecated", r))
        if old_c.broader != new_c.broader:
            changes["moved"].append(
                Change("moved", r, {"old": list(old_c.broader), "new": list(new_c.broader)})
            )
        for prop in sorted({*old_c.mappings, *new_c.mappings}):
            was, now = set(old_c.mappings.get(prop, ())), set(new_c.mappings.get(prop, ()))
            if was != now:
                changes["mappings_changed"].append(
                    Change(
                        "mappings_changed",
                        r,
                        {
                            "property": curie(prop),
                            "added": sorted(now - was),
                            "removed": sorted(was - now),
                        },
                    )
                )
        for key in sorted({*old_c.labels, *new_c.labels}):
            was_l, now_l = old_c.labels.get(key, ()), new_c.labels.get(key, ())
            if was_l != now_l:
                changes["relabelled"].append(
                    Change(
                        "relabelled",
                        r,
                        {
                            "property": curie(key[0]),
                            "lang": key[1] or None,
                            "old": list(was_l),
                            "new": list(now_l),
                        },
                    )
                )
        for lang in sorted({*old_c.definitions, *new_c.definitions}):
            was_d, now_d = old_c.definitions.get(lang, ()), new_c.definitions.get(lang, ())
            if was_d != now_d:
                changes["redefined"].append(
                    Change(
                        "redefined",
                        r,
                        {"lang": lang or None, "old": list(was_d), "new": list(now_d)},
                    )
                )
        just_deprecated = new_c.deprecated and not old_c.deprecated
        for prop in sorted({*old_c.notes, *new_c.notes}):
            was_n, now_n = old_c.notes.get(prop, ()), new_c.notes.get(prop, ())
            if prop == SKOS + "changeNote" and just_deprecated and set(was_n) <= set(now_n):
                continue  # the reason, shown with the deprecation
            if was_n != now_n:
                changes["notes_changed"].append(
                    Change(
                        "notes_changed",
                        r,
                        {"property": curie(prop), "old": list(was_n), "new": list(now_n)},
                    )
                )
    for kind in KINDS:
        changes[kind].sort(key=lambda c: (_natural(c.ref.notation), c.ref.concept))
    return VocabularyDiff(
        changes={k: v for k, v in changes.items() if v},
        old_source=old_t.source,
        new_source=new_t.source,
        old_version=_scheme_version(old_t),
        new_version=_scheme_version(new_t),
    )


__all__ = ["KINDS", "Bump", "Change", "ConceptRef", "VocabularyDiff", "diff_vocabularies"]
