"""Sign documents for the COM-R013 tests: a fresh key and self-signed certificate (fake)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree


@dataclass(frozen=True)
class Signer:
    """A private key and its certificate, in PEM."""

    key: bytes
    certificate: bytes

    @property
    def public_key(self) -> bytes:
        """The certificate's public key (SubjectPublicKeyInfo PEM)."""
        loaded = x509.load_pem_x509_certificate(self.certificate).public_key()
        return loaded.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def _make(name: str) -> Signer:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.example.org")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    return Signer(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        certificate.public_bytes(serialization.Encoding.PEM),
    )


@cache
def signer(name: str = "signer") -> Signer:
    """Return the test signer ``name`` (made once per run)."""
    return _make(name)


DSIG = "http://www.w3.org/2000/09/xmldsig#"
GOVTALK = "http://www.govtalk.gov.uk/CM/envelope"


def sign(data: bytes, who: Signer | None = None) -> bytes:
    """Return ``data`` with an enveloped XML signature of the whole document (RSA-SHA256).

    In a GovTalk envelope the signature goes at the end of the Body, after the message
    (as DWP's bodies carry one); elsewhere it is the root's last child.
    """
    from signxml import XMLSigner

    who = who or signer()
    root = etree.fromstring(data)
    body = root.find(f"{{{GOVTALK}}}Body")
    if body is not None:
        placeholder = etree.SubElement(body, f"{{{DSIG}}}Signature", Id="placeholder")
        placeholder.tail = body[-2].tail if len(body) > 1 else None
    signed = XMLSigner().sign(root, key=who.key, cert=who.certificate)
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
