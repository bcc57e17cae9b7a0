"""Make the signed GovTalk examples of COM-R013 with a TEST-ONLY key (never trust it).

Writes, in ``examples/govtalk/``:

* ``test-signer-certificate.pem``: the self-signed certificate of a key made here and
  thrown away (never written): subject ``TEST ONLY lgstandards example signer``,
  organisation ``TEST KEY - NOT FOR USE``, valid 2026-01-01 to 2036-01-01;
* ``valid/envelope-payment-signed.xml``: ``valid/envelope-payment-request.xml`` with an
  enveloped XML signature of the whole envelope (RSA-SHA256) at the
  end of its ``Body``, carrying that certificate;
* ``invalid/envelope-signed-tampered.xml``: the signed envelope with the payer's family
  name changed after signing: COM-R013 says the signed content was changed.

Each run makes a new key, so the three files change together. Needs the ``signatures``
extra (signxml). Run: ``python scripts/make_signed_example.py``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import XMLSigner

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "govtalk"
SOURCE = FOLDER / "valid" / "envelope-payment-request.xml"
CERTIFICATE = FOLDER / "test-signer-certificate.pem"
SIGNED = FOLDER / "valid" / "envelope-payment-signed.xml"
TAMPERED = FOLDER / "invalid" / "envelope-signed-tampered.xml"

DSIG = "http://www.w3.org/2000/09/xmldsig#"
GOVTALK = "http://www.govtalk.gov.uk/CM/envelope"
LGC = "urn:lgstandards:common:1"
#: The certificate's period: the examples verify for ten years with a profile that
#: trusts it (without one, COM-R013 checks a signature at its certificate's start).
VALID_FROM = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
VALID_TO = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)


def test_key() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    """Make a throw-away RSA key and its self-signed, clearly test-only certificate."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "TEST ONLY lgstandards example signer"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TEST KEY - NOT FOR USE"),
        ]
    )
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=True,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(VALID_FROM)
        .not_valid_after(VALID_TO)
        .add_extension(usage, critical=True)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def signed_envelope(data: bytes, key: rsa.RSAPrivateKey, certificate: x509.Certificate) -> bytes:
    """Sign a GovTalk envelope: the signature goes at the end of its Body."""
    root = etree.fromstring(data)
    body = root.find(f"{{{GOVTALK}}}Body")
    if body is None:
        raise SystemExit(f"{SOURCE}: no Body")
    placeholder = etree.SubElement(
        body, f"{{{DSIG}}}Signature", Id="placeholder", nsmap={"ds": DSIG}
    )
    placeholder.tail = body[-2].tail
    pem_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pem_certificate = certificate.public_bytes(serialization.Encoding.PEM)
    signed = XMLSigner().sign(root, key=pem_key, cert=pem_certificate)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8") + b"\n"


def tampered(data: bytes) -> bytes:
    """Change the payer's family name in a signed envelope (the signature is kept)."""
    root = etree.fromstring(data)
    family = root.find(f".//{{{LGC}}}FamilyName")
    if family is None:
        raise SystemExit("no FamilyName to change")
    family.text = "Newidiwyd"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def main() -> None:
    """Write the certificate and the two signed examples."""
    key, certificate = test_key()
    signed = signed_envelope(SOURCE.read_bytes(), key, certificate)
    CERTIFICATE.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    SIGNED.write_bytes(signed)
    TAMPERED.write_bytes(tampered(signed))
    for path in (CERTIFICATE, SIGNED, TAMPERED):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
