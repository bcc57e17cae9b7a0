"""Benchmark the cluster run: LocalCluster(2) against ``--jobs 2`` and ``--jobs 1``.

    .venv/bin/python benchmarks/bench_cluster.py                  # 20,000 files
    .venv/bin/python benchmarks/bench_cluster.py --files 2000     # a quick look

Generates fake e-Pay files in a temporary folder, small messages and reconciliation
batches mixed (nine small messages in ten: payment requests, results and
notifications, some invalid; one in ten a batch of 20 to 400 records, some records
broken), then validates the folder three ways, each as the command does it (reports
in the files' order):

* ``--jobs 1``: :func:`lgstandards.validation.batch.validate_paths`, one process;
* ``--jobs 2``: the same with a pool of two processes;
* ``--cluster local:2``: :func:`lgstandards.bulk.validate_many` on a LocalCluster of two
  single-threaded worker processes (started before the clock starts), with the default
  batching of small files, and again with one file per task (``--unbatched-files``
  of them), which gives the per-task overhead that batching saves.

Printed: files per second and the ratios, whether the three gave identical findings
(a digest of every issue), the client's resident memory before and at its peak during
the cluster run (flat: reports are not held), and the machine's load average before
and after, since the ratios mean little on a busy machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "validation"))

from epay_batches import batch_file  # noqa: E402

from lgstandards.report import ValidationReport  # noqa: E402
from lgstandards.validation.batch import expand, validate_paths  # noqa: E402
from lgstandards.validation.engine import make_options  # noqa: E402

DAY = HERE.parent / "examples" / "exchanges" / "epay-valid-day"
SMALL = ("01-payment-request.xml", "03-payment-success.xml", "05-payment-notification.xml")


def generate(folder: Path, count: int, seed: int = 19) -> tuple[int, int]:
    """Write ``count`` files (small messages and batches mixed); return (bytes, records).

    A small message is one record; a batch has as many as its payment records.
    """
    rng = random.Random(seed)
    templates = [(DAY / name).read_text(encoding="utf-8") for name in SMALL]
    total = records = 0
    for n in range(count):
        sub = folder / f"council-{n % 300:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"{n:06d}.xml"
        if n % 10 == 9:
            size = rng.randrange(20, 400)
            batch_file(path, size, bad_every=rng.choice((0, 0, 37)))
            records += size
        else:
            records += 1
            text = templates[n % 3].replace("REQ-0001", f"REQ-{n:07d}")
            text = text.replace("GW-TEST-0001", f"GW-{n:07d}")
            if rng.random() < 0.1:
                text = text.replace("GBP", "XXX")  # invalid: a currency code not in the list
            path.write_text(text, encoding="utf-8")
        total += path.stat().st_size
    return total, records


def resident_mb() -> float:
    """Return the process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as stat:
        pages = int(stat.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def digest(
    reports: Iterable[ValidationReport], memory: list[float] | None = None
) -> tuple[str, int]:
    """Return a digest of every report's issues, in order, and the number of issues."""
    sha = hashlib.sha256()
    issues = 0
    for report in reports:
        data = [report.source, report.kind, [i.to_dict() for i in report.issues]]
        sha.update(json.dumps(data, sort_keys=True).encode())
        issues += len(report.issues)
        if memory is not None and issues % 64 == 0:
            memory.append(resident_mb())
    return sha.hexdigest()[:16], issues


def main() -> None:
    """Run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--unbatched-files", type=int, default=2_000)
    args = parser.parse_args()

    from distributed import Client, LocalCluster

    from lgstandards.bulk import validate_many

    print(f"load average before: {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        size, records = generate(folder, args.files)
        files = [i for i in expand([str(folder)]) if isinstance(i, str)]
        print(f"{len(files)} files, {records} records, {size / 1e6:.1f} MB")
        options = make_options()
        timings: dict[str, float] = {}
        digests: dict[str, tuple[str, int]] = {}
        for jobs in (1, 2):
            start = time.perf_counter()
            digests[f"jobs {jobs}"] = digest(validate_paths(files, options, jobs=jobs))
            timings[f"jobs {jobs}"] = time.perf_counter() - start
        with (
            LocalCluster(
                n_workers=2,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,
            ) as cluster,
            Client(cluster) as client,
        ):
            warm = files[:: max(1, len(files) // 40)]
            digest(validate_many(warm, client, batch_files=1))  # workers compile the schemas
            before = resident_mb()
            memory: list[float] = [before]
            start = time.perf_counter()
            digests["cluster"] = digest(
                validate_many([str(folder)], client, ordered=True, batch_bytes=1 << 20),
                memory,
            )
            timings["cluster"] = time.perf_counter() - start
            some = files[: args.unbatched_files]
            for name, per_task in (("batched", 64), ("one per task", 1)):
                start = time.perf_counter()
                digest(validate_many(some, client, ordered=True, batch_files=per_task))
                timings[f"{len(some)} files, {name}"] = time.perf_counter() - start
        for name, seconds in timings.items():
            count = len(files) if not name[0].isdigit() else len(some)
            rate = f"{count / seconds:8.0f} files/s"
            if not name[0].isdigit():
                rate += f"  {size / 1e6 / seconds:6.2f} MB/s  {records / seconds:8.0f} records/s"
            print(f"{name:>28}: {seconds:7.1f} s  {rate}")
        print(f"cluster / jobs 2 throughput: {timings['jobs 2'] / timings['cluster']:.2f}x")
        print(f"cluster / jobs 1 throughput: {timings['jobs 1'] / timings['cluster']:.2f}x")
        print(f"jobs 2 / jobs 1 throughput:  {timings['jobs 1'] / timings['jobs 2']:.2f}x")
        tasks = len(some)
        batched = timings[f"{len(some)} files, batched"]
        alone = timings[f"{len(some)} files, one per task"]
        print(
            f"per-task overhead (one file per task vs 64): {(alone - batched) / tasks * 1e3:.2f} ms"
        )
        print(f"per-file cost on the cluster: {timings['cluster'] / len(files) * 1e3:.2f} ms")
        same = len(set(digests.values())) == 1
        print(f"findings identical: {same} {digests}")
        print(
            f"client memory: {before:.0f} MB before the cluster run, peak "
            f"{max(memory):.0f} MB during it"
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
