"""Signed test messages for COM-R013: a throw-away key, its TEST certificate, a signature.

A supplier proving that its product signs (or checks signatures) as COM-R013 expects
makes a key here, signs its test messages with it, and validates them with a profile that
trusts the certificate::

    from lgstandards.testing.signing import sign, throwaway_signer
    from lgstandards.validation.profile import Profile

    signer = throwaway_signer("my-product")
    signed = sign(message_bytes, signer)
    lgstandards.validate(signed, profile=Profile(signature_keys=(signer.certificate,)))

The key is made in memory for the run; its self-signed certificate names the
organisation "TEST KEY - NOT FOR USE", so nobody can mistake it for a real signer. Needs
the ``signatures`` extra (signxml, cryptography): ``pip install 'lgstandards[signatures]'``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

#: The organisation every certificate made here names.
TEST_ORGANISATION = "TEST KEY - NOT FOR USE"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
GOVTALK_NS = "http://www.govtalk.gov.uk/CM/envelope"


@dataclass(frozen=True)
class Signer:
    """A private key and its self-signed certificate, both in PEM."""

    key: bytes
    certificate: bytes

    @property
    def public_key(self) -> bytes:
        """The certificate's public key (SubjectPublicKeyInfo PEM)."""
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        loaded = x509.load_pem_x509_certificate(self.certificate).public_key()
        return loaded.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def throwaway_signer(
    name: str = "TEST ONLY lgstandards signer",
    *,
    valid_from: dt.datetime | None = None,
    valid_to: dt.datetime | None = None,
) -> Signer:
    """Make a new RSA key and its self-signed TEST certificate (common name ``name``).

    The certificate is valid from ``valid_from`` (default: a day ago) to ``valid_to``
    (default: 30 days after it starts).
    """
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    start = valid_from or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    end = valid_to or start + dt.timedelta(days=30)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, TEST_ORGANISATION),
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
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(usage, critical=True)
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


def sign(data: bytes, signer: Signer) -> bytes:
    """Return ``data`` with an enveloped XML signature of the whole document (RSA-SHA256).

    In a GovTalk envelope the signature goes at the end of the ``Body`` (where DWP's
    bodies carry one); elsewhere it is the root's last child. The signature carries the
    certificate.
    """
    from lxml import etree
    from signxml.signer import XMLSigner

    from lgstandards.safexml import parse_bytes

    root = parse_bytes(data).getroot()
    body = root.find(f"{{{GOVTALK_NS}}}Body")
    if body is not None:
        placeholder = etree.SubElement(
            body, f"{{{DSIG_NS}}}Signature", Id="placeholder", nsmap={"ds": DSIG_NS}
        )
        placeholder.tail = body[-2].tail if len(body) > 1 else None
    signed = XMLSigner().sign(root, key=signer.key, cert=signer.certificate.decode("ascii"))
    result: bytes = etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
    return result


__all__ = ["TEST_ORGANISATION", "Signer", "sign", "throwaway_signer"]
