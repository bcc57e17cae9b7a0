"""Cluster workers that take every CPU of their host make no helper thread.

A worker validating a large batch may run libxml2's schema check in a helper thread
(:mod:`lgstandards._threads`); where the host's worker threads take every CPU already,
a helper would only take turns with them. The run tells each task how many worker
threads its host has, and the task decides within that (``cpus_shared``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from testsupport.threads import helper_in_a_new_thread
from validation.epay_batches import batch_file

from lgstandards._threads import helper_pool, stop_helper
from lgstandards.bulk.run import _threads_per_host
from lgstandards.bulk.tasks import validate_task
from lgstandards.validation.core import make_options


def _probe(path: str, sharing: dict[str, int]) -> tuple[bool, bool]:
    """Validate ``path`` streamed in a worker thread deciding anew: (ok, helper made)."""
    stop_helper()  # this worker thread's helper of earlier tasks, if any, is forgotten
    done = validate_task(0, [path], make_options(streaming=True), sharing=sharing)
    assert helper_pool.cached_here() == 1  # asked for while streaming, within the task
    return done.reports[0].ok, helper_pool() is not None


def test_a_worker_makes_a_helper_only_where_its_hosts_workers_leave_cpus(
    client: Any, tmp_path: Path
) -> None:
    cpus = len(os.sched_getaffinity(0))
    batch = tmp_path / "batch.xml"
    batch_file(batch, 40)
    hosts = _threads_per_host(client)
    assert sum(hosts.values()) == 2  # the fixture's two single-threaded workers
    crowded = client.submit(_probe, str(batch), dict.fromkeys(hosts, cpus), pure=False).result()
    assert crowded == (True, False)
    alone = client.submit(_probe, str(batch), dict.fromkeys(hosts, 1), pure=False).result()
    assert alone == (True, cpus >= 2)
    unknown = client.submit(_probe, str(batch), {}, pure=False).result()
    assert unknown == (True, cpus >= 2)
    # nothing stays set after the tasks: a new thread here decides as one process alone
    assert (helper_in_a_new_thread() is not None) == (cpus >= 2)
