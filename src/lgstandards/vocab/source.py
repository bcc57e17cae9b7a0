"""Read a vocabulary's editable source: ``scheme.toml``, ``concepts.csv`` and mappings.

The format is described in ``vocabularies/FORMAT.md``. This module only reads; the
import script writes the sources and :mod:`lgstandards.publish.skos` builds from them.
Reading is plain :mod:`csv` and :mod:`tomllib`, so it is fast and dependency-free.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lgstandards._resources import vocabularies_root
from lgstandards.exceptions import DataNotFoundError, SourceFormatError, UnknownListError

#: The columns every ``concepts.csv`` starts with, in order.
BASE_COLUMNS = (
    "code",
    "label",
    "description",
    "broader",
    "created",
    "modified",
    "history_notes",
    "deprecated",
    "deprecated_date",
    "replaced_by",
    "change_note",
)


@dataclass(frozen=True, slots=True)
class SchemeInfo:
    """A list's metadata from ``scheme.toml``."""

    id: str
    title: str
    description: str
    uri: str
    concept_uri: str
    version: str
    issued: dt.date | None = None
    modified: dt.date | None = None
    status: str = "current"
    discontinued: dt.date | None = None
    published_concept_uri: str | None = None
    extra_columns: tuple[str, ...] = ()
    language: str = "en"
    licence: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    sources: tuple[Mapping[str, Any], ...] = ()
    raw: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def concept_iri(self, code: int) -> str:
        """Return the IRI of the concept with ``code``."""
        return self.concept_uri.format(code=code)


@dataclass(frozen=True, slots=True)
class ConceptRow:
    """One row of ``concepts.csv``, typed; text kept exactly as written."""

    code: int
    label: str
    description: str = ""
    broader: int | None = None
    created: dt.date | None = None
    modified: dt.date | None = None
    history_notes: str = ""
    deprecated: bool = False
    deprecated_date: dt.date | None = None
    replaced_by: int | None = None
    change_note: str = ""
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def read_scheme(list_dir: Path) -> SchemeInfo:
    """Read ``scheme.toml`` of the list in ``list_dir``."""
    path = list_dir / "scheme.toml"
    try:
        with path.open("rb") as handle:
            raw = tomllib.load(handle)
    except FileNotFoundError as exc:
        raise DataNotFoundError(f"{path}: no scheme.toml; is this a vocabulary folder?") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SourceFormatError(f"{path}: {exc}") from exc
    try:
        return SchemeInfo(
            id=raw["id"],
            title=raw["title"],
            description=raw.get("description", ""),
            uri=raw["uri"],
            concept_uri=raw["concept_uri"],
            version=str(raw["version"]),
            issued=_date(raw.get("issued")),
            modified=_date(raw.get("modified")),
            status=raw.get("status", "current"),
            discontinued=_date(raw.get("discontinued")),
            published_concept_uri=raw.get("published_concept_uri"),
            extra_columns=tuple(raw.get("extra_columns", ())),
            language=raw.get("language", "en"),
            licence=MappingProxyType(dict(raw.get("licence", {}))),
            sources=tuple(MappingProxyType(dict(s)) for s in raw.get("sources", ())),
            raw=MappingProxyType(raw),
        )
    except KeyError as exc:
        raise SourceFormatError(f"{path}: missing required key {exc.args[0]!r}") from exc
    except ValueError as exc:
        raise SourceFormatError(f"{path}: {exc}") from exc


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Return the header and (line number, row) pairs of a UTF-8 CSV file."""
    try:
        text = path.read_bytes().decode("utf-8")  # no newline translation inside fields
    except FileNotFoundError as exc:
        raise DataNotFoundError(f"{path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise SourceFormatError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise SourceFormatError(f"{path}: empty file, expected a header row") from exc
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num + 1
    for values in reader:
        if len(values) != len(header):
            raise SourceFormatError(
                f"{path}:{line}: {len(values)} fields, the header has {len(header)}"
            )
        rows.append((line, dict(zip(header, values, strict=True))))
        line = reader.line_num + 1
    return header, rows


def _int(path: Path, line: int, column: str, value: str) -> int | None:
    if value == "":
        return None
    try:
        return int(value)
    except ValueError as exc:
        raise SourceFormatError(
            f"{path}:{line}: column {column!r}: {value!r} is not an integer"
        ) from exc


def read_concepts(
    list_dir: Path, scheme: SchemeInfo, *, path: Path | None = None
) -> tuple[ConceptRow, ...]:
    """Read ``concepts.csv`` (or a release's CSV at ``path``): one typed row per concept.

    A release's CSV has the source columns plus a last ``uri`` column, which is ignored
    here (the URI is derived from the scheme's pattern).
    """
    path = path or list_dir / "concepts.csv"
    header, rows = _read_csv(path)
    expected = [*BASE_COLUMNS, *scheme.extra_columns]
    if header and header[-1] == "uri" and header[:-1] == expected:
        header = header[:-1]
    if header != expected:
        raise SourceFormatError(
            f"{path}:1: header is {','.join(header)}; expected {','.join(expected)}"
        )
    concepts: list[ConceptRow] = []
    seen: dict[int, int] = {}
    for line, row in rows:
        code = _int(path, line, "code", row["code"])
        if code is None:
            raise SourceFormatError(f"{path}:{line}: column 'code' is empty")
        if code in seen:
            raise SourceFormatError(
                f"{path}:{line}: code {code} is repeated (first on line {seen[code]})"
            )
        seen[code] = line
        if row["deprecated"] not in ("", "true"):
            raise SourceFormatError(
                f"{path}:{line}: column 'deprecated' must be 'true' or empty, "
                f"not {row['deprecated']!r}"
            )
        try:
            created = _date(row["created"])
            modified = _date(row["modified"])
            deprecated_date = _date(row["deprecated_date"])
        except ValueError as exc:
            raise SourceFormatError(f"{path}:{line}: {exc}") from exc
        concepts.append(
            ConceptRow(
                code=code,
                label=row["label"],
                description=row["description"],
                broader=_int(path, line, "broader", row["broader"]),
                created=created,
                modified=modified,
                history_notes=row["history_notes"],
                deprecated=row["deprecated"] == "true",
                deprecated_date=deprecated_date,
                replaced_by=_int(path, line, "replaced_by", row["replaced_by"]),
                change_note=row["change_note"],
                extra=MappingProxyType({c: row[c] for c in scheme.extra_columns}),
            )
        )
    return tuple(concepts)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """Return rows in the source CSV form: UTF-8, LF line ends, minimal quoting.

    A row with a carriage return in a field is written fully quoted: the csv module's
    minimal quoting only protects the LF line terminator, and a bare CR would
    otherwise end the row when read back.
    """
    buffer = io.StringIO(newline="")
    minimal = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    minimal.writerow(header)
    for row in rows:
        (quoted if any("\r" in value for value in row) else minimal).writerow(row)
    return buffer.getvalue().encode("utf-8")


def read_table(path: Path) -> tuple[Mapping[str, str], ...]:
    """Read any source CSV (``mappings.csv``, ``transactions.csv``) as read-only rows."""
    _, rows = _read_csv(path)
    return tuple(MappingProxyType(row) for _, row in rows)


def read_mappings(list_dir: Path) -> tuple[Mapping[str, str], ...]:
    """Read ``mappings.csv`` of a list; an empty tuple when the list has none."""
    path = list_dir / "mappings.csv"
    return read_table(path) if path.is_file() else ()


def read_transactions(list_dir: Path) -> tuple[Mapping[str, str], ...]:
    """Read ``transactions.csv`` of the transactions list."""
    return read_table(list_dir / "transactions.csv")


# ----------------------------------------------------------------------- lists

#: A list name as a registry holds it: lower-case letters, digits, ``-`` and ``_``.
LIST_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")


def list_ids(root: Path | None = None) -> list[str]:
    """Return the ids of the lists in ``root`` (MANIFEST.json order, else sorted).

    This is the registry of list names of a vocabularies folder: the ``lists`` of its
    ``MANIFEST.json`` (for the shipped folder, :data:`lgstandards.vocab.LIST_NAMES`),
    or, without one, the folders holding a ``scheme.toml``. Every name matches
    :data:`LIST_ID`; a manifest with another name, or that is not JSON, raises
    :class:`~lgstandards.vocab.source.SourceFormatError`.
    """
    root = vocabularies_root() if root is None else root
    manifest = root / "MANIFEST.json"
    if manifest.is_file():
        try:
            data = json.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise SourceFormatError(f"{manifest}: cannot be read as JSON ({exc})") from None
        lists = data.get("lists") if isinstance(data, dict) else None
        if lists:
            if not isinstance(lists, list) or not all(
                isinstance(name, str) and LIST_ID.fullmatch(name) for name in lists
            ):
                raise SourceFormatError(
                    f"{manifest}: 'lists' must be list names (lower-case letters, digits, "
                    "'-' and '_')"
                )
            return list(lists)
    return sorted(
        p.parent.name for p in root.glob("*/scheme.toml") if LIST_ID.fullmatch(p.parent.name)
    )


def list_dir(list_id: str, root: Path | None = None) -> Path:
    """Return the source folder of ``list_id``; raises ``UnknownListError`` if absent.

    ``list_id`` must be one of :func:`list_ids` (the folder's registry of lists),
    exactly: a name is looked up, never taken as a path, so ``"../x"`` or ``"/tmp/x"``
    is an unknown list.
    """
    root = vocabularies_root() if root is None else root
    known = list_ids(root)
    folder = root / list_id if isinstance(list_id, str) and list_id in known else None
    if folder is None or not (folder / "scheme.toml").is_file():
        raise UnknownListError(str(list_id), known)
    return folder


__all__ = [
    "BASE_COLUMNS",
    "LIST_ID",
    "ConceptRow",
    "SchemeInfo",
    "SourceFormatError",
    "list_dir",
    "list_ids",
    "read_concepts",
    "read_mappings",
    "read_scheme",
    "read_table",
    "read_transactions",
    "write_csv",
]
