"""Build the whole documentation site once and check it against the artefacts.

The site is built as CI builds it (``-W -n``: any warning, including a broken
cross-reference, fails), then the doctests run on the same environment. The checks
read the artefacts independently of the extension: every concept of every shipped list
has its anchor, every element name of every schema and every rule id is on the site,
every issue code is listed, every CLI command is documented, and every internal link
resolves to an existing file and anchor.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
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
        return html.unescape(_TAG.sub(" ", self.page(name)))


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


def test_every_concept_of_every_list_has_its_anchor(site: Site) -> None:
    from lgstandards.vocab import LIST_NAMES, get_list

    for name in LIST_NAMES:
        vocabulary = get_list(name)
        ids = site.ids(site.root / "reference" / "vocabularies" / f"{name}.html")
        if name == "transactions":
            expected = {f"transactions-{t.service_code}-{t.interaction_code}" for t in vocabulary}
            found = {i for i in ids if re.fullmatch(r"transactions-\d+-\d+", i)}
        else:
            expected = {f"{name}-{c.code}" for c in vocabulary}
            found = {i for i in ids if re.fullmatch(rf"{name}-\d+", i)}
        assert found == expected, name
        assert len(found) == len(vocabulary), name


def test_lgsl_page_has_all_1519_services(site: Site) -> None:
    page = site.page("reference/vocabularies/lgsl.html")
    assert len(re.findall(r'<dt id="lgsl-\d+"', page)) == 1519
    assert "Council tax annual notification" in page


def _catalogued_schemas() -> list[tuple[str, Path]]:
    from lgstandards.artefacts.catalogue import entries

    found = []
    for entry in entries():
        folder = entry.file.split("/", 1)[0]
        if folder == "w3c":  # XML-DSig is the W3C's schema, imported, not documented here
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

    ids = set(python_rules())
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


def test_every_cli_command_is_documented(site: Site) -> None:
    import click

    from lgstandards.cli import cli

    text = " ".join(site.text("reference/cli.html").split())
    ctx = click.Context(cli)
    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert f"lgstandards {name}" in text
        if isinstance(command, click.Group):
            for sub in command.list_commands(click.Context(command)):
                assert f"lgstandards {name} {sub}" in text, f"{name} {sub}"


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
