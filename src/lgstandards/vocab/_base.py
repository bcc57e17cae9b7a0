"""The generic :class:`Vocabulary` behind every controlled list, and the base record.

A vocabulary is loaded on first use, once per process, under a lock, and is
immutable afterwards: records are frozen dataclasses, indexes are read-only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Generic, TypeVar, overload

from lgstandards._resources import vocabularies_root
from lgstandards.exceptions import AmbiguousLabelError, UnknownCodeError, UnsupportedVersionError
from lgstandards.vocab.releases import (
    get_release,
    latest_release,
    release_as_of,
    release_versions,
    releases,
)
from lgstandards.vocab.search import (
    Document,
    SearchIndex,
    build_index,
    dump_index,
    fingerprint,
    index_path,
    lexicon,
    old_labels,
    read_index,
)
from lgstandards.vocab.source import ConceptRow, SchemeInfo, read_concepts, read_scheme


@dataclass(frozen=True, slots=True, repr=False)
class Concept:
    """A concept of a controlled list: code, labels, dates and status, as published."""

    code: int
    label: str
    uri: str
    description: str = ""
    broader_code: int | None = None
    created: dt.date | None = None
    modified: dt.date | None = None
    history_notes: str = ""
    deprecated: bool = False
    deprecated_date: dt.date | None = None
    replaced_by: int | None = None
    change_note: str = ""

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def __repr__(self) -> str:
        flag = ", deprecated" if self.deprecated else ""
        return f"{type(self).__name__}({self.code}, {self.label!r}{flag})"

    def search_document(self) -> Document:
        """Return what search indexes of this concept: its texts by field, and its prior.

        Here: the label, the description and the former names its history notes quote;
        the record types of :mod:`lgstandards.vocab.concepts` add their relations.
        """
        return Document(self.code, self._search_fields(), -300 if self.deprecated else 0)

    def _search_fields(self) -> dict[str, tuple[str, ...]]:
        fields: dict[str, tuple[str, ...]] = {"label": (self.label,)}
        if self.description:
            fields["description"] = (self.description,)
        own = label_key(self.label)
        old = tuple(n for n in old_labels(self.history_notes) if label_key(n) != own)
        if old:
            fields["old_label"] = old
        return fields


C = TypeVar("C", bound=Concept)
D = TypeVar("D")


def label_key(text: str) -> str:
    """Return the form labels are compared in: case folded, runs of spaces made one."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class Match(Generic[C]):
    """A search result: the concept, its score (higher is better) and why it matched."""

    concept: C
    score: float
    reasons: tuple[str, ...] = ()


#: A code as written in documents and queries: ASCII digits only (not '²' or '١'), and
#: no longer than any code a list could hold, so that ``int()`` is cheap and never fails.
_CODE_TEXT = re.compile(r"[0-9]{1,18}")


def parse_code(text: str) -> int | None:
    """Return the integer code that ``text`` spells (surrounding spaces allowed), else None.

    Only ASCII digits count: Unicode digits, superscripts and signs are not codes, and
    runs longer than 18 digits are refused before any conversion.
    """
    stripped = text.strip()
    if _CODE_TEXT.fullmatch(stripped) is None:
        return None
    return int(stripped)


@dataclass(frozen=True, slots=True)
class _Index(Generic[C]):
    scheme: SchemeInfo
    by_code: Mapping[int, C]
    by_uri: Mapping[str, C]
    by_label: Mapping[str, tuple[C, ...]]
    children: Mapping[int, tuple[int, ...]]


#: Which data a :class:`Vocabulary` reads: the latest release, one release, or the source.
_LATEST = "latest"
_SOURCE = "source"


class Vocabulary(Generic[C]):
    """A controlled list of concepts of type ``C``, looked up by code, URI or label.

    ``get`` never raises; ``lookup`` raises :class:`~lgstandards.UnknownCodeError`.
    By default the latest published release is read (``vocabularies/<list>/<X.Y.Z>/``),
    or the editable source when the list has no release yet; :meth:`release`,
    :meth:`as_of` and :meth:`source` give the other versions. Deprecated concepts
    stay in every release: they resolve, marked ``deprecated``, with ``replaced_by``.
    """

    def __init__(
        self,
        name: str,
        factory: Callable[[SchemeInfo, ConceptRow], C],
        *,
        root: Path | None = None,
        version: str = _LATEST,
    ) -> None:
        self.name = name
        self._factory = factory
        self._root = root
        self._version = version
        self._index: _Index[C] | None = None
        self._lock = threading.Lock()
        self._search: SearchIndex | None = None
        self._search_lock = threading.Lock()
        self._others: dict[str, Vocabulary[C]] = {}

    def __repr__(self) -> str:
        state = f"{len(self)} concepts" if self._index is not None else "not loaded"
        which = "" if self._version == _LATEST else f" {self._version}"
        return f"<Vocabulary {self.name!r}{which} ({state})>"

    # -- versions ----------------------------------------------------------------

    def _other(self, version: str) -> Vocabulary[C]:
        with self._lock:
            other = self._others.get(version)
            if other is None:
                other = Vocabulary(self.name, self._factory, root=self._root, version=version)
                self._others[version] = other
            return other

    def releases(self) -> list[str]:
        """Return the published versions of this list, oldest first."""
        return release_versions(self.name, self._root)

    def release(self, version: str) -> Vocabulary[C]:
        """Return the list as published in release ``version`` (e.g. ``"4.0.1"``).

        Raises :class:`~lgstandards.UnsupportedVersionError` for a version never released.
        """
        get_release(self.name, version, self._root)
        return self._other(version)

    def as_of(self, date: dt.date | str) -> Vocabulary[C]:
        """Return the release in force on ``date``: the latest released on or before it.

        A date before the first release gives the first release (the earliest the
        library knows). Raises :class:`~lgstandards.UnsupportedVersionError` when the
        list has no release at all or ``date`` is not a date (or a YYYY-MM-DD string),
        and :class:`~lgstandards.exceptions.InvalidReleaseError` for a damaged release.
        """
        when = _as_date(date)
        found = release_as_of(self.name, when, self._root)
        if found is None:
            published = releases(self.name, self._root)
            if not published:
                raise UnsupportedVersionError(f"{self.name} has no published release")
            found = published[0]
        return self._other(found.version)

    def source(self) -> Vocabulary[C]:
        """Return the list as in its editable source (unreleased edits included)."""
        return self._other(_SOURCE)

    def at(self, root: Path, version: str = _LATEST) -> Vocabulary[C]:
        """Return this list as read from another vocabularies folder, with the same records.

        ``version`` is ``"latest"`` (the latest release, else the source), ``"source"``
        or a release version.
        """
        return Vocabulary(self.name, self._factory, root=root, version=version)

    # -- loading -----------------------------------------------------------------

    @property
    def folder(self) -> Path:
        """The folder holding this list's source, built files and releases."""
        return (self._root or vocabularies_root()) / self.name

    def _read(self) -> tuple[SchemeInfo, tuple[ConceptRow, ...]]:
        """Read the scheme and rows of the version this object stands for."""
        folder = self.folder
        scheme = read_scheme(folder)
        if self._version == _SOURCE:
            return scheme, read_concepts(folder, scheme)
        if self._version == _LATEST:
            info = latest_release(self.name, self._root)
            if info is None:
                return scheme, read_concepts(folder, scheme)
        else:
            info = get_release(self.name, self._version, self._root)
        scheme = dataclasses.replace(scheme, version=info.version, issued=info.date)
        return scheme, read_concepts(folder, scheme, path=info.file("csv"))

    def _load(self) -> _Index[C]:
        with self._lock:
            if self._index is None:
                scheme, rows = self._read()
                records = [self._factory(scheme, row) for row in rows]
                by_code = {r.code: r for r in records}
                children: dict[int, list[int]] = {}
                for r in records:
                    if r.broader_code is not None:
                        children.setdefault(r.broader_code, []).append(r.code)
                labels: dict[str, tuple[C, ...]] = {}
                for r in records:
                    key = label_key(r.label)
                    labels[key] = (*labels.get(key, ()), r)
                self._index = _Index(
                    scheme=scheme,
                    by_code=MappingProxyType(by_code),
                    by_uri=MappingProxyType({r.uri: r for r in records}),
                    by_label=MappingProxyType(labels),
                    children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
                )
            return self._index

    @property
    def _idx(self) -> _Index[C]:
        index = self._index
        return index if index is not None else self._load()

    @property
    def scheme(self) -> SchemeInfo:
        """The list's metadata (title, version, dates, provenance, licence)."""
        return self._idx.scheme

    @property
    def version(self) -> str:
        """The list's version."""
        return self._idx.scheme.version

    @property
    def title(self) -> str:
        """The list's title."""
        return self._idx.scheme.title

    # -- look-ups ----------------------------------------------------------------

    @overload
    def get(self, code: object) -> C | None: ...
    @overload
    def get(self, code: object, default: D) -> C | D: ...
    def get(self, code: object, default: object = None) -> object:
        """Return the concept with ``code`` (an int), or ``default``; never raises."""
        index = self._index
        if index is None:
            index = self._load()
        try:
            return index.by_code.get(code, default)  # type: ignore[call-overload]
        except TypeError:  # unhashable
            return default

    def lookup(self, value: int | str) -> C:
        """Return the concept for a code, numeric string, URI or label.

        A label matches in any case and with any runs of spaces (the published label
        ``"Dog  waste bins"`` has two). Raises :class:`~lgstandards.UnknownCodeError`
        when nothing matches, and :class:`~lgstandards.AmbiguousLabelError` (naming
        every code) when concepts share the label, rather than picking one.
        """
        index = self._idx
        found: C | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            found = index.by_code.get(value)
        elif isinstance(value, str):
            text = value.strip()
            code = parse_code(text)
            if code is not None:
                found = index.by_code.get(code)
            else:
                found = index.by_uri.get(text)
                if found is None:
                    labelled = index.by_label.get(label_key(text), ())
                    if len(labelled) > 1:
                        raise AmbiguousLabelError(self.name, value, [c.code for c in labelled])
                    found = labelled[0] if labelled else None
        if found is None:
            suggestions = self.search(str(value), limit=3) if isinstance(value, str) else []
            hint = None
            if suggestions:
                hint = "did you mean " + "; ".join(f"{c.code} {c.label!r}" for c in suggestions)
            raise UnknownCodeError(self.name, value, hint=hint)
        return found

    def search(self, text: str, *, limit: int | None = None) -> list[C]:
        """Return the concepts that match ``text``, best first (at most ``limit``).

        Ranked retrieval in residents' words (:mod:`lgstandards.vocab.search`): BM25F
        over labels, old names, descriptions and related headings, with stemming,
        spellings, compounds, typo tolerance and the residents' words table.
        :meth:`search_scored` gives the scores and why each concept matched.
        """
        return [m.concept for m in self.search_scored(text, limit=limit, explain=False)]

    def search_scored(
        self, text: str, *, limit: int | None = None, explain: bool = True
    ) -> list[Match[C]]:
        """Return :class:`Match` results for ``text``: concept, score and reasons, best first."""
        index = self.search_index()
        by_code = self._idx.by_code
        return [
            Match(by_code[hit.code], hit.score, hit.reasons)
            for hit in index.search(text, limit, explain=explain)
        ]

    def search_index(self) -> SearchIndex:
        """Return this list's search index: the built one when it fits the data, else a new one.

        The built index (``built/<list>.search.json``) is used when its fingerprint is
        that of this version's concepts and the shipped word tables; otherwise (another
        release, unbuilt edits) an index is built in memory, once.
        """
        found = self._search
        if found is not None:
            return found
        with self._search_lock:
            if self._search is None:
                built = read_index(index_path(self.folder, self.name))
                if built is None or self._search_inputs() not in built.inputs:
                    documents = [concept.search_document() for concept in self]
                    words = lexicon()
                    wanted = fingerprint(self.name, documents, words)
                    if built is None or built.fingerprint != wanted:
                        built = SearchIndex(build_index(self.name, documents, words))
                self._search = built
            return self._search

    def search_index_bytes(self) -> bytes:
        """Return a fresh search index of this version, as the bytes of its built file.

        The file also names, as ``inputs``, the digests of the files (see
        :meth:`_search_inputs`) of this version and of the latest release when that
        indexes alike: a list whose files have one of those digests trusts the built
        index without building its documents (the index is ready in milliseconds).
        """
        documents = [concept.search_document() for concept in self]
        words = lexicon()
        index = build_index(self.name, documents, words)
        inputs = [self._search_inputs()]
        latest = self._other(_LATEST)
        if latest._search_inputs() not in inputs:
            others = [concept.search_document() for concept in latest]
            if fingerprint(self.name, others, words) == index["fingerprint"]:
                inputs.append(latest._search_inputs())
        return dump_index({**index, "inputs": sorted(inputs)})

    def _search_inputs(self) -> str:
        """Return the digest of the files this version's search documents are made from.

        Those are this version's concept file, the editable files of every list (whose
        relations a record indexes: functions, headings, tiers, transactions), the
        manifest and the word tables; what they hold, not where they are.
        """
        root = self.folder.parent
        if self._version == _SOURCE:
            own = self.folder / "concepts.csv"
        else:
            info = (
                latest_release(self.name, self._root)
                if self._version == _LATEST
                else get_release(self.name, self._version, self._root)
            )
            own = self.folder / "concepts.csv" if info is None else info.file("csv")
        digest = hashlib.sha256(f"{self.name}\x1e{lexicon().digest}".encode())
        files = [own, root / "MANIFEST.json"]
        for pattern in ("*/scheme.toml", "*/concepts.csv", "*/mappings.csv", "*/transactions.csv"):
            files.extend(sorted(root.glob(pattern)))
        for path in files:
            try:
                data = path.read_bytes()
            except OSError:
                data = b"\x00missing"
            name = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
            digest.update(f"\x1e{name}\x1f{len(data)}\x1f".encode())
            digest.update(data)
        return digest.hexdigest()

    # -- hierarchy ---------------------------------------------------------------

    def broader(self, code: int) -> C | None:
        """Return the parent of the concept with ``code``, or None for a top concept."""
        concept = self.lookup(code)
        return None if concept.broader_code is None else self.get(concept.broader_code)

    def narrower(self, code: int) -> tuple[C, ...]:
        """Return the children of the concept with ``code``, in code order."""
        self.lookup(code)
        by_code = self._idx.by_code
        return tuple(by_code[c] for c in sorted(self._idx.children.get(code, ())))

    def top_concepts(self) -> tuple[C, ...]:
        """Return the concepts without a parent, in code order."""
        return tuple(c for c in self if c.broader_code is None)

    # -- collection protocol -----------------------------------------------------

    def codes(self) -> tuple[int, ...]:
        """Return every code, ascending."""
        return tuple(sorted(self._idx.by_code))

    def __contains__(self, code: object) -> bool:
        try:
            return code in self._idx.by_code
        except TypeError:
            return False

    def __iter__(self) -> Iterator[C]:
        by_code = self._idx.by_code
        return (by_code[c] for c in sorted(by_code))

    def __len__(self) -> int:
        return len(self._idx.by_code)


def _as_date(value: object) -> dt.date:
    """Return ``value`` as a date (a date, or an ISO 8601 date string); raise otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise UnsupportedVersionError(f"{value!r:.60} is not a date (YYYY-MM-DD)")


def concept_fields(scheme: SchemeInfo, row: ConceptRow) -> dict[str, object]:
    """Return the :class:`Concept` fields of a source row (shared by the list modules)."""
    return {
        "code": row.code,
        "label": row.label,
        "uri": scheme.concept_iri(row.code),
        "description": row.description,
        "broader_code": row.broader,
        "created": row.created,
        "modified": row.modified,
        "history_notes": row.history_notes,
        "deprecated": row.deprecated,
        "deprecated_date": row.deprecated_date,
        "replaced_by": row.replaced_by,
        "change_note": row.change_note,
    }


__all__ = ["Concept", "Match", "Vocabulary", "concept_fields", "label_key", "parse_code"]
