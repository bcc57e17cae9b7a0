from __future__ import annotations

import contextlib

import pytest


@pytest.fixture(scope="session", autouse=True)
def _validators_loaded_outside_pytester() -> None:
    """Import the XML and RDF validators once in this process, before any pytester run.

    pytester's in-process runs unload every module a run imported; unloading rdflib's
    and pyshacl's modules after a run that validated RDF leaves importlib.metadata
    unable to list entry points, so the next run would start without any plugin.
    Hypothesis too: its pytest plugin imports it at the end of every run, slowly.
    """
    import hypothesis  # noqa: F401

    # The same for the PostgreSQL driver and its SQLAlchemy dialect: a second copy made
    # after a run unloaded the first would not match the dialect's (see tests/exchange).
    with contextlib.suppress(ImportError):
        import psycopg  # noqa: F401
        import sqlalchemy.dialects.postgresql.psycopg  # noqa: F401

    from lgstandards.conformance import cases
    from lgstandards.validation import validate

    seen: set[str] = set()
    for case in cases():
        if case.path.suffix not in seen:
            seen.add(case.path.suffix)
            validate(case.path)
