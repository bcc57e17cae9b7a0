"""Names of types and elements break between their words only, never inside a word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")

from lgstandards.sphinxext._nodes import name_parts

CSS = Path(__file__).resolve().parents[2] / "docs" / "_static" / "lgstandards.css"

#: Characters after which a name may break (a prefix's colon, a path's slash ...).
SEPARATORS = ":./_-"

names = st.from_regex(r"\A([a-z]{1,6}:)?[A-Za-z][A-Za-z0-9_./-]{0,40}\Z")


def _sensible(before: str, after: str, following: str) -> bool:
    """Tell whether a break between ``before`` and ``after`` falls between words."""
    if before in SEPARATORS:
        return True
    if (before.islower() or before.isdigit()) and after.isupper():
        return True  # camelCase: Payment|Request, BS7666|Address
    return before.isupper() and after.isupper() and following.islower()  # ISO|Currency


@given(names)
def test_parts_are_the_name_cut_between_words(value: str) -> None:
    parts = name_parts(value)
    assert "".join(parts) == value
    assert all(parts)
    position = 0
    for part in parts[:-1]:
        position += len(part)
        following = value[position + 1 : position + 2]
        assert _sensible(value[position - 1], value[position], following), (value, parts)


@given(names)
def test_a_word_is_never_cut(value: str) -> None:
    cuts = set()
    position = 0
    for part in name_parts(value)[:-1]:
        position += len(part)
        cuts.add(position)
    for index in range(1, len(value)):
        if value[index - 1].islower() and value[index].islower():
            assert index not in cuts, value


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ("epay:PaymentRequestStructure", ["epay:", "Payment", "Request", "Structure"]),
        ("BS7666AddressStructure", ["BS7666", "Address", "Structure"]),
        ("ISOCurrencyCodeType", ["ISO", "Currency", "Code", "Type"]),
        ("RoutingID", ["Routing", "ID"]),
        ("@SchemaVersion", ["@Schema", "Version"]),
        ("xs:string", ["xs:", "string"]),
        ("Header/MessageDetails", ["Header/", "Message", "Details"]),
        ("a", ["a"]),
        ("", []),
    ],
)
def test_examples(value: str, parts: list[str]) -> None:
    assert name_parts(value) == parts


def _rules(css: str) -> dict[str, str]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return {m.group(1).strip(): m.group(2) for m in re.finditer(r"([^{}]+)\{([^}]*)\}", css)}


def test_the_stylesheet_never_breaks_inside_a_word() -> None:
    rules = _rules(CSS.read_text(encoding="utf-8"))
    for selector, body in rules.items():
        declarations = " ".join(body.split())
        assert "anywhere" not in declarations, selector
        assert "break-all" not in declarations, selector
        assert "word-break: break-word" not in declarations, selector
    names_rule = " ".join(rules["code.lgs-name"].split())
    for declaration in ("overflow-wrap: normal", "word-break: normal", "hyphens: none"):
        assert declaration in names_rule
    # <wbr> gives no break opportunity in text that does not wrap at all.
    assert "white-space: normal" in names_rule
