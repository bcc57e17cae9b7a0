"""Assertions for suppliers' own tests: does a document conform to the standards.

:func:`assert_conforms` validates a document (XSD, business rules, vocabulary
cross-checks; SHACL for RDF) and raises :class:`AssertionError` listing every issue,
one readable line each, when it does not give the outcome asked for::

    >>> from lgstandards.testing import assert_conforms
    >>> assert_conforms(b"<not-closed>")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    AssertionError: document does not conform: 1 error(s), 0 warning(s)
      <input>:1:13: error xml.truncated ...

It needs neither pytest nor hypothesis, so it works under unittest too.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import IO, Protocol, cast

from lgstandards.report import ValidationReport


class _HasXml(Protocol):
    def to_xml(self) -> bytes: ...


Document = bytes | str | os.PathLike[str] | IO[bytes] | _HasXml


def _source(document: Document) -> bytes | str | os.PathLike[str] | IO[bytes]:
    """Turn the accepted document forms into a source :func:`validate` reads."""
    to_xml = getattr(document, "to_xml", None)
    if callable(to_xml):
        data = to_xml()
        if not isinstance(data, bytes):
            raise TypeError("to_xml() must return bytes")
        return data
    if isinstance(document, str):
        from lgstandards.models._xml import is_xml_text, xml_text_source

        if is_xml_text(document):
            return cast("bytes", xml_text_source(document))
    if isinstance(document, bytes | str | os.PathLike):
        return document
    return cast("IO[bytes]", document)


def _listing(report: ValidationReport, lang: str) -> str:
    return "\n".join(f"  {issue.format(lang)}" for issue in report.issues)


def assert_conforms(
    document: Document,
    kind: str | None = None,
    *,
    codes: Iterable[str] | None = None,
    strict: bool = False,
    lang: str = "en",
    as_of: dt.date | str | None = None,
) -> ValidationReport:
    """Validate ``document`` and fail with the readable issue list unless it conforms.

    ``document`` is XML or RDF as bytes, a string of XML (starting with ``<``), a
    path, a binary file object, or a model with ``to_xml()``. ``kind`` forces the
    document kind (``epay.payment-request`` ...); otherwise it is detected and any
    kind is accepted. By default the document must have no error (warnings allowed;
    ``strict=True`` fails on warnings too). With ``codes`` the document must raise
    exactly those issue codes (errors and warnings, each at least once, no other),
    for testing that a product rejects a bad document for the right reason.
    Returns the report.
    """
    __tracebackhide__ = True
    from lgstandards.validation import validate

    report = validate(_source(document), kind=kind, lang=lang, as_of=as_of)
    if kind is not None and report.kind not in (None, kind):
        raise AssertionError(f"document is a {report.kind}, expected a {kind}")
    if codes is not None:
        wanted = set(codes)
        found = {i.code for i in report.issues if i.severity.value != "info"}
        if found != wanted:
            missing = ", ".join(sorted(wanted - found)) or "none"
            extra = ", ".join(sorted(found - wanted)) or "none"
            raise AssertionError(
                f"document does not raise exactly {sorted(wanted)}: missing {missing}; "
                f"unexpected {extra}\n{_listing(report, lang)}".rstrip()
            )
        return report
    counts = report.counts()
    if not report.ok or (strict and counts["warning"]):
        raise AssertionError(
            f"document does not conform: {counts['error']} error(s), "
            f"{counts['warning']} warning(s)\n{_listing(report, lang)}"
        )
    return report


__all__ = ["Document", "assert_conforms"]
