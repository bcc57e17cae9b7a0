"""Ranked search over a controlled list, in the words residents use.

``lgsl.search("missed bin")`` ranks the list's concepts by BM25F (BM25 over several
fields with their own weights) computed over each concept's label, old names (from its
history notes), GOV.UK's customer-facing phrase, description, and the labels of the
functions and navigation headings it sits under. A query is read word by word: stop words
are dropped, each word is found in the index's table of words (so ``bins`` finds ``bin``
and ``collections`` finds ``collection``: both sides are stemmed with the Snowball English
stemmer), or else through American spellings (``license``), inflections, compounds
(``fly tipping`` finds ``Flytipping``; ``roadworks`` finds ``road works``), the completion
of a last word still being typed (``counc``) and typo tolerance (``recyclnig``). Then the
table of residents' words (``vocabularies/search/residents_words.csv``: ``bin`` to
``household waste collection``, ``fine`` to ``penalty charge``) adds the list's words for
the residents' ones. Words that name an interaction rather than a service (``pay``,
``apply``, ``report``) count for less.

Why this engine: the lists are small (LGSL, the longest, has 1,519 concepts), and the same
ranking has to run in three places: the library, the CLI and the documentation site's
list pages, in a browser with no server and no network. So the index is a compact JSON
document of precomputed postings, written at ``lgstandards vocab build`` time
(``vocabularies/<list>/built/<list>.search.json``, checked by ``vocab build --check``)
and read at first use in a few milliseconds; each posting carries its BM25F weight as an
integer, and the query rules use integers only, so the Python scorer here and the
JavaScript one of the documentation (``lgstandards/sphinxext/static/lgstandards-search.js``)
rank alike, to the point. SQLite FTS5 would need the same query rules written around it
and could not run in the browser; bm25s needs numpy and scipy; tantivy is a compiled
extension; rapidfuzz would be a compiled dependency for what a symmetric-delete look-up
over the index's own words does in microseconds. The Snowball stemmer
(``snowballstemmer``, BSD-3-Clause, pure Python) is needed only to build an index: every
word of the list and of the word tables is stemmed at build time, so the query side only
looks words up.

An index records a fingerprint of what it was built from (the concepts' fields, the word
tables and the engine version): a list whose data differs from the built index's (another
release, edited sources) builds its own index in memory on first search.
"""

from __future__ import annotations

import bisect
import csv
import hashlib
import heapq
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lgstandards._resources import vocabularies_root
from lgstandards.exceptions import DataNotFoundError

#: The format name of a search index file.
FORMAT = "lgstandards-search/1"
#: Bumped whenever the build or the query rules change: part of every fingerprint.
ENGINE = 3

#: The fields a concept may have, in the order of the bits of a posting's field mask:
#: name -> (BM25F weight, length normalisation b).
FIELDS: Mapping[str, tuple[float, float]] = MappingProxyType(
    {
        "label": (3.0, 0.5),
        "alt_label": (2.0, 0.5),
        "old_label": (1.5, 0.5),
        "govuk": (1.5, 0.5),
        "description": (1.0, 0.75),
        "heading": (0.8, 0.3),
        "function": (0.6, 0.3),
        "parent": (0.6, 0.3),
    }
)
#: What each field is, as an explanation names it.
FIELD_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "label": "label",
        "alt_label": "short label",
        "old_label": "old name",
        "govuk": "GOV.UK phrase",
        "description": "description",
        "heading": "navigation heading",
        "function": "function",
        "parent": "broader concept",
    }
)
K1 = 1.2

#: Query rules, shared with the JavaScript scorer through the index's ``params``.
PARAMS: Mapping[str, int] = MappingProxyType(
    {
        "point": 1_000_000,  # one BM25 point in score units (posting x alt x unit weights)
        "weak": 35,  # weight of a word naming an interaction (``pay``, ``apply``), of 100
        "inflection": 90,
        "split": 90,
        "prefix": 60,
        "prefix_max": 1,
        "prefix_min": 3,
        "typo1": 70,
        "typo2": 50,
        "typo_max": 2,
        "typo_min": 4,
        "typo2_min": 8,
        "split_min": 6,
        "label_all": 150,  # every word in the label: points x 100
        "label_exact": 250,  # the label is exactly the words
        "label_text": 5_000,  # the query is the label, word for word (hundredths of a point)
        "code_exact": 10_000,
        "code_prefix": 50,
    }
)

#: Inflections tried, in order, for a word not in the index (``binned``, ``emptied``).
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ies", "y"),
    ("ied", "y"),
    ("ies", "ie"),
    ("es", ""),
    ("s", ""),
    ("ing", ""),
    ("ing", "e"),
    ("ed", ""),
    ("ed", "e"),
    ("ers", ""),
    ("er", ""),
    ("ly", ""),
    ("ness", ""),
    ("ment", ""),
)
#: American spellings by rule, tried for a word not in the index nor in the spellings table.
SPELLING_RULES: tuple[tuple[str, str], ...] = (
    ("ization", "isation"),
    ("izations", "isations"),
    ("izing", "ising"),
    ("ized", "ised"),
    ("izes", "ises"),
    ("ize", "ise"),
    ("yzing", "ysing"),
    ("yzed", "ysed"),
    ("yze", "yse"),
    ("ors", "ours"),
    ("or", "our"),
    ("ers", "res"),
    ("er", "re"),
    ("eled", "elled"),
    ("eling", "elling"),
    ("eler", "eller"),
)

_COMBINING = re.compile("[\u0300-\u036f]")
_WORD = re.compile(r"[a-z0-9]+")
_RUN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DIGITS = re.compile(r"[0-9]+")


def normalise(text: str) -> str:
    """Return ``text`` as the index reads it: accents removed, lower case, no apostrophes."""
    decomposed = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return decomposed.lower().replace("'", "").replace("\u2019", "")


def words(text: str) -> list[str]:
    """Return the words of ``text``: runs of ASCII letters and digits after :func:`normalise`."""
    return _WORD.findall(normalise(text))


# ------------------------------------------------------------------------ word tables


#: Where a row of ``residents_words.csv`` comes from (``vocabularies/search/README.md``).
RESIDENTS_SOURCES = ("variant", "judgement")


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word tables of ``vocabularies/search/`` (described in its README.md)."""

    stop: frozenset[str]
    weak: frozenset[str]
    spellings: Mapping[str, str]
    stems: Mapping[str, str]
    residents: tuple[tuple[str, str, int], ...]
    digest: str


def _rows(path: Path, header: Sequence[str]) -> list[dict[str, str]]:
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise DataNotFoundError(f"{path}: file not found") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    found = next(reader, [])
    if found != list(header):
        raise ValueError(f"{path}:1: header is {','.join(found)}; expected {','.join(header)}")
    rows = []
    for values in reader:
        if len(values) != len(header):
            raise ValueError(f"{path}:{reader.line_num}: {len(values)} fields")
        rows.append(dict(zip(header, values, strict=True)))
    return rows


def search_folder() -> Path:
    """Return the folder of the shipped word tables."""
    return vocabularies_root() / "search"


@cache
def lexicon(folder: Path | None = None) -> Lexicon:
    """Read the word tables (``words.csv``, ``residents_words.csv``) of ``folder``."""
    folder = search_folder() if folder is None else folder
    words_path = folder / "words.csv"
    residents_path = folder / "residents_words.csv"
    stop: set[str] = set()
    weak: set[str] = set()
    spellings: dict[str, str] = {}
    stems: dict[str, str] = {}
    for row in _rows(words_path, ("word", "kind", "value")):
        word, kind, value = row["word"], row["kind"], row["value"]
        if kind == "stop":
            stop.add(word)
        elif kind == "weak":
            weak.add(word)
        elif kind == "spelling":
            spellings[word] = value
        elif kind == "stem":
            stems[word] = value
        else:
            raise ValueError(f"{words_path}: unknown kind {kind!r} for {word!r}")
    residents = []
    for row in _rows(residents_path, ("residents", "list_words", "weight", "source")):
        weight = int(row["weight"])
        if not 1 <= weight <= 100:
            raise ValueError(f"{residents_path}: weight {weight} of {row['residents']!r}")
        if row["source"] not in RESIDENTS_SOURCES:
            raise ValueError(
                f"{residents_path}: source {row['source']!r} of {row['residents']!r} is not "
                f"one of {', '.join(RESIDENTS_SOURCES)} (README.md)"
            )
        residents.append((row["residents"], row["list_words"], weight))
    digest = hashlib.sha256(words_path.read_bytes() + b"\0" + residents_path.read_bytes())
    return Lexicon(
        stop=frozenset(stop),
        weak=frozenset(weak),
        spellings=MappingProxyType(spellings),
        stems=MappingProxyType(stems),
        residents=tuple(residents),
        digest=digest.hexdigest(),
    )


# ----------------------------------------------------------------------------- build


@dataclass(frozen=True, slots=True)
class Document:
    """What the index knows of one concept: its code, its texts by field, its prior.

    ``prior`` is a small score, in hundredths of a BM25 point, that a concept gets on any
    match (GOV.UK lists the service, say); it orders near ties.
    """

    code: int
    fields: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    prior: int = 0


def fingerprint(list_name: str, documents: Sequence[Document], lex: Lexicon) -> str:
    """Return the digest of everything an index of ``documents`` depends on."""
    parts = [f"{FORMAT}\x1e{ENGINE}\x1e{list_name}\x1e{lex.digest}"]
    for d in documents:
        parts.append(f"\x1e{d.code}\x1f{d.prior}")
        for name in sorted(d.fields):
            parts.append(f"\x1d{name}")
            parts.extend(f"\x1c{text}" for text in d.fields[name])
    return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _stemmer(lex: Lexicon) -> Callable[[str], str]:
    try:
        import snowballstemmer
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise DataNotFoundError(
            "building a search index needs the snowballstemmer package"
        ) from exc
    stem = snowballstemmer.stemmer("english").stemWord
    seen: dict[str, str] = {}

    def term(word: str) -> str:
        found = seen.get(word)
        if found is None:
            british = lex.spellings.get(word, word)
            found = lex.stems.get(british) or str(stem(british))
            seen[word] = found
        return found

    return term


def build_index(list_name: str, documents: Sequence[Document], lex: Lexicon) -> dict[str, Any]:
    """Build the search index of ``documents`` (a JSON-ready dict; see :class:`SearchIndex`)."""
    term_of = _stemmer(lex)
    term_ids: dict[str, int] = {}
    surface: dict[str, int] = {}

    def tid(word: str) -> int:
        term = term_of(word)
        found = term_ids.get(term)
        if found is None:
            found = term_ids[term] = len(term_ids)
        surface.setdefault(word, found)
        return found

    names = list(FIELDS)
    counts: list[dict[str, dict[int, int]]] = []
    lengths: list[dict[str, int]] = []
    labels: list[list[int]] = []
    label_texts: list[str] = []
    for doc in documents:
        label_texts.append(" ".join(words(" ".join(doc.fields.get("label", ())))))
        per_field: dict[str, dict[int, int]] = {}
        per_length: dict[str, int] = {}
        for name, texts in doc.fields.items():
            if name not in FIELDS:
                raise ValueError(f"unknown search field {name!r}")
            tally = per_field.setdefault(name, {})
            for text in texts:
                for run in _RUN.findall(normalise(text)):
                    parts = [p for p in run.split("-") if p not in lex.stop]
                    for part in parts:
                        t = tid(part)
                        tally[t] = tally.get(t, 0) + 1
                        per_length[name] = per_length.get(name, 0) + 1
                    if len(parts) > 1:
                        t = tid("".join(parts))
                        tally[t] = tally.get(t, 0) + 1
        counts.append(per_field)
        lengths.append(per_length)
        labels.append(sorted(per_field.get("label", {})))
    # The residents' words and the word tables are words of the index too.
    expansions: dict[str, list[list[Any]]] = {}
    for residents, targets, weight in lex.residents:
        key = [tid(w) for w in words(residents) if w not in lex.stop]
        goal = [tid(w) for w in words(targets) if w not in lex.stop]
        if key and goal and key != goal:
            entries = expansions.setdefault(" ".join(map(str, key)), [])
            if not any(e[0] == goal and e[1] == weight for e in entries):
                entries.append([goal, weight, " ".join(words(targets))])
    for entries in expansions.values():
        entries.sort(key=lambda e: (-e[1], e[0]))
    for american in sorted(lex.spellings):
        surface.setdefault(american, tid(lex.spellings[american]))
    for word in sorted(lex.stems):
        tid(word)

    total = len(documents)
    average = {
        name: (sum(length.get(name, 0) for length in lengths) / total if total else 0.0)
        for name in names
    }
    postings: list[list[int]] = [[] for _ in term_ids]
    bit = {name: 1 << i for i, name in enumerate(names)}
    tfn_by_term: list[list[tuple[int, float, int]]] = [[] for _ in term_ids]
    for index, per_field in enumerate(counts):
        tfns: dict[int, float] = {}
        masks: dict[int, int] = {}
        for name, tally in per_field.items():
            field_weight, b = FIELDS[name]
            mean = average[name] or 1.0
            norm = 1 - b + b * lengths[index].get(name, 0) / mean
            for t, tf in tally.items():
                tfns[t] = tfns.get(t, 0.0) + field_weight * tf / norm
                masks[t] = masks.get(t, 0) | bit[name]
        for t, tfn in tfns.items():
            tfn_by_term[t].append((index, tfn, masks[t]))
    for t, found in enumerate(tfn_by_term):
        df = len(found)
        idf = math.log(1 + (total - df + 0.5) / (df + 0.5))
        flat: list[int] = []
        for index, tfn, mask in found:
            score = round(100 * idf * tfn * (K1 + 1) / (tfn + K1))
            flat += [index, max(score, 1), mask]
        postings[t] = flat

    ordered = sorted(surface)
    terms = [""] * len(term_ids)
    for term, t in term_ids.items():
        terms[t] = term
    return {
        "format": FORMAT,
        "engine": ENGINE,
        "list": list_name,
        "fingerprint": fingerprint(list_name, documents, lex),
        "fields": names,
        "params": dict(PARAMS),
        "codes": [d.code for d in documents],
        "prior": [d.prior for d in documents],
        "labels": labels,
        "label_texts": label_texts,
        "terms": terms,
        "postings": postings,
        "words": ordered,
        "word_terms": [surface[w] for w in ordered],
        "stop": sorted(lex.stop),
        "weak": sorted(lex.weak),
        "spellings": {k: lex.spellings[k] for k in sorted(lex.spellings)},
        "suffixes": [list(s) for s in SUFFIXES],
        "spelling_rules": [list(s) for s in SPELLING_RULES],
        "expansions": {k: expansions[k] for k in sorted(expansions)},
    }


def dump_index(index: Mapping[str, Any]) -> bytes:
    """Return an index as the bytes of its file (deterministic: one line per top-level key)."""
    lines = [
        json.dumps(key) + ":" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        for key, value in index.items()
    ]
    return ("{\n" + ",\n".join(lines) + "\n}\n").encode("utf-8")


# ----------------------------------------------------------------------------- query


@dataclass(frozen=True, slots=True)
class Alternative:
    """One reading of a query word (or words): the index terms and how sure it is (of 100)."""

    terms: tuple[int, ...]
    weight: int
    how: str


@dataclass(frozen=True, slots=True)
class Unit:
    """A word of the query (or a phrase of several), with its readings."""

    words: tuple[str, ...]
    alternatives: tuple[Alternative, ...]
    weak: bool


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked result: the concept's code, its score and why it matched."""

    code: int
    score: float
    reasons: tuple[str, ...]


def osa_distance(a: str, b: str) -> int:
    """Return the optimal string alignment distance (edits with adjacent transpositions)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            best = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                best = min(best, rows[i - 2][j - 2] + 1)
            row[j] = best
        rows.append(row)
    return rows[len(a)][len(b)]


class SearchIndex:
    """A loaded search index: look words up, rank the concepts.

    The rules are written so that the JavaScript scorer of the documentation can follow
    them step by step; every score is an integer until :meth:`search` returns it.
    """

    def __init__(self, data: Mapping[str, Any]) -> None:
        if data.get("format") != FORMAT:
            raise ValueError(f"not a search index of format {FORMAT}")
        self.data = data
        self.list_name: str = data["list"]
        self.fingerprint: str = data["fingerprint"]
        #: Digests of the files the index stands for (see ``Vocabulary.search_index``).
        self.inputs: frozenset[str] = frozenset(data.get("inputs", ()))
        self.codes: list[int] = data["codes"]
        self.prior: list[int] = data["prior"]
        self.terms: list[str] = data["terms"]
        self.postings: list[list[int]] = data["postings"]
        self.words: list[str] = data["words"]
        self.word: dict[str, int] = dict(zip(self.words, data["word_terms"], strict=True))
        self.stop = frozenset(data["stop"])
        self.weak = frozenset(data["weak"])
        self.spellings: Mapping[str, str] = data["spellings"]
        self.suffixes: list[list[str]] = data["suffixes"]
        self.spelling_rules: list[list[str]] = data["spelling_rules"]
        self.expansions: Mapping[str, list[list[Any]]] = data["expansions"]
        self.params: Mapping[str, int] = data["params"]
        self.fields: list[str] = data["fields"]
        self.longest = max((k.count(" ") + 1 for k in self.expansions), default=1)
        self._labels: list[frozenset[int]] | None = None
        self._deletes: dict[str, list[str]] | None = None
        self._surface: dict[int, str] | None = None
        self._cols: dict[int, tuple[list[int], list[int], list[int]]] = {}
        self._position = {code: i for i, code in enumerate(self.codes)}
        self._by_label_text: dict[str, list[int]] | None = None

    @classmethod
    def from_bytes(cls, raw: bytes) -> SearchIndex:
        """Load an index from the bytes of its file."""
        return cls(json.loads(raw.decode("utf-8")))

    def __len__(self) -> int:
        return len(self.codes)

    # -- reading the query -------------------------------------------------------

    def _df(self, term: int) -> int:
        return len(self.postings[term]) // 3

    def _prefixed(self, word: str) -> list[int]:
        found: list[int] = []
        k = bisect.bisect_left(self.words, word)
        while k < len(self.words) and self.words[k].startswith(word):
            t = self.word[self.words[k]]
            if t not in found and self._df(t) > 0:
                found.append(t)
            k += 1
        found.sort(key=lambda t: (-self._df(t), t))
        return found[: self.params["prefix_max"]]

    def _typos(self, word: str) -> list[tuple[int, str]]:
        if self._deletes is None:
            deletes: dict[str, list[str]] = {}
            for known in self.words:
                if len(known) >= self.params["typo_min"] - 1:
                    for i in range(len(known)):
                        deletes.setdefault(known[:i] + known[i + 1 :], []).append(known)
            self._deletes = deletes
        limit = 1 if len(word) < self.params["typo2_min"] else 2
        candidates: set[str] = set(self._deletes.get(word, ()))
        for i in range(len(word)):
            shorter = word[:i] + word[i + 1 :]
            if shorter in self.word:
                candidates.add(shorter)
            candidates.update(self._deletes.get(shorter, ()))
        scored = []
        for known in candidates:
            distance = osa_distance(word, known)
            if 0 < distance <= limit:
                scored.append((distance, -self._df(self.word[known]), known))
        scored.sort()
        found: list[tuple[int, str]] = []
        seen: set[int] = set()
        for distance, _, known in scored:
            t = self.word[known]
            if t not in seen:
                seen.add(t)
                found.append((distance, known))
        return found[: self.params["typo_max"]]

    def _resolve(self, word: str, last: bool) -> list[Alternative]:
        p = self.params
        known = self.word.get(word)
        if known is not None:
            return [Alternative((known,), 100, "word")]
        british = self.spellings.get(word)
        if british is not None and british in self.word:
            return [Alternative((self.word[british],), 100, f"spelling:{british}")]
        for suffix, replacement in self.spelling_rules:
            if word.endswith(suffix) and len(word) > len(suffix) + 1:
                candidate = word[: len(word) - len(suffix)] + replacement
                if candidate in self.word:
                    return [Alternative((self.word[candidate],), 100, f"spelling:{candidate}")]
        found: list[Alternative] = []
        for suffix, replacement in self.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) + len(replacement) >= 3:
                stem = word[: len(word) - len(suffix)] + replacement
                if stem not in self.word and (
                    replacement == ""
                    and len(stem) >= 4
                    and stem[-1] == stem[-2]
                    and stem[:-1] in self.word
                ):
                    stem = stem[:-1]
                if stem in self.word:
                    found.append(Alternative((self.word[stem],), p["inflection"], f"form:{stem}"))
                    break
        # A compound is read split too, even when another form of it is a word of the
        # index ("homeschooling": "homeschool" and "home schooling").
        if len(word) >= p["split_min"]:
            for k in range(3, len(word) - 2):
                head, tail = word[:k], word[k:]
                if (
                    head in self.word
                    and tail in self.word
                    and head not in self.stop
                    and tail not in self.stop
                ):
                    pair = (self.word[head], self.word[tail])
                    found.append(Alternative(pair, p["split"], f"split:{head} {tail}"))
                    break
        if found:
            return found
        if len(word) >= p["prefix_min"]:
            completions = self._prefixed(word)
            if completions:
                return [Alternative((t,), p["prefix"], "prefix") for t in completions]
        if len(word) >= p["typo_min"]:
            return [
                Alternative((self.word[known_word],), p["typo1"] if d == 1 else p["typo2"], "typo")
                for d, known_word in self._typos(word)
            ]
        return []

    def units(self, text: str) -> list[Unit]:
        """Read a query into units: words with their readings, residents' words applied."""
        tokens = words(text)
        kept = [t for t in tokens if t not in self.stop] or tokens
        units: list[Unit] = []
        i = 0
        while i < len(kept):
            word = kept[i]
            if i + 1 < len(kept):
                joined = word + kept[i + 1]
                if joined in self.word and joined not in self.stop:
                    alternatives = [Alternative((self.word[joined],), 100, "joined")]
                    if word in self.word and kept[i + 1] in self.word:
                        pair = (self.word[word], self.word[kept[i + 1]])
                        alternatives.append(Alternative(pair, 100, "word"))
                    weak = word in self.weak and kept[i + 1] in self.weak
                    units.append(Unit((word, kept[i + 1]), tuple(alternatives), weak))
                    i += 2
                    continue
            alternatives = self._resolve(word, i == len(kept) - 1)
            units.append(Unit((word,), tuple(alternatives), word in self.weak))
            i += 1
        return self._expand(units)

    def _expand(self, units: list[Unit]) -> list[Unit]:
        """Merge runs of units that are a residents' phrase, adding the list's words."""
        out: list[Unit] = []
        i = 0
        while i < len(units):
            merged = None
            for length in range(min(self.longest, len(units) - i), 0, -1):
                run = units[i : i + length]
                if any(not u.alternatives for u in run):
                    continue
                key = " ".join(str(t) for u in run for t in u.alternatives[0].terms)
                targets = self.expansions.get(key)
                if targets is None:
                    continue
                if length == 1:
                    alternatives = list(run[0].alternatives)
                else:
                    terms = tuple(t for u in run for t in u.alternatives[0].terms)
                    alternatives = [Alternative(terms, 100, "word")]
                for goal, weight, text in targets:
                    alternatives.append(Alternative(tuple(goal), weight, f"residents:{text}"))
                words_run = tuple(w for u in run for w in u.words)
                merged = Unit(words_run, tuple(alternatives), all(u.weak for u in run))
                i += length
                break
            if merged is None:
                merged = units[i]
                i += 1
            out.append(merged)
        return out

    # -- ranking -----------------------------------------------------------------

    def _label_sets(self) -> list[frozenset[int]]:
        if self._labels is None:
            self._labels = [frozenset(terms) for terms in self.data["labels"]]
        return self._labels

    def _label_text_docs(self, text: str) -> list[int]:
        """Return the documents whose label is ``text``, word for word."""
        if self._by_label_text is None:
            found: dict[str, list[int]] = {}
            for doc, label in enumerate(self.data.get("label_texts", ())):
                found.setdefault(label, []).append(doc)
            self._by_label_text = found
        return self._by_label_text.get(text, []) if text else []

    def _columns(self, term: int) -> tuple[list[int], list[int], list[int]]:
        """Return the postings of ``term`` as (documents, weights, field masks)."""
        found = self._cols.get(term)
        if found is None:
            flat = self.postings[term]
            found = self._cols[term] = (flat[0::3], flat[1::3], flat[2::3])
        return found

    def rank(self, text: str, limit: int | None = None) -> list[tuple[int, int]]:
        """Return ``(document position, integer score)`` pairs, best first (``limit`` of them).

        A concept scores, for each unit of the query, its best reading's BM25F points
        times the reading's weight (a weak unit's at ``weak`` per cent), scaled by the
        share of strong units it matched; every strong unit read in its label (the
        first reading that fits, for each) adds ``label_all`` (and ``label_exact`` when
        the query's units, weak ones too, are all the label's words) times the least sure
        of those readings; a query that is a label word for word adds ``label_text``.
        """
        p = self.params
        label_bit = 1 << self.fields.index("label")
        units = self.units(text)
        strong = [u for u in units if not u.weak]
        all_strong = not strong
        n = len(units) if all_strong else len(strong)
        total: dict[int, int] = {}
        matched: dict[int, int] = {}
        fitted: dict[int, int] = {}  # strong units read in the label, per document
        fitted_all: dict[int, int] = {}  # units (weak ones too) read in the label
        lowest: dict[int, int] = {}
        used: dict[int, set[int]] = {}
        for unit in units:
            counts = all_strong or not unit.weak
            best: dict[int, int] = {}
            fits: dict[int, Alternative] = {}
            for alternative in unit.alternatives:
                sums: dict[int, int] = {}
                in_label: dict[int, int] = {}
                distinct = set(alternative.terms)
                seen: set[int] = set()
                for t in alternative.terms:
                    documents, weights, masks = self._columns(t)
                    for doc, value in zip(documents, weights, strict=True):
                        sums[doc] = sums.get(doc, 0) + value
                    if t not in seen:
                        seen.add(t)
                        for doc, mask in zip(documents, masks, strict=True):
                            if mask & label_bit:
                                in_label[doc] = in_label.get(doc, 0) + 1
                for doc, value in sums.items():
                    scored = alternative.weight * value
                    if scored > best.get(doc, 0):
                        best[doc] = scored
                if distinct:
                    need = len(distinct)
                    for doc, found in in_label.items():
                        if found == need and doc not in fits:
                            fits[doc] = alternative
            weight = 100 if counts else p["weak"]
            for doc, value in best.items():
                total[doc] = total.get(doc, 0) + weight * value
                if counts:
                    matched[doc] = matched.get(doc, 0) + 1
            for doc, alternative in fits.items():
                fitted_all[doc] = fitted_all.get(doc, 0) + 1
                used.setdefault(doc, set()).update(alternative.terms)
                if counts:
                    fitted[doc] = fitted.get(doc, 0) + 1
                    lowest[doc] = min(lowest.get(doc, 100), alternative.weight)
        counted = len(units) if all_strong else len(strong)
        labels = self._label_sets() if fitted else []
        unit_point = p["point"] // 10_000
        prior_point = p["point"] // 100
        scores: dict[int, int] = {}
        for doc, value in total.items():
            score = value * matched.get(doc, 0) // n if n else value
            if counted and fitted.get(doc, 0) == counted:
                exact = fitted_all[doc] == len(units) and used[doc] == labels[doc]
                bonus = p["label_all"] + (p["label_exact"] if exact else 0)
                score += bonus * lowest[doc] * unit_point
            scores[doc] = score + self.prior[doc] * prior_point
        tokens = words(text)
        for doc in self._label_text_docs(" ".join(tokens)):
            scores[doc] = scores.get(doc, 0) + p["label_text"] * prior_point
        # Numbers are codes only in a query of codes ("57", "lgsl 57"), not in a label's
        # words ("Early education for 2 year olds").
        codes_only = all(
            _DIGITS.fullmatch(token) is not None or token == self.list_name for token in tokens
        )
        for position, token in enumerate(tokens if codes_only else ()):
            if _DIGITS.fullmatch(token) is None or len(token) > 9:
                continue
            code = int(token)
            at = self._position.get(code)
            if at is not None and str(code) == token:
                scores[at] = scores.get(at, 0) + p["code_exact"] * prior_point
            if position == len(tokens) - 1:
                for doc, known in enumerate(self.codes):
                    if str(known).startswith(token) and str(known) != token:
                        scores[doc] = scores.get(doc, 0) + p["code_prefix"] * prior_point
        order = self.codes

        def key(item: tuple[int, int]) -> tuple[int, int]:
            return (-item[1], order[item[0]])

        if limit is not None and limit < len(scores):
            return heapq.nsmallest(limit, scores.items(), key=key)
        return sorted(scores.items(), key=key)

    def search(self, text: str, limit: int | None = None, *, explain: bool = True) -> list[Hit]:
        """Return the best matches for ``text``, best first, with scores and reasons."""
        ranked = self.rank(text, limit)
        units = self.units(text) if explain and ranked else []
        point = self.params["point"]
        return [
            Hit(
                self.codes[doc],
                score / point,
                self._reasons(units, doc) if explain else (),
            )
            for doc, score in ranked
        ]

    # -- explaining --------------------------------------------------------------

    def _posting(self, term: int, doc: int) -> tuple[int, int]:
        """Return (weight, field mask) of ``term`` in ``doc``, or (0, 0)."""
        flat = self.postings[term]
        k = bisect.bisect_left(range(0, len(flat), 3), doc, key=lambda i: flat[i])
        if k * 3 < len(flat) and flat[k * 3] == doc:
            return flat[k * 3 + 1], flat[k * 3 + 2]
        return 0, 0

    def _spelled(self, term: int) -> str:
        """Return a word that reads as ``term``: its shortest surface form in the index."""
        if self._surface is None:
            surface: dict[int, str] = {}
            for word in self.words:
                t = self.word[word]
                known = surface.get(t)
                if known is None or len(word) < len(known):
                    surface[t] = word
            self._surface = surface
        return self._surface.get(term, self.terms[term])

    def _reasons(self, units: Sequence[Unit], doc: int) -> tuple[str, ...]:
        reasons = []
        code = self.codes[doc]
        if any(w.isdigit() and w == str(code) for u in units for w in u.words):
            reasons.append(f"code {code}")
        for unit in units:
            best: tuple[int, Alternative, int] | None = None
            for alternative in unit.alternatives:
                total, mask = 0, 0
                for t in alternative.terms:
                    weight, fields = self._posting(t, doc)
                    total += weight
                    mask |= fields
                scored = alternative.weight * total
                if scored > 0 and (best is None or scored > best[0]):
                    best = (scored, alternative, mask)
            if best is None:
                continue
            _, alternative, mask = best
            where = ", ".join(
                FIELD_NAMES[name] for i, name in enumerate(self.fields) if mask & (1 << i)
            )
            said = " ".join(unit.words)
            read = " ".join(self._spelled(t) for t in alternative.terms)
            how = alternative.how.split(":")[0]
            if how == "residents":
                meant = alternative.how.partition(":")[2]
                reasons.append(f"{said!r}: residents' words for {meant!r}, in the {where}")
            elif how in _HOW:
                reasons.append(f"{said!r} read as {read!r} ({_HOW[how]}), in the {where}")
            else:
                reasons.append(f"{said!r} in the {where}")
        return tuple(reasons)


_HOW = {
    "joined": "joined up",
    "spelling": "British spelling",
    "form": "another form",
    "split": "a compound",
    "prefix": "completed",
    "typo": "a typo",
}


def read_index(path: Path) -> SearchIndex | None:
    """Load the index file at ``path``; None when absent or not a readable index."""
    try:
        return SearchIndex.from_bytes(path.read_bytes())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def index_path(folder: Path, list_name: str) -> Path:
    """Return the path of a list's built search index."""
    return folder / "built" / f"{list_name}.search.json"


def old_labels(history_notes: str) -> tuple[str, ...]:
    """Return the former names a concept's history notes quote (``changed from 'X'``)."""
    found = re.findall(
        r"(?:from|to)\s*'\s*(.+?)\s*'(?=\s*(?:to\b|in\b|and\b|[.,;]|$))", history_notes
    )
    return tuple(dict.fromkeys(name for name in found if name))


def documents_fingerprint(list_name: str, documents: Iterable[Document]) -> str:
    """Return the fingerprint of ``documents`` with the shipped word tables."""
    return fingerprint(list_name, list(documents), lexicon())


__all__ = [
    "ENGINE",
    "FIELDS",
    "FORMAT",
    "PARAMS",
    "RESIDENTS_SOURCES",
    "Alternative",
    "Document",
    "Hit",
    "Lexicon",
    "SearchIndex",
    "Unit",
    "build_index",
    "documents_fingerprint",
    "dump_index",
    "fingerprint",
    "index_path",
    "lexicon",
    "normalise",
    "old_labels",
    "osa_distance",
    "read_index",
    "search_folder",
    "words",
]
