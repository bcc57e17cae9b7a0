"""Regular expressions compiled on first use.

Compiling a pattern costs far more than a module's other top-level work, and most of
the library's patterns serve one report format, one kind or one kind of error: a
module that holds its patterns as :class:`LazyPattern` costs nothing for those a run
never uses. Call the object to get the compiled pattern (``_WORD().match(text)``).
"""

from __future__ import annotations

import re
from typing import AnyStr, Generic


class LazyPattern(Generic[AnyStr]):
    """A regular expression compiled the first time it is called for, then kept."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: AnyStr, flags: int = 0) -> None:
        #: The pattern's source, as :attr:`re.Pattern.pattern`.
        self.pattern: AnyStr = pattern
        #: The flags given, as to :func:`re.compile`.
        self.flags: int = flags
        self._compiled: re.Pattern[AnyStr] | None = None

    def __call__(self) -> re.Pattern[AnyStr]:
        """Return the compiled pattern (compiled now if it is the first call)."""
        compiled = self._compiled
        if compiled is None:
            compiled = self._compiled = re.compile(self.pattern, self.flags)
        return compiled

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"


__all__ = ["LazyPattern"]
