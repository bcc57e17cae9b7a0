"""The lgstandards pytest plugin, registered through the ``pytest11`` entry point.

Installed with the package, it gives suppliers' test suites:

* ``assert_conforms(document, kind=...)`` (also importable from here), failing with
  the readable list of issues;
* fixtures: ``lgstandards_validate`` (the validator), ``lgstandards_schema_version``
  (the version chosen on the command line, or None), ``conformance_cases`` (every
  case of the kit) and ``conformance_case`` (one case, see the marker);
* the marker ``@pytest.mark.lgstandards_conformance`` that runs a test once per
  conformance case, giving it ``conformance_case``; keyword arguments narrow the
  cases: ``families=("epay",)``, ``kinds=(...)``, ``expect="valid"`` or ``"invalid"``;
* the option ``--lgstandards-schema-version=1.0`` that points the kit at the cases
  of one schema version (an unknown version is a usage error);
* for exchange cases (histories of messages checked against a ledger): the marker
  ``@pytest.mark.lgstandards_exchange`` that runs a test once per exchange case, giving
  it ``exchange_case``; the fixture ``lgstandards_ledger`` (None: a new ledger in memory;
  override it to give each test an empty ledger of your own, e.g. a PostgreSQL database)
  and ``assert_exchange_conforms(exchange_case)``, which runs the history on that ledger.
  The ``lgstandards_conformance`` marker leaves the exchange cases' messages out: alone,
  they do not give their history's codes.

::

    import pytest

    @pytest.mark.lgstandards_conformance(families=["epay"])
    def test_my_importer(conformance_case):
        result = my_importer(conformance_case.path.read_bytes())
        assert result.accepted == conformance_case.expects_valid

Nothing heavy is imported until a test asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import TYPE_CHECKING, Any, NoReturn

from lgstandards.testing import INSTALL_TESTING
from lgstandards.testing.conformance import assert_conforms

try:
    import pytest
except ModuleNotFoundError as exc:
    if exc.name != "pytest":
        raise
    raise ModuleNotFoundError(
        f"the lgstandards pytest plugin needs pytest, which is not installed: {INSTALL_TESTING}",
        name="pytest",
    ) from None

if TYPE_CHECKING:
    from lgstandards.conformance.kit import Case
    from lgstandards.report import ValidationReport

#: The marker's name.
MARKER = "lgstandards_conformance"

#: The marker that runs a test once per exchange case.
EXCHANGE_MARKER = "lgstandards_exchange"

#: The command-line option choosing the kit's schema version.
OPTION = "--lgstandards-schema-version"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--lgstandards-schema-version``."""
    group = parser.getgroup("lgstandards", "lgstandards conformance kit")
    group.addoption(
        OPTION,
        dest="lgstandards_schema_version",
        default=None,
        metavar="VERSION",
        help="Run the lgstandards conformance cases of this schema version only "
        "(a version in the schema catalogue, e.g. 1.0).",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker and check the chosen schema version against the catalogue."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(families=None, kinds=None, expect=None): run the test once per "
        "lgstandards conformance case (fixture conformance_case).",
    )
    config.addinivalue_line(
        "markers",
        f"{EXCHANGE_MARKER}(names=None): run the test once per lgstandards exchange case "
        "(fixture exchange_case).",
    )
    version = config.getoption("lgstandards_schema_version", default=None)
    if version is not None:
        from lgstandards.conformance.kit import check_schema_version
        from lgstandards.exceptions import UnsupportedVersionError

        try:
            check_schema_version(str(version))
        except UnsupportedVersionError as exc:
            raise pytest.UsageError(f"{OPTION}: {exc}") from exc


def pytest_report_header(config: pytest.Config) -> str | None:
    """Name the kit's schema version in the header when one is chosen."""
    version = config.getoption("lgstandards_schema_version", default=None)
    if version is None:
        return None
    from lgstandards import __version__

    return f"lgstandards {__version__}: conformance kit for schema version {version}"


def _misuse(message: str) -> NoReturn:
    """Stop collection of a misused marker with a one-line message (no traceback)."""
    pytest.fail(f"{MARKER}: {message}", pytrace=False)


def _as_set(value: Any, name: str) -> frozenset[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, Collection):
        return frozenset(str(v) for v in value)
    _misuse(f"{name} must be a string or a list of strings")


def select_cases(
    schema_version: str | None,
    *,
    families: Any = None,
    kinds: Any = None,
    expect: str | None = None,
) -> tuple[Case, ...]:
    """Return the kit's cases for a schema version, narrowed as the marker asks."""
    from lgstandards.conformance.kit import cases

    if expect not in (None, "valid", "invalid"):
        _misuse(f"expect must be 'valid' or 'invalid', not {expect!r}")
    wanted_families = _as_set(families, "families")
    wanted_kinds = _as_set(kinds, "kinds")
    selected = []
    for case in cases(schema_version=schema_version):
        if case.exchange is not None:
            continue  # a message of a history: see the lgstandards_exchange marker
        if wanted_families is not None and case.family not in wanted_families:
            continue
        if wanted_kinds is not None and case.kind not in wanted_kinds:
            continue
        if expect is not None and case.expects_valid != (expect == "valid"):
            continue
        selected.append(case)
    return tuple(selected)


def select_exchange_cases(schema_version: str | None, *, names: Any = None) -> tuple[Any, ...]:
    """Return the kit's exchange cases for a schema version, narrowed to ``names``."""
    from lgstandards.conformance.exchanges import exchange_cases

    wanted = _as_set(names, "names")
    return tuple(
        case
        for case in exchange_cases(schema_version=schema_version)
        if wanted is None or case.name in wanted or case.name.split("/", 1)[-1] in wanted
    )


def _generate_exchange_tests(metafunc: pytest.Metafunc, marker: pytest.Mark) -> None:
    if marker.args or set(marker.kwargs) - {"names"}:
        pytest.fail(f"{EXCHANGE_MARKER}: takes the keyword argument names only", pytrace=False)
    if "exchange_case" not in metafunc.fixturenames:
        pytest.fail(
            f"{EXCHANGE_MARKER}: {metafunc.definition.nodeid} must take the exchange_case argument",
            pytrace=False,
        )
    version = metafunc.config.getoption("lgstandards_schema_version", default=None)
    selected = select_exchange_cases(version, **marker.kwargs)
    metafunc.parametrize("exchange_case", selected, ids=[c.name for c in selected])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrise tests carrying a marker over the conformance (or exchange) cases."""
    exchange_marker = metafunc.definition.get_closest_marker(EXCHANGE_MARKER)
    if exchange_marker is not None:
        _generate_exchange_tests(metafunc, exchange_marker)
    marker = metafunc.definition.get_closest_marker(MARKER)
    if marker is None:
        return
    if marker.args:
        _misuse("takes keyword arguments only")
    unknown = set(marker.kwargs) - {"families", "kinds", "expect"}
    if unknown:
        _misuse(f"unknown arguments {sorted(unknown)}")
    if "conformance_case" not in metafunc.fixturenames:
        _misuse(f"{metafunc.definition.nodeid} must take the conformance_case argument")
    version = metafunc.config.getoption("lgstandards_schema_version", default=None)
    selected = select_cases(version, **marker.kwargs)
    metafunc.parametrize("conformance_case", selected, ids=[c.name for c in selected])


@pytest.fixture(scope="session")
def lgstandards_schema_version(pytestconfig: pytest.Config) -> str | None:
    """Return the schema version chosen with ``--lgstandards-schema-version`` (None: all)."""
    value = pytestconfig.getoption("lgstandards_schema_version", default=None)
    return None if value is None else str(value)


@pytest.fixture(scope="session")
def lgstandards_validate() -> Callable[..., ValidationReport]:
    """Return the validator, :func:`lgstandards.validation.validate` (same arguments)."""
    from lgstandards.validation import validate

    return validate


@pytest.fixture(scope="session")
def conformance_cases(lgstandards_schema_version: str | None) -> tuple[Case, ...]:
    """Return every conformance case of the chosen schema version, in kit order."""
    return select_cases(lgstandards_schema_version)


@pytest.fixture
def conformance_case(request: pytest.FixtureRequest) -> Case:
    """Give one conformance case; tests get it through ``@pytest.mark.lgstandards_conformance``."""
    pytest.fail(
        f"{request.node.nodeid}: conformance_case needs @pytest.mark.{MARKER} on the test",
        pytrace=False,
    )


@pytest.fixture
def exchange_case(request: pytest.FixtureRequest) -> Any:
    """Give one exchange case; tests get it through ``@pytest.mark.lgstandards_exchange``."""
    pytest.fail(
        f"{request.node.nodeid}: exchange_case needs @pytest.mark.{EXCHANGE_MARKER} on the test",
        pytrace=False,
    )


@pytest.fixture
def lgstandards_ledger() -> str | None:
    """Return the ledger an exchange case runs on: None, a new one in memory.

    Override it in your ``conftest.py`` to give each test an empty ledger of your own
    (a SQLite file, or a new PostgreSQL database's ``postgresql://`` URL).
    """
    return None


@pytest.fixture(name="assert_exchange_conforms")
def assert_exchange_conforms_fixture(lgstandards_ledger: str | None) -> Callable[..., Any]:
    """Return ``check(exchange_case)``, which runs the history on ``lgstandards_ledger``.

    It fails unless every message raises exactly its codes (see
    :func:`lgstandards.conformance.exchanges.assert_exchange_conforms`).
    """
    from lgstandards.conformance.exchanges import assert_exchange_conforms

    def check(case: Any) -> Any:
        __tracebackhide__ = True
        return assert_exchange_conforms(case, ledger=lgstandards_ledger)

    return check


@pytest.fixture(name="assert_conforms")
def assert_conforms_fixture() -> Callable[..., ValidationReport]:
    """:func:`lgstandards.testing.assert_conforms`, as a fixture."""
    return assert_conforms


__all__ = [
    "EXCHANGE_MARKER",
    "MARKER",
    "OPTION",
    "assert_conforms",
    "assert_conforms_fixture",
    "assert_exchange_conforms_fixture",
    "conformance_case",
    "conformance_cases",
    "exchange_case",
    "lgstandards_ledger",
    "lgstandards_schema_version",
    "lgstandards_validate",
    "pytest_addoption",
    "pytest_configure",
    "pytest_generate_tests",
    "pytest_report_header",
    "select_cases",
    "select_exchange_cases",
]
