"""The documentation sources cover the whole library: a page per module, list and schema."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType, SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_public_module_has_an_api_page_in_the_index() -> None:
    tool = _load(DOCS / "_tools" / "api_pages.py", "api_pages")
    index = (DOCS / "api" / "index.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^(lgstandards[\w.]*)$", index, flags=re.M))
    modules = tool.public_modules()
    assert "lgstandards.vocab.lgsl" in modules
    missing = [m for m in modules if not (DOCS / "api" / f"{m}.rst").is_file()]
    assert not missing, "run python docs/_tools/api_pages.py"
    assert set(modules) == listed, "run python docs/_tools/api_pages.py"
    for module in modules:
        page = (DOCS / "api" / f"{module}.rst").read_text(encoding="utf-8")
        assert f"automodule:: {module}" in page


def test_every_shipped_list_has_a_vocabulary_page() -> None:
    from lgstandards.vocab import LIST_NAMES

    for name in LIST_NAMES:
        page = (DOCS / "reference" / "vocabularies" / f"{name}.md").read_text(encoding="utf-8")
        assert f"{{lgstandards-vocabulary}} {name}" in page
        assert f"{{lgstandards-changelog}} {name}" in page


def test_every_catalogued_schema_has_a_page() -> None:
    from lgstandards.artefacts.catalogue import entries

    for entry in entries():
        folder = entry.file.split("/", 1)[0]
        if folder in ("w3c", "iso20022", "valuebill"):  # third parties' schemas, shipped unchanged
            continue
        page = (DOCS / "reference" / "schemas" / f"{folder}.md").read_text(encoding="utf-8")
        assert f"{{lgstandards-schema}} {folder}" in page


def test_optional_pages_join_the_index_when_present() -> None:
    conf = _load(DOCS / "conf.py", "docs_conf")
    source = [(DOCS / "index.md").read_text(encoding="utf-8")]
    noted: list[str] = []
    app = SimpleNamespace(env=SimpleNamespace(note_dependency=noted.append))
    conf._optional_toctree(app, "index", source)
    assert sorted(Path(p).name for p in noted) == ["publishing.md", "validation.md"]
    assert "OPTIONAL-PAGES" not in source[0]
    for page in ("validation", "publishing"):
        assert (f"\n{page}\n" in source[0]) == (DOCS / f"{page}.md").is_file()
