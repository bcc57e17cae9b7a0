"""The service's HTML: the web page, the HTML report and the pages of rules and lists.

Templates are Jinja2 files shipped in the package (``templates/``), autoescaped; the
interface's words are in English and Welsh (:data:`WORDS`). The HTML report is the one
owner of the report as HTML: the page shows it and offers it for download.
"""

from __future__ import annotations

import base64
import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lgstandards.report import Issue, Severity, ValidationReport

if TYPE_CHECKING:
    import jinja2
    from starlette.requests import Request

#: Lines shown before and after an offending line.
CONTEXT_LINES = 2
#: The longest source line shown (longer ones are cut, marked with an ellipsis).
LINE_WIDTH = 200

#: The words of the interface, English and Welsh.
WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "service": "lgstandards validator",
        "skip": "Skip to main content",
        "title": "Check messages against the local e-government standards",
        "lead": "Upload e-Pay, e-Benefits or GovTalk messages, or RDF service catalogues, "
        "to see whether they meet the standards. Nothing you upload is kept.",
        "files": "Upload files",
        "files_hint": "Choose one or more XML or RDF files.",
        "drop": "You can also drag and drop them here.",
        "chosen": "files chosen",
        "kind": "Kind of document",
        "kind_hint": "Leave it to be detected from the document, unless you know better.",
        "detect": "Detect from the document",
        "lang": "Language of the report",
        "check": "Check files",
        "error_summary": "There is a problem",
        "no_file": "Select at least one file to check",
        "results": "Results",
        "documents": "documents",
        "valid": "Valid",
        "invalid": "Not valid",
        "no_issues": "No issues found.",
        "error": "Errors",
        "warning": "Warnings",
        "info": "Notes",
        "line": "line",
        "column": "column",
        "at": "at",
        "download": "Download the report",
        "download_as": "Download as",
        "check_more": "Check more files",
        "other_lang": "Cymraeg",
        "other_lang_name": "Welsh",
        "switch": "Show this report in Cymraeg",
        "summary": "{documents} document(s): {valid} valid, {invalid} not valid "
        "({errors} error(s), {warnings} warning(s))",
        "source": "Source lines",
        "kind_label": "Kind",
        "gateway": "Test gateway",
        "gateway_title": "Test gateway: recent submissions",
        "gateway_none": "No submissions yet.",
        "sender": "Sender",
        "correlation": "CorrelationID",
        "class": "Class",
        "received": "Received",
        "state": "State",
        "findings": "Findings",
        "api": "API",
        "home": "Validator",
        "report_title": "lgstandards validation report",
        "rule": "Rule",
        "severity": "Severity",
        "description": "Description",
        "documentation": "Documentation",
        "code": "Code",
        "label": "Label",
        "lists": "Vocabulary",
        "footer": "lgstandards: open-source tools for the UK local e-government standards. "
        "Not an official government service.",
    },
    "cy": {
        "service": "dilysydd lgstandards",
        "skip": "Neidio i'r prif gynnwys",
        "title": "Gwirio negeseuon yn erbyn safonau e-lywodraeth leol",
        "lead": "Uwchlwythwch negeseuon e-Pay, e-Fudd-daliadau neu GovTalk, neu gatalogau "
        "gwasanaeth RDF, i weld a ydynt yn bodloni'r safonau. Ni chedwir dim a uwchlwythwch.",
        "files": "Uwchlwytho ffeiliau",
        "files_hint": "Dewiswch un ffeil XML neu RDF neu fwy.",
        "drop": "Gallwch hefyd eu llusgo a'u gollwng yma.",
        "chosen": "ffeil wedi'u dewis",
        "kind": "Math o ddogfen",
        "kind_hint": "Gadewch iddo gael ei ganfod o'r ddogfen, oni bai eich bod yn gwybod yn well.",
        "detect": "Canfod o'r ddogfen",
        "lang": "Iaith yr adroddiad",
        "check": "Gwirio ffeiliau",
        "error_summary": "Mae problem",
        "no_file": "Dewiswch o leiaf un ffeil i'w gwirio",
        "results": "Canlyniadau",
        "documents": "dogfen",
        "valid": "Dilys",
        "invalid": "Ddim yn ddilys",
        "no_issues": "Ni chanfuwyd unrhyw broblem.",
        "error": "Gwallau",
        "warning": "Rhybuddion",
        "info": "Nodiadau",
        "line": "llinell",
        "column": "colofn",
        "at": "yn",
        "download": "Lawrlwytho'r adroddiad",
        "download_as": "Lawrlwytho fel",
        "check_more": "Gwirio rhagor o ffeiliau",
        "other_lang": "English",
        "other_lang_name": "Saesneg",
        "switch": "Dangos yr adroddiad hwn yn Saesneg",
        "summary": "{documents} dogfen: {valid} yn ddilys, {invalid} ddim yn ddilys "
        "({errors} gwall, {warnings} rhybudd)",
        "source": "Llinellau'r ffynhonnell",
        "kind_label": "Math",
        "gateway": "Porth prawf",
        "gateway_title": "Porth prawf: cyflwyniadau diweddar",
        "gateway_none": "Dim cyflwyniadau eto.",
        "sender": "Anfonwr",
        "correlation": "CorrelationID",
        "class": "Dosbarth",
        "received": "Derbyniwyd",
        "state": "Cyflwr",
        "findings": "Canfyddiadau",
        "api": "API",
        "home": "Dilysydd",
        "report_title": "Adroddiad dilysu lgstandards",
        "rule": "Rheol",
        "severity": "Difrifoldeb",
        "description": "Disgrifiad",
        "documentation": "Dogfennaeth",
        "code": "Cod",
        "label": "Label",
        "lists": "Geirfa",
        "footer": "lgstandards: offer cod agored ar gyfer safonau e-lywodraeth leol y DU. "
        "Nid yw'n wasanaeth swyddogol gan y llywodraeth.",
    },
}

#: The downloads the page offers: format, label, media type, file name.
DOWNLOADS = (
    ("sarif", "SARIF", "application/sarif+json", "report.sarif"),
    ("junit", "JUnit", "application/xml", "report.junit.xml"),
    ("json", "JSON", "application/json", "report.json"),
    ("html", "HTML", "text/html", "report.html"),
)


@functools.cache
def environment() -> jinja2.Environment:
    """Return the Jinja2 environment of the package's templates (autoescaped)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("lgstandards.service", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def lang_of(request: Request | None, given: str | None = None) -> str:
    """Return the interface language: ``given``, else ``?lang=``, else ``Accept-Language``."""
    if given in ("en", "cy"):
        return given
    if request is not None:
        asked = request.query_params.get("lang")
        if asked in ("en", "cy"):
            return asked
        header = request.headers.get("accept-language", "").lower()
        if header.startswith("cy"):
            return "cy"
    return "en"


def render_page(
    template: str, request: Request | None, *, lang: str | None = None, **values: Any
) -> str:
    """Render one of the package's templates with the words of the page's language."""
    chosen = lang_of(request, lang)
    path = request.url.path if request is not None else "/"
    return (
        environment()
        .get_template(template)
        .render(lang=chosen, words=WORDS[chosen], path=path, **values)
    )


@dataclass(frozen=True, slots=True)
class SourceLine:
    """A line of a document shown beside an issue."""

    number: int
    text: str
    marked: bool


def _lines(data: bytes | None) -> list[str] | None:
    if data is None:
        return None
    from lgstandards.safexml import document_text

    try:
        text = document_text(data)
    except Exception:  # an undecodable document: no source lines
        text = None
    if text is None:
        text = data.decode("utf-8", errors="replace")
    return text.splitlines()


def context(lines: list[str] | None, issue: Issue) -> list[SourceLine]:
    """Return the lines around the issue's line (none when unknown)."""
    if not lines or not issue.line or issue.line > len(lines):
        return []
    first = max(1, issue.line - CONTEXT_LINES)
    last = min(len(lines), issue.line + CONTEXT_LINES)
    shown = []
    for number in range(first, last + 1):
        text = lines[number - 1]
        if len(text) > LINE_WIDTH:
            text = text[:LINE_WIDTH] + "…"
        shown.append(SourceLine(number, text, number == issue.line))
    return shown


def _documents(
    reports: Sequence[ValidationReport], lang: str, sources: Mapping[str, bytes] | None
) -> list[dict[str, Any]]:
    from lgstandards.validation.formats import help_uri

    documents = []
    for index, report in enumerate(reports):
        lines = _lines((sources or {}).get(report.source or ""))
        groups = []
        for severity in Severity:
            issues = [
                {
                    "code": i.code,
                    "help": help_uri(i.code),
                    "message": i.text(lang),
                    "line": i.line,
                    "column": i.column,
                    "path": i.path,
                    "context": context(lines, i),
                }
                for i in report.issues
                if i.severity is severity
            ]
            if issues:
                groups.append({"severity": severity.value, "issues": issues})
        documents.append(
            {
                "id": f"document-{index + 1}",
                "source": report.source or "document",
                "kind": report.kind,
                "valid": report.ok,
                "counts": report.counts(),
                "groups": groups,
            }
        )
    return documents


def summary_text(reports: Sequence[ValidationReport], lang: str) -> str:
    """Return the one-line summary of a run in ``lang``."""
    from lgstandards.validation.formats import summary

    return WORDS[lang]["summary"].format(**summary(reports))


def report_page(
    reports: Sequence[ValidationReport],
    *,
    lang: str = "en",
    sources: Mapping[str, bytes] | None = None,
) -> str:
    """Return the HTML report: a self-contained page (no script, no external file)."""
    return render_page(
        "report.html",
        None,
        lang=lang,
        documents=_documents(reports, lang, sources),
        summary=summary_text(reports, lang),
        valid=all(r.ok for r in reports),
    )


def data_uri(media_type: str, data: bytes) -> str:
    """Return ``data`` as a ``data:`` URI (downloads that need nothing kept on the server)."""
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def results_values(
    reports: Sequence[ValidationReport],
    *,
    lang: str,
    sources: Mapping[str, bytes],
    downloads: Mapping[str, bytes],
) -> dict[str, Any]:
    """Return the values of the page's results: documents, summary, downloads, carried files."""
    links = [
        {"label": label, "href": data_uri(media, downloads[fmt]), "name": name, "format": fmt}
        for fmt, label, media, name in DOWNLOADS
    ]
    carried = [
        json.dumps({"name": name, "data": base64.b64encode(data).decode("ascii")})
        for name, data in sources.items()
    ]
    return {
        "documents": _documents(reports, lang, sources),
        "summary": summary_text(reports, lang),
        "valid": all(r.ok for r in reports),
        "downloads": links,
        "carried": carried,
    }


__all__ = [
    "DOWNLOADS",
    "WORDS",
    "SourceLine",
    "context",
    "data_uri",
    "environment",
    "lang_of",
    "render_page",
    "report_page",
    "results_values",
    "summary_text",
]
