"""Build the published forms and search index of every vocabulary (<list>/built/).

    python scripts/build_vocabularies.py            # build every list in MANIFEST.json
    python scripts/build_vocabularies.py lgsl lgil  # build only these
    python scripts/build_vocabularies.py --check    # exit 1 listing stale files, write nothing

``--root DIR`` builds the lists of another vocabularies folder.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lgstandards.publish.skos import stale_files, write_built  # noqa: E402
from lgstandards.vocab.indexes import stale_search_file, write_search_file  # noqa: E402
from lgstandards.vocab.source import list_ids  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("lists", nargs="*", help="list ids (default: every list)")
    parser.add_argument("--root", type=Path, default=REPO / "vocabularies")
    parser.add_argument("--check", action="store_true", help="only report stale built files")
    args = parser.parse_args(argv)
    lists = args.lists or list_ids(args.root)
    if args.check:
        stale = [
            path
            for list_id in lists
            for path in [*stale_files(list_id, args.root), *stale_search_file(list_id, args.root)]
        ]
        for path in stale:
            print(f"stale: {path.relative_to(args.root.parent)}")
        if stale:
            print("run: python scripts/build_vocabularies.py", file=sys.stderr)
            return 1
        print(f"{len(lists)} list(s) up to date")
        return 0
    for list_id in lists:
        paths = [*write_built(list_id, args.root), *write_search_file(list_id, args.root)]
        print(f"{list_id}: " + ", ".join(path.name for path in paths))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
