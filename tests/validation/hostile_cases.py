"""The catalogue of hostile inputs and the code each must be refused with."""

from __future__ import annotations

from collections.abc import Callable

NS = "urn:lgstandards:test:batch"
OK_BODY = (
    f'<tb:TestMessage xmlns:tb="{NS}" SchemaVersion="1.0">'
    "<tb:Service>57</tb:Service></tb:TestMessage>"
)

LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(
        f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n<lolz>&lol9;</lolz>\n"
)


def cases(secret_path: str, url: str) -> dict[str, tuple[bytes, str]]:
    """Return name -> (document, expected code); ``url`` is a local listener."""
    big = "x" * 50_000
    quadratic = (
        f'<?xml version="1.0"?>\n<!DOCTYPE k [<!ENTITY a "{big}">]>\n<k>' + "&a;" * 50_000 + "</k>"
    )
    file_uri = f"file://{secret_path}"
    found: dict[str, tuple[str | bytes, str]] = {
        "billion-laughs": (LAUGHS, "xml.entity-forbidden"),
        "quadratic-blowup": (quadratic, "xml.entity-forbidden"),
        "external-entity-file": (
            f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "{file_uri}">]>\n<r>&x;</r>',
            "xml.external-entity-forbidden",
        ),
        "external-entity-http": (
            f'<!DOCTYPE r [<!ENTITY x SYSTEM "{url}/entity">]><r>&x;</r>',
            "xml.external-entity-forbidden",
        ),
        "external-dtd": (
            f'<?xml version="1.0"?>\n<!DOCTYPE r SYSTEM "{url}/r.dtd">\n<r/>',
            "xml.external-dtd-forbidden",
        ),
        "parameter-entity-external": (
            f'<!DOCTYPE r [<!ENTITY % p SYSTEM "{url}/p.dtd"> %p;]><r/>',
            "xml.external-entity-forbidden",
        ),
        "parameter-entity-internal": (
            "<!DOCTYPE r [<!ENTITY % p \"<!ENTITY q 'boom'>\"> %p;]><r>&q;</r>",
            "xml.entity-forbidden",
        ),
        "internal-dtd": ("<!DOCTYPE r [<!ELEMENT r (#PCDATA)>]><r/>", "xml.dtd-forbidden"),
        "undefined-entity": ("<r>&secret;</r>", "xml.entity-forbidden"),
        "xinclude-file": (
            '<r xmlns:xi="http://www.w3.org/2001/XInclude">'
            f'<xi:include href="{file_uri}" parse="text"/></r>',
            "xml.xinclude-forbidden",
        ),
        "xinclude-http": (
            f'<r xmlns:xi="http://www.w3.org/2001/XInclude"><xi:include href="{url}/x.xml"/></r>',
            "xml.xinclude-forbidden",
        ),
        "network-schema-location": (
            OK_BODY.replace(
                'SchemaVersion="1.0"',
                'SchemaVersion="1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                f'xsi:schemaLocation="{NS} {url}/schema.xsd"',
            ),
            "xml.external-reference",
        ),
        "network-no-namespace-schema-location": (
            '<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:noNamespaceSchemaLocation="{url}/r.xsd"/>',
            "xml.external-reference",
        ),
        "deep-nesting": ("<a>" * 5000 + "</a>" * 5000, "xml.too-deep"),
        "truncated": (OK_BODY[:-20], "xml.truncated"),
        "empty": ("", "xml.empty"),
        "whitespace-only": ("  \n\t ", "xml.empty"),
        "binary": (bytes(range(256)) * 64, "xml.binary"),
        "bad-encoding-declared-utf8": (
            '<?xml version="1.0" encoding="UTF-8"?><r>Sian ap Ifan caf\xe9</r>'.encode("latin-1"),
            "xml.encoding",
        ),
        "unknown-encoding": ('<?xml version="1.0" encoding="X-NOPE"?><r/>', "xml.encoding"),
        "not-xml-text": ("This is a plain text file, not XML.\n", "xml.not-xml"),
        "not-xml-json": ('{"PaymentRequest": {"Amount": 10}}', "xml.not-xml"),
        "not-well-formed": ("<r><a></b></r>", "xml.not-well-formed"),
    }
    return {
        name: (doc.encode("utf-8") if isinstance(doc, str) else doc, code)
        for name, (doc, code) in found.items()
    }


#: Cases that need non-default limits: name -> (document factory, limits kwargs, code).
LIMIT_CASES: dict[str, tuple[Callable[[], bytes], dict[str, int], str]] = {
    "too-large": (lambda: b"<r>" + b"x" * 5000 + b"</r>", {"max_bytes": 1000}, "xml.too-large"),
    "text-too-long": (
        lambda: b"<r>" + b"x" * 5000 + b"</r>",
        {"max_text": 1000},
        "xml.text-too-long",
    ),
    "attribute-too-long": (
        lambda: b'<r a="' + b"x" * 5000 + b'"/>',
        {"max_text": 1000},
        "xml.text-too-long",
    ),
    "depth-limit-lowered": (
        lambda: b"<a>" * 50 + b"</a>" * 50,
        {"max_depth": 20},
        "xml.too-deep",
    ),
}
