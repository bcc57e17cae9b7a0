"""Run the command-line interface: ``python -m lgstandards`` and the ``lgstandards`` script.

Both start at :func:`run`, which the console script names as its entry point, so the
command users type takes the same path as ``python -m``: the collector set before the
command line's modules are imported, and no interpreter teardown at the end.
"""

import sys
from typing import NoReturn


def _leave(code: int) -> None:
    """Exit with ``code`` now, without the interpreter's teardown, when nothing needs it.

    Tearing down frees every object of every module one by one, which the end of the
    process does anyway: 4% of a one-file run (mypy leaves the same way). Only when no
    exit handler is registered and no other thread runs, after flushing the standard
    streams; otherwise (or when a flush fails) this returns and Python exits as usual.
    """
    import atexit
    import os
    import threading

    from lgstandards._threads import stop_helper

    stop_helper()  # (idle by now: a large batch's schema checks had it)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    if atexit._ncallbacks() == 0 and threading.active_count() == 1:
        os._exit(code)


def run() -> NoReturn:
    """Run the command line with ``sys.argv`` and end the process with its exit code."""
    import gc

    # As lgstandards.cli.main does (COLLECT_EVERY), from before click is imported: the
    # imports' objects would otherwise be walked by about 35 collections.
    gc.set_threshold(max(gc.get_threshold()[0], 50_000), *gc.get_threshold()[1:])

    from lgstandards.cli import main

    try:
        main()
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            _leave(stop.code or 0)
        raise
    _leave(0)
    sys.exit(0)


if __name__ == "__main__":  # pragma: no cover
    run()
