"""Objects compiled once per thread, and a second thread for libxml2's long runs.

lxml's compiled XSD validators keep their last run's errors on themselves, and a
libxslt stylesheet run from several threads at once gives wrong results with some
libxml2 releases (2.12: an XPath test in the stylesheet evaluated false in one thread
while another thread ran it; lxml's FAQ advises a stylesheet per thread). Whatever
compiles such an object caches it with :func:`per_thread`, so that each thread
compiles its own, once.

libxml2 validates without holding the GIL: :func:`begin` runs such a validation in the
calling thread's helper thread (:func:`helper_pool`) while the caller goes on with
Python work on two CPUs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

if TYPE_CHECKING:
    from concurrent.futures import Executor

_T = TypeVar("_T")

if TYPE_CHECKING:  # a Protocol class costs the start-up of every command half a millisecond
    from typing import Protocol

    _T_co = TypeVar("_T_co", covariant=True)

    class PerThread(Protocol[_T_co]):
        """A function made by :func:`per_thread`: its results are cached per thread."""

        def __call__(self, *args: Any) -> _T_co:
            """Return the calling thread's result for ``args``, computed on its first call."""

        def cached_here(self) -> int:
            """Return how many results the calling thread holds."""

        def cache_clear(self) -> None:
            """Forget the calling thread's results."""


def per_thread(function: Callable[..., _T]) -> PerThread[_T]:
    """Cache ``function``'s results by its (hashable) arguments, one cache per thread.

    The result is a function (documented as ``function`` is), with ``cached_here()``
    and ``cache_clear()``, which see and forget the calling thread's results only.
    """
    local = threading.local()

    def store() -> dict[tuple[Any, ...], _T]:
        found: dict[tuple[Any, ...], _T] | None = getattr(local, "store", None)
        if found is None:
            found = local.store = {}
        return found

    @wraps(function)
    def cached(*args: Any) -> _T:
        results = store()
        if args not in results:
            results[args] = function(*args)
        return results[args]

    made: Any = cached
    made.cached_here = lambda: len(store())
    made.cache_clear = lambda: store().clear()
    return cast("PerThread[_T]", made)


#: Processes like this one sharing the CPUs (a pool of workers: see :func:`share_cpus`).
_sharing = 1


def share_cpus(processes: int) -> None:
    """Note that ``processes`` processes like this one (a pool of workers) share the CPUs.

    Helper threads are then made only where each process has two CPUs: where every CPU
    is taken, a helper would only take turns with the others.
    """
    global _sharing
    _sharing = max(1, processes)


_SHARES = threading.Lock()
_shares: list[int] = []  # the CPUs' sharing told by each block running now (cpus_shared)


@contextmanager
def cpus_shared(workers: int) -> Iterator[None]:
    """Within the block, ``workers`` workers (processes or threads) on this machine share the CPUs.

    For a task run by a worker that cannot set :func:`share_cpus` when it starts (a Dask
    worker's): the threads that ask for their helper first within the block decide as
    :func:`share_cpus` would have them. The largest sharing of the blocks running at
    once counts; nothing stays set after the last.
    """
    with _SHARES:
        _shares.append(workers)
    try:
        yield
    finally:
        with _SHARES:
            _shares.remove(workers)


@per_thread
def helper_pool() -> Executor | None:
    """Return the calling thread's pool of one helper thread; None without two CPUs free.

    Its thread starts at the first task and stays for the calling thread's later ones
    (with what it compiled per thread). None where the usable CPUs are fewer than two
    for each process sharing them (:func:`share_cpus`, :func:`cpus_shared`).
    """
    import os

    usable = getattr(os, "sched_getaffinity", None)
    cpus = len(usable(0)) if usable is not None else (os.cpu_count() or 1)
    if cpus < 2 * max(_sharing, max(_shares, default=1)):
        return None
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(1, thread_name_prefix="lgstandards-helper")


#: The GIL switch interval while a helper task runs (see :func:`_switch_quickly`).
QUICK_SWITCH = 0.0001
_SWITCHING = threading.Lock()
_switches: list[float] = []  # the interval before the first task running now, per task


def _switch_quickly(on: bool) -> None:
    """Shorten the GIL switch interval while any helper task runs (``on``: one begins).

    A task reporting errors from libxml2 (a callback into Python for each) needs the
    GIL for each; the thread holding it lets it go only when it has been asked for a
    switch interval (5 ms by default: a thousand errors would take five seconds). The
    interval is the process's: set for the tasks' time only, then put back.
    """
    import sys

    with _SWITCHING:
        if on:
            _switches.append(_switches[0] if _switches else sys.getswitchinterval())
            sys.setswitchinterval(min(_switches[0], QUICK_SWITCH))
        else:
            before = _switches.pop()
            if not _switches:
                sys.setswitchinterval(before)


def stop_helper() -> None:
    """End the calling thread's helper thread, if it has one (made again when next asked)."""
    if helper_pool.cached_here():
        pool = helper_pool()
        helper_pool.cache_clear()
        if pool is not None:
            pool.shutdown(wait=True)


def begin(
    pool: Executor | None, function: Callable[..., _T], *args: Any, wait: bool = True
) -> Callable[[], _T]:
    """Start ``function(*args)`` in ``pool``'s thread; return what waits for its result.

    The call returns once the pool's thread runs the function: until it reaches code
    that lets the GIL go (libxml2's), it needs the GIL, which this thread would
    otherwise keep for a switch interval (5 ms), so the two would not overlap. Without
    ``wait``, it returns at once, the switch interval shortened already (for a caller
    with other work before it needs the result: the pool's thread starts within a
    short interval of this thread's Python code). Without a pool, ``function`` runs
    now. Its exception is raised by the waiting.
    """
    if pool is None:
        try:
            result = function(*args)
        except BaseException as exc:  # raised by the waiting, as from the pool
            error = exc

            def fail() -> _T:
                raise error

            return fail
        return lambda: result
    started = threading.Event() if wait else None
    if started is None:
        _switch_quickly(True)  # from now: put back by the task, as it ends

    def run() -> _T:
        if started is not None:
            started.set()
            _switch_quickly(True)
        try:
            return function(*args)
        finally:
            _switch_quickly(False)

    try:
        future = pool.submit(run)
    except BaseException:
        if started is None:
            _switch_quickly(False)  # (not submitted: no task puts it back)
        raise
    if started is not None:
        started.wait()
    return future.result


__all__ = ["begin", "cpus_shared", "helper_pool", "per_thread", "share_cpus", "stop_helper"]
