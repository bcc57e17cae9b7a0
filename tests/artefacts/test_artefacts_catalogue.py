"""The catalogue is read into one model; a broken catalogue is an error, never an empty one."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lgstandards._resources import schemas_root
from lgstandards.artefacts import catalogue, kinds
from lgstandards.artefacts.catalogue import CATALOGUE_FILE, read_catalogue
from lgstandards.exceptions import DataNotFoundError

SHIPPED: dict[str, Any] = json.loads((schemas_root() / CATALOGUE_FILE).read_text("utf-8"))
KEYS = ["namespace", "prefix", "file", "version", "rules", "python_rules", "models", "roots"]
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _write(folder: Path, data: object) -> Path:
    path = folder / CATALOGUE_FILE
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_shipped_catalogue_reads_the_same_as_the_package_catalogue() -> None:
    assert read_catalogue(schemas_root() / CATALOGUE_FILE) == catalogue.entries()


def test_every_catalogued_kind_has_one_spec_built_from_its_entry() -> None:
    specs = kinds.all_kinds()
    assert set(catalogue.kinds()) <= set(specs)
    for kind in catalogue.kinds():
        entry, spec = catalogue.entry_for_kind(kind), specs[kind]
        root = entry.root_for_kind(kind)
        assert (spec.namespace, spec.root) == (entry.namespace, root)
        assert kinds.spec_for_root(entry.namespace, root) == spec
        assert spec.schema_file == entry.path
        assert spec.rules_file == entry.rules_path
        assert spec.versions == entry.versions_of(root)
        assert spec.record == entry.streaming.get(root)
        assert dict(spec.body_classes) == dict(entry.body_classes)
        assert dict(spec.prefixes) == dict(catalogue.prefixes())


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "missing"),
        (b"{", "not JSON"),
        (b"\xff\xfe", "not JSON"),
        (b"[]", "namespaces must be a list"),
        (b'{"namespaces": {}}', "namespaces must be a list"),
        (b'{"namespaces": [7]}', "namespaces[0] must be an object"),
    ],
)
def test_an_unreadable_catalogue_names_the_file_and_the_fault(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    path = tmp_path / CATALOGUE_FILE
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DataNotFoundError, match=re.escape(problem)) as caught:
        read_catalogue(path)
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("twice", ["namespace", "kind"])
def test_a_namespace_or_kind_listed_twice_is_refused(tmp_path: Path, twice: str) -> None:
    data = json.loads(json.dumps(SHIPPED))
    epay = next(item for item in data["namespaces"] if item["prefix"] == "epay")
    copy = dict(epay, prefix="again")
    if twice == "kind":
        copy["namespace"] = "urn:lgstandards:test:again"
    data["namespaces"].append(copy)
    with pytest.raises(DataNotFoundError, match="listed twice"):
        read_catalogue(_write(tmp_path, data))


@settings(max_examples=200, deadline=None)
@given(
    index=st.integers(min_value=0, max_value=len(SHIPPED["namespaces"]) - 1),
    key=st.sampled_from([*KEYS, "streaming", "body"]),
    value=JSON,
)
def test_any_field_of_any_value_reads_or_raises_the_library_error(
    tmp_path_factory: pytest.TempPathFactory, index: int, key: str, value: object
) -> None:
    data = json.loads(json.dumps(SHIPPED))
    data["namespaces"][index][key] = value
    path = _write(tmp_path_factory.mktemp("catalogue"), data)
    problem = None
    try:
        found = read_catalogue(path)
    except DataNotFoundError as exc:  # any other exception fails the test
        problem = str(exc)
    if problem is None:
        assert len(found) == len(SHIPPED["namespaces"])
        assert all(isinstance(e.namespace, str) and e.namespace for e in found)
    else:
        assert str(path) in problem
        assert f"namespaces[{index}]" in problem or "listed twice" in problem


#: Run every reader of the catalogue against a broken one, in a fresh interpreter.
PROBE = """
import sys
from pathlib import Path
import lgstandards._resources as resources
resources.data_root = lambda kind: Path(sys.argv[1])
from lgstandards.artefacts import catalogue, kinds, schemas
from lgstandards.exceptions import DataNotFoundError
readers = {
    "entries": catalogue.entries,
    "kinds": catalogue.kinds,
    "kind_for": lambda: catalogue.kind_for("urn:lgstandards:epay:1", "PaymentRequest"),
    "prefixes": catalogue.prefixes,
    "rule_files": catalogue.rule_files,
    "all_kinds": kinds.all_kinds,
    "spec_for_kind": lambda: kinds.spec_for_kind("epay.payment-request"),
    "spec_for_root": lambda: kinds.spec_for_root("urn:lgstandards:epay:1", "PaymentRequest"),
    "kind_prefixes": kinds.prefixes,
    "lxml_schema": lambda: schemas.lxml_schema("epay.payment-request"),
}
for name, reader in readers.items():
    try:
        reader()
    except DataNotFoundError as exc:
        print(name, "catalog.json" in str(exc))
    else:
        print(name, "read nothing")
"""


@pytest.mark.parametrize("content", [None, b"not json", b'{"namespaces": [{"prefix": 1}]}'])
def test_no_reader_swallows_a_broken_catalogue(tmp_path: Path, content: bytes | None) -> None:
    if content is not None:
        (tmp_path / CATALOGUE_FILE).write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path)], capture_output=True, text=True, check=True
    )
    lines = done.stdout.split("\n")
    assert len([line for line in lines if line]) == 10
    assert all(line.endswith(" True") for line in lines if line), done.stdout
