"""``lgstandards serve``: run the validation service (uvicorn) on this machine."""

from __future__ import annotations

import os

import click

from lgstandards.service.settings import Settings

_DEFAULT = Settings()


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--ledger",
    help="The test gateway's exchange ledger: a SQLite file or postgresql://... "
    "(default: in memory, so each worker has its own).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes (more than one needs --ledger for the test gateway).",
)
@click.option(
    "--max-body",
    type=click.IntRange(min=1),
    default=_DEFAULT.max_body,
    show_default=True,
    help="Largest request body in bytes.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.001),
    default=_DEFAULT.timeout,
    show_default=True,
    help="Seconds a request may take.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(min=1),
    default=_DEFAULT.concurrency,
    show_default=True,
    help="Documents validated at once per worker.",
)
@click.option(
    "--poll-interval",
    type=click.IntRange(min=0),
    default=_DEFAULT.poll_interval,
    show_default=True,
    help="Seconds the test gateway asks clients to wait before polling.",
)
@click.option(
    "--response-days",
    type=click.IntRange(min=1),
    default=_DEFAULT.response_days,
    show_default=True,
    help="Days the test gateway keeps a response the client never deletes.",
)
@click.option(
    "--keep-documents",
    type=click.IntRange(min=1),
    metavar="DAYS",
    help="Keep submitted documents in the ledger for DAYS days (default: keep none).",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="An origin whose pages may call the API (repeatable; default: CORS off).",
)
@click.option("--log-level", default="info", show_default=True, help="uvicorn's log level.")
def serve(
    host: str,
    port: int,
    ledger: str | None,
    workers: int,
    max_body: int,
    timeout: float,
    concurrency: int,
    poll_interval: int,
    response_days: int,
    keep_documents: int | None,
    cors_origins: tuple[str, ...],
    log_level: str,
) -> None:
    """Run the validation service: the HTTP API, the GovTalk test gateway and the web page.

    It listens on 127.0.0.1 unless --host says otherwise. Every request is one JSON line
    on stderr (the access log).

    Example: lgstandards serve --port 8080

    Example: lgstandards serve --workers 2 --ledger gateway.sqlite
    """
    try:
        import uvicorn
    except ImportError:  # pragma: no cover - the [service] extra is missing
        raise click.ClickException(
            "the service needs its extra: pip install 'lgstandards[service]'"
        ) from None
    if workers > 1 and ledger is None:
        raise click.BadParameter(
            "more than one worker needs a shared ledger for the test gateway (--ledger FILE)",
            param_hint="--workers",
        )
    try:
        settings = Settings(
            max_body=max_body,
            timeout=timeout,
            concurrency=concurrency,
            ledger=ledger,
            keep_documents=keep_documents is not None,
            retention_days=keep_documents,
            poll_interval=poll_interval,
            response_days=response_days,
            cors_origins=cors_origins,
        )
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    os.environ.update(settings.to_env())  # the workers read them (lgstandards.service:app)
    uvicorn.run(
        "lgstandards.service:app",
        host=host,
        port=port,
        workers=workers,
        access_log=False,
        log_level=log_level,
        timeout_graceful_shutdown=5,
    )


__all__ = ["serve"]
