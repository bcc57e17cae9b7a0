"""A root no kind claims: the issue names the nearest known roots, in English and Welsh."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lgstandards import validate
from lgstandards.artefacts.kinds import KindSpec
from lgstandards.validation.profile import current_profile

SPECS = sorted(current_profile().all_kinds().values(), key=lambda spec: spec.kind)
SPECS = [spec for spec in SPECS if spec.root]
LOCAL_COUNTS = Counter(spec.root for spec in SPECS)
ROOTS = {(spec.namespace, spec.root) for spec in SPECS}


def _only_issue(data: bytes) -> tuple[str, str, str]:
    report = validate(data)
    assert report.codes() == ["xml.unknown-kind"]
    issue = report.issues[0]
    return issue.code, issue.message, issue.message_cy or ""


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if LOCAL_COUNTS[s.root] == 1], ids=lambda s: s.kind
)
def test_a_missing_namespace_names_the_root_in_its_namespace(spec: KindSpec) -> None:
    _, message, message_cy = _only_issue(f"<{spec.root}/>".encode())
    expected = f"{{{spec.namespace}}}{spec.root}"
    assert f"the nearest known: {expected}" in message
    assert f"yr agosaf sy'n hysbys: {expected}" in message_cy


@pytest.mark.parametrize(
    "spec", [s for s in SPECS if s.kind.startswith("iso20022.")], ids=lambda s: s.kind
)
def test_another_iso_version_names_the_versions_shipped_of_that_message(spec: KindSpec) -> None:
    message_id = spec.namespace.rsplit(":", 1)[1].rsplit(".", 2)[0]  # camt.053
    other = f"urn:iso:std:iso:20022:tech:xsd:{message_id}.001.99"
    _, message, _ = _only_issue(f'<Document xmlns="{other}"/>'.encode())
    nearest = message.split("the nearest known: ", 1)[1]
    assert nearest.startswith(f"{{urn:iso:std:iso:20022:tech:xsd:{message_id}.")


@given(
    st.sampled_from([s for s in SPECS if len(s.root) >= 4]),
    st.integers(min_value=0),
    st.sampled_from("xqzj"),
)
def test_a_typo_in_the_root_name_names_the_root_it_was_meant_to_be(
    spec: KindSpec, where: int, letter: str
) -> None:
    at = where % len(spec.root)
    typo = spec.root[:at] + letter + spec.root[at + 1 :]
    if (spec.namespace, typo) in ROOTS or typo == spec.root:
        return
    _, message, _ = _only_issue(f'<x:{typo} xmlns:x="{spec.namespace}"/>'.encode())
    assert f"{{{spec.namespace}}}{spec.root}" in message.split("the nearest known: ", 1)[1]


@pytest.mark.parametrize(
    "data",
    [
        b"<a/>",
        b'<Wholly xmlns="urn:example:unrelated"/>',
        b'<x:a xmlns:x="urn:lgstandards:epay:1"/>',
    ],
)
def test_an_unrelated_root_gets_the_plain_message(data: bytes) -> None:
    _, message, message_cy = _only_issue(data)
    assert message.endswith("is not a message of any standard in the catalogue")
    assert message_cy.endswith("yn neges o unrhyw safon yn y catalog")
