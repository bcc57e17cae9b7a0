"""The docs site's search (lgstandards-search.js) ranks as the library does, to the point.

Node runs the JavaScript scorer over the built index files; every query's ten best
(code, integer score) pairs must equal those of ``SearchIndex.rank``. The queries cover
the classes of reading: every label (exact), labels in lower case with a letter dropped
(typos), split and joined words, American spellings, residents' words, codes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lgstandards.vocab import functions, lgil, lgnl, lgsl
from lgstandards.vocab._base import Vocabulary
from lgstandards.vocab.search import lexicon, words

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = (
    Path(__file__).resolve().parents[2] / "src/lgstandards/sphinxext/static/lgstandards-search.js"
)
RUNNER = """
const fs = require("fs");
const LGSSearch = require(process.argv[1]);
const index = new LGSSearch(JSON.parse(fs.readFileSync(process.argv[2], "utf8")));
const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
const out = queries.map((q) => index.search(q, 10).map((h) => [h.code, h.points]));
process.stdout.write(JSON.stringify(out));
"""

pytestmark = pytest.mark.skipif(NODE is None, reason="needs node to run the docs' scorer")


def _queries(vocabulary: Vocabulary[object]) -> list[str]:
    queries: list[str] = ["", "   ", "the", "57", f"{vocabulary.name} 5", "1", "zzzzqqqq"]
    for concept in vocabulary:
        label = concept.label  # type: ignore[attr-defined]
        queries.append(label)
        found = words(label)
        if found:
            longest = max(found, key=len)
            if len(longest) > 4:
                cut = len(longest) // 2
                typo = longest[:cut] + longest[cut + 1 :]
                queries.append(" ".join(typo if w == longest else w for w in found))
                queries.append(longest[: max(3, len(longest) - 3)])  # being typed
            if len(found) >= 2:
                queries.append(found[0] + found[1])  # joined
                queries.append(" ".join(found) + "s")  # another form
    table = lexicon()
    queries += [f"{american} help" for american in list(table.spellings)[:40]]
    queries += [f"report {residents}" for residents, _, _ in table.residents]
    return queries


@pytest.mark.parametrize("vocabulary", [lgsl, lgil, functions, lgnl], ids=lambda v: v.name)
def test_the_javascript_scorer_ranks_as_python_does(
    vocabulary: Vocabulary[object], tmp_path: Path
) -> None:
    index = vocabulary.search_index()  # type: ignore[attr-defined]
    queries = _queries(vocabulary)
    index_file = tmp_path / "index.json"
    index_file.write_text(json.dumps(index.data), encoding="utf-8")
    queries_file = tmp_path / "queries.json"
    queries_file.write_text(json.dumps(queries), encoding="utf-8")
    done = subprocess.run(
        [NODE, "-e", RUNNER, str(SCRIPT), str(index_file), str(queries_file)],  # type: ignore[list-item]
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    wrong = []
    for query, javascript in zip(queries, found, strict=True):
        python = [[index.codes[doc], score] for doc, score in index.rank(query, 10)]
        if javascript != python:
            wrong.append((query, python[:3], javascript[:3]))
    assert not wrong, f"{len(wrong)} of {len(queries)} differ, e.g. {wrong[:5]}"
