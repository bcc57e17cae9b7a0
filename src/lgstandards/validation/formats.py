r"""Report formats: text, JSON, JUnit XML and SARIF 2.1.0, for people and for CI.

* **text**: one line per issue, ``file:line:col: severity code message [at path]``;
  coloured with rich when written to a terminal, plain otherwise.
* **json**: ``{"lgstandards": ..., "schema": ..., "command": ..., "format":
  "lgstandards-report", "version": "1.1", ...}``, the shape in
  ``schemas/report/lgstandards-report-v1-1.schema.json`` (1.1 adds the envelope of
  :func:`envelope` to 1.0; a 1.1 report is also a valid 1.0 report).
* **junit**: one ``testcase`` per document (``failure`` when invalid, ``error`` when
  unreadable); warnings go to ``system-out``.
* **sarif**: SARIF 2.1.0, one result per issue, one rule per issue code with its
  description and a ``helpUri`` to its documentation (base: :func:`docs_url`), and the
  run's invocation (exit code, start and end times).

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from lgstandards.report import Severity, ValidationReport

if TYPE_CHECKING:
    from lgstandards.codes import IssueCode

FORMATS = ("text", "json", "junit", "sarif")
REPORT_FORMAT = "lgstandards-report"
REPORT_VERSION = "1.1"
#: The ``$id`` of the JSON report's schema (``schemas/report/lgstandards-report-v1-1...``).
REPORT_SCHEMA = "urn:lgstandards:report:1.1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where the documentation is published, unless ``LGSTANDARDS_DOCS_URL`` says otherwise.
DEFAULT_DOCS_URL = "https://example.invalid/lgstandards/"
DOCS_URL_ENV = "LGSTANDARDS_DOCS_URL"

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


def envelope(command: str, schema: str, payload: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``payload`` in the envelope every JSON output of the CLI has.

    ``{"lgstandards": <library version>, "schema": <$id of the output's JSON Schema>,
    "command": <the command that wrote it>, ...payload}``; the schemas are published
    in ``schemas/report/``. A list is a member of the payload, never the whole output.
    """
    return {"lgstandards": _version(), "schema": schema, "command": command, **payload}


def docs_url() -> str:
    """Return the documentation's base URL (``LGSTANDARDS_DOCS_URL``), ending in ``/``."""
    base = os.environ.get(DOCS_URL_ENV, "").strip() or DEFAULT_DOCS_URL
    return base if base.endswith("/") else base + "/"


def _anchor(text: str) -> str:
    """Return the anchor the documentation gives ``text`` (docutils' ``make_id`` for ASCII)."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def help_uri(code: str) -> str:
    """Return the documentation of an issue code: its rule's entry, else the code's."""
    if code.startswith("rule."):
        return f"{docs_url()}reference/rules.html#{_anchor('rule-' + code[5:])}"
    return f"{docs_url()}reference/issue-codes.html#{_anchor('issue-' + code)}"


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


def to_json(
    reports: Sequence[ValidationReport], *, lang: str = "en", command: str = "validate"
) -> dict[str, Any]:
    """Return the versioned JSON report of a run (strings made safe by :func:`json_safe`)."""
    report = {
        **envelope(command, REPORT_SCHEMA, {}),
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


def write_json(
    reports: Sequence[ValidationReport],
    out: IO[str],
    *,
    lang: str = "en",
    command: str = "validate",
) -> None:
    """Write the JSON report (indented, UTF-8, Welsh letters unescaped)."""
    json.dump(to_json(reports, lang=lang, command=command), out, ensure_ascii=False, indent=2)
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
    import socket

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


@dataclass(frozen=True, slots=True)
class Invocation:
    """How a run went, for SARIF's ``invocations``: its exit status and times (UTC)."""

    exit_code: int | None
    start: dt.datetime
    end: dt.datetime

    def to_sarif(self, reports: Sequence[ValidationReport]) -> dict[str, Any]:
        """Return the SARIF ``invocation`` object (execution fails on an unreadable input)."""
        if self.exit_code is not None:
            successful = self.exit_code in (0, 1)  # 1 is a finding, not a failed run
        else:
            successful = not any(unreadable(r) for r in reports)
        data: dict[str, Any] = {
            "executionSuccessful": successful,
            "startTimeUtc": _utc(self.start),
            "endTimeUtc": _utc(self.end),
        }
        if self.exit_code is not None:
            data["exitCode"] = self.exit_code
        return data


def _utc(when: dt.datetime) -> str:
    stamp = when.astimezone(dt.UTC) if when.tzinfo else when
    return stamp.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _rule(code: str, entry: IssueCode | None, lang: str) -> dict[str, Any]:
    """Return the SARIF rule of an issue code, with its documentation (registered codes)."""
    if entry is None:  # not a code of the library (a kind registered by a user): no page
        return {"id": code}
    rule: dict[str, Any] = {"id": code, "helpUri": help_uri(code)}
    text = entry.description_cy if lang == "cy" and entry.description_cy else None
    rule["shortDescription"] = {"text": text or entry.description}
    full = [
        f"{entry.description} (default severity: {entry.severity.value}; "
        f"documentation: {rule['helpUri']})"
    ]
    if entry.description_cy:
        full.append(f"Cymraeg: {entry.description_cy}")
    rule["fullDescription"] = {"text": "\n\n".join(full)}
    rule["defaultConfiguration"] = {"level": _LEVELS[entry.severity]}
    return rule


def to_sarif(
    reports: Sequence[ValidationReport],
    *,
    lang: str = "en",
    invocation: Invocation | None = None,
) -> dict[str, Any]:
    """Return a SARIF 2.1.0 log: one run, one result per issue, one rule per code."""
    from lgstandards.codes import registry

    known = registry()
    codes = sorted({i.code for r in reports for i in r.issues})
    rules = [_rule(code, known.get(code), lang) for code in codes]
    if invocation is None:
        now = dt.datetime.now(dt.UTC)
        invocation = Invocation(None, now, now)
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
                        "informationUri": docs_url(),
                        "rules": rules,
                    }
                },
                "invocations": [invocation.to_sarif(reports)],
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
    command: str = "validate",
    invocation: Invocation | None = None,
) -> None:
    """Write ``reports`` to ``out`` in the format ``fmt`` (one of :data:`FORMATS`).

    ``command`` names the writer in the JSON report; ``invocation`` describes the run
    in SARIF (default: a run that ends now, with no exit status).
    """
    if fmt == "text":
        write_text(reports, out, lang=lang, colour=colour)
    elif fmt == "json":
        write_json(reports, out, lang=lang, command=command)
    elif fmt == "junit":
        out.write(to_junit(reports, lang=lang).decode("utf-8"))
    elif fmt == "sarif":
        log = to_sarif(reports, lang=lang, invocation=invocation)
        json.dump(log, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


__all__ = [
    "DEFAULT_DOCS_URL",
    "DOCS_URL_ENV",
    "FORMATS",
    "REPORT_FORMAT",
    "REPORT_SCHEMA",
    "REPORT_VERSION",
    "Invocation",
    "docs_url",
    "envelope",
    "help_uri",
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
