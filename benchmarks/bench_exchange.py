"""Benchmark the exchange: ``Exchange.check`` against plain ``validate()`` of the same messages.

    .venv/bin/python benchmarks/bench_exchange.py                     # 5,000 messages
    .venv/bin/python benchmarks/bench_exchange.py --messages 100000   # the full size

Small fake e-Pay messages (per payment: a PaymentRequest, its PaymentResult, its
PaymentNotification, each with new ids) are made as they are checked, so the inputs
take no memory. They go through ``validate()`` and through ``Exchange.check`` on a
SQLite file and on a PostgreSQL database (a throw-away cluster from Debian's binaries,
fsync on), block by block of 1,000 messages, the two timed alternately on the same
block so that the machine's load weighs on both alike. The exchange checks as
``lgstandards exchange check`` does (``Exchange.batch``: a commit per 200 documents,
each document a savepoint of its own); ``--per-document N`` also times N messages with
a commit per document (each ``check`` durable when it returns). Printed per ledger:

* the ratio of exchange time to validation time (targets: the ledger adds at most 25 %
  on SQLite, 50 % on PostgreSQL);
* time per message in the first and the last block, for the exchange and for the
  ledger's own share (exchange minus validation): flat from 1,000 to the full size
  means indexed look-ups (the ledger grows with every message);
* the process's resident memory after the first block and at the end (flat: no state
  kept per message).

The machine's load average is printed: the ratios of elapsed times are only
meaningful when the CPUs are not busy with other work. The CPU times are printed too
(this process's, and on PostgreSQL the ledger connection's server process's, read from
``/proc``): they are less sensitive to other work, though a busy machine slows them too.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "exchange"))

from lgstandards import validate  # noqa: E402
from lgstandards.exchange import Exchange  # noqa: E402

BLOCK = 1000
DAY = HERE.parent / "examples" / "exchanges" / "epay-valid-day"


def _templates() -> tuple[str, str, str]:
    return (
        (DAY / "01-payment-request.xml").read_text(encoding="utf-8"),
        (DAY / "03-payment-success.xml").read_text(encoding="utf-8"),
        (DAY / "05-payment-notification.xml").read_text(encoding="utf-8"),
    )


def messages(count: int, tag: str) -> Iterator[bytes]:
    """Yield ``count`` small messages: request, result, notification of payment after payment."""
    request, result, notification = _templates()
    for n in range(count):
        payment, step = divmod(n, 3)
        ref, req = f"GW-{tag}-{payment:07d}", f"REQ-{tag}-{payment:07d}"
        if step == 0:
            text = request.replace("REQ-0001", req)
        elif step == 1:
            text = result.replace("GW-TEST-0001", ref).replace("REQ-0001", req)
        else:
            text = notification.replace("GW-TEST-0001", ref)
            text = text.replace("RCPT-TEST-0001", f"RCPT-{tag}-{payment:07d}")
        yield text.encode()


def resident_mb() -> float:
    """Return the process's resident memory now, in MB (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as stat:
        pages = int(stat.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def server_cpu(exchange: Exchange) -> float:
    """Return the CPU seconds used so far by the exchange's PostgreSQL server process (else 0)."""
    raw = exchange._conn.connection.driver_connection  # a look inside the exchange
    pid = getattr(getattr(raw, "info", None), "backend_pid", None)
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run(ledger: str, count: int, tag: str, *, batch: bool) -> dict[str, float]:
    """Time validate() and Exchange.check block by block; return the figures.

    ``batch``: check as ``lgstandards exchange check`` does (a commit every 200
    documents, each document a savepoint); else one commit per document.
    """
    plain_total = exchange_total = plain_cpu = exchange_cpu = server_total = 0.0
    first_plain = first_exchange = last_plain = last_exchange = 0.0
    memory_first = 0.0
    blocks = 0
    with Exchange(ledger) as exchange, exchange.batch() if batch else nullcontext():
        stream = messages(count, tag)
        while True:
            block = [m for _, m in zip(range(BLOCK), stream, strict=False)]
            if not block:
                break
            start, cpu = time.perf_counter(), time.process_time()
            for data in block:
                validate(data)
            plain = time.perf_counter() - start
            plain_cpu += time.process_time() - cpu
            start, cpu, server = time.perf_counter(), time.process_time(), server_cpu(exchange)
            for data in block:
                report = exchange.check(data)
                if not report.ok:
                    raise SystemExit(f"unexpected findings: {report.codes()}")
            checked = time.perf_counter() - start
            exchange_cpu += time.process_time() - cpu
            server_total += server_cpu(exchange) - server
            plain_total += plain
            exchange_total += checked
            per = len(block)
            if blocks == 0:
                first_plain, first_exchange = plain / per, checked / per
                memory_first = resident_mb()
            last_plain, last_exchange = plain / per, checked / per
            blocks += 1
    return {
        "ratio": exchange_total / plain_total,
        "validate_ms": plain_total / count * 1000,
        "exchange_ms": exchange_total / count * 1000,
        "first_ms": first_exchange * 1000,
        "last_ms": last_exchange * 1000,
        "first_ledger_ms": (first_exchange - first_plain) * 1000,
        "last_ledger_ms": (last_exchange - last_plain) * 1000,
        "memory_first_mb": memory_first,
        "memory_end_mb": resident_mb(),
        "validate_cpu_ms": plain_cpu / count * 1000,
        "exchange_cpu_ms": exchange_cpu / count * 1000,
        "server_cpu_ms": server_total / count * 1000,
        "cpu_ratio": (exchange_cpu + server_total) / plain_cpu if plain_cpu else 0.0,
    }


def report(name: str, figures: dict[str, float], target: float, count: int) -> None:
    """Print one ledger's figures."""
    added = (figures["ratio"] - 1) * 100
    verdict = "meets" if added <= target else "misses"
    print(f"\n{name}: {count:,} messages")
    print(
        f"  validate() {figures['validate_ms']:.3f} ms/message, exchange "
        f"{figures['exchange_ms']:.3f} ms/message: ratio {figures['ratio']:.2f} "
        f"(the ledger adds {added:.0f} %; target <= {target:.0f} %: {verdict})"
    )
    server = figures["server_cpu_ms"]
    print(
        f"  CPU per message: validate() {figures['validate_cpu_ms']:.3f} ms, exchange "
        f"{figures['exchange_cpu_ms']:.3f} ms"
        + (f" + the server's {server:.3f} ms" if server else "")
        + f": ratio {figures['cpu_ratio']:.2f} (the ledger adds "
        f"{(figures['cpu_ratio'] - 1) * 100:.0f} % CPU)"
    )
    print(
        f"  per message, first block {figures['first_ms']:.3f} ms, last block "
        f"{figures['last_ms']:.3f} ms; the ledger's share {figures['first_ledger_ms']:.3f} -> "
        f"{figures['last_ledger_ms']:.3f} ms"
    )
    print(
        f"  resident memory after the first block {figures['memory_first_mb']:.0f} MB, at the "
        f"end {figures['memory_end_mb']:.0f} MB"
    )


def main() -> None:
    """Run the benchmark on the ledgers asked for."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="messages per ledger")
    parser.add_argument(
        "--ledgers", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql"
    )
    parser.add_argument(
        "--per-document",
        type=int,
        default=2000,
        metavar="N",
        help="also N messages with one commit per document (0: not run)",
    )
    args, _ = parser.parse_known_args()  # tasks.py bench passes every script the same args
    count = max(args.messages, BLOCK)
    wanted = {name.strip() for name in args.ledgers.split(",")}
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    for data in messages(30, "WARM"):  # compile the schemas before timing
        validate(data)
    runs: list[tuple[str, Callable[[], str], Callable[[], None], float]] = []
    if "sqlite" in wanted:
        folder = Path(tempfile.mkdtemp(prefix="lgs-bench-"))
        names = iter(str(folder / f"ledger-{n}.db") for n in range(100))
        runs.append(("SQLite (file, WAL)", lambda: next(names), lambda: None, 25))
    if "postgresql" in wanted:
        from pgcluster import Cluster, ClusterUnavailable

        try:
            cluster = Cluster.start(durable=True)
        except ClusterUnavailable as exc:
            print(f"\nPostgreSQL: not run ({exc})")
        else:
            runs.append(("PostgreSQL (local, fsync on)", cluster.new_database, cluster.stop, 50))
    for name, make, done, target in runs:
        try:
            figures = run(make(), count, name[:2].upper(), batch=True)
            report(f"{name}, as exchange check (a commit per 200)", figures, target, count)
            if args.per_document:
                single = max(args.per_document, BLOCK)
                figures = run(make(), single, name[:2].upper(), batch=False)
                report(f"{name}, a commit per document", figures, target, single)
        finally:
            done()
    print(f"\nload average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
