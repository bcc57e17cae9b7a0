"""Turn the SVRL report of a Schematron run into issues.

Each ``svrl:failed-assert`` or ``svrl:successful-report`` becomes an
:class:`~lgstandards.report.Issue`: code ``rule.<id>`` from the assertion's ``id``,
severity from its ``role`` (``error`` when absent), the English text of the
assertion, the Welsh text of the diagnostic it names (``xml:lang="cy"``), the line
of the element it fired on and a readable path (:class:`~.paths.PathMaker`) with the
Schematron file's prefixes.

The functions at the end run compiled rules (:mod:`lgstandards.rules.schematron`)
and convert their report in one call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lgstandards._regex import LazyPattern
from lgstandards.artefacts.declarations import SVRL_NS, XML_LANG, severity_of
from lgstandards.report import Issue
from lgstandards.rules.schematron import CompiledRules, compiled
from lgstandards.validation.paths import PathMaker

if TYPE_CHECKING:
    from lxml import etree

_SVRL = f"{{{SVRL_NS}}}"
_SPACE = LazyPattern(r"\s+")
#: A location written by a streamlined rule: ``(select)[position]``.
_BY_POSITION = LazyPattern(r"\((.+)\)\[(\d+)\]", re.DOTALL)
#: A step of the ISO skeleton's default location path (``schematron-get-full-path``).
_NS_STEP = LazyPattern(
    r"\*\[local-name\(\)='([^'/]+)' and namespace-uri\(\)='([^']*)'\](?:\[(\d+)\])?"
)
_PLAIN_STEP = LazyPattern(r"([A-Za-z_][\w.-]*)(?:\[(\d+)\])?")
_NS_ATTRIBUTE = LazyPattern(r"@\*\[local-name\(\)='([^'/]+)' and namespace-uri\(\)='([^']*)'\]")
_PLAIN_ATTRIBUTE = LazyPattern(r"@([A-Za-z_][\w.-]*)")
_NOT_FOUND = object()


class _Locator:
    """Find the nodes SVRL locations name, with look-ups shared by one report."""

    def __init__(self, doc: Any, namespaces: Mapping[str, str]) -> None:
        self.doc = doc
        #: Prefix -> namespace for ``(select)[n]`` locations (from the SVRL report).
        self.namespaces = dict(namespaces)
        self._named: dict[tuple[Any, str, bool], list[Any]] = {}
        self._selected: dict[str, list[Any]] = {}

    def named(self, parent: Any, local: str, *, unprefixed: bool) -> list[Any]:
        """Return ``parent``'s element children named ``local``, in document order.

        Of any namespace, as the ISO skeleton numbers a step of its location paths
        (``*[local-name()='X' and namespace-uri()='N'][n]``: the n-th child called X,
        whatever its namespace, though the XPath counts those in N only); with
        ``unprefixed``, those written without a prefix (an element in no namespace is
        numbered among the children of the same XPath ``name()``).
        """
        key = (parent, local, unprefixed)
        found = self._named.get(key)
        if found is None:
            found = [
                c
                for c in parent
                if isinstance(c.tag, str)
                and c.tag.rpartition("}")[2] == local
                and not (unprefixed and c.prefix)
            ]
            self._named[key] = found
        return found

    def locate(self, location: str) -> tuple[Any, str | None]:
        """Return the element a location points at and the attribute name, if any."""
        if not location:
            return None, None
        if location.startswith("("):
            return self._selected_node(location)
        fast = self._fast(location)
        if fast is not _NOT_FOUND:
            element, attribute = fast
            return element, attribute
        try:
            found = self.doc.xpath(location)
        except Exception:
            return None, None
        if not found:
            return None, None
        node = found[0]
        if isinstance(node, str) and hasattr(node, "getparent"):
            return node.getparent(), getattr(node, "attrname", None)
        return (node, None) if hasattr(node, "tag") else (None, None)

    def _selected_node(self, location: str) -> tuple[Any, str | None]:
        """Resolve a streamlined ``(select)[n]`` location: the n-th node ``select`` finds."""
        match = _BY_POSITION().fullmatch(location)
        if match is None:
            return None, None
        select, index = match.group(1), int(match.group(2))
        nodes = self._selected.get(select)
        if nodes is None:
            try:
                found = self.doc.xpath(select, namespaces=self.namespaces)
            except Exception:
                found = []
            nodes = found if isinstance(found, list) else []
            self._selected[select] = nodes
        if not 1 <= index <= len(nodes) or not hasattr(nodes[index - 1], "tag"):
            return None, None
        return nodes[index - 1], None

    def _fast(self, location: str) -> Any:
        """Resolve a skeleton location path without XPath: the node the skeleton fired on.

        A step's number counts the siblings as the skeleton counted them (:meth:`named`),
        which is not always as ``doc.xpath(location)`` would: a sibling of the same local
        name in another namespace before it would make the XPath name the next one, or
        none. Returns ``(element, attribute)``, or ``_NOT_FOUND`` when the path is not in
        the skeleton's form or is ambiguous (the caller then evaluates it as XPath).
        """
        if not location.startswith("/"):
            return _NOT_FOUND
        parts = location[1:].split("/")
        attribute = None
        last = parts[-1]
        if last.startswith("@"):
            parts = parts[:-1]
            match = _NS_ATTRIBUTE().fullmatch(last)
            if match is not None:
                attribute = f"{{{match.group(2)}}}{match.group(1)}" if match.group(2) else None
                if attribute is None:
                    return _NOT_FOUND
            else:
                match = _PLAIN_ATTRIBUTE().fullmatch(last)
                if match is None:
                    return _NOT_FOUND
                attribute = match.group(1)
        node = self.doc.getroot()
        parent: Any = node
        for i, part in enumerate(parts):
            match = _NS_STEP().fullmatch(part)
            unprefixed = match is None
            if match is not None:
                local, uri, index = match.groups()
                tag = f"{{{uri}}}{local}" if uri else local
            else:
                match = _PLAIN_STEP().fullmatch(part)
                if match is None:
                    return _NOT_FOUND
                local, index = match.groups()
                tag = local
            if i == 0:
                if node.tag != tag or index not in (None, "1"):
                    return _NOT_FOUND
                parent = node
                continue
            candidates = self.named(parent, local, unprefixed=unprefixed)
            position = int(index) if index is not None else 1
            if (index is None and len(candidates) != 1) or not 1 <= position <= len(candidates):
                return _NOT_FOUND  # not numbered as the skeleton numbers
            parent = candidates[position - 1]
            if parent.tag != tag:
                return _NOT_FOUND
        if not parts:
            return _NOT_FOUND
        if attribute is not None:
            if parent.get(attribute) is None:
                return None, None
            return parent, attribute  # as lxml's ``attrname`` of an attribute result
        return parent, None


def located_issues(
    svrl: Any,
    tree: Any,
    *,
    source: str | None = None,
    prefixes: Mapping[str, str] | None = None,
    paths: PathMaker | None = None,
) -> Iterator[tuple[Issue, Any]]:
    """Convert an SVRL report about ``tree`` into issues, each with the element it names.

    The paths are made by ``paths`` (the validator's), else with ``prefixes``, which maps
    namespace URIs to the prefixes the paths use. An element ``tree`` that is not its
    document's root is, as for the XSLT that made the report, a document of its own: the
    locations are found below it (not in the whole document, where the n-th node a
    location names may be another).
    """
    from lxml import etree

    root = svrl.getroot() if hasattr(svrl, "getroot") else svrl
    doc = tree if hasattr(tree, "getroot") else etree.ElementTree(tree)
    locator = _Locator(
        doc,
        {
            ns.get("prefix", ""): ns.get("uri", "")
            for ns in root.iterfind(f"{_SVRL}ns-prefix-in-attribute-values")
        },
    )
    if paths is None:
        paths = PathMaker(prefixes or {})
    for finding in root.iter(f"{_SVRL}failed-assert", f"{_SVRL}successful-report"):
        rule_id = finding.get("id") or "UNKNOWN"
        text_el = finding.find(f"{_SVRL}text")
        english = _SPACE().sub(" ", "".join(text_el.itertext()) if text_el is not None else "")
        welsh = None
        for ref in finding.iterfind(f"{_SVRL}diagnostic-reference"):
            if ref.get(XML_LANG, "").startswith("cy") or ref.get("diagnostic", "").endswith("-cy"):
                welsh = _SPACE().sub(" ", "".join(ref.itertext())).strip()
        element, attribute = locator.locate(finding.get("location", ""))
        issue = _rule_issue(
            rule_id, finding.get("role"), english.strip(), welsh, element, source, paths, attribute
        )
        yield issue, element


def _rule_issue(
    rule_id: str,
    role: str | None,
    english: str,
    welsh: str | None,
    element: Any,
    source: str | None,
    paths: PathMaker,
    attribute: str | None = None,
) -> Issue:
    """Return the issue of one rule finding on ``element`` (or its ``attribute``)."""
    path = paths.path(element) if element is not None else None
    if path and attribute:
        path += f"/@{attribute}"
    return Issue(
        code=f"rule.{rule_id}",
        severity=severity_of(role),
        message=english,
        message_cy=welsh,
        source=source,
        line=element.sourceline if element is not None else None,
        path=path,
    )


def svrl_issues(
    svrl: Any,
    tree: Any,
    *,
    source: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> Iterator[Issue]:
    """Convert an SVRL report about ``tree`` into issues."""
    for issue, _element in located_issues(svrl, tree, source=source, prefixes=prefixes):
        yield issue


def run_located(
    rules: CompiledRules,
    tree: etree._ElementTree | etree._Element,
    *,
    source: str | None = None,
    frequent: frozenset[str] = frozenset(),
    screen_from: int | None = None,
    paths: PathMaker | None = None,
) -> list[tuple[Issue, Any]]:
    """Run compiled rules on a parsed document: issues, each with the element it names.

    The failures a screen found outside the XSLT (:meth:`CompiledRules.checked`, which
    ``screen_from`` goes to) become issues as their SVRL would. Every path is made by
    ``paths`` (the caller's, whose indexes are built; default: the rules' prefixes).
    """
    report, failures = rules.checked(tree, frequent=frequent, screen_from=screen_from)
    if paths is None:
        paths = PathMaker(rules.prefixes)
    found = list(located_issues(report, tree, source=source, paths=paths))
    if failures:
        found.extend(
            (
                _rule_issue(
                    failure.id,
                    failure.role,
                    failure.message,
                    failure.message_cy,
                    failure.element,
                    source,
                    paths,
                ),
                failure.element,
            )
            for failure in failures
        )
    return found


def run(
    rules: CompiledRules,
    tree: etree._ElementTree | etree._Element,
    *,
    source: str | None = None,
    frequent: frozenset[str] = frozenset(),
) -> list[Issue]:
    """Run compiled rules on a parsed document and return their issues."""
    return [issue for issue, _ in run_located(rules, tree, source=source, frequent=frequent)]


def run_schematron(
    path: Path, tree: etree._ElementTree | etree._Element, *, source: str | None = None
) -> list[Issue]:
    """Compile (once) and run the Schematron file at ``path`` on ``tree``."""
    return run(compiled(path), tree, source=source)


def run_business_rules(
    tree: etree._ElementTree | etree._Element, kind: str, *, source: str | None = None
) -> list[Issue]:
    """Run the Schematron rules of ``kind``'s namespace, then its Python rules.

    Every issue's path comes from the validator's one path maker.
    """
    from lgstandards.artefacts.catalogue import entry_for_kind
    from lgstandards.artefacts.kinds import prefixes, spec_for_kind
    from lgstandards.rules import rules_for
    from lgstandards.validation.paths import PathMaker

    entry = entry_for_kind(kind)
    spec = spec_for_kind(kind)
    issues: list[Issue] = []
    if entry.rules_path is not None and entry.rules_path.is_file():
        issues.extend(run_schematron(entry.rules_path, tree, source=source))
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    paths = PathMaker(prefixes(), spec.record_tag if spec is not None else None)
    for rule in rules_for(kind):
        issues.extend(rule.run(root, source=source, paths=paths))
    return issues


__all__ = [
    "located_issues",
    "run",
    "run_business_rules",
    "run_located",
    "run_schematron",
    "svrl_issues",
]
