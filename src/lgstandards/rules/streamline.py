"""Streamline the ISO skeleton's XSLT: the same SVRL findings, much faster.

:func:`streamline` rewrites a compiled Schematron validator (XSLT 1.0) so that rule
contexts that are plain element paths (:mod:`lgstandards.rules.patterns`) are
*selected* instead of walked, and wraps each such pattern or branch in a guard a run
can skip (:meth:`lgstandards.rules.schematron.CompiledRules.plan` decides which).
The names below are the contract between the two: foreign attributes on the guards
and the stylesheet parameters a run may pass.
"""

from __future__ import annotations

from typing import Any

from lgstandards.artefacts.declarations import SVRL_NS

XSL_NS = "http://www.w3.org/1999/XSL/Transform"
_XSL = f"{{{XSL_NS}}}"

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
#: would find, and the XPath that finds them (see ``CompiledRules.plan``).
GIVEN_NODES = "lgs-at-"
GIVEN_PATH = "lgs-where-"


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

    from lgstandards.rules.patterns import element_branches  # compiling only

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
        branches = element_branches(t.get("match") or "" for t in rules)
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
        selects = [f"//{branch.text}" for branch in branches]
        tags = [branch.last_tag(stylesheet.nsmap) for branch in branches]
        known = [tag for tag in tags if tag is not None]
        if len(set(known)) == len(tags):
            for rule in rules:
                _locate_by_position(rule, None)
            for number, (select, tag, branch) in enumerate(
                zip(selects, known, branches, strict=True), 1
            ):
                token = mode if len(selects) == 1 else f"{mode}.{number}"
                guard = _guard(token, [tag], _select_or_given(stylesheet, token, select, mode))
                steps = branch.steps(stylesheet.nsmap)
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


def _select_or_given(stylesheet: Any, token: str, select: str, mode: str) -> Any:
    """Return an ``xsl:choose`` applying ``mode`` to the given nodes if any, else to ``select``.

    The nodes come in the stylesheet parameter ``lgs-at-<token>`` (a node-set, empty by
    default) with the XPath that finds them in ``lgs-where-<token>``; a caller that
    knows where the context elements are
    (:meth:`~lgstandards.rules.schematron.CompiledRules.plan`) saves the walk of the whole
    document that ``//context`` costs. Without them, ``select`` runs.
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
    none of whose ``tags`` is in the document cannot fire;
    :meth:`~lgstandards.rules.schematron.CompiledRules.plan` finds such parts with
    tag-filtered scans (in libxml2) and passes their tokens in ``lgs-skip``. Without the
    parameter every part runs.
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
    is quadratic in a batch with many findings) and is resolved by
    :func:`lgstandards.validation.svrl.located_issues`.
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


__all__ = [
    "GIVEN_NODES",
    "GIVEN_PATH",
    "SELECT_PARAM",
    "SKIP_PARAM",
    "SKIP_STEPS",
    "SKIP_TAGS",
    "SKIP_TOKEN",
    "XSL_NS",
    "streamline",
]
