r"""Report formats: text, JSON, JUnit XML and SARIF 2.1.0, for people and for CI.

* **text**: one line per issue, ``file:line:col: severity code message [at path]``;
  coloured with rich when written to a terminal, plain otherwise.
* **json**: ``{"format": "lgstandards-report", "version": "1.0", ...}``, the shape in
  ``schemas/report/lgstandards-report-v1-0.schema.json``.
* **junit**: one ``testcase`` per document (``failure`` when invalid, ``error`` when
  unreadable); warnings go to ``system-out``.
* **sarif**: SARIF 2.1.0, one result per issue, one rule per issue code.

Every format is valid for any file name and message: text and JUnit show control
characters (XML 1.0 forbids most of them) and undecodable bytes of a file name
(``surrogateescape``) as ``\xNN`` escapes; JSON and SARIF keep control characters
(JSON escapes them) and show undecodable bytes the same way; SARIF URIs carry them
percent-encoded.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
from collections.abc import Sequence
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import quote

from lgstandards.report import Severity, ValidationReport

FORMATS = ("text", "json", "junit", "sarif")
REPORT_FORMAT = "lgstandards-report"
REPORT_VERSION = "1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


#: Characters shown escaped in one-line output: C0 and C1 controls, lone surrogates (the
#: undecodable bytes of a file name), the line and paragraph separators, and the two
#: non-characters XML 1.0 forbids.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if 0xDC80 <= point <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}"


def printable(text: str) -> str:
    r"""Return ``text`` on one line, control characters and undecodable bytes as ``\xNN``.

    The result is valid in XML 1.0 and encodable as UTF-8; ``ok\x01.xml`` stays readable.
    """
    return _UNPRINTABLE.sub(_escape, text)


def json_safe(value: Any) -> Any:
    r"""Return ``value`` (JSON data) with undecodable bytes in strings shown as ``\xNN``."""
    if isinstance(value, str):
        return _SURROGATE.sub(_escape, value)
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _version() -> str:
    from lgstandards import __version__

    return __version__


def unreadable(report: ValidationReport) -> bool:
    """Tell whether a document could not be read at all (``io.unreadable``)."""
    return any(i.code == "io.unreadable" for i in report.issues)


def summary(reports: Sequence[ValidationReport]) -> dict[str, int]:
    """Count documents and issues over a run."""
    counts = {"documents": len(reports), "valid": 0, "invalid": 0}
    for severity in Severity:
        counts[f"{severity.value}s"] = 0
    for report in reports:
        counts["valid" if report.ok else "invalid"] += 1
        for name, number in report.counts().items():
            counts[f"{name}s"] += number
    return counts


def summary_line(reports: Sequence[ValidationReport]) -> str:
    """Return a one-line summary of a run."""
    c = summary(reports)
    return (
        f"{c['documents']} document(s): {c['valid']} valid, {c['invalid']} invalid "
        f"({c['errors']} error(s), {c['warnings']} warning(s))"
    )


# --- text --------------------------------------------------------------------------


def write_text(
    reports: Sequence[ValidationReport], out: IO[str], *, lang: str = "en", colour: bool = False
) -> None:
    """Write one line per issue; coloured with rich when ``colour``."""
    if not colour:
        for report in reports:
            for issue in report.issues:
                out.write(printable(issue.format(lang)) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=True)
    for report in reports:
        for issue in report.issues:
            line = Text()
            line.append(printable(issue.location()), style="bold")
            line.append(": ")
            line.append(issue.severity.value, style=_STYLES[issue.severity])
            line.append(" ")
            line.append(printable(issue.code), style="magenta")
            line.append(" " + printable(issue.text(lang)))
            if issue.path:
                line.append(f" [at {printable(issue.path)}]", style="dim")
            console.print(line)


# --- JSON --------------------------------------------------------------------------


def to_json(reports: Sequence[ValidationReport], *, lang: str = "en") -> dict[str, Any]:
    """Return the versioned JSON report of a run (strings made safe by :func:`json_safe`)."""
    report = {
        "format": REPORT_FORMAT,
        "version": REPORT_VERSION,
        "generator": {"name": "lgstandards", "version": _version()},
        "lang": lang,
        "valid": all(r.ok for r in reports),
        "summary": summary(reports),
        "documents": [
            {
                "source": r.source,
                "kind": r.kind,
                "valid": r.ok,
                "counts": r.counts(),
                "issues": [i.to_dict() for i in r.issues],
            }
            for r in reports
        ],
    }
    safe: dict[str, Any] = json_safe(report)
    return safe


def write_json(reports: Sequence[ValidationReport], out: IO[str], *, lang: str = "en") -> None:
    """Write the JSON report (indented, UTF-8, Welsh letters unescaped)."""
    json.dump(to_json(reports, lang=lang), out, ensure_ascii=False, indent=2)
    out.write("\n")


# --- JUnit -------------------------------------------------------------------------


def to_junit(reports: Sequence[ValidationReport], *, lang: str = "en") -> bytes:
    """Return a JUnit XML report: one test suite, one test case per document."""
    from lxml import etree

    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()
    suites = etree.Element("testsuites")
    suite = etree.SubElement(suites, "testsuite")
    failures = sum(1 for r in reports if not r.ok and not unreadable(r))
    errors = sum(1 for r in reports if unreadable(r))
    for key, value in (
        ("package", "lgstandards"),
        ("id", "0"),
        ("name", "lgstandards validate"),
        ("timestamp", stamp),
        ("hostname", _hostname()),
        ("tests", str(len(reports))),
        ("failures", str(failures)),
        ("errors", str(errors)),
        ("skipped", "0"),
        ("time", "0"),
    ):
        suite.set(key, value)
    etree.SubElement(suite, "properties")
    out_lines: list[str] = []
    for report in reports:
        case = etree.SubElement(suite, "testcase")
        case.set("name", _token(report.source or "<input>"))
        case.set("classname", _token(report.kind or "unknown"))
        case.set("time", "0")
        lines = [printable(i.format(lang)) for i in report.issues]
        if unreadable(report):
            error = etree.SubElement(case, "error")
            error.set("type", "io.unreadable")
            cause = next(i for i in report.issues if i.code == "io.unreadable")
            error.set("message", printable(cause.text(lang)))
            error.text = "\n".join(lines)
        elif not report.ok:
            failure = etree.SubElement(case, "failure")
            first = printable(report.errors[0].code)
            failure.set("type", first)
            failure.set("message", f"{len(report.errors)} error(s); first: {first}")
            failure.text = "\n".join(lines)
        else:
            out_lines.extend(lines)
    etree.SubElement(suite, "system-out").text = "\n".join(out_lines)
    etree.SubElement(suite, "system-err").text = ""
    return bytes(etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _token(text: str) -> str:
    return printable(text).strip() or "-"


def _hostname() -> str:
    name = socket.gethostname() or "localhost"
    return name.split(".")[0] or "localhost"


# --- SARIF -------------------------------------------------------------------------

_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _uri(source: str | None) -> str:
    if not source:
        return "stdin"
    # The file name's own bytes (undecodable ones included), percent-encoded; a lone
    # surrogate that no file system byte maps to is kept as its UTF-8 form.
    posix = PurePath(source).as_posix()
    try:
        raw = os.fsencode(posix)
    except UnicodeEncodeError:
        raw = posix.encode("utf-8", "surrogatepass")
    return quote(raw, safe="/:-_.~")


def to_sarif(reports: Sequence[ValidationReport], *, lang: str = "en") -> dict[str, Any]:
    """Return a SARIF 2.1.0 log: one run, one result per issue."""
    from lgstandards.codes import registry

    known = registry()
    codes = sorted({i.code for r in reports for i in r.issues})
    rules = []
    for code in codes:
        entry = known.get(code)
        rule: dict[str, Any] = {"id": code}
        if entry is not None:
            text = entry.description_cy if lang == "cy" and entry.description_cy else None
            rule["shortDescription"] = {"text": text or entry.description}
            rule["defaultConfiguration"] = {"level": _LEVELS[entry.severity]}
        rules.append(rule)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for report in reports:
        for issue in report.issues:
            location: dict[str, Any] = {
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(issue.source or report.source)}
                }
            }
            if issue.line:
                region: dict[str, int] = {"startLine": issue.line}
                if issue.column:
                    region["startColumn"] = issue.column
                location["physicalLocation"]["region"] = region
            if issue.path:
                location["logicalLocations"] = [{"fullyQualifiedName": issue.path}]
            result: dict[str, Any] = {
                "ruleId": issue.code,
                "ruleIndex": index[issue.code],
                "level": _LEVELS[issue.severity],
                "message": {"text": issue.text(lang)},
                "locations": [location],
            }
            if issue.detail:
                result["properties"] = {"detail": issue.detail}
            results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lgstandards",
                        "version": _version(),
                        "informationUri": "https://example.invalid/lgstandards",
                        "rules": rules,
                    }
                },
                "language": "cy" if lang == "cy" else "en",
                "results": results,
            }
        ],
    }
    safe: dict[str, Any] = json_safe(log)
    return safe


def write(
    reports: Sequence[ValidationReport],
    out: IO[str],
    *,
    fmt: str = "text",
    lang: str = "en",
    colour: bool = False,
) -> None:
    """Write ``reports`` to ``out`` in the format ``fmt`` (one of :data:`FORMATS`)."""
    if fmt == "text":
        write_text(reports, out, lang=lang, colour=colour)
    elif fmt == "json":
        write_json(reports, out, lang=lang)
    elif fmt == "junit":
        out.write(to_junit(reports, lang=lang).decode("utf-8"))
    elif fmt == "sarif":
        json.dump(to_sarif(reports, lang=lang), out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


__all__ = [
    "FORMATS",
    "REPORT_FORMAT",
    "REPORT_VERSION",
    "json_safe",
    "printable",
    "summary",
    "summary_line",
    "to_json",
    "to_junit",
    "to_sarif",
    "unreadable",
    "write",
    "write_json",
    "write_text",
]
