"""COM-R013 on broken integrity marks: a finding naming the signature, never a step that raised.

signxml reads a signature's hostile structure and raises more than its own errors (lxml's
when its schema refuses the signature or Canonical XML cannot write it, AttributeError on
an empty certificate); each once made the rule ``xml.check-failed``. Every element of the
signed example's signature is emptied, filled with junk, removed or given junk attributes,
checked with the key it carries and with a trusted certificate. Canonical XML also refuses
a relative namespace name, so an IRmark's Body with one in scope cannot be digested.
"""

from __future__ import annotations

import pytest
from hostile_support import EXAMPLES, assert_kept_promise
from lxml import etree

from lgstandards.safexml import parse_xml
from lgstandards.validation import validate
from lgstandards.validation.profile import Profile

pytest.importorskip("signxml")

DS = "{http://www.w3.org/2000/09/xmldsig#}"
SIGNED = EXAMPLES / "govtalk" / "valid" / "envelope-payment-signed.xml"
IRMARK = EXAMPLES / "govtalk" / "valid" / "envelope-payment-irmark.xml"
CERTIFICATE = (EXAMPLES / "govtalk" / "test-signer-certificate.pem").read_bytes()
HOW = ("empty", "junk", "remove", "attributes")


def _broken(index: int, how: str) -> bytes | None:
    """Return the signed example with the signature's ``index``-th element broken ``how``."""
    data = SIGNED.read_bytes()
    tree = parse_xml(data)
    signature = tree.getroot().find(f".//{DS}Signature")
    assert signature is not None
    element = list(signature.iter())[index]
    if how == "empty":
        element.text = None
        for child in list(element):
            element.remove(child)
    elif how == "junk":
        element.text = "not base64! 2024-01-01"
    elif how == "remove":
        parent = element.getparent()
        if element is signature or parent is None:
            return None
        parent.remove(element)
    else:
        if not element.attrib:
            return None
        for key in element.attrib:
            element.set(key, "-14:01")
    document = etree.tostring(tree)
    return None if document == etree.tostring(parse_xml(data)) else document


def _part(element: etree._Element) -> str:
    """Return which part of the signature ``element`` is in: signed, value or key."""
    for candidate in (element, *element.iterancestors()):
        local = etree.QName(candidate).localname
        if local in ("SignedInfo", "SignatureValue", "KeyInfo"):
            return {"SignedInfo": "signed", "SignatureValue": "value", "KeyInfo": "key"}[local]
    return "signature"


def _cases() -> list[tuple[str, bytes, str]]:
    signature = parse_xml(SIGNED.read_bytes()).getroot().find(f".//{DS}Signature")
    assert signature is not None
    found = []
    for index, element in enumerate(signature.iter()):
        for how in HOW:
            document = _broken(index, how)
            if document is None:
                continue
            # text put beside child elements is not content any part reads
            part = "none" if how == "junk" and len(element) else _part(element)
            if element is signature and how == "empty":
                part = "signed"  # nothing left
            found.append((f"{etree.QName(element).localname}[{index}] {how}", document, part))
    return found


CASES = _cases()


@pytest.mark.parametrize(("name", "document", "part"), CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("trusted", [False, True], ids=["own key", "trusted certificate"])
def test_a_broken_signature_is_a_finding(
    name: str, document: bytes, part: str, trusted: bool
) -> None:
    profile = Profile(signature_keys=(CERTIFICATE,)) if trusted else None
    report = validate(document, profile=profile)
    assert_kept_promise(report.issues)
    # what is signed and the value must verify; the key it carries, unless one is trusted
    if part in ("signed", "value") or (part == "key" and not trusted):
        assert "rule.COM-R013" in report.codes(), (name, report.codes())


@pytest.mark.parametrize("where", ["root", "Body", "message"])
def test_an_irmark_body_canonical_xml_refuses_is_a_finding(where: str) -> None:
    data = IRMARK.read_bytes()
    tags = {
        "root": b"<gt:GovTalkMessage ",
        "Body": b"<gt:Body",
        "message": b"<epay:PaymentRequest ",
    }
    tag = tags[where]
    assert data.count(tag) == 1
    document = data.replace(tag, tag.rstrip() + b' xmlns:relative="not/absolute" ', 1)
    report = validate(document)
    assert_kept_promise(report.issues)
    irmark = [i for i in report.issues if i.code == "rule.COM-R013"]
    assert irmark, report.codes()
    assert "canonical" in irmark[0].message
    assert "ganonaidd" in (irmark[0].message_cy or "")
