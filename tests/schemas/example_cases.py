"""Shared helpers for the conformance-example tests."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from lgstandards import catalog
from lgstandards._resources import examples_root


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
    kind = catalog.kind_for(qname.namespace, qname.localname)
    assert kind is not None, f"not a catalogued root: {qname}"
    return kind


#: An issue as the Schematron tests compare it: code, line, path, English, Welsh.
Finding = tuple[str, int | None, str | None, str, str | None]


def findings(issues: Iterable[Any]) -> list[Finding]:
    """Return the issues as sorted (code, line, path, English, Welsh) tuples."""
    return sorted((i.code, i.line, i.path, i.message, i.message_cy) for i in issues)
