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
    #: The guarded parts of the streamlined validator: (token, the Clark tags their
    #: contexts end in, the Clark tags of a context that is a plain path, or None).
    guards: tuple[tuple[str, tuple[str, ...], tuple[str, ...] | None], ...] = ()

    def svrl(
        self, tree: etree._ElementTree | etree._Element, *, frequent: frozenset[str] = frozenset()
    ) -> etree._ElementTree:
        """Run the rules and return the SVRL report (``frequent``: see :meth:`plan`)."""
        if self.transform is not None:
            skip, params = self.plan(tree, frequent=frequent)
            if skip:
                from lxml import etree

                params[SKIP_PARAM] = etree.XSLT.strparam(f" {' '.join(skip)} ")
            result: etree._ElementTree = self.transform(tree, **params)
            return result
        self.validator.validate(tree)
        report: etree._ElementTree = self.validator.validation_report
        return report

    def run(
        self,
        tree: etree._ElementTree | etree._Element,
        *,
        source: str | None = None,
        frequent: frozenset[str] = frozenset(),
    ) -> list[Issue]:
        """Run the rules on a parsed document and return their issues in document order."""
        svrl = self.svrl(tree, frequent=frequent)
        return list(svrl_issues(svrl, tree, source=source, prefixes=self.prefixes))

    def run_located(
        self,
        tree: etree._ElementTree | etree._Element,
        *,
        source: str | None = None,
        frequent: frozenset[str] = frozenset(),
    ) -> list[tuple[Issue, Any]]:
        """Like :meth:`run`, each issue paired with the element it names (or None)."""
        svrl = self.svrl(tree, frequent=frequent)
        return list(located_issues(svrl, tree, source=source, prefixes=self.prefixes))

    def plan(
        self, tree: etree._ElementTree | etree._Element, *, frequent: frozenset[str] = frozenset()
    ) -> tuple[list[str], dict[str, Any]]:
        """Return the guards that cannot fire, and the nodes given to the others.

        One tag-filtered walk of the tree (libxml2) finds every element that a guarded
        context ends in, except the ``frequent`` tags (a batch's records), whose presence
        is looked up on their own. A guard none of whose elements occurs is skipped. A
        guard whose context is a plain path and matches at most :data:`MAX_GIVEN`
        elements gets them as positional XPaths (``/*/*[2]/*[5]``), which libxslt
        evaluates without walking the whole document as ``//context`` does.
        """
        from lxml import etree

        if not self.guards:
            return [], {}
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        wanted = {tag for _, tags, _ in self.guards for tag in tags}
        found: dict[str, list[Any]] = {}
        scan = wanted - frequent
        if scan:
            for element in root.iter(*scan):
                found.setdefault(str(element.tag), []).append(element)
        present = set(found)
        present.update(t for t in wanted & frequent if next(root.iter(t), None) is not None)
        skip: list[str] = []
        params: dict[str, Any] = {}
        for token, tags, steps in self.guards:
            if present.isdisjoint(tags):
                skip.append(token)
                continue
            elements = found.get(tags[0], []) if len(tags) == 1 else []
            if steps is None or not elements or len(elements) > MAX_GIVEN:
                continue
            matching = [e for e in elements if _matches(e, steps)]
            if not matching:
                skip.append(token)
                continue
            path = _given_path(root, matching)
            if path is not None:
                params[f"{GIVEN_NODES}{token}"] = path
                params[f"{GIVEN_PATH}{token}"] = etree.XSLT.strparam(path)
        return skip, params

    @property
    def xslt(self) -> etree._ElementTree:
        """The XSLT 1.0 validator that runs (for running under another XSLT engine)."""
        if self.streamlined is not None:
            streamlined: etree._ElementTree = self.streamlined
            return streamlined
        result: etree._ElementTree = self.validator.validator_xslt
        return result


#: Most elements a guarded context may be given by position (see :meth:`CompiledRules.plan`).
MAX_GIVEN = 32
#: How far along its siblings an element's position is counted for a positional path.
_MAX_SIBLINGS = 64


def _matches(element: Any, steps: tuple[str, ...]) -> bool:
    """Tell whether ``element`` matches the pattern of names ``steps`` (``a/b/c``)."""
    node = element
    for tag in reversed(steps[:-1]):
        node = node.getparent()
        if node is None or node.tag != tag:
            return False
    return bool(element.tag == steps[-1])


def _position(element: Any) -> str | None:
    """Return ``element``'s XPath position among its element siblings (``3``, ``last()``)."""
    count = 1
    for sibling in element.itersiblings(preceding=True):
        if isinstance(sibling.tag, str):
            count += 1
            if count > _MAX_SIBLINGS:
                break
    else:
        return str(count)
    for seen, sibling in enumerate(element.itersiblings()):
        if isinstance(sibling.tag, str) or seen > _MAX_SIBLINGS:
            return None
    return "last()"


def _given_path(root: Any, elements: list[Any]) -> str | None:
    """Return a positional XPath finding exactly ``elements`` in document order, or None."""
    paths = []
    for element in elements:
        steps = []
        node = element
        while node is not root:
            position = _position(node)
            parent = node.getparent()
            if position is None or parent is None:
                return None
            steps.append(f"/*[{position}]")
            node = parent
        steps.append("/*")
        paths.append("".join(reversed(steps)))
    path = " | ".join(paths)
    try:
        found = root.getroottree().xpath(path)
    except Exception:
        return None
    if not isinstance(found, list) or len(found) != len(elements):
        return None
    return path if all(a is b for a, b in zip(found, elements, strict=True)) else None


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
        if len(set(known)) == len(tags):
            for rule in rules:
                _locate_by_position(rule, None)
            for number, (select, tag, (_, skeleton)) in enumerate(
                zip(selects, known, branches, strict=True), 1
            ):
                token = mode if len(selects) == 1 else f"{mode}.{number}"
                guard = _guard(token, [tag], _select_or_given(stylesheet, token, select, mode))
                steps = _steps(skeleton, stylesheet.nsmap)
                if steps is not None:
                    guard.set(SKIP_STEPS, " ".join(steps))
                walk.addprevious(guard)
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
        _add_param(stylesheet, SKIP_PARAM, "''")
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
#: Foreign attribute on a guard whose context is a plain path of names: their Clark tags.
SKIP_STEPS = "{urn:lgstandards:schematron}steps"
#: Stylesheet parameters (one pair per guard token) giving the nodes a guarded select
#: would find, and the XPath that finds them (see :meth:`CompiledRules.plan`).
GIVEN_NODES = "lgs-at-"
GIVEN_PATH = "lgs-where-"


def _steps(skeleton: str, nsmap: Mapping[str | None, str]) -> list[str] | None:
    """Return the Clark tags of a context made only of ``/``-separated names, or None."""
    if "[" in skeleton or "//" in skeleton or "*" in skeleton:
        return None
    steps = []
    for step in skeleton.strip().split("/"):
        tag = _last_tag(step, nsmap)
        if tag is None:
            return None
        steps.append(tag)
    return steps


def _select_or_given(stylesheet: Any, token: str, select: str, mode: str) -> Any:
    """Return an ``xsl:choose`` applying ``mode`` to the given nodes if any, else to ``select``.

    The nodes come in the stylesheet parameter ``lgs-at-<token>`` (a node-set, empty by
    default) with the XPath that finds them in ``lgs-where-<token>``; a caller that
    knows where the context elements are (:meth:`CompiledRules.plan`) saves the walk
    of the whole document that ``//context`` costs. Without them, ``select`` runs.
    """
    from lxml import etree

    nodes, path = f"{GIVEN_NODES}{token}", f"{GIVEN_PATH}{token}"
    _add_param(stylesheet, nodes, "/..")
    _add_param(stylesheet, path, "''")
    choose = etree.Element(f"{_XSL}choose")
    given = etree.SubElement(choose, f"{_XSL}when", test=f"${nodes}")
    apply = etree.SubElement(given, f"{_XSL}apply-templates", select=f"${nodes}", mode=mode)
    etree.SubElement(apply, f"{_XSL}with-param", name=SELECT_PARAM, select=f"${path}")
    otherwise = etree.SubElement(choose, f"{_XSL}otherwise")
    apply = etree.SubElement(otherwise, f"{_XSL}apply-templates", select=select, mode=mode)
    etree.SubElement(apply, f"{_XSL}with-param", name=SELECT_PARAM).text = select
    return choose


def _add_param(stylesheet: Any, name: str, default: str) -> None:
    """Declare a stylesheet parameter (after any ``xsl:import``, as XSLT requires)."""
    from lxml import etree

    imports = [c for c in stylesheet if c.tag == f"{_XSL}import"]
    stylesheet.insert(len(imports), etree.Element(f"{_XSL}param", name=name, select=default))


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
    none of whose ``tags`` is in the document cannot fire; :meth:`CompiledRules.plan`
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
        (
            guard.get(SKIP_TOKEN, ""),
            tuple((guard.get(SKIP_TAGS) or "").split()),
            tuple(steps.split()) if (steps := guard.get(SKIP_STEPS)) else None,
        )
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
    "GIVEN_NODES",
    "GIVEN_PATH",
    "MAX_GIVEN",
    "SCH_NS",
    "SELECT_PARAM",
    "SKIP_PARAM",
    "SKIP_STEPS",
    "SKIP_TAGS",
    "SKIP_TOKEN",
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
