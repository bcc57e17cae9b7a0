"""The pytest plugin, run in throw-away test suites with pytester."""

from __future__ import annotations

import pytest

from lgstandards.conformance import cases, known_schema_versions

pytest_plugins = ["pytester"]

VALID = "examples/epay/valid/payment-request.xml"


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    return pytester


def test_plugin_is_registered_by_entry_point(suite: pytest.Pytester) -> None:
    result = suite.runpytest("--help")
    result.stdout.fnmatch_lines(["*--lgstandards-schema-version=VERSION*"])
    markers = suite.runpytest("--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.lgstandards_conformance*"])


def test_marker_runs_once_per_case(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.lgstandards_conformance
        def test_case(conformance_case, lgstandards_validate):
            report = lgstandards_validate(conformance_case.path)
            found = {i.code for i in report.issues if i.severity.value != "info"}
            assert found == set(conformance_case.codes)
        """
    )
    result = suite.runpytest("-q")
    # The messages of exchange cases come with the lgstandards_exchange marker instead.
    result.assert_outcomes(passed=len([c for c in cases() if c.exchange is None]))


def test_marker_narrows_by_family_and_expectation(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.lgstandards_conformance(families=["epay"], expect="valid")
        def test_valid_epay(conformance_case, assert_conforms):
            assert conformance_case.family == "epay"
            assert_conforms(conformance_case.path, kind=conformance_case.kind)
        """
    )
    expected = [c for c in cases() if c.family == "epay" and c.expects_valid]
    result = suite.runpytest("-q", "--collect-only")
    for case in expected:
        result.stdout.fnmatch_lines([f"*test_valid_epay[[]{case.name}[]]*"])
    result = suite.runpytest("-q")
    result.assert_outcomes(passed=len(expected))


def test_assert_conforms_fails_with_the_issue_list(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        from lgstandards.pytest_plugin import assert_conforms

        def test_bad(conformance_cases):
            bad = next(c for c in conformance_cases if c.name.endswith("request-bad-postcode.xml"))
            assert_conforms(bad.path.read_bytes(), kind="epay.payment-request")
        """
    )
    result = suite.runpytest("-q")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*AssertionError: document does not conform: 2 error(s), 0 warning(s)",
            "*error xsd.pattern*AA9A 9CI*",
            "*error rule.COM-R014*",
        ]
    )


def test_schema_version_option_selects_cases(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.lgstandards_conformance
        def test_case(conformance_case, lgstandards_schema_version):
            assert lgstandards_schema_version == "2.0"
            assert conformance_case.schema_version in (None, "2.0")
        """
    )
    expected = [c for c in cases(schema_version="2.0") if c.exchange is None]
    assert 0 < len(expected) < len(cases())
    result = suite.runpytest("-q", "--lgstandards-schema-version=2.0")
    result.assert_outcomes(passed=len(expected))
    result.stdout.no_fnmatch_line("*payment-request.xml*")


def test_schema_version_header(suite: pytest.Pytester) -> None:
    suite.makepyfile("def test_nothing():\n    pass\n")
    version = known_schema_versions()[0]
    result = suite.runpytest(f"--lgstandards-schema-version={version}")
    result.stdout.fnmatch_lines([f"*conformance kit for schema version {version}*"])


def test_unknown_schema_version_is_a_usage_error(suite: pytest.Pytester) -> None:
    suite.makepyfile("def test_nothing():\n    pass\n")
    result = suite.runpytest("--lgstandards-schema-version=9.9")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    known = "known versions: 001.02, 001.03, 001.08, 1.0, 1.1, 2.0"
    result.stderr.fnmatch_lines([f"*--lgstandards-schema-version*'9.9'*{known}*"])


def test_case_fixture_without_marker_fails_clearly(suite: pytest.Pytester) -> None:
    suite.makepyfile("def test_unmarked(conformance_case):\n    pass\n")
    result = suite.runpytest("-q")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*needs @pytest.mark.lgstandards_conformance*"])


def test_bad_marker_arguments_are_reported(suite: pytest.Pytester) -> None:
    suite.makepyfile(
        """
        import pytest

        @pytest.mark.lgstandards_conformance(expect="maybe")
        def test_case(conformance_case):
            pass
        """
    )
    result = suite.runpytest("-q")
    assert result.ret != pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*lgstandards_conformance: expect must be 'valid' or 'invalid'*"])
    result.stdout.no_fnmatch_line("*Traceback*")


def test_plugin_import_is_cheap() -> None:
    """Every pytest run in an environment with lgstandards loads the plugin: keep it light."""
    import subprocess
    import sys

    code = (
        "import sys, lgstandards.pytest_plugin\n"
        "heavy = [m for m in ('lxml', 'rdflib', 'pyshacl', 'hypothesis', 'pydantic', "
        "'lgstandards.validation.engine', 'lgstandards.conformance') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
