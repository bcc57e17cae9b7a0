"""Compare two revisions of lgstandards on one measure, in interleaved fresh processes.

    .venv/bin/python benchmarks/compare_revisions.py OLD                # OLD against the work tree
    .venv/bin/python benchmarks/compare_revisions.py OLD NEW --measure read --pairs 12

Each revision's ``src``, ``schemas``, ``vocabularies`` and ``examples`` are exported
(``git archive``) into a temporary folder (the work tree is used as it is for NEW when
none is given), and both trees are compiled first (``compileall``): a tree without
bytecode compiles the modules ``validate`` imports lazily inside the clock, some 70 ms,
which tilts a comparison by about 5 % (this environment sets
``PYTHONDONTWRITEBYTECODE``). Then ``--pairs`` rounds run the measure once per
revision, each in a fresh process, the two taking turns to go first; a slow spell of a
shared machine falls on both sides of a pair. Prints each side's least and median time
and the median of the pairs' ratios (NEW / OLD: below 1 is faster).

Measures (the inputs are made once, by the work tree's generators, and shared):

* ``stream``: ``validate(batch, streaming=True)`` on a reconciliation batch of
  ``--records`` records (default 100,000), all checks; ``--bad-every N`` breaks every
  N-th record (two issues each), for the cost of errors;
* ``whole``: ``validate(batch, streaming=False)`` on the same batch;
* ``read``: ``from_xml`` of 1,000 copies of an e-Pay example (``--message``, default
  ``dispute.xml``), each with its own identifier, least CPU time of 20 rounds, per message.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests" / "validation"
EXPORTED = ("src", "schemas", "vocabularies", "examples", "hatch_build.py")

#: Runs a tree's build hook (argv[1]) on the tree: one library per C file, or the sink
#: of the hook's first form (``SOURCE``/``LIBRARY``). A failed build leaves it pure.
_BUILD = """
import importlib.util, sys
from pathlib import Path
spec = importlib.util.spec_from_file_location("hatch_build", sys.argv[1])
hook = importlib.util.module_from_spec(spec)
spec.loader.exec_module(hook)
root = Path(sys.argv[1]).parent
for native in getattr(hook, "LIBRARIES", ()):
    hook.build_library(root, native)
if not hasattr(hook, "LIBRARIES") and hasattr(hook, "build_library"):
    hook.build_library(root)
"""

#: The child validating a batch: argv[1] the batch, argv[2] "stream" or "whole".
_VALIDATE = """
import sys, time
from lgstandards.validation import validate
start = time.perf_counter()
validate(sys.argv[1], streaming=sys.argv[2] == "stream")
print(time.perf_counter() - start)
"""

#: Each measure's child and its arguments after the input; the child prints seconds.
CHILDREN = {
    "stream": (_VALIDATE, ["stream"]),
    "whole": (_VALIDATE, ["whole"]),
    "read": (
        """
import gc, sys, time
from pathlib import Path
from lxml import etree
import importlib
from lgstandards.models import MODULES
from lgstandards.models._xml import root_model
for module in MODULES:  # each registers its messages' root elements
    importlib.import_module(f"lgstandards.models.{module}")
data = Path(sys.argv[1]).read_bytes()
root = etree.fromstring(data)
model = root_model(etree.QName(root).namespace, etree.QName(root).localname)
example = model.from_xml(data)
# its first text field after the header and version: the message's own identifier
field = next(k for k, v in example if isinstance(v, str) and k != "schema_version")
documents = [
    example.model_copy(update={field: f"{getattr(example, field)}-{i}"}).to_xml()
    for i in range(1000)
]
least = float("inf")
for _ in range(20):
    gc.collect()
    start = time.process_time()
    [model.from_xml(d) for d in documents]
    least = min(least, time.process_time() - start)
print(least / len(documents))
""",
        [],
    ),
}


def commit_of(revision: str) -> str | None:
    """Return the commit ``revision`` names in this repository, or None."""
    done = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None if done.returncode == 0 else None


def export(revision: str, folder: Path) -> Path:
    """Write ``revision``'s exported folders under ``folder``; return its ``src``."""
    folder.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", revision, *EXPORTED], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def compiled(src: Path) -> Path:
    """Compile a tree's modules and C libraries (see the module's docstring); return it.

    The libraries are built by the tree's own build hook (``hatch_build.py``), as
    installing that revision builds them; the work tree has its own already.
    """
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(src)], check=True, capture_output=True
    )
    hook = src.parent / "hatch_build.py"
    if src != ROOT / "src" and hook.is_file():
        subprocess.run(
            [sys.executable, "-c", _BUILD, str(hook)],
            cwd=src.parent,
            check=True,
            capture_output=True,
        )
    return src


def run(src: Path, measure: str, argument: str) -> float:
    """One fresh process of ``measure`` on ``src``: its seconds."""
    code, extra = CHILDREN[measure]
    done = subprocess.run(
        [sys.executable, "-c", code, argument, *extra],
        env={**os.environ, "PYTHONPATH": str(src)},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"the {measure} measure failed on {src}:\n{done.stderr[-2000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", help="the revision to compare against (a commit, tag or branch)")
    parser.add_argument("new", nargs="?", help="another revision (default: the work tree)")
    parser.add_argument("--measure", choices=sorted(CHILDREN), default="stream")
    parser.add_argument("--pairs", type=int, default=10)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument(
        "--bad-every", type=int, default=0, help="break every N-th record (stream, whole)"
    )
    parser.add_argument("--message", default="dispute.xml", help="an examples/epay/valid file")
    args = parser.parse_args()
    message = ROOT / "examples" / "epay" / "valid" / args.message
    if args.measure == "read" and not message.is_file():
        parser.error(f"no such example: {message}")
    for revision in (args.old, args.new):
        if revision is not None and commit_of(revision) is None:
            parser.error(f"no such revision in {ROOT}: {revision}")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        old = compiled(export(args.old, folder / "old"))
        new = compiled(export(args.new, folder / "new") if args.new else ROOT / "src")
        if args.measure == "read":
            argument = str(message)
            unit, scale = "µs a message", 1e6
        else:
            sys.path.insert(0, str(TESTS))
            from epay_batches import batch_file

            batch = batch_file(folder / "batch.xml", args.records, bad_every=args.bad_every)
            argument = str(batch)
            unit, scale = "s", 1.0
        times: dict[str, list[float]] = {"old": [], "new": []}
        for pair in range(args.pairs):
            order = [("old", old), ("new", new)]
            for side, src in order if pair % 2 else order[::-1]:
                times[side].append(run(src, args.measure, argument))
        ratios = [n / o for o, n in zip(times["old"], times["new"], strict=True)]
        errors = f", every {args.bad_every}th record broken" if args.bad_every else ""
        print(
            f"{args.measure}{errors}: {args.pairs} pairs, "
            f"{args.old} against {args.new or 'the work tree'}"
        )
        for side in ("old", "new"):
            values = times[side]
            print(
                f"  {side}: least {min(values) * scale:8.3f} {unit}, "
                f"median {statistics.median(values) * scale:8.3f} {unit}"
            )
        print(f"  median of the pairs' ratios (new / old): {statistics.median(ratios):.3f}")


if __name__ == "__main__":
    main()
