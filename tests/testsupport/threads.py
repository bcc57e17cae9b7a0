"""What a new thread is given: helper threads are decided per thread, at its first ask."""

from __future__ import annotations

import threading

from lgstandards._threads import helper_pool


def helper_in_a_new_thread() -> object:
    """Return the helper pool (or None) that a thread started now gets for itself."""
    found: list[object] = []
    thread = threading.Thread(target=lambda: found.append(helper_pool()))
    thread.start()
    thread.join()
    return found[0]
