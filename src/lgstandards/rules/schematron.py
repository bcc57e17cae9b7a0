"""Run ISO Schematron business rules and turn their findings into issues.

Each ``.sch`` file (ISO Schematron, ``queryBinding="xslt"``, XPath 1.0) is compiled
once per process with :mod:`lxml.isoschematron`. Running it produces an SVRL
report, which :func:`svrl_issues` converts into :class:`~lgstandards.report.Issue`
objects: code ``rule.<id>`` from the assertion's ``id``, severity from its ``role``
(``error`` when absent), the English text of the assertion, the Welsh text of the
diagnostic it names (``xml:lang="cy"``), the line of the element it fired on and a
readable XPath with the catalogue's prefixes.

:func:`declared_rules` reads the rule ids, roles and texts of a ``.sch`` file without
compiling it (the issue-code registry is built from it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from lgstandards.report import Issue, Severity

if TYPE_CHECKING:
    from lxml import etree

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
SVRL_NS = "http://purl.oclc.org/dsdl/svrl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class DeclaredRule:
    """A rule as written in a ``.sch`` file: id, severity, texts and where it applies."""

    id: str
    severity: Severity
    message_en: str
    message_cy: str | None
    context: str
    test: str
    source: str

    @property
    def code(self) -> str:
        """The issue code, ``rule.<ID>``."""
        return f"rule.{self.id}"


def _text(element: Any) -> str:
    """Return an element's text content with ``value-of`` shown as ``{...}``, spaces collapsed."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag.endswith("value-of"):
            parts.append("{" + (child.get("select") or "") + "}")
        elif isinstance(child.tag, str) and child.tag.endswith("name"):
            parts.append("{name}")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return _SPACE.sub(" ", "".join(parts)).strip()


def _severity(role: str | None) -> Severity:
    try:
        return Severity((role or "error").lower())
    except ValueError:
        return Severity.ERROR


@cache
def declared_rules(path: Path) -> tuple[DeclaredRule, ...]:
    """Return every ``assert``/``report`` with an ``id`` in a Schematron file (no compile)."""
    from lxml import etree

    root = etree.parse(str(path)).getroot()
    ns = {"sch": SCH_NS}
    welsh = {
        d.get("id"): _text(d)
        for d in root.iterfind(".//sch:diagnostic", ns)
        if d.get(XML_LANG, "").startswith("cy")
    }
    found = []
    for check in root.iterfind(".//sch:rule/*", ns):
        if check.tag not in (f"{{{SCH_NS}}}assert", f"{{{SCH_NS}}}report"):
            continue
        rule_id = check.get("id")
        if not rule_id:
            continue
        cy = next((welsh[d] for d in (check.get("diagnostics") or "").split() if d in welsh), None)
        rule = check.getparent()
        found.append(
            DeclaredRule(
                id=rule_id,
                severity=_severity(check.get("role")),
                message_en=_text(check),
                message_cy=cy,
                context=rule.get("context", "") if rule is not None else "",
                test=check.get("test", ""),
                source=path.name,
            )
        )
    return tuple(found)


@dataclass(frozen=True, slots=True)
class CompiledRules:
    """A compiled Schematron file, ready to run on parsed documents."""

    path: Path
    validator: Any
    prefixes: Mapping[str, str]
    welsh_diagnostics: frozenset[str]
    #: The streamlined XSLT validator (see :func:`streamline`), compiled once.
    transform: Any = None
    streamlined: Any = None

    def svrl(self, tree: etree._ElementTree | etree._Element) -> etree._ElementTree:
        """Run the rules and return the SVRL report."""
        if self.transform is not None:
            skip = self.skip_modes(tree)
            if skip:
                from lxml import etree

                value = etree.XSLT.strparam(f" {' '.join(skip)} ")
                result: etree._ElementTree = self.transform(tree, **{SKIP_PARAM: value})
            else:
                result = self.transform(tree)
            return result
        self.validator.validate(tree)
        report: etree._ElementTree = self.validator.validation_report
        return report

    def run(
        self, tree: etree._ElementTree | etree._Element, *, source: str | None = None
    ) -> list[Issue]:
        """Run the rules on a parsed document and return their issues in document order."""
        return list(svrl_issues(self.svrl(tree), tree, source=source, prefixes=self.prefixes))

    def run_located(
        self, tree: etree._ElementTree | etree._Element, *, source: str | None = None
    ) -> list[tuple[Issue, Any]]:
        """Like :meth:`run`, each issue paired with the element it names (or None)."""
        svrl = self.svrl(tree)
        return list(located_issues(svrl, tree, source=source, prefixes=self.prefixes))

    def skip_modes(self, tree: etree._ElementTree | etree._Element) -> list[str]:
        """Return the patterns (modes) that cannot fire: none of their context names occur."""
        if self.streamlined is None:
            return []
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        skip = []
        for guard in self.streamlined.getroot().iter(f"{_XSL}if"):
            tags = (guard.get(SKIP_TAGS) or "").split()
            if tags and len(guard) and next(root.iter(*tags), None) is None:
                skip.append(guard[0].get("mode") or "")
        return [mode for mode in skip if mode]

    @property
    def xslt(self) -> etree._ElementTree:
        """The XSLT 1.0 validator that runs (for running under another XSLT engine)."""
        if self.streamlined is not None:
            streamlined: etree._ElementTree = self.streamlined
            return streamlined
        result: etree._ElementTree = self.validator.validator_xslt
        return result


XSL_NS = "http://www.w3.org/1999/XSL/Transform"
_XSL = f"{{{XSL_NS}}}"
#: One branch of a rule context that is a plain path of element steps (any predicates).
_ELEMENT_STEP = r"(?:[A-Za-z_][\w.-]*:)?(?:[A-Za-z_][\w.-]*|\*)(?:\[P\])*"
_ELEMENT_PATH = re.compile(rf"{_ELEMENT_STEP}(?://?{_ELEMENT_STEP})*")


def _split_union(pattern: str) -> tuple[list[str], str] | None:
    """Split a match pattern on its top-level ``|``; also return it with predicates as ``[P]``."""
    branches: list[str] = []
    skeletons: list[str] = []
    current: list[str] = []
    skeleton: list[str] = []
    depth, quote = 0, ""
    for char in pattern:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char if depth else ""
            if not depth:
                return None  # a string outside a predicate: not a plain path
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
            branches.append("".join(current).strip())
            skeletons.append("".join(skeleton).strip())
            current, skeleton = [], []
            continue
        elif not depth:
            skeleton.append(char)
        current.append(char)
    if depth or quote:
        return None
    branches.append("".join(current).strip())
    skeletons.append("".join(skeleton).strip())
    return branches, "|".join(skeletons)


def _select_for(patterns: list[str]) -> str | None:
    """Return an XPath selecting every element the match ``patterns`` match, or None."""
    selects: list[str] = []
    for pattern in patterns:
        split = _split_union(pattern)
        if split is None:
            return None
        branches, skeleton = split
        if not all(_ELEMENT_PATH.fullmatch(part.strip()) for part in skeleton.split("|")):
            return None
        selects.extend(f"//{branch}" for branch in branches)
    return " | ".join(selects) if selects else None


def streamline(xslt: Any) -> Any:
    """Return a copy of a Schematron XSLT validator that gives the same SVRL findings faster.

    The ISO skeleton walks the whole document once per pattern, dispatching a template
    on every node, and once more per pattern in the default mode (which outputs
    nothing). For a pattern whose rule contexts are all plain element paths (steps
    with any predicates, no attributes, text or axes), the walk is replaced by
    selecting the nodes those contexts match (``//context``, in document order, each
    dispatched to the same template), which libxml2 and Saxon do without a template
    per node. Other patterns keep the walk. Findings, their order and locations are
    unchanged.
    """
    from copy import deepcopy

    doc = deepcopy(xslt.getroot() if hasattr(xslt, "getroot") else xslt).getroottree()
    stylesheet = doc.getroot()
    templates = [t for t in stylesheet if t.tag == f"{_XSL}template"]
    root_template = next(
        (t for t in templates if t.get("match") == "/" and not t.get("mode")), None
    )
    if root_template is None:
        return doc
    for active in root_template.iter(f"{{{SVRL_NS}}}active-pattern"):
        for child in list(active):
            if child.tag == f"{_XSL}apply-templates" and not child.attrib:
                active.remove(child)  # default-mode walk: text is stripped, it outputs nothing
    skippable: list[tuple[Any, str, list[str]]] = []
    for walk in list(root_template.iter(f"{_XSL}apply-templates")):
        mode = walk.get("mode")
        if walk.get("select") != "/" or not mode:
            continue
        in_mode = [t for t in templates if t.get("mode") == mode]
        rules = [t for t in in_mode if float(t.get("priority") or "0") > 0]
        others = [t for t in in_mode if t not in rules]
        if not rules or any(t.get("match") not in ("text()", "@*|node()") for t in others):
            continue
        select = _select_for([t.get("match") or "" for t in rules])
        if select is None:
            continue
        recursions = []
        for rule in rules:
            last = rule[-1] if len(rule) else None
            if (
                last is None
                or last.tag != f"{_XSL}apply-templates"
                or last.get("mode") != mode
                or last.get("select") != "*|comment()|processing-instruction()"
            ):
                break
            recursions.append(last)
        else:
            walk.set("select", select)
            for recursion in recursions:
                recursion.getparent().remove(recursion)
            for rule in rules:
                _locate_by_position(rule, select)
            tags = _last_tags([t.get("match") or "" for t in rules], stylesheet.nsmap)
            if tags is not None:
                skippable.append((walk, mode, tags))
    if skippable:
        _add_skipping(stylesheet, skippable)
    return doc


#: Foreign attribute on the ``xsl:if`` around a pattern: the tags its rule contexts end in.
SKIP_TAGS = "{urn:lgstandards:schematron}context-tags"
#: The stylesheet parameter naming the patterns (modes) to skip, space-separated and padded
#: with spaces (``" M4 M7 "``); empty, its default, runs them all.
SKIP_PARAM = "lgs-skip"


def _last_tags(patterns: list[str], nsmap: Mapping[str | None, str]) -> list[str] | None:
    """Return the Clark tags the branches of ``patterns`` end in, or None if one is a wildcard."""
    tags = []
    for pattern in patterns:
        split = _split_union(pattern)
        if split is None:
            return None
        for skeleton in split[1].split("|"):
            last = skeleton.replace("[P]", "").strip().rsplit("/", 1)[-1]
            prefix, _, local = last.rpartition(":")
            if not local or "*" in last:
                return None
            if prefix:
                uri = nsmap.get(prefix)
                if uri is None:
                    return None
                tags.append(f"{{{uri}}}{local}")
            else:
                tags.append(local)
    return sorted(set(tags))


def _add_skipping(stylesheet: Any, skippable: list[tuple[Any, str, list[str]]]) -> None:
    """Let a run skip patterns whose context elements do not occur (see :meth:`skip_modes`).

    A rule context matches only elements with its last step's name, so a pattern none
    of whose names is in the document cannot fire; the caller finds such patterns with
    a tag-filtered scan (fast, in libxml2) and passes them in ``lgs-skip``. Without the
    parameter every pattern runs, as before.
    """
    from lxml import etree

    param = etree.Element(f"{_XSL}param", name=SKIP_PARAM, select="''")
    imports = [c for c in stylesheet if c.tag == f"{_XSL}import"]
    stylesheet.insert(len(imports), param)
    for walk, mode, tags in skippable:
        guard = etree.Element(f"{_XSL}if", test=f"not(contains(${SKIP_PARAM}, ' {mode} '))")
        guard.set(SKIP_TAGS, " ".join(tags))
        walk.addprevious(guard)
        guard.tail, walk.tail = walk.tail, None
        guard.append(walk)


def _locate_by_position(rule: Any, select: str) -> None:
    """Write a rule's SVRL locations as ``(select)[position()]``, not the skeleton's full path.

    The rule's template is applied to the nodes ``select`` finds, in document order,
    so ``position()`` is the context node's index among them: the location names the
    same node, costs nothing to write (the full path counts preceding siblings, which
    is quadratic in a batch with many findings) and is resolved by :func:`_locate`.
    """
    from lxml import etree

    for attribute in rule.iter(f"{_XSL}attribute"):
        if attribute.get("name") != "location" or len(attribute) != 1:
            continue
        child = attribute[0]
        if (
            child.tag != f"{_XSL}apply-templates"
            or child.get("select") != "."
            or child.get("mode") != "schematron-get-full-path"
        ):
            continue
        attribute.remove(child)
        attribute.text = None
        opening = etree.SubElement(attribute, f"{_XSL}text")
        opening.text = f"({select})["
        position = etree.SubElement(attribute, f"{_XSL}value-of")
        position.set("select", "position()")
        closing = etree.SubElement(attribute, f"{_XSL}text")
        closing.text = "]"


@cache
def compiled(path: Path) -> CompiledRules:
    """Compile a Schematron file once per process (cached by path)."""
    from lxml import etree, isoschematron

    doc = etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))
    validator = isoschematron.Schematron(
        doc,
        store_report=True,
        store_xslt=True,
        error_finder=isoschematron.Schematron.ASSERTS_AND_REPORTS,
    )
    streamlined = streamline(validator.validator_xslt)
    transform = etree.XSLT(streamlined)
    prefixes = {
        ns.get("uri", ""): ns.get("prefix", "") for ns in doc.getroot().iterfind(f"{{{SCH_NS}}}ns")
    }
    welsh = frozenset(
        d.get("id", "")
        for d in doc.getroot().iterfind(f".//{{{SCH_NS}}}diagnostic")
        if d.get(XML_LANG, "").startswith("cy")
    )
    return CompiledRules(path, validator, MappingProxyType(prefixes), welsh, transform, streamlined)


class _Siblings:
    """Positions of children by tag, computed once per parent (issue paths stay linear)."""

    def __init__(self, namespaces: Mapping[str, str] | None = None) -> None:
        self._lists: dict[tuple[Any, str], list[Any]] = {}
        self._index: dict[tuple[Any, str], dict[Any, int]] = {}
        self._selected: dict[str, list[Any]] = {}
        #: Prefix -> namespace for ``(select)[n]`` locations (from the SVRL report).
        self.namespaces = dict(namespaces or {})

    def children(self, parent: Any, tag: str) -> list[Any]:
        """Return ``parent``'s children with Clark tag ``tag``, in document order."""
        key = (parent, tag)
        found = self._lists.get(key)
        if found is None:
            found = [c for c in parent if c.tag == tag]
            self._lists[key] = found
        return found

    def selected(self, doc: Any, location: str) -> tuple[Any, str | None]:
        """Resolve a ``(select)[n]`` location (see :func:`streamline`): the n-th node found."""
        match = _BY_POSITION.fullmatch(location)
        if match is None:
            return None, None
        select, index = match.group(1), int(match.group(2))
        nodes = self._selected.get(select)
        if nodes is None:
            try:
                found = doc.xpath(select, namespaces=self.namespaces)
            except Exception:
                found = []
            nodes = found if isinstance(found, list) else []
            self._selected[select] = nodes
        if not 1 <= index <= len(nodes) or not hasattr(nodes[index - 1], "tag"):
            return None, None
        return nodes[index - 1], None

    def position(self, parent: Any, node: Any) -> tuple[int, int]:
        """Return (1-based position of ``node`` among same-tag siblings, how many there are)."""
        key = (parent, node.tag)
        index = self._index.get(key)
        if index is None:
            index = {c: i for i, c in enumerate(self.children(parent, node.tag), 1)}
            self._index[key] = index
        return index[node], len(index)


def readable_path(
    element: Any, prefixes: Mapping[str, str], siblings: _Siblings | None = None
) -> str:
    """Return an XPath for ``element`` with prefixes (``/epay:Batch/epay:Record[3]``)."""
    steps = []
    node = element
    while node is not None and isinstance(node.tag, str):
        qname = node.tag
        if qname.startswith("{"):
            uri, local = qname[1:].split("}", 1)
            prefix = prefixes.get(uri) or node.prefix
            name = f"{prefix}:{local}" if prefix else local
        else:
            name = qname
        parent = node.getparent()
        if parent is not None:
            if siblings is not None:
                position, count = siblings.position(parent, node)
            else:
                same = [c for c in parent if c.tag == node.tag]
                position, count = same.index(node) + 1, len(same)
            if count > 1:
                name += f"[{position}]"
        steps.append(name)
        node = parent
    return "/" + "/".join(reversed(steps))


#: A location written by a streamlined rule: ``(select)[position]``.
_BY_POSITION = re.compile(r"\((.+)\)\[(\d+)\]", re.DOTALL)
#: A step of the ISO skeleton's default location path (``schematron-get-full-path``).
_NS_STEP = re.compile(
    r"\*\[local-name\(\)='([^'/]+)' and namespace-uri\(\)='([^']*)'\](?:\[(\d+)\])?"
)
_PLAIN_STEP = re.compile(r"([A-Za-z_][\w.-]*)(?:\[(\d+)\])?")
_NS_ATTRIBUTE = re.compile(r"@\*\[local-name\(\)='([^'/]+)' and namespace-uri\(\)='([^']*)'\]")
_PLAIN_ATTRIBUTE = re.compile(r"@([A-Za-z_][\w.-]*)")
_NOT_FOUND = object()


def _fast_locate(doc: Any, location: str, siblings: _Siblings) -> Any:
    """Resolve a skeleton location path without XPath, as ``tree.xpath(location)[0]`` would.

    Returns ``(element, attribute)``, or ``_NOT_FOUND`` when the path is not in the
    skeleton's usual form or is ambiguous (the caller then evaluates it as XPath).
    """
    if not location.startswith("/"):
        return _NOT_FOUND
    parts = location[1:].split("/")
    attribute = None
    last = parts[-1]
    if last.startswith("@"):
        parts = parts[:-1]
        match = _NS_ATTRIBUTE.fullmatch(last)
        if match is not None:
            attribute = f"{{{match.group(2)}}}{match.group(1)}" if match.group(2) else None
            if attribute is None:
                return _NOT_FOUND
        else:
            match = _PLAIN_ATTRIBUTE.fullmatch(last)
            if match is None:
                return _NOT_FOUND
            attribute = match.group(1)
    node = doc.getroot()
    parent: Any = node
    for i, part in enumerate(parts):
        match = _NS_STEP.fullmatch(part)
        if match is not None:
            local, uri, index = match.groups()
            tag = f"{{{uri}}}{local}" if uri else local
        else:
            match = _PLAIN_STEP.fullmatch(part)
            if match is None:
                return _NOT_FOUND
            tag, index = match.groups()
        if i == 0:
            if node.tag != tag or index not in (None, "1"):
                return _NOT_FOUND
            parent = node
            continue
        candidates = siblings.children(parent, tag)
        if index is None:
            if len(candidates) != 1:
                return _NOT_FOUND
            parent = candidates[0]
        else:
            position = int(index)
            if not 1 <= position <= len(candidates):
                return None, None  # XPath finds nothing
            parent = candidates[position - 1]
    if not parts:
        return _NOT_FOUND
    if attribute is not None:
        if parent.get(attribute) is None:
            return None, None
        return parent, attribute  # as lxml's ``attrname`` of an attribute result (Clark name)
    return parent, None


def _locate(tree: Any, location: str, siblings: _Siblings | None = None) -> tuple[Any, str | None]:
    """Return the element an SVRL location points at and the attribute name, if any."""
    if not location:
        return None, None
    if siblings is not None and location.startswith("("):
        return siblings.selected(tree, location)
    if siblings is not None:
        fast = _fast_locate(tree, location, siblings)
        if fast is not _NOT_FOUND:
            element, attribute = fast
            return element, attribute
    try:
        found = tree.xpath(location)
    except Exception:
        return None, None
    if not found:
        return None, None
    node = found[0]
    if isinstance(node, str) and hasattr(node, "getparent"):
        return node.getparent(), getattr(node, "attrname", None)
    return (node, None) if hasattr(node, "tag") else (None, None)


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


def located_issues(
    svrl: Any,
    tree: Any,
    *,
    source: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> Iterator[tuple[Issue, Any]]:
    """Convert an SVRL report about ``tree`` into issues, each with the element it names."""
    prefixes = prefixes or {}
    root = svrl.getroot() if hasattr(svrl, "getroot") else svrl
    doc = tree if hasattr(tree, "getroot") else tree.getroottree()
    siblings = _Siblings(
        {
            ns.get("prefix", ""): ns.get("uri", "")
            for ns in root.iterfind(f"{{{SVRL_NS}}}ns-prefix-in-attribute-values")
        }
    )
    for finding in root.iter(f"{{{SVRL_NS}}}failed-assert", f"{{{SVRL_NS}}}successful-report"):
        rule_id = finding.get("id") or "UNKNOWN"
        text_el = finding.find(f"{{{SVRL_NS}}}text")
        english = _SPACE.sub(" ", "".join(text_el.itertext()) if text_el is not None else "")
        welsh = None
        for ref in finding.iterfind(f"{{{SVRL_NS}}}diagnostic-reference"):
            if ref.get(XML_LANG, "").startswith("cy") or ref.get("diagnostic", "").endswith("-cy"):
                welsh = _SPACE.sub(" ", "".join(ref.itertext())).strip()
        element, attribute = _locate(doc, finding.get("location", ""), siblings)
        path = readable_path(element, prefixes, siblings) if element is not None else None
        if path and attribute:
            path += f"/@{attribute}"
        issue = Issue(
            code=f"rule.{rule_id}",
            severity=_severity(finding.get("role")),
            message=english.strip(),
            message_cy=welsh,
            source=source,
            line=element.sourceline if element is not None else None,
            path=path,
        )
        yield issue, element


def run_schematron(
    path: Path, tree: etree._ElementTree | etree._Element, *, source: str | None = None
) -> list[Issue]:
    """Compile (once) and run the Schematron file at ``path`` on ``tree``."""
    return compiled(path).run(tree, source=source)


def run_business_rules(
    tree: etree._ElementTree | etree._Element, kind: str, *, source: str | None = None
) -> list[Issue]:
    """Run the Schematron rules of ``kind``'s namespace, then its Python rules."""
    from lgstandards.catalog import entry_for_kind
    from lgstandards.rules import rules_for

    entry = entry_for_kind(kind)
    issues: list[Issue] = []
    if entry.rules_path is not None and entry.rules_path.is_file():
        issues.extend(run_schematron(entry.rules_path, tree, source=source))
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    for rule in rules_for(kind):
        issues.extend(rule.run(root, source=source))
    return issues


def rule_files() -> tuple[Path, ...]:
    """Return every Schematron file the catalogue names that is present."""
    from lgstandards.catalog import entries

    paths = (e.rules_path for e in entries())
    return tuple(p for p in paths if p is not None and p.is_file())


__all__ = [
    "SCH_NS",
    "SKIP_PARAM",
    "SKIP_TAGS",
    "SVRL_NS",
    "CompiledRules",
    "DeclaredRule",
    "compiled",
    "declared_rules",
    "located_issues",
    "readable_path",
    "rule_files",
    "run_business_rules",
    "run_schematron",
    "svrl_issues",
]
