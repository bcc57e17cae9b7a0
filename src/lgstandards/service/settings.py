"""The service's settings: limits, ledger, CORS; from arguments or ``LGSTANDARDS_SERVICE_*``."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

#: The prefix of the environment variables that configure ``lgstandards.service:app``.
ENV_PREFIX = "LGSTANDARDS_SERVICE_"


@dataclass(frozen=True, slots=True)
class Settings:
    """How one service process behaves.

    ``max_body``: the largest request body in bytes (413 above it); ``timeout``: seconds
    a request may wait for and spend in validation (503 after it); ``concurrency``: how
    many documents are validated at once (the others wait, within ``timeout``);
    ``inline_bytes``: a request body up to this size is validated in the event loop
    itself, without the trip to a worker thread (small documents take well under a
    millisecond; the trip and the contention for the interpreter cost more); 0 sends
    every document to a thread;
    ``ledger``: the exchange ledger of the GovTalk test gateway (None: in memory, so
    per process); ``keep_documents`` and ``retention_days``: whether that ledger keeps
    submitted documents, and how long; ``poll_interval``: the seconds the gateway asks
    a client to wait before polling; ``response_days``: how long the gateway keeps a
    submission's record and its prepared response when the client never deletes it
    (a later poll for it is refused as unknown, COM-R003); ``cors_origins``: origins
    allowed to call the API from a browser (none: CORS off). Rule ids link to the documentation at
    ``LGSTANDARDS_DOCS_URL`` (as in the CLI's reports).
    """

    max_body: int = 5 * 1024 * 1024
    timeout: float = 30.0
    concurrency: int = 4
    inline_bytes: int = 16 * 1024
    ledger: str | None = None
    keep_documents: bool = False
    retention_days: int | None = None
    poll_interval: int = 2
    response_days: int = 30
    cors_origins: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        if self.max_body < 1:
            raise ValueError("max_body must be at least 1 byte")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.inline_bytes < 0:
            raise ValueError("inline_bytes must not be negative")
        if self.poll_interval < 0:
            raise ValueError("poll_interval must not be negative")
        if self.response_days < 1:
            raise ValueError("response_days must be at least 1")
        if self.keep_documents and not self.retention_days:
            raise ValueError("keep_documents needs a retention period in days")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from ``LGSTANDARDS_SERVICE_MAX_BODY``, ``..._TIMEOUT`` ... ."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in fields(cls):
            raw = env.get(ENV_PREFIX + item.name.upper())
            if raw is None or raw == "":
                continue
            if item.name == "cors_origins":
                values[item.name] = tuple(o.strip() for o in raw.split(",") if o.strip())
            elif item.name in (
                "max_body",
                "concurrency",
                "inline_bytes",
                "poll_interval",
                "response_days",
                "retention_days",
            ):
                values[item.name] = int(raw)
            elif item.name == "timeout":
                values[item.name] = float(raw)
            elif item.name == "keep_documents":
                values[item.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[item.name] = raw
        return cls(**values)

    def to_env(self) -> dict[str, str]:
        """Return the environment variables that give these settings (for worker processes)."""
        env: dict[str, str] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value is None:
                continue
            if isinstance(value, tuple):
                value = ",".join(value)
            elif isinstance(value, bool):
                value = "1" if value else "0"
            env[ENV_PREFIX + item.name.upper()] = str(value)
        return env

    def but(self, **changes: Any) -> Settings:
        """Return a copy with ``changes``."""
        return replace(self, **changes)


__all__ = ["ENV_PREFIX", "Settings"]
