"""The signed GovTalk examples (COM-R013) and the script that makes them.

The manifest checks them without trusted keys (each signature checked with the
certificate it carries); here: with the shipped test certificate trusted, with another
key trusted, that the certificate is clearly a test one, that the tampered copy differs
only in signed content, and that the script makes a signed/tampered pair with the same
outcomes from any fresh key.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID
from lxml import etree
from testsupport.signing import sign, signer

from lgstandards.rules.common import REASONS
from lgstandards.validation import validate
from lgstandards.validation.profile import Profile

pytest.importorskip("signxml")

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "examples" / "govtalk"
CERTIFICATE = (FOLDER / "test-signer-certificate.pem").read_bytes()
SIGNED = FOLDER / "valid" / "envelope-payment-signed.xml"
TAMPERED = FOLDER / "invalid" / "envelope-signed-tampered.xml"
DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


def _script() -> ModuleType:
    path = ROOT / "scripts" / "make_signed_example.py"
    spec = importlib.util.spec_from_file_location("make_signed_example", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _codes(source: Path | bytes, profile: Profile | None = None) -> list[tuple[str, str]]:
    report = validate(source, profile=profile)
    return [(i.code, i.message) for i in report.issues if i.severity.value != "info"]


def _changed_message() -> str:
    return f"The XML signature does not verify: {REASONS['changed'][0]}."


def test_trusting_the_test_certificate_keeps_the_outcomes() -> None:
    trusted = Profile(signature_keys=(CERTIFICATE,))
    assert _codes(SIGNED, trusted) == []
    assert _codes(TAMPERED, trusted) == [("rule.COM-R013", _changed_message())]


def test_trusting_another_key_fails_the_signed_example() -> None:
    other = Profile(signature_keys=(signer("someone-else").certificate,))
    (found,) = _codes(SIGNED, other)
    assert found[0] == "rule.COM-R013"
    assert REASONS["untrusted"][0] in found[1]


def test_the_certificate_is_a_test_one_and_the_one_the_signature_carries() -> None:
    certificate = x509.load_pem_x509_certificate(CERTIFICATE)
    names = certificate.subject.get_attributes_for_oid
    assert "TEST ONLY" in str(names(NameOID.COMMON_NAME)[0].value)
    assert names(NameOID.ORGANIZATION_NAME)[0].value == "TEST KEY - NOT FOR USE"
    assert certificate.issuer == certificate.subject  # self-signed
    now = dt.datetime.now(dt.UTC)
    assert certificate.not_valid_before_utc <= now < certificate.not_valid_after_utc
    carried = etree.parse(SIGNED).findtext(f".//{DSIG}X509Certificate")
    assert carried is not None
    assert "".join(carried.split()) in "".join(CERTIFICATE.decode().split("-----")[2].split())


def test_the_tampered_copy_changes_only_signed_content() -> None:
    signed, tampered = etree.parse(SIGNED).getroot(), etree.parse(TAMPERED).getroot()
    differences = [
        (a.tag, a.text, b.text)
        for a, b in zip(signed.iter(), tampered.iter(), strict=True)
        if (a.tag, a.text, a.attrib) != (b.tag, b.text, b.attrib)
    ]
    assert len(differences) == 1
    tag, _before, _after = differences[0]
    assert tag == "{urn:lgstandards:common:1}FamilyName"


def test_the_script_makes_a_verifying_pair_from_a_fresh_key() -> None:
    script = _script()
    signer = script.example_signer()
    source = (FOLDER / "valid" / "envelope-payment-request.xml").read_bytes()
    signed = sign(source, signer)
    assert _codes(signed) == []
    assert _codes(signed, Profile(signature_keys=(signer.certificate,))) == []
    assert _codes(script.tampered(signed)) == [("rule.COM-R013", _changed_message())]
    assert signed != SIGNED.read_bytes()  # a new key each run
