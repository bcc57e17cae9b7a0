"""Run ISO Schematron business rules: compile each file once, run it, get SVRL.

Each ``.sch`` file (ISO Schematron, ``queryBinding="xslt"``, XPath 1.0), read once
by :mod:`lgstandards.artefacts.declarations`, is compiled once per process with
:mod:`lxml.isoschematron` and then streamlined (:mod:`lgstandards.rules.streamline`).
Running it on a parsed document gives an SVRL report;
:mod:`lgstandards.validation.svrl` turns that into issues.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lgstandards._regex import LazyPattern
from lgstandards._threads import per_thread
from lgstandards.artefacts.declarations import SVRL_NS, declarations
from lgstandards.rules.streamline import (
    GIVEN_NODES,
    GIVEN_PATH,
    SKIP_PARAM,
    SKIP_STEPS,
    SKIP_TAGS,
    SKIP_TOKEN,
    XSL_NS,
    streamline,
)

if TYPE_CHECKING:
    from lxml import etree

_XSL = f"{{{XSL_NS}}}"


class CompiledRules(NamedTuple):
    """A compiled Schematron file, ready to run on parsed documents (a named tuple)."""

    path: Path
    prefixes: Mapping[str, str]
    welsh_diagnostics: frozenset[str]
    #: The streamlined XSLT validator (:func:`~lgstandards.rules.streamline.streamline`).
    streamlined: Any = None
    #: The guarded parts of the streamlined validator: (token, the Clark tags their
    #: contexts end in, the Clark tags of a context that is a plain path, or None).
    guards: tuple[tuple[str, tuple[str, ...], tuple[str, ...] | None], ...] = ()

    @property
    def transform(self) -> Any:
        """The streamlined validator compiled by libxslt on first use; None without one.

        Not before: a large valid batch whose guarded rules Python evaluates
        (:meth:`checked`) never runs it, and compiling it cost a fresh process 5 ms.
        """
        return None if self.streamlined is None else _transform(self.streamlined)

    @property
    def validator(self) -> Any:
        """The ISO skeleton's validator (:mod:`lxml.isoschematron`), compiled on first use."""
        return _iso_validator(self.path)

    def svrl(
        self, tree: etree._ElementTree | etree._Element, *, frequent: frozenset[str] = frozenset()
    ) -> etree._ElementTree:
        """Run the rules and return the SVRL report (``frequent``: see :meth:`plan`)."""
        if self.streamlined is not None:
            skip, params = self.plan(tree, frequent=frequent)
            return self._run(tree, skip, params)
        self.validator.validate(tree)
        report: etree._ElementTree = self.validator.validation_report
        return report

    def checked(
        self,
        tree: etree._ElementTree | etree._Element,
        *,
        frequent: frozenset[str] = frozenset(),
        screen_from: int | None = None,
    ) -> tuple[etree._ElementTree, list[Failure]]:
        """Run the rules: the SVRL report of those the XSLT ran, and the screened failures.

        In a batch of at least ``screen_from`` records (default :data:`SCREEN_FROM`), a
        guarded rule that runs on every record and has a screen
        (:mod:`lgstandards.rules.screens`) is left out of the XSLT: its own test is
        evaluated only on the records the screen could not clear, and its failures are
        returned beside the report, with the messages the XSLT would write. Together
        they are the findings :meth:`svrl` reports. (A smaller batch costs the XSLT
        little, and its run needs no rule model.) When the guards left are each given
        their few elements (:meth:`plan`) and Python can evaluate their rules, they are
        evaluated on those elements too and the XSLT does not run: the report is then
        empty, and the failures come in the order the XSLT would report them, first.

        A subtree (an element below its document's root, or a tree of one) is a document
        of its own to the XSLT (as lxml runs it), but not to Python's XPath, whose ``..``,
        ``ancestor::`` and ``/`` reach the whole document: the XSLT runs all its rules.
        """
        if self.streamlined is None or _is_subtree(tree):
            return self.svrl(tree, frequent=frequent), []
        from lgstandards.rules.screens import SPARSE_TAGS, CollectionPaused, records_for

        walked: dict[str, list[Any]] = {}  # the plan's walk also finds what screens look for
        skip, given = self._plan(tree, frequent=frequent, found=walked, also=SPARSE_TAGS)
        failures: list[Failure] = []
        if not any(token not in skip for token, tags, _ in self.guards if len(tags) == 1):
            return self._run(tree, skip, self._given_params(tree, given)), failures
        with CollectionPaused():
            sparse = {tag: walked.get(tag, []) for tag in SPARSE_TAGS}
            records = records_for(tree.getroot() if hasattr(tree, "getroot") else tree, sparse)
            if len(records.all) < (SCREEN_FROM if screen_from is None else screen_from):
                return self._run(tree, skip, self._given_params(tree, given)), failures
            screened_guards = _screened(self.path, self.streamlined)
            for token, screened in screened_guards.items():
                if token in skip:
                    continue
                screened_failures = screened.failures(records, self.prefixes_by_name)
                if screened_failures is not None:
                    skip.append(token)
                    failures.extend(screened_failures)
            del records  # the records' proxies go before the XSLT runs
        direct = self._given_failures(skip, given)
        if direct is not None:  # nothing left for the XSLT
            from lxml import etree

            return etree.ElementTree(etree.Element(f"{{{SVRL_NS}}}schematron-output")), [
                *direct,
                *failures,
            ]
        return self._run(tree, skip, self._given_params(tree, given)), failures

    def _given_failures(
        self, skip: list[str], given: Mapping[str, list[Any]]
    ) -> list[Failure] | None:
        """Evaluate the guards not in ``skip`` on their given elements, or None.

        The failures in the order the XSLT reports them (guard by guard, each in document
        order), when every guard left is given its elements (:meth:`_plan`), is one rule
        that Python can evaluate (:func:`_guarded`) and evaluates without error, and no
        pattern runs unguarded; else None: the XSLT runs them.
        """
        guarded, whole = _guarded(self.path, self.streamlined)
        if not whole:
            return None
        found: list[Failure] = []
        for token, _, _ in self.guards:
            if token in skip:
                continue
            rule, elements = guarded.get(token), given.get(token)
            if rule is None or not elements:
                return None
            failures = rule.evaluated(elements, self.prefixes_by_name)
            if failures is None:
                return None
            found.extend(failures)
        return found

    @property
    def prefixes_by_name(self) -> Mapping[str, str]:
        """Prefix -> namespace URI, as the rules' XPath uses them."""
        return dict(declarations(self.path).namespaces)

    def _run(
        self, tree: etree._ElementTree | etree._Element, skip: list[str], params: dict[str, Any]
    ) -> etree._ElementTree:
        """Run the streamlined XSLT, skipping the guards ``skip``."""
        if skip:
            from lxml import etree

            params[SKIP_PARAM] = etree.XSLT.strparam(f" {' '.join(skip)} ")
        result: etree._ElementTree = self.transform(tree, **params)
        return result

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
        skip, given = self._plan(tree, frequent=frequent)
        return skip, self._given_params(tree, given)

    def _plan(
        self,
        tree: etree._ElementTree | etree._Element,
        *,
        frequent: frozenset[str] = frozenset(),
        found: dict[str, list[Any]] | None = None,
        also: frozenset[str] = frozenset(),
    ) -> tuple[list[str], dict[str, list[Any]]]:
        """:meth:`plan`'s guards to skip, and the elements matching each given guard.

        ``found``, if given, receives the elements the walk found by Clark tag, including
        those of the tags ``also`` (looked for in the same walk).
        """
        if not self.guards:
            return [], {}
        root = tree.getroot() if hasattr(tree, "getroot") else tree
        wanted = {tag for _, tags, _ in self.guards for tag in tags}
        if found is None:
            found = {}
        scan = (wanted - frequent) | also
        if scan:
            for element in root.iter(*scan):
                found.setdefault(str(element.tag), []).append(element)
        present = set(found) & wanted
        present.update(t for t in wanted & frequent if next(root.iter(t), None) is not None)
        skip: list[str] = []
        given: dict[str, list[Any]] = {}
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
            given[token] = matching
        return skip, given

    @staticmethod
    def _given_params(
        tree: etree._ElementTree | etree._Element, given: Mapping[str, list[Any]]
    ) -> dict[str, Any]:
        """Return the XSLT parameters giving each guard its elements by positional XPath."""
        if not given:
            return {}
        from lxml import etree

        root = tree.getroot() if hasattr(tree, "getroot") else tree
        params: dict[str, Any] = {}
        for token, matching in given.items():
            path = _given_path(root, matching)
            if path is not None:
                params[f"{GIVEN_NODES}{token}"] = path
                params[f"{GIVEN_PATH}{token}"] = etree.XSLT.strparam(path)
        return params

    @property
    def xslt(self) -> etree._ElementTree:
        """The XSLT 1.0 validator that runs (for running under another XSLT engine)."""
        if self.streamlined is not None:
            streamlined: etree._ElementTree = self.streamlined
            return streamlined
        result: etree._ElementTree = self.validator.validator_xslt
        return result


class Failure(NamedTuple):
    """An assertion that failed (or report that fired) on an element, found by a screen."""

    element: Any
    id: str
    role: str | None
    message: str
    message_cy: str | None


class _Screened(NamedTuple):
    """A guarded rule evaluated in Python: on the records its screens cannot clear, or given.

    ``screens`` holds None for a check without a screen (see :func:`_guarded`).
    """

    rule: Any  # lgstandards.artefacts.declarations.Rule
    #: The checks' tests, compiled (lxml XPath) with the rule's variables inlined; None
    #: for a test they cannot be inlined into (evaluated with them, see :meth:`_evaluate`).
    tests: tuple[Any, ...]
    screens: tuple[Any, ...]  # lgstandards.rules.screens.Screen, one per check

    def failures(self, records: Any, namespaces: Mapping[str, str]) -> list[Failure] | None:
        """Return the rule's failures (``records``: a :class:`~.screens.Records`), or None.

        None leaves the rule to the XSLT.
        """
        suspects: dict[Any, None] = {}
        failures = []
        try:
            for screen in dict.fromkeys(self.screens):  # a screen shared by checks runs once
                found = screen(records)
                if found is None:
                    return None
                suspects.update(dict.fromkeys(found))
            for element in suspects:
                failures.extend(self._evaluate(element, namespaces))
        except Exception:  # e.g. an XPath lxml cannot evaluate alone: the XSLT runs the rule
            return None
        return failures

    def evaluated(self, elements: list[Any], namespaces: Mapping[str, str]) -> list[Failure] | None:
        """Return the rule's failures on ``elements`` (its context elements), or None.

        None (an XPath lxml cannot evaluate alone ...) leaves the rule to the XSLT.
        """
        failures = []
        try:
            for element in elements:
                failures.extend(self._evaluate(element, namespaces))
        except Exception:
            return None
        return failures

    def _evaluate(self, element: Any, namespaces: Mapping[str, str]) -> list[Failure]:
        """Evaluate the rule on one element as the skeleton's template does.

        The rule's variables (``sch:let``) are written into each expression where that
        keeps its meaning (:func:`inline_lets`): a node-set variable passed from Python
        is rebuilt by lxml in time quadratic in its size (a trailer's
        ``../epay:PaymentRecord`` took seconds at 100,000 records); else they are
        evaluated once and passed.
        """
        lets = self.rule.lets
        evaluated: dict[str, Any] | None = None

        def variables() -> dict[str, Any]:
            nonlocal evaluated
            if evaluated is None:
                evaluated = {}
                for name, value in lets:
                    evaluated[name] = element.xpath(value, namespaces=namespaces, **evaluated)
            return evaluated

        def xpath(expression: str) -> Any:
            compiled = _compiled_select(expression, lets, tuple(namespaces.items()))
            if compiled is not None:
                return compiled(element)
            return element.xpath(expression, namespaces=namespaces, **variables())

        found = []
        for check, test in zip(self.rule.checks, self.tests, strict=True):
            passed = (
                bool(test(element)) if test is not None else bool(xpath(f"boolean({check.test})"))
            )
            if passed == check.is_assert:
                continue

            def value_of(select: str) -> str:
                return str(xpath(f"string({select})"))

            def name(path: str) -> str:
                return str(xpath(f"name({path})"))

            welsh = check.welsh
            found.append(
                Failure(
                    element,
                    check.id,
                    check.role,
                    check.message.render(value_of, name),
                    welsh.render(value_of, name) if welsh is not None else None,
                )
            )
        return found


#: A string literal or a variable reference in an XPath 1.0 expression, or a bracket.
_XPATH_PARTS = LazyPattern(r"""'[^']*'|"[^"]*"|\$([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)|[\[\]]""")


def inline_lets(expression: str, lets: tuple[tuple[str, str], ...]) -> str | None:
    """Write a rule's variables into an expression, or None where that could change it.

    ``lets``: the rule's ``sch:let`` names and values, in order (a value may use the
    variables before it). A reference outside any predicate is replaced by its value in
    parentheses, which XPath then evaluates with the same context node (and, as when
    the variables are evaluated from Python, position 1); a reference inside a
    predicate (whose context is another node), to a variable the rule does not
    declare, or an unbalanced bracket gives None.
    """
    values: dict[str, str] = {}
    for name, value in lets:
        inlined = _inline(value, values)
        if inlined is None:
            return None
        values[name] = inlined
    return _inline(expression, values)


def _inline(expression: str, values: Mapping[str, str]) -> str | None:
    """:func:`inline_lets` with the variables' values already inlined."""
    parts: list[str] = []
    depth = 0
    last = 0
    for match in _XPATH_PARTS().finditer(expression):
        token = match.group(0)
        if token == "[":
            depth += 1
        elif token == "]":
            depth -= 1
            if depth < 0:
                return None
        elif match.group(1) is not None:
            value = values.get(match.group(1))
            if value is None or depth:
                return None
            parts.append(expression[last : match.start()])
            parts.append(f"({value})")
            last = match.end()
    if depth:
        return None
    parts.append(expression[last:])
    return "".join(parts)


@cache
def _screened(path: Path, streamlined: Any) -> dict[str, _Screened]:
    """Return the guards of a streamlined validator whose rule has screens, by token.

    Such a guard is one of :func:`_guarded`'s, every check of which has a screen for
    its last name (:data:`lgstandards.rules.screens.SCREENS`).
    """
    guarded, _ = _guarded(path, streamlined)
    return {token: rule for token, rule in guarded.items() if None not in rule.screens}


@cache
def _guarded(path: Path, streamlined: Any) -> tuple[dict[str, _Screened], bool]:
    """Return the guards of a streamlined validator that Python can evaluate, by token.

    Such a guard selects its context by a plain path (``//epay:PaymentRecord``), applies
    a mode with one rule, every check of which has an id; the file declares no
    schema-level variables. Their screens (:data:`lgstandards.rules.screens.SCREENS`)
    are given where there are, else None. Also whether every pattern of the validator
    is guarded (none walks the document whatever is skipped).
    """
    from lgstandards.rules.screens import SCREENS

    if streamlined is None:
        return {}, False
    stylesheet = streamlined.getroot()
    declared = declarations(path)
    found: dict[str, _Screened] = {}
    guards = []
    for guard in stylesheet.iter(f"{_XSL}if"):
        token, tags = guard.get(SKIP_TOKEN), (guard.get(SKIP_TAGS) or "").split()
        if token:
            guards.append(guard)
        steps = (guard.get(SKIP_STEPS) or "").split()
        if not token or len(tags) != 1 or steps[-1:] != tags:
            continue
        modes = {a.get("mode") for a in guard.iter(f"{_XSL}apply-templates")}
        if len(modes) != 1:
            continue
        mode = modes.pop()
        templates = [
            t
            for t in stylesheet.iterchildren(f"{_XSL}template")
            if t.get("mode") == mode and float(t.get("priority") or "0") > 0
        ]
        if len(templates) != 1 or declared.lets:
            continue
        ids = [
            (a.text or "").strip()
            for a in templates[0].iter(f"{_XSL}attribute")
            if a.get("name") == "id" and a.getparent() is not None
        ]
        rules = [r for r in declared.rules if sorted(c.id or "" for c in r.checks) == sorted(ids)]
        if len(rules) != 1 or not ids or len(set(ids)) != len(ids):
            continue
        rule = rules[0]
        by_id = {i: SCREENS.get((tags[0], i)) for i in ids}
        found[token] = _Screened(
            rule,
            tuple(_compiled_test(c.test, rule.lets, declared.namespaces) for c in rule.checks),
            tuple(by_id[c.id] for c in rule.checks),
        )
    root_template = next(
        (
            t
            for t in stylesheet.iterchildren(f"{_XSL}template")
            if t.get("match") == "/" and not t.get("mode")
        ),
        None,
    )
    whole = root_template is not None and all(
        any(a in guards for a in walk.iterancestors(f"{_XSL}if"))
        for walk in root_template.iter(f"{_XSL}apply-templates")
    )
    return found, whole


@lru_cache(maxsize=1024)
def _compiled_select(
    expression: str, lets: tuple[tuple[str, str], ...], namespaces: tuple[tuple[str, str], ...]
) -> Any:
    """Return an expression of a failure's message compiled by :func:`_inlined_xpath`, once.

    A batch with a thousand failures renders each message's ``value-of`` in English
    and Welsh, and compiling them afresh took most of that (the checks' tests are
    compiled once with their rule, :func:`_compiled_test`).
    """
    return _inlined_xpath(expression, lets, dict(namespaces))


def _compiled_test(
    test: str, lets: tuple[tuple[str, str], ...], namespaces: Mapping[str, str]
) -> Any:
    """Return a check's test compiled with the rule's variables inlined (None: they cannot be)."""
    return _inlined_xpath(f"boolean({test})", lets, namespaces)


def _inlined_xpath(
    expression: str, lets: tuple[tuple[str, str], ...], namespaces: Mapping[str, str]
) -> Any:
    """Return ``expression`` compiled with the rule's variables inlined, or None.

    None where they cannot be (see :func:`inline_lets`). A wrapper such as a test's
    ``boolean(...)`` changes nothing that inlining reads (brackets, quotes, variables).
    """
    from lxml import etree

    inlined = inline_lets(expression, lets) if lets else expression
    if inlined is None:
        return None
    return etree.XPath(inlined, namespaces=dict(namespaces))


#: Fewest records of a batch for which :meth:`CompiledRules.checked` uses the screens.
SCREEN_FROM = 128
#: Most elements a guarded context may be given by position (see :meth:`CompiledRules.plan`).
MAX_GIVEN = 32
#: How far along its siblings an element's position is counted for a positional path.
_MAX_SIBLINGS = 64


def _is_subtree(tree: etree._ElementTree | etree._Element) -> bool:
    """Tell whether ``tree`` is an element below its document's root, or a tree of one."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    return root is not None and root.getparent() is not None


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


@per_thread
def _iso_validator(path: Path) -> Any:
    """Compile a Schematron file with the ISO skeleton (lxml.isoschematron), once per thread.

    Its XSLT, like the streamlined one's, is not run from two threads at once (see
    :mod:`lgstandards._threads`).
    """
    from lxml import isoschematron

    return isoschematron.Schematron(
        declarations(path).document,
        store_report=True,
        store_xslt=True,
        error_finder=isoschematron.Schematron.ASSERTS_AND_REPORTS,
    )


#: The disk cache's namespace for streamlined validators.
CACHE_NAMESPACE = "schematron"


@cache
def _compiler_fingerprint() -> bytes:
    """Return what a streamlined validator depends on besides its `.sch`: code, versions."""
    from lxml import etree

    from lgstandards.rules import streamline as streamline_module

    versions = repr((etree.LXML_VERSION, etree.LIBXML_VERSION, etree.LIBXSLT_VERSION))
    sources = b"".join(
        Path(module_file).read_bytes() for module_file in (__file__, streamline_module.__file__)
    )
    return versions.encode() + sources


def streamlined_xslt(path: Path) -> etree._ElementTree:
    """Return the streamlined XSLT validator of a Schematron file (from the disk cache).

    The key is the SHA-256 of the Schematron document as read and of the compiling
    code and engine versions (:mod:`lgstandards.artefacts.diskcache`); on a miss the
    ISO skeleton compiles it and the result is stored for the next process.
    """
    from lxml import etree

    from lgstandards.artefacts import diskcache

    source = etree.tostring(declarations(path).document)
    key = diskcache.key_of(source, _compiler_fingerprint())
    cached = diskcache.load(CACHE_NAMESPACE, key)
    if cached is not None:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            return etree.ElementTree(etree.fromstring(cached, parser))
        except etree.XMLSyntaxError:
            pass  # not what was stored: compile it again
    streamlined: etree._ElementTree = streamline(_iso_validator(path).validator_xslt)
    diskcache.store(CACHE_NAMESPACE, key, etree.tostring(streamlined))
    return streamlined


@cache
def compiled(path: Path) -> CompiledRules:
    """Compile a Schematron file once per process (cached by path; XSLT from the disk cache)."""
    declared = declarations(path)
    streamlined = streamlined_xslt(path)
    guards = tuple(
        (
            guard.get(SKIP_TOKEN, ""),
            tuple((guard.get(SKIP_TAGS) or "").split()),
            tuple(steps.split()) if (steps := guard.get(SKIP_STEPS)) else None,
        )
        for guard in streamlined.getroot().iter(f"{_XSL}if")
        if guard.get(SKIP_TOKEN)
    )
    return CompiledRules(path, declared.prefixes, declared.welsh_diagnostics, streamlined, guards)


@per_thread
def _transform(streamlined: etree._ElementTree) -> etree.XSLT:
    """Compile a streamlined validator (libxslt) once per thread (see ``transform``).

    One stylesheet run from two threads at once gave one of them a false EPAY-R014
    finding with libxml2 2.12 (see :mod:`lgstandards._threads`).
    """
    from lxml import etree

    return etree.XSLT(streamlined, access_control=etree.XSLTAccessControl.DENY_ALL)


__all__ = [
    "CACHE_NAMESPACE",
    "MAX_GIVEN",
    "SCREEN_FROM",
    "CompiledRules",
    "Failure",
    "compiled",
    "streamlined_xslt",
]
