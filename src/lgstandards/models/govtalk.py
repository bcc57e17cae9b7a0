"""The GovTalk envelope (``http://www.govtalk.gov.uk/CM/envelope``) as a typed model.

:class:`GovTalkMessage` wraps any lgstandards message in its ``Body``;
:meth:`GovTalkMessage.wrap` builds a request envelope around a message and
:meth:`GovTalkMessage.messages` returns the bound messages inside a body. Body
content that is not an lgstandards message is kept as :class:`RawXml`, and so is an
XML-DSig ``Signature``.

:func:`ir_mark` computes the IRmark of a message's Body as HMRC defines it (SHA-1 of the
canonicalised Body with its ``IRmark`` elements taken out, in base64), and
:func:`add_ir_mark` writes it into the message (rule COM-R013 checks it).

>>> from lgstandards.models.govtalk import GovTalkMessage
>>> GovTalkMessage.xml_root
'GovTalkMessage'
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError

from lgstandards.models._xml import AnyXml, RawXml, Xml, XmlModel
from lgstandards.models.common import COMMON_NS, XsInt
from lgstandards.models.irmark import GOVTALK_NS, body_digest

if TYPE_CHECKING:
    from lxml import etree

    from lgstandards.safexml import Source

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"

#: The message class prefix of each lgstandards body namespace (rules COM-R001, COM-R006).
CLASS_PREFIXES = {
    "urn:lgstandards:epay:1": "LGS-EPAY-",
    "urn:lgstandards:ebenefits:1": "LGS-BEN-",
    "urn:lgstandards:transactions:1": "LGS-TX-",
}

_DATETIME = re.compile(
    r"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+\-][0-9]{2}:[0-9]{2})?\Z"
)


def _datetime_lexical(value: Any) -> Any:
    if isinstance(value, str) and _DATETIME.match(value) is None:
        raise PydanticCustomError("xsd.datetime", "'{value}' is not a date-time", {"value": value})
    return value


XsDateTime = Annotated[dt.datetime, BeforeValidator(_datetime_lexical)]
HexIdentifier = Annotated[str, StringConstraints(pattern=r"^[0-9A-F]{0,32}$")]
UnicodeName = Annotated[str, StringConstraints(pattern=r"^[\p{L}\p{Nd}_\-\(\)\{\}]*$")]
MessageClass = Annotated[
    str, StringConstraints(min_length=4, max_length=32, pattern=r"^[\p{L}\p{Nd}_\-\(\)\{\}]*$")
]
Qualifier = Literal["request", "acknowledgement", "response", "poll", "error"]
Function = Literal["list", "read", "delete", "add", "submit"]
EnvelopeEmail = Annotated[
    str,
    StringConstraints(
        min_length=3, max_length=129, pattern=r"^[A-Za-z0-9.\-_]{1,64}@[A-Za-z0-9.\-_]{1,64}$"
    ),
]
#: Text of the envelope's plain ``xs:string`` fields: any characters XML can carry
#: (``to_xml`` could not write a NUL or another control character).
XmlString = Annotated[
    str, StringConstraints(pattern=r"^[\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]*$")
]
Organisation = Annotated[XmlString, StringConstraints(min_length=1, max_length=64)]
Base64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/= \t\r\n]*$")]


class GovTalkModel(XmlModel):
    """Base of the envelope structures."""

    xml_namespace = GOVTALK_NS
    xml_prefix = "gt"


class ResponseEndPoint(GovTalkModel):
    """Where to poll for the response, and how often."""

    value: Annotated[XmlString, Xml(text=True)] = ""
    poll_interval: Annotated[XsInt | None, Xml(attr=True), Field(alias="PollInterval")] = None


class MessageDetails(GovTalkModel):
    """What the message is and where it is in the exchange."""

    class_: Annotated[MessageClass, Field(alias="Class")]
    qualifier: Qualifier
    function: Function | None = None
    transaction_id: Annotated[HexIdentifier | None, Field(alias="TransactionID")] = None
    audit_id: Annotated[HexIdentifier | None, Field(alias="AuditID")] = None
    correlation_id: Annotated[HexIdentifier | None, Field(alias="CorrelationID")] = None
    response_end_point: ResponseEndPoint | None = None
    transformation: Literal["XML", "HTML", "text"] | None = None
    gateway_test: XsInt | None = None
    gateway_timestamp: XsDateTime | None = None


def _is_signature(value: RawXml, info: ValidationInfo) -> RawXml:
    """Refuse raw XML given for a ``Signature`` (JSON, Python) that is another element.

    Read from XML (the validation context says so), the element's name was checked.
    """
    if not (info.context and info.context.get("xml")):
        from lgstandards.safexml import parse_xml

        tag = parse_xml(bytes(value)).getroot().tag
        if tag != f"{{{DSIG_NS}}}Signature":
            raise PydanticCustomError(
                "xml.raw-content", "expected an XML-DSig Signature element, not {tag}", {"tag": tag}
            )
    return value


class Authentication(GovTalkModel):
    """One credential: a value or an XML signature."""

    method: Literal["clear", "MD5", "W3Csigned"]
    role: XmlString | None = None
    value: XmlString | None = None
    signature: Annotated[
        Annotated[RawXml, AfterValidator(_is_signature)] | None, Xml(ns=DSIG_NS)
    ] = None


class IDAuthentication(GovTalkModel):
    """Sender identity and credentials."""

    sender_id: Annotated[XmlString | None, Field(alias="SenderID")] = None
    authentication: Annotated[list[Authentication], Field(min_length=1)]


class SenderDetails(GovTalkModel):
    """Who sends the message."""

    id_authentication: Annotated[IDAuthentication | None, Field(alias="IDAuthentication")] = None
    x509_certificate: Annotated[Base64 | None, Field(alias="X509Certificate")] = None
    email_address: EnvelopeEmail | None = None


class Header(GovTalkModel):
    """The envelope header."""

    message_details: MessageDetails
    sender_details: SenderDetails | None = None


class Key(GovTalkModel):
    """A routing key and its type."""

    value: Annotated[XmlString, Xml(text=True)] = ""
    type: Annotated[UnicodeName, Xml(attr=True), Field(alias="Type")]


class Keys(GovTalkModel):
    """Routing keys."""

    key: list[Key] = Field(default_factory=list)


class TargetDetails(GovTalkModel):
    """Target organisations."""

    organisation: list[Organisation] = Field(default_factory=list)


class GatewayValidation(GovTalkModel):
    """Whether the gateway validated the message."""

    processed: Literal["no", "yes"]
    result: Literal["pass", "fail"]


class Channel(GovTalkModel):
    """A channel the message came through."""

    uri: Annotated[XmlString | None, Field(alias="URI")] = None
    name: XmlString | None = None
    product: XmlString | None = None
    version: XmlString | None = None


class RoutingID(GovTalkModel):
    """An id given by a channel."""

    value: Annotated[XmlString, Xml(text=True)] = ""
    type: Annotated[XmlString, Xml(attr=True), Field(alias="Type")]


class ChannelRouting(GovTalkModel):
    """One hop of routing."""

    channel: Channel
    id: Annotated[list[RoutingID], Field(alias="ID")] = Field(default_factory=list)
    timestamp: XsDateTime | None = None


class Error(GovTalkModel):
    """An error reported by the gateway or receiver."""

    raised_by: XmlString
    number: XsInt | None = None
    type: Literal["fatal", "recoverable", "business", "warning"]
    text: list[XmlString] = Field(default_factory=list)
    location: list[XmlString] = Field(default_factory=list)


class GovTalkErrors(GovTalkModel):
    """Errors."""

    error: Annotated[list[Error], Field(min_length=1)]


class GatewayAdditions(GovTalkModel):
    """Content the gateway added, in another namespace."""

    content: Annotated[list[AnyXml], Xml(any=True), Field(min_length=1, max_length=1)]


class GovTalkDetails(GovTalkModel):
    """Routing, validation and error details."""

    keys: Keys | None = None
    target_details: TargetDetails | None = None
    gateway_validation: GatewayValidation | None = None
    channel_routing: list[ChannelRouting] = Field(default_factory=list)
    gov_talk_errors: GovTalkErrors | None = None
    gateway_additions: GatewayAdditions | None = None


class Body(GovTalkModel):
    """The body: lgstandards messages (bound to their models) or other XML (raw)."""

    content: Annotated[list[AnyXml], Xml(any=True)] = Field(default_factory=list)


class GovTalkMessage(GovTalkModel):
    """A GovTalk message: envelope version, header, details and body."""

    xml_root = "GovTalkMessage"

    envelope_version: Annotated[XmlString, Xml(required=True)] = "2.0"
    header: Header
    gov_talk_details: Annotated[GovTalkDetails, Xml(required=True)] = Field(
        default_factory=GovTalkDetails
    )
    body: Body | None = None

    @classmethod
    def wrap(
        cls,
        message: XmlModel,
        *,
        message_class: str | None = None,
        qualifier: Qualifier = "request",
        function: Function | None = "submit",
        transaction_id: str | None = None,
        keys: dict[str, str] | None = None,
    ) -> GovTalkMessage:
        """Return an envelope carrying ``message`` in its Body.

        The class defaults to the message's family prefix and root element name, upper
        case (``LGS-EPAY-PAYMENTREQUEST`` is cut to 32 characters).
        """
        if message_class is None:
            prefix = CLASS_PREFIXES.get(type(message).xml_namespace, "LGS-")
            message_class = (prefix + (type(message).xml_root or "").upper())[:32]
        details = GovTalkDetails(
            keys=Keys(key=[Key(type=k, value=v) for k, v in keys.items()]) if keys else None
        )
        return cls(
            header=Header(
                message_details=MessageDetails(
                    class_=message_class,
                    qualifier=qualifier,
                    function=function,
                    transaction_id=transaction_id,
                )
            ),
            gov_talk_details=details,
            body=Body(content=[message]),
        )

    def messages(self) -> list[XmlModel]:
        """Return the lgstandards messages in the Body (raw content is left out)."""
        if self.body is None:
            return []
        return [item for item in self.body.content if isinstance(item, XmlModel)]


# ------------------------------------------------------------------ IRmark
#: The ``Type`` an IRmark element carries (HMRC's generic IRmark).
IRMARK_TYPE = "generic"


def _namespace(element: etree._Element) -> str:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else ""


def _envelope_root(source: Source | etree._Element) -> etree._Element:
    """Return the root element of a source (parsed safely) or of the element given."""
    from lxml import etree

    if isinstance(source, etree._Element):
        return source.getroottree().getroot()
    from lgstandards.safexml import parse_xml, xml_text_source

    return parse_xml(xml_text_source(source)).getroot()


def _body_of(root: etree._Element) -> etree._Element:
    """Return the GovTalk ``Body`` of an envelope root (or the root itself when it is one)."""
    body = root if root.tag == f"{{{GOVTALK_NS}}}Body" else root.find(f"{{{GOVTALK_NS}}}Body")
    if body is None:
        raise ValueError("the document has no GovTalk Body to compute an IRmark of")
    return body


def ir_mark(source: Source | etree._Element) -> str:
    """Return the IRmark of a GovTalk message: its Body's digest, as HMRC computes it.

    ``source``: the envelope (a path, bytes, XML text or a parsed element) or its
    ``Body`` element. The digest is SHA-1 over the Body canonicalised with inclusive
    Canonical XML 1.0 (no comments), every ``IRmark`` element taken out, in base64; so
    an IRmark already written does not change it. White space inside the Body counts:
    compute the IRmark of the very bytes you send. Raises ``ValueError`` when there is
    no Body, or when Canonical XML refuses it (a relative namespace name in scope).

    >>> from lgstandards.models.govtalk import ir_mark
    >>> ir_mark(b'<Body xmlns="http://www.govtalk.gov.uk/CM/envelope"><A>1</A></Body>')
    '+n1JSJ1IDQuctKicycSGC7y/VEs='
    """
    from lxml import etree

    if isinstance(source, etree._Element) and source.tag == f"{{{GOVTALK_NS}}}Body":
        return body_digest(source)
    return body_digest(_body_of(_envelope_root(source)))


def add_ir_mark(source: Source | etree._Element) -> bytes:
    """Return the envelope with its IRmark filled in (UTF-8 bytes, ready to send).

    Every ``IRmark`` element in the Body gets the value; when there is none, an
    ``lgc:IRmark Type="generic"`` is added at the end of the ``Header`` of the first
    lgstandards message in the Body (raises ``ValueError`` when there is none). The
    input is not changed.
    """
    from lxml import etree

    root = copy.deepcopy(_envelope_root(source))
    body = _body_of(root)
    marks = list(body.iter("{*}IRmark"))
    if not marks:
        header = None
        for element in body:
            namespace = _namespace(element)
            if namespace in CLASS_PREFIXES:
                header = element.find(f"{{{namespace}}}Header")
                break
        if header is None:
            raise ValueError("the Body holds no lgstandards message Header for the IRmark")
        mark = etree.SubElement(header, f"{{{COMMON_NS}}}IRmark", {"Type": IRMARK_TYPE})
        if len(header) > 1:  # keep the layout: the new last child ends as the old one did
            before = header[-2]
            mark.tail, before.tail = before.tail, header.text if header.text else before.tail
        marks = [mark]
    value = body_digest(body)
    for mark in marks:
        mark.text = value
    return etree.tostring(root.getroottree(), xml_declaration=True, encoding="UTF-8")


__all__ = [
    "CLASS_PREFIXES",
    "DSIG_NS",
    "GOVTALK_NS",
    "IRMARK_TYPE",
    "Authentication",
    "Body",
    "Channel",
    "ChannelRouting",
    "Error",
    "GatewayAdditions",
    "GatewayValidation",
    "GovTalkDetails",
    "GovTalkErrors",
    "GovTalkMessage",
    "GovTalkModel",
    "Header",
    "IDAuthentication",
    "Key",
    "Keys",
    "MessageDetails",
    "ResponseEndPoint",
    "RoutingID",
    "SenderDetails",
    "TargetDetails",
    "add_ir_mark",
    "body_digest",
    "ir_mark",
]
