"""Fixtures of the exchange tests: the same suite runs on SQLite and on a real PostgreSQL.

The PostgreSQL cluster is a throw-away one started from Debian's binaries for the test
session (see pgcluster.py). Without them the PostgreSQL tests fail, naming the package
to install, unless LGSTANDARDS_SKIP_POSTGRESQL=1 is set (a developer's opt-out).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pgcluster import OPT_OUT, Cluster, ClusterUnavailable

# pytester's in-process runs (test_cases.py) unload every module a run imported. Were the
# PostgreSQL driver first imported inside one, later ledgers would pair SQLAlchemy's
# dialect with a second copy of psycopg: its errors pass unwrapped and its Binary cannot
# be adapted. Importing both here, before any run, keeps one copy.
with contextlib.suppress(ImportError):
    import psycopg  # noqa: F401
    import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401

LEDGERS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for the session (fails, or skips when opted out, without it)."""
    try:
        cluster = Cluster.start()
    except ClusterUnavailable as exc:
        if os.environ.get(OPT_OUT) == "1":
            pytest.skip(str(exc))
        pytest.fail(str(exc), pytrace=False)
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(params=LEDGERS)
def ledger_kind(request: pytest.FixtureRequest) -> str:
    """The kind of ledger a test runs on: sqlite or postgresql."""
    return str(request.param)


@pytest.fixture
def new_ledger(ledger_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> object:
    """Return a function giving a new, empty ledger URL of the test's kind at each call."""
    count = iter(range(1_000_000))

    def make() -> str:
        if ledger_kind == "sqlite":
            return str(tmp_path / f"ledger-{next(count)}.db")
        cluster: Cluster = request.getfixturevalue("pg_cluster")
        return cluster.new_database()

    return make


@pytest.fixture
def ledger(new_ledger: object) -> str:
    """An empty ledger of the test's kind (a SQLite file, or a new PostgreSQL database)."""
    assert callable(new_ledger)
    return str(new_ledger())
