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
    #: The skippable parts of the streamlined validator: (token, the Clark tags they select).
    guards: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def svrl(self, tree: etree._ElementTree | etree._Element) -> etree._ElementTree:
        """Run the rules and return the SVRL report."""
        if self.transform is not None:
            skip = self.skipped(tree)
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

    def skipped(self, tree: etree._ElementTree | etree._Element) -> list[str]:
        """Return the guards (patterns or branches) that cannot fire: their elements are absent."""
        if not self.guards:
            return []
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        absent = absent_tags(root, {tag for _, tags in self.guards for tag in tags})
        return [token for token, tags in self.guards if absent.issuperset(tags)]

    @property
    def xslt(self) -> etree._ElementTree:
        """The XSLT 1.0 validator that runs (for running under another XSLT engine)."""
        if self.streamlined is not None:
            streamlined: etree._ElementTree = self.streamlined
            return streamlined
        result: etree._ElementTree = self.validator.validator_xslt
        return result


def absent_tags(root: Any, tags: set[str]) -> set[str]:
    """Return those of ``tags`` (Clark names) that no element under ``root`` has.

    Each scan (libxml2, tag-filtered) stops soon after the first element with a tag
    still sought, which is then struck off (lxml's iterator looks ahead to the next
    match); so a document costs one full scan for the absent tags plus a partial one
    per present tag, usually found near the start (the root and its last child, such
    as a batch trailer, are looked at first).
    """
    remaining = set(tags)
    # A batch's trailer closes it: strike off the root's tag and its last child's first,
    # so that the trailer does not cost a scan to the end.
    for element in (root, *root[-1:]):
        remaining.discard(element.tag)
    while remaining:
        found = next(root.iter(*remaining), None)
        if found is None:
            break
        remaining.discard(found.tag)
    return remaining


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


def _branches(patterns: list[str]) -> list[tuple[str, str]] | None:
    """Return (branch, skeleton) for each branch of the match ``patterns``, or None.

    None unless every branch is a plain path of element steps (see ``_ELEMENT_PATH``).
    """
    found: list[tuple[str, str]] = []
    for pattern in patterns:
        split = _split_union(pattern)
        if split is None:
            return None
        branches, skeleton = split
        skeletons = [part.strip() for part in skeleton.split("|")]
        if not all(_ELEMENT_PATH.fullmatch(part) for part in skeletons):
            return None
        found.extend(zip(branches, skeletons, strict=True))
    return found or None


def _last_tag(skeleton: str, nsmap: Mapping[str | None, str]) -> str | None:
    """Return the Clark tag a branch's last step names, or None for a wildcard or unknown prefix."""
    last = skeleton.replace("[P]", "").strip().rsplit("/", 1)[-1]
    prefix, _, local = last.rpartition(":")
    if not local or "*" in last:
        return None
    if not prefix:
        return local
    uri = nsmap.get(prefix)
    return f"{{{uri}}}{local}" if uri is not None else None


def streamline(xslt: Any) -> Any:
    """Return a copy of a Schematron XSLT validator that gives the same SVRL findings faster.

    The ISO skeleton walks the whole document once per pattern, dispatching a template
    on every node, and once more per pattern in the default mode (which outputs
    nothing). For a pattern whose rule contexts are all plain element paths (steps
    with any predicates, no attributes, text or axes), the walk is replaced by
    selecting the nodes those contexts match (``//context``, in document order, each
    dispatched to the same template), which libxml2 and Saxon do without a template
    per node. When the branches of those contexts end in distinct element names
    (so no node is selected twice) each branch gets its own select, which avoids
    merging large node-sets and lets a run skip the branches whose elements are
    absent. Other patterns keep the walk. ``svrl:fired-rule`` elements (one per
    context node, read by nobody here) are not written. Findings, their texts and
    locations are unchanged; their order in the SVRL may differ.
    """
    from copy import deepcopy

    from lxml import etree

    doc = deepcopy(xslt.getroot() if hasattr(xslt, "getroot") else xslt).getroottree()
    stylesheet = doc.getroot()
    templates = [t for t in stylesheet if t.tag == f"{_XSL}template"]
    root_template = next(
        (t for t in templates if t.get("match") == "/" and not t.get("mode")), None
    )
    if root_template is None:
        return doc
    for fired in list(stylesheet.iter(f"{{{SVRL_NS}}}fired-rule")):
        _remove(fired)
    for active in root_template.iter(f"{{{SVRL_NS}}}active-pattern"):
        for child in list(active):
            if child.tag == f"{_XSL}apply-templates" and not child.attrib:
                active.remove(child)  # default-mode walk: text is stripped, it outputs nothing
    guarded = False
    for walk in list(root_template.iter(f"{_XSL}apply-templates")):
        mode = walk.get("mode")
        if walk.get("select") != "/" or not mode:
            continue
        in_mode = [t for t in templates if t.get("mode") == mode]
        rules = [t for t in in_mode if float(t.get("priority") or "0") > 0]
        others = [t for t in in_mode if t not in rules]
        if not rules or any(t.get("match") not in ("text()", "@*|node()") for t in others):
            continue
        branches = _branches([t.get("match") or "" for t in rules])
        recursions = [rule[-1] for rule in rules if len(rule)]
        if branches is None or len(recursions) != len(rules):
            continue
        if not all(
            last.tag == f"{_XSL}apply-templates"
            and last.get("mode") == mode
            and last.get("select") == "*|comment()|processing-instruction()"
            for last in recursions
        ):
            continue
        for recursion in recursions:
            _remove(recursion)
        selects = [f"//{branch}" for branch, _ in branches]
        tags = [_last_tag(skeleton, stylesheet.nsmap) for _, skeleton in branches]
        known = [tag for tag in tags if tag is not None]
        if len(selects) > 1 and len(set(known)) == len(tags):
            for rule in rules:
                _locate_by_position(rule, None)
            for number, (select, tag) in enumerate(zip(selects, known, strict=True), 1):
                apply = etree.Element(f"{_XSL}apply-templates", select=select, mode=mode)
                etree.SubElement(apply, f"{_XSL}with-param", name=SELECT_PARAM).text = select
                walk.addprevious(_guard(f"{mode}.{number}", [tag], apply))
            _remove(walk)
        else:
            select = " | ".join(selects)
            walk.set("select", select)
            for rule in rules:
                _locate_by_position(rule, select)
            if len(known) == len(tags):
                walk.addprevious(_guard(mode, sorted(set(known)), None))
                guard = walk.getprevious()
                guard.tail, walk.tail = walk.tail, None
                guard.append(walk)
            else:
                continue
        guarded = True
    if guarded:
        param = etree.Element(f"{_XSL}param", name=SKIP_PARAM, select="''")
        imports = [c for c in stylesheet if c.tag == f"{_XSL}import"]
        stylesheet.insert(len(imports), param)
    return doc


#: Foreign attributes on the ``xsl:if`` around a pattern or branch: the Clark tags its
#: contexts end in, and the token that names it in ``lgs-skip``.
SKIP_TAGS = "{urn:lgstandards:schematron}context-tags"
SKIP_TOKEN = "{urn:lgstandards:schematron}token"
#: The stylesheet parameter naming the guards to skip, space-separated and padded with
#: spaces (``" M4 M7.2 "``); empty, its default, runs them all.
SKIP_PARAM = "lgs-skip"
#: The template parameter carrying the select that applied a rule (for its locations).
SELECT_PARAM = "lgs-select"


def _remove(element: Any) -> None:
    """Remove an element from its parent, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _guard(token: str, tags: list[str], content: Any) -> Any:
    """Return an ``xsl:if`` that runs ``content`` unless ``token`` is in ``lgs-skip``.

    A rule context matches only elements with its last step's name, so a guarded part
    none of whose ``tags`` is in the document cannot fire; :meth:`CompiledRules.skipped`
    finds such parts with tag-filtered scans (in libxml2) and passes their tokens in
    ``lgs-skip``. Without the parameter every part runs.
    """
    from lxml import etree

    guard = etree.Element(f"{_XSL}if", test=f"not(contains(${SKIP_PARAM}, ' {token} '))")
    guard.set(SKIP_TAGS, " ".join(tags))
    guard.set(SKIP_TOKEN, token)
    if content is not None:
        guard.append(content)
    return guard


def _locate_by_position(rule: Any, select: str | None) -> None:
    """Write a rule's SVRL locations as ``(select)[position()]``, not the skeleton's full path.

    The rule's template is applied to the nodes ``select`` finds, in document order,
    so ``position()`` is the context node's index among them: the location names the
    same node, costs nothing to write (the full path counts preceding siblings, which
    is quadratic in a batch with many findings) and is resolved by :func:`_locate`.
    With ``select`` None the template is applied per branch and takes the select from
    its ``lgs-select`` parameter.
    """
    from lxml import etree

    if select is None:
        param = etree.Element(f"{_XSL}param", name=SELECT_PARAM)
        param.tail, rule.text = rule.text, None
        rule.insert(0, param)
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
        opening.text = "(" if select is None else f"({select})["
        if select is None:
            etree.SubElement(attribute, f"{_XSL}value-of", select=f"${SELECT_PARAM}")
            etree.SubElement(attribute, f"{_XSL}text").text = ")["
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
    guards = tuple(
        (guard.get(SKIP_TOKEN, ""), tuple((guard.get(SKIP_TAGS) or "").split()))
        for guard in streamlined.getroot().iter(f"{_XSL}if")
        if guard.get(SKIP_TOKEN)
    )
    return CompiledRules(
        path, validator, MappingProxyType(prefixes), welsh, transform, streamlined, guards
    )


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
    "SELECT_PARAM",
    "SKIP_PARAM",
    "SKIP_TAGS",
    "SKIP_TOKEN",
    "SVRL_NS",
    "CompiledRules",
    "DeclaredRule",
    "absent_tags",
    "compiled",
    "declared_rules",
    "located_issues",
    "readable_path",
    "rule_files",
    "run_business_rules",
    "run_schematron",
    "svrl_issues",
]
