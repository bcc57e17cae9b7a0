"""Shared helpers for the conformance-example tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from lgstandards._resources import examples_root
from lgstandards.artefacts.catalogue import entry_for_kind, kind_for


@dataclass(frozen=True)
class Case:
    """One MANIFEST line: an example file and the codes it must raise."""

    family: str
    path: Path
    codes: tuple[str, ...]

    @property
    def id(self) -> str:
        return f"{self.family}/{self.path.parent.name}/{self.path.name}"

    @property
    def valid(self) -> bool:
        return not self.codes


def manifest_cases(*families: str) -> list[Case]:
    """Read the MANIFEST of each family present."""
    cases = []
    for family in families:
        manifest = examples_root() / family / "MANIFEST"
        if not manifest.is_file():
            continue
        for line in manifest.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, *codes = line.split()
            expected = () if codes == ["-"] else tuple(codes)
            cases.append(Case(family, manifest.parent / name, expected))
    return cases


def kind_of(tree: etree._ElementTree) -> str:
    """Return the document kind of a parsed example."""
    qname = etree.QName(tree.getroot())
    kind = kind_for(qname.namespace, qname.localname)
    assert kind is not None, f"not a catalogued root: {qname}"
    return kind


#: An issue as the Schematron tests compare it: code, line, path, English, Welsh.
Finding = tuple[str, int | None, str | None, str, str | None]


def findings(issues: Iterable[Any]) -> list[Finding]:
    """Return the issues as sorted (code, line, path, English, Welsh) tuples."""
    return sorted((i.code, i.line, i.path, i.message, i.message_cy) for i in issues)


def documents(
    tree: etree._ElementTree, *, bodiless: bool = False
) -> list[tuple[etree._ElementTree, str]]:
    """The documents an example holds, each with its kind (domain.md 5.1).

    An example is one document, except a GovTalk envelope: its body elements of the
    namespace its ``Class`` chooses are documents of their own kinds (validated on their
    own). ``bodiless``: give the envelope itself with an empty ``Body`` (for its schema,
    whose lax wildcard one engine applies to bodies whose namespace it knows).
    """
    import copy

    from lgstandards.artefacts.kinds import spec_for_kind
    from lgstandards.validation.govtalk import parts, without_body

    kind = kind_of(tree)
    spec = spec_for_kind(kind)
    if spec is None or not spec.body_classes:
        return [(tree, kind)]
    envelope = without_body(tree.getroot(), spec).getroottree() if bodiless else tree
    found = [(envelope, kind)]
    _, message_class, elements = parts(tree.getroot(), spec)
    wanted = spec.body_namespace(message_class) if message_class else None
    for element in elements:
        if etree.QName(element).namespace == wanted:
            body = copy.deepcopy(element).getroottree()
            found.append((body, kind_of(body)))
    return found


def rule_issues(tree: etree._ElementTree, kind: str, *, source: str | None = None) -> list[Any]:
    """The business rules of ``kind`` on a document; an envelope's look in its body only when
    registered to read it whole (an integrity digest of the body).

    The Python rules' issues take their paths from the validator's path maker.
    """
    from lgstandards.artefacts.kinds import prefixes, spec_for_kind
    from lgstandards.rules import rules_for
    from lgstandards.validation.govtalk import without_body
    from lgstandards.validation.paths import PathMaker
    from lgstandards.validation.svrl import run_schematron

    spec = spec_for_kind(kind)
    entry = entry_for_kind(kind)
    issues: list[Any] = []
    if entry.rules_path is not None and entry.rules_path.is_file():
        issues.extend(run_schematron(entry.rules_path, tree, source=source))
    whole = root = tree.getroot()
    if spec is not None and spec.body_classes:  # the envelope's own contexts only
        root = without_body(root, spec)
    paths = PathMaker(prefixes(), spec.record_tag if spec is not None else None)
    for rule in rules_for(kind):  # a rule registered ``whole`` reads the body too (COM-R013)
        issues.extend(rule.run(whole if rule.whole else root, source=source, paths=paths))
    return issues
