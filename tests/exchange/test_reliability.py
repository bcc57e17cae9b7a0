"""A document's effect is all or nothing (SIGKILL at random moments), and uniqueness holds
between processes (constraints, not check-then-insert), on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from messages import history, ledger_state, payment_request

from lgstandards.exchange import Exchange, rules

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
RUNS = 30
#: Bound on the kill test's total time per ledger kind (seconds).
BUDGET = 180.0

_CHILD = textwrap.dedent(
    """
    import sys
    import time
    from contextlib import nullcontext
    from pathlib import Path
    from lgstandards.exchange import Exchange

    folder = Path(sys.argv[2])
    documents = sorted(folder.glob("*.xml"))
    with Exchange() as warm:  # schemas and statements compiled: the kill lands among documents
        for path in documents[:4]:
            warm.check(path)
    with Exchange(sys.argv[1]) as exchange:
        batch = exchange.batch(size=5) if sys.argv[3] == "batch" else nullcontext()
        print("ready", flush=True)
        started = time.perf_counter()
        with batch:
            for path in documents:
                exchange.check(path)
    print("done", time.perf_counter() - started, flush=True)
    """
)


def _write_history(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    paths = []
    for n, data in enumerate(history(count)):
        path = folder / f"{n:04d}.xml"
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.mark.parametrize(("mode", "runs"), [("single", RUNS), ("batch", RUNS // 2)])
def test_sigkill_leaves_the_ledger_before_or_after_a_document(
    new_ledger: object, tmp_path: Path, mode: str, runs: int
) -> None:
    assert callable(new_ledger)
    paths = _write_history(tmp_path / "history", 10)
    script = tmp_path / "child.py"
    script.write_text(_CHILD, encoding="utf-8")
    command = [sys.executable, str(script), "", str(tmp_path / "history"), mode]

    def child(url: str) -> subprocess.Popen[str]:
        Exchange(url).close()  # the ledger exists (migrated) before the child starts
        command[2] = url
        return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)

    with child(str(new_ledger())) as whole:  # the child's own pace, from ready to done
        out, _ = whole.communicate(timeout=300)
    span = float(out.split()[-1])
    reference = str(new_ledger())
    with Exchange(reference) as exchange:
        reachable = [ledger_state(reference)]
        for path in paths:
            exchange.check(path)
            reachable.append(ledger_state(reference))
    assert len(set(reachable)) == len(reachable)  # every document changes the state
    random.seed(15)
    deadline = time.monotonic() + BUDGET * runs / RUNS
    seen: set[int] = set()
    done = 0
    while done < runs and time.monotonic() < deadline:
        done += 1
        url = str(new_ledger())
        with child(url) as running:
            assert running.stdout is not None
            assert running.stdout.readline().strip() == "ready"
            time.sleep(random.uniform(0, span * 1.1))
            running.send_signal(signal.SIGKILL)
            running.wait()
        state = ledger_state(url)
        assert state in reachable, f"run {done}: the ledger is between two documents"
        seen.add(reachable.index(state))
    assert done >= 10
    assert len(seen) >= 3, f"the kills all landed at the same points: {sorted(seen)}"
    if mode == "batch":  # the ledger only ever holds whole batches (of 5) of the history
        assert all(point % 5 == 0 for point in seen), sorted(seen)


_RACER = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from lgstandards.exchange import Exchange

    url, go, document = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    with Exchange(url) as exchange:
        print("ready", flush=True)
        while not go.exists():
            time.sleep(0.0005)
        report = exchange.check(document)
    print(json.dumps(report.codes()), flush=True)
    """
)


def test_two_processes_same_request_id_exactly_one_accepted(ledger: str, tmp_path: Path) -> None:
    script = tmp_path / "racer.py"
    script.write_text(_RACER, encoding="utf-8")
    Exchange(ledger).close()
    for round_ in range(5):
        go = tmp_path / f"go-{round_}"
        documents = []
        for n in range(2):
            path = tmp_path / f"request-{round_}-{n}.xml"
            path.write_bytes(payment_request(f"REQ-RACE-{round_}", message_id=f"PR-{round_}-{n}"))
            documents.append(path)
        racers = [
            subprocess.Popen(
                [sys.executable, str(script), ledger, str(go), str(d)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for d in documents
        ]
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "ready"
        go.touch()
        outcomes = []
        for racer in racers:
            out, _ = racer.communicate(timeout=120)
            outcomes.append(json.loads(out.strip().splitlines()[-1]))
        assert sorted(outcomes) == [[], ["rule.EPAY-R017"]], outcomes
    import sqlalchemy as sa

    from lgstandards.exchange.ledger import ledger_url, payment_requests

    engine = sa.create_engine(ledger_url(ledger))
    with engine.connect() as conn:
        count = conn.execute(sa.select(sa.func.count()).select_from(payment_requests)).scalar()
    engine.dispose()
    assert count == 5


def _hold_first_after_its_writes(
    monkeypatch: pytest.MonkeyPatch, inside: threading.Event, release: threading.Event
) -> None:
    """Hold the thread named "first" once its document's writes have reached the database.

    Its transaction is still open (not committed): the writes are on the server, holding
    their unique keys, as the document's unit of statements (``rules.one_document``)
    has sent them.
    """
    real = rules.one_document

    @contextmanager
    def held(conn: Any, *, savepoint: bool) -> Iterator[None]:
        with real(conn, savepoint=savepoint):
            yield
        if threading.current_thread().name == "first":
            inside.set()  # written, not committed
            assert release.wait(60)

    monkeypatch.setattr(rules, "one_document", held)


def test_a_transaction_that_loses_the_race_sees_the_winner(
    ledger: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both check the requestId before either writes: the database's constraint decides.

    The first exchange is held inside its transaction, its checks done and its row
    written but not committed; the second checks the same requestId meanwhile. On PostgreSQL the
    second's insert waits on the unique index, fails when the first commits and is
    checked again (EPAY-R017); on SQLite the second waits for the write lock.
    """
    first, second = Exchange(ledger), Exchange(ledger)
    inside, release = threading.Event(), threading.Event()
    _hold_first_after_its_writes(monkeypatch, inside, release)
    outcomes: dict[str, list[str]] = {}

    def go(name: str, exchange: Exchange) -> None:
        report = exchange.check(payment_request("REQ-HELD", message_id=f"PR-{name}"))
        outcomes[name] = report.codes()

    one = threading.Thread(target=go, args=("first", first), name="first")
    one.start()
    assert inside.wait(60)
    two = threading.Thread(target=go, args=("second", second), name="second")
    two.start()
    time.sleep(0.5)
    assert two.is_alive()  # waiting on the first's uncommitted row (or lock)
    release.set()
    one.join(60)
    two.join(60)
    first.close()
    second.close()
    assert outcomes == {"first": [], "second": ["rule.EPAY-R017"]}


def test_a_batch_gives_the_same_reports_and_ledger(new_ledger: object) -> None:
    assert callable(new_ledger)
    from messages import CASES

    paths = sorted((CASES / "epay-r010-refunds-exceed-payment").glob("*.xml"))
    paths += sorted((CASES / "epay-valid-day").glob("*.xml"))
    one, many = str(new_ledger()), str(new_ledger())
    with Exchange(one) as exchange:
        singles = [exchange.check(p).codes() for p in paths]
    with Exchange(many) as exchange, exchange.batch(size=3):
        batched = [exchange.check(p).codes() for p in paths]
    assert batched == singles
    assert "rule.EPAY-R010" in {c for codes in singles for c in codes}
    assert ledger_state(many) == ledger_state(one)


def test_a_document_that_loses_a_race_inside_a_batch_is_checked_again(
    ledger: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only that document's savepoint is rolled back: the batch's earlier documents stay."""
    first, second = Exchange(ledger), Exchange(ledger)
    inside, release = threading.Event(), threading.Event()
    _hold_first_after_its_writes(monkeypatch, inside, release)
    outcomes: dict[str, list[list[str]]] = {}

    def go_first() -> None:
        outcomes["first"] = [first.check(payment_request("REQ-B", message_id="PR-B1")).codes()]

    def go_second() -> None:
        with second.batch(size=10):
            outcomes["second"] = [
                second.check(payment_request("REQ-B-OTHER", message_id="PR-B2")).codes(),
                second.check(payment_request("REQ-B", message_id="PR-B3")).codes(),
            ]

    one = threading.Thread(target=go_first, name="first")
    one.start()
    assert inside.wait(60)
    two = threading.Thread(target=go_second, name="second")
    two.start()
    time.sleep(0.5)
    release.set()
    one.join(60)
    two.join(60)
    first.close()
    second.close()
    assert outcomes == {"first": [[]], "second": [[], ["rule.EPAY-R017"]]}
    with Exchange(ledger) as exchange:
        assert exchange.status().documents_accepted == 2
