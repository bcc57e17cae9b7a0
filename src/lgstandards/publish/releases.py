"""Find published releases: ``vocabularies/<list>/<X.Y.Z>/`` folders with a ``manifest.json``.

Used by the runtime to load the latest release, a release by version, or the release
in force at a date. A folder counts as a release only when its manifest exists (a
release is moved into place whole, so a half-written one is never seen); hidden
folders (``.<version>.partial-*``, work in progress) are ignored.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from lgstandards.exceptions import UnsupportedVersionError

VERSION_PATTERN = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
MANIFEST = "manifest.json"
CHANGELOG = "CHANGELOG.md"
#: File name suffix of each format in a release folder.
SUFFIXES: Mapping[str, str] = MappingProxyType(
    {"turtle": "ttl", "jsonld": "jsonld", "rdfxml": "rdf", "csv": "csv"}
)


def parse_version(version: str) -> tuple[int, int, int]:
    """Return ``(major, minor, patch)``; raises ``UnsupportedVersionError`` if not X.Y.Z."""
    match = VERSION_PATTERN.match(version)
    if match is None:
        raise UnsupportedVersionError(
            f"{version!r} is not a release version: use X.Y.Z (for example 4.1.0)"
        )
    major, minor, patch = (int(g) for g in match.groups())
    return major, minor, patch


@dataclass(frozen=True, slots=True)
class ReleaseInfo:
    """One published release of a list, read from its ``manifest.json``."""

    list_id: str
    version: str
    date: dt.date | None
    path: Path
    previous: str | None
    files: Mapping[str, str]  # file name -> SHA-256 hex

    @property
    def key(self) -> tuple[int, int, int]:
        """The version as a sortable tuple."""
        return parse_version(self.version)

    def file(self, fmt: str = "turtle") -> Path:
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
    if root is not None:
        return root
    from lgstandards._resources import vocabularies_root

    return vocabularies_root()


def list_folder(list_id: str, root: Path | None = None) -> Path:
    """Return ``<root>/<list_id>``, the folder holding the list's source and releases."""
    return _root(root) / list_id


def release_dir(list_id: str, version: str, root: Path | None = None) -> Path:
    """Return the folder of one release (whether or not it exists)."""
    parse_version(version)
    return list_folder(list_id, root) / version


def read_release(folder: Path) -> ReleaseInfo:
    """Read the manifest of the release in ``folder``."""
    data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    date = data.get("date")
    return ReleaseInfo(
        list_id=str(data["list"]),
        version=str(data["version"]),
        date=dt.date.fromisoformat(date) if date else None,
        path=folder,
        previous=data.get("previous"),
        files=MappingProxyType({k: str(v["sha256"]) for k, v in data["files"].items()}),
    )


def releases(list_id: str, root: Path | None = None) -> list[ReleaseInfo]:
    """Return the releases of ``list_id``, oldest version first (empty when none)."""
    folder = list_folder(list_id, root)
    if not folder.is_dir():
        return []
    found = [
        read_release(child)
        for child in folder.iterdir()
        if VERSION_PATTERN.match(child.name) and (child / MANIFEST).is_file()
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
        f"{list_id} has no release {version!r} (released versions: {known})"
    )


def release_as_of(list_id: str, date: dt.date, root: Path | None = None) -> ReleaseInfo | None:
    """Return the release in force on ``date``: the highest version released on or before it."""
    in_force = [r for r in releases(list_id, root) if r.date is not None and r.date <= date]
    return in_force[-1] if in_force else None


def release_graph_file(folder: Path) -> Path:
    """Return the Turtle file of the release in ``folder`` (for diffs between releases)."""
    info = read_release(folder)
    return info.file("turtle")


__all__ = [
    "CHANGELOG",
    "MANIFEST",
    "VERSION_PATTERN",
    "ReleaseInfo",
    "get_release",
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
