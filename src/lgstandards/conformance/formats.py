"""Conformance reports as text, JSON, JUnit XML and a self-contained HTML page.

The JSON shape (``"format": "lgstandards-conformance"``, ``"version": 1``; JSON Schema
``schemas/report/conformance-report-v1.schema.json``), in the envelope every JSON output
of the CLI has (:func:`lgstandards.validation.formats.envelope`)::

    {"lgstandards", "schema", "command", "format", "version", "library_version",
     "schema_versions", "schema_version", "created", "directory",
     "summary": {"total", "passed", "failed"},
     "types": [{"type", "total", "passed", "failed"}],
     "cases": [{"name", "family", "type", "kind", "expected", "codes", "passed",
                "reason", "issues": [{"code", "severity", "message", "line",
                                       "column", "path"}]}]}
"""

from __future__ import annotations

import datetime as dt
import json
from typing import IO, Any

from lgstandards.conformance.check import CaseResult, ConformanceReport
from lgstandards.report import Issue

#: The report formats :func:`write` knows.
FORMATS = ("text", "json", "junit", "html")

#: Version of the JSON shape.
JSON_VERSION = 1
#: The ``$id`` of the JSON shape's schema.
JSON_SCHEMA = "urn:lgstandards:conformance-report:1"


#: The fields of an issue in the JSON shape (those of :meth:`Issue.to_dict` it keeps).
_ISSUE_FIELDS = ("code", "severity", "message", "line", "column", "path")


def _issue_data(issue: Issue) -> dict[str, Any]:
    data = issue.to_dict()
    return {name: data[name] for name in _ISSUE_FIELDS}


def _result_data(result: CaseResult) -> dict[str, Any]:
    case = result.case
    return {
        "name": case.name,
        "family": case.family,
        "type": case.group,
        "kind": result.kind,
        "expected": "valid" if case.expects_valid else list(case.codes),
        "codes": list(result.codes),
        "passed": result.passed,
        "reason": result.reason,
        "issues": [_issue_data(i) for i in result.issues],
    }


def to_data(report: ConformanceReport) -> dict[str, Any]:
    """Return the report as JSON-ready data (the documented shape)."""
    from lgstandards.validation.formats import envelope

    return {
        **envelope("conformance check", JSON_SCHEMA, {}),
        "format": "lgstandards-conformance",
        "version": JSON_VERSION,
        "library_version": report.library_version,
        "schema_versions": report.schema_versions,
        "schema_version": report.schema_version,
        "created": report.created.isoformat(timespec="seconds"),
        "directory": report.directory,
        "summary": {"total": report.total, "passed": report.passed, "failed": report.failed},
        "types": [
            {"type": g.group, "total": g.total, "passed": g.passed, "failed": g.failed}
            for g in report.groups()
        ],
        "cases": [_result_data(r) for r in report.results],
    }


def to_json(report: ConformanceReport) -> str:
    """Return the report as indented JSON text."""
    return json.dumps(to_data(report), indent=2, ensure_ascii=False) + "\n"


def _expected_text(result: CaseResult) -> str:
    return "valid" if result.case.expects_valid else " ".join(result.case.codes)


def to_text(report: ConformanceReport) -> str:
    """Return one line per case (``PASS``/``FAIL``), the failing issues, and a summary."""
    lines: list[str] = []
    for result in report.results:
        status = "PASS" if result.passed else "FAIL"
        line = f"{status} {result.case.name} (expected {_expected_text(result)})"
        if not result.passed:
            line += f": {result.reason}"
        lines.append(line)
        if not result.passed:
            lines.extend(f"    {issue.format()}" for issue in result.issues)
    lines.append(
        f"{report.passed} of {report.total} conformance cases passed, {report.failed} failed "
        f"(lgstandards {report.library_version})"
    )
    return "\n".join(lines) + "\n"


def to_junit(report: ConformanceReport) -> str:
    """Return JUnit XML (Ant schema): one test suite per message type, one case per case.

    A failing case carries a ``failure`` naming why and listing the issues found.
    """
    import socket
    from xml.etree import ElementTree as ET

    stamp = report.created.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="seconds")
    host = (socket.gethostname() or "localhost").split(".")[0] or "localhost"
    suites = ET.Element("testsuites")
    for index, group in enumerate(report.groups()):
        suite = ET.SubElement(suites, "testsuite")
        for key, value in (
            ("package", "lgstandards.conformance"),
            ("id", str(index)),
            ("name", group.group),
            ("timestamp", stamp),
            ("hostname", host),
            ("tests", str(group.total)),
            ("failures", str(group.failed)),
            ("errors", "0"),
            ("skipped", "0"),
            ("time", "0"),
        ):
            suite.set(key, value)
        ET.SubElement(suite, "properties")
        for result in report.results_in(group.group):
            case = ET.SubElement(suite, "testcase")
            case.set("name", result.case.name)
            case.set("classname", f"conformance.{group.group}")
            case.set("time", "0")
            if not result.passed:
                failure = ET.SubElement(case, "failure")
                failure.set("message", result.reason or "failed")
                failure.set("type", "conformance")
                failure.text = "\n".join(i.format() for i in result.issues) or (result.reason or "")
        ET.SubElement(suite, "system-out").text = ""
        ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    body = ET.tostring(suites, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def render(report: ConformanceReport, fmt: str) -> str:
    """Return the report in ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        return to_text(report)
    if fmt == "json":
        return to_json(report)
    if fmt == "junit":
        return to_junit(report)
    if fmt == "html":
        from lgstandards.conformance.html import to_html

        return to_html(report)
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def write(report: ConformanceReport, stream: IO[str], *, fmt: str = "text") -> None:
    """Write the report to ``stream`` in ``fmt``."""
    stream.write(render(report, fmt))


__all__ = [
    "FORMATS",
    "JSON_SCHEMA",
    "JSON_VERSION",
    "render",
    "to_data",
    "to_json",
    "to_junit",
    "to_text",
    "write",
]
