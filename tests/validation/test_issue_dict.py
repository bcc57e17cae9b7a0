"""One JSON form of an issue (``Issue.to_dict``), used by every report that writes issues."""

from __future__ import annotations

import dataclasses
import json

from hypothesis import given
from hypothesis import strategies as st

from lgstandards.conformance.formats import _issue_data
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.validation.formats import to_json

_TEXT = st.text(max_size=20)
_OPTIONAL = st.none() | _TEXT
_NUMBER = st.none() | st.integers(1, 10**7)
ISSUES = st.builds(
    Issue,
    code=_TEXT,
    severity=st.sampled_from(Severity),
    message=_TEXT,
    message_cy=_OPTIONAL,
    source=_OPTIONAL,
    line=_NUMBER,
    column=_NUMBER,
    path=_OPTIONAL,
    detail=_OPTIONAL,
)


@given(ISSUES)
def test_to_dict_is_every_field_and_round_trips_through_json(issue: Issue) -> None:
    data = issue.to_dict()
    assert list(data) == [f.name for f in dataclasses.fields(Issue)]
    assert data["severity"] == issue.severity.value
    back = json.loads(json.dumps(data))
    assert Issue(**{**back, "severity": Severity(back["severity"])}) == issue


@given(st.lists(ISSUES, max_size=4))
def test_the_reports_write_issues_as_to_dict(issues: list[Issue]) -> None:
    surrogate_free = all(
        c < "\ud800" or c > "\udfff"
        for i in issues
        for value in i.to_dict().values()
        if isinstance(value, str)
        for c in value
    )
    (document,) = to_json([ValidationReport("x", issues=issues)])["documents"]
    if surrogate_free:  # to_json shows undecodable bytes of names as escapes
        assert document["issues"] == [i.to_dict() for i in issues]
    for issue in issues:
        data = issue.to_dict()
        assert _issue_data(issue) == {
            name: data[name] for name in ("code", "severity", "message", "line", "column", "path")
        }
