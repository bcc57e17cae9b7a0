"""The client side of a bulk run: hand tasks to the cluster, stream the reports back.

The client lists the files (names and sizes, :mod:`lgstandards.bulk.sources`), groups
small ones into tasks and submits a bounded window of tasks at a time: it never holds
more than the window's reports, however many files and issues the run has, and the
workers read the documents themselves. With ``ordered=True`` the reports come back in
the order of the files (as ``lgstandards validate --jobs 1`` gives them); otherwise as
they finish. A task whose worker dies is retried file by file; a file that kills its
worker again gets one ``xml.check-failed`` issue and the run goes on.

With ``cross_document=True`` each task also extracts the documents' keys
(:mod:`lgstandards.bulk.keys`), which stay on the cluster; once every file is done they
are grouped there (a Dask bag group-by, a task shuffle) and checked group by group, and
only the findings come back: one more report per document found against.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from lgstandards.bulk.keys import Found, Key, check_group
from lgstandards.bulk.sources import BATCH_BYTES, BATCH_FILES, Item, batches, expand
from lgstandards.bulk.tasks import Done, validate_task
from lgstandards.report import ValidationReport
from lgstandards.validation.batch import crashed
from lgstandards.validation.core import Options

#: Tasks in flight per worker thread (more keeps workers busy; fewer holds less).
TASKS_PER_THREAD = 4
#: Seconds to wait for a scheduler to answer.
CONNECT_SECONDS = 10
#: Groups of keys after the shuffle, per worker thread.
GROUPS_PER_THREAD = 2


def _default_options() -> Options:
    from lgstandards.validation.engine import make_options

    return make_options()


def _threads(client: Any) -> int:
    try:
        return max(1, int(sum(client.nthreads().values())))
    except Exception:  # a client that cannot say: assume one
        return 1


def _threads_per_host(client: Any) -> dict[str, int]:
    """Return the worker threads of each host of the cluster (which share its CPUs)."""
    from distributed.comm.addressing import get_address_host

    found: dict[str, int] = {}
    try:
        for address, threads in client.nthreads().items():
            host = get_address_host(address)
            found[host] = found.get(host, 0) + max(1, int(threads))
    except Exception:  # a client that cannot say: each worker decides alone
        return {}
    return found


def _failed_task(exc: BaseException, first: int, names: Sequence[str]) -> Done:
    from lgstandards.validation.layers import failure

    reports = []
    for name in names:
        report = ValidationReport(source=name)
        report.add(failure("validation", exc, source=name))
        reports.append(report)
    return Done(first, reports, [])


class _Run:
    """One bulk run's bookkeeping on the client: tasks, the window, results in order."""

    def __init__(
        self,
        client: Any,
        files: Sequence[Item],
        options: Options,
        *,
        batch_bytes: int,
        batch_files: int,
        cross_document: bool,
        window: int | None,
    ) -> None:
        self.client = client
        self.names = [item.name for item in files]
        self.options = options
        self.cross_document = cross_document
        self.today = dt.datetime.now(dt.UTC).date()
        self.tasks = list(batches(files, batch_bytes=batch_bytes, batch_files=batch_files))
        self.window = window or max(8, TASKS_PER_THREAD * _threads(client))
        #: Worker threads per host: a worker makes helper threads only where they have
        #: CPUs to run on (:func:`lgstandards._threads.cpus_shared`).
        self.sharing = _threads_per_host(client)
        #: The futures of each task's keys (kept on the cluster until the group-by).
        self.keys: dict[int, Any] = {}

    def _submit(self, task: int) -> Any:
        """Submit a task; return the future of its reports (its keys stay on the cluster)."""
        indexes = self.tasks[task]
        done = self.client.submit(
            validate_task,
            indexes[0],
            [self.names[i] for i in indexes],
            self.options,
            keys=self.cross_document,
            today=self.today,
            sharing=self.sharing,
            pure=False,
        )
        if not self.cross_document:  # no keys: the task's result is its reports
            return done
        self.keys[task] = self.client.submit(_keys_of, done, pure=False)
        return self.client.submit(_reports_of, done, pure=False)

    def _result(self, task: int, future: Any) -> Done:
        """Return the task's reports; a task that failed is retried file by file."""
        try:
            done: Done = future.result()
            return done
        except Exception as exc:
            indexes = self.tasks[task]
            if len(indexes) == 1:
                self.keys.pop(task, None)
                return _alone_failed(exc, indexes[0], self.names[indexes[0]])
            parts = [
                self.client.submit(
                    validate_task,
                    i,
                    [self.names[i]],
                    self.options,
                    keys=self.cross_document,
                    today=self.today,
                    pure=False,
                    retries=0,
                )
                for i in indexes
            ]
            reports: list[ValidationReport] = []
            keys: list[Key] = []
            for i, part in zip(indexes, parts, strict=True):
                try:
                    one: Done = part.result()
                except Exception as again:
                    one = _alone_failed(again, i, self.names[i])
                reports.extend(one.reports)
                keys.extend(one.keys)
            if self.cross_document:  # the retried files' keys go back to the cluster
                self.keys[task] = self.client.scatter(keys) if keys else None
            return Done(indexes[0], reports, [])

    def results(self, *, ordered: bool) -> Iterator[Done]:
        """Yield each task's result, in task order or as they finish; the window bounded."""
        from distributed import as_completed

        total = len(self.tasks)
        if not total:
            return
        submitted = 0
        futures: dict[Any, int] = {}
        waiting: dict[int, Done] = {}
        emitted = 0
        flow = as_completed()

        def fill() -> None:
            nonlocal submitted
            limit = (emitted if ordered else emitted + len(waiting)) + self.window
            while submitted < total and submitted < limit:
                future = self._submit(submitted)
                futures[future] = submitted
                flow.add(future)
                submitted += 1

        fill()
        for future in flow:
            task = futures.pop(future)
            done = self._result(task, future)
            future.release()
            if not ordered:
                emitted += 1
                yield done
            else:
                waiting[task] = done
                while emitted in waiting:
                    yield waiting.pop(emitted)
                    emitted += 1
            fill()


def _reports_of(done: Done) -> Done:
    """Return a task's reports without its keys (on the worker: only reports travel)."""
    return Done(done.first, done.reports, [])


def _keys_of(done: Done) -> list[Key]:
    return done.keys


def _alone_failed(exc: BaseException, index: int, name: str) -> Done:
    from distributed import KilledWorker

    if isinstance(exc, KilledWorker):
        return Done(index, [crashed(name, None)], [])
    return _failed_task(exc, index, [name])


def _group_key(key: Key) -> tuple[str, tuple[str, ...]]:
    return key.rule, key.group


def _check_pair(pair: tuple[Any, list[Key]], rejected: frozenset[int]) -> list[Found]:
    return check_group(pair[1], rejected)


def _orders(key: Key) -> int:
    return key.order


def cross_document(
    client: Any, keys: Sequence[Any], *, npartitions: int | None = None
) -> list[Found]:
    """Group the keys (futures of lists of :class:`Key`) on the cluster and check each group.

    Returns the findings, sorted by document and, within one, in the exchange's order.
    """
    import dask.bag as db
    from dask.delayed import delayed

    parts = [delayed(k) for k in keys if k is not None]
    if not parts:
        return []
    bag = db.from_delayed(parts)
    npartitions = npartitions or max(1, GROUPS_PER_THREAD * _threads(client))
    if bag.npartitions > npartitions:
        bag = bag.repartition(npartitions=npartitions)
    groups = client.persist(bag.groupby(_group_key, shuffle="tasks"))
    # Documents in more than one group (an envelope around a batch or a request).
    counts = bag.map(_orders).frequencies().filter(lambda pair: pair[1] > 1)
    shared = frozenset(order for order, _ in client.compute(counts).result())
    rejected: frozenset[int] = frozenset()
    found: list[Found] = []
    for _ in range(len(shared) + 2):
        found = client.compute(groups.map(_check_pair, rejected).flatten()).result()
        again = frozenset(order for order, _, _ in found if order in shared)
        if again == rejected:
            break
        rejected = again
    client.cancel(groups)
    rank = {"rule.COM-R004": 0}
    return sorted(found, key=lambda item: (item[0], rank.get(item[2].code, 1)))


def validate_many(
    paths: Iterable[str],
    client: Any = None,
    *,
    options: Options | None = None,
    exclude: Sequence[str] = (),
    ordered: bool = False,
    cross_document: bool = False,
    batch_bytes: int = BATCH_BYTES,
    batch_files: int = BATCH_FILES,
    window: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ValidationReport]:
    """Validate files on a Dask cluster; yield their reports as they finish.

    ``paths`` are local files and folders (on a file system the workers share) and
    fsspec URLs (``s3://bucket/day/``, ``file://``, ``memory://``); folders are walked as
    ``lgstandards validate`` walks them, leaving out what matches ``exclude``.
    ``client`` is a ``distributed.Client`` (None: the current one). Small files
    go to one task up to ``batch_bytes`` and ``batch_files``; at most ``window`` tasks
    are in flight (default: four per worker thread). ``ordered`` yields the reports in
    the files' order, as ``--jobs 1`` does. ``progress(n)`` is called as files finish.

    With ``cross_document``, the rules COM-R004, COM-R012 and EPAY-R017 are checked
    across the files on the cluster (:func:`cross_document`), in the files' order, and
    after the files' own reports comes one report per document found against.
    """
    yield from validate_items(
        expand(paths, exclude),
        client,
        options=options,
        ordered=ordered,
        cross_document=cross_document,
        batch_bytes=batch_bytes,
        batch_files=batch_files,
        window=window,
        progress=progress,
    )


def validate_items(
    items: Sequence[Item | ValidationReport],
    client: Any = None,
    *,
    options: Options | None = None,
    ordered: bool = False,
    cross_document: bool = False,
    batch_bytes: int = BATCH_BYTES,
    batch_files: int = BATCH_FILES,
    window: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[ValidationReport]:
    """Validate files already listed (:func:`lgstandards.bulk.sources.expand`); see validate_many.

    ``items`` are files to validate and reports of paths that could not be listed.
    """
    if client is None:
        from distributed import get_client

        client = get_client()
    options = options or _default_options()
    files = [item for item in items if isinstance(item, Item)]
    run = _Run(
        client,
        files,
        options,
        batch_bytes=batch_bytes,
        batch_files=batch_files,
        cross_document=cross_document,
        window=window,
    )
    # Unreadable paths keep their place among the files when ordered.
    before: dict[int, list[ValidationReport]] = {}
    seen = 0
    for item in items:
        if isinstance(item, Item):
            seen += 1
        else:
            before.setdefault(seen, []).append(item)
    if not ordered:
        for reports in before.values():
            yield from reports
        before = {}
    for done in run.results(ordered=ordered):
        for offset, report in enumerate(done.reports):
            yield from before.pop(done.first + offset, ())
            yield report
        if progress is not None:
            progress(len(done.reports))
    for index in sorted(before):
        yield from before.pop(index)
    if cross_document:
        found = cross_document_findings(client, run)
        yield from found


def cross_document_findings(client: Any, run: _Run) -> Iterator[ValidationReport]:
    """Yield one report per document found against by the cross-document rules."""
    keys = [k for k in run.keys.values() if k is not None]
    found = cross_document(client, keys)
    client.cancel(keys)
    current: ValidationReport | None = None
    current_order = -1
    for order, kind, issue in found:
        if current is None or order != current_order:
            if current is not None:
                yield current
            current = ValidationReport(source=issue.source, kind=kind)
            current_order = order
        current.add(issue)
    if current is not None:
        yield current


@contextmanager
def connect(address: str) -> Iterator[Any]:
    """Connect to a cluster: ``tcp://host:8786`` (a running scheduler) or ``local:N``.

    ``local:N`` starts a LocalCluster of N single-threaded worker processes for the
    block's life (``local:N:threads`` keeps them in this process, as threads).
    """
    from distributed import Client, LocalCluster

    if address.startswith("local:"):
        spec = address[len("local:") :].split(":")
        try:
            workers = int(spec[0])
        except ValueError:
            raise ValueError(f"{address!r}: local:N needs a number of workers") from None
        if workers < 1:
            raise ValueError(f"{address!r}: a local cluster needs at least one worker")
        processes = not (len(spec) > 1 and spec[1] == "threads")
        with (
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=processes,
                dashboard_address=":0",  # no fixed port: clusters side by side
                silence_logs=logging.CRITICAL,  # workers' shutdown chatter is not the report's
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    with Client(address, timeout=CONNECT_SECONDS) as client:
        yield client


__all__ = ["connect", "cross_document", "validate_items", "validate_many"]
