"""The public records with written-out methods behave as the dataclasses their fields make.

Each record of :mod:`lgstandards._records`'s kind is compared with a dataclass made
from its own fields and flags: the same constructor signature, the same ``repr``, the
same equality and hash for pairs of real instances, the same frozen-ness.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import itertools
from typing import Any

import pytest

from lgstandards.artefacts._schrules import Check, DeclaredRule, Rule, Text
from lgstandards.artefacts.catalogue import CatalogEntry, entries
from lgstandards.artefacts.declarations import declarations
from lgstandards.artefacts.kinds import KindSpec, all_kinds
from lgstandards.codes import IssueCode, registry
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.rules.epay import DEFAULT_FUND_TABLE, FundRule
from lgstandards.safexml import DEFAULT_LIMITS, Limits
from lgstandards.validation.core import Options, make_options
from lgstandards.validation.profile import DEFAULT_PROFILE, Profile

#: Each record, and what its dataclass decorator said before its methods were written out.
RECORDS: dict[type, dict[str, bool]] = {
    Limits: {"frozen": True, "slots": True},
    CatalogEntry: {"frozen": True, "slots": True},
    KindSpec: {"frozen": True, "slots": True},
    Issue: {"frozen": True, "slots": True},
    ValidationReport: {"slots": True},
    FundRule: {"frozen": True, "slots": True},
    Profile: {"frozen": True, "eq": False},
    Options: {"frozen": True, "slots": True},
    IssueCode: {"frozen": True, "slots": True},
    Text: {"frozen": True, "slots": True},
    Check: {"frozen": True, "slots": True},
    Rule: {"frozen": True, "slots": True},
    DeclaredRule: {"frozen": True, "slots": True},
}


def _issues() -> list[Issue]:
    return [
        Issue("xml.a", Severity.ERROR, "m"),
        Issue("xml.a", Severity.ERROR, "m", "cy", "f.xml", 1, 2, "/a", "d"),
        Issue("xml.a", Severity.WARNING, "m", line=3),
        Issue("xml.b", Severity.INFO, "m", source="g.xml"),
    ]


def _samples(cls: type) -> list[Any]:
    if cls is Limits:
        return [DEFAULT_LIMITS, Limits(max_bytes=10), Limits(1, 2, 3, 4), Limits(max_issues=5)]
    if cls is CatalogEntry:
        return list(entries())
    if cls is KindSpec:
        return list(all_kinds().values())
    if cls is Issue:
        return _issues()
    if cls is ValidationReport:
        return [ValidationReport(), ValidationReport("a", "k", _issues()), ValidationReport("a")]
    if cls is FundRule:
        return [*DEFAULT_FUND_TABLE.values(), FundRule("X", "[0-9]+")]
    if cls is Profile:
        return [DEFAULT_PROFILE, Profile(council="E0000", restricted_charset=True)]
    if cls is Options:
        return [
            make_options(),
            make_options(lang="cy", as_of=dt.date(2024, 1, 1), checks=["xsd"]),
            make_options(streaming=True, limits=Limits(max_depth=9)),
        ]
    if cls is IssueCode:
        return list(registry().values())[:40]
    rules = [r for e in entries() if e.rules_path for r in declarations(e.rules_path).rules]
    checks = [c for r in rules for c in r.checks]
    if cls is Rule:
        return rules[:20]
    if cls is Check:
        return checks[:40]
    if cls is Text:
        return [t for c in checks[:20] for t in (c.message, c.welsh) if t is not None]
    if cls is DeclaredRule:
        found = [
            d for e in entries() if e.rules_path for d in declarations(e.rules_path).declared_rules
        ]
        return found[:40]
    raise AssertionError(cls)


def _reference(cls: type, flags: dict[str, bool]) -> type:
    """The dataclass ``cls``'s fields and flags make (its methods generated)."""
    specs = []
    for f in dataclasses.fields(cls):
        copied = dataclasses.field(
            default=f.default,
            default_factory=f.default_factory,
            init=f.init,
            repr=f.repr,
            hash=f.hash,
            compare=f.compare,
            metadata=f.metadata,
        )
        specs.append((f.name, f.type, copied))
    namespace = {}
    if hasattr(cls, "__post_init__"):
        namespace["__post_init__"] = cls.__post_init__
    reference: type = dataclasses.make_dataclass(cls.__name__, specs, namespace=namespace, **flags)
    return reference


def _hash(record: Any) -> object:
    try:
        return hash(record)
    except TypeError as exc:  # a field holding a read-only mapping
        return str(exc)


def _asdict(record: Any) -> object:
    try:
        return dataclasses.asdict(record)
    except TypeError as exc:  # a read-only mapping does not deep-copy
        return str(exc)


@pytest.mark.parametrize("cls", list(RECORDS), ids=lambda c: c.__name__)
def test_a_record_behaves_as_its_generated_dataclass(cls: type) -> None:
    flags = RECORDS[cls]
    reference = _reference(cls, flags)
    assert dataclasses.is_dataclass(cls)
    assert str(inspect.signature(cls)) == str(inspect.signature(reference))
    assert cls.__dataclass_params__.frozen == flags.get("frozen", False)  # type: ignore[attr-defined]
    assert cls.__match_args__ == reference.__match_args__  # type: ignore[attr-defined]
    assert ("__slots__" in vars(cls)) == flags.get("slots", False)
    ours, theirs = [], []
    for sample in _samples(cls):
        given = {f.name: getattr(sample, f.name) for f in dataclasses.fields(cls) if f.init}
        ours.append(cls(**given))
        theirs.append(reference(**given))
        assert repr(ours[-1]) == repr(theirs[-1])
        assert _asdict(ours[-1]) == _asdict(theirs[-1])
    for (a, b), (c, d) in zip(
        itertools.product(ours, repeat=2), itertools.product(theirs, repeat=2), strict=True
    ):
        assert (a == b) == (c == d)
        assert (a != b) == (c != d)
        assert a != object()
    hashable = cls.__hash__ is not None
    assert hashable == (reference.__hash__ is not None)
    if hashable and flags.get("eq", True):  # eq=False: hashed by identity
        for a, c in zip(ours, theirs, strict=True):
            assert _hash(a) == _hash(c)
    name = dataclasses.fields(cls)[0].name
    if flags.get("frozen"):
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(ours[0], name, None)
    with pytest.raises(TypeError):
        cls(no_such_field=1)  # the constructor names its parameters
