"""Load the validation service on the loopback interface: many clients, small messages.

    .venv/bin/python benchmarks/bench_service.py                    # 200 clients, 10,000 messages
    .venv/bin/python benchmarks/bench_service.py --workers 1 2      # one worker, then two
    .venv/bin/python benchmarks/bench_service.py --messages 2000    # a quicker run

Starts ``lgstandards serve`` on 127.0.0.1 (a free port) and has ``--clients`` concurrent
keep-alive connections post ``--messages`` small e-Pay messages (valid and invalid ones,
each named uniquely) to ``POST /api/v1/validate``. The client is a minimal HTTP/1.1
client on asyncio streams, so that it takes little of the CPU the server needs. Every
answer is checked: its status (no 5xx), its document's name (the one sent) and its
issue codes (those ``validate()`` gives the same message in-process); a request with no
answer counts as lost. Printed per run: throughput, p50/p99 latency, lost and wrong
answers, 5xx, and the server's resident memory (all its processes) after 10 %, 50 %
and 100 % of the messages (flat: nothing kept per request). Also printed: the
throughput of ``validate()`` in-process on the same messages, and the ratios the issue
asks for (one worker at least 80 % of in-process; two workers at least 1.6x one).

Everything stays on this machine (127.0.0.1), the number of messages is bounded and the
run stops after ``--time-limit`` seconds whatever happens. The machine's load average
is printed: the figures mean little when other work shares the CPUs (the load generator
itself shares them with the server).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [
    ROOT / "examples" / "epay" / "valid" / "status-query.xml",
    ROOT / "examples" / "epay" / "valid" / "payment-result.xml",
    ROOT / "examples" / "epay" / "invalid" / "request-total-mismatch.xml",
    ROOT / "examples" / "epay" / "valid" / "refund-notification.xml",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def messages(count: int) -> list[tuple[str, bytes, int]]:
    """Return (unique name, bytes, template index) of ``count`` small messages."""
    bodies = [p.read_bytes() for p in TEMPLATES]
    return [(f"m{n:06d}.xml", bodies[n % len(bodies)], n % len(bodies)) for n in range(count)]


def expected_codes() -> list[list[str]]:
    from lgstandards import validate

    return [validate(p.read_bytes()).codes() for p in TEMPLATES]


def in_process(batch: list[tuple[str, bytes, int]]) -> tuple[float, float]:
    """Return messages per second of ``validate()`` in this process, and CPU seconds each."""
    import io

    from lgstandards import validate

    for _, data, _ in batch[:50]:
        validate(data)  # warm
    start, cpu = time.perf_counter(), time.process_time()
    for name, data, _ in batch:
        stream = io.BytesIO(data)
        stream.name = name
        validate(stream)
    wall, used = time.perf_counter() - start, time.process_time() - cpu
    return len(batch) / wall, used / len(batch)


def _tree(pid: int) -> list[int]:
    """Return ``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_cpu_seconds(pid: int) -> float:
    """Return the CPU time (user and system) spent so far by ``pid`` and its descendants."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for current in _tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def tree_rss_kb(pid: int) -> int:
    """Return the resident memory (KiB) of ``pid`` and its descendants (from /proc)."""
    total = 0
    for current in _tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    wrong: int = 0
    server_errors: int = 0
    other_status: int = 0
    lost: int = 0
    done: int = 0
    memory: dict[str, int] = field(default_factory=dict)


async def client(
    port: int,
    queue: asyncio.Queue[tuple[str, bytes, int]],
    expected: list[list[str]],
    tally: Tally,
    marks: dict[int, str],
    pid: int,
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while True:
            try:
                name, data, template = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            head = (
                f"POST /api/v1/validate?name={name} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Content-Type: application/xml\r\nAccept: application/json\r\n"
                f"Content-Length: {len(data)}\r\n\r\n"
            ).encode("ascii")
            start = time.perf_counter()
            try:
                writer.write(head + data)
                await writer.drain()
                status_line = await reader.readline()
                length = 0
                while True:
                    line = await reader.readline()
                    if line in (b"\r\n", b""):
                        break
                    key, _, value = line.decode("latin-1").partition(":")
                    if key.strip().lower() == "content-length":
                        length = int(value)
                body = await reader.readexactly(length)
            except (OSError, asyncio.IncompleteReadError):
                tally.lost += 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            tally.latencies.append(time.perf_counter() - start)
            status = int(status_line.split()[1]) if status_line else 0
            if status >= 500:
                tally.server_errors += 1
            elif status != 200:
                tally.other_status += 1
            else:
                document = json.loads(body)["documents"][0]
                codes = [i["code"] for i in document["issues"]]
                if document["source"] != name or codes != expected[template]:
                    tally.wrong += 1
            tally.done += 1
            if tally.done in marks:
                tally.memory[marks[tally.done]] = tree_rss_kb(pid)
    finally:
        writer.close()


async def load(
    port: int, batch: list[tuple[str, bytes, int]], clients: int, pid: int, limit: float
) -> tuple[Tally, float]:
    expected = expected_codes()
    queue: asyncio.Queue[tuple[str, bytes, int]] = asyncio.Queue()
    for item in batch:
        queue.put_nowait(item)
    tally = Tally()
    count = len(batch)
    marks = {max(1, count // 10): "10%", max(1, count // 2): "50%", count: "100%"}
    start = time.perf_counter()
    tasks = [
        asyncio.create_task(client(port, queue, expected, tally, marks, pid))
        for _ in range(clients)
    ]
    done, pending = await asyncio.wait(tasks, timeout=limit)
    for task in pending:
        task.cancel()
    for task in done:
        if task.exception() is not None:
            print(f"  client failed: {task.exception()!r}")
    elapsed = time.perf_counter() - start
    tally.lost += count - tally.done - tally.lost
    return tally, elapsed


def start(workers: int, port: int, ledger: str, concurrency: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "-m", "lgstandards", "serve", "--port", str(port),
        "--workers", str(workers), "--concurrency", str(concurrency), "--log-level", "warning",
    ]  # fmt: skip
    if workers > 1:
        command += ["--ledger", ledger]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )
    deadline = time.monotonic() + 120
    ready = 0
    while time.monotonic() < deadline and ready < 3 * workers:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                ready += answer.status == 200
        except OSError:
            time.sleep(0.2)
    return process


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=900.0)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; cpus: {os.cpu_count()}")
    batch = messages(args.messages)
    baseline, baseline_cpu = in_process(batch[: min(len(batch), 3000)])
    print(
        f"in-process validate(): {baseline:,.0f} messages/s, "
        f"{baseline_cpu * 1000:.2f} ms of CPU per message"
    )
    figures: dict[int, float] = {}
    cpu_each: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for workers in args.workers:
            port = free_port()
            process = start(
                workers, port, str(Path(tmp) / f"ledger-{workers}.sqlite"), args.concurrency
            )
            try:
                cpu_before = tree_cpu_seconds(process.pid)
                tally, elapsed = asyncio.run(
                    load(port, batch, args.clients, process.pid, args.time_limit)
                )
                cpu_each[workers] = (tree_cpu_seconds(process.pid) - cpu_before) / max(
                    tally.done, 1
                )
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            rate = tally.done / elapsed if elapsed else 0.0
            figures[workers] = rate
            memory = ", ".join(f"{k} {v / 1024:.0f} MiB" for k, v in tally.memory.items())
            print(
                f"workers={workers} clients={args.clients} messages={len(batch)}: "
                f"{rate:,.0f} messages/s in {elapsed:.1f}s; "
                f"p50 {percentile(tally.latencies, 0.5) * 1000:.1f} ms, "
                f"p99 {percentile(tally.latencies, 0.99) * 1000:.1f} ms; "
                f"lost {tally.lost}, wrong {tally.wrong}, 5xx {tally.server_errors}, "
                f"other status {tally.other_status}; server memory {memory}; "
                f"server CPU {cpu_each[workers] * 1000:.2f} ms per message"
            )
    if 1 in figures:
        print(
            f"one worker / in-process: {figures[1] / baseline:.0%} by wall clock, "
            f"{baseline_cpu / cpu_each[1]:.0%} by CPU per message (target at least 80 %)"
        )
    if 1 in figures and 2 in figures:
        print(f"two workers / one: {figures[2] / figures[1]:.2f}x (target at least 1.6x)")


if __name__ == "__main__":
    main()
