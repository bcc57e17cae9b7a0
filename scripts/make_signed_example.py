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

from lxml import etree

from lgstandards.testing.signing import Signer, sign, throwaway_signer

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "examples" / "govtalk"
SOURCE = FOLDER / "valid" / "envelope-payment-request.xml"
CERTIFICATE = FOLDER / "test-signer-certificate.pem"
SIGNED = FOLDER / "valid" / "envelope-payment-signed.xml"
TAMPERED = FOLDER / "invalid" / "envelope-signed-tampered.xml"

LGC = "urn:lgstandards:common:1"
#: The certificate's period: the examples verify for ten years with a profile that
#: trusts it (without one, COM-R013 checks a signature at its certificate's start).
VALID_FROM = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
VALID_TO = dt.datetime(2036, 1, 1, tzinfo=dt.UTC)


def tampered(data: bytes) -> bytes:
    """Change the payer's family name in a signed envelope (the signature is kept)."""
    root = etree.fromstring(data)
    family = root.find(f".//{{{LGC}}}FamilyName")
    if family is None:
        raise SystemExit("no FamilyName to change")
    family.text = "Newidiwyd"
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


def example_signer() -> Signer:
    """Make the examples' throw-away key and its TEST certificate (valid for ten years)."""
    return throwaway_signer(
        "TEST ONLY lgstandards example signer", valid_from=VALID_FROM, valid_to=VALID_TO
    )


def main() -> None:
    """Write the certificate and the two signed examples."""
    signer = example_signer()
    signed = sign(SOURCE.read_bytes(), signer) + b"\n"
    CERTIFICATE.write_bytes(signer.certificate)
    SIGNED.write_bytes(signed)
    TAMPERED.write_bytes(tampered(signed))
    for path in (CERTIFICATE, SIGNED, TAMPERED):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
