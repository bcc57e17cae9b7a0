"""Vocabulary cross-checks: unknown, deprecated (naming the replacement) and unofficial codes."""

from __future__ import annotations

from tests_validate_support import TEST_NS

from lgstandards.validation import validate
from lgstandards.validation.vocabcheck import CodeInfo, check_code, code_from_uri

TABLE = {
    57: CodeInfo(),
    58: CodeInfo(deprecated=True, replaced_by=57),
    59: CodeInfo(deprecated=True),
}


def _codes(raw: str, list_name: str = "lgsl") -> list[str]:
    return [i.code for i in check_code(raw, list_name, lookup=TABLE.get)]


def test_known_code_is_fine() -> None:
    assert _codes("57") == []
    assert _codes(" 57 ") == []


def test_deprecated_code_warns_and_names_replacement() -> None:
    (issue,) = check_code("58", "lgsl", lookup=TABLE.get, line=3, path="/x")
    assert issue.code == "vocab.deprecated-code"
    assert issue.severity.value == "warning"
    assert "use 57 instead" in issue.message
    assert "57" in (issue.message_cy or "")
    assert (issue.line, issue.path) == (3, "/x")


def test_deprecated_without_replacement() -> None:
    (issue,) = check_code("59", "lgsl", lookup=TABLE.get)
    assert "no replacement" in issue.message


def test_unknown_and_unofficial() -> None:
    assert _codes("60") == ["vocab.unknown-code"]
    assert _codes("100123") == ["vocab.unofficial-code"]
    assert _codes("100123", "lgil") == ["vocab.unknown-code"]


def test_non_numbers_are_left_to_xsd() -> None:
    assert _codes("abc") == []
    assert _codes("") == []


def test_uris() -> None:
    assert code_from_uri("http://id.esd.org.uk/service/57") == ("lgsl", "57")
    assert code_from_uri("http://id.esd.org.uk/interaction/8/") == ("lgil", "8")
    assert code_from_uri("http://example.org/service/57") is None


def test_codes_found_through_schema_types_in_documents() -> None:
    doc = (
        f'<tb:TestMessage xmlns:tb="{TEST_NS}" SchemaVersion="1.0">'
        "<tb:Service>99999</tb:Service><tb:Channel>19</tb:Channel></tb:TestMessage>"
    )
    report = validate(doc.encode())
    assert report.codes() == ["vocab.unknown-code", "vocab.unknown-code"]
    assert {i.path for i in report} == {"/tb:TestMessage/tb:Service", "/tb:TestMessage/tb:Channel"}
    assert validate(doc.encode(), checks=["xsd", "rules"]).ok


def test_as_of_is_accepted_as_text_or_date() -> None:
    import datetime as dt

    doc = (
        f'<tb:TestMessage xmlns:tb="{TEST_NS}" SchemaVersion="1.0">'
        "<tb:Service>57</tb:Service></tb:TestMessage>"
    )
    assert validate(doc.encode(), as_of="2015-01-01").ok
    assert validate(doc.encode(), as_of=dt.date(2015, 1, 1)).ok
