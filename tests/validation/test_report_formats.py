"""Report formats: text, JSON (against its JSON Schema), JUnit XML and SARIF 2.1.0."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from tests_validate_support import FIXTURES
from testsupport import EXTERNAL, REPO

from lgstandards.report import ValidationReport
from lgstandards.validation import formats, validate


@pytest.fixture(scope="module")
def reports() -> list[ValidationReport]:
    from tests_validate_support import TEST_PROFILE

    return [
        validate(FIXTURES / "batch-valid.xml", profile=TEST_PROFILE),
        validate(FIXTURES / "batch-invalid.xml", profile=TEST_PROFILE),
        validate(b"<broken>", kind=None),
        validate(REPO / "examples" / "catalogues" / "valid" / "unofficial-code.ttl"),
    ]


def _render(reports: list[ValidationReport], fmt: str, **kwargs: object) -> str:
    out = io.StringIO()
    formats.write(reports, out, fmt=fmt, **kwargs)  # type: ignore[arg-type]
    return out.getvalue()


def test_text_one_line_per_issue(reports: list[ValidationReport]) -> None:
    text = _render(reports, "text")
    lines = text.splitlines()
    assert len(lines) == sum(len(r) for r in reports)
    assert lines[0].startswith(
        str(FIXTURES / "batch-invalid.xml") + ":4: warning xml.external-reference"
    )
    assert "\x1b[" not in text


def test_text_in_welsh_and_in_colour(reports: list[ValidationReport]) -> None:
    welsh = _render(reports, "text", lang="cy")
    assert "nid yw'r gwerth 'aa9a 9aa' yn cyfateb i batrwm ei fath" in welsh
    coloured = _render(reports, "text", colour=True)
    assert "\x1b[" in coloured


@pytest.mark.parametrize("version", ["1-0", "1-1"])
def test_json_matches_its_schema(reports: list[ValidationReport], version: str) -> None:
    """A 1.1 report is valid against its own schema and against 1.0's (old consumers)."""
    jsonschema = pytest.importorskip("jsonschema")
    name = f"lgstandards-report-v{version}.schema.json"
    schema = json.loads((REPO / "schemas" / "report" / name).read_text("utf-8"))
    data = json.loads(_render(reports, "json"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
    assert data["format"] == "lgstandards-report"
    assert data["version"] == "1.1"
    assert data["schema"] == formats.REPORT_SCHEMA
    assert data["command"] == "validate"
    assert data["summary"]["documents"] == 4
    assert data["summary"]["invalid"] == 2
    assert data["valid"] is False
    assert data["documents"][1]["kind"] == "test.batch"


def test_junit_one_case_per_document(reports: list[ValidationReport]) -> None:
    from lxml import etree

    root = etree.fromstring(formats.to_junit(reports))
    cases = root.findall("testsuite/testcase")
    assert len(cases) == 4
    assert [c.find("failure") is not None for c in cases] == [False, True, True, False]
    assert root.find("testsuite").get("failures") == "2"


def test_sarif_one_result_per_issue(reports: list[ValidationReport]) -> None:
    log = formats.to_sarif(reports)
    results = log["runs"][0]["results"]
    assert len(results) == sum(len(r) for r in reports)
    rule_ids = [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    assert {r["level"] for r in results} <= {"error", "warning", "note"}


def test_unknown_format_is_refused(reports: list[ValidationReport]) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        _render(reports, "yaml")


@pytest.mark.external
def test_junit_validates_against_the_junit_schema(reports: list[ValidationReport]) -> None:
    from lxml import etree

    xsd = EXTERNAL / "junit" / "JUnit.xsd"
    if not xsd.is_file():
        pytest.skip("external JUnit schema not available")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    document = etree.fromstring(formats.to_junit(reports))
    assert schema.validate(document), schema.error_log
    empty = etree.fromstring(formats.to_junit([]))
    assert schema.validate(empty), schema.error_log


@pytest.mark.external
def test_sarif_validates_against_the_official_schema(reports: list[ValidationReport]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    path = EXTERNAL / "sarif" / "sarif-schema-2.1.0.json"
    if not path.is_file():
        pytest.skip("external SARIF schema not available")
    from lgstandards.codes import registry

    schema = json.loads(path.read_text("utf-8"))
    validator = jsonschema.validators.validator_for(schema)(schema)
    now = dt.datetime.now(dt.UTC)
    for invocation in (None, formats.Invocation(2, now, now), formats.Invocation(0, now, now)):
        log = json.loads(_render(reports, "sarif", invocation=invocation))
        errors = sorted(validator.iter_errors(log), key=str)
        assert not errors, errors[0]
        rules = log["runs"][0]["tool"]["driver"]["rules"]
        registered = [r for r in rules if r["id"] in registry()]
        assert registered
        assert all(r["helpUri"] and r["fullDescription"]["text"] for r in registered)


def test_sarif_invocation_without_an_exit_status(reports: list[ValidationReport]) -> None:
    """From the library (no exit status): execution fails only on an unreadable input."""
    (invocation,) = formats.to_sarif(reports)["runs"][0]["invocations"]
    assert "exitCode" not in invocation
    assert invocation["executionSuccessful"] is True
    from lgstandards.validation.batch import missing

    (failed,) = formats.to_sarif([missing("x.xml", "gone")])["runs"][0]["invocations"]
    assert failed["executionSuccessful"] is False
