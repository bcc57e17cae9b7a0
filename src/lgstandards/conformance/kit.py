"""The conformance kit: the bundled examples and the outcome each one must give.

Every family folder of ``examples/`` (``epay``, ``ebenefits``, ``govtalk``,
``transactions``, ``catalogues`` ...) holds ``valid/`` and ``invalid/`` documents and a
plain-text ``MANIFEST``: one line per file, ``relative/path  codes``, where ``codes``
are the issue codes the document must raise (errors and warnings) or ``-`` for none.
A case's *name* is its path below the examples folder (``epay/valid/payment-request.xml``);
a product under test writes its output for that case to the same relative path.

The ``exchanges`` family holds exchange cases: each folder is one history, its messages
listed in order in the family's ``MANIFEST`` with the codes each must raise when the
history is checked against a ledger (:mod:`lgstandards.conformance.exchanges`). Each
message is a case whose ``exchange`` names its history.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import tomllib
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any

from lgstandards._resources import examples_root
from lgstandards.artefacts.kinds import RDF_KIND
from lgstandards.exceptions import ExchangeOptionsError, PublishError, UnsupportedVersionError
from lgstandards.safexml import Limits, XMLInputError, read_bytes
from lgstandards.validation.input import RDF_EXTENSIONS

#: The file name of the manifest in each family folder.
MANIFEST = "MANIFEST"

#: The listing written next to the exported cases.
KIT_LISTING = "kit.json"

#: Version of the kit listing's JSON shape.
LISTING_FORMAT = 1

#: The family of exchange cases (histories of messages checked against a ledger).
EXCHANGES = "exchanges"
#: Files of an exchange case's folder that are not messages: its options and profile.
EXCHANGE_OPTIONS = "exchange.toml"
#: The largest ``exchange.toml`` read (two short strings are far smaller).
_OPTIONS_LIMITS = Limits(max_bytes=64 * 1024)


_RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@dataclass(frozen=True, slots=True)
class Case:
    """One conformance case: a bundled document and the outcome it must give.

    ``codes`` are the distinct issue codes (errors and warnings) the document must
    raise, in manifest order; an empty tuple means the document must have none.
    ``kind`` is the document kind (``epay.payment-request``), None when the document
    cannot be read; ``schema_version`` is the catalogue version of the kind's schema
    (None for RDF catalogues, which SHACL shapes check rather than an XML Schema).
    """

    name: str
    family: str
    kind: str | None
    codes: tuple[str, ...]
    path: Path
    schema_version: str | None = None
    #: For a message of an exchange case: the case's name (``exchanges/<folder>``).
    exchange: str | None = None

    @property
    def expects_valid(self) -> bool:
        """True when the document must raise no issue at all."""
        return not self.codes

    @property
    def expected(self) -> str | tuple[str, ...]:
        """``"valid"`` or the expected issue codes."""
        return "valid" if self.expects_valid else self.codes

    @property
    def group(self) -> str:
        """The heading a report files this case under: its exchange, kind, else family."""
        return self.exchange or self.kind or self.family

    def as_dict(self) -> dict[str, Any]:
        """Return the case as JSON-ready data (``path`` relative to the kit)."""
        data = {
            "name": self.name,
            "family": self.family,
            "kind": self.kind,
            "schema_version": self.schema_version,
            "expected": "valid" if self.expects_valid else list(self.codes),
            "codes": list(self.codes),
        }
        if self.exchange is not None:
            data["exchange"] = self.exchange
        return data


def parse_manifest(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Parse a family ``MANIFEST``: ``(relative path, expected codes)`` per line.

    ``#`` starts a comment; ``-`` means no code; repeated codes are kept once.
    """
    rows: list[tuple[str, tuple[str, ...]]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        path, *codes = line.split()
        wanted = () if codes in ([], ["-"]) else tuple(dict.fromkeys(c for c in codes if c != "-"))
        rows.append((path, wanted))
    return rows


def sniff_kind(path: Path) -> str | None:
    """Return the document kind of a bundled example from its root element (or extension)."""
    if path.suffix.lower() in RDF_EXTENSIONS:
        return RDF_KIND
    from lgstandards.artefacts.catalogue import kind_for
    from lgstandards.safexml import XMLInputError, parse_xml

    try:
        root = parse_xml(path).getroot()
    except (XMLInputError, OSError):
        return None
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == f"{{{_RDF_NS}}}RDF":
        return RDF_KIND
    namespace, _, local = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return kind_for(namespace, local)


def _kind_version(kind: str | None) -> str | None:
    if kind is None or kind == RDF_KIND:
        return None
    from lgstandards.artefacts.catalogue import entry_for_kind
    from lgstandards.exceptions import SchemaNotFoundError

    try:
        return entry_for_kind(kind).version
    except SchemaNotFoundError:
        return None


@cache
def _all_cases(root: Path) -> tuple[Case, ...]:
    found: list[Case] = []
    for manifest in sorted(root.glob(f"*/{MANIFEST}")):
        family = manifest.parent.name
        for relative, codes in parse_manifest(manifest.read_text(encoding="utf-8")):
            path = manifest.parent / relative
            kind = sniff_kind(path)
            found.append(
                Case(
                    name=f"{family}/{relative}",
                    family=family,
                    kind=kind,
                    codes=codes,
                    path=path,
                    schema_version=_kind_version(kind),
                    exchange=f"{family}/{relative.split('/', 1)[0]}"
                    if family == EXCHANGES
                    else None,
                )
            )
    return tuple(found)


def schema_versions() -> dict[str, str]:
    """Return the version of every catalogued schema, by namespace prefix (``epay``: ``1.0``)."""
    from lgstandards.artefacts.catalogue import entries

    return {entry.prefix: entry.version for entry in entries()}


def known_schema_versions() -> tuple[str, ...]:
    """Return the versions of the message schemas in the catalogue (valid kit selectors)."""
    from lgstandards.artefacts.catalogue import entries

    return tuple(sorted({e.version for e in entries() if e.roots}))


def check_schema_version(version: str) -> str:
    """Return ``version`` if a catalogued message schema has it, else raise.

    Raises :class:`~lgstandards.exceptions.UnsupportedVersionError` naming the known ones.
    """
    known = known_schema_versions()
    if version not in known:
        raise UnsupportedVersionError(
            f"no schema of version {version!r} in the catalogue; known versions: {', '.join(known)}"
        )
    return version


def cases(
    *,
    schema_version: str | None = None,
    families: Iterable[str] | None = None,
    root: Path | None = None,
) -> tuple[Case, ...]:
    """Return the conformance cases, in family and manifest order.

    ``schema_version`` keeps the cases written against that catalogue version (RDF
    catalogue cases, tied to no XML Schema, are always kept); an unknown version raises
    :class:`~lgstandards.exceptions.UnsupportedVersionError`. ``families`` keeps only
    those families. ``root`` reads another examples folder (default: the bundled one).
    """
    selected = _all_cases((root or examples_root()).resolve())
    if schema_version is not None:
        check_schema_version(schema_version)
        selected = tuple(c for c in selected if c.schema_version in (None, schema_version))
    if families is not None:
        wanted = set(families)
        selected = tuple(c for c in selected if c.family in wanted)
    return selected


def listing(selected: Iterable[Case] | None = None) -> dict[str, Any]:
    """Return the kit's listing: library and schema versions and every case's outcome."""
    from lgstandards import __version__

    chosen = list(cases() if selected is None else selected)
    return {
        "format": LISTING_FORMAT,
        "library_version": __version__,
        "schema_versions": schema_versions(),
        "cases": [c.as_dict() for c in chosen],
    }


def export(directory: str | Path, *, selected: Iterable[Case] | None = None) -> list[Path]:
    """Write the cases to ``directory`` (each at its name) with ``kit.json``; return the files.

    The folder is created if needed; existing files of the same names are replaced.
    The family ``MANIFEST`` files are copied too, for tools outside Python.

    Nothing is written outside ``directory`` and no symbolic link is followed: a link
    at ``directory`` itself or at any path the kit writes inside it, or a case name that
    is not a plain relative path, raises :class:`~lgstandards.exceptions.PublishError`
    before anything is written (links and their targets are left as they are). Each
    file is written to a new hidden file beside it and renamed into place, so a reader
    never sees a half-written file.
    """
    target = Path(directory)
    chosen = list(cases() if selected is None else selected)
    files: dict[tuple[str, ...], Path | bytes] = {}
    manifests: dict[str, Path] = {}
    for case in chosen:
        files[_kit_parts(case.name)] = case.path
        depth = len(PurePosixPath(case.name).parts) - 2
        manifests.setdefault(case.family, case.path.parents[depth] / MANIFEST)
    for family, manifest in manifests.items():
        if manifest.is_file():
            files[_kit_parts(f"{family}/{MANIFEST}")] = manifest
    for case in chosen:  # an exchange case's options and profile go with its messages
        options = case.path.parent / EXCHANGE_OPTIONS
        if case.exchange is not None and options.is_file():
            for path in option_files(case.path.parent):
                files[_kit_parts(f"{case.exchange}/{path.name}")] = path
    files[(KIT_LISTING,)] = (
        json.dumps(listing(chosen), indent=2, ensure_ascii=False) + "\n"
    ).encode("utf-8")
    _refuse_links(target, files)
    target.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    root_fd = _open_folder(None, str(target), target, create=False)
    try:
        for parts, source in files.items():
            data = source if isinstance(source, bytes) else source.read_bytes()
            _write_inside(root_fd, target, parts, data)
            written.append(target.joinpath(*parts))
    finally:
        os.close(root_fd)
    return written


def _kit_parts(name: str) -> tuple[str, ...]:
    """Return the parts of a kit path; refuse anything but a plain relative path."""
    parts = tuple(name.split("/"))
    if any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        raise PublishError(f"refused: {name!r} is not a relative path inside the kit")
    return parts


def _refuse_links(target: Path, files: Mapping[tuple[str, ...], object]) -> None:
    """Refuse (before writing) a link at ``target`` or at any path written inside it."""
    paths = {target} | {
        target.joinpath(*parts[:n]) for parts in files for n in range(1, 1 + len(parts))
    }
    links = sorted(str(p) for p in paths if p.is_symlink())
    if links:
        shown = ", ".join(links[:5]) + (f" and {len(links) - 5} more" if len(links) > 5 else "")
        raise PublishError(
            f"refused: the export never writes through a symbolic link: {shown}; "
            "remove the link(s) or export to a new folder"
        )


def _open_folder(parent: int | None, name: str, shown: Path, *, create: bool) -> int:
    """Open folder ``name`` (in ``parent``) without following a link; create it if asked."""
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=parent)
    except FileNotFoundError:
        if not create:
            raise
    except NotADirectoryError:  # what O_NOFOLLOW gives for a link, on Linux
        if stat.S_ISLNK(os.stat(name, dir_fd=parent, follow_symlinks=False).st_mode):
            raise PublishError(
                f"refused: {shown} is a symbolic link; the export never writes through one"
            ) from None
        raise
    with suppress(FileExistsError):
        os.mkdir(name, 0o777, dir_fd=parent)
    return _open_folder(parent, name, shown, create=False)


def _write_inside(root_fd: int, target: Path, parts: tuple[str, ...], data: bytes) -> None:
    """Write ``data`` at ``parts`` below the open folder ``root_fd``, atomically."""
    fds: list[int] = []
    try:
        folder = root_fd
        for depth, part in enumerate(parts[:-1], start=1):
            folder = _open_folder(folder, part, target.joinpath(*parts[:depth]), create=True)
            fds.append(folder)
        name = parts[-1]
        temporary = f".{name}.{secrets.token_hex(6)}.partial"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(temporary, flags, 0o644, dir_fd=folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            # rename replaces the name itself: a link that appeared there is replaced,
            # never written through.
            os.replace(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            with suppress(OSError):
                os.unlink(temporary, dir_fd=folder)
            raise
    finally:
        for fd in fds:
            os.close(fd)


def group_counts(selected: Iterable[Case]) -> Mapping[str, int]:
    """Return the number of cases per group (kind or family), sorted by group."""
    counts: dict[str, int] = {}
    for case in selected:
        counts[case.group] = counts.get(case.group, 0) + 1
    return dict(sorted(counts.items()))


def exchange_options(folder: Path) -> dict[str, Any]:
    """Return an exchange case's options (``exchange.toml``: sender, profile); {} if none."""
    path = folder / EXCHANGE_OPTIONS
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(read_bytes(path, limits=_OPTIONS_LIMITS).decode("utf-8"))
    except XMLInputError as exc:
        raise ExchangeOptionsError(f"{path}: {exc.message}") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ExchangeOptionsError(f"{path}: {exc}") from exc
    unknown = set(data) - {"sender", "profile"}
    if unknown or not all(isinstance(v, str) for v in data.values()):
        raise ExchangeOptionsError(f"{path}: only the strings sender and profile are allowed")
    profile = data.get("profile")
    if profile is not None and (
        Path(profile).name != profile or profile in ("", ".", "..") or profile.startswith(".")
    ):
        raise ExchangeOptionsError(f"{path}: profile must name a file in the case's folder")
    return data


def option_files(folder: Path) -> list[Path]:
    """Return the files of an exchange case that are not messages: options and profile."""
    options = exchange_options(folder)
    found = [folder / EXCHANGE_OPTIONS] if (folder / EXCHANGE_OPTIONS).is_file() else []
    if "profile" in options and (folder / options["profile"]).is_file():
        found.append(folder / options["profile"])
    return found


__all__ = [
    "EXCHANGES",
    "EXCHANGE_OPTIONS",
    "KIT_LISTING",
    "LISTING_FORMAT",
    "MANIFEST",
    "RDF_KIND",
    "Case",
    "ExchangeOptionsError",
    "cases",
    "check_schema_version",
    "exchange_options",
    "export",
    "group_counts",
    "known_schema_versions",
    "listing",
    "option_files",
    "parse_manifest",
    "schema_versions",
    "sniff_kind",
]
