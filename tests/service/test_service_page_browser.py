"""The web page in a real headless Chromium (Debian's, driven by playwright), with axe-core.

Upload an invalid file, see the rule id and the offending line, switch to Welsh,
download the SARIF report and check it against the SARIF schema; the same without
JavaScript; drag and drop with it; an axe-core scan of each page finds no serious or
critical violation of WCAG 2.2 A/AA. The browser makes no request beyond the service.
axe-core comes from the npm registry (``npm ci`` in this folder; ``.ci/run`` does it).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from service_support import ROOT, Server
from testsupport import EXTERNAL
from testsupport.browser import CHROMIUM_ARGS, chromium_binary

from lgstandards import validate

HERE = Path(__file__).resolve().parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SARIF_SCHEMA = EXTERNAL / "sarif" / "sarif-schema-2.1.0.json"
INVALID = ROOT / "examples" / "epay" / "invalid" / "request-total-mismatch.xml"
VALID = ROOT / "examples" / "epay" / "valid" / "status-query.xml"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    binary = chromium_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("no chromium binary: apt-get install chromium")
        pytest.skip("no chromium binary found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _offline(page: Any, server: Server, outside: list[str]) -> None:
    """Refuse (and record) every request that does not go to the service."""

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith((server.url, "data:")):
            request_route.continue_()
        else:
            outside.append(url)
            request_route.abort()

    page.route("**/*", route)


def _axe(page: Any) -> list[dict[str, Any]]:
    """Return the serious and critical violations axe-core finds on the page."""
    if not AXE.is_file():
        pytest.fail(f"axe-core is not installed: run 'npm ci' in {HERE}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_TAGS,
    )
    assert len(result["passes"]) > 10  # the scan ran its rules
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _issue() -> Any:
    report = validate(INVALID)
    return next(i for i in report.issues if i.code.startswith("rule.") and i.line)


def test_upload_report_welsh_and_sarif_download(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    import jsonschema

    issue = _issue()
    outside: list[str] = []
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _offline(page, server, outside)
    page.goto(f"{server.url}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert _axe(page) == []
    page.set_input_files("#files", [str(INVALID), str(VALID)])
    page.click("#check")
    page.wait_for_selector("#results")
    documents = page.locator("section.app-document")
    assert documents.count() == 2
    invalid = page.locator("section.app-document", has_text=INVALID.name)
    assert invalid.get_attribute("data-valid") == "false"
    rule = invalid.locator("a.app-rule", has_text=issue.code)
    assert rule.count() == 1
    assert rule.get_attribute("href").endswith(f"rules.html#rule-{issue.code[5:].lower()}")
    marked = invalid.locator(f'.app-line--marked[data-line="{issue.line}"]')
    assert marked.count() == 1
    source_line = INVALID.read_text("utf-8").splitlines()[issue.line - 1].strip()
    assert source_line[:40] in marked.inner_text()
    assert issue.message in invalid.inner_text()
    assert _axe(page) == []
    # Welsh: the same documents, posted again from the page (nothing was kept).
    page.click("#switch-language")
    page.wait_for_selector("#results")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert issue.message_cy is not None
    assert issue.message_cy in page.locator("section.app-document").first.inner_text()
    assert _axe(page) == []
    with page.expect_download() as info:
        page.click('a[data-format="sarif"]')
    saved = tmp_path / "report.sarif"
    info.value.save_as(saved)
    log = json.loads(saved.read_text("utf-8"))
    if SARIF_SCHEMA.is_file():
        jsonschema.validate(log, json.loads(SARIF_SCHEMA.read_text("utf-8")))
    run = log["runs"][0]
    assert run["language"] == "cy"
    assert any(r["ruleId"] == issue.code for r in run["results"])
    assert any(r["message"]["text"] == issue.message_cy for r in run["results"])
    context.close()
    assert outside == []


def test_upload_works_without_javascript(browser: Any, server: Server) -> None:
    issue = _issue()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server.url}/?lang=cy")
    assert page.locator("html").get_attribute("lang") == "cy"
    page.click("#check")  # nothing chosen: the error summary, in Welsh
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error:")
    page.set_input_files("#files", str(INVALID))
    page.click("#check")
    page.wait_for_selector("#results")
    assert page.locator("a.app-rule", has_text=issue.code).count() == 1
    assert page.locator(f'.app-line--marked[data-line="{issue.line}"]').count() == 1
    context.close()


def test_drag_and_drop_and_keyboard(browser: Any, server: Server) -> None:
    issue = _issue()
    page = browser.new_page()
    page.goto(f"{server.url}/")
    text = INVALID.read_text("utf-8")
    transfer = page.evaluate_handle(
        """([name, text]) => {
            const data = new DataTransfer();
            data.items.add(new File([text], name, {type: "application/xml"}));
            return data;
        }""",
        [INVALID.name, text],
    )
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": transfer})
    assert page.evaluate("document.getElementById('files').files.length") == 1
    assert page.inner_text("#chosen").startswith("1 ")
    # The keyboard reaches the button, which submits the form.
    page.focus("#kind")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "check"
    page.keyboard.press("Enter")
    page.wait_for_selector("#results")
    assert page.locator("a.app-rule", has_text=issue.code).count() == 1
    page.close()


def test_gateway_page_is_accessible(browser: Any, server: Server) -> None:
    page = browser.new_page()
    page.goto(f"{server.url}/gateway")
    assert page.locator("h1").count() == 1
    assert _axe(page) == []
    page.goto(f"{server.url}/api/v1/vocab/lgil?format=html")
    assert _axe(page) == []
    page.close()
