"""Run ISO Schematron business rules: compile each file once, run it, get SVRL.

Each ``.sch`` file (ISO Schematron, ``queryBinding="xslt"``, XPath 1.0), read once
by :mod:`lgstandards.artefacts.declarations`, is compiled once per process with
:mod:`lxml.isoschematron` and then streamlined (:mod:`lgstandards.rules.streamline`).
Running it on a parsed document gives an SVRL report;
:mod:`lgstandards.validation.svrl` turns that into issues.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from lgstandards.artefacts.declarations import declarations
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
    transform: Any = None
    streamlined: Any = None
    #: The guarded parts of the streamlined validator: (token, the Clark tags their
    #: contexts end in, the Clark tags of a context that is a plain path, or None).
    guards: tuple[tuple[str, tuple[str, ...], tuple[str, ...] | None], ...] = ()

    @property
    def validator(self) -> Any:
        """The ISO skeleton's validator (:mod:`lxml.isoschematron`), compiled on first use."""
        return _iso_validator(self.path)

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


@cache
def _iso_validator(path: Path) -> Any:
    """Compile a Schematron file with the ISO skeleton (lxml.isoschematron), once."""
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
    from lxml import etree

    declared = declarations(path)
    streamlined = streamlined_xslt(path)
    transform = etree.XSLT(streamlined, access_control=etree.XSLTAccessControl.DENY_ALL)
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
        path,
        declared.prefixes,
        declared.welsh_diagnostics,
        transform,
        streamlined,
        guards,
    )


__all__ = ["CACHE_NAMESPACE", "MAX_GIVEN", "CompiledRules", "compiled", "streamlined_xslt"]
