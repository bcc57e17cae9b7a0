"""COM-R013 (IRmark and XML signatures) and COM-R019 (GovTalk restricted character set).

Signatures are made in the tests with a fresh key and self-signed certificate
(testsupport.signing); the validator verifies them with the keys the profile trusts, or
with the certificate the signature carries, never fetching one.
"""

from __future__ import annotations

import base64
import hashlib
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from testsupport.signing import DSIG, GOVTALK, sign, signer

from lgstandards._resources import examples_root
from lgstandards.models.common import RESTRICTED_CHARS, restricted_violations
from lgstandards.models.govtalk import add_ir_mark, ir_mark
from lgstandards.report import Severity
from lgstandards.rules.common import REASONS
from lgstandards.validation import validate
from lgstandards.validation.profile import Profile

ENVELOPE = (examples_root() / "govtalk" / "valid" / "envelope-payment-request.xml").read_bytes()
GT = f"{{{GOVTALK}}}"


def _r013(data: bytes, profile: Profile | None = None, *, alone: bool = True) -> list[str]:
    """COM-R013's messages (``alone``: and no other issue; a change may raise others)."""
    report = validate(data, profile=profile)
    others = [i.code for i in report.issues if i.code != "rule.COM-R013"]
    assert not alone or others == [], others
    return [i.message for i in report.issues if i.code == "rule.COM-R013"]


def _message_texts(data: bytes) -> list[str]:
    """The paths of every element with text in the envelope's body message."""
    root = etree.fromstring(data)
    message = root.find(f"{GT}Body")[0]
    tree = root.getroottree()
    return [
        tree.getpath(e)
        for e in message.iter(etree.Element)
        if e.text and e.text.strip() and not e.tag.endswith("IRmark")
    ]


def _changed(data: bytes, path: str) -> bytes:
    root = etree.fromstring(data)
    names = {p: uri for e in root.iter(etree.Element) for p, uri in e.nsmap.items() if p}
    element = root.getroottree().xpath(path, namespaces=names)[0]
    element.text = element.text.strip() + "0" if element.text.strip()[-1:] != "0" else "1"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# ------------------------------------------------------------------ IRmark
def test_the_irmark_is_the_sha1_of_the_canonical_body_without_irmarks() -> None:
    marked = add_ir_mark(ENVELOPE)
    body = etree.fromstring(marked).find(f"{GT}Body")
    for mark in list(body.iter("{*}IRmark")):  # the element goes; the text around it stays
        previous, parent = mark.getprevious(), mark.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + (mark.tail or "")
        else:
            parent.text = (parent.text or "") + (mark.tail or "")
        parent.remove(mark)
    canonical = etree.tostring(body, method="c14n", exclusive=False, with_comments=False)
    expected = base64.b64encode(hashlib.sha1(canonical).digest()).decode("ascii")
    assert ir_mark(marked) == expected  # the layout added with the element stays
    assert f">{expected}</lgc:IRmark>".encode() in marked


def test_a_computed_irmark_verifies() -> None:
    assert _r013(add_ir_mark(ENVELOPE)) == []


@pytest.mark.parametrize("path", _message_texts(add_ir_mark(ENVELOPE)))
def test_any_change_to_the_body_breaks_the_irmark(path: str) -> None:
    """Every text of the body is covered: changing any one fails COM-R013, naming the digest."""
    tampered = _changed(add_ir_mark(ENVELOPE), path)
    report = validate(tampered)
    found = [i for i in report.issues if i.code == "rule.COM-R013"]
    assert len(found) == 1
    assert ir_mark(tampered) in found[0].message
    assert "changed after the IRmark" in found[0].message
    assert "newidiwyd y Corff" in (found[0].message_cy or "")
    assert found[0].severity is Severity.ERROR


def test_an_irmark_outside_an_envelope_is_not_checked() -> None:
    """A message alone has no Body to digest: its IRmark is the envelope's business."""
    data = (examples_root() / "epay" / "valid" / "dispute.xml").read_bytes()
    assert b"IRmark" in data
    assert validate(data).codes() == []


def test_the_tampered_example_names_the_digest_its_body_has_now() -> None:
    path = examples_root() / "govtalk" / "invalid" / "envelope-irmark-tampered.xml"
    (found,) = [i for i in validate(path).issues if i.code == "rule.COM-R013"]
    assert ir_mark(path.read_bytes()) in found.message
    assert found.path.endswith("/lgc:IRmark")


# ------------------------------------------------------------------ XML-DSig
def test_a_signature_verifies_with_its_own_certificate_or_a_trusted_key() -> None:
    signed = sign(ENVELOPE)
    assert _r013(signed) == []
    assert _r013(signed, Profile(signature_keys=(signer().certificate,))) == []
    assert _r013(signed, Profile(signature_keys=(signer().public_key.decode("ascii"),))) == []


def test_a_signature_by_a_key_the_profile_does_not_trust_fails() -> None:
    trusted = Profile(signature_keys=(signer("someone-else").certificate,))
    assert _r013(sign(ENVELOPE), trusted) == [
        f"The XML signature does not verify: {REASONS['untrusted'][0]}."
    ]


@pytest.mark.parametrize("path", _message_texts(ENVELOPE))
def test_any_change_to_the_signed_body_fails(path: str) -> None:
    tampered = _changed(sign(ENVELOPE), path)
    changed = f"The XML signature does not verify: {REASONS['changed'][0]}."
    assert _r013(tampered, alone=False) == [changed]


def test_a_changed_signature_value_fails() -> None:
    root = etree.fromstring(sign(ENVELOPE))
    value = root.find(f".//{{{DSIG}}}SignatureValue")
    raw = bytearray(base64.b64decode(value.text))
    raw[10] ^= 0xFF
    value.text = base64.b64encode(bytes(raw)).decode("ascii")
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert _r013(data) == [f"The XML signature does not verify: {REASONS['signature'][0]}."]


def test_a_signature_without_signxml_says_how_to_verify_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed = sign(ENVELOPE)
    monkeypatch.setitem(sys.modules, "signxml", None)
    monkeypatch.setitem(sys.modules, "signxml.verifier", None)
    assert _r013(signed) == [f"The XML signature does not verify: {REASONS['missing'][0]}."]


def test_every_reason_has_english_and_welsh() -> None:
    for english, welsh in REASONS.values():
        assert english
        assert welsh
        assert english != welsh


# ------------------------------------------------------------------ COM-R019
WELSH = (examples_root() / "epay" / "valid" / "payment-request.xml").read_bytes()
RESTRICTED = Profile(restricted_charset=True)


def test_restricted_charset_is_off_by_default() -> None:
    assert "Siân".encode() in WELSH
    assert validate(WELSH).codes() == []


def test_text_outside_the_restricted_set_is_a_warning_naming_the_characters() -> None:
    report = validate(WELSH, profile=RESTRICTED)
    found = [i for i in report.issues if i.code == "rule.COM-R019"]
    assert found
    assert all(i.severity is Severity.WARNING for i in found)
    assert report.ok
    assert any("â" in i.message and "Siân" in i.message for i in found)
    assert all(i.message_cy for i in found)


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=20))
def test_a_value_warns_exactly_when_it_has_a_character_outside_the_set(value: str) -> None:
    clean = "".join(c for c in value if c.isprintable() and c not in "<>&" and ord(c) < 0xD800)
    data = ENVELOPE_TEXT.replace(b"Instalment April", clean.encode("utf-8") or b"x")
    report = validate(data, profile=RESTRICTED)
    narrative = [i for i in report.issues if i.code == "rule.COM-R019" and "Narrative" in i.path]
    assert bool(narrative) is bool(restricted_violations(clean.strip()))


#: The request with its one non-restricted letter taken out (Siân -> Sian).
ENVELOPE_TEXT = WELSH.replace("Siân".encode(), b"Sian")


def test_the_restricted_set_is_the_govtalk_one() -> None:
    assert restricted_violations("Sian Prawf, 12A Heol y Prawf; £10.00 & €5") == ""
    assert restricted_violations("Siân Gwŷn ŵ") == "âŷŵ"
    assert "£" in RESTRICTED_CHARS


@pytest.mark.parametrize(
    "body",
    [
        b'<Body xmlns="http://www.govtalk.gov.uk/CM/envelope"><A xmlns="x">1</A></Body>',
        b'<Body xmlns="http://www.govtalk.gov.uk/CM/envelope" xmlns:r="rel/ative"><A/></Body>',
    ],
)
def test_a_body_canonical_xml_refuses_has_no_irmark_and_says_why(body: bytes) -> None:
    """Relative namespace names: ir_mark and add_ir_mark raise ValueError, never C14NError."""
    with pytest.raises(ValueError, match="Canonical XML refuses the Body"):
        ir_mark(body)
    envelope = ENVELOPE.replace(b"<gt:Body>", b'<gt:Body xmlns:r="rel/ative">', 1)
    assert envelope != ENVELOPE
    for make in (ir_mark, add_ir_mark):
        with pytest.raises(ValueError, match="Canonical XML refuses the Body"):
            make(envelope)
