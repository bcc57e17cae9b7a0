"""The pattern splitter agrees with an XPath 1.0 parser on which contexts are plain paths.

:mod:`lgstandards.rules.patterns` decides, with a small scanner, which rule contexts
the streamliner may select (``//context``) instead of walking the document. Here
elementpath's XPath 1.0 parser is the oracle: on generated patterns (unions, names,
prefixes, wildcards, ``/`` and ``//``, predicates holding ``|``, brackets and quotes,
and everything that is *not* a plain element path: attributes, axes, node tests,
functions, absolute paths, parentheses) both must give the same branches, the same
last element of each and the same steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lgstandards.artefacts.catalogue import rule_files
from lgstandards.artefacts.declarations import declarations
from lgstandards.rules.patterns import element_branches, split_union

elementpath = pytest.importorskip("elementpath")

NSMAP: dict[str | None, str] = {"t": "urn:t", "u": "urn:u"}

Answer = list[tuple[str, str | None, list[str] | None]] | None


def _union(token: Any) -> Iterator[Any]:
    if token.symbol == "|":
        yield from _union(token[0])
        yield from _union(token[1])
    else:
        yield token


def _union_cuts(token: Any) -> Iterator[int]:
    if token.symbol == "|":
        yield from _union_cuts(token[0])
        yield token.span[0]
        yield from _union_cuts(token[1])


def _name_test(token: Any) -> bool:
    if token.symbol in ("(name)", "*") and len(token) == 0:
        return True
    return (
        token.symbol == ":"
        and token[0].symbol == "(name)"
        and token[1].symbol in ("(name)", "*")
        and len(token[1]) == 0
    )


def _step(token: Any) -> Any:
    """Return the name test of an element step (with any predicates), or None."""
    while token.symbol == "[":
        token = token[0]
    return token if _name_test(token) else None


def _path(token: Any) -> list[Any] | None:
    """Return the steps of a relative path of element steps, or None."""
    if token.symbol in ("/", "//") and len(token) == 2:
        head, last = _path(token[0]), _step(token[1])
        return [*head, last] if head is not None and last is not None else None
    return [token] if _step(token) is not None else None


def _tag(name_test: Any, nsmap: dict[str | None, str]) -> str | None:
    if name_test.symbol == "*" or (name_test.symbol == ":" and name_test[1].symbol == "*"):
        return None
    if name_test.symbol == ":":
        return f"{{{nsmap[name_test[0].value]}}}{name_test[1].value}"
    return str(name_test.value)


def _symbols(token: Any) -> Iterator[str]:
    yield token.symbol
    if token.symbol != "[":
        for child in token:
            yield from _symbols(child)
    else:
        yield from _symbols(token[0])  # a predicate's own content does not count


def oracle(pattern: str, nsmap: dict[str | None, str] = NSMAP) -> Answer:
    """What an XPath 1.0 parser says the splitter should answer."""
    parser = elementpath.XPath1Parser(namespaces={k: v for k, v in nsmap.items() if k})
    try:
        tree = parser.parse(pattern)
    except elementpath.ElementPathError:
        return None
    branches = list(_union(tree))
    paths = [_path(branch) for branch in branches]
    if any(path is None for path in paths):
        return None
    cuts = [-1, *_union_cuts(tree), len(pattern)]
    texts = [pattern[a + 1 : b].strip() for a, b in pairwise(cuts)]
    answer = []
    for text, branch, path in zip(texts, branches, paths, strict=True):
        assert path is not None
        symbols = set(_symbols(branch))
        plain = not symbols & {"[", "//", "*"}
        steps = [_tag(_step(step), nsmap) for step in path] if plain else None
        answer.append((text, _tag(_step(path[-1]), nsmap), steps))
    return answer


def splitter(pattern: str, nsmap: dict[str | None, str] = NSMAP) -> Answer:
    branches = element_branches([pattern])
    if branches is None:
        return None
    return [(b.text, b.last_tag(nsmap), b.steps(nsmap)) for b in branches]


NAMES = st.sampled_from(["A", "B", "Line", "x-y", "a.b", "_c", "Sale2"])
NAME_TESTS = st.one_of(
    NAMES,
    st.builds(lambda p, n: f"{p}:{n}", st.sampled_from(["t", "u"]), NAMES),
    st.sampled_from(["*", "t:*"]),
)
OTHER_STEPS = st.sampled_from(
    ["@x", "@t:y", "@*", "text()", "node()", "comment()", ".", "..", "child::t:A", "self::*"]
)
PREDICATES = st.sampled_from(
    [
        "[1]",
        "[last()]",
        "[@x='a|b']",
        "[. = ']']",
        '[. = "q\'|["]',
        "[t:B[. = 'x']]",
        "[position() = 2]",
        "[not(@y)]",
        "[t:C | t:D]",
        "[count(t:E) > 1]",
    ]
)
STEPS = st.builds(
    lambda test, predicates: test + "".join(predicates),
    st.one_of(NAME_TESTS, NAME_TESTS, NAME_TESTS, OTHER_STEPS),
    st.lists(PREDICATES, max_size=2),
)


@st.composite
def branches(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["(t:A | t:B)", "(t:A)", "id('x')", "'s'", "t:A | (t:B)"]))
    steps = draw(st.lists(STEPS, min_size=1, max_size=4))
    text = draw(st.sampled_from(["", "", "", "/", "//"])) + steps[0]
    for step in steps[1:]:
        text += draw(st.sampled_from(["/", "//"])) + step
    return text


PATTERNS = st.builds(
    lambda parts, joiner: joiner.join(parts),
    st.lists(branches(), min_size=1, max_size=3),
    st.sampled_from(["|", " | ", "| ", "  |"]),
)


@settings(max_examples=1500, deadline=None)
@given(PATTERNS)
@example("t:PaymentRequest | u:PaymentNotification")
@example("t:A[@x = 'a|b'][2] | t:B//t:C")
@example("t:A/t:B")
@example("/t:A")
@example("t:*/*")
def test_the_splitter_answers_as_an_xpath_parser(pattern: str) -> None:
    assert splitter(pattern) == oracle(pattern)


def _shipped_contexts() -> list[str]:
    return sorted({rule.context for path in rule_files() for rule in declarations(path).rules})


@pytest.mark.parametrize("context", _shipped_contexts())
def test_shipped_contexts_answer_as_an_xpath_parser(context: str) -> None:
    nsmap: dict[str | None, str] = {
        prefix: uri
        for path in rule_files()
        for prefix, uri in declarations(path).namespaces.items()
    }
    assert splitter(context, nsmap) == oracle(context, nsmap)


@pytest.mark.parametrize(
    "pattern",
    ["t:A[", "t:A]", "t:A['x]", "'x' | t:A", 't:A["]"]]'],
)
def test_unbalanced_or_quoted_patterns_are_not_split(pattern: str) -> None:
    assert split_union(pattern) is None


def test_an_unknown_prefix_names_no_tag() -> None:
    (branch,) = split_union("t:A/z:B") or []
    assert branch.is_element_path
    assert branch.last_tag(NSMAP) is None
    assert branch.steps(NSMAP) is None
