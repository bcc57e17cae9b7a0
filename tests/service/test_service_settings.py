"""The service's settings (arguments, environment), CORS when configured, and ``serve``."""

from __future__ import annotations

import anyio
import httpx
import pytest
from click.testing import CliRunner

from lgstandards.cli import cli
from lgstandards.service.application import create_app
from lgstandards.service.settings import ENV_PREFIX, Settings


def test_settings_round_trip_through_the_environment() -> None:
    settings = Settings(
        max_body=1234,
        timeout=2.5,
        concurrency=3,
        inline_bytes=0,
        ledger="ledger.sqlite",
        keep_documents=True,
        retention_days=7,
        poll_interval=5,
        cors_origins=("https://a.example", "https://b.example"),
    )
    assert Settings.from_env(settings.to_env()) == settings
    assert Settings.from_env({}) == Settings()
    assert all(key.startswith(ENV_PREFIX) for key in settings.to_env())


@pytest.mark.parametrize(
    "wrong",
    [
        {"max_body": 0},
        {"timeout": 0},
        {"concurrency": 0},
        {"inline_bytes": -1},
        {"poll_interval": -1},
        {"keep_documents": True},
    ],
)
def test_wrong_settings_are_refused(wrong: dict[str, object]) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each says which setting
        Settings(**wrong)  # type: ignore[arg-type]


def _get(app: object, path: str, headers: dict[str, str]) -> httpx.Response:
    async def fetch() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path, headers=headers)

    return anyio.run(fetch)


def test_cors_only_for_the_configured_origins() -> None:
    app = create_app(Settings(cors_origins=("https://allowed.example",)))
    allowed = _get(app, "/api/v1/kinds", {"origin": "https://allowed.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://allowed.example"
    other = _get(app, "/api/v1/kinds", {"origin": "https://other.example"})
    assert "access-control-allow-origin" not in other.headers
    closed = _get(create_app(Settings()), "/api/v1/kinds", {"origin": "https://allowed.example"})
    assert "access-control-allow-origin" not in closed.headers


def test_readyz_is_503_until_the_engine_is_loaded() -> None:
    response = _get(create_app(Settings()), "/readyz", {})  # no lifespan run: not ready
    assert response.status_code == 503


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--workers", "2"],  # the gateway needs a shared ledger
        ["serve", "--max-body", "0"],
        ["serve", "--port", "70000"],
    ],
)
def test_serve_usage_errors(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_serve_is_listed_with_its_help() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output
    assert "serve" in CliRunner().invoke(cli, ["--help"]).output
