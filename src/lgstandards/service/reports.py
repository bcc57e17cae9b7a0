"""Validating uploaded bytes and writing the reports in the format a client asks for.

The JSON, SARIF, JUnit and text reports are those of :mod:`lgstandards.validation.formats`
(the CLI's, byte for byte but for times); this module owns only the HTML report, which
the web page shows and offers for download.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass

from lgstandards.report import ValidationReport
from lgstandards.validation.core import Options

#: The report formats of the API, and their media types.
MEDIA_TYPES = {
    "json": "application/json",
    "sarif": "application/sarif+json",
    "junit": "application/xml",
    "html": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
}

#: The format each media type of an ``Accept`` header asks for.
ACCEPTED = {
    "application/json": "json",
    "application/sarif+json": "sarif",
    "application/junit+xml": "junit",
    "application/xml": "junit",
    "text/xml": "junit",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
}

#: The file name ending of each report format (for downloads).
SUFFIXES = {
    "json": ".json",
    "sarif": ".sarif",
    "junit": ".junit.xml",
    "html": ".html",
    "text": ".txt",
}


def accepted(accept: str | None, choices: dict[str, str], default: str) -> str | None:
    """Return the choice an ``Accept`` header prefers (q-values honoured), None if none fits.

    ``choices`` maps media types to choices; ``*/*`` (or no header) gives ``default``.
    """
    if not accept:
        return default
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in choices:
            ranked.append((-quality, position, choices[media]))
        elif media in ("*/*", "application/*", "text/*"):
            ranked.append((-quality, position + 1000, default))
    return min(ranked)[2] if ranked else None


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded document: its name in the report and its bytes."""

    name: str
    data: bytes


def validate_upload(upload: Upload, options: Options) -> ValidationReport:
    """Validate one upload as the CLI validates a stream: never raising, bounded by ``options``."""
    from lgstandards.validation.batch import validate_source

    stream = io.BytesIO(upload.data)
    stream.name = upload.name
    return validate_source(stream, options, upload.name)


def render(
    reports: Sequence[ValidationReport],
    fmt: str,
    *,
    lang: str = "en",
    start: dt.datetime | None = None,
) -> bytes:
    """Return the report of ``reports`` in ``fmt`` (a key of :data:`MEDIA_TYPES`) as bytes."""
    from lgstandards.validation import formats

    if fmt == "html":
        from lgstandards.service.html import report_page

        return report_page(reports, lang=lang).encode("utf-8")
    now = dt.datetime.now(dt.UTC)
    invocation = formats.Invocation(None, start or now, now)
    buffer = io.StringIO()
    formats.write(reports, buffer, fmt=fmt, lang=lang, invocation=invocation)
    return buffer.getvalue().encode("utf-8")


__all__ = ["ACCEPTED", "MEDIA_TYPES", "SUFFIXES", "Upload", "accepted", "render", "validate_upload"]
