"""The ASGI application: routes, request ids and the JSON access log.

:func:`create_app` builds one application from :class:`~.settings.Settings`. Every
response carries an ``X-Request-ID`` (the client's, when it sent a sane one); every
request is one JSON line on the ``lgstandards.service.access`` logger. Errors are
``application/problem+json`` (RFC 9457) with the request id, never a traceback.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lgstandards.service.core import Problem, Service, problem_response
from lgstandards.service.settings import Settings

#: The logger of the access log (one JSON object per request).
ACCESS_LOG = logging.getLogger("lgstandards.service.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: Request ids are this process's random prefix and a count (unique, and cheap: no
#: system call per request).
_PREFIX = uuid.uuid4().hex[:12]
_COUNT = itertools.count(1)


class RequestContext:
    """ASGI middleware: a request id on every response, a JSON access log line, no traceback."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one request (other scopes pass through)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.fullmatch(given) else f"{_PREFIX}-{next(_COUNT):x}"
        scope.setdefault("state", {})["request_id"] = request_id
        start = time.perf_counter()
        status = 500
        sent = 0
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, sent, started
            if message["type"] == "http.response.start":
                started = True
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("ascii")))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:  # a bug: one JSON 500, logged, never a traceback to the client
            logging.getLogger("lgstandards.service").exception("internal error")
            if not started:
                response = problem_response(
                    None,
                    Problem(
                        500,
                        "Internal error",
                        f"{type(exc).__name__}; please report it",
                        request_id=request_id,
                    ),
                )
                await response(scope, receive, send_with_id)
        finally:
            client = scope.get("client")
            ACCESS_LOG.info(
                json.dumps(
                    {
                        "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                        "request_id": request_id,
                        "client": client[0] if client else None,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "bytes": sent,
                        "ms": round((time.perf_counter() - start) * 1000, 2),
                    }
                )
            )


def _errors() -> dict[Any, Callable[[Request, Exception], Awaitable[Response]]]:
    from starlette.exceptions import HTTPException

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(request, exc)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return problem_response(request, Problem(exc.status_code, str(exc.detail)))

    return {Problem: on_problem, HTTPException: on_http}


def access_log_to_stderr() -> None:
    """Send the access log (one JSON line per request) to stderr, unless it has a handler."""
    if ACCESS_LOG.handlers:
        return
    import sys

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    ACCESS_LOG.addHandler(handler)
    ACCESS_LOG.setLevel(logging.INFO)
    ACCESS_LOG.propagate = False


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the service's ASGI application (settings: from the environment when None)."""
    from importlib.resources import files

    from lgstandards.service import api, gateway, web

    chosen = settings if settings is not None else Settings.from_env()
    service = Service(chosen)
    service.make_gateway = gateway.Gateway

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await anyio.to_thread.run_sync(api.warm_up)
        service.ready = True
        try:
            yield
        finally:
            service.ready = False
            service.close()

    middleware = [Middleware(RequestContext)]
    if chosen.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(chosen.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Content-Type", "Accept", "X-Request-ID"],
                expose_headers=["X-Request-ID"],
            )
        )
    static = StaticFiles(directory=str(files("lgstandards.service") / "static"))
    routes: list[BaseRoute] = [
        *api.routes(),
        *gateway.routes(),
        *web.routes(),
        Mount("/static", app=static, name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=_errors(),
        lifespan=lifespan,
    )
    app.state.service = service
    return app


__all__ = ["ACCESS_LOG", "access_log_to_stderr", "create_app"]
