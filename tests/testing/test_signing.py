"""The supplier's signing kit (lgstandards.testing.signing): test keys, signed messages.

What a supplier relies on: the certificate says it is a test key, is valid when asked,
and the messages signed with it pass COM-R013 with a profile that trusts it, and fail
it once changed or when another key is trusted; a message of any family can be signed.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from lgstandards import validate
from lgstandards.validation.profile import Profile

pytest.importorskip("signxml")

from cryptography import x509
from cryptography.x509.oid import NameOID

from lgstandards.testing.signing import (
    DSIG_NS,
    GOVTALK_NS,
    TEST_ORGANISATION,
    sign,
    throwaway_signer,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _r013(data: bytes, profile: Profile) -> list[str]:
    return [i.message for i in validate(data, profile=profile).issues if "COM-R013" in i.code]


def test_the_certificate_is_a_dated_test_certificate() -> None:
    start = dt.datetime(2030, 5, 1, tzinfo=dt.UTC)
    signer = throwaway_signer("supplier", valid_from=start, valid_to=start + dt.timedelta(7))
    certificate = x509.load_pem_x509_certificate(signer.certificate)
    attribute = certificate.subject.get_attributes_for_oid
    assert attribute(NameOID.COMMON_NAME)[0].value == "supplier"
    assert attribute(NameOID.ORGANIZATION_NAME)[0].value == TEST_ORGANISATION
    assert certificate.issuer == certificate.subject
    assert certificate.not_valid_before_utc == start
    assert certificate.not_valid_after_utc == start + dt.timedelta(7)
    assert b"PRIVATE KEY" in signer.key
    assert b"PUBLIC KEY" in signer.public_key
    assert throwaway_signer().key != signer.key  # a new key each time


@pytest.mark.parametrize(
    ("example", "parent"),
    [
        ("govtalk/valid/envelope-payment-request.xml", f"{{{GOVTALK_NS}}}Body"),
        ("epay/valid/payment-notification.xml", None),
    ],
)
def test_signed_messages_verify_with_a_trusting_profile_only(
    example: str, parent: str | None
) -> None:
    signer = throwaway_signer()
    signed = sign((EXAMPLES / example).read_bytes(), signer)
    root = etree.fromstring(signed)
    signature = root.find(f".//{{{DSIG_NS}}}Signature")
    assert signature is not None
    holder = signature.getparent()
    assert holder is not None
    assert holder.tag == (parent or root.tag)
    assert holder[-1] is signature
    assert _r013(signed, Profile(signature_keys=(signer.certificate,))) == []
    other = Profile(signature_keys=(throwaway_signer("other").certificate,))
    assert len(_r013(signed, other)) == 1
    changed = signed.replace(b"2026", b"2027", 1)
    assert changed != signed
    assert len(_r013(changed, Profile(signature_keys=(signer.certificate,)))) == 1
