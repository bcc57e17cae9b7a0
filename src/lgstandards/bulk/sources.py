"""What a bulk run validates: local paths and fsspec URLs, listed (never read) by the client.

A path with a scheme (``s3://bucket/day/``, ``gs://``, ``abfs://``, ``file://``,
``memory://``) is a URL that fsspec opens; anything else is a local path on a file
system the workers share. Folders are expanded as
:func:`lgstandards.validation.batch.expand_path` expands them (sorted, document
extensions only, ``exclude`` globs), with each file's size, so that small files can be
batched into one task (:func:`batches`). The client only lists names and sizes: the
workers read the documents themselves.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from lgstandards.report import ValidationReport
from lgstandards.validation.batch import excluded, expand_path, missing
from lgstandards.validation.input import DOCUMENT_EXTENSIONS

#: A URL: a scheme of two letters or more (``c:\\`` is a Windows drive, not a scheme).
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")

#: Files of at most this many bytes (together) go to one task ...
BATCH_BYTES = 1024 * 1024
#: ... and at most this many files.
BATCH_FILES = 64


def is_url(path: str) -> bool:
    """Tell whether ``path`` is an fsspec URL (``scheme://...``) rather than a local path."""
    return bool(_URL.match(path))


@dataclass(frozen=True, slots=True)
class Item:
    """One file to validate: its name as given (a local path or a URL) and its size."""

    name: str
    size: int


def _filesystem(url: str) -> tuple[Any, str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(url)
    return fs, root


def _url_items(url: str, exclude: Sequence[str]) -> list[Item | ValidationReport]:
    """List the documents under a URL (a file or a folder), sorted, with their sizes."""
    try:
        fs, root = _filesystem(url)
        if not fs.isdir(root):
            info = fs.info(root)
            return [Item(url, int(info.get("size") or 0))]
        found = fs.find(root, detail=True)
    except (OSError, ValueError, ImportError) as exc:
        return [missing(url, str(exc) or type(exc).__name__)]
    base = root.rstrip("/")
    items: list[Item | ValidationReport] = []
    for path in sorted(found):
        relative = path[len(base) :].lstrip("/") if path.startswith(base) else path
        if PurePosixPath(path).suffix.lower() not in DOCUMENT_EXTENSIONS:
            continue
        if exclude and excluded(relative, exclude):
            continue
        shown = url.rstrip("/") + "/" + relative if relative else url
        items.append(Item(shown, int(found[path].get("size") or 0)))
    return items


def expand(paths: Iterable[str], exclude: Sequence[str] = ()) -> list[Item | ValidationReport]:
    """Expand paths and URLs into the files to validate; unreadable ones become reports.

    ``-`` (standard input) has no place in a bulk run and is reported unreadable.
    """
    items: list[Item | ValidationReport] = []
    for path in paths:
        if path == "-":
            items.append(
                missing(
                    "<stdin>",
                    "standard input cannot be validated on a cluster",
                    "ni ellir dilysu'r mewnbwn safonol ar glwstwr",
                )
            )
        elif is_url(path):
            items.extend(_url_items(path, exclude))
        else:
            for found in expand_path(path, exclude):
                if isinstance(found, str):
                    items.append(Item(found, _size(found)))
                else:
                    items.append(found)
    return items


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def batches(
    items: Sequence[Item], *, batch_bytes: int = BATCH_BYTES, batch_files: int = BATCH_FILES
) -> Iterator[list[int]]:
    """Group the indexes of ``items`` (in order) into tasks: small files together.

    A task holds consecutive files up to ``batch_bytes`` in all and ``batch_files`` in
    number; a file larger than ``batch_bytes`` is a task of its own.
    """
    current: list[int] = []
    total = 0
    for index, item in enumerate(items):
        if current and (total + item.size > batch_bytes or len(current) >= batch_files):
            yield current
            current, total = [], 0
        current.append(index)
        total += item.size
    if current:
        yield current


__all__ = ["BATCH_BYTES", "BATCH_FILES", "Item", "batches", "expand", "is_url"]
