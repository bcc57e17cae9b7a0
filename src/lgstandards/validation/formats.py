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
* **jsonl**: JSON Lines, one line per document, the object a document has in the JSON
  report (``source``, ``kind``, ``valid``, ``counts``, ``issues``), written as each
  document is done.

:class:`ReportStream` writes any format as the reports arrive without holding them:
text and JSON Lines at once, the others spooled to a temporary file and put together
at the end (their header counts every document); the output is the same, byte for
byte, as :func:`write` gives for the same reports.

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
import uuid
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, NamedTuple
from urllib.parse import quote

from lgstandards._text import printable, surrogates_escaped
from lgstandards.report import Issue, Severity, ValidationReport

if TYPE_CHECKING:
    from lgstandards.codes import IssueCode

FORMATS = ("text", "json", "junit", "sarif", "jsonl")
REPORT_FORMAT = "lgstandards-report"
REPORT_VERSION = "1.1"
#: The ``$id`` of the JSON report's schema (``schemas/report/lgstandards-report-v1-1...``).
REPORT_SCHEMA = "urn:lgstandards:report:1.1"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
#: Where the documentation is published, unless ``LGSTANDARDS_DOCS_URL`` says otherwise.
DEFAULT_DOCS_URL = "https://example.invalid/lgstandards/"
DOCS_URL_ENV = "LGSTANDARDS_DOCS_URL"

_STYLES = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def json_safe(value: Any) -> Any:
    r"""Return ``value`` (JSON data) with undecodable bytes in strings shown as ``\xNN``."""
    if isinstance(value, str):
        return surrogates_escaped(value)
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


def summary(reports: Iterable[ValidationReport]) -> dict[str, int]:
    """Count documents and issues over a run."""
    counts = {"documents": 0, "valid": 0, "invalid": 0}
    for severity in Severity:
        counts[f"{severity.value}s"] = 0
    for report in reports:
        count(counts, report)
    return counts


def count(counts: dict[str, int], report: ValidationReport) -> None:
    """Add one document to the counts of :func:`summary`."""
    counts["documents"] += 1
    counts["valid" if report.ok else "invalid"] += 1
    for name, number in report.counts().items():
        counts[f"{name}s"] += number


def summary_line(reports: Sequence[ValidationReport] | Mapping[str, int]) -> str:
    """Return a one-line summary of a run (its reports, or their :func:`summary`)."""
    c = reports if isinstance(reports, Mapping) else summary(reports)
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
        "documents": [_document(r) for r in reports],
    }
    safe: dict[str, Any] = json_safe(report)
    return safe


def _document(report: ValidationReport) -> dict[str, Any]:
    """Return one document's entry of the JSON report (and its JSON Lines line)."""
    return {
        "source": report.source,
        "kind": report.kind,
        "valid": report.ok,
        "counts": report.counts(),
        "issues": [i.to_dict() for i in report.issues],
    }


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

    failures = sum(1 for r in reports if not r.ok and not unreadable(r))
    errors = sum(1 for r in reports if unreadable(r))
    suites, suite = _junit_suite(len(reports), failures, errors)
    out_lines: list[str] = []
    for report in reports:
        out_lines.extend(_junit_case(suite, report, lang))
    etree.SubElement(suite, "system-out").text = "\n".join(out_lines)
    etree.SubElement(suite, "system-err").text = ""
    return bytes(etree.tostring(suites, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def _junit_suite(tests: int, failures: int, errors: int) -> tuple[Any, Any]:
    """Return the JUnit ``testsuites`` element and its one ``testsuite``, with their counts."""
    from lxml import etree

    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None).isoformat()
    suites = etree.Element("testsuites")
    suite = etree.SubElement(suites, "testsuite")
    for key, value in (
        ("package", "lgstandards"),
        ("id", "0"),
        ("name", "lgstandards validate"),
        ("timestamp", stamp),
        ("hostname", _hostname()),
        ("tests", str(tests)),
        ("failures", str(failures)),
        ("errors", str(errors)),
        ("skipped", "0"),
        ("time", "0"),
    ):
        suite.set(key, value)
    etree.SubElement(suite, "properties")
    return suites, suite


def _junit_case(suite: Any, report: ValidationReport, lang: str) -> list[str]:
    """Add a document's test case to ``suite``; return its lines for ``system-out`` (if valid)."""
    from lxml import etree

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
        return lines
    return []


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


class Invocation(NamedTuple):
    """How a run went, for SARIF's ``invocations``: its exit status and times (UTC).

    A named tuple rather than a frozen dataclass: every command run makes this class,
    and a named tuple is made in a tenth of the time (start-up).
    """

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
    codes = sorted({i.code for r in reports for i in r.issues})
    if invocation is None:
        now = dt.datetime.now(dt.UTC)
        invocation = Invocation(None, now, now)
    index = {code: i for i, code in enumerate(codes)}
    results = [_sarif_result(issue, report, lang, index) for report in reports for issue in report]
    return _sarif_log(codes, invocation.to_sarif(reports), lang, results)


def _sarif_result(
    issue: Issue, report: ValidationReport, lang: str, index: Mapping[str, int]
) -> dict[str, Any]:
    """Return the SARIF result of one issue (``index``: each code's place among the rules)."""
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": _uri(issue.source or report.source)}}
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
        "ruleIndex": index.get(issue.code, 0),
        "level": _LEVELS[issue.severity],
        "message": {"text": issue.text(lang)},
        "locations": [location],
    }
    if issue.detail:
        result["properties"] = {"detail": issue.detail}
    return result


def _sarif_log(
    codes: Sequence[str], invocation: dict[str, Any], lang: str, results: list[dict[str, Any]]
) -> dict[str, Any]:
    """Return the SARIF log of a run's (sorted) codes, invocation and results."""
    from lgstandards.codes import registry

    known = registry()
    rules = [_rule(code, known.get(code), lang) for code in codes]
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
                "invocations": [invocation],
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
    elif fmt == "jsonl":
        for report in reports:
            out.write(_json_line(report))
    else:
        raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")


def _json_line(report: ValidationReport) -> str:
    return json.dumps(json_safe(_document(report)), ensure_ascii=False) + "\n"


def _indented(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line for line in text.split("\n"))


class ReportStream:
    """Write a report in any format as its documents arrive, without holding them.

    ``add`` each report, then ``close`` (or leave the ``with`` block) with the run's
    :class:`Invocation`. Text and JSON Lines are written at once; JSON, JUnit and SARIF
    are spooled to a temporary file and written to ``out`` on ``close``, the same bytes
    as :func:`write` gives for the same reports. ``counts`` is the run's
    :func:`summary` so far; ``show`` (text only) chooses the documents printed.
    """

    def __init__(
        self,
        out: IO[str],
        *,
        fmt: str = "text",
        lang: str = "en",
        colour: bool = False,
        command: str = "validate",
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown report format {fmt!r}; choose from {', '.join(FORMATS)}")
        self.out = out
        self.fmt = fmt
        self.lang = lang
        self.colour = colour
        self.command = command
        self.counts = summary(())
        self.unreadable = 0
        self.codes: set[str] = set()
        self._spool: IO[str] | None = None
        self._extra: IO[str] | None = None  # JUnit: the lines of system-out
        self._items = 0
        if fmt in ("json", "junit", "sarif"):
            import tempfile  # only a spooled format needs it (start-up)

            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
            if fmt == "junit":
                self._extra = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115
        self._extra_lines = 0

    def __enter__(self) -> ReportStream:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()

    def add(self, report: ValidationReport, *, show: bool = True) -> None:
        """Add one document's report (text: printed only when ``show``)."""
        count(self.counts, report)
        if unreadable(report):
            self.unreadable += 1
        if self.fmt == "text":
            if show:
                write_text([report], self.out, lang=self.lang, colour=self.colour)
        elif self.fmt == "jsonl":
            self.out.write(_json_line(report))
        elif self.fmt == "json":
            self._spooled(json.dumps(json_safe(_document(report)), ensure_ascii=False))
        elif self.fmt == "sarif":
            for issue in report.issues:
                self.codes.add(issue.code)
                result = json_safe(_sarif_result(issue, report, self.lang, {}))
                self._spooled(json.dumps(result, ensure_ascii=False))
        else:
            self._junit(report)

    def _spooled(self, line: str) -> None:
        assert self._spool is not None
        self._spool.write(line + "\n")
        self._items += 1

    def _junit(self, report: ValidationReport) -> None:
        from lxml import etree

        suites = etree.Element("testsuites")  # the case at its depth, for its indentation
        lines = _junit_case(etree.SubElement(suites, "testsuite"), report, self.lang)
        text = etree.tostring(suites, encoding="unicode", pretty_print=True)
        case = text.split("<testsuite>\n", 1)[1].rsplit("  </testsuite>", 1)[0]
        spool, extra = self._spool, self._extra
        assert spool is not None
        assert extra is not None
        spool.write(case)
        for line in lines:
            extra.write(("\n" if self._extra_lines else "") + _xml_text(line))
            self._extra_lines += 1

    def close(self, invocation: Invocation | None = None) -> None:
        """Write what is spooled (JSON, JUnit, SARIF) with the run's totals; then let go."""
        try:
            if self.fmt == "json":
                self._close_json()
            elif self.fmt == "sarif":
                self._close_sarif(invocation)
            elif self.fmt == "junit":
                self._close_junit()
        finally:
            self.discard()

    def discard(self) -> None:
        """Let go of the spooled files (nothing more is written)."""
        for spool in (self._spool, self._extra):
            if spool is not None:
                spool.close()
        self._spool = self._extra = None

    def _lines(self) -> Iterable[str]:
        assert self._spool is not None
        self._spool.seek(0)
        for line in self._spool:
            yield line.rstrip("\n")

    def _close_json(self) -> None:
        head = to_json((), lang=self.lang, command=self.command)
        head["valid"] = self.counts["invalid"] == 0
        head["summary"] = dict(self.counts)
        text = json.dumps(head, ensure_ascii=False, indent=2)
        start, end = text.rsplit('"documents": []', 1)
        self.out.write(start + '"documents": [')
        self._copy_items(4)
        self.out.write("]" + end + "\n")

    def _copy_items(self, spaces: int, rewrite: Any = None) -> None:
        """Write the spooled items as the items of an indented JSON list."""
        first = True
        for line in self._lines():
            item = json.loads(line)
            if rewrite is not None:
                rewrite(item)
            self.out.write(
                ("\n" if first else ",\n")
                + _indented(json.dumps(item, ensure_ascii=False, indent=2), spaces)
            )
            first = False
        if not first:
            self.out.write("\n" + " " * (spaces - 2))

    def _close_sarif(self, invocation: Invocation | None) -> None:
        if invocation is None:
            now = dt.datetime.now(dt.UTC)
            invocation = Invocation(None, now, now)
        codes = sorted(self.codes)
        index = {code: i for i, code in enumerate(codes)}
        run = invocation.to_sarif(())
        if invocation.exit_code is None:
            run["executionSuccessful"] = self.unreadable == 0
        log = _sarif_log(codes, run, self.lang, [])
        text = json.dumps(log, ensure_ascii=False, indent=2)
        start, end = text.rsplit('"results": []', 1)
        self.out.write(start + '"results": [')

        def rewrite(item: dict[str, Any]) -> None:
            item["ruleIndex"] = index[item["ruleId"]]

        self._copy_items(8, rewrite)
        self.out.write("]" + end + "\n")

    def _close_junit(self) -> None:
        from lxml import etree

        invalid = self.counts["invalid"] - self.unreadable
        suites, suite = _junit_suite(self.counts["documents"], invalid, self.unreadable)
        mark = f"lgstandards-system-out-{uuid.uuid4().hex}"  # where the spooled lines go
        etree.SubElement(suite, "system-out").text = mark
        etree.SubElement(suite, "system-err").text = ""
        text = etree.tostring(
            suites, xml_declaration=True, encoding="UTF-8", pretty_print=True
        ).decode("utf-8")
        head, rest = text.split("<properties/>\n", 1)
        self.out.write(head + "<properties/>\n")
        import shutil

        spool, extra = self._spool, self._extra
        assert spool is not None
        assert extra is not None
        spool.seek(0)
        shutil.copyfileobj(spool, self.out)
        before, after = rest.split(mark, 1)
        self.out.write(before)
        extra.seek(0)
        shutil.copyfileobj(extra, self.out)
        self.out.write(after)


def _xml_text(text: str) -> str:
    """Escape text for an XML text node as lxml does (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = [
    "DEFAULT_DOCS_URL",
    "DOCS_URL_ENV",
    "FORMATS",
    "REPORT_FORMAT",
    "REPORT_SCHEMA",
    "REPORT_VERSION",
    "Invocation",
    "ReportStream",
    "count",
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
