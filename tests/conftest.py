"""Test-wide guards: no test may reach the network (loopback is allowed for local listeners)."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

_real_connect = socket.socket.connect


def _is_loopback(address: Any) -> bool:
    if isinstance(address, tuple) and address:
        host = address[0]
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False
    return isinstance(address, (str, bytes))  # Unix sockets


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise OSError(f"tests must not use the network (tried to connect to {address!r})")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


# The disk cache of compiled artefacts goes to a folder of this test session, never the
# user's own cache (set before any test compiles anything; a test may point it elsewhere).
if "LGSTANDARDS_CACHE_DIR" not in os.environ:
    import tempfile

    os.environ["LGSTANDARDS_CACHE_DIR"] = tempfile.mkdtemp(prefix="lgs-test-cache-")


# Timing is the benchmarks' job: on a loaded 2-core CI machine a property test's first call
# can take far longer than hypothesis's default 200 ms deadline, which is not a failure.
settings.register_profile("lgstandards", deadline=None)
# CI's gate is reproducible: the same examples on every run (a failure found there is
# found again by anyone with the same commit). Local runs draw new examples each time,
# so the suite keeps exploring; HYPOTHESIS_PROFILE=lgstandards-ci picks the CI one.
settings.register_profile("lgstandards-ci", deadline=None, derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "lgstandards"))


def _tree_state(folder: Path) -> dict[str, tuple[str, str]]:
    """Return every entry below ``folder`` (links not followed): kind and content digest."""
    state: dict[str, tuple[str, str]] = {}
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            path = Path(top, name)
            key = path.relative_to(folder).as_posix()
            if path.is_symlink():
                state[key] = ("link", os.readlink(path))
            elif path.is_dir():
                state[key] = ("dir", "")
            else:
                state[key] = ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return state


@pytest.fixture(scope="session")
def tree_state() -> Callable[[Path], dict[str, tuple[str, str]]]:
    """Return a function giving the state of a folder tree, to compare before and after."""
    return _tree_state
