"""The schema catalogue, ``schemas/catalog.json``, read once into one model.

The catalogue maps every namespace the lgstandards schemas use to its local schema
file, prefix and version (and the ``SchemaVersion`` values its messages may declare),
its Schematron file and the modules of its Python rules
and models; and each message root element to a *document kind*
(``epay.payment-request`` ...), with the record element a batch kind streams and,
for the GovTalk envelope, the message classes whose bodies it carries.

A catalogue that is missing or malformed raises
:class:`~lgstandards.exceptions.DataNotFoundError` naming the file; an unknown
namespace or kind raises :class:`~lgstandards.exceptions.SchemaNotFoundError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from lgstandards._records import FACTORY, Compared, written_out
from lgstandards._resources import schemas_root
from lgstandards.exceptions import DataNotFoundError, SchemaNotFoundError

#: The catalogue's file name in the schemas folder.
CATALOGUE_FILE = "catalog.json"

_EMPTY: Mapping[str, str] = MappingProxyType({})


def _empty() -> Mapping[str, str]:
    return _EMPTY


@dataclass(frozen=True, slots=True, init=False, repr=False, eq=False)
@written_out
class CatalogEntry(Compared):
    """One namespace of the catalogue: its files, prefix, version, modules and roots."""

    namespace: str
    prefix: str
    file: str
    version: str
    rules: str | None = None
    python_rules: str | None = None
    models: str | None = None
    #: Root element local name -> document kind.
    roots: Mapping[str, str] = field(default_factory=_empty)
    #: Root element local name -> the record element a batch of that root streams.
    streaming: Mapping[str, str] = field(default_factory=_empty)
    #: For an envelope: message class prefix (``LGS-EPAY-``) -> the body's namespace.
    body_classes: Mapping[str, str] = field(default_factory=_empty)
    #: Every ``SchemaVersion`` a message may declare (a minor version takes the messages
    #: of the earlier ones); empty means the file's ``version`` only.
    versions: tuple[str, ...] = ()
    #: Root element local name -> the first version that has it (roots added later).
    since: Mapping[str, str] = field(default_factory=_empty)
    #: The folder the relative file names start from (the catalogue's own folder).
    folder: Path | None = field(default=None, repr=False, compare=False)

    # What dataclass would generate, written out (lgstandards._records).
    def __init__(
        self,
        namespace: str,
        prefix: str,
        file: str,
        version: str,
        rules: str | None = None,
        python_rules: str | None = None,
        models: str | None = None,
        roots: Mapping[str, str] = FACTORY,
        streaming: Mapping[str, str] = FACTORY,
        body_classes: Mapping[str, str] = FACTORY,
        versions: tuple[str, ...] = (),
        since: Mapping[str, str] = FACTORY,
        folder: Path | None = None,
    ) -> None:
        put = object.__setattr__
        put(self, "namespace", namespace)
        put(self, "prefix", prefix)
        put(self, "file", file)
        put(self, "version", version)
        put(self, "rules", rules)
        put(self, "python_rules", python_rules)
        put(self, "models", models)
        put(self, "roots", _empty() if roots is FACTORY else roots)
        put(self, "streaming", _empty() if streaming is FACTORY else streaming)
        put(self, "body_classes", _empty() if body_classes is FACTORY else body_classes)
        put(self, "versions", versions)
        put(self, "since", _empty() if since is FACTORY else since)
        put(self, "folder", folder)

    @property
    def path(self) -> Path:
        """The schema file's absolute path."""
        return (self.folder or schemas_root()) / self.file

    @property
    def rules_path(self) -> Path | None:
        """The Schematron file's absolute path, or None when the namespace has no rules."""
        return (self.folder or schemas_root()) / self.rules if self.rules else None

    @property
    def kinds(self) -> tuple[str, ...]:
        """The document kinds whose root elements are in this namespace."""
        return tuple(self.roots.values())

    def versions_of(self, local_name: str) -> frozenset[str]:
        """Return the ``SchemaVersion`` values a message of root ``local_name`` may declare."""
        every = self.versions or (self.version,)
        first = self.since.get(local_name)
        if first is None:
            return frozenset(every)
        return frozenset(v for v in every if _version_key(v) >= _version_key(first))

    def root_for_kind(self, kind: str) -> str:
        """Return the root element local name of ``kind``."""
        for name, value in self.roots.items():
            if value == kind:
                return name
        raise SchemaNotFoundError(f"no root element for kind {kind!r} in {self.namespace}")


def _version_key(version: str) -> tuple[int, ...]:
    """Order versions such as ``1.10`` after ``1.9`` (non-numeric parts count as 0)."""
    return tuple(int(part) if part.isdigit() else 0 for part in version.split("."))


def _text(item: Mapping[str, Any], key: str, where: str, *, optional: bool = False) -> Any:
    value = item.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        wanted = "a non-empty string or null" if optional else "a non-empty string"
        raise ValueError(f"{where}.{key} must be {wanted}, not {value!r}")
    return value


def _names(item: Mapping[str, Any], key: str, where: str) -> Mapping[str, str]:
    value = item.get(key)
    if value is None:
        return _EMPTY
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items()
    ):
        raise ValueError(f"{where}.{key} must map names to non-empty strings, not {value!r}")
    return MappingProxyType(dict(value))


def _entry(item: Any, where: str, folder: Path) -> CatalogEntry:
    if not isinstance(item, dict):
        raise ValueError(f"{where} must be an object, not {item!r}")
    body = item.get("body")
    if body is not None and not isinstance(body, dict):
        raise ValueError(f"{where}.body must be an object, not {body!r}")
    entry = CatalogEntry(
        namespace=_text(item, "namespace", where),
        prefix=_text(item, "prefix", where),
        file=_text(item, "file", where),
        version=_text(item, "version", where),
        rules=_text(item, "rules", where, optional=True),
        python_rules=_text(item, "python_rules", where, optional=True),
        models=_text(item, "models", where, optional=True),
        roots=_names(item, "roots", where),
        streaming=_names(item, "streaming", where),
        body_classes=_names(body or {}, "class_prefixes", f"{where}.body"),
        versions=_versions(item, where),
        since=_names(item, "since", where),
        folder=folder,
    )
    for key, names in (("streaming", entry.streaming), ("since", entry.since)):
        unknown = set(names) - set(entry.roots)
        if unknown:
            raise ValueError(f"{where}.{key} names roots it does not have: {sorted(unknown)}")
    listed = set(entry.versions) or {entry.version}
    if entry.version not in listed or not set(entry.since.values()) <= listed:
        raise ValueError(f"{where}.versions must list the version and every 'since' version")
    return entry


def _versions(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    value = item.get("versions")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ValueError(f"{where}.versions must be a list of non-empty strings, not {value!r}")
    return tuple(value)


def read_catalogue(path: Path) -> tuple[CatalogEntry, ...]:
    """Read and check a catalogue file; raises :class:`DataNotFoundError` naming it."""
    try:
        data = json.loads(path.read_bytes())
    except FileNotFoundError:
        raise DataNotFoundError(f"{path}: the schema catalogue is missing") from None
    except OSError as exc:
        raise DataNotFoundError(f"{path}: cannot read the schema catalogue: {exc}") from exc
    except ValueError as exc:
        raise DataNotFoundError(f"{path}: the schema catalogue is not JSON: {exc}") from exc
    try:
        items = data.get("namespaces") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ValueError("namespaces must be a list")
        found = tuple(_entry(item, f"namespaces[{i}]", path.parent) for i, item in enumerate(items))
        for label, keys in (
            ("namespace", [e.namespace for e in found]),
            ("document kind", [k for e in found for k in e.kinds]),
        ):
            twice = sorted({k for k in keys if keys.count(k) > 1})
            if twice:
                raise ValueError(f"{label} listed twice: {', '.join(twice)}")
    except ValueError as exc:
        raise DataNotFoundError(f"{path}: not a valid schema catalogue: {exc}") from None
    return found


@cache
def entries() -> tuple[CatalogEntry, ...]:
    """Return every entry of the package's catalogue, in file order (read once)."""
    return read_catalogue(schemas_root() / CATALOGUE_FILE)


@cache
def _by_namespace() -> Mapping[str, CatalogEntry]:
    return MappingProxyType({e.namespace: e for e in entries()})


@cache
def _by_kind() -> Mapping[str, CatalogEntry]:
    return MappingProxyType({k: e for e in entries() for k in e.kinds})


@cache
def prefixes() -> Mapping[str, str]:
    """Return the catalogue's namespace -> prefix map."""
    return MappingProxyType({e.namespace: e.prefix for e in entries()})


def kinds() -> tuple[str, ...]:
    """Return every document kind the catalogue knows, sorted."""
    return tuple(sorted(_by_kind()))


def kind_for(namespace: str | None, local_name: str) -> str | None:
    """Return the document kind of a root element, or None when it is not catalogued."""
    entry = _by_namespace().get(namespace or "")
    if entry is None:
        return None
    return entry.roots.get(local_name)


def entry_for_namespace(namespace: str) -> CatalogEntry:
    """Return the entry of ``namespace``; raises :class:`SchemaNotFoundError` if unknown."""
    try:
        return _by_namespace()[namespace]
    except KeyError:
        raise SchemaNotFoundError(f"no bundled schema for namespace {namespace!r}") from None


def entry_for_kind(kind: str) -> CatalogEntry:
    """Return the entry holding document kind ``kind``; raises if unknown."""
    try:
        return _by_kind()[kind]
    except KeyError:
        raise SchemaNotFoundError(
            f"unknown document kind {kind!r}; known kinds: {', '.join(kinds())}"
        ) from None


def resolve(namespace_or_kind: str) -> CatalogEntry:
    """Return the entry for a namespace URI or a document kind."""
    found = _by_namespace().get(namespace_or_kind)
    return found if found is not None else entry_for_kind(namespace_or_kind)


def file_for_namespace(namespace: str) -> Path | None:
    """Return the schema file of a catalogued namespace, or None."""
    entry = _by_namespace().get(namespace)
    return entry.path if entry is not None else None


def rule_files() -> tuple[Path, ...]:
    """Return every Schematron file the catalogue names that is present."""
    paths = (e.rules_path for e in entries())
    return tuple(p for p in paths if p is not None and p.is_file())


__all__ = [
    "CATALOGUE_FILE",
    "CatalogEntry",
    "entries",
    "entry_for_kind",
    "entry_for_namespace",
    "file_for_namespace",
    "kind_for",
    "kinds",
    "prefixes",
    "read_catalogue",
    "resolve",
    "rule_files",
]
