"""The web page: upload files, read the report, download it; the gateway's submissions.

The page is plain HTML forms (it works without JavaScript; ``static/app.js`` adds drag
and drop). Nothing is kept: the downloads are ``data:`` links in the page, and the
button that shows the report in the other language posts the documents again from
hidden fields of the page.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from lgstandards.report import ValidationReport
from lgstandards.service.api import options_of, uploads_of
from lgstandards.service.core import Problem, read_body, service_of
from lgstandards.service.html import lang_of, render_page, results_values
from lgstandards.service.reports import Upload, render, validate_upload
from lgstandards.validation.core import Options

_HTML = "text/html; charset=utf-8"


def _kinds() -> list[str]:
    from lgstandards.artefacts.kinds import RDF_KIND
    from lgstandards.validation.profile import current_profile

    return sorted({*current_profile().all_kinds(), RDF_KIND})


async def home(request: Request) -> Response:
    """GET /: the upload form."""
    page = render_page(
        "index.html", request, documents=[], error=None, carried=[], kinds=_kinds(), kind=""
    )
    return HTMLResponse(page)


def _carried(values: list[str]) -> list[Upload]:
    """Return the documents a page carried in its hidden fields (to show them in Welsh)."""
    found = []
    for value in values:
        try:
            item = json.loads(value)
            found.append(Upload(str(item["name"]), base64.b64decode(item["data"], validate=True)))
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise Problem(400, "Bad form", "a carried document is not readable") from None
    return found


def _check(
    uploads: list[Upload], options: Options, lang: str
) -> tuple[list[ValidationReport], dict[str, bytes]]:
    reports = [validate_upload(u, options) for u in uploads]
    start = dt.datetime.now(dt.UTC)
    downloads = {
        fmt: render(reports, fmt, lang=lang, start=start) for fmt in ("sarif", "junit", "json")
    }
    from lgstandards.service.html import report_page

    sources = _sources(uploads)
    downloads["html"] = report_page(reports, lang=lang, sources=sources).encode("utf-8")
    return reports, downloads


def _sources(uploads: list[Upload]) -> dict[str, bytes]:
    return {u.name: u.data for u in uploads}


async def upload(request: Request) -> Response:
    """POST /: check the uploaded files and show the report (400 page when none was chosen)."""
    service = service_of(request)
    body = await read_body(request)
    uploads, pairs = await uploads_of(request, body)
    uploads += _carried([value for key, value in pairs if key == "carried"])
    fields = dict(pairs)
    lang = lang_of(request, fields.get("lang"))
    kind = fields.get("kind") or ""
    if not uploads:
        page = render_page(
            "index.html",
            request,
            lang=lang,
            documents=[],
            error=render_page_word(lang, "no_file"),
            carried=[],
            kinds=_kinds(),
            kind=kind,
        )
        return HTMLResponse(page, status_code=400)
    options, lang = options_of(request, {"lang": lang, "kind": kind, "as_of": fields.get("as_of")})
    reports, downloads = await service.run(_check, uploads, options, lang)
    values = results_values(reports, lang=lang, sources=_sources(uploads), downloads=downloads)
    page = render_page(
        "index.html", request, lang=lang, error=None, kinds=_kinds(), kind=kind, **values
    )
    return HTMLResponse(page)


def render_page_word(lang: str, key: str) -> str:
    """Return one word of the interface."""
    from lgstandards.service.html import WORDS

    return WORDS[lang][key]


async def gateway_page(request: Request) -> Response:
    """GET /gateway: the test gateway's recent submissions, per sender, with their state."""
    service = service_of(request)
    rows = await service.run(service.gateway.recent)
    senders: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        senders.setdefault(str(row["sender"] or "-"), []).append(row)
    page = render_page("gateway.html", request, senders=sorted(senders.items()))
    return Response(page, media_type=_HTML)


def routes() -> list[BaseRoute]:
    """Return the web page's routes."""
    return [
        Route("/", home, methods=["GET"]),
        Route("/", upload, methods=["POST"]),
        Route("/gateway", gateway_page, methods=["GET"]),
    ]


__all__ = ["routes"]
