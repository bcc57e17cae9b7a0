"""Read published releases: ``vocabularies/<list>/<X.Y.Z>/`` folders with a ``manifest.json``.

The look-ups (``lgsl.lookup``, ``lgsl.release("4.0.1")``, ``lgsl.as_of(date)``) read
the latest release, a release by version, or the release in force at a date through
this module; the publisher (:mod:`lgstandards.publish.release`) writes releases in this
layout. A folder counts as a release only when its manifest exists (a release is moved
into place whole, so a half-written one is never seen); hidden folders
(``.<version>.partial-*``, work in progress) are ignored.

A manifest that cannot be read, is not JSON, or is not a well-formed manifest of the
release it sits in raises :class:`~lgstandards.exceptions.InvalidReleaseError` naming
the file. A damaged release is never skipped: skipping it would silently serve an
older release as the latest one.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from lgstandards._resources import vocabularies_root
from lgstandards._text import shorten
from lgstandards.exceptions import InvalidReleaseError, UnknownListError, UnsupportedVersionError
from lgstandards.vocab.source import LIST_ID, list_ids

#: One part of a version: 0, or a whole number of at most 9 ASCII digits without a
#: leading zero (``\\d`` would also take other scripts' digits, such as ``"١"``).
_PART = r"(0|[1-9][0-9]{0,8})"
#: A release version, ``X.Y.Z``. Anchored with ``\\A`` and ``\\Z`` (``$`` also matches
#: before a final newline); :func:`parse_version` is the one place that applies it.
VERSION_PATTERN = re.compile(rf"\A{_PART}\.{_PART}\.{_PART}\Z")
MANIFEST = "manifest.json"
CHANGELOG = "CHANGELOG.md"
#: The formats a list is published in.
Format = Literal["turtle", "jsonld", "rdfxml", "csv"]
FORMATS: tuple[Format, ...] = ("turtle", "jsonld", "rdfxml", "csv")
#: File name suffix of each format (``<list>.<suffix>`` in a release or ``built/`` folder).
SUFFIXES: Mapping[Format, str] = MappingProxyType(
    {"turtle": "ttl", "jsonld": "jsonld", "rdfxml": "rdf", "csv": "csv"}
)
#: The manifest format :mod:`lgstandards.publish.release` writes.
MANIFEST_FORMAT = 1
#: A manifest larger than this is refused unread (the shipped ones are under 2 KB).
MAX_MANIFEST_BYTES = 1 << 20

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _shown(value: object, limit: int = 60) -> str:
    """Return ``repr(value)`` fit for a one-line message (see :func:`shorten`)."""
    return shorten(repr(value), limit)


def parse_version(version: object) -> tuple[int, int, int]:
    """Return ``(major, minor, patch)``; raises ``UnsupportedVersionError`` if not X.Y.Z.

    A release version is three whole numbers in ASCII digits, without leading zeros,
    and nothing else: no spaces or newline, no pre-release or build part. A version
    accepted here is also the name of its release folder.
    """
    match = VERSION_PATTERN.fullmatch(version) if isinstance(version, str) else None
    if match is None:
        raise UnsupportedVersionError(
            f"{_shown(version)} is not a release version: use X.Y.Z, three whole numbers "
            "without leading zeros (for example 4.1.0)"
        )
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


def is_version(text: str) -> bool:
    """Return True when ``text`` is a release version (see :func:`parse_version`)."""
    return VERSION_PATTERN.fullmatch(text) is not None


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """One published release of a list, read from its ``manifest.json``."""

    list_id: str
    version: str
    date: dt.date
    path: Path
    previous: str | None
    files: Mapping[str, str]  # file name -> SHA-256 hex

    @property
    def key(self) -> tuple[int, int, int]:
        """The version as a sortable tuple."""
        return parse_version(self.version)

    def file(self, fmt: Format = "turtle") -> Path:
        """Return the path of the release's ``turtle``/``jsonld``/``rdfxml``/``csv`` file."""
        return self.path / f"{self.list_id}.{SUFFIXES[fmt]}"

    def verify(self) -> list[str]:
        """Return a message for each file missing or changed since release (empty: intact)."""
        import hashlib

        problems = []
        for name, digest in sorted(self.files.items()):
            target = self.path / name
            if not target.is_file():
                problems.append(f"{target} is missing")
            elif hashlib.sha256(target.read_bytes()).hexdigest() != digest:
                problems.append(f"{target} has changed since it was released")
        return problems


def _root(root: Path | None) -> Path:
    return vocabularies_root() if root is None else root


def list_folder(list_id: str, root: Path | None = None) -> Path:
    """Return ``<root>/<list_id>``, the folder holding the list's source and releases.

    ``list_id`` must be in the folder's registry of lists
    (:func:`lgstandards.vocab.source.list_ids`); anything else, a path included, raises
    :class:`~lgstandards.UnknownListError`.
    """
    folder = _root(root)
    known = list_ids(folder)
    if not isinstance(list_id, str) or list_id not in known:
        raise UnknownListError(str(list_id), known)
    return folder / list_id


def release_dir(list_id: str, version: str, root: Path | None = None) -> Path:
    """Return the folder of one release (whether or not it exists)."""
    parse_version(version)
    return list_folder(list_id, root) / version


def _load_manifest(path: Path) -> Any:
    """Return the parsed JSON of ``path``: a regular file of at most ``MAX_MANIFEST_BYTES``."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InvalidReleaseError(path, f"cannot be read ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InvalidReleaseError(path, "not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise InvalidReleaseError(path, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise InvalidReleaseError(path, f"larger than {MAX_MANIFEST_BYTES} bytes")

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(raw.decode("utf-8"), parse_constant=constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidReleaseError(path, f"not JSON ({_shown(reason, 200)[1:-1]})") from None


def _version_field(path: Path, data: Mapping[str, Any], key: str) -> str:
    value = data.get(key)
    try:
        parse_version(value)
    except UnsupportedVersionError as exc:
        raise InvalidReleaseError(path, f"{key!r}: {exc}") from None
    return str(value)


def _files_field(path: Path, list_id: str, value: object) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise InvalidReleaseError(path, "'files' must be an object of file name -> digest")
    files: dict[str, str] = {}
    for name, entry in value.items():
        if not _plain_name(name) or name == MANIFEST:
            raise InvalidReleaseError(path, f"'files': {_shown(name)} is not a file name")
        digest = entry.get("sha256") if isinstance(entry, dict) else None
        if not isinstance(digest, str) or _SHA256.fullmatch(digest) is None:
            raise InvalidReleaseError(
                path, f"'files': {name!r} has no 'sha256' of 64 lower-case hex digits"
            )
        files[name] = digest
    for suffix in SUFFIXES.values():
        if f"{list_id}.{suffix}" not in files:
            raise InvalidReleaseError(path, f"'files' does not list {list_id}.{suffix}")
    return MappingProxyType(files)


def _plain_name(name: str) -> bool:
    """Return True for a file name of the release folder itself (no folder, no link out)."""
    return (
        bool(name)
        and name not in (".", "..")
        and not any(c in name for c in "/\\\0")
        and len(name.encode("utf-8", "surrogatepass")) <= 255
    )


def read_release(folder: Path, list_id: str | None = None) -> ReleaseInfo:
    """Read the manifest of the release in ``folder``.

    With ``list_id`` (as :func:`releases` reads them), the manifest must be of that list
    and of the version the folder is named after. Raises
    :class:`~lgstandards.exceptions.InvalidReleaseError`, naming the manifest, when it
    cannot be read, is not JSON, or lacks or mistypes a field (``format`` 1, a known
    ``list``, an X.Y.Z ``version``, a YYYY-MM-DD ``date``, ``previous`` null or an
    earlier version, ``files`` with the SHA-256 of each plain file name).
    """
    path = folder / MANIFEST
    data = _load_manifest(path)
    if not isinstance(data, dict):
        raise InvalidReleaseError(path, "not a JSON object")
    form = data.get("format")
    if type(form) is not int or form != MANIFEST_FORMAT:
        raise InvalidReleaseError(path, f"'format' is {_shown(form)}, not {MANIFEST_FORMAT}")
    name = data.get("list")
    if not isinstance(name, str) or LIST_ID.fullmatch(name) is None:
        raise InvalidReleaseError(path, f"'list' {_shown(name)} is not a list name")
    if list_id is not None and name != list_id:
        raise InvalidReleaseError(path, f"'list' is {name!r}, not {list_id!r}")
    version = _version_field(path, data, "version")
    if list_id is not None and version != folder.name:
        raise InvalidReleaseError(path, f"'version' is {version!r}, not its folder's name")
    date = data.get("date")
    try:
        if not isinstance(date, str) or _DATE.fullmatch(date) is None:
            raise ValueError(date)
        issued = dt.date.fromisoformat(date)
    except ValueError:
        raise InvalidReleaseError(path, f"'date' {_shown(date)} is not YYYY-MM-DD") from None
    previous = None if data.get("previous") is None else _version_field(path, data, "previous")
    if previous is not None and parse_version(previous) >= parse_version(version):
        raise InvalidReleaseError(path, f"'previous' {previous} is not before {version}")
    return ReleaseInfo(
        list_id=name,
        version=version,
        date=issued,
        path=folder,
        previous=previous,
        files=_files_field(path, name, data.get("files")),
    )


def releases(list_id: str, root: Path | None = None) -> list[ReleaseInfo]:
    """Return the releases of ``list_id``, oldest version first (empty when none).

    Raises :class:`~lgstandards.exceptions.InvalidReleaseError` when a release's
    manifest is damaged, and ``UnknownListError`` when ``list_id`` is not a list name.
    """
    folder = list_folder(list_id, root)
    if not folder.is_dir():
        return []
    found = [
        read_release(child, list_id)
        for child in folder.iterdir()
        if is_version(child.name) and (child / MANIFEST).is_file()
    ]
    return sorted(found, key=lambda r: r.key)


def release_versions(list_id: str, root: Path | None = None) -> list[str]:
    """Return the released versions of ``list_id``, oldest first."""
    return [r.version for r in releases(list_id, root)]


def latest_release(list_id: str, root: Path | None = None) -> ReleaseInfo | None:
    """Return the release with the highest version, or None when the list has none."""
    found = releases(list_id, root)
    return found[-1] if found else None


def get_release(list_id: str, version: str, root: Path | None = None) -> ReleaseInfo:
    """Return release ``version`` of ``list_id``; raises ``UnsupportedVersionError``."""
    for info in releases(list_id, root):
        if info.version == version:
            return info
    known = ", ".join(release_versions(list_id, root)) or "none"
    raise UnsupportedVersionError(
        f"{list_id} has no release {_shown(version)} (released versions: {known})"
    )


def release_as_of(list_id: str, date: dt.date, root: Path | None = None) -> ReleaseInfo | None:
    """Return the release in force on ``date``: the last one issued on or before it.

    Releases are dated in version order (a release dated before the previous one is
    refused); should two share a date, the higher version wins.
    """
    day = date.date() if isinstance(date, dt.datetime) else date
    in_force = [r for r in releases(list_id, root) if r.date <= day]
    return max(in_force, key=lambda r: (r.date, r.key)) if in_force else None


def release_graph_file(folder: Path) -> Path:
    """Return the Turtle file of the release in ``folder`` (for diffs between releases)."""
    info = read_release(folder)
    return info.file("turtle")


__all__ = [
    "CHANGELOG",
    "FORMATS",
    "MANIFEST",
    "MANIFEST_FORMAT",
    "MAX_MANIFEST_BYTES",
    "SUFFIXES",
    "VERSION_PATTERN",
    "Format",
    "ReleaseInfo",
    "get_release",
    "is_version",
    "latest_release",
    "list_folder",
    "parse_version",
    "read_release",
    "release_as_of",
    "release_dir",
    "release_graph_file",
    "release_versions",
    "releases",
]
