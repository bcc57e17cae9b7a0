"""Validate any document the standards cover: one entry point, one report shape.

    >>> from lgstandards.validate import validate
    >>> report = validate(b"<not-closed>")
    >>> report.ok, report.codes()
    (False, ['xml.truncated'])

Layers, each adding issues to one :class:`~lgstandards.report.ValidationReport`: safe
parsing (``xml.*``), kind detection from the root element, XSD (``xsd.*``), business
rules (``rule.*``), vocabulary cross-checks (``vocab.*``); for RDF documents, SHACL
(``shacl.*``) and the same cross-checks of esd URIs. Batch files are streamed in
constant memory above :data:`~lgstandards.validate.engine.STREAM_THRESHOLD` bytes.
"""

from __future__ import annotations

import datetime as dt
import sys
import types
from collections.abc import Collection, Iterator
from typing import Any

from lgstandards.report import Issue, ValidationReport
from lgstandards.safexml import Limits, Source, source_name
from lgstandards.validate.engine import RDF_KIND, iter_document, make_options, run


def validate(
    source: Source,
    *,
    kind: str | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    streaming: bool | None = None,
    limits: Limits | None = None,
    checks: Collection[str] | None = None,
) -> ValidationReport:
    """Validate one document (path, bytes or binary stream) and return its report.

    ``kind`` forces the document kind (otherwise detected from the root element);
    ``as_of`` dates the vocabulary cross-checks (otherwise the message's own date);
    ``streaming`` forces (True) or forbids (False) streaming of batch files, None
    deciding by size; ``limits`` bounds untrusted input; ``checks`` picks layers among
    ``xsd``, ``rules`` and ``vocab`` (all by default). ``lang`` (``en`` or ``cy``) is
    checked here and used when the report is formatted; issues carry both languages.
    Problems in the document are issues, never exceptions.
    """
    options = make_options(
        kind=kind, lang=lang, as_of=as_of, streaming=streaming, limits=limits, checks=checks
    )
    return run(source, options)


def is_valid(
    source: Source,
    *,
    kind: str | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    streaming: bool | None = None,
    limits: Limits | None = None,
    checks: Collection[str] | None = None,
) -> bool:
    """Return True when the document has no error (warnings allowed)."""
    return validate(
        source,
        kind=kind,
        lang=lang,
        as_of=as_of,
        streaming=streaming,
        limits=limits,
        checks=checks,
    ).ok


def iter_issues(
    source: Source,
    *,
    kind: str | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    streaming: bool | None = None,
    limits: Limits | None = None,
    checks: Collection[str] | None = None,
) -> Iterator[Issue]:
    """Yield the document's issues as each layer finds them (streamed batches: per record)."""
    options = make_options(
        kind=kind, lang=lang, as_of=as_of, streaming=streaming, limits=limits, checks=checks
    )
    yield from iter_document(source, options, name=source_name(source))


class _CallableModule(types.ModuleType):
    """Make the package callable: ``lgstandards.validate(source, ...)`` is :func:`validate`."""

    def __call__(self, source: Source, **kwargs: Any) -> ValidationReport:
        return validate(source, **kwargs)


sys.modules[__name__].__class__ = _CallableModule

__all__ = ["RDF_KIND", "Limits", "is_valid", "iter_issues", "validate"]
