"""XSLT match patterns that are plain element paths (for :mod:`lgstandards.rules.streamline`).

A Schematron rule context becomes an XSLT match pattern. When every branch of its
top-level union is a *plain path of element steps* (``a``, ``p:a``, ``*``, ``p:*``,
joined by ``/`` or ``//``, each step with any predicates; no axes, attributes, text
nodes, functions or leading ``/``), the pattern matches exactly the elements that
``//branch`` selects, which is what the streamliner relies on.

A small scanner does this: it splits on ``|`` outside predicates and strings, writes
each predicate as ``[P]`` and checks the rest with a regular expression. (An XPath
1.0 parser such as elementpath's gives the same answers, the tests check so, but
importing it costs more than compiling all the rules.)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import NamedTuple

from lgstandards._regex import LazyPattern

#: One element step: a name, ``prefix:name``, ``*`` or ``prefix:*``; ``[P]`` per predicate.
_ELEMENT_STEP = r"(?:[A-Za-z_][\w.-]*:)?(?:[A-Za-z_][\w.-]*|\*)(?:\[P\])*"
#: Element steps joined by ``/`` or ``//``.
_ELEMENT_PATH = LazyPattern(rf"{_ELEMENT_STEP}(?://?{_ELEMENT_STEP})*")


class Branch(NamedTuple):
    """One branch of a pattern's top-level union."""

    #: The branch as written, spaces around it removed.
    text: str
    #: The branch with each top-level predicate written ``[P]``.
    skeleton: str

    @property
    def is_element_path(self) -> bool:
        """Whether the branch is a plain path of element steps."""
        return _ELEMENT_PATH().fullmatch(self.skeleton) is not None

    def last_tag(self, nsmap: Mapping[str | None, str]) -> str | None:
        """Return the Clark tag of the last step; None for a wildcard or an unknown prefix."""
        return _tag(self.skeleton.replace("[P]", "").rsplit("/", 1)[-1], nsmap)

    def steps(self, nsmap: Mapping[str | None, str]) -> list[str] | None:
        """Return the Clark tags of a branch made only of ``/``-separated names, or None."""
        if "[" in self.skeleton or "//" in self.skeleton or "*" in self.skeleton:
            return None
        tags = []
        for step in self.skeleton.split("/"):
            tag = _tag(step, nsmap)
            if tag is None:
                return None
            tags.append(tag)
        return tags


def _tag(step: str, nsmap: Mapping[str | None, str]) -> str | None:
    step = step.strip()
    prefix, _, local = step.rpartition(":")
    if not local or "*" in step:
        return None
    if not prefix:
        return local
    uri = nsmap.get(prefix)
    return f"{{{uri}}}{local}" if uri is not None else None


def split_union(pattern: str) -> list[Branch] | None:
    """Split a pattern on its top-level ``|`` (outside predicates and strings).

    None when a string is outside a predicate (the pattern is then no plain path) or
    the brackets or quotes do not balance.
    """
    branches: list[Branch] = []
    current: list[str] = []
    skeleton: list[str] = []
    depth, quote = 0, ""
    for char in pattern:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            if not depth:
                return None
            quote = char
        elif char == "[":
            depth += 1
            if depth == 1:
                skeleton.append("[P")
        elif char == "]":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                skeleton.append("]")
        elif char == "|" and not depth:
            branches.append(Branch("".join(current).strip(), "".join(skeleton).strip()))
            current, skeleton = [], []
            continue
        elif not depth:
            skeleton.append(char)
        current.append(char)
    if depth or quote:
        return None
    branches.append(Branch("".join(current).strip(), "".join(skeleton).strip()))
    return branches


def element_branches(patterns: Iterable[str]) -> list[Branch] | None:
    """Return the branches of all ``patterns``, or None unless each is a plain element path."""
    found: list[Branch] = []
    for pattern in patterns:
        branches = split_union(pattern)
        if branches is None or not all(b.is_element_path for b in branches):
            return None
        found.extend(branches)
    return found or None


__all__ = ["Branch", "element_branches", "split_union"]
