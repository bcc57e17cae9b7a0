"""The HTML report, rendered by a real headless Chromium, shows the same counts as the JSON.

Debian's chromium (``apt-get install chromium``) is driven by playwright; the test
skips only when no chromium binary is installed. The browser runs offline: every
request it makes is recorded and must be the report file itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conformance_support import FAULTS
from testsupport.browser import CHROMIUM_ARGS, chromium_binary

from lgstandards.conformance import ConformanceReport, render


def test_html_report_in_headless_chromium(faulty_report: ConformanceReport, tmp_path: Path) -> None:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("no chromium binary found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    data = json.loads(render(faulty_report, "json"))
    page_file = tmp_path / "conformance.html"
    page_file.write_text(render(faulty_report, "html"), encoding="utf-8")
    requests: list[str] = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=binary, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            assert page.title() == "lgstandards conformance report"
            shown = {
                key: int(page.inner_text(f"#summary-{key}"))
                for key in ("total", "passed", "failed")
            }
            assert shown == data["summary"]
            rows = page.locator("tr.case")
            assert rows.count() == data["summary"]["total"]
            failing = page.locator('tr.case[data-status="fail"]')
            assert failing.count() == data["summary"]["failed"]
            names = sorted(failing.nth(i).get_attribute("data-case") or "" for i in range(2))
            assert names == sorted(FAULTS)
            assert page.locator('tr.case[data-status="pass"]').count() == data["summary"]["passed"]
            per_type = {
                row.get_attribute("data-type"): [
                    int(cell) for cell in row.locator("td.num").all_inner_texts()
                ]
                for row in page.locator("tr.type").all()
            }
            assert per_type == {
                t["type"]: [t["total"], t["passed"], t["failed"]] for t in data["types"]
            }
            for name, (_, codes) in FAULTS.items():
                row_text = page.locator(f'tr.case[data-case="{name}"]').inner_text()
                assert "FAIL" in row_text
                for code in codes:
                    assert code in row_text
            verdict = page.inner_text("#verdict")
            assert verdict == f"Not conformant: 2 of {data['summary']['total']} cases failed"
            visible = page.locator("#verdict").is_visible()
            assert visible
        finally:
            browser.close()
    assert requests == [page_file.as_uri()]
