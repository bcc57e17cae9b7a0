"""Namespace errors in a batch: refused as not well-formed in every mode, never a ValueError.

A validating feed parser (the streaming engine's) keeps an undeclared prefix or a
namespace name that is not a URI out of its log: streamed, such a batch once passed as
valid, or (on the root, which the chunk documents copy and lxml refuses to copy) raised
a ``ValueError`` out of ``validate``. Each fault is put on the root, on the first record
and on the last record of every batch example; streamed, it must be reported as whole.
"""

from __future__ import annotations

import re

import pytest
from hostile_support import EXAMPLES, assert_kept_promise

import lgstandards

BATCHES = [
    EXAMPLES / "epay" / "valid" / "reconciliation-batch.xml",
    EXAMPLES / "ebenefits" / "valid" / "bulk-claims.xml",
    *sorted(EXAMPLES.glob("exchanges/*/*reconciliation-batch*.xml")),
    *sorted(EXAMPLES.glob("exchanges/*/*bulk-claims*.xml")),
]
RECORDS = {"reconciliation-batch": b"<epay:PaymentRecord", "bulk-claims": b"<ben:BenefitClaim"}

#: Namespace names libxml2 refuses as URIs (lxml refuses them in a new element too).
NOT_URIS = (" 1 ", "a b", "%zz", "[", "urn:x ", "\\", "http://[::1")


def _faults(start_tag: bytes) -> dict[str, bytes]:
    """Return the start tag broken each way: bad namespace names, undeclared prefixes."""
    declared = re.search(rb'xmlns:(\w+)="[^"]*"', start_tag)
    found = {}
    if declared is not None:
        prefix = declared.group(1)
        for uri in NOT_URIS:
            found[f"uri {uri!r}"] = start_tag.replace(
                declared.group(0), b'xmlns:%s="%s"' % (prefix, uri.encode())
            )
        found["declaration renamed"] = start_tag.replace(b"xmlns:", b"x0-xmlns:", 1)
    insert = start_tag.rstrip(b"/>")
    tail = start_tag[len(insert) :]
    found["undeclared attribute prefix"] = insert + b' q:z="1"' + tail
    found["empty prefixed namespace"] = insert + b' xmlns:e=""' + tail
    for uri in NOT_URIS[:2]:
        found[f"new declaration {uri!r}"] = insert + b' xmlns:n="%s"' % uri.encode() + tail
    return found


def _cases() -> list[tuple[str, bytes]]:
    cases = []
    for path in BATCHES:
        data = path.read_bytes()
        record = next(tag for key, tag in RECORDS.items() if key in path.name)
        root_start = re.search(rb"<(?!\?|!)[^>]*>", data)
        assert root_start is not None
        records = list(re.finditer(re.escape(record) + rb"[^>]*>", data))
        if not records:  # a batch without records is parsed whole
            continue
        for where, match in (("root", root_start), ("first", records[0]), ("last", records[-1])):
            for fault, broken in _faults(match.group(0)).items():
                document = data[: match.start()] + broken + data[match.end() :]
                cases.append((f"{path.parent.name}/{path.name}: {where} {fault}", document))
    return cases


CASES = _cases()


@pytest.mark.parametrize(("name", "document"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("streaming", [True, None, False])
def test_a_namespace_error_is_not_well_formed(
    name: str, document: bytes, streaming: bool | None
) -> None:
    report = lgstandards.validate(document, streaming=streaming)
    assert report.codes() == ["xml.not-well-formed"], name
    assert report.issues == lgstandards.validate(document, streaming=False).issues  # same place
    assert report.issues[0].line is not None
    issues = assert_kept_promise(lgstandards.iter_issues(document, streaming=streaming))
    assert issues[-1].code == "xml.not-well-formed"
