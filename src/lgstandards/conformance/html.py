"""The conformance report as one self-contained HTML page a supplier can hand to a council.

Inline CSS only: no script, font, image or stylesheet is fetched, so the page
reads the same offline, attached to an e-mail or printed. It holds the verdict, a
summary table per message type, each type's cases with the issues found, the
library and schema versions and the date of the run. Stable ``id`` and
``data-*`` attributes (``summary-total``, ``summary-passed``, ``summary-failed``,
``tr.case[data-status]``) let tools read the figures back.
"""

from __future__ import annotations

from html import escape

from lgstandards.conformance.check import CaseResult, ConformanceReport

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;
max-width:70rem;padding:0 1rem;color:#1b1b1b;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #b1b4b6;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}td.num,th.num{text-align:right}
.verdict{display:inline-block;padding:.3rem .8rem;font-weight:700;border-radius:3px;color:#fff}
.verdict.pass,.status.pass{background:#00703c}.verdict.fail,.status.fail{background:#d4351c}
.status{color:#fff;font-weight:700;padding:.1rem .4rem;border-radius:3px;font-size:.85rem}
.meta td:first-child{width:14rem;font-weight:600}code{font-size:.9em}
ul.issues{margin:.2rem 0 0 1rem;padding:0}ul.issues li{margin:.1rem 0}
.reason{color:#6f3a00}.at{display:block;color:#505a5f}footer{margin-top:2rem;color:#505a5f;font-size:.85rem}
@media print{.verdict,.status{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""


def _expected(result: CaseResult) -> str:
    if result.case.expects_valid:
        return "valid"
    return " ".join(f"<code>{escape(c)}</code>" for c in result.case.codes)


def _issues(result: CaseResult) -> str:
    parts: list[str] = []
    if result.reason:
        parts.append(f'<div class="reason">{escape(result.reason)}</div>')
    if result.issues:
        items = []
        for issue in result.issues:
            where = f" (line {issue.line})" if issue.line is not None else ""
            at = (
                f'<span class="at">at <code>{escape(issue.path)}</code></span>'
                if issue.path
                else ""
            )
            items.append(
                f"<li>{escape(issue.severity.value)} <code>{escape(issue.code)}</code>"
                f"{where}: {escape(issue.message)}{at}</li>"
            )
        parts.append('<ul class="issues">' + "".join(items) + "</ul>")
    return "".join(parts) or "none"


def _case_row(result: CaseResult) -> str:
    status = "pass" if result.passed else "fail"
    return (
        f'<tr class="case" data-status="{status}" data-case="{escape(result.case.name)}">'
        f"<td><code>{escape(result.case.name)}</code></td>"
        f"<td>{_expected(result)}</td>"
        f'<td><span class="status {status}">{status.upper()}</span></td>'
        f"<td>{_issues(result)}</td></tr>"
    )


def _summary(report: ConformanceReport) -> str:
    rows = []
    for group in report.groups():
        rows.append(
            f'<tr class="type" data-type="{escape(group.group)}">'
            f'<td><a href="#type-{escape(group.group)}">{escape(group.group)}</a></td>'
            f'<td class="num">{group.total}</td><td class="num">{group.passed}</td>'
            f'<td class="num">{group.failed}</td></tr>'
        )
    rows.append(
        "<tr><th>All message types</th>"
        f'<th class="num" id="summary-total">{report.total}</th>'
        f'<th class="num" id="summary-passed">{report.passed}</th>'
        f'<th class="num" id="summary-failed">{report.failed}</th></tr>'
    )
    return (
        '<table class="summary"><thead><tr><th>Message type</th><th class="num">Cases</th>'
        '<th class="num">Passed</th><th class="num">Failed</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table>"
    )


def _meta(report: ConformanceReport) -> str:
    versions = ", ".join(
        f"{escape(prefix)} {escape(version)}" for prefix, version in report.schema_versions.items()
    )
    rows = [
        ("Date of the run", report.created.strftime("%Y-%m-%d %H:%M UTC")),
        ("lgstandards version", report.library_version),
        ("Schema versions", versions),
        ("Kit selection", report.schema_version or "every schema version"),
        ("Outputs checked", report.directory),
    ]
    body = "".join(
        f'<tr><td>{escape(k)}</td><td id="meta-{i}">{v if k == "Schema versions" else escape(v)}'
        "</td></tr>"
        for i, (k, v) in enumerate(rows)
    )
    return f'<table class="meta"><tbody>{body}</tbody></table>'


def _sections(report: ConformanceReport) -> str:
    parts = []
    for group in report.groups():
        rows = "".join(_case_row(r) for r in report.results_in(group.group))
        parts.append(
            f'<section id="type-{escape(group.group)}"><h2>{escape(group.group)}: '
            f"{group.passed} of {group.total} passed</h2>"
            "<table><thead><tr><th>Case</th><th>Expected</th><th>Result</th>"
            f"<th>Issues found</th></tr></thead><tbody>{rows}</tbody></table></section>"
        )
    return "".join(parts)


def to_html(report: ConformanceReport) -> str:
    """Return the report as one self-contained HTML page."""
    verdict = "pass" if report.ok else "fail"
    verdict_text = (
        "Conformant: every case passed"
        if report.ok
        else f"Not conformant: {report.failed} of {report.total} cases failed"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>lgstandards conformance report</title>"
        f"<style>{_CSS}</style></head><body>"
        "<h1>lgstandards conformance report</h1>"
        f'<p><span class="verdict {verdict}" id="verdict">{escape(verdict_text)}</span></p>'
        f"{_meta(report)}<h2>Summary</h2>{_summary(report)}{_sections(report)}"
        "<footer>Generated by <code>lgstandards conformance check</code>. Each case is a "
        "document from the lgstandards conformance kit as written back by the product under "
        "test; it passes when validation gives exactly the outcome the kit expects.</footer>"
        "</body></html>\n"
    )


__all__ = ["to_html"]
