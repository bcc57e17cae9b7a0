"""What the routes share: problems (errors), the limits, reading bodies within them.

Errors are ``application/problem+json`` (RFC 9457) with the request id. Blocking work
runs in worker threads, at most ``concurrency`` at once, each request bounded by
``timeout`` seconds (waiting included); bodies above ``max_body`` bytes are refused
with 413 before they are read whole.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Message

from lgstandards.service.settings import Settings

_T = TypeVar("_T")

#: The logger of the access log (one JSON object per request).
ACCESS_LOG = logging.getLogger("lgstandards.service.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class Problem(Exception):
    """An HTTP error with a title and a detail, answered as ``application/problem+json``."""

    def __init__(self, status: int, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status, self.title, self.detail, self.extra = status, title, detail, extra


def problem_response(request: Request | None, problem: Problem) -> Response:
    """Return ``problem`` as an RFC 9457 problem document."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": problem.title,
        "status": problem.status,
        **({"detail": problem.detail} if problem.detail else {}),
        **problem.extra,
    }
    if request is not None:
        body["request_id"] = request.scope.get("state", {}).get("request_id")
    headers = {"Retry-After": "1"} if problem.status == 503 else None
    return JSONResponse(
        body, status_code=problem.status, media_type="application/problem+json", headers=headers
    )


class _Abandoned(Exception):
    """Work whose request was answered before a slot was free (nobody waits for it)."""


class Service:
    """What the routes share: the settings, the limiter of validations, the gateway."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        #: The slots of work in progress: a thread holds one while it works, also after
        #: its request was answered 503 (threads cannot be stopped).
        self.slots = threading.BoundedSemaphore(settings.concurrency)
        self._limiter: anyio.CapacityLimiter | None = None
        self.ready = False
        self._gateway: Any = None
        #: Makes the test gateway from the settings (set by the application).
        self.make_gateway: Callable[[Settings], Any] | None = None

    @property
    def limiter(self) -> anyio.CapacityLimiter:
        """The limiter of worker threads in use (made in the event loop that uses it)."""
        if self._limiter is None:
            self._limiter = anyio.CapacityLimiter(4 * self.settings.concurrency)
        return self._limiter

    async def run(self, function: Callable[..., _T], *args: Any, **kwargs: Any) -> _T:
        """Run blocking work in a worker thread, within the limits; 503 past the time limit.

        At most ``concurrency`` pieces of work run at once; the others wait for a slot,
        within the time limit. A thread cannot be stopped: past the limit the client
        gets its 503 at once, and work already running finishes behind it, its slot
        still taken (so slow work cannot pile up beyond ``concurrency``); work still
        waiting for a slot is dropped.
        """
        abandoned = threading.Event()

        def work() -> _T:
            with self.slots:
                if abandoned.is_set():
                    raise _Abandoned
                return function(*args, **kwargs)

        try:
            with anyio.fail_after(self.settings.timeout):
                return await anyio.to_thread.run_sync(
                    work, limiter=self.limiter, abandon_on_cancel=True
                )
        except TimeoutError:
            abandoned.set()
            raise Problem(
                503,
                "Time limit",
                f"the request took longer than the service's limit of {self.settings.timeout:g}s",
            ) from None

    @property
    def gateway(self) -> Any:
        """The GovTalk test gateway (its ledger opened on first use, by ``make_gateway``)."""
        if self._gateway is None:
            if self.make_gateway is None:
                raise Problem(404, "No gateway", "this service has no test gateway")
            self._gateway = self.make_gateway(self.settings)
        return self._gateway

    def close(self) -> None:
        """Close the gateway's ledger."""
        if self._gateway is not None:
            self._gateway.close()
            self._gateway = None


def service_of(request: Request) -> Service:
    """Return the :class:`Service` of the application handling ``request``."""
    found: Service = request.app.state.service
    return found


async def read_body(request: Request) -> bytes:
    """Read the request's body, refusing (413) more than the service's ``max_body`` bytes."""
    limit = service_of(request).settings.max_body
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise Problem(413, "Body too large", f"the service takes at most {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Problem(413, "Body too large", f"the service takes at most {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def replayed(request: Request, body: bytes) -> Request:
    """Return a request whose body (already read, within the limit) is ``body``."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


__all__ = ["Problem", "Service", "problem_response", "read_body", "replayed", "service_of"]
