"""Fixtures of the service tests: one live service per session (per xdist worker)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from service_support import MAX_BODY, Server, start_server, stop_server


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One live service for the session (per xdist worker): poll interval 0, 2 MiB bodies."""
    log = tmp_path_factory.mktemp("service") / "server.log"
    found = start_server(
        log, "--poll-interval", "0", "--max-body", str(MAX_BODY), "--concurrency", "2"
    )
    yield found
    stop_server(found)


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as session:
        yield session
