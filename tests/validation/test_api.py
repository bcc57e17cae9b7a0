"""The public entry points: one signature, plain typed functions, cheap import."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest
from tests_validate_support import FIXTURES

import lgstandards
from lgstandards.exceptions import SchemaNotFoundError
from lgstandards.validation import is_valid, iter_issues, validate


def test_same_signature() -> None:
    signature = inspect.signature(validate)
    assert inspect.signature(is_valid).parameters == signature.parameters
    assert inspect.signature(iter_issues).parameters == signature.parameters


def test_the_top_level_functions_are_the_validation_functions() -> None:
    assert lgstandards.validate is validate
    assert lgstandards.is_valid is is_valid
    assert lgstandards.iter_issues is iter_issues
    report = lgstandards.validate(FIXTURES / "batch-valid.xml")
    assert report.ok
    assert report.kind == "test.batch"


def test_help_shows_the_full_signature() -> None:
    shown = str(inspect.signature(lgstandards.validate))
    assert shown.startswith("(source: ")
    for name in ("kind", "lang", "as_of", "streaming", "limits", "checks"):
        assert f"{name}: " in shown


def test_is_valid_and_iter_issues() -> None:
    assert is_valid(FIXTURES / "batch-valid.xml")
    assert not is_valid(FIXTURES / "batch-invalid.xml")
    codes = [i.code for i in iter_issues(FIXTURES / "batch-invalid.xml")]
    assert sorted(codes) == sorted(validate(FIXTURES / "batch-invalid.xml").codes())


def test_file_object_source() -> None:
    with (FIXTURES / "batch-valid.xml").open("rb") as handle:
        report = validate(handle)
    assert report.ok
    assert report.source == str(FIXTURES / "batch-valid.xml")


def test_bad_arguments_raise() -> None:
    with pytest.raises(ValueError, match="lang"):
        validate(b"<a/>", lang="fr")
    with pytest.raises(SchemaNotFoundError):
        validate(b"<a/>", kind="no.such-kind")
    with pytest.raises(ValueError, match="checks"):
        validate(b"<a/>", checks=["spelling"])


def test_import_is_cheap() -> None:
    code = (
        "import sys, lgstandards, lgstandards.validation, lgstandards.validation.formats;"
        "heavy = {'lxml.etree', 'rdflib', 'pyshacl', 'pyoxigraph', 'rich'} & set(sys.modules);"
        "print(sorted(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
