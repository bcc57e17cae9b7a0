"""Checking a product's outputs: the fake product's two faults, and every way a case fails."""

from __future__ import annotations

import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from conformance_support import FAULTS

from lgstandards.conformance import ConformanceReport, cases, check, render, to_data


def test_report_names_exactly_the_two_faults(faulty_report: ConformanceReport) -> None:
    failed = {r.case.name: set(r.codes) for r in faulty_report.failures}
    assert failed == {name: set(codes) for name, (_, codes) in FAULTS.items()}
    assert faulty_report.total == len(cases())
    assert (faulty_report.passed, faulty_report.failed) == (len(cases()) - 2, 2)
    assert not faulty_report.ok
    for result in faulty_report.failures:
        assert result.reason is not None
        assert result.reason.startswith("unexpected ")
        assert all(issue.line is not None for issue in result.issues)


def test_json_report(faulty_report: ConformanceReport) -> None:
    data = json.loads(render(faulty_report, "json"))
    assert data == json.loads(json.dumps(to_data(faulty_report)))
    assert data["format"] == "lgstandards-conformance"
    assert data["summary"] == {"total": len(cases()), "passed": len(cases()) - 2, "failed": 2}
    assert sum(t["failed"] for t in data["types"]) == 2
    assert sum(t["total"] for t in data["types"]) == len(cases())
    failing = {c["name"]: c for c in data["cases"] if not c["passed"]}
    assert set(failing) == set(FAULTS)
    for name, (_, codes) in FAULTS.items():
        assert sorted(failing[name]["codes"]) == sorted(codes)
        assert sorted(i["code"] for i in failing[name]["issues"]) == sorted(codes)
        assert failing[name]["expected"] == "valid"


def test_text_report(faulty_report: ConformanceReport) -> None:
    text = render(faulty_report, "text")
    fails = [line for line in text.splitlines() if line.startswith("FAIL ")]
    assert sorted(line.split()[1] for line in fails) == sorted(FAULTS)
    assert "xsd.pattern" in text
    assert "rule.TX-R001" in text
    total = len(cases())
    summary = f"{total - 2} of {total} conformance cases passed, 2 failed (lgstandards 0.1.0)"
    assert text.rstrip().endswith(summary)


def test_junit_report(faulty_report: ConformanceReport) -> None:
    root = ET.fromstring(render(faulty_report, "junit"))
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert sum(int(s.get("tests", "0")) for s in suites) == len(cases())
    assert sum(int(s.get("failures", "0")) for s in suites) == 2
    testcases = root.findall("testsuite/testcase")
    assert len(testcases) == len(cases())
    failed = {tc.get("name") for tc in testcases if tc.find("failure") is not None}
    assert failed == set(FAULTS)
    for suite in suites:
        assert int(suite.get("tests", "0")) == len(suite.findall("testcase"))
        assert int(suite.get("failures", "0")) == len(suite.findall("testcase/failure"))


@pytest.mark.external
def test_junit_report_validates_against_the_junit_schema(faulty_report: ConformanceReport) -> None:
    from lxml import etree

    xsd = Path(__file__).resolve().parents[2].parent / "shared/data/external/junit/JUnit.xsd"
    if not xsd.is_file():
        pytest.skip("external JUnit schema not available")
    schema = etree.XMLSchema(etree.parse(str(xsd)))
    document = etree.fromstring(render(faulty_report, "junit").encode("utf-8"))
    assert schema.validate(document), schema.error_log


class _Resources(HTMLParser):
    """Collect every tag and attribute that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetching: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "link", "img", "iframe", "object", "embed", "video", "audio"}:
            self.fetching.append(tag)
        for name, value in attrs:
            if name in {"src", "srcset", "data", "style"}:
                self.fetching.append(f"{tag}@{name}")
            if name == "href" and not (value or "").startswith("#"):
                self.fetching.append(f"{tag}@href={value}")
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def test_html_report_is_self_contained(faulty_report: ConformanceReport) -> None:
    page = render(faulty_report, "html")
    parser = _Resources()
    parser.feed(page)
    assert parser.fetching == []
    css = "".join(parser.styles)
    assert css
    assert "url(" not in css
    assert "@import" not in css
    assert page.count('data-status="fail"') == 2
    assert page.count('class="case"') == len(cases())
    assert "0.1.0" in page
    assert "epay 1.1" in page
    assert "gt 2.0" in page


def _copy_kit(kit_dir: Path, out: Path) -> None:
    shutil.copytree(kit_dir, out, dirs_exist_ok=True)


def test_missing_output_fails_its_case(kit_dir: Path, tmp_path: Path) -> None:
    _copy_kit(kit_dir, tmp_path)
    gone = cases()[0]
    (tmp_path / gone.name).unlink()
    report = check(tmp_path)
    assert [(r.case.name, r.reason) for r in report.failures] == [
        (gone.name, "no output file for this case")
    ]


def test_invalid_case_fixed_by_the_product_fails(kit_dir: Path, tmp_path: Path) -> None:
    _copy_kit(kit_dir, tmp_path)
    bad = next(c for c in cases() if c.name == "epay/invalid/request-total-mismatch.xml")
    good = next(c for c in cases() if c.name == "epay/valid/payment-request.xml")
    shutil.copyfile(good.path, tmp_path / bad.name)
    report = check(tmp_path, selected=[bad])
    (result,) = report.results
    assert not result.passed
    assert result.missing == ("rule.EPAY-R001",)
    assert result.reason == "expected rule.EPAY-R001 not raised"


def test_wrong_kind_fails_even_when_valid(kit_dir: Path, tmp_path: Path) -> None:
    request = next(c for c in cases() if c.name == "epay/valid/payment-request.xml")
    result_case = next(c for c in cases() if c.name == "epay/valid/payment-result.xml")
    target = tmp_path / result_case.name
    target.parent.mkdir(parents=True)
    shutil.copyfile(request.path, target)
    (result,) = check(tmp_path, selected=[result_case]).results
    assert not result.passed
    assert result.reason == "document is a epay.payment-request, expected a epay.payment-result"


def test_unreadable_output_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    case = next(c for c in cases() if c.name == "epay/valid/payment-request.xml")
    target = tmp_path / case.name
    target.parent.mkdir(parents=True)
    target.write_bytes(b"\x00\x01 not xml")
    (result,) = check(tmp_path, selected=[case]).results
    assert not result.passed
    assert result.codes
    assert all(code.startswith("xml.") for code in result.codes)
