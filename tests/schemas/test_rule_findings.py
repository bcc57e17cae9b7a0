"""One owner per finding: the registry makes rule issues, the path maker formats their paths.

* :func:`lgstandards.codes.issue` gives the registered severity and both texts;
* no module types a severity for a ``rule.*`` issue, and the Python rules never make
  an issue, type a severity or build a path (an AST scan of ``src``);
* the path of every Python-rule issue, whole document and streaming, is the
  ``PathMaker`` path of the element the rule found, on the examples and on generated
  documents that break each Python rule; so is the path of every stateful rule's
  issue (the exchange's) on the exchange cases.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_rule_welsh import ALL_RULES

import lgstandards
from lgstandards._resources import examples_root
from lgstandards.artefacts import catalogue as catalog
from lgstandards.artefacts.kinds import KindSpec, prefixes, spec_for_kind
from lgstandards.codes import get, issue
from lgstandards.report import Issue, Severity
from lgstandards.rules import python_rules, rules_for
from lgstandards.rules.ebenefits import claims_register
from lgstandards.testing import ebenefits as benefit_strategies
from lgstandards.testing import strategies
from lgstandards.validation import validate
from lgstandards.validation.govtalk import parts, without_body
from lgstandards.validation.paths import PathMaker

SRC = Path(lgstandards.__file__).parent
#: The modules of the Python rules: they yield elements and parameters, nothing more.
RULE_MODULES = ("rules/__init__.py", "rules/common.py", "rules/epay.py", "rules/ebenefits.py")
PYTHON_CODES = frozenset(rule.code for rule in python_rules().values())


# ---------------------------------------------------------------- the factory
def test_issue_takes_severity_and_both_texts_from_the_registry() -> None:
    made = issue("rule.EPAY-R004", value=0, minimum=1, maximum=2, source="a.xml", line=3)
    entry = get("rule.EPAY-R004")
    assert made == Issue(
        "rule.EPAY-R004",
        entry.severity,
        (entry.template or "").format(value=0, minimum=1, maximum=2),
        (entry.template_cy or "").format(value=0, minimum=1, maximum=2),
        source="a.xml",
        line=3,
    )
    assert issue("rule.EPAY-R004", {"value": 0, "minimum": 1, "maximum": 2}).message == (
        made.message
    )


def test_a_code_without_templates_gives_its_description() -> None:
    entry = get("xml.empty")
    made = issue("xml.empty", source="x")
    assert (made.severity, made.message, made.message_cy) == (
        entry.severity,
        entry.description,
        entry.description_cy,
    )
    with pytest.raises(TypeError):
        issue("xml.empty", value=1)


def test_missing_parameters_are_a_programming_error() -> None:
    with pytest.raises(KeyError):
        issue("rule.EPAY-R004", value=0)
    with pytest.raises(KeyError):
        issue("rule.NOT-R999")


def test_the_element_gives_the_line_and_the_path_maker_the_path() -> None:
    root = etree.fromstring(b'<a xmlns="urn:lgstandards:epay:1">\n<b/>\n<b>x</b></a>')
    element = root[1]
    paths = PathMaker({"urn:lgstandards:epay:1": "epay"})
    made = issue("rule.COM-R014", element=element, paths=paths, value="x")
    assert (made.line, made.path) == (3, "/epay:a/epay:b[2]")
    assert issue("rule.COM-R014", element=element, value="x").path is None  # no path maker
    given_ = issue("rule.COM-R014", element=element, paths=paths, line=9, path="/p", value="x")
    assert (given_.line, given_.path) == (9, "/p")


def test_a_stateful_finding_takes_the_stateful_templates() -> None:
    """A rule only the exchange checks has stateful templates only; a shared id has both."""
    made = issue("rule.EPAY-R007", fund="XX", stateful=True)
    entry = get("rule.EPAY-R007")
    assert entry.stateful
    assert (made.severity, made.message, made.message_cy) == (
        entry.severity,
        (entry.stateful_template or "").format(fund="XX"),
        (entry.stateful_template_cy or "").format(fund="XX"),
    )
    with pytest.raises(TypeError):
        issue("rule.EPAY-R007", fund="XX")  # no per-document template
    with pytest.raises(TypeError):
        issue("rule.EPAY-R004", value=0, minimum=1, maximum=2, stateful=True)
    shared = get("rule.BEN-R018")  # a Python rule, also checked across messages
    assert not shared.stateful
    assert shared.template
    assert shared.stateful_template
    alone = issue("rule.BEN-R018", reference="C-1")
    across = issue(
        "rule.BEN-R018",
        what="change",
        what_cy="newid",
        claim="claim C-1",
        claim_cy="hawliad C-1",
        stateful=True,
    )
    assert alone.message != across.message
    assert "ledger" in across.message


def test_an_extension_appends_the_description_and_gives_stateful_templates() -> None:
    from lgstandards.codes._exchange import EXTENDS
    from lgstandards.codes._rules import CODES as RULE_CODES

    before = {entry.code: entry for entry in RULE_CODES}
    for code, extension in EXTENDS.items():
        entry = get(code)
        assert entry.description == f"{before[code].description} {extension.description}"
        assert entry.description_cy.endswith(extension.description_cy)  # type: ignore[union-attr]
        assert entry.stateful_template == extension.stateful_template
        assert entry.template == before[code].template  # the per-document texts stay


def test_a_profile_may_set_a_rules_severity() -> None:
    made = issue("rule.COM-R014", severity=Severity.WARNING, value="x")
    assert made.severity is Severity.WARNING
    assert get("rule.COM-R014").severity is Severity.ERROR


# ---------------------------------------------------------------- no severity typed inline
def _modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        name = path.relative_to(SRC).as_posix()
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=name)


def _is_issue_call(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    return (isinstance(func, ast.Name) and func.id == "Issue") or (
        isinstance(func, ast.Attribute) and func.attr == "Issue"
    )


def _argument(call: ast.Call, position: int, name: str) -> ast.expr | None:
    if len(call.args) > position:
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == name), None)


def _rule_code(node: ast.expr | None) -> bool:
    """Whether an Issue's code argument is written as a ``rule.`` code (text or f-string)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and node.value.startswith("rule.")
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        return isinstance(first, ast.Constant) and str(first.value).startswith("rule.")
    return False


def _literal_severity(node: ast.expr | None) -> bool:
    """``Severity.ERROR`` ... or ``Severity("error")``."""
    if isinstance(node, ast.Attribute):
        return isinstance(node.value, ast.Name) and node.value.id == "Severity"
    if isinstance(node, ast.Call):
        return (
            isinstance(node.func, ast.Name)
            and node.func.id == "Severity"
            and bool(node.args)
            and isinstance(node.args[0], ast.Constant)
        )
    return False


def _typed_names(function: ast.AST) -> set[str]:
    """The local names a function binds to a literal severity (``s = Severity.ERROR`` ...)."""
    found: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Name) and _literal_severity(node.value):
                found.add(target.id)
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for name, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(name, ast.Name) and _literal_severity(value):
                        found.add(name.id)
    return found


def test_no_module_types_a_severity_for_a_rule_issue() -> None:
    """No ``Issue(rule..., Severity.X)`` outside the registry, directly or through a local."""
    found = []
    for name, tree in _modules():
        if name.startswith("codes/"):
            continue
        scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
        for scope in scopes:
            typed = _typed_names(scope) if isinstance(scope, ast.FunctionDef) else set()
            for node in ast.walk(scope):
                if not _is_issue_call(node):
                    continue
                assert isinstance(node, ast.Call)
                code, severity = _argument(node, 0, "code"), _argument(node, 1, "severity")
                literal = _literal_severity(severity) or (
                    isinstance(severity, ast.Name) and severity.id in typed
                )
                if _rule_code(code) and literal:
                    found.append(f"{name}:{node.lineno}")
    assert not found, f"Issue(rule..., Severity...) outside the registry: {sorted(set(found))}"


@pytest.mark.parametrize("name", RULE_MODULES)
def test_python_rules_make_no_issue_type_no_severity_and_build_no_path(name: str) -> None:
    tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        assert not _is_issue_call(node), f"{name}:{getattr(node, 'lineno', '?')} makes an Issue"
        if isinstance(node, ast.Attribute):
            assert node.attr != "getpath", f"{name}:{node.lineno} builds a path"
            typed = isinstance(node.value, ast.Name) and node.value.id == "Severity"
            assert not typed, f"{name}:{node.lineno} types a severity"


def test_no_module_builds_paths_with_getpath() -> None:
    for name, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute):
                assert node.attr != "getpath", f"{name}:{node.lineno}"


# ---------------------------------------------------------------- paths of Python-rule findings
Expected = list[tuple[str, int | None, str | None, str]]


def _kind(element: etree._Element) -> str:
    qname = etree.QName(element)
    kind = catalog.kind_for(qname.namespace or "", qname.localname)
    assert kind is not None, qname
    return kind


def _rule_scopes(root: etree._Element) -> Iterator[tuple[etree._Element, KindSpec]]:
    """What the Python rules of a document look at: the document, or an envelope and its bodies.

    An envelope's rules see it without its body (a copy with the same lines and paths),
    except the rules that read it whole (an integrity digest of the body), which
    :func:`_expected` gives the document itself; a body's rules see the body in place.
    """
    spec = spec_for_kind(_kind(root))
    assert spec is not None
    if not spec.body_classes:
        yield root, spec
        return
    yield without_body(root, spec), spec
    _, message_class, elements = parts(root, spec)
    wanted = spec.body_namespace(message_class) if message_class else None
    for element in elements:
        if etree.QName(element).namespace == wanted:
            body = spec_for_kind(_kind(element))
            assert body is not None
            yield element, body


def _expected(data: bytes) -> Expected:
    """Each Python rule's findings as issues: the PathMaker path of the element found."""
    found: Expected = []
    root = etree.fromstring(data)
    for scope, spec in _rule_scopes(root):
        paths = PathMaker(prefixes(), spec.record_tag)
        for rule in rules_for(spec.kind):
            whole = rule.whole and bool(spec.body_classes)
            for element, params in rule.findings(root if whole else scope, profile=ALL_RULES):
                line = element.sourceline if element is not None else None
                path = paths.path(element) if element is not None else None
                found.append((rule.code, line, path, get(rule.code).texts(**params)[0]))
    return sorted(found)


def _actual(data: bytes, *, streaming: bool) -> Expected:
    issues = validate(data, streaming=streaming, profile=ALL_RULES).issues
    return sorted((i.code, i.line, i.path, i.message) for i in issues if i.code in PYTHON_CODES)


def _assert_paths_are_the_path_makers(data: bytes) -> None:
    with claims_register(set()):
        expected = _expected(data)
        assert _actual(data, streaming=False) == expected
        assert _actual(data, streaming=True) == expected


def _documents() -> dict[str, bytes]:
    from test_rule_welsh import made_documents

    found = {
        str(path.relative_to(examples_root())): path.read_bytes()
        for family in ("epay", "ebenefits", "govtalk", "transactions")
        for path in sorted((examples_root() / family).glob("*/*.xml"))
    }
    found.update(made_documents())
    return found


DOCUMENTS = _documents()


def test_the_documents_raise_every_python_rule() -> None:
    with claims_register(set()):
        raised = {code for data in DOCUMENTS.values() for code, *_ in _expected(data)}
    assert raised == PYTHON_CODES


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_python_rule_paths_are_the_path_makers_path_of_the_element(name: str) -> None:
    _assert_paths_are_the_path_makers(DOCUMENTS[name])


#: Generated documents that break a Python rule (and the documents around it).
BREAKING = st.one_of(
    *(strategies.payment_requests(breaks=r) for r in ("EPAY-R004", "EPAY-R006", "EPAY-R008")),
    strategies.reconciliation_batches(breaks="COM-R010"),
    *(
        benefit_strategies.benefit_claims(breaks=r)
        for r in ("BEN-R004", "BEN-R006", "BEN-R007", "BEN-R008")
    ),
    benefit_strategies.evidence_submissions(breaks="BEN-R022"),
    benefit_strategies.changes_of_circumstances(),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(BREAKING)
def test_paths_of_generated_findings_are_the_path_makers(document: Any) -> None:
    _assert_paths_are_the_path_makers(document.to_xml())


# ---------------------------------------------------------------- paths of stateful findings
def test_stateful_finding_paths_are_the_path_makers_path_of_the_element() -> None:
    """Each stateful issue's path names one element of its document, on the issue's line,
    and is that element's ``PathMaker`` path (the validator's, never ``getpath``)."""
    from lgstandards.conformance import exchange_cases
    from lgstandards.exchange import STATEFUL_RULES, Exchange
    from lgstandards.validation.profile import current_profile

    stateful = {f"rule.{rule}" for rule in STATEFUL_RULES}
    profile = current_profile()
    namespaces = {prefix: namespace for namespace, prefix in profile.prefixes.items()}
    checked = set()
    for case in exchange_cases():
        with Exchange(sender=case.sender, profile=case.profile) as exchange:
            for message in case.messages:
                report = exchange.check(message.path)
                found = [i for i in report.issues if i.code in stateful]
                if not found:
                    continue
                root = etree.parse(str(message.path)).getroot()
                spec = profile.spec_for_kind(report.kind or "")
                assert spec is not None
                paths = PathMaker(profile.prefixes, None if spec.body_classes else spec.record_tag)
                for finding in found:
                    assert finding.path is not None, finding
                    elements = root.xpath(finding.path, namespaces=namespaces)
                    assert len(elements) == 1, finding
                    assert elements[0].sourceline == finding.line, finding
                    assert paths.path(elements[0]) == finding.path, finding
                    checked.add(finding.code)
    assert checked == stateful
