"""Publish an immutable, atomic, versioned release of a list: :func:`release`.

``release("lgsl", "4.1.0")`` builds the list's SKOS graph from its source, runs the
quality checks (an error refuses the release), compares it with the latest release
(removing or re-using a code is refused; the change decides the smallest allowed
version), and writes ``vocabularies/<list>/<version>/`` with ``<list>.ttl``,
``<list>.jsonld``, ``<list>.rdf``, ``<list>.csv``, ``CHANGELOG.md`` (this release's
entry, then the earlier ones) and ``manifest.json`` (SHA-256 of every file).

The files are written to a hidden folder beside the target, each fsynced, and the
folder is renamed into place at the end, so a release killed at any point leaves no
release folder or a whole one. The output depends only on the source, the version
and the date: two releases of the same source are byte-identical.

Fault injection for tests: with ``LGSTANDARDS_FAULT_AFTER_FILES=N`` in the
environment the process kills itself with SIGKILL after writing N files.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgstandards.exceptions import PublishError
from lgstandards.publish._graph import Triples
from lgstandards.vocab.releases import (
    CHANGELOG,
    MANIFEST,
    SUFFIXES,
    ReleaseInfo,
    parse_version,
    releases,
)

if TYPE_CHECKING:
    from lgstandards.publish.diff import VocabularyDiff

FAULT_ENV = "LGSTANDARDS_FAULT_AFTER_FILES"
PARTIAL = ".partial-"
OWL_VERSION = "http://www.w3.org/2002/07/owl#versionInfo"
DCT_ISSUED = "http://purl.org/dc/terms/issued"
SKOS_SCHEME = "http://www.w3.org/2004/02/skos/core#ConceptScheme"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def smallest_version(previous: str, bump: str) -> str:
    """Return the smallest version after ``previous`` allowed for a ``bump``."""
    major, minor, patch = parse_version(previous)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (one release of a list at a time)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _release_graph(list_id: str, version: str, date: dt.date, root: Path | None) -> Any:
    from rdflib import Literal, URIRef

    from lgstandards.publish.skos import build_graph

    graph = build_graph(list_id, root)
    for scheme in graph.subjects(URIRef(RDF_TYPE), URIRef(SKOS_SCHEME)):
        graph.set((scheme, URIRef(OWL_VERSION), Literal(version)))
        graph.set((scheme, URIRef(DCT_ISSUED), Literal(date)))
    return graph


def _refusal_for_removed(list_id: str, diff: Any, source: Path) -> str:
    lines = [
        f"refused: {len(diff['removed'])} code(s) of the latest release are missing from "
        f"{source}; codes are never removed."
    ]
    lines += [f"  - {c.ref.name()} ({c.ref.concept})" for c in diff["removed"]]
    lines.append(
        "To retire a code, put its row back and deprecate it instead: set deprecated=true, "
        "deprecated_date=<YYYY-MM-DD>, change_note=<date and reason> and, where there is one, "
        "replaced_by=<code of the replacement>."
    )
    return "\n".join(lines)


def _changelog(entry: str, previous: ReleaseInfo | None) -> bytes:
    text = entry
    if previous is not None:
        earlier = (previous.path / CHANGELOG).read_text(encoding="utf-8")
        head = "# Changelog\n\n"
        text += "\n" + (earlier[len(head) :] if earlier.startswith(head) else earlier)
    return ("# Changelog\n\n" + text).encode("utf-8")


def plan_release(
    list_id: str, version: str, *, date: dt.date | None = None, root: Path | None = None
) -> dict[str, bytes]:
    """Check and build release ``version`` of ``list_id``; return its files (name -> bytes).

    Nothing is written. Raises :class:`PublishError` when the release is refused,
    ``UnsupportedVersionError`` for a version that is not X.Y.Z, ``UnknownListError``
    for a name not in the folder's registry of lists and ``InvalidReleaseError`` when an
    earlier release's manifest is damaged.
    """
    from lgstandards.publish._graph import load
    from lgstandards.publish.check import check_vocabulary
    from lgstandards.publish.diff import diff_vocabularies
    from lgstandards.publish.skos import serialize, to_csv
    from lgstandards.vocab.releases import FORMATS
    from lgstandards.vocab.source import list_dir, read_scheme

    parse_version(version)
    folder = list_dir(list_id, root)
    when = _release_date(date)
    if os.path.lexists(folder / version):
        raise PublishError(
            f"refused: {list_id} {version} is already released in {folder / version}; "
            "releases are immutable, choose a new version"
        )
    published = releases(list_id, folder.parent)
    _check_order(list_id, version, when, published)
    graph = _release_graph(list_id, version, when, root)
    triples = load(graph)
    report = check_vocabulary(triples, name=f"{list_id} source")
    if not report.ok:
        shown = "\n".join(f"  {issue}" for issue in report.errors[:20])
        more = len(report.errors) - 20
        raise PublishError(
            f"refused: the quality check found {len(report.errors)} error(s) in {list_id}:\n"
            + shown
            + (f"\n  ... and {more} more" if more > 0 else "")
        )

    previous = published[-1] if published else None
    concepts = len(triples.subjects_of_type("http://www.w3.org/2004/02/skos/core#Concept"))
    members = len({s for s, _o in triples.pairs(SKOS_IN_SCHEME)})
    counted = f"{concepts} concepts" if concepts else f"{members} resources in the scheme"
    scheme = read_scheme(folder)
    title = f"{version} ({when.isoformat()})"
    bump: str | None = None
    if previous is None:
        entry = (
            f"## {title}\n\nFirst release of {list_id}: {counted}, from the source "
            f"version {scheme.version} ({len(report.warnings)} quality warning(s)).\n"
        )
    else:
        problems = [p for earlier in published for p in earlier.verify()]
        if problems:
            raise PublishError(
                "refused: published releases have been altered (restore them from version "
                "control):\n  " + "\n  ".join(problems)
            )
        diff = diff_vocabularies(previous.file("turtle"), triples)
        if diff["removed"]:
            raise PublishError(_refusal_for_removed(list_id, diff, folder / "concepts.csv"))
        forbidden = diff.forbidden()
        if forbidden:
            raise PublishError(
                "refused: codes are never re-used or renumbered:\n  "
                + "\n  ".join(forbidden)
                + "\nAdd a new code for a new concept, and deprecate the old one."
            )
        bump = diff.required_bump()
        if bump is None:
            if _statements(load(previous.file("turtle"))) == _statements(triples):
                raise PublishError(f"refused: {list_id} has not changed since {previous.version}")
            bump = "patch"
        smallest = smallest_version(previous.version, bump)
        if parse_version(version) < parse_version(smallest):
            raise PublishError(
                f"refused: the changes since {previous.version} need a {bump} release; "
                f"the smallest allowed version is {smallest}, not {version}"
            )
        entry = diff.to_markdown(title).replace(
            f"## {title}\n\n", f"## {title}\n\n{bump.capitalize()} release. ", 1
        )
        if not diff:
            entry = (
                f"## {title}\n\nPatch release: no concept changed; other resources or the "
                "scheme's metadata did.\n"
            )
    files: dict[str, bytes] = {}
    for fmt in FORMATS:
        name = f"{list_id}.{SUFFIXES[fmt]}"
        files[name] = to_csv(graph, scheme.extra_columns) if fmt == "csv" else serialize(graph, fmt)
    files[CHANGELOG] = _changelog(entry, previous)
    manifest = {
        "format": 1,
        "list": list_id,
        "version": version,
        "date": when.isoformat(),
        "previous": previous.version if previous else None,
        "bump": bump,
        "source_version": scheme.version,
        "concepts": concepts,
        "members": members,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in sorted(files.items())
        },
    }
    files[MANIFEST] = (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode("utf-8")
    return files


def _release_date(date: dt.date | None) -> dt.date:
    """Return the release date: ``date`` as a calendar date, or today (UTC)."""
    if date is None:
        return dt.datetime.now(dt.UTC).date()
    if isinstance(date, dt.datetime):
        return date.date()
    if not isinstance(date, dt.date):
        raise PublishError(f"refused: the release date {date!r} is not a date")
    return date


def _check_order(
    list_id: str, version: str, when: dt.date, published: Sequence[ReleaseInfo]
) -> None:
    """Refuse a version not after the latest release, or a date before any release's."""
    if not published:
        return
    latest = published[-1]
    if parse_version(version) <= latest.key:
        raise PublishError(
            f"refused: {list_id} {version} is not after the latest release {latest.version}; "
            "versions only increase"
        )
    last = max(published, key=lambda r: (r.date, r.key))
    if when < last.date:
        raise PublishError(
            f"refused: {list_id} {version} is dated {when.isoformat()}, before release "
            f"{last.version} of {last.date.isoformat()}; a release is dated on or after "
            "the previous one"
        )


def _statements(triples: Triples) -> set[tuple[str, str, Any]]:
    """Return every triple except the release stamps (scheme version and issue date)."""
    return {
        (subject, predicate, obj)
        for subject, props in triples.spo.items()
        for predicate, objects in props.items()
        if predicate not in (OWL_VERSION, DCT_ISSUED)
        for obj in objects
    }


def _write_files(target: Path, files: Mapping[str, bytes]) -> None:
    fault = os.environ.get(FAULT_ENV)
    limit = int(fault) if fault and fault.isascii() and fault.isdigit() else None
    for count, (name, data) in enumerate(files.items(), start=1):
        # New files only, never through a link: the work folder was just made empty.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with open(os.open(target / name, flags, 0o644), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if limit is not None and count >= limit:
            os.kill(os.getpid(), signal.SIGKILL)


def release(
    list_id: str, version: str, *, date: dt.date | None = None, root: Path | None = None
) -> Path:
    """Publish release ``version`` of ``list_id`` and return its folder.

    ``root`` is the vocabularies folder (default: the package's). Raises
    :class:`PublishError` when refused (existing version, a version not after the
    latest or a date before the previous release's, quality errors, a removed or
    re-used code, a version smaller than the change allows, an altered earlier release),
    ``UnsupportedVersionError`` for a version that is not X.Y.Z, ``UnknownListError``
    for a name not in the folder's registry of lists (names are never paths) and
    ``InvalidReleaseError`` for a damaged earlier release. The release folder is always
    ``<root>/<list>/<version>``.
    """
    from lgstandards.vocab.source import list_dir

    parse_version(version)
    folder = list_dir(list_id, root)
    with _locked(folder):
        for stale in folder.glob(f".*{PARTIAL}*"):
            shutil.rmtree(stale, ignore_errors=True)
        files = plan_release(list_id, version, date=date, root=folder.parent)
        target = folder / version
        work = folder / f".{version}{PARTIAL}{os.getpid()}"
        work.mkdir()
        try:
            _write_files(work, files)
            _fsync_dir(work)
            if os.path.lexists(target):
                raise PublishError(f"refused: {target} appeared during the release")
            os.rename(work, target)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        _fsync_dir(folder)
    return target


#: Bumps from the smallest to the largest.
BUMPS = ("patch", "minor", "major")
#: Why each bump is the one needed (the versioning rule of :mod:`lgstandards.publish.diff`).
_WHY = {
    "minor": "new codes, deprecations, un-deprecations, moves or mapping changes need a minor "
    "version",
    "patch": "label, definition or note changes need a patch version",
}


@dataclass(frozen=True, slots=True)
class SourceChanges:
    """The changes of a list's source since its latest release, and the version they need.

    ``bump`` is the smallest bump the changes need (None for a first release, for no
    change, or when a change is never allowed: see ``forbidden``); ``version`` the
    smallest version they allow (the source's own version for a first release; None
    when no release is possible). ``diff`` compares the latest release with the source.
    """

    list_id: str
    previous: str | None
    source_version: str
    bump: str | None
    version: str | None
    diff: VocabularyDiff | None
    forbidden: tuple[str, ...] = ()
    changed: bool = True

    def reason(self) -> str:
        """Return one line saying why the version is what it is (or why none is)."""
        if self.previous is None:
            return f"first release of {self.list_id}: the source's version {self.source_version}"
        if self.forbidden:
            return (
                f"refused: codes are never removed or re-used ({len(self.forbidden)} such "
                f"change(s) since {self.previous}; see vocab diff {self.list_id})"
            )
        if not self.changed:
            return f"refused: {self.list_id} has not changed since {self.previous}"
        summary = self.diff.summary() if self.diff is not None else {}
        counted = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in summary.items())
        why = _WHY.get(self.bump or "", "")
        if not counted:
            counted = "no concept changed; other resources or the scheme's metadata did"
            why = "a patch version"
        return f"{self.bump} since {self.previous}: {counted} ({why})"

    def version_for(self, bump: str, *, force: bool = False) -> str:
        """Return the version of a release with ``bump`` (``auto``: the one needed).

        Raises :class:`PublishError` when no release is possible, the bump is smaller
        than the changes need, or larger without ``force``.
        """
        if self.version is None:
            raise PublishError(self.reason())
        if bump == "auto" or self.previous is None or self.bump is None:
            if bump not in ("auto", self.bump):
                raise PublishError(
                    f"refused: {self.list_id} has no earlier release to bump; "
                    f"its first release takes the source's version {self.version}"
                )
            return self.version
        if BUMPS.index(bump) < BUMPS.index(self.bump):
            raise PublishError(
                f"refused: the changes since {self.previous} need a {self.bump} release, "
                f"not {bump} ({self.reason()})"
            )
        if BUMPS.index(bump) > BUMPS.index(self.bump) and not force:
            raise PublishError(
                f"refused: a {bump} release is larger than the changes since "
                f"{self.previous} need ({self.reason()}); use --force to release it anyway"
            )
        return smallest_version(self.previous, bump)


def source_changes(list_id: str, *, root: Path | None = None) -> SourceChanges:
    """Compare the source of ``list_id`` with its latest release, without building files.

    Nothing is written. Raises ``UnknownListError`` for a name that is not a list and
    ``InvalidReleaseError`` for a damaged release.
    """
    from lgstandards.publish._graph import load
    from lgstandards.publish.diff import diff_vocabularies
    from lgstandards.publish.skos import build_graph
    from lgstandards.vocab.source import list_dir, read_scheme

    folder = list_dir(list_id, root)
    scheme = read_scheme(folder)
    published = releases(list_id, folder.parent)
    if not published:
        return SourceChanges(list_id, None, scheme.version, None, scheme.version, None)
    previous = published[-1]
    triples = load(build_graph(list_id, folder.parent))
    diff = diff_vocabularies(previous.file("turtle"), triples)
    diff.new_source, diff.new_version = str(folder), None  # the source is not a release
    forbidden = tuple(diff.forbidden())
    if forbidden:
        return SourceChanges(list_id, previous.version, scheme.version, None, None, diff, forbidden)
    bump: str | None = diff.required_bump()
    changed = True
    if bump is None:
        changed = _statements(load(previous.file("turtle"))) != _statements(triples)
        bump = "patch" if changed else None
    version = smallest_version(previous.version, bump) if bump else None
    return SourceChanges(
        list_id, previous.version, scheme.version, bump, version, diff, changed=changed
    )


__all__ = [
    "BUMPS",
    "FAULT_ENV",
    "SourceChanges",
    "plan_release",
    "release",
    "smallest_version",
    "source_changes",
]
