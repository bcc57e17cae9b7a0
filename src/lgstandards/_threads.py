"""Objects compiled once per thread: lxml's validators and stylesheets are not shared.

lxml's compiled XSD validators keep their last run's errors on themselves, and a
libxslt stylesheet run from several threads at once gives wrong results with some
libxml2 releases (2.12: an XPath test in the stylesheet evaluated false in one thread
while another thread ran it; lxml's FAQ advises a stylesheet per thread). Whatever
compiles such an object caches it with :func:`per_thread`, so that each thread
compiles its own, once.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import update_wrapper
from typing import Any, Generic, TypeVar

_T = TypeVar("_T")


class PerThread(Generic[_T]):
    """A function whose results are cached by its (hashable) arguments, one cache per thread."""

    def __init__(self, function: Callable[..., _T]) -> None:
        self._function = function
        self._local = threading.local()
        update_wrapper(self, function)

    def _store(self) -> dict[tuple[Any, ...], _T]:
        store: dict[tuple[Any, ...], _T] | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = {}
        return store

    def __call__(self, *args: Any) -> _T:
        """Return the calling thread's result for ``args``, computed on its first call."""
        store = self._store()
        if args not in store:
            store[args] = self._function(*args)
        return store[args]

    def cached_here(self) -> int:
        """Return how many results the calling thread holds."""
        return len(self._store())

    def cache_clear(self) -> None:
        """Forget the calling thread's results."""
        self._store().clear()


def per_thread(function: Callable[..., _T]) -> PerThread[_T]:
    """Cache ``function``'s results by its (hashable) arguments, one cache per thread."""
    return PerThread(function)


__all__ = ["PerThread", "per_thread"]
