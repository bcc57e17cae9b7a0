"""Progress of a validation run on a terminal: files done, bytes read and the rate.

Shown on standard error, and only when standard error is a terminal: never in a pipe,
a file or a CI log. It appears for many files (:data:`PROGRESS_FROM`) or many bytes
(:data:`PROGRESS_BYTES`, one big streaming file included). The bytes read of the file
being validated in this process come from the operating system (the file's read
offset, ``/proc/self/fdinfo``), so the engine needs no hook; where that is not
available, or with ``--jobs`` (other processes read), the count moves as files finish.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

#: Show progress from this many files ...
PROGRESS_FROM = 50
#: ... or this many bytes.
PROGRESS_BYTES = 8 * 1024 * 1024
#: Seconds between two looks at the read offset.
POLL_SECONDS = 0.2

_FD_DIR = "/proc/self/fd"
_FDINFO_DIR = "/proc/self/fdinfo"


def stderr_is_terminal() -> bool:
    """Tell whether standard error is a terminal (progress is shown only there)."""
    try:
        return sys.stderr is not None and sys.stderr.isatty()
    except (AttributeError, OSError, ValueError):
        return False


def file_size(path: str) -> int:
    """Return the size of ``path`` in bytes (0 when it cannot be read)."""
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def read_offset(path: str) -> int | None:
    """Return how far this process has read ``path`` (the largest offset of its open files).

    None when the operating system does not say (no ``/proc``) or the file is not open.
    """
    try:
        target = os.stat(path)
        names = os.listdir(_FD_DIR)
    except OSError:
        return None
    found: int | None = None
    for name in names:
        try:
            opened = os.stat(os.path.join(_FD_DIR, name))
            if (opened.st_dev, opened.st_ino) != (target.st_dev, target.st_ino):
                continue
            with open(os.path.join(_FDINFO_DIR, name), encoding="ascii") as info:
                for line in info:
                    if line.startswith("pos:"):
                        position = int(line.split()[1])
                        found = position if found is None else max(found, position)
                        break
        except (OSError, ValueError):
            continue  # closed meanwhile, or not a file
    return found


class _Tracker:
    """Follows a sequential run: files done in order, the current file's read offset."""

    def __init__(self, files: Sequence[str], sizes: Sequence[int], sequential: bool) -> None:
        self.files = files
        self.sizes = sizes
        self.sequential = sequential
        self.done = 0
        self.done_bytes = 0

    def finished(self, count: int) -> None:
        for _ in range(count):
            if self.done < len(self.sizes):
                self.done_bytes += self.sizes[self.done]
            self.done += 1

    def completed(self) -> int:
        if not self.sequential:  # other processes read: estimate from the files done
            total = sum(self.sizes)
            return total * self.done // max(len(self.files), 1)
        if self.done >= len(self.files):
            return self.done_bytes
        current = read_offset(self.files[self.done]) or 0
        return self.done_bytes + min(current, self.sizes[self.done])


@contextmanager
def progress(files: Sequence[str], *, jobs: int = 1) -> Iterator[Callable[[int], None] | None]:
    """Show progress while validating ``files``; yield the callback for files done.

    Yields None (and shows nothing) unless standard error is a terminal and the run is
    big enough.
    """
    if not files or not stderr_is_terminal():
        yield None
        return
    sizes = [file_size(path) for path in files]
    total = sum(sizes)
    if len(files) < PROGRESS_FROM and total < PROGRESS_BYTES:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    tracker = _Tracker(files, sizes, sequential=jobs <= 1 or len(files) == 1)
    columns: list[Any] = [
        TextColumn("Validating"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TextColumn("{task.fields[files]}"),
        TimeRemainingColumn(),
    ]
    if total == 0:
        columns[2:4] = [MofNCompleteColumn()]
    console = Console(file=sys.stderr)
    stop = threading.Event()
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("validate", total=total or len(files), files="")

        def update() -> None:
            done = tracker.completed() if total else tracker.done
            shown = f"{tracker.done}/{len(files)} files" if len(files) > 1 else ""
            bar.update(task, completed=done, files=shown)

        def poll() -> None:
            while not stop.wait(POLL_SECONDS):
                update()

        watcher = threading.Thread(target=poll, name="lgstandards-progress", daemon=True)
        watcher.start()

        def finished(count: int) -> None:
            tracker.finished(count)
            update()

        try:
            yield finished
        finally:
            stop.set()
            watcher.join()


__all__ = ["PROGRESS_BYTES", "PROGRESS_FROM", "file_size", "progress", "read_offset"]
