"""Time the SKOS quality check and diff on a generated 100,000-concept vocabulary,
against pyshacl running the published profile shapes (schemas/shapes/skos-profile.ttl).

    .venv/bin/python benchmarks/bench_publish.py [--concepts 100000] [--shacl-concepts 10000]
                                                 [--full-shacl]

pyshacl needs minutes on the full file, so by default it runs on a subset
(--shacl-concepts) and the full run is only attempted with --full-shacl. The check is
timed on both sizes so that the ratio compares like with like; both checkers' findings
are compared on the subset.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix ex: <http://example.org/bench/> .
"""

WORDS = [
    "waste",
    "housing",
    "school",
    "parking",
    "licence",
    "grant",
    "library",
    "planning",
    "council",
    "tax",
    "road",
    "care",
]


def generate(n: int, *, seed: int = 1, variant: bool = False) -> str:
    """Return a Turtle vocabulary of ``n`` concepts with a few seeded defects.

    ``variant`` gives the "next version": 1% relabelled, 0.5% deprecated with a
    replacement, 1% moved, 1% new concepts.
    """
    rng = random.Random(seed)
    tops = max(1, n // 1000)
    out = [PREFIXES, 'ex:s a skos:ConceptScheme ; skos:prefLabel "Bench"@en .']
    total = n + (n // 100 if variant else 0)
    vrng = random.Random(seed + 1)
    for i in range(total):
        label = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {i}"
        parts = [
            f"ex:c{i} a skos:Concept",
            "skos:inScheme ex:s",
            f'skos:notation "{i}"',
            f'skos:definition "Definition of service {i}, {rng.choice(WORDS)}."@en',
            'dct:created "2020-01-01"',
        ]
        broader = None if i < tops else rng.randrange(0, min(i, n))
        if variant and vrng.random() < 0.01:
            label += " (renamed)"
        if variant and i >= tops and vrng.random() < 0.01:
            broader = vrng.randrange(0, min(i, n))
        parts.append(f'skos:prefLabel "{label}"@en')
        if i % 7 == 0:
            parts.append(f'skos:altLabel "Alt {i}"@en')
        if broader is None:
            parts.append("skos:topConceptOf ex:s")
        else:
            parts.append(f"skos:broader ex:c{broader}")
        if i % 50 == 0 and i > 0 and broader != i - 1:
            parts.append(f"skos:related ex:c{i - 1}")
        if variant and i >= tops and i < n and vrng.random() < 0.005:
            parts += [
                "owl:deprecated true",
                f'skos:changeNote "2026-12-01: replaced by {i - 1}"@en',
                f"dct:isReplacedBy ex:c{i - 1}",
            ]
        out.append(" ;\n    ".join(parts) + " .")
    # seeded defects: a missing label, a duplicate notation, a cycle, stray whitespace
    out.append(
        'ex:d1 a skos:Concept ; skos:inScheme ex:s ; skos:notation "d1" ; skos:broader ex:c0 .'
    )
    out.append(
        'ex:d2 a skos:Concept ; skos:inScheme ex:s ; skos:notation "0" ; '
        'skos:prefLabel "Dup notation"@en ; skos:broader ex:c0 .'
    )
    out.append(
        'ex:d3 a skos:Concept ; skos:inScheme ex:s ; skos:notation "d3" ; '
        'skos:prefLabel "Cycle A"@en ; skos:broader ex:d4 .'
    )
    out.append(
        'ex:d4 a skos:Concept ; skos:inScheme ex:s ; skos:notation "d4" ; '
        'skos:prefLabel "Cycle  B"@en ; skos:broader ex:d3 .'
    )
    return "\n".join(out) + "\n"


def timed(label: str, func):  # type: ignore[no-untyped-def]
    """Run ``func``; print wall and CPU time; return (result, wall seconds)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func()
    elapsed, cpu_used = time.perf_counter() - start, time.process_time() - cpu
    print(f"  {label:<48} {elapsed:8.2f} s  (CPU {cpu_used:.2f} s)")
    return result, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--concepts", type=int, default=100_000)
    parser.add_argument("--shacl-concepts", type=int, default=10_000)
    parser.add_argument(
        "--full-shacl", action="store_true", help="also run pyshacl on the full file"
    )
    args = parser.parse_args()

    from rdflib import Graph

    from lgstandards.publish.check import check_vocabulary
    from lgstandards.publish.diff import diff_vocabularies
    from lgstandards.publish.shacl import load_profile, run_profile

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        full = folder / "full.ttl"
        nxt = folder / "next.ttl"
        small = folder / "small.ttl"
        full.write_text(generate(args.concepts), encoding="utf-8")
        nxt.write_text(generate(args.concepts, variant=True), encoding="utf-8")
        small.write_text(generate(args.shacl_concepts), encoding="utf-8")
        print(
            f"full file: {args.concepts:,} concepts, {full.stat().st_size / 1e6:.1f} MB; "
            f"subset: {args.shacl_concepts:,} concepts"
        )

        print("lgstandards (pyoxigraph parse + Python checks):")
        report, t_check = timed(f"check {args.concepts:,} concepts", lambda: check_vocabulary(full))
        print(f"    {len(report)} issue(s): {sorted(set(report.codes()))}")
        diff, t_diff = timed(
            f"diff {args.concepts:,} vs next version", lambda: diff_vocabularies(full, nxt)
        )
        print(f"    {diff.summary()} -> bump {diff.required_bump(allow_breaking=True)}")
        small_report, t_check_small = timed(
            f"check {args.shacl_concepts:,} concepts", lambda: check_vocabulary(small)
        )

        print("pyshacl with schemas/shapes/skos-profile.ttl:")
        shapes = load_profile()
        g_small, t_parse_small = timed(
            f"rdflib parse {args.shacl_concepts:,} concepts", lambda: Graph().parse(small)
        )
        shacl_small, t_shacl_small = timed(
            f"pyshacl validate {args.shacl_concepts:,} concepts",
            lambda: run_profile(g_small, shapes=shapes),
        )
        ours = {(i.code, i.path) for i in small_report}
        theirs = {(i.code, i.path) for i in shacl_small}
        print(f"    same findings on the subset: {ours == theirs} ({len(ours)} vs {len(theirs)})")
        if ours != theirs:
            print(f"    only check: {sorted(ours - theirs)[:5]}")
            print(f"    only pyshacl: {sorted(theirs - ours)[:5]}")
        shacl_small_total = t_parse_small + t_shacl_small
        ratio_small = shacl_small_total / t_check_small
        print(
            f"\nsubset ({args.shacl_concepts:,} concepts): check {t_check_small:.2f} s vs pyshacl "
            f"{shacl_small_total:.1f} s (parse + validate): check is {ratio_small:.0f}x faster"
        )
        scale = args.concepts / args.shacl_concepts
        print(f"full ({args.concepts:,} concepts): check {t_check:.2f} s, diff {t_diff:.2f} s")
        if args.full_shacl:
            g_full, t_parse = timed(f"rdflib parse {args.concepts:,}", lambda: Graph().parse(full))
            shacl_full, t_val = timed(
                f"pyshacl validate {args.concepts:,}", lambda: run_profile(g_full, shapes=shapes)
            )
            same = {(i.code, i.path) for i in shacl_full} == {(i.code, i.path) for i in report}
            print(f"    same findings on the full file: {same}")
            total = t_parse + t_val
            print(f"full: pyshacl {total:.1f} s: check is {total / t_check:.0f}x faster")
        else:
            print(
                f"  pyshacl on the full file not run (--full-shacl); linear extrapolation from the "
                f"subset: >= {shacl_small_total * scale:.0f} s, i.e. >= "
                f"{shacl_small_total * scale / t_check:.0f}x the check (SPARQL shapes grow faster)"
            )


if __name__ == "__main__":
    main()
