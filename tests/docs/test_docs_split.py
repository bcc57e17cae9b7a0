"""A long list split over pages by range of codes, with an index page that finds them all."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")

from lgstandards.sphinxext.vocabulary import code_range, in_range
from lgstandards.vocab import functions, lgsl

DOCS = Path(__file__).resolve().parents[2] / "docs"
RANGES = ("1-40", "41-80", "81-")

PAGES = {
    "index.rst": """\
Functions
=========

.. toctree::

   {pages}

.. lgstandards-vocabulary:: functions
   :index:
""".format(pages="\n   ".join(f"part-{r.rstrip('-')}" for r in RANGES)),
    **{
        f"part-{r.rstrip('-')}.rst": f"Part {r}\n{'=' * (5 + len(r))}\n\n"
        f".. lgstandards-vocabulary:: functions\n   :no-summary:\n   :codes: {r}\n"
        for r in RANGES
    },
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text(
        'extensions = ["lgstandards.sphinxext"]\nhtml_theme = "basic"\n', encoding="utf-8"
    )
    for name, text in PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    warnings = io.StringIO()
    app = Sphinx(
        str(src), str(src), str(out), str(out / ".doctrees"), "html",
        status=None, warning=warnings, freshenv=True,
    )  # fmt: skip
    app.build()
    return out, warnings.getvalue()


def _ids(page: Path) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', page.read_text(encoding="utf-8")))


def test_each_concept_is_on_the_page_of_its_range(built: tuple[Path, str]) -> None:
    out, warnings = built
    # (Sphinx warns that its own nodes are registered again when a test process builds twice.)
    problems = [
        w for w in warnings.splitlines() if "WARNING" in w and "already registered" not in w
    ]
    assert not problems, warnings
    seen: list[str] = []
    for spec in RANGES:
        codes = code_range(spec)
        page = out / f"part-{spec.rstrip('-')}.html"
        found = {i for i in _ids(page) if re.fullmatch(r"functions-\d+", i)}
        assert found == {f"functions-{c.code}" for c in functions if in_range(c.code, codes)}
        seen += found
    assert sorted(seen) == sorted(f"functions-{c.code}" for c in functions)


def test_the_index_lists_every_concept_linked_to_its_entry(built: tuple[Path, str]) -> None:
    out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    lines = re.findall(r'<li id="(functions-\d+)">.*?href="([^"]+)"', html, flags=re.S)
    assert [ident for ident, _ in lines] == [f"functions-{c.code}" for c in functions]
    for ident, href in lines:
        path, _, fragment = href.partition("#")
        assert fragment == ident
        assert ident in _ids(out / path), href
    assert 'data-lgs-filter="functions-index"' in html
    assert "<script>" in html


def test_links_from_other_lists_go_to_the_page_of_the_range(built: tuple[Path, str]) -> None:
    out, _ = built
    html = (out / "part-1-40.html").read_text(encoding="utf-8")
    # Broader and narrower functions across ranges link to the page that has them.
    links = re.findall(r'href="([^"#]*)#functions-(\d+)"', html)
    assert ("part-41-80.html", "41") in links  # function 30's narrower 41 is on the next page
    for page, code in links:
        spec = next(r for r in RANGES if in_range(int(code), code_range(r)))
        assert page in {"", f"part-{spec.rstrip('-')}.html"}, (page, code)


@pytest.mark.parametrize("value", ["", "7", "a-b", "9-3", "-5", "1-2-3"])
def test_bad_ranges_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="range"):
        code_range(value)


def test_ranges() -> None:
    assert code_range("200-399") == (200, 399)
    assert code_range(" 1800- ") == (1800, None)
    assert in_range(1800, (1800, None))
    assert not in_range(199, (200, 399))
    assert not in_range("57", (1, 100))


def test_the_lgsl_pages_cover_every_service_once() -> None:
    folder = DOCS / "reference" / "vocabularies" / "lgsl"
    ranges = {}
    for page in sorted(folder.glob("*.md")):
        text = page.read_text(encoding="utf-8")
        (spec,) = re.findall(r"^:codes: (\S+)$", text, flags=re.M)
        assert spec == page.stem, page
        assert "{lgstandards-vocabulary} lgsl" in text
        ranges[page.stem] = code_range(spec)
    index = (DOCS / "reference" / "vocabularies" / "lgsl.md").read_text(encoding="utf-8")
    assert sorted(re.findall(r"^lgsl/(\S+)$", index, flags=re.M)) == sorted(ranges)
    assert re.search(r"\{lgstandards-vocabulary\} lgsl\n:index:", index)
    for service in lgsl:
        homes = [stem for stem, codes in ranges.items() if in_range(service.code, codes)]
        assert len(homes) == 1, (service.code, homes)


def test_the_index_page_loads_the_search_of_the_library(built: tuple[Path, str]) -> None:
    """The index page loads the scorer and the list's index, which are in _static."""
    import json
    import shutil
    import subprocess

    out, _ = built
    html = (out / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<script src="([^"]+)"', html)
    assert "_static/lgstandards-search.js" in sources
    assert "_static/lgstandards-search-functions.js" in sources
    for source in sources:
        assert (out / source.partition("?")[0]).is_file(), source
    node = shutil.which("node")
    if node is None:
        return
    # The page's files rank as the library does (tests/docs/test_search_js.py: every query).
    runner = (
        "globalThis.window = globalThis;"
        f"require({json.dumps(str(out / '_static/lgstandards-search.js'))});"
        f"require({json.dumps(str(out / '_static/lgstandards-search-functions.js'))});"
        "const e = new LGSSearch(LGSSearchData.functions);"
        "process.stdout.write(JSON.stringify(e.search('utilities', 3).map((h) => h.code)));"
    )
    done = subprocess.run([node, "-e", runner], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == [c.code for c in functions.search("utilities", limit=3)]
