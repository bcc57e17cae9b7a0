"""Readable, stable XPaths for issues: the same path in whole-document and streaming mode.

Steps use the catalogue's prefixes (``/epay:ReconciliationBatch/epay:Records/...``);
an element in a namespace the catalogue has no prefix for is written with its namespace
(``Q{urn:other}Status``, XPath 3.1's URI-qualified name), and an element in no
namespace by its bare name, so that no two elements of a document share a path. A step
carries a position ``[n]`` when the element has siblings of the same name, and always
for a batch's record element, whose position is counted while streaming (the earlier
records are gone from memory by then).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from itertools import count, repeat
from operator import contains
from typing import TYPE_CHECKING, Any

from lgstandards._regex import LazyPattern

if TYPE_CHECKING:
    from lxml import etree


#: Groups of at least this many same-name siblings have their positions counted once.
SIBLINGS_CACHED = 32

#: Paths a :class:`PathMaker` notes with their elements, at most.
MADE_MAX = 100_000


class PathMaker:
    """Build issue paths for the elements of one document."""

    def __init__(
        self,
        prefixes: Mapping[str, str],
        record_tag: str | None = None,
        *,
        stable: bool = True,
        made: dict[str, etree._Element] | None = None,
    ) -> None:
        self.prefixes = prefixes
        self.record_tag = record_tag
        #: The tree does not change while paths are made (whole-document mode): the
        #: positions of large groups of same-name siblings are counted once.
        self.stable = stable
        self._siblings: dict[tuple[etree._Element, str], dict[etree._Element, int]] = {}
        #: Positions among same-name siblings known from streaming (elements between
        #: records, checked before they are dropped from the tree).
        self.positions: dict[etree._Element, int] = {}
        #: (parent, tag) -> (elements dropped from the tree, the live same-name sibling
        #: they followed, or None): the positions of the live ones after them shift.
        self.dropped: dict[tuple[etree._Element, str], tuple[int, etree._Element | None]] = {}
        #: Record positions known from streaming (element -> 1-based position).
        self.record_index: dict[etree._Element, int] = {}
        self._positions: dict[etree._Element, dict[etree._Element, int]] = {}
        self._names: dict[str, str] = {}
        #: Where given, each path made whose every step has a prefix is noted with its
        #: element (up to :data:`MADE_MAX`), for :func:`.columns.whole_document`.
        self.made = made
        #: The element left out of paths, if any (see :meth:`leaving_out`).
        self._left_out: etree._Element | None = None

    def name(self, tag: str) -> str:
        """Return ``prefix:Local`` for a Clark tag (see the module: ``Q{uri}Local``, ``Local``)."""
        known = self._names.get(tag)
        if known is not None:
            return known
        if not tag.startswith("{"):
            return tag
        namespace, _, local = tag[1:].partition("}")
        prefix = self.prefixes.get(namespace)
        name = f"{prefix}:{local}" if prefix else f"Q{{{namespace}}}{local}"
        if len(self._names) < 4096:
            self._names[tag] = name
        return name

    def _record_position(self, element: etree._Element) -> int:
        known = self.record_index.get(element)
        if known is not None:
            return known
        parent = element.getparent()
        if parent is None:
            return 1
        table = self._positions.get(parent)
        if table is None:
            # one pass at C speed (no Python step per sibling)
            table = dict(zip(parent.iterchildren(str(element.tag)), count(1)))
            self._positions[parent] = table
        return table.get(element, 1)

    def _sibling_position(
        self, parent: etree._Element, element: etree._Element, tag: str
    ) -> tuple[int, int]:
        """Return (1-based position among same-name siblings, their number)."""
        table = self._siblings.get((parent, tag)) if self.stable else None
        if table is None:
            same = list(parent.iterchildren(tag))
            if not self.stable:
                return self._live_position(same, element, self.dropped.get((parent, tag)))
            if len(same) < SIBLINGS_CACHED:
                return same.index(element) + 1, len(same)
            table = dict(zip(same, count(1)))
            self._siblings[(parent, tag)] = table
        return table.get(element, 1), len(table)

    @staticmethod
    def _live_position(
        same: list[etree._Element],
        element: etree._Element,
        dropped: tuple[int, etree._Element | None] | None,
    ) -> tuple[int, int]:
        position = same.index(element) + 1
        if dropped is None:
            return position, len(same)
        count, anchor = dropped
        if anchor is None or (anchor in same and position > same.index(anchor) + 1):
            position += count
        return position, len(same) + count

    def live_position(self, parent: etree._Element, element: etree._Element, tag: str) -> int:
        """Return ``element``'s position among its same-name siblings, the dropped counted."""
        same = list(parent.iterchildren(tag))
        return self._live_position(same, element, self.dropped.get((parent, tag)))[0]

    def note_dropped(self, parent: etree._Element, element: etree._Element, tag: str) -> None:
        """Note that ``element`` (a child of ``parent``) leaves the tree, checked."""
        count, anchor = self.dropped.get((parent, tag), (0, None))
        if not count:
            anchor = next(element.itersiblings(tag, preceding=True), None)
        self.dropped[(parent, tag)] = (count + 1, anchor)

    @contextmanager
    def leaving_out(self, element: etree._Element) -> Iterator[None]:
        """Leave ``element`` out of the paths made meanwhile: no step for it, one for each ancestor.

        For the wrapper a streamed chunk's records sit under while screened: the record
        steps count from :attr:`record_index`, so their paths are the tree's.
        """
        self._left_out = element
        try:
            yield
        finally:
            self._left_out = None

    def path(self, element: etree._Element) -> str:
        """Return the path of ``element`` from the document root."""
        steps: list[str] = []
        current: etree._Element | None = element
        left_out = self._left_out
        while current is not None:
            tag = current.tag
            if not isinstance(tag, str) or current is left_out:  # comments, instructions
                current = current.getparent()
                continue
            step = self.name(tag)
            if tag == self.record_tag:
                step += f"[{self._record_position(current)}]"
            elif current in self.positions:
                step += f"[{self.positions[current]}]"
            else:
                parent = current.getparent()
                if parent is not None:
                    position, count = self._sibling_position(parent, current, tag)
                    if count > 1:
                        step += f"[{position}]"
            steps.append(step)
            current = current.getparent()
        made = "/" + "/".join(reversed(steps))
        noted = self.made
        if (
            noted is not None
            and isinstance(element.tag, str)
            and len(noted) < MADE_MAX
            and all(map(contains, steps, repeat(":")))  # at C speed
        ):
            noted[made] = element
        return made


def split_path(path: str) -> list[str]:
    """Split an absolute path into its steps.

    A ``/`` inside ``[...]``, quotes or the braces of a ``Q{uri}`` name is kept.
    """
    steps: list[str] = []
    current: list[str] = []
    depth = 0
    quote = ""
    for char in path[1:] if path.startswith("/") else path:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "/" and depth == 0:
            steps.append("".join(current))
            current = []
            continue
        current.append(char)
    steps.append("".join(current))
    return steps


def step_parts(step: str) -> tuple[str, int]:
    """Split a path step into its name and its position (``[n]``; 1 without one)."""
    name, rest = step, ""
    if step.startswith("Q{") and step.find("}") > 0:
        cut = step.find("[", step.find("}"))
        if cut >= 0:
            name, rest = step[:cut], step[cut:]
    else:
        name, bracket, rest = step.partition("[")
        rest = bracket + rest
    number = rest[1:-1]
    return name, int(number) if rest.endswith("]") and number.isdigit() else 1


#: One element step of a libxml2 node path (``xmlGetNodePath``): ``prefix:name``, a bare
#: ``name`` (no namespace) or ``*`` (an element in a default namespace), then ``[n]``
#: when it has same-name siblings.
_ENGINE_STEP = LazyPattern(
    r"(?:(\*)|(?:([^\s:/\[\]@()*]+):)?([^\s:/\[\]@()*]+))(?:\[([1-9][0-9]*)\])?"
)


class EngineLocator:
    """Find the elements libxml2's error paths name, below ``context`` (the first step).

    A step names the n-th child with the element's prefix and local name (``*``: the
    n-th element child), as ``xmlGetNodePath`` counts them; each parent's children
    are grouped once, so a path costs the same whatever the document's size. A path
    in another form (an attribute, a text node) is evaluated as XPath (:func:`resolve`).
    """

    def __init__(self, context: etree._Element) -> None:
        self.context = context
        self._groups: dict[tuple[etree._Element, str | None, str | None], list[Any]] = {}

    def element(self, engine_path: str | None) -> etree._Element | None:
        """Return the element ``engine_path`` names, or None."""
        if not engine_path or not engine_path.startswith("/"):
            return None
        steps = engine_path[1:].split("/")
        current = self.context
        for step in steps[1:]:
            match = _ENGINE_STEP().fullmatch(step)
            if match is None:
                return resolve(self.context, engine_path)
            generic, prefix, local, index = match.groups()
            group = self._group(current, prefix, None if generic else local)
            position = int(index) if index else 1
            if not index and len(group) != 1:
                return resolve(self.context, engine_path)  # not as libxml2 writes it
            if position > len(group):
                return None
            current = group[position - 1]
        return current

    def _group(self, parent: etree._Element, prefix: str | None, local: str | None) -> list[Any]:
        key = (parent, prefix, local)
        group = self._groups.get(key)
        if group is None:
            from lxml import etree

            children = parent.iterchildren(etree.Element)
            if local is None:  # "*": any element (libxml2 counts them all)
                group = list(children)
            elif prefix is None:  # no namespace
                group = [child for child in children if child.tag == local]
            else:
                suffix = "}" + local
                group = [
                    child
                    for child in children
                    if str(child.tag).endswith(suffix) and child.prefix == prefix
                ]
            self._groups[key] = group
        return group


def resolve(context: etree._Element, engine_path: str | None) -> etree._Element | None:
    """Find the element a libxml2 error path names, ``context`` being its first step.

    By XPath: one evaluation costs as much as the siblings before the element
    (:class:`EngineLocator` groups them once, for many paths).
    """
    from lxml import etree

    if not engine_path or not engine_path.startswith("/"):
        return None
    steps = engine_path[1:].split("/")
    relative = "./" + "/".join(steps[1:]) if len(steps) > 1 else "."
    namespaces = {k: v for k, v in context.nsmap.items() if k}
    try:
        found = context.xpath(relative, namespaces=namespaces)
    except etree.XPathError:
        namespaces = {}
        for element in context.iter():
            namespaces.update({k: v for k, v in element.nsmap.items() if k})
        try:
            found = context.xpath(relative, namespaces=namespaces)
        except etree.XPathError:
            return None
    if isinstance(found, list) and found and isinstance(found[0], etree._Element):
        return found[0]
    return None


__all__ = ["EngineLocator", "PathMaker", "resolve", "split_path", "step_parts"]
