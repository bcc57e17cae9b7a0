"""A disk cache of compiled artefacts, keyed by the hashes of what they are made from.

Compiling a Schematron file (the ISO skeleton's XSLT, then streamlining) costs more
than validating a small document, and it gives the same bytes every time for the
same inputs. Those bytes are kept in a user cache folder, one file per entry, named
by the SHA-256 of everything the result depends on (the artefact's content, the
library's compiling code, the lxml/libxml2/libxslt versions), so that a change to
any of them is a new key and never an old entry.

Safety, as a cache on disk must have it:

- an entry is loaded only if it names its own key and the SHA-256 of its payload
  matches the one it stores (a truncated, corrupt or swapped file is a miss);
- the folder is used only if it is the user's own and not writable by others (POSIX):
  another account cannot plant entries; it is created private (``0o700``);
- writes go to a temporary file renamed into place (never a half-written entry), and
  any error reading or writing (a read-only or full disk, no home folder) only means
  the artefact is compiled again: the cache never makes a run fail.

Where: ``$LGSTANDARDS_CACHE_DIR`` when set (empty: no disk cache at all), otherwise the
platform's user cache folder (``$XDG_CACHE_HOME`` or ``~/.cache`` on Linux,
``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows) plus ``lgstandards``.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hashlib import _Hash

#: The environment variable naming the cache folder (empty: no disk cache).
CACHE_ENV = "LGSTANDARDS_CACHE_DIR"
#: The first line of every entry (the format's version).
_MAGIC = b"lgstandards-cache-1\n"


def _builtin_sha256() -> Callable[[bytes], _Hash]:
    """Return the interpreter's own SHA-256 (the same digests as :func:`hashlib.sha256`).

    Importing :mod:`hashlib` loads OpenSSL, which costs a command run on one small file
    more than all the hashing it does; the built-in module (``_sha2``, ``_sha256``
    before Python 3.12) does not. Any build without it uses :mod:`hashlib`.
    """
    for name in ("_sha2", "_sha256"):
        try:
            constructor: Callable[[bytes], _Hash] = importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
        return constructor
    import hashlib  # pragma: no cover - a Python built without its own SHA-2

    return hashlib.sha256  # pragma: no cover


_sha256 = _builtin_sha256()


def cache_dir() -> Path | None:
    """Return the cache folder (not created here), or None when the cache is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen).expanduser() if chosen.strip() else None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
        return Path(base) / "lgstandards" / "Cache" if base else None
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "lgstandards"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base_dir = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base_dir / "lgstandards"


def key_of(*parts: bytes | str) -> str:
    """Return the hex SHA-256 key of ``parts`` (each length-prefixed, so none run together)."""
    digest = _sha256(b"")
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def _trusted(folder: Path) -> bool:
    """Tell whether ``folder`` is a real folder of this user, not writable by others."""
    try:
        info = folder.lstat()
    except OSError:
        return False
    import stat

    if not stat.S_ISDIR(info.st_mode):
        return False
    if os.name == "posix":
        if info.st_uid != os.geteuid():
            return False
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return False
    return True


def _entry_path(namespace: str, key: str) -> Path | None:
    folder = cache_dir()
    if folder is None or not key.isalnum():
        return None
    return folder / f"{namespace}-{key}"


def load(namespace: str, key: str) -> bytes | None:
    """Return the payload stored under ``key``, or None (absent, not trusted, not intact)."""
    path = _entry_path(namespace, key)
    if path is None or not _trusted(path.parent):
        return None
    try:
        with path.open("rb") as handle:
            data = handle.read()
    except OSError:
        return None
    head, sep, rest = data.partition(b"\n")
    if not sep or head + b"\n" != _MAGIC:
        return None
    stored_key, sep, rest = rest.partition(b"\n")
    stored_digest, sep2, payload = rest.partition(b"\n")
    if not (sep and sep2) or stored_key != key.encode():
        return None
    if _sha256(payload).hexdigest().encode() != stored_digest:
        return None
    return payload


def store(namespace: str, key: str, payload: bytes) -> bool:
    """Keep ``payload`` under ``key``; return False (and nothing raised) when it cannot."""
    path = _entry_path(namespace, key)
    if path is None:
        return False
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _trusted(folder):
            return False
        import tempfile

        digest = _sha256(payload).hexdigest().encode()
        handle, temporary = tempfile.mkstemp(prefix=".tmp-", dir=folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(_MAGIC + key.encode() + b"\n" + digest + b"\n" + payload)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        return False
    return True


__all__ = ["CACHE_ENV", "cache_dir", "key_of", "load", "store"]
