"""Validate any document the standards cover: one entry point, one report shape.

    >>> from lgstandards.validation import validate
    >>> report = validate(b"<not-closed>")
    >>> report.ok, report.codes()
    (False, ['xml.truncated'])

Layers, each adding issues to one :class:`~lgstandards.report.ValidationReport`: safe
parsing (``xml.*``), kind detection from the root element, XSD (``xsd.*``), business
rules (``rule.*``), vocabulary cross-checks (``vocab.*``); for RDF documents, SHACL
(``shacl.*``) and the same cross-checks of esd URIs. Batch files are streamed in
constant memory when they are larger than the whole-document limit
(``Limits.max_bytes``; a profile's ``stream_threshold`` sets another size). A
:class:`~lgstandards.validation.profile.Profile` carries a deployment's own data (its
fund table, gateway limits, extra kinds).

The three entry points are also :func:`lgstandards.validate`, :func:`lgstandards.is_valid`
and :func:`lgstandards.iter_issues`. Importing this package is cheap: the engine, lxml and
the schemas load on the first call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from typing import TYPE_CHECKING

from lgstandards.artefacts.kinds import RDF_KIND
from lgstandards.report import Issue, ValidationReport
from lgstandards.safexml import Limits, Source

if TYPE_CHECKING:
    from lgstandards.validation.profile import Profile


def validate(
    source: Source,
    *,
    kind: str | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    streaming: bool | None = None,
    limits: Limits | None = None,
    checks: Collection[str] | None = None,
    profile: Profile | None = None,
) -> ValidationReport:
    """Validate one document (path, bytes, XML text or binary stream) and return its report.

    ``kind`` forces the document kind (otherwise detected from the root element);
    ``as_of`` dates the vocabulary cross-checks (otherwise the message's own date);
    ``streaming`` forces (True) or forbids (False) streaming of batch files, None
    deciding by size; ``limits`` bounds untrusted input; ``checks`` picks layers among
    ``xsd``, ``rules`` and ``vocab`` (all by default); ``profile`` gives the deployment's
    data (:mod:`lgstandards.validation.profile`; default: the standards' own, or the
    one of :func:`~lgstandards.validation.profile.using_profile`). ``lang`` (``en`` or
    ``cy``) is checked here and used when the report is formatted; issues carry both
    languages. A ``str`` starting with ``<`` (after a byte-order mark and whitespace)
    is XML text, any other ``str`` a path. Problems in the document are issues, never
    exceptions.
    """
    from lgstandards.validation.core import make_options
    from lgstandards.validation.engine import run

    options = make_options(
        kind=kind,
        lang=lang,
        as_of=as_of,
        streaming=streaming,
        limits=limits,
        checks=checks,
        profile=profile,
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
    profile: Profile | None = None,
) -> bool:
    """Return True when the document has no error (warnings allowed); see :func:`validate`."""
    return validate(
        source,
        kind=kind,
        lang=lang,
        as_of=as_of,
        streaming=streaming,
        limits=limits,
        checks=checks,
        profile=profile,
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
    profile: Profile | None = None,
) -> Iterator[Issue]:
    """Yield the document's issues as each layer finds them (streamed batches: per record).

    Unlike :func:`validate`, the issues are not sorted and not capped; see
    :func:`validate` for the arguments.
    """
    from lgstandards.validation.core import make_options
    from lgstandards.validation.engine import iter_document

    options = make_options(
        kind=kind,
        lang=lang,
        as_of=as_of,
        streaming=streaming,
        limits=limits,
        checks=checks,
        profile=profile,
    )
    yield from iter_document(source, options)


__all__ = ["RDF_KIND", "Limits", "is_valid", "iter_issues", "validate"]
