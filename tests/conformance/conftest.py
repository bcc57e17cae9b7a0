from __future__ import annotations

from pathlib import Path

import pytest
from conformance_support import fake_product

from lgstandards.conformance import ConformanceReport, check, export


@pytest.fixture(scope="session")
def kit_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kit")
    export(folder)
    return folder


@pytest.fixture(scope="session")
def product_dir(kit_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("product")
    fake_product(kit_dir, folder)
    return folder


@pytest.fixture(scope="session")
def faulty_report(product_dir: Path) -> ConformanceReport:
    return check(product_dir)
