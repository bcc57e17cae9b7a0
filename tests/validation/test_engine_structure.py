"""The engine's structure: imports run one way, and fatal codes come from the registry.

The router (``engine``) imports the streaming and RDF engines and the envelope layer;
they share ``core`` and never import the router or each other, not even inside a
function or for type checking. The codes that stand alone in a report (input that
cannot be parsed) are marked in the code registry, not copied into the engine.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests_validate_support import batch_xml

import lgstandards.safexml
from lgstandards.codes import fatal_codes, registry
from lgstandards.report import Issue, Severity
from lgstandards.validation import validate

VALIDATION = Path(lgstandards.safexml.__file__).parent / "validation"
ROUTER = "lgstandards.validation.engine"
ENGINES = (
    "lgstandards.validation.stream",
    "lgstandards.validation.rdf",
    "lgstandards.validation.govtalk",
)
#: Modules every engine may import, which import no engine.
SHARED = (
    "lgstandards.validation.core",
    "lgstandards.validation.input",
    "lgstandards.validation.profile",
    "lgstandards.validation.layers",
)


def imported(module: str) -> set[str]:
    """Return every module ``module`` imports anywhere in its source (any nesting)."""
    path = VALIDATION / f"{module.rpartition('.')[2]}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


@pytest.mark.parametrize("module", ENGINES)
def test_an_engine_imports_neither_the_router_nor_another_engine(module: str) -> None:
    others = {ROUTER, *ENGINES} - {module}
    assert not imported(module) & others, sorted(imported(module) & others)


@pytest.mark.parametrize("module", SHARED)
def test_the_shared_modules_import_no_engine(module: str) -> None:
    engines = {ROUTER, *ENGINES}
    assert not imported(module) & engines, sorted(imported(module) & engines)


def test_the_router_reaches_every_engine() -> None:
    assert set(ENGINES) <= imported(ROUTER)


# --- fatal codes ---------------------------------------------------------------------

SAFEXML_SOURCE = Path(lgstandards.safexml.__file__).read_text("utf-8")


def test_the_fatal_codes_are_those_the_registry_marks() -> None:
    marked = {code for code, entry in registry().items() if entry.fatal}
    assert fatal_codes() == marked
    assert not any(code.startswith("rule.") for code in marked)


def test_every_code_the_safe_parser_raises_is_fatal() -> None:
    raised = set(re.findall(r'"((?:xml|io)\.[a-z-]+)"', SAFEXML_SOURCE)) & set(registry())
    assert raised, "no code found in safexml"
    assert raised <= fatal_codes(), sorted(raised - fatal_codes())
    assert "xml.check-failed" not in fatal_codes()  # a failing layer is not the document's


@pytest.mark.parametrize("streaming", [False, True])
@pytest.mark.parametrize("code", sorted(fatal_codes()))
def test_a_fatal_issue_stands_alone_in_its_report(
    code: str, streaming: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lgstandards.validation import layers

    real = layers.vocab_issues

    def with_fatal(*args: Any, **kwargs: Any) -> Iterator[Issue]:
        yield from real(*args, **kwargs)
        yield Issue(code, Severity.ERROR, "found by the test", "canfuwyd gan y prawf")

    data = batch_xml(40, bad_every=3)  # many other findings, all dropped
    assert len(validate(data, streaming=streaming)) > 3
    monkeypatch.setattr(layers, "vocab_issues", with_fatal)
    assert validate(data, streaming=streaming).codes() == [code]
