"""Common business rules coded in Python (COM-R005, R013, R014, R016, R017, R019).

They apply to every document kind: postcodes and National Insurance numbers are
recognised by element name wherever they appear, so a number in a family's own
element (``ben:...``) is checked as well as the common types.

**Integrity (COM-R013).** An IRmark in a GovTalk envelope's body of ours must be the
digest of the Body (:func:`lgstandards.models.govtalk.ir_mark`), and every XML signature
(XML-DSig) must verify, with the keys or certificates the validation profile trusts
(``Profile(signature_keys=...)``; never fetched from the network). Without trusted keys a
signature is checked with the key it carries, which proves the signed content unchanged
but not who signed it. Verifying signatures needs the ``signatures`` extra (signxml):
without it, a signed document gets a COM-R013 finding that says so. A signature inside
a body is verified when that body is validated as a document of its own.

**Restricted character set (COM-R019).** Legacy GovTalk receivers take only the
``RestrictedStringType`` characters, which leave out accented letters: with
``Profile(restricted_charset=True)`` text outside them gets a warning. lgstandards' own
types allow Welsh letters, so the rule is off by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Any, Protocol

from lgstandards._text import shorten
from lgstandards._xmlvalues import find_value, string_value
from lgstandards.models.irmark import GOVTALK_NS, body_digest
from lgstandards.rules import Finding, python_rule

#: Element local names holding a postcode.
POSTCODE_ELEMENTS = frozenset({"Postcode", "PostCode"})
#: Element local names holding a National Insurance number.
NINO_ELEMENTS = frozenset({"NationalInsuranceNumber", "NINO", "Nino", "NINumber"})


def _elements(root: Any, names: frozenset[str]) -> Iterator[Any]:
    """Yield the elements (any namespace) whose local name is in ``names``, in document order."""
    # Tag-filtered iteration runs in libxml2's C loop, not element by element in Python.
    return iter(root.iter(*(f"{{*}}{name}" for name in sorted(names))))


@python_rule("COM-R014", kinds=["*"])
def postcodes_are_bs7666(root: Any) -> Iterator[Finding]:
    """Every non-empty postcode matches BS7666 v2 after normalisation."""
    found = list(_elements(root, POSTCODE_ELEMENTS))
    if not found:
        return
    from lgstandards.models.identifiers import is_valid_postcode, normalise_postcode

    for element in found:
        text = string_value(element).strip()
        if text and not is_valid_postcode(normalise_postcode(text)):
            yield element, {"value": text}


@python_rule("COM-R016", kinds=["*"])
def nino_passes_hmrc_rules(root: Any) -> Iterator[Finding]:
    """NINO passes the HMRC rules: shape, excluded letters, unissued prefixes, suffix A-D."""
    found = list(_elements(root, NINO_ELEMENTS))
    if not found:
        return
    from lgstandards.models.identifiers import is_valid_nino, normalise_nino

    for element in found:
        text = string_value(element).strip()
        if text and not is_valid_nino(normalise_nino(text)):
            yield element, {"value": text}


@python_rule("COM-R017", kinds=["*"])
def nino_not_administrative(root: Any) -> Iterator[Finding]:
    """NINO has an administrative or temporary prefix (a warning)."""
    found = list(_elements(root, NINO_ELEMENTS))
    if not found:
        return
    from lgstandards.models.identifiers import (
        ADMINISTRATIVE_NINO_PREFIXES,
        is_valid_nino,
        normalise_nino,
    )

    for element in found:
        text = normalise_nino(string_value(element))
        if is_valid_nino(text) and text[:2] in ADMINISTRATIVE_NINO_PREFIXES:
            yield element, {"value": text}


@python_rule("COM-R005", kinds=["govtalk.envelope"])
def gateway_timestamp_utc(root: Any) -> Iterator[Finding]:
    """GatewayTimestamp is UTC and not in the future."""
    for element in root.iter(f"{{{GOVTALK_NS}}}GatewayTimestamp"):
        text = string_value(element).strip()
        try:
            moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            continue  # the schema reports the lexical error
        offset = moment.utcoffset()
        if offset is None or offset != dt.timedelta(0) or moment > dt.datetime.now(dt.UTC):
            yield element, {"value": text}


# ------------------------------------------------------------------ COM-R019
class CharsetProfile(Protocol):
    """What COM-R019 reads from a validation profile."""

    @property
    def restricted_charset(self) -> bool:
        """Whether the receivers take only the GovTalk restricted character set."""


#: The longest text a COM-R019 message quotes.
_QUOTE = 60


def _direct_text(element: Any) -> str:
    """Return the character data directly in ``element`` (its text and children's tails)."""
    parts = [element.text or ""]
    parts.extend(child.tail or "" for child in element)
    return "".join(parts)


@python_rule("COM-R019", kinds=["*"])
def text_in_restricted_charset(
    root: Any, profile: CharsetProfile | None = None
) -> Iterator[Finding]:
    """Warn for text outside the GovTalk restricted character set (profile setting)."""
    if profile is None or not getattr(profile, "restricted_charset", False):
        return
    from lxml import etree

    from lgstandards.models.identifiers import restricted_violations

    for element in root.iter(etree.Element):
        texts = [_direct_text(element), *element.attrib.values()]
        outside = restricted_violations("".join(texts))
        if not outside:
            continue
        text = next(t for t in texts if restricted_violations(t)).strip()
        yield element, {"text": shorten(text, _QUOTE), "characters": " ".join(outside)}


# ------------------------------------------------------------------ COM-R013
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
_DS = f"{{{DSIG_NS}}}"
_GT = f"{{{GOVTALK_NS}}}"
#: Namespaces of the lgstandards bodies a GovTalk envelope carries.
_OUR_BODIES = frozenset(
    {"urn:lgstandards:epay:1", "urn:lgstandards:ebenefits:1", "urn:lgstandards:transactions:1"}
)


class SignatureProfile(Protocol):
    """What COM-R013 reads from a validation profile."""

    @property
    def signature_keys(self) -> tuple[str | bytes, ...]:
        """PEM certificates or public keys trusted to sign documents."""


#: COM-R013's reasons, English and Welsh.
REASONS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "changed": (
            "the signed content was changed after it was signed (a reference's digest differs)",
            "newidiwyd y cynnwys a lofnodwyd ar ôl ei lofnodi (mae crynhoad cyfeiriad yn wahanol)",
        ),
        "signature": (
            "the signature value does not match its signed information (it was changed, or "
            "another key signed it)",
            "nid yw gwerth y llofnod yn cyfateb i'w wybodaeth lofnodedig (fe'i newidiwyd, neu "
            "llofnododd allwedd arall hi)",
        ),
        "untrusted": (
            "it is not signed by a key or certificate the validation profile trusts",
            "nid yw wedi'i llofnodi gan allwedd neu dystysgrif y mae'r proffil dilysu yn ymddiried "
            "ynddi",
        ),
        "certificate": (
            "its certificate is not valid at this time",
            "nid yw ei thystysgrif yn ddilys ar hyn o bryd",
        ),
        "refused": (
            "it uses a form or an algorithm that is refused or not supported (SHA-1 is refused), "
            "or carries no key to check it with",
            "mae'n defnyddio ffurf neu algorithm a wrthodir neu nas cefnogir (gwrthodir SHA-1), "
            "neu nid oes ganddi allwedd i'w gwirio",
        ),
        "missing": (
            "it cannot be verified here: install lgstandards[signatures] (signxml)",
            "ni ellir ei dilysu yma: gosodwch lgstandards[signatures] (signxml)",
        ),
    }
)


#: COM-R013's reason when the Body cannot be canonicalised, so no IRmark can match it.
_NOT_CANONICAL = MappingProxyType(
    {
        "reason": "the Body cannot be put in canonical form (Canonical XML refuses a namespace "
        "name that is a relative URI), so its digest cannot be computed",
        "reason_cy": "ni ellir rhoi'r Corff mewn ffurf ganonaidd (mae XML Canonaidd yn gwrthod "
        "enw gofod enwau sy'n URI cymharol), felly ni ellir cyfrifo ei grynhoad",
    }
)


def _is_envelope(root: Any) -> bool:
    return bool(root.tag == f"{_GT}GovTalkMessage")


def _namespace(element: Any) -> str:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def signatures_to_verify(root: Any) -> list[Any]:
    """Return the XML signatures COM-R013 verifies in a document, in document order.

    All of them, except in a GovTalk envelope those inside a body element: a body of
    lgstandards' own is validated as a document of its own (and its signatures then),
    and a foreign body is not lgstandards' business.
    """
    found = list(root.iter(f"{_DS}Signature"))
    if not found or not _is_envelope(root):
        return found
    body = root.find(f"{_GT}Body")
    if body is None:
        return found
    inside = {
        child for child in body if isinstance(child.tag, str) and child.tag != f"{_DS}Signature"
    }
    return [s for s in found if not any(a in inside for a in s.iterancestors())]


def _location(root: Any, signature: Any) -> str:
    """Return the ElementPath from ``root`` to ``signature``'s parent, for signxml."""
    steps = []
    element = signature.getparent()
    while element is not None and element is not root:
        parent = element.getparent()
        position = 1 + sum(1 for s in element.itersiblings(preceding=True) if s.tag == element.tag)
        steps.append(f"{element.tag}[{position}]")
        element = parent
    return "./" + "".join(f"{step}/" for step in reversed(steps))


def _trusted(keys: tuple[str | bytes, ...]) -> tuple[list[Any], set[bytes]]:
    """Return the trusted certificates and every trusted public key (SubjectPublicKeyInfo PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_public_key,
    )

    certificates, public = [], set()
    public_key: Any
    for key in keys:
        data = key.encode("ascii") if isinstance(key, str) else bytes(key)
        if b"CERTIFICATE" in data:
            certificate = x509.load_pem_x509_certificate(data)
            certificates.append(certificate)
            public_key = certificate.public_key()
        else:
            public_key = load_pem_public_key(data)
        public.add(public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo))
    return certificates, public


def _embedded_certificate(signature: Any) -> Any:
    """Return the first certificate a signature carries (KeyInfo/X509Data), or None."""
    from cryptography import x509

    text = find_value(signature, f"{_DS}KeyInfo/{_DS}X509Data/{_DS}X509Certificate")
    if not text:
        return None
    body = "".join(text.split())
    pem = f"-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----\n"
    try:
        return x509.load_pem_x509_certificate(pem.encode("ascii"))
    except ValueError:
        return None


def verify_signature(root: Any, signature: Any, keys: tuple[str | bytes, ...] = ()) -> str | None:
    """Verify one XML signature of a document; return None, or why it fails (a REASONS key).

    ``keys``: PEM certificates or public keys trusted to sign. With none, the
    signature is checked with the key it carries (its certificate or key value): the
    signed content is then proved unchanged, not who signed it. No key is ever fetched.
    """
    try:
        from signxml import exceptions
        from signxml.verifier import SignatureConfiguration, XMLVerifier
    except ImportError:
        return "missing"
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    location = _location(root, signature)
    config = SignatureConfiguration(location=location, expect_references=True)
    certificates, trusted = _trusted(keys)
    failures: list[str] = []

    def attempt(**options: Any) -> Any:
        try:
            return XMLVerifier().verify(root, **options)
        except exceptions.InvalidDigest:
            failures.append("changed")
        except exceptions.InvalidCertificate:
            failures.append("certificate")
        except exceptions.InvalidSignature:
            failures.append("signature")
        except Exception:
            # signxml reads the signature's hostile structure and raises more than its
            # own errors (lxml's on a form its schema refuses or Canonical XML cannot
            # write; AttributeError on an empty certificate ...): a form not supported
            failures.append("refused")
        return None

    for certificate in certificates:
        if attempt(x509_cert=certificate, expect_config=config) is not None:
            return None
    embedded = _embedded_certificate(signature)
    if embedded is not None:
        when = embedded.not_valid_before_utc if not keys else None
        result = attempt(
            x509_cert=embedded,
            expect_config=SignatureConfiguration(
                location=location, expect_references=True, verification_time=when
            ),
        )
    else:
        result = attempt(
            expect_config=SignatureConfiguration(
                location=location, expect_references=True, require_x509=False
            )
        )
    if result is None:
        return next(
            (r for r in ("changed", "certificate", "signature") if r in failures), "refused"
        )
    if not keys:
        return None
    first = result[0] if isinstance(result, list) else result
    used = first.signature_key
    if embedded is not None:
        used = embedded.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    return None if used in trusted else "untrusted"


def _ir_marks(root: Any) -> Iterator[tuple[Any, Any]]:
    """Yield (Body, IRmark element) for the IRmarks in an envelope's bodies of ours."""
    body = root.find(f"{_GT}Body")
    if body is None:
        return
    for child in body:
        if isinstance(child.tag, str) and _namespace(child) in _OUR_BODIES:
            for mark in child.iter("{*}IRmark"):
                yield body, mark


@python_rule("COM-R013", kinds=["*"], whole=True)
def signatures_verify(root: Any, profile: SignatureProfile | None = None) -> Iterator[Finding]:
    """Check that an IRmark or an XML-DSig signature, when present, verifies."""
    if _is_envelope(root):
        digest: str | None = None
        for body, mark in _ir_marks(root):
            if digest is None:
                try:
                    digest = body_digest(body)
                except ValueError:  # Canonical XML refuses the Body
                    digest = ""
            if not digest:  # Canonical XML refuses the Body: no digest to compare
                yield (mark, {"what": "IRmark", "what_cy": "IRmark", **_NOT_CANONICAL})
                continue
            stated = string_value(mark).strip()
            if stated != digest:
                yield (
                    mark,
                    {
                        "what": "IRmark",
                        "what_cy": "IRmark",
                        "reason": f"the Body's digest is {digest}: the Body was changed after the "
                        "IRmark was computed",
                        "reason_cy": f"crynhoad y Corff yw {digest}: newidiwyd y Corff ar ôl "
                        "cyfrifo'r IRmark",
                    },
                )
    signatures = signatures_to_verify(root)
    if not signatures:
        return
    keys = tuple(getattr(profile, "signature_keys", ()) or ()) if profile is not None else ()
    for signature in signatures:
        reason = verify_signature(root, signature, keys)
        if reason is not None:
            english, welsh = REASONS[reason]
            yield (
                signature,
                {
                    "what": "XML signature",
                    "what_cy": "llofnod XML",
                    "reason": english,
                    "reason_cy": welsh,
                },
            )


__all__ = [
    "DSIG_NS",
    "NINO_ELEMENTS",
    "POSTCODE_ELEMENTS",
    "REASONS",
    "CharsetProfile",
    "SignatureProfile",
    "gateway_timestamp_utc",
    "nino_not_administrative",
    "nino_passes_hmrc_rules",
    "postcodes_are_bs7666",
    "signatures_to_verify",
    "signatures_verify",
    "text_in_restricted_charset",
    "verify_signature",
]
