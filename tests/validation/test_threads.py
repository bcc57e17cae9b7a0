"""Threads: documents validated at once in one process get the reports they get alone.

A host application (the validation service, a web framework's thread pool) calls
``validate()`` from several threads. lxml's compiled validators keep their last run's
errors on themselves, so one shared object would hand a thread another document's
findings; each thread has its own (``lgstandards._threads.per_thread``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from epay_batches import batch_file
from testsupport import REPO
from testsupport.threads import helper_in_a_new_thread

from lgstandards._threads import begin, helper_pool, per_thread, stop_helper
from lgstandards.artefacts.catalogue import entries, rule_files
from lgstandards.artefacts.schemas import compile_lxml
from lgstandards.report import ValidationReport
from lgstandards.rules.schematron import compiled
from lgstandards.validation import validate

Key = list[tuple[str, int | None, str | None, str]]
EXAMPLES = sorted(
    p for p in (REPO / "examples").rglob("*.xml") if "exchanges" not in p.relative_to(REPO).parts
)


def _key(report: ValidationReport) -> Key:
    return sorted((i.code, i.line, i.path, i.message) for i in report.issues)


def _together(check: Callable[[Path], Key], paths: list[Path], threads: int) -> list[Key]:
    """Run ``check`` on every path from ``threads`` threads, all released at once."""
    start = threading.Barrier(threads)

    def first(path: Path) -> Key:
        with contextlib.suppress(threading.BrokenBarrierError):
            start.wait(timeout=30)
        return check(path)

    with ThreadPoolExecutor(threads) as pool:
        head = list(pool.map(first, paths[:threads]))
        return head + list(pool.map(check, paths[threads:]))


RDF_EXAMPLES = sorted(
    p for p in (REPO / "examples").rglob("*") if p.suffix in {".ttl", ".jsonld", ".rdf", ".nt"}
)


@pytest.mark.parametrize(
    ("examples", "rounds", "threads"),
    [
        pytest.param(EXAMPLES, 3, 8, id="xml-as-bytes"),
        # SHACL shapes and vocabularies are shared by the threads, never their findings
        pytest.param(RDF_EXAMPLES, 2, 6, id="rdf-as-paths"),
    ],
)
def test_every_example_validated_in_threads_gets_its_own_report(
    examples: list[Path], rounds: int, threads: int
) -> None:
    def check(path: Path) -> Key:
        return _key(validate(path.read_bytes() if path.suffix == ".xml" else path))

    alone = {path: check(path) for path in examples}
    assert any(alone.values())
    assert not all(alone.values())
    paths = examples * rounds
    for path, got in zip(paths, _together(check, paths, threads), strict=True):
        assert got == alone[path], path.relative_to(REPO)


def test_streamed_batches_in_threads_get_their_own_findings(tmp_path: Path) -> None:
    """Record schemas (streaming) are per thread too: bad and good batches at once."""
    files = [
        batch_file(tmp_path / f"batch-{n}.xml", 600, bad_every=(7 if n % 2 else 0))
        for n in range(6)
    ]

    def check(path: Path) -> Key:
        return _key(validate(path, streaming=True))

    alone = {path: check(path) for path in files}
    assert alone[files[1]]
    assert not alone[files[0]]
    for path, got in zip(files * 2, _together(check, files * 2, 4), strict=True):
        assert got == alone[path], path.name


def _schema_file() -> Path:
    return next(e.path for e in entries() if e.path.is_file() and e.path.suffix == ".xsd")


def _rules_file() -> Path:
    return rule_files()[0]


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: compile_lxml(_schema_file()), id="xsd-validator"),
        pytest.param(lambda: compiled(_rules_file()).transform, id="streamlined-stylesheet"),
        pytest.param(lambda: compiled(_rules_file()).validator, id="iso-skeleton"),
    ],
)
def test_a_thread_compiles_once_and_never_shares_what_it_runs(make: Callable[[], object]) -> None:
    """An lxml validator or stylesheet is run by the thread that compiled it only.

    A libxslt stylesheet run from two threads at once gave one of them a false EPAY-R014
    finding (libxml2 2.12, the lowest lxml allowed), as a shared XSD validator mixes
    two documents' errors.
    """
    mine = make()
    assert mine is not None
    assert make() is mine
    theirs: list[object] = []
    worker = threading.Thread(target=lambda: theirs.extend([make(), make()]))
    worker.start()
    worker.join()
    assert theirs[0] is theirs[1]
    assert theirs[0] is not mine


def test_per_thread_caches_by_arguments() -> None:
    calls: list[int] = []

    @per_thread
    def square(n: int) -> int:
        calls.append(n)
        return n * n

    assert [square(3), square(3), square(4)] == [9, 9, 16]
    assert calls == [3, 4]
    assert square.cached_here() == 2
    elsewhere: list[int] = []
    worker = threading.Thread(target=lambda: elsewhere.extend([square(3), square.cached_here()]))
    worker.start()
    worker.join()
    assert elsewhere == [9, 1]
    assert calls == [3, 4, 3]  # computed again in the other thread
    square.cache_clear()
    assert square.cached_here() == 0
    assert square(4) == 16
    assert calls == [3, 4, 3, 4]


def test_begin_returns_once_the_helper_runs_the_task_and_its_wait_gives_the_outcome() -> None:
    """The task runs in the pool's thread (begun before ``begin`` returns); the wait
    gives its result or raises its exception; without a pool it runs at once."""
    pool = ThreadPoolExecutor(1)
    release = threading.Event()
    seen: list[int] = []

    def task(value: int) -> int:
        seen.append(threading.get_ident())
        release.wait(5)
        return value * 2

    wait = begin(pool, task, 21)
    assert seen
    assert seen[0] != threading.get_ident()
    release.set()
    assert wait() == 42

    def fail() -> None:
        raise ValueError("in the task")

    for where in (pool, None):
        failing = begin(where, fail)
        with pytest.raises(ValueError, match="in the task"):
            failing()
    here = begin(None, task, 1)
    assert seen[-1] == threading.get_ident()
    assert here() == 2
    pool.shutdown()


def test_each_thread_has_its_own_helper_kept_for_its_later_tasks() -> None:
    import os

    mine = helper_pool()
    assert helper_pool() is mine
    if len(os.sched_getaffinity(0)) >= 2:
        assert mine is not None
    theirs: list[object] = []
    thread = threading.Thread(target=lambda: theirs.append(helper_pool()))
    thread.start()
    thread.join()
    assert theirs[0] is not mine or mine is None


def test_a_stopped_helper_ends_its_thread_and_a_new_one_comes_when_asked() -> None:
    """The command line stops its helper before leaving (no thread left to wait for)."""

    def in_thread() -> list[object]:
        pool = helper_pool()
        if pool is None:  # one usable CPU: no helper
            return [None, None, None]
        helper = begin(pool, threading.current_thread)()
        assert helper.is_alive()
        stop_helper()
        return [pool, helper.is_alive(), helper_pool()]

    out: list[list[object]] = []
    thread = threading.Thread(target=lambda: out.append(in_thread()))
    thread.start()
    thread.join()
    pool, alive, again = out[0]
    if pool is not None:
        assert alive is False
        assert again is not None
        assert again is not pool


def test_the_switch_interval_is_short_while_helper_tasks_run_then_put_back() -> None:
    """A task's libxml2 error callbacks get the GIL within QUICK_SWITCH, not 5 ms; the
    process's interval is put back when the last task running ends."""
    import sys

    from lgstandards._threads import QUICK_SWITCH

    before = sys.getswitchinterval()
    pools = [ThreadPoolExecutor(1), ThreadPoolExecutor(1)]
    release = [threading.Event(), threading.Event()]
    seen: list[float] = []

    def task(index: int) -> None:
        seen.append(sys.getswitchinterval())
        release[index].wait(5)

    first = begin(pools[0], task, 0)
    second = begin(pools[1], task, 1)
    quick = pytest.approx(min(before, QUICK_SWITCH))  # (kept in microseconds)
    assert sys.getswitchinterval() == quick
    release[0].set()
    first()
    assert sys.getswitchinterval() == quick  # the second still runs
    release[1].set()
    second()
    assert sys.getswitchinterval() == pytest.approx(before)
    assert seen == [quick, quick]
    for pool in pools:
        pool.shutdown()


def test_a_task_begun_without_waiting_runs_later_with_the_interval_short_meanwhile() -> None:
    """``begin(..., wait=False)`` returns before the task starts (the caller goes on at
    once); the switch interval is short from then until the task ends, then put back,
    and the task's result or exception comes from the waiting."""
    import sys

    from lgstandards._threads import QUICK_SWITCH

    before = sys.getswitchinterval()
    quick = pytest.approx(min(before, QUICK_SWITCH))
    pool = ThreadPoolExecutor(1)
    gate, started = threading.Event(), threading.Event()
    pool.submit(gate.wait, 5)  # the pool's thread is busy: the task cannot start yet

    def task(value: int) -> int:
        started.set()
        if value < 0:
            raise ValueError(value)
        return value * 2

    try:
        pending = begin(pool, task, 21, wait=False)
        assert not started.is_set()  # returned before the task began
        assert sys.getswitchinterval() == quick
        gate.set()
        assert pending() == 42
        assert sys.getswitchinterval() == pytest.approx(before)
        failing = begin(pool, task, -1, wait=False)
        with pytest.raises(ValueError, match="-1"):
            failing()
        assert sys.getswitchinterval() == pytest.approx(before)
    finally:
        gate.set()
        pool.shutdown()


def test_worker_processes_sharing_the_cpus_get_no_helper() -> None:
    """A pool of workers that takes every CPU leaves helpers out (they would take turns)."""
    import os

    from lgstandards import _threads

    cpus = len(os.sched_getaffinity(0))
    try:
        _threads.share_cpus(cpus)  # as many workers as CPUs
        assert helper_in_a_new_thread() is None
        _threads.share_cpus(1)
        assert (helper_in_a_new_thread() is None) == (cpus < 2)
    finally:
        _threads.share_cpus(1)
