"""Start-up: validating one document loads only what its kind needs.

Measured by the benchmark (``benchmarks/bench_validate.py``), kept here as behaviour:
in a fresh process, validating an e-Pay message through the command line imports no
pydantic model machinery, no other family's rule module, no process-pool machinery
(one file, one job), no RDF stack, and, once the disk cache holds the compiled
Schematron, not the ISO skeleton compiler either. And whatever modules are loaded,
each kind gets exactly the Python rules it got when every rule module is loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from epay_batches import batch_file

from lgstandards.artefacts.catalogue import kinds

#: Modules a one-file e-Pay validation must not import (prefixes).
NOT_NEEDED = (
    "pydantic",
    "pydantic_core",
    "lgstandards.models.common",
    "lgstandards.models._xml",
    "lgstandards.rules.ebenefits",
    "concurrent.futures",
    "multiprocessing",
    "lgstandards.validation.rdf",
    "lgstandards.validation.stream",  # a file within the whole-document limit
    "rdflib",
    "pyoxigraph",
    # Only the parser's issue codes (the fatal ones), not every area's.
    "lgstandards.codes._rules",
    "lgstandards.codes._exchange",
    "lgstandards.codes._rdf",
    "lgstandards.codes._skos",
    "lgstandards.codes._vocab",
    # Running a Schematron file needs its namespaces and diagnostics, not its rule model.
    "lgstandards.artefacts._schrules",
    # OpenSSL (the disk cache hashes with the interpreter's own SHA-256).
    "hashlib",
    "_hashlib",
    # What only other report formats, other kinds or a crashed worker need.
    "signal",
    "string",
)
#: Not needed either once the disk cache holds the compiled Schematron (storing an
#: entry writes a temporary file); no report format in text needs them.
NOT_NEEDED_WARM = ("tempfile", "shutil")

_CHILD = r"""
import json, sys
from lgstandards.cli import main
sys.argv = ["lgstandards", "validate", "-q", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_loaded(path: Path, cache: Path) -> list[str]:
    env = {"LGSTANDARDS_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    loaded: list[str] = json.loads(result.stderr.strip().splitlines()[-1])
    return loaded


def test_one_epay_file_loads_only_what_its_kind_needs(tmp_path: Path) -> None:
    path = batch_file(tmp_path / "batch.xml", 3, bad_every=2)
    cache = tmp_path / "cache"
    first = _modules_loaded(path, cache)  # fills the disk cache
    second = _modules_loaded(path, cache)
    for loaded, unneeded in ((first, NOT_NEEDED), (second, NOT_NEEDED + NOT_NEEDED_WARM)):
        unwanted = [m for m in loaded if m.startswith(unneeded)]
        assert unwanted == []
    assert "lxml.isoschematron" in first
    assert "lxml.isoschematron" not in second  # the compiled Schematron came from disk


_PACKAGE_CHILD = r"""
import json, sys
import lgstandards
before = sorted(m for m in sys.modules if m.startswith("lgstandards"))
from lgstandards import *  # noqa: F403
import lgstandards.exceptions, lgstandards.report, lgstandards.validation
same = all(
    getattr(lgstandards, name) is getattr(sys.modules[home], name)
    for name, home in [
        ("validate", "lgstandards.validation"),
        ("is_valid", "lgstandards.validation"),
        ("iter_issues", "lgstandards.validation"),
        ("Issue", "lgstandards.report"),
        ("ValidationReport", "lgstandards.report"),
        ("LGStandardsError", "lgstandards.exceptions"),
    ]
)
print(json.dumps([before, same, sorted(set(lgstandards.__all__) - set(dir(lgstandards)))]))
"""


def test_importing_the_package_imports_its_exports_on_first_use() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _PACKAGE_CHILD], capture_output=True, text=True, check=True
    )
    before, same, missing = json.loads(result.stdout)
    assert before == ["lgstandards"]
    assert same
    assert missing == []


_RULES_CHILD = r"""
import json, sys
from lgstandards.rules import python_rules, rules_for
kinds = json.loads(sys.argv[1])
alone = {kind: sorted(r.id for r in rules_for(kind)) for kind in kinds}
python_rules()  # every module
everything = {kind: sorted(r.id for r in rules_for(kind)) for kind in kinds}
print(json.dumps([alone, everything]))
"""


@pytest.mark.parametrize("kind", kinds())
def test_each_kind_gets_the_same_rules_with_only_its_modules_loaded(kind: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", _RULES_CHILD, json.dumps([kind])],
        capture_output=True,
        text=True,
        check=True,
    )
    alone, everything = json.loads(result.stdout)
    assert alone == everything
