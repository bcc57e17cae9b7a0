"""COM-R013 names each reason a signature fails, in English and Welsh.

The reasons not covered by tampering tests: a certificate outside its validity period
(expired, or not yet valid), with the registered English and Welsh wording, and a
refused or unknown signature algorithm (SHA-1 is refused).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lgstandards import validate
from lgstandards.rules.common import REASONS
from lgstandards.validation.profile import Profile

pytest.importorskip("signxml")

from lgstandards.testing.signing import Signer, sign, throwaway_signer

SOURCE = Path(__file__).resolve().parents[2] / "examples" / "govtalk" / "valid"
ENVELOPE = (SOURCE / "envelope-payment-request.xml").read_bytes()
YEAR = dt.timedelta(days=365)


def _r013(data: bytes, profile: Profile, lang: str = "en") -> list[str]:
    report = validate(data, profile=profile, lang=lang)
    return [i.text(lang) for i in report.issues if i.code == "rule.COM-R013"]


def _dated(start: dt.datetime) -> Signer:
    return throwaway_signer("dated", valid_from=start, valid_to=start + YEAR)


@pytest.mark.parametrize(
    "start",
    [dt.datetime.now(dt.UTC) - 3 * YEAR, dt.datetime.now(dt.UTC) + YEAR],
    ids=["expired", "not-yet-valid"],
)
def test_a_trusted_certificate_outside_its_period_is_named(start: dt.datetime) -> None:
    signer = _dated(start)
    trusted = Profile(signature_keys=(signer.certificate,))
    signed = sign(ENVELOPE, signer)
    english, welsh = REASONS["certificate"]
    (found,) = _r013(signed, trusted)
    assert english in found
    (found_cy,) = _r013(signed, trusted, "cy")
    assert welsh in found_cy


@pytest.mark.parametrize(
    ("element", "algorithm"),
    [
        ("SignatureMethod", "http://www.w3.org/2000/09/xmldsig#rsa-sha1"),
        ("SignatureMethod", "urn:example:no-such-algorithm"),
    ],
)
def test_a_refused_or_unknown_algorithm_is_named(element: str, algorithm: str) -> None:
    """SHA-1 (refused) and an algorithm nobody knows: the reason says so, not "changed"."""
    from lxml import etree

    signer = throwaway_signer()
    root = etree.fromstring(sign(ENVELOPE, signer))
    method = root.find(f".//{{http://www.w3.org/2000/09/xmldsig#}}{element}")
    assert method is not None
    method.set("Algorithm", algorithm)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    (found,) = _r013(data, Profile(signature_keys=(signer.certificate,)))
    assert REASONS["refused"][0] in found
