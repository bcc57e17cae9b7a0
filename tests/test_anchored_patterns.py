"""Validating regular expressions match the whole text.

In Python, ``$`` also matches just before a final newline, so ``re.match("^X$", "X\\n")``
succeeds: every pattern that checks a value ends with ``\\Z`` or is applied with
``fullmatch``. Patterns handed to pydantic (its Rust engine, where ``$`` is the end of
the text) are plain strings, not compiled Python patterns.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

import lgstandards
from lgstandards._regex import LazyPattern
from lgstandards.codes import CODE_PATTERN, registry
from lgstandards.exceptions import UnsupportedVersionError
from lgstandards.models.common import NINO_PATTERN, is_valid_nino, is_valid_postcode
from lgstandards.models.govtalk import _datetime_lexical
from lgstandards.publish.skos import _compact
from lgstandards.testing.strategies import postcodes
from lgstandards.vocab.releases import parse_version

#: Module-level patterns allowed to end with ``$``: they substitute, they check nothing.
SUBSTITUTIONS = {("lgstandards.safexml", "_POSITION")}

TAILS = st.sampled_from(["\n", "\r\n", " ", "\x00", "\n\n"])


def module_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    found = []
    for info in pkgutil.walk_packages(lgstandards.__path__, "lgstandards."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            pattern = value() if isinstance(value, LazyPattern) else value  # compiled on use
            if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str):
                found.append((info.name, name, pattern))
    return found


def test_no_compiled_pattern_ends_with_a_bare_dollar() -> None:
    patterns = module_patterns()
    assert len(patterns) > 20  # the walk does find the library's patterns
    loose = [
        (module, name)
        for module, name, pattern in patterns
        if re.search(r"(?<!\\)\$\)*\Z", pattern.pattern)
        and not pattern.flags & re.MULTILINE
        and (module, name) not in SUBSTITUTIONS
    ]
    assert loose == []


@settings(max_examples=100, deadline=None)
@given(postcodes, st.from_regex(rf"\A{NINO_PATTERN}\Z"), TAILS)
def test_identifiers_with_a_trailing_newline_are_refused(
    postcode: str, nino: str, tail: str
) -> None:
    assert is_valid_postcode(postcode)
    assert not is_valid_postcode(postcode + tail)
    assert is_valid_nino(nino)
    assert not is_valid_nino(nino + tail)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(registry())), TAILS)
def test_issue_codes_with_a_trailing_newline_are_refused(code: str, tail: str) -> None:
    assert CODE_PATTERN.match(code)
    assert CODE_PATTERN.match(code + tail) is None


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10**6), TAILS)
def test_versions_times_and_turtle_names_with_a_trailing_newline_are_refused(
    number: int, tail: str
) -> None:
    version = f"{number}.0.{number % 7}"
    parse_version(version)
    with pytest.raises(UnsupportedVersionError):
        parse_version(version + tail)
    stamp = "2026-12-01T10:00:00Z"
    assert _datetime_lexical(stamp) == stamp
    with pytest.raises(PydanticCustomError):
        _datetime_lexical(stamp + tail)
    iri = f"http://id.esd.org.uk/service/{number}"
    assert _compact(iri) == f"service:{number}"
    assert _compact(iri + tail) is None
