"""Build the whole documentation site once and check it against the artefacts.

The site is built as CI builds it (``-W -n``: any warning, including a broken
cross-reference, fails), then the doctests run on the same environment. The checks
read the artefacts independently of the extension: every concept of every shipped list
has its anchor and permalink, every element name of every schema and every rule id is
on the site, every issue code is listed, every CLI command and option is documented as
typed, and every internal link resolves to an existing file and anchor. Every page is
within the weight limits (bytes and DOM elements), and no text is "smartened".
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")

from docutils.nodes import make_id

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

pytestmark = pytest.mark.slow

_ID = re.compile(r'\bid="([^"]+)"')
_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_WBR = re.compile(r"<wbr\s*/?>")

#: The most any page of the site may weigh: bytes of HTML and elements in its DOM.
MAX_PAGE_BYTES = 500 * 1024
MAX_PAGE_ELEMENTS = 10_000

#: Typographic characters that "smart quotes" would put in place of ASCII ones.
_SMART = re.compile("[\u2018\u2019\u201c\u201d\u2013\u2014\u2026]")


@dataclass
class Site:
    """The built HTML site."""

    root: Path
    warnings: str
    doctest_output: str
    _ids: dict[Path, set[str]] = field(default_factory=dict)

    def page(self, name: str) -> str:
        return (self.root / name).read_text(encoding="utf-8")

    def ids(self, path: Path) -> set[str]:
        if path not in self._ids:
            self._ids[path] = set(_ID.findall(path.read_text(encoding="utf-8")))
        return self._ids[path]

    def text(self, name: str) -> str:
        # A <wbr> is a place where a line may break, not a space between words.
        return html.unescape(_TAG.sub(" ", _WBR.sub("", self.page(name))))

    def pages(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def tree(self, path: Path) -> Any:
        import lxml.html

        return lxml.html.parse(str(path))


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinx", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    out = tmp_path_factory.mktemp("docs")
    doctrees = str(out / "doctrees")
    built = _run(
        "-W",
        "-n",
        "--keep-going",
        "-E",
        "-q",
        "-b",
        "html",
        "-d",
        doctrees,
        str(DOCS),
        str(out / "html"),
    )
    assert built.returncode == 0, built.stderr
    doctest = _run("-q", "-b", "doctest", "-d", doctrees, str(DOCS), str(out / "doctest"))
    output = (out / "doctest" / "output.txt").read_text(encoding="utf-8")
    assert doctest.returncode == 0, output + doctest.stderr
    return Site(out / "html", built.stderr, output)


def test_build_has_no_warnings(site: Site) -> None:
    assert "WARNING" not in site.warnings
    assert site.warnings.strip() == ""


def test_doctests_pass(site: Site) -> None:
    summary = site.doctest_output.rpartition("Doctest summary")[2]
    tests = int(re.search(r"(\d+) tests", summary).group(1))  # type: ignore[union-attr]
    assert tests >= 30
    assert "0 failures in tests" in site.doctest_output


def _entry_pages(site: Site, name: str) -> list[Path]:
    """The pages holding the entries of a list: its page, or its pages by range of codes."""
    folder = site.root / "reference" / "vocabularies" / name
    return sorted(folder.glob("*.html")) or [folder.with_suffix(".html")]


def test_every_concept_of_every_list_has_its_anchor(site: Site) -> None:
    from lgstandards.vocab import LIST_NAMES, get_list

    for name in LIST_NAMES:
        vocabulary = get_list(name)
        found: list[str] = []
        for page in _entry_pages(site, name):
            if name == "transactions":
                found += [i for i in site.ids(page) if re.fullmatch(r"transactions-\d+-\d+", i)]
            else:
                found += [i for i in site.ids(page) if re.fullmatch(rf"{name}-\d+", i)]
        if name == "transactions":
            expected = {f"transactions-{t.service_code}-{t.interaction_code}" for t in vocabulary}
        else:
            expected = {f"{name}-{c.code}" for c in vocabulary}
        assert set(found) == expected, name
        assert len(found) == len(vocabulary), f"{name}: an anchor is on two entry pages"


def test_every_concept_entry_has_a_visible_permalink(site: Site) -> None:
    from lgstandards.vocab import LIST_NAMES

    for name in LIST_NAMES:
        for page in _entry_pages(site, name):
            tree = site.tree(page)
            entries = '//dl[contains(@class, "lgs-vocabulary")]/dt[@id]'
            rows = f'//td/p[starts-with(@id, "{name}-")]'
            anchored = tree.xpath(f"{entries} | {rows}")
            assert anchored, page
            for entry in anchored:
                links = entry.xpath('./a[contains(@class, "lgs-permalink")]')
                assert [a.get("href") for a in links] == [f"#{entry.get('id')}"], page
                code = links[0].text_content()
                assert entry.get("id").endswith("-" + code.replace("/", "-")), page


def test_lgsl_has_all_1519_services_findable(site: Site) -> None:
    from lgstandards.vocab import lgsl

    assert len(lgsl) == 1519
    index = site.root / "reference" / "vocabularies" / "lgsl.html"
    tree = site.tree(index)
    lines = tree.xpath('//ul[@id="lgsl-index"]/li')
    assert [li.get("id") for li in lines] == [f"lgsl-{c.code}" for c in lgsl]
    for li, concept in zip(lines, lgsl, strict=True):
        shown = " ".join(li.text_content().split())
        assert shown.startswith(" ".join(f"{concept.code} {concept.label}".split())), shown
        (href,) = li.xpath(".//a/@href")
        path, _, fragment = href.partition("#")
        assert fragment == f"lgsl-{concept.code}"
        target = (index.parent / path).resolve()
        assert target.parent.name == "lgsl", href
        assert fragment in site.ids(target), href
    assert tree.xpath('//input[@data-lgs-filter="lgsl-index"]')
    assert "Council tax annual notification" in site.text("reference/vocabularies/lgsl.html")


def test_every_page_is_within_the_weight_limits(site: Site) -> None:
    heavy = []
    for page in site.pages():
        size = page.stat().st_size
        elements = sum(1 for _ in site.tree(page).getroot().iter())
        if size > MAX_PAGE_BYTES or elements > MAX_PAGE_ELEMENTS:
            heavy.append(f"{page.relative_to(site.root)}: {size // 1024} KB, {elements} elements")
    assert not heavy, heavy


def _catalogued_schemas() -> list[tuple[str, Path]]:
    from lgstandards.artefacts.catalogue import entries

    found = []
    for entry in entries():
        folder = entry.file.split("/", 1)[0]
        # Third parties' schemas, shipped unchanged: not documented here.
        if folder in ("w3c", "iso20022", "valuebill"):
            continue
        if entry.path.is_file():
            found.append((folder, entry.path))
    return found


def test_every_schema_element_name_is_in_the_reference(site: Site) -> None:
    from lxml import etree

    schemas = _catalogued_schemas()
    assert {"common", "govtalk"} <= {folder for folder, _ in schemas}
    for folder, path in schemas:
        text = site.text(f"reference/schemas/{folder}.html")
        tree = etree.parse(str(path))
        xs = {"xs": "http://www.w3.org/2001/XMLSchema"}
        names = set(tree.xpath("//xs:element/@name | //xs:complexType/@name", namespaces=xs))
        names |= set(tree.xpath("//xs:simpleType/@name | //xs:attribute/@name", namespaces=xs))
        missing = sorted(n for n in names if not re.search(rf"(?<![\w-]){n}(?![\w-])", text))
        assert not missing, f"{folder}: {missing}"


def test_every_rule_id_is_in_the_catalogue(site: Site) -> None:
    from lxml import etree

    from lgstandards._resources import schemas_root
    from lgstandards.rules import python_rules
    from lgstandards.rules.coverage import ENFORCED_ELSEWHERE, NOT_IMPLEMENTED

    ids = set(python_rules()) | set(ENFORCED_ELSEWHERE) | set(NOT_IMPLEMENTED)
    sch = {"sch": "http://purl.oclc.org/dsdl/schematron"}
    for path in schemas_root().rglob("*.sch"):
        tree = etree.parse(str(path))
        ids |= set(tree.xpath("//sch:assert/@id | //sch:report/@id", namespaces=sch))
    assert ids, "no business rules found"
    anchors = site.ids(site.root / "reference" / "rules.html")
    missing = sorted(i for i in ids if make_id(f"rule-{i}") not in anchors)
    assert not missing


def test_every_issue_code_is_listed(site: Site) -> None:
    from lgstandards.codes import registry

    anchors = site.ids(site.root / "reference" / "issue-codes.html")
    assert {make_id(f"issue-{code}") for code in registry()} <= anchors


def _commands() -> list[tuple[str, Any]]:
    """Every command of the CLI with its full name (``lgstandards vocab show``)."""
    import click

    from lgstandards.cli import cli

    found: list[tuple[str, Any]] = []

    def walk(command: click.Command, path: str) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None:
                    walk(sub, f"{path} {name}")

    walk(cli, "lgstandards")
    return found


def test_every_cli_command_is_documented(site: Site) -> None:
    text = " ".join(site.text("reference/cli.html").split())
    commands = _commands()
    assert len(commands) > 10
    for path, _ in commands:
        assert path in text, path


def test_cli_options_and_examples_are_shown_as_typed(site: Site) -> None:
    import click

    page = site.root / "reference" / "cli.html"
    text = site.tree(page).getroot().text_content()
    smart = sorted({m.group(0) for m in _SMART.finditer(text)})
    assert not smart, f"typographic characters on the CLI page: {smart}"
    code = {" ".join(pre.text_content().split()) for pre in site.tree(page).iter("pre")}
    examples = 0
    for path, command in _commands():
        for option in (p for p in command.params if isinstance(p, click.Option)):
            for name in (*option.opts, *option.secondary_opts):
                assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), (path, name)
        for line in (command.help or "").splitlines():
            found = re.match(r"\s*Examples?:\s+(\S.*)$", line)
            if found:
                examples += 1
                assert " ".join(found.group(1).split()) in code, (path, line)
    assert examples > 10


def _source_text() -> str:
    """Every text the site is built from: the docs, the code, the schemas and the data."""
    parts = []
    for folder, pattern in (
        ("docs", "*.md"),
        ("docs", "*.rst"),
        ("src", "*.py"),
        ("schemas", "*.xsd"),
        ("schemas", "*.sch"),
        ("vocabularies", "*.csv"),
        ("vocabularies", "*.toml"),
    ):
        for path in sorted((ROOT / folder).rglob(pattern)):
            if "_build" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            # XML writes characters as references (&#x2018;) that the page shows as such.
            parts.append(html.unescape(text) if path.suffix in {".xsd", ".sch"} else text)
    return "\n".join(parts)


def test_no_text_is_smartened(site: Site) -> None:
    # Docutils' "smart quotes" would turn -- into an en dash and ' " into curly quotes.
    # Every typographic character on the site must come from a source as it is, with
    # the characters around it; inline code and blocks must never get one otherwise.
    sources = _source_text()
    changed: set[str] = set()
    in_code: set[str] = set()
    for page in site.pages():
        root = site.tree(page).getroot()
        for element in root.iter("p", "li", "dd", "dt", "td", "code", "pre", "h1", "h2", "h3"):
            if "sig" in element.get("class", "").split():
                continue  # an API signature shows live values (computed, not in a source)
            text = element.text_content()
            for match in _SMART.finditer(text):
                start = match.start()
                context = text[max(0, start - 2) : start + 3]
                if context not in sources:
                    changed.add(f"{page.relative_to(site.root)}: {context!r}")
                    if element.tag in {"code", "pre"}:
                        in_code.add(context)
    assert not in_code, sorted(in_code)
    assert not changed, sorted(changed)[:20]


def test_every_internal_link_resolves(site: Site) -> None:
    broken: list[str] = []
    pages = sorted(site.root.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        for raw in _HREF.findall(page.read_text(encoding="utf-8")):
            href = html.unescape(raw)
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith(("mailto:", "javascript:")):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site.root)} -> {href}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in site.ids(target):
                broken.append(f"{page.relative_to(site.root)} -> {href}")
    assert not broken, broken[:20]
