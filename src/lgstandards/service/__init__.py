"""The validation service: an HTTP API, a GovTalk test gateway and a web page.

Run it with ``lgstandards serve`` (uvicorn), or give ``lgstandards.service:app`` to any
ASGI server; the app reads its settings from ``LGSTANDARDS_SERVICE_*`` variables
(:class:`~lgstandards.service.settings.Settings`). Build an app with other settings
with :func:`~lgstandards.service.application.create_app`. Needs the ``[service]`` extra
(Starlette, uvicorn, python-multipart, Jinja2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.applications import Starlette

_app: Starlette | None = None


def __getattr__(name: str) -> Any:
    """Build :data:`app` on first use (importing the package stays cheap)."""
    global _app
    if name == "app":
        if _app is None:
            from lgstandards.service.application import access_log_to_stderr, create_app

            access_log_to_stderr()
            _app = create_app()
        return _app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["app"]
