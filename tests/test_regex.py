"""Lazily compiled regular expressions: compiled on first use, once, as re.compile would."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgstandards._regex import LazyPattern

PATTERNS = [(r"[0-9]+", 0), (r"a.b", re.DOTALL), (rb"<(?=[^/])", 0), (r"^x$", re.MULTILINE)]


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_lazy_pattern_is_compiled_on_first_use_only_and_once(
    monkeypatch: pytest.MonkeyPatch, pattern: Any, flags: int
) -> None:
    compiled: list[object] = []
    real = re.compile

    def counting(source: str | bytes, given: int = 0) -> re.Pattern[str] | re.Pattern[bytes]:
        compiled.append(source)
        return real(source, given)

    monkeypatch.setattr(re, "compile", counting)
    lazy = LazyPattern(pattern, flags)
    assert compiled == []
    first = lazy()
    assert lazy() is first
    assert compiled == [pattern]
    assert first == real(pattern, flags)  # the same pattern and flags


TEXT_PATTERNS = [(p, f) for p, f in PATTERNS if isinstance(p, str)]


@given(st.sampled_from(TEXT_PATTERNS), st.text(max_size=20))
def test_a_lazy_pattern_matches_as_the_compiled_one(case: tuple[str, int], text: str) -> None:
    pattern, flags = case
    lazy, eager = LazyPattern(pattern, flags)(), re.compile(pattern, flags)
    assert [m.span() for m in lazy.finditer(text)] == [m.span() for m in eager.finditer(text)]
