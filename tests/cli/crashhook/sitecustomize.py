"""Test-only hooks for the CLI's subprocess tests; never part of the package.

Python imports ``sitecustomize`` at start-up from PYTHONPATH, so a test that puts this
folder there reaches every process of a run, pool workers included:

* ``LGSTANDARDS_TEST_CRASH=<mode>:<marker>``: validating a file whose path contains
  ``<marker>`` kills the process: ``segfault`` (a NULL read through ctypes), ``exit``
  (``os._exit(3)``), ``kill`` (SIGKILL, as the out-of-memory killer does) or ``raise``
  (a Python exception, a bug in a layer).
* ``LGSTANDARDS_TEST_FORKS=<file>``: every process forked appends its pid to ``<file>``.
"""

from __future__ import annotations

import os
from typing import Any


def _crash(mode: str) -> None:
    if mode == "segfault":
        import ctypes

        ctypes.string_at(0)
    elif mode == "exit":
        os._exit(3)
    elif mode == "kill":
        import signal

        os.kill(os.getpid(), signal.SIGKILL)
    raise RuntimeError("crash hook: a layer failed")


def _install_crash(spec: str) -> None:
    import lgstandards.validation.batch as batch

    mode, _, marker = spec.partition(":")
    real = batch.run

    def run(source: Any, options: Any, name: str | None = None) -> Any:
        if marker in str(source):
            _crash(mode)
        return real(source, options, name)

    batch.run = run


def _record_forks(path: str) -> None:
    def record() -> None:
        with open(path, "a", encoding="ascii") as log:
            log.write(f"{os.getpid()}\n")

    os.register_at_fork(after_in_child=record)


if os.environ.get("LGSTANDARDS_TEST_CRASH"):
    _install_crash(os.environ["LGSTANDARDS_TEST_CRASH"])
if os.environ.get("LGSTANDARDS_TEST_FORKS"):
    _record_forks(os.environ["LGSTANDARDS_TEST_FORKS"])
