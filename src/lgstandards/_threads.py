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
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

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


__all__ = ["per_thread"]
