"""A GovTalk envelope's body is validated as what it is (domain.md 5.1).

* Differential: every example body (e-Pay, e-Benefits, transactions; valid and invalid)
  wrapped in an envelope with the class of its family gives exactly the issues of the
  body alone, each one's line shifted to its line in the envelope and its path under
  ``/gt:GovTalkMessage/gt:Body``; also when the body lies beyond line 65535.
* Foreign bodies (real HMRC and DWP envelopes): the envelope's own checks plus one
  ``govtalk.foreign-body`` notice, and nothing from inside the body.
* Any mix of bodies under any class: COM-R006 at most once, the notice at most once,
  only the bodies the class chooses are validated.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lgstandards.models.govtalk import add_ir_mark
from lgstandards.report import Issue, Severity
from lgstandards.validation import validate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FOREIGN = Path(__file__).parent / "fixtures" / "foreign"
GT = "http://www.govtalk.gov.uk/CM/envelope"
BODY = "/gt:GovTalkMessage/gt:Body"

#: The message class each example family's bodies travel under.
CLASSES = {"epay": "LGS-EPAY-MSG", "ebenefits": "LGS-BEN-MSG", "transactions": "LGS-TX-MSG"}

_DECLARATION = re.compile(rb"^<\?xml[^>]*\?>\r?\n")


def _case_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


def _bodies() -> list[Path]:
    return sorted(p for family in CLASSES for p in (EXAMPLES / family).glob("*/*.xml"))


BODIES = _bodies()


def _head(message_class: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<gt:GovTalkMessage xmlns:gt="{GT}">\n'
        "  <gt:EnvelopeVersion>2.0</gt:EnvelopeVersion>\n"
        "  <gt:Header>\n"
        "    <gt:MessageDetails>\n"
        f"      <gt:Class>{message_class}</gt:Class>\n"
        "      <gt:Qualifier>request</gt:Qualifier>\n"
        "      <gt:Function>submit</gt:Function>\n"
        "      <gt:TransactionID>0A1B2C3D</gt:TransactionID>\n"
        "    </gt:MessageDetails>\n"
        "  </gt:Header>\n"
        "  <gt:GovTalkDetails>\n"
        '    <gt:Keys><gt:Key Type="CouncilId">W99999999</gt:Key></gt:Keys>\n'
        "  </gt:GovTalkDetails>\n"
        "  <gt:Body>\n"
    ).encode()


def _body_text(data: bytes) -> bytes:
    """The body document without its XML declaration line (all examples are UTF-8)."""
    found = _DECLARATION.match(data)
    assert found is not None, "each example starts with an XML declaration line"
    return data[found.end() :]


def wrap(data: bytes, message_class: str, *, padding: int = 0) -> tuple[bytes, int]:
    """Wrap a body document in an envelope; return it and the line offset of the body.

    The body's text is copied unchanged (same columns); ``padding`` blank lines go
    before it inside ``gt:Body``.
    """
    head = _head(message_class) + b"\n" * padding
    envelope = head + _body_text(data) + b"  </gt:Body>\n</gt:GovTalkMessage>\n"
    return envelope, head.count(b"\n") - 1  # body line 2 is the line after the head


def _key(issue: Issue) -> tuple[object, ...]:
    return (
        issue.code,
        issue.severity,
        issue.line,
        issue.column,
        issue.path,
        issue.message,
        issue.message_cy,
        issue.detail,
    )


def _root_path(data: bytes) -> str:
    """The path of the body's root element in the envelope."""
    found = re.search(rb"<([\w.\-]+(?::[\w.\-]+)?)[\s>/]", _body_text(data).lstrip())
    assert found is not None
    return f"{BODY}/{found.group(1).decode()}"


def expected_in_envelope(alone: list[Issue], data: bytes, offset: int) -> list[tuple[object, ...]]:
    """The issues of the body alone as they must appear inside the envelope."""
    root_path = _root_path(data)
    body_line = 2 + offset  # the root element follows the declaration line in every example
    found = []
    for issue in alone:
        if issue.path is None:
            path, line = root_path, issue.line + offset if issue.line else body_line
        else:
            path, line = BODY + issue.path, issue.line + offset if issue.line else None
        found.append(
            (
                issue.code,
                issue.severity,
                line,
                issue.column,
                path,
                issue.message,
                issue.message_cy,
                issue.detail,
            )
        )
    return sorted(found, key=repr)


def _issues(source: bytes | Path) -> list[Issue]:
    return list(validate(source, streaming=False))


@pytest.mark.parametrize("path", BODIES, ids=_case_id)
def test_body_in_envelope_gets_the_findings_of_the_body_alone(path: Path) -> None:
    data = path.read_bytes()
    alone = _issues(data)
    envelope, offset = wrap(data, CLASSES[path.parent.parent.name])
    if b"IRmark" in data:  # an IRmark is the envelope's digest of its Body: the sender's to fill
        envelope = add_ir_mark(envelope)
    inside = _issues(envelope)
    assert sorted(map(_key, inside), key=repr) == expected_in_envelope(alone, data, offset)


def test_the_differential_covers_every_family_and_real_findings() -> None:
    families = {p.parent.parent.name for p in BODIES}
    assert families == set(CLASSES)
    invalid = [p for p in BODIES if p.parent.name == "invalid"]
    assert len(invalid) >= 40
    # the invalid examples really have findings, so the comparison is not of empty lists
    assert all(_issues(p.read_bytes()) for p in invalid[:: max(1, len(invalid) // 8)])


#: Bodies whose findings come from each layer: XSD, Schematron, Python rules, totals.
BIG_LINE_CASES = [
    "epay/invalid/request-bad-postcode.xml",
    "epay/invalid/request-card-number.xml",
    "epay/invalid/request-missing-total.xml",
    "epay/invalid/batch-totals.xml",
    "ebenefits/invalid/claim-unknown-tenure.xml",
    "ebenefits/invalid/claim-duplicate-nino.xml",
    "transactions/invalid/duplicate-pair.xml",
]


@pytest.mark.parametrize("name", BIG_LINE_CASES)
def test_lines_beyond_65535_are_kept(name: str) -> None:
    """libxml2 keeps big line numbers outside the node; a body copy must not lose them.

    Beyond line 65535 each finding still has its element's line: the line it has in the
    body alone, shifted by the lines before the body.
    """
    path = EXAMPLES / name
    data = path.read_bytes()
    alone = _issues(data)
    assert alone
    envelope, offset = wrap(data, CLASSES[name.split("/")[0]], padding=70_000)
    order = lambda t: repr((t[0], t[4], t[5]))  # noqa: E731  (lines may differ by one)
    inside = sorted(map(_key, _issues(envelope)), key=order)
    expected = sorted(expected_in_envelope(alone, data, offset), key=order)
    assert len(inside) == len(expected)
    for got, want in zip(inside, expected, strict=True):
        line, column, issue_path = got[2], got[3], got[4]
        assert isinstance(issue_path, str)
        assert isinstance(line, int)
        assert line > 65_535
        assert line == want[2]
        assert column in (want[3], None)
        assert got[:2] + got[4:] == want[:2] + want[4:]


# --- foreign bodies ---------------------------------------------------------------------

FOREIGN_ENVELOPES = [
    *sorted(FOREIGN.glob("*.xml")),
    EXAMPLES / "govtalk" / "invalid" / "envelope-foreign-body.xml",
]


def _emptied(data: bytes) -> bytes:
    """The same envelope with nothing in its Body (lines before the body unchanged)."""
    return re.sub(
        rb"(<(?:\w+:)?Body>).*(</(?:\w+:)?Body>)", rb"\1\2", data, count=1, flags=re.DOTALL
    )


@pytest.mark.parametrize("path", FOREIGN_ENVELOPES, ids=lambda p: p.name)
def test_foreign_body_gets_the_envelope_checks_and_one_notice(path: Path) -> None:
    data = path.read_bytes()
    issues = _issues(data)
    notices = [i for i in issues if i.code == "govtalk.foreign-body"]
    assert len(notices) == 1
    assert notices[0].severity is Severity.WARNING
    assert notices[0].path == BODY
    assert notices[0].message_cy
    assert "rule.COM-R001" in {i.code for i in issues}  # the class is reported, once
    assert [i.code for i in issues].count("rule.COM-R001") == 1
    assert "rule.COM-R006" not in {i.code for i in issues}
    inside = [i for i in issues if (i.path or "").startswith(BODY + "/")]
    assert inside == []
    # exactly the envelope's own findings: those of the same envelope with an empty Body
    own = [i for i in issues if i.code != "govtalk.foreign-body"]
    assert sorted(map(_key, own), key=repr) == sorted(map(_key, _issues(_emptied(data))), key=repr)


def test_no_rule_of_ours_runs_inside_a_foreign_body() -> None:
    """HMRC's R68 postcodes that BS7666 refuses are not COM-R014 findings."""
    data = (FOREIGN / "hmrc-chris-submission-2.xml").read_bytes()
    assert b"<Postcode>AB12 3CD</Postcode>" in data
    codes = {i.code for i in _issues(data)}
    assert not {"rule.COM-R014", "rule.COM-R016", "rule.COM-R017", "rule.COM-R006"} & codes


def test_schema_location_hints_of_a_foreign_body_are_not_reported() -> None:
    data = (FOREIGN / "dwp-ca-claim.xml").read_bytes()
    hints = [i for i in _issues(data) if i.code == "xml.schema-location-ignored"]
    assert [i.line for i in hints] == [2]  # the envelope's own, not DWPBody's (line 27)


def test_schema_location_hint_of_our_body_is_reported_once() -> None:
    data = (EXAMPLES / "epay" / "valid" / "payment-request.xml").read_bytes()
    data = data.replace(
        b'SchemaVersion="1.0">',
        b'SchemaVersion="1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:schemaLocation="urn:lgstandards:epay:1 lgs-epay-v1-0.xsd">',
        1,
    )
    alone = _issues(data)
    assert [i.code for i in alone] == ["xml.schema-location-ignored"]
    envelope, offset = wrap(data, "LGS-EPAY-PAYREQ")
    inside = _issues(envelope)
    assert [(i.code, i.line) for i in inside] == [("xml.schema-location-ignored", 2 + offset)]


# --- any mix of bodies under any class -------------------------------------------------

#: One valid body of each family, and one foreign body.
MIXABLE = {
    "urn:lgstandards:epay:1": _body_text(
        (EXAMPLES / "epay" / "valid" / "status-query.xml").read_bytes()
    ),
    "urn:lgstandards:ebenefits:1": _body_text(
        (EXAMPLES / "ebenefits" / "valid" / "claim-status-query-by-nino.xml").read_bytes()
    ),
    "urn:lgstandards:transactions:1": _body_text(
        (EXAMPLES / "transactions" / "valid" / "council-transactions.xml").read_bytes()
    ),
    "urn:example:foreign": (
        b'<Claim xmlns="urn:example:foreign"><Postcode>ZZ99 3CD</Postcode>'
        b"<Ref>4000000000000002</Ref></Claim>\n"
    ),
}
CLASS_NAMESPACES = {
    "LGS-EPAY-X": "urn:lgstandards:epay:1",
    "LGS-BEN-X": "urn:lgstandards:ebenefits:1",
    "LGS-TX-X": "urn:lgstandards:transactions:1",
    "HMRC-CHAR-CLM": None,
}
OURS = {ns for ns in CLASS_NAMESPACES.values() if ns}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    message_class=st.sampled_from(sorted(CLASS_NAMESPACES)),
    bodies=st.lists(st.sampled_from(sorted(MIXABLE)), min_size=1, max_size=4),
)
def test_any_mix_of_bodies(message_class: str, bodies: list[str]) -> None:
    data = _head(message_class)
    for namespace in bodies:
        data += MIXABLE[namespace]
    data += b"  </gt:Body>\n</gt:GovTalkMessage>\n"
    issues = _issues(data)
    codes = [i.code for i in issues]
    wanted = CLASS_NAMESPACES[message_class]
    mismatch = [ns for ns in bodies if ns != wanted and (wanted or ns in OURS)]
    assert codes.count("rule.COM-R006") == (1 if mismatch else 0)
    foreign = wanted is None and any(ns not in OURS for ns in bodies)
    assert codes.count("govtalk.foreign-body") == (1 if foreign else 0)
    assert codes.count("rule.COM-R001") == (0 if wanted else 1)
    # the valid bodies the class chooses add nothing; nothing else is looked inside
    others = {"rule.COM-R006", "govtalk.foreign-body", "rule.COM-R001"}
    assert [i for i in issues if i.code not in others] == []


def test_a_body_of_our_namespace_that_is_no_message_is_an_unknown_kind_there() -> None:
    data = b'<?xml version="1.0"?>\n<epay:NotAMessage xmlns:epay="urn:lgstandards:epay:1"/>\n'
    alone = _issues(data)
    assert [i.code for i in alone] == ["xml.unknown-kind"]
    envelope, offset = wrap(data, "LGS-EPAY-X")
    inside = _issues(envelope)
    assert [(i.code, i.line, i.path) for i in inside] == [
        ("xml.unknown-kind", 2 + offset, f"{BODY}/epay:NotAMessage")
    ]


@pytest.mark.parametrize("body", ["", "<gt:Body/>", "<gt:Body>\n  <!-- nothing -->\n</gt:Body>"])
def test_an_envelope_without_a_body_keeps_its_findings(body: str) -> None:
    """No body to validate: the envelope's own checks only (none for this envelope)."""
    data = (EXAMPLES / "govtalk" / "valid" / "envelope-payment-request.xml").read_bytes()
    emptied = re.sub(rb"<gt:Body>.*</gt:Body>", body.encode(), data, flags=re.DOTALL)
    assert _issues(emptied) == []
