"""Benchmark: cold load time of each shipped list, and look-up time.

Run: python benchmarks/bench_vocab.py   (or: python tasks.py bench)

Each cold load runs in a fresh interpreter (median of several runs) and is compared
with the time to merely read the same CSV with the csv module in that interpreter
(the floor for any loader). Look-ups are compared with a plain dict look-up.
Targets (issue 2): LGSL cold load under 50 ms, look-up under 2 microseconds.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import timeit

RUNS = 7

_COLD = """
import json, time, csv
from lgstandards.vocab import get_list
from lgstandards._resources import vocabularies_root
name = {name!r}
vocabulary = get_list(name)
t0 = time.perf_counter()
len(vocabulary)
load = time.perf_counter() - t0
file = "transactions.csv" if name == "transactions" else "concepts.csv"
source = vocabularies_root() / name / file
t0 = time.perf_counter()
with open(source, encoding="utf-8", newline="") as f:
    rows = list(csv.reader(f))
raw = time.perf_counter() - t0
print(json.dumps({{"load": load, "raw": raw, "count": len(vocabulary)}}))
"""


def cold(name: str) -> tuple[float, float, int]:
    loads, raws, count = [], [], 0
    for _ in range(RUNS):
        out = subprocess.run(
            [sys.executable, "-c", _COLD.format(name=name)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        data = json.loads(out)
        loads.append(data["load"])
        raws.append(data["raw"])
        count = data["count"]
    return statistics.median(loads), statistics.median(raws), count


def lookups() -> dict[str, float]:
    from lgstandards.vocab import lgsl

    lgsl.get(57)
    plain = {c: c for c in lgsl.codes()}
    n = 200_000
    results = {}
    for label, stmt, glob in (
        ("dict.get (reference)", "plain.get(57)", {"plain": plain}),
        ("lgsl.get(57)", "lgsl.get(57)", {"lgsl": lgsl}),
        ("lgsl.lookup(57)", "lgsl.lookup(57)", {"lgsl": lgsl}),
        ("57 in lgsl", "57 in lgsl", {"lgsl": lgsl}),
    ):
        best = min(timeit.repeat(stmt, globals=glob, number=n, repeat=5)) / n
        results[label] = best
    return results


def main() -> None:
    from lgstandards.vocab import LIST_NAMES

    print("Cold load (fresh interpreter, median of", RUNS, "runs)")
    print(f"{'list':<14}{'count':>7}{'load ms':>10}{'csv-only ms':>13}{'ratio':>8}")
    for name in LIST_NAMES:
        load, raw, count = cold(name)
        print(f"{name:<14}{count:>7}{load * 1e3:>10.2f}{raw * 1e3:>13.2f}{load / raw:>8.1f}x")
        if name == "lgsl":
            lgsl_load = load
    print(
        f"LGSL cold load {lgsl_load * 1e3:.1f} ms; target < 50 ms: "
        f"{'met' if lgsl_load < 0.05 else 'NOT met'} ({lgsl_load / 0.05:.2f} of target)"
    )
    print()
    print("Look-up (best of 5 x 200,000)")
    results = lookups()
    reference = results["dict.get (reference)"]
    for label, seconds in results.items():
        print(f"{label:<22}{seconds * 1e9:>8.0f} ns  {seconds / reference:>5.1f}x dict.get")
    worst = max(v for k, v in results.items() if k != "dict.get (reference)")
    verdict = "met" if worst < 2e-6 else "NOT met"
    print(f"slowest look-up {worst * 1e6:.3f} us; target < 2 us: {verdict}")


if __name__ == "__main__":
    main()
