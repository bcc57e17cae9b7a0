"""Start-up: validating one document loads only what its kind needs.

Measured by the benchmark (``benchmarks/bench_validate.py``), kept here as behaviour:
in a fresh process, validating an e-Pay message through the command line imports no
pydantic model machinery, no other family's rule module, no process-pool machinery
(one file, one job), no RDF stack, and, once the disk cache holds the compiled
Schematron, not the ISO skeleton compiler either. And whatever modules are loaded,
each kind gets exactly the Python rules it got when every rule module is loaded.

What the modules it loads do at import is kept small too: compiling a regular
expression or making a dataclass (whose methods are compiled from source) costs more
than the rest of a module, so those modules compile only the patterns every such run
uses (the others are :class:`lgstandards._regex.LazyPattern`) and make only the public
records as dataclasses (private records are named tuples).
"""

from __future__ import annotations

import json
import os
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
    "lgstandards.validation.govtalk",  # an envelope's layer
    "lgstandards.validation.vocabcheck",  # a kind with LGSL or LGIL code fields
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
    # What only a crashed step (a traceback), a list read from its source CSV, or a
    # document holding a postcode or a National Insurance number needs.
    "traceback",
    "csv",
    "lgstandards.models.identifiers",
    # What only a council's profile file (--profile) needs.
    "lgstandards.validation.profile_files",
    "tomllib",
    # The C libraries' loading: only a large batch's columns are read in C.
    "ctypes",
    "lgstandards._clib",
    "lgstandards.rules._columns",
    "lgstandards.validation._tagcount",
)
#: Not needed either once the disk cache holds the compiled Schematron (storing an
#: entry writes a temporary file; streamlining reads the rules' patterns); no report
#: format in text needs them.
NOT_NEEDED_WARM = ("tempfile", "shutil", "lgstandards.rules.patterns")

#: A child process's one-file run (the file is its first argument); what it then prints
#: on stderr follows.
_RUN_ONE_FILE = r"""
import dataclasses, gc, json, re, sys
from lgstandards.cli import main
sys.argv = ["lgstandards", "validate", "-q", sys.argv[1]]
try:
    main()
except SystemExit:
    pass
"""
_CHILD = _RUN_ONE_FILE + "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"

#: The module-level compiled patterns a one-file e-Pay run uses (the others are lazy).
EAGER_PATTERNS = {
    ("lgstandards._xmlvalues", "_DECIMAL"),
    ("lgstandards._xmlvalues", "_INTEGER"),
    ("lgstandards._xmlvalues", "_DATE"),
    ("lgstandards.codes", "CODE_PATTERN"),  # public
}
#: The dataclasses of the modules a one-file e-Pay run loads: public records only.
PUBLIC_RECORDS = {
    "lgstandards.artefacts.catalogue.CatalogEntry",
    "lgstandards.artefacts.kinds.KindSpec",
    "lgstandards.codes.IssueCode",
    "lgstandards.report.Issue",
    "lgstandards.report.ValidationReport",
    "lgstandards.rules.epay.FundRule",
    "lgstandards.safexml.Limits",
    "lgstandards.validation.core.Options",
    "lgstandards.validation.profile.Profile",
}

_IMPORT_WORK_CHILD = (
    _RUN_ONE_FILE
    + r"""
patterns, records = [], []
for name, module in list(sys.modules.items()):
    if not name.startswith("lgstandards"):
        continue
    for attribute, value in vars(module).items():
        if isinstance(value, re.Pattern):
            patterns.append((name, attribute))
        elif isinstance(value, type) and value.__module__ == name:
            if dataclasses.is_dataclass(value):
                records.append(f"{name}.{value.__qualname__}")
print(json.dumps([patterns, records, gc.get_freeze_count()]), file=sys.stderr)
"""
)


def test_one_epay_file_compiles_no_pattern_or_dataclass_it_can_do_without(
    tmp_path: Path,
) -> None:
    path = batch_file(tmp_path / "batch.xml", 3, bad_every=2)
    env = _child_env(tmp_path / "cache")
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_WORK_CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    patterns, records, frozen = json.loads(result.stderr.strip().splitlines()[-1])
    assert {tuple(p) for p in patterns} <= EAGER_PATTERNS
    assert set(records) <= PUBLIC_RECORDS
    # What is alive when the command ends is left out of the shutdown's collections.
    assert frozen > 0


#: The child's one-file run, noting each method a dataclass compiles from source.
_GENERATED_CHILD = (
    r"""
import dataclasses, json, sys
made = []
create = dataclasses._create_fn
def noting(name, *args, **kwargs):
    made.append(name)
    return create(name, *args, **kwargs)
dataclasses._create_fn = noting
"""
    + _RUN_ONE_FILE
    + "print(json.dumps(made), file=sys.stderr)\n"
)


def test_one_epay_file_compiles_no_dataclass_method_it_can_do_without(tmp_path: Path) -> None:
    # The public records write out their __init__, __repr__, __eq__ and __hash__
    # (lgstandards._records); a frozen one's __setattr__ and __delattr__ are still made.
    path = batch_file(tmp_path / "batch.xml", 3, bad_every=2)
    result = subprocess.run(
        [sys.executable, "-c", _GENERATED_CHILD, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=_child_env(tmp_path / "cache"),
    )
    made = json.loads(result.stderr.strip().splitlines()[-1])
    assert set(made) <= {"__setattr__", "__delattr__"}


def _child_env(cache: Path) -> dict[str, str]:
    """A clean environment for a child run, with its own disk cache.

    ``PYTHONPATH`` is kept: a tree under test put first on the path is the one the
    child must import.
    """
    env = {"LGSTANDARDS_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def _modules_loaded(path: Path, cache: Path) -> list[str]:
    env = _child_env(cache)
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


def test_a_valid_file_loads_no_issue_code(tmp_path: Path) -> None:
    path = batch_file(tmp_path / "batch.xml", 3)
    loaded = _modules_loaded(path, tmp_path / "cache")
    assert "lgstandards.rules.epay" in loaded  # its rules ran
    assert [m for m in loaded if m.startswith("lgstandards.codes")] == []


#: ``python -m lgstandards validate FILE`` in a child, counting the cyclic collector's runs.
_COLLECTIONS_CHILD = r"""
import atexit, gc, json, runpy, sys
import lgstandards  # as python -m does before running lgstandards.__main__
runs = []
gc.callbacks.append(lambda phase, info: phase == "start" and runs.append(info["generation"]))
atexit.register(lambda: print(json.dumps(runs), file=sys.stderr))  # before the teardown
sys.argv = ["lgstandards", "validate", "-q", sys.argv[1]]
runpy.run_module("lgstandards", run_name="__main__")
"""


@pytest.mark.parametrize("bad_every", [0, 2])
def test_one_file_run_makes_no_cyclic_collection(tmp_path: Path, bad_every: int) -> None:
    # What start-up imports lives to the end: the collector does not walk it over and
    # over (it did about 35 times, for 4% of the run), whether the file is valid or not.
    import compileall

    import lgstandards

    # Compiling a module from its source makes objects too: the package is used
    # compiled, as installed.
    if not compileall.compile_dir(Path(lgstandards.__file__).parent, quiet=2):
        pytest.skip("the package's bytecode cannot be written here")
    path = batch_file(tmp_path / "batch.xml", 3, bad_every=bad_every)
    env = _child_env(tmp_path / "cache")
    for _ in range(2):  # the second run has the compiled Schematron from the disk cache
        result = subprocess.run(
            [sys.executable, "-c", _COLLECTIONS_CHILD, str(path)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        assert result.returncode == (1 if bad_every else 0)
        assert json.loads(result.stderr.strip().splitlines()[-1]) == []


def test_main_restores_the_collector_thresholds(tmp_path: Path) -> None:
    import gc

    from lgstandards.cli import main

    path = batch_file(tmp_path / "batch.xml", 3)
    before = gc.get_threshold()
    with pytest.raises(SystemExit):
        main(["validate", "-q", str(path)])
    assert gc.get_threshold() == before


#: ``python -m lgstandards validate ...`` in a child holding an object that says when the
#: interpreter's teardown frees it (made after the command's gc.freeze, in a module of
#: its own, so that the teardown would free it); with ``handler``, an exit handler.
_TEARDOWN_CHILD = r"""
import atexit, gc, os, runpy, sys, types
class Witness:
    def __del__(self, write=os.write):
        write(2, b"torn down\n")
freeze = gc.freeze
def freezing():
    freeze()
    holder = sys.modules["_witness"] = types.ModuleType("_witness")
    holder.witness = Witness()
gc.freeze = freezing
if sys.argv[1] == "handler":
    atexit.register(lambda: print("handler ran", file=sys.stderr))
sys.argv = ["lgstandards", "validate", *sys.argv[2:]]
runpy.run_module("lgstandards", run_name="__main__")
"""


@pytest.mark.parametrize(("bad_every", "code"), [(0, 0), (2, 1)])
def test_the_command_ends_without_the_interpreters_teardown(
    tmp_path: Path, bad_every: int, code: int
) -> None:
    # Freeing every module's objects one by one cost a one-file run 4% of its
    # instructions; the process's end frees them anyway. Output and exit code as ever.
    path = batch_file(tmp_path / "batch.xml", 3, bad_every=bad_every)
    report = tmp_path / "report.json"
    result = subprocess.run(
        [sys.executable, "-c", _TEARDOWN_CHILD, "plain", "-o", str(report), str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=_child_env(tmp_path / "cache"),
    )
    assert result.returncode == code
    assert "torn down" not in result.stderr
    assert "1 document(s)" in result.stderr
    shown = subprocess.run(
        [sys.executable, "-c", _TEARDOWN_CHILD, "plain", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=_child_env(tmp_path / "cache"),
    )
    assert shown.returncode == code
    assert shown.stdout.count(str(path)) == (0 if code == 0 else 2)
    issues = json.loads(report.read_text(encoding="utf-8"))["documents"][0]["issues"]
    assert len(issues) == (0 if code == 0 else 2)


def test_an_exit_handler_gets_the_interpreters_usual_exit(tmp_path: Path) -> None:
    path = batch_file(tmp_path / "batch.xml", 3)
    result = subprocess.run(
        [sys.executable, "-c", _TEARDOWN_CHILD, "handler", "-q", str(path)],
        capture_output=True,
        text=True,
        check=False,
        env=_child_env(tmp_path / "cache"),
    )
    assert result.returncode == 0
    assert "handler ran" in result.stderr
    assert "torn down" in result.stderr


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
