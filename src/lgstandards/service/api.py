"""The HTTP API under ``/api/v1``: validate, kinds, rules and the vocabularies as Linked Data."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from lgstandards._text import shorten
from lgstandards.report import ValidationReport
from lgstandards.service.core import Problem, read_body, replayed, service_of
from lgstandards.service.reports import (
    ACCEPTED,
    MEDIA_TYPES,
    SUFFIXES,
    Upload,
    accepted,
    render,
    validate_upload,
)
from lgstandards.validation.core import Options

#: The name of a document sent as the whole body, when the request names none.
BODY_NAME = "document"
#: The most documents one multipart request may carry.
MAX_FILES = 100
#: The Linked Data formats of the vocabulary routes, by media type.
LD_TYPES = {
    "application/json": "json",
    "application/ld+json": "jsonld",
    "text/turtle": "turtle",
    "text/html": "html",
    "application/xhtml+xml": "html",
}
LD_MEDIA = {
    "json": "application/json",
    "jsonld": "application/ld+json",
    "turtle": "text/turtle; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


def warm_up() -> None:
    """Load the engine, schemas and rules once, so the first request is not slow."""
    from lgstandards.validation import validate

    validate(b'<?xml version="1.0"?><warm-up/>')


def choose(request: Request, types: dict[str, str], default: str) -> str:
    """Return the format a request asks for: ``?format=``, else its ``Accept`` header (406)."""
    allowed = sorted(set(types.values()))
    given = request.query_params.get("format")
    if given is not None:
        if given not in allowed:
            raise Problem(400, "Unknown format", f"format must be one of {', '.join(allowed)}")
        return given
    found = accepted(request.headers.get("accept"), types, default)
    if found is None:
        media = sorted(t for t in types if types[t] in allowed)
        raise Problem(406, "Not acceptable", f"this resource is served as {', '.join(media)}")
    return found


def options_of(request: Request, params: Any = None) -> tuple[Options, str]:
    """Return the validation options of ``kind``, ``as_of`` and ``lang`` (400 when wrong)."""
    from lgstandards.exceptions import SchemaNotFoundError
    from lgstandards.validation.core import make_options

    given = params if params is not None else request.query_params
    lang = str(given.get("lang") or "en")
    if lang not in ("en", "cy"):
        raise Problem(400, "Unknown language", "lang must be en or cy")
    kind = str(given.get("kind") or "") or None
    raw_date = str(given.get("as_of") or "") or None
    try:
        as_of = dt.date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise Problem(
            400, "Not a date", f"as_of {shorten(repr(raw_date))} is not a date (YYYY-MM-DD)"
        ) from None
    try:
        return make_options(kind=kind, lang=lang, as_of=as_of), lang
    except SchemaNotFoundError:
        raise Problem(
            400, "Unknown kind", f"no document kind named {shorten(repr(kind))}"
        ) from None


async def uploads_of(request: Request, body: bytes) -> tuple[list[Upload], list[tuple[str, str]]]:
    """Return the documents of a request (one body, or the files of a multipart form).

    Also returns the form's other fields, in order (a multipart form's; none for a body).
    """
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        name = request.query_params.get("name") or BODY_NAME
        return [Upload(name, body)], []
    from starlette.formparsers import MultiPartException

    try:
        form = await replayed(request, body).form(
            max_files=MAX_FILES, max_fields=100, max_part_size=len(body) + 1
        )
    except MultiPartException as exc:
        raise Problem(400, "Bad multipart body", exc.message) from None
    uploads: list[Upload] = []
    fields: list[tuple[str, str]] = []
    try:
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename == "" and value.size == 0:
                    continue  # a file input left empty
                uploads.append(Upload(value.filename or key, await value.read()))
            else:
                fields.append((key, value))
    finally:
        await form.close()
    return uploads, fields


async def validate_endpoint(request: Request) -> Response:
    """POST /api/v1/validate: the report of one document or several, in the format asked."""
    service = service_of(request)
    fmt = choose(request, ACCEPTED, "json")
    body = await read_body(request)
    uploads, fields = await uploads_of(request, body)
    params = {**dict(fields), **dict(request.query_params.items())}
    options, lang = options_of(request, params)
    if not uploads:
        raise Problem(400, "No document", "send a document as the body or as multipart files")
    if len(body) <= service.settings.inline_bytes:  # small: no trip to a thread
        reports, data = _validate_and_render(uploads, options, fmt, lang)
    else:
        reports, data = await service.run(_validate_and_render, uploads, options, fmt, lang)
    headers = {
        "X-Lgstandards-Valid": "true" if all(r.ok for r in reports) else "false",
        "Content-Disposition": f'inline; filename="report{SUFFIXES[fmt]}"',
    }
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=headers)


def _validate_and_render(
    uploads: list[Upload], options: Options, fmt: str, lang: str
) -> tuple[list[ValidationReport], bytes]:
    """Validate the uploads and write their report (one trip to a worker thread)."""
    start = dt.datetime.now(dt.UTC)
    reports = [validate_upload(u, options) for u in uploads]
    return reports, render(reports, fmt, lang=lang, start=start)


async def kinds_endpoint(request: Request) -> Response:
    """GET /api/v1/kinds: the document kinds the validator knows."""
    from lgstandards.artefacts.kinds import RDF_KIND
    from lgstandards.validation.profile import current_profile

    return JSONResponse({"kinds": sorted({*current_profile().all_kinds(), RDF_KIND})})


def rule_data(code: str) -> dict[str, Any]:
    """Return an issue code's registry entry (``EPAY-R001`` is ``rule.EPAY-R001``); 404."""
    from lgstandards.codes import registry
    from lgstandards.validation.formats import help_uri

    known = registry()
    entry = known.get(code) or known.get(f"rule.{code}")
    if entry is None:
        raise Problem(404, "Unknown rule", f"no issue code or rule named {shorten(repr(code))}")
    return {
        "code": entry.code,
        "severity": entry.severity.value,
        "description": entry.description,
        "description_cy": entry.description_cy,
        "documentation": help_uri(entry.code),
    }


async def rule_endpoint(request: Request) -> Response:
    """GET /api/v1/rules/{id}: an issue code or rule, as JSON or HTML."""
    fmt = choose(request, {"application/json": "json", "text/html": "html"}, "json")
    data = rule_data(request.path_params["id"])
    if fmt == "html":
        from lgstandards.service.html import render_page

        return Response(render_page("rule.html", request, rule=data), media_type=LD_MEDIA["html"])
    return JSONResponse(data)


def _concept_list(name: str) -> Any:
    from lgstandards.exceptions import UnknownListError
    from lgstandards.vocab import LIST_NAMES, get_list

    if name.casefold() not in LIST_NAMES:
        raise Problem(
            404,
            "Unknown list",
            f"no list named {shorten(repr(name))}; lists: {', '.join(LIST_NAMES)}",
        )
    try:
        return get_list(name)
    except UnknownListError as exc:
        raise Problem(404, "Unknown list", str(exc)) from None


@functools.lru_cache(maxsize=16)
def _graph(name: str) -> Any:
    from lgstandards.publish.skos import build_graph

    return build_graph(name)


def _rdf(graph: Any, fmt: str) -> bytes:
    if fmt == "turtle":
        return bytes(graph.serialize(format="turtle", encoding="utf-8"))
    return bytes(graph.serialize(format="json-ld", encoding="utf-8", auto_compact=True))


def _record_json(record: Any) -> dict[str, Any]:
    from lgstandards.vocab.concepts import record_data

    return record_data(record)


async def vocab_endpoint(request: Request) -> Response:
    """GET /api/v1/vocab/{list}: a list as JSON, JSON-LD, Turtle or HTML."""
    fmt = choose(request, LD_TYPES, "json")
    concepts = _concept_list(request.path_params["list"])
    service = service_of(request)
    if fmt in ("turtle", "jsonld"):
        graph = await service.run(_graph, concepts.name)
        data = await service.run(_rdf, graph, fmt)
        return Response(data, media_type=LD_MEDIA[fmt])
    scheme = concepts.scheme
    items = [{"code": c.code, "label": c.label, "uri": c.uri} for c in concepts]
    payload = {
        "list": concepts.name,
        "title": scheme.title,
        "version": scheme.version,
        "uri": scheme.uri,
        "count": len(items),
        "concepts": items,
    }
    if fmt == "html":
        from lgstandards.service.html import render_page

        page = render_page("vocab.html", request, vocab=payload)
        return Response(page, media_type=LD_MEDIA["html"])
    return JSONResponse(payload)


def _concept_graph(name: str, uri: str) -> Any:
    from rdflib import Graph, URIRef

    whole = _graph(name)
    found = Graph()
    for prefix, namespace in whole.namespaces():
        found.bind(prefix, namespace)
    subject = URIRef(uri)
    for triple in whole.triples((subject, None, None)):
        found.add(triple)
    return found


async def concept_endpoint(request: Request) -> Response:
    """GET /api/v1/vocab/{list}/{code}: one concept as JSON, JSON-LD, Turtle or HTML."""
    from lgstandards.exceptions import UnknownCodeError

    fmt = choose(request, LD_TYPES, "json")
    concepts = _concept_list(request.path_params["list"])
    code = request.path_params["code"]
    try:
        record = concepts.lookup(code)
    except (UnknownCodeError, KeyError, LookupError):
        raise Problem(
            404, "Unknown code", f"{concepts.name} has no concept {shorten(repr(code))}"
        ) from None
    service = service_of(request)
    if fmt in ("turtle", "jsonld"):
        graph = await service.run(_concept_graph, concepts.name, record.uri)
        data = await service.run(_rdf, graph, fmt)
        return Response(data, media_type=LD_MEDIA[fmt])
    payload = {"list": concepts.name, **_record_json(record)}
    if fmt == "html":
        from lgstandards.service.html import render_page

        page = render_page("concept.html", request, concept=payload)
        return Response(page, media_type=LD_MEDIA["html"])
    return JSONResponse(payload)


async def openapi_endpoint(request: Request) -> Response:
    """GET /api/v1/openapi.json: the OpenAPI 3.1 description of the service."""
    from lgstandards.service.openapi import document

    return JSONResponse(document())


async def healthz(request: Request) -> Response:
    """GET /healthz: the process is alive."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    """GET /readyz: the engine is loaded and the service takes requests (503 until then)."""
    ready = service_of(request).ready
    return JSONResponse(
        {"status": "ready" if ready else "starting"}, status_code=200 if ready else 503
    )


def routes() -> list[BaseRoute]:
    """Return the API's routes."""
    return [
        Route("/api/v1/validate", validate_endpoint, methods=["POST"]),
        Route("/api/v1/kinds", kinds_endpoint, methods=["GET"]),
        Route("/api/v1/rules/{id}", rule_endpoint, methods=["GET"]),
        Route("/api/v1/vocab/{list}", vocab_endpoint, methods=["GET"]),
        Route("/api/v1/vocab/{list}/{code}", concept_endpoint, methods=["GET"]),
        Route("/api/v1/openapi.json", openapi_endpoint, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]


__all__ = ["choose", "options_of", "routes", "rule_data", "uploads_of", "warm_up"]
