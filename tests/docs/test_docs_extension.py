"""``lgstandards.sphinxext`` in a small Sphinx project of its own, as a user would use it."""

from __future__ import annotations

import html
import io
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")


from lgstandards.vocab import lgil

FIXTURES = Path(__file__).parent / "fixtures"

INDEX = """\
Extension test
==============

Links: :lgs:concept:`lgil:8`, :lgs:concept:`lgil-3`, :lgs:type:`lib:BarcodeType`,
:lgs:element:`lib:Loan`, :lgs:issue:`vocab.unknown-code`, and a typo :lgs:concept:`lgil:999`.

Interactions
------------

.. lgstandards-vocabulary:: lgil

Library schema
--------------

.. lgstandards-schema:: fixtures/library-v1-0.xsd
   :prefix: lib

Codes
-----

.. lgstandards-issue-codes:: vocab.

Releases
--------

.. lgstandards-changelog:: lgil

Provenance
----------

.. lgstandards-provenance:: lgil
"""


class Site:
    """The built HTML of the small project and the warnings of the build."""

    def __init__(self, html: str, warnings: str) -> None:
        self.html = html
        self.warnings = warnings

    def ids(self) -> set[str]:
        return set(re.findall(r'id="([^"]+)"', self.html))

    def hrefs(self) -> set[str]:
        return set(re.findall(r'href="([^"]+)"', self.html))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    from sphinx.application import Sphinx

    src = tmp_path_factory.mktemp("src")
    (src / "conf.py").write_text(
        'extensions = ["lgstandards.sphinxext"]\nhtml_theme = "basic"\n', encoding="utf-8"
    )
    (src / "index.rst").write_text(INDEX, encoding="utf-8")
    shutil.copytree(FIXTURES, src / "fixtures")
    out = tmp_path_factory.mktemp("out")
    warnings = io.StringIO()
    app = Sphinx(
        str(src),
        str(src),
        str(out / "html"),
        str(out / "doctrees"),
        "html",
        status=None,
        warning=warnings,
        freshenv=True,
    )
    app.build()
    return Site((out / "html" / "index.html").read_text(encoding="utf-8"), warnings.getvalue())


def test_only_the_broken_role_warns(site: Site) -> None:
    # (Sphinx warns that its own nodes are registered again when a process builds twice.)
    lines = [
        line
        for line in site.warnings.splitlines()
        if "WARNING" in line and "already registered" not in line
    ]
    assert len(lines) == 1, site.warnings
    assert "lgs:concept reference target not found: lgil:999" in lines[0]


def test_one_anchor_per_concept(site: Site) -> None:
    anchors = {i for i in site.ids() if re.fullmatch(r"lgil-\d+", i)}
    assert anchors == {f"lgil-{c.code}" for c in lgil}
    assert len(anchors) == len(lgil)


def test_concept_entry_shows_label_uri_and_relations(site: Site) -> None:
    concept = lgil.lookup(8)
    assert concept.label in site.html
    assert f'href="{concept.uri}"' in site.html
    child = next((c for c in lgil if c.broader_code is not None), None)
    if child is not None:  # broader links stay on the page
        assert f"#lgil-{child.broader_code}" in site.hrefs()


def test_links_to_pages_not_on_the_site_fall_back_to_text(site: Site) -> None:
    # LGIL entries list LGSL services; this site has no LGSL page, so no link and no warning.
    assert not any("lgsl-" in href for href in site.hrefs())


def test_roles_resolve_to_the_rendered_objects(site: Site) -> None:
    hrefs = site.hrefs()
    for anchor in ("lgil-8", "lgil-3", "lib-type-barcodetype", "lib-element-loan"):
        assert f"#{anchor}" in hrefs
        assert anchor in site.ids()
    assert "#issue-vocab-unknown-code" in hrefs


def test_concept_role_shows_code_and_label(site: Site) -> None:
    assert re.search(r'href="#lgil-8"[^>]*>(<[^>]+>)*8 Providing information<', site.html)


def test_schema_reference_from_a_local_xsd(site: Site) -> None:
    html = site.html
    text = re.sub(r"<[^>]+>", " ", html)
    for name in ("Loan", "Returns", "Returned", "Condition", "ReaderCard", "NewDue", "When"):
        assert re.search(rf"\b{name}\b", text), name
    assert "[0-9]{8}" in html  # facet
    assert "At the counter." in html  # enumeration documentation
    assert "0..3" in html  # cardinality
    assert "lib-type-loanstructure" in site.ids()


def test_example_skeleton(site: Site) -> None:
    text = re.sub(r"<[^>]+>", "", site.html).replace("&lt;", "<").replace("&gt;", ">")
    text = text.replace("&quot;", '"')
    assert '<lib:Loan SchemaVersion="1.0" xmlns:lib="urn:example:library:1">' in text
    assert "<lib:ReaderCard>...</lib:ReaderCard>  <!-- one of ReaderCard, ReaderName -->" in text
    assert "<lib:Due>2026-04-01</lib:Due>" in text
    assert "<!-- occurs 0..3 -->" in text
    shelf = text[text.index("<lib:Shelf xmlns") :]
    shelf = shelf[: shelf.index("</lib:Shelf>")]
    assert "<lib:Floor>1</lib:Floor>  <!-- one of Floor+Bay, Store -->" in shelf
    assert "<lib:Bay>text</lib:Bay>" in shelf
    assert "Store" not in shelf.replace("Floor+Bay, Store", "")
    assert "<lib:When>2026-04-01T09:30:00Z</lib:When>" in text  # inherited by extension


def test_issue_codes_filtered_by_prefix(site: Site) -> None:
    from lgstandards.codes import registry

    shown = {i for i in site.ids() if i.startswith("issue-")}
    expected = {
        "issue-" + code.replace(".", "-") for code in registry() if code.startswith("vocab.")
    }
    assert shown == expected


def test_changelog_or_no_release_note(site: Site) -> None:
    from lgstandards._resources import vocabularies_root
    from lgstandards.sphinxext.changelog import releases

    found = releases(vocabularies_root() / "lgil")
    if found:
        assert f"lgil-release-{found[0][0].replace('.', '-')}" in site.ids()
    else:
        assert "No release of lgil yet" in site.html


def test_provenance_shows_licence_and_attribution(site: Site) -> None:
    licence = lgil.scheme.licence
    assert licence["attribution"] in site.html
    assert "provenance-lgil" in site.ids()


def test_rendered_text_is_shown_as_written_with_smart_quotes_on(site: Site) -> None:
    # This project leaves Sphinx's smart quotes on (the default); what the extension
    # renders (data, schema documentation) keeps its straight quotes all the same.
    assert "esd's" in lgil.scheme.licence["attribution"]
    assert "esd's" in site.html
    assert "The book's barcode." in site.html
    assert "A lending library's loans" in site.html
    assert "\u2019" not in site.html


def test_names_break_between_their_words_only(site: Site) -> None:
    from lgstandards.sphinxext._nodes import name_parts

    found = re.findall(r'<code class="[^"]*\blgs-name\b[^"]*">(.*?)</code>', site.html)
    assert len(found) > 20
    for inner in found:
        parts = [html.unescape(part) for part in inner.split("<wbr>")]
        assert parts == name_parts("".join(parts)), inner
    assert "Loan<wbr>Structure" in site.html  # a heading, and the entry of the page's contents
    for name in ("lib:<wbr>Barcode<wbr>Type", "Reader<wbr>Card"):
        assert re.search(rf'lgs-name">{re.escape(name)}</code>', site.html), name


def test_pages_are_reread_when_a_list_gains_a_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sphinx.application import Sphinx

    from lgstandards.sphinxext import domain

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["lgstandards.sphinxext"]\n', encoding="utf-8")
    (src / "index.rst").write_text("Tiers\n=====\n\n.. lgstandards-vocabulary:: tiers\n")
    (src / "other.rst").write_text(":orphan:\n\nOther\n=====\n\nNo vocabulary here.\n")

    def build() -> str:
        status = io.StringIO()
        app = Sphinx(
            str(src),
            str(src),
            str(tmp_path / "html"),
            str(tmp_path / "dt"),
            "html",
            status=status,
            warning=io.StringIO(),
        )
        app.build()
        return status.getvalue()

    build()
    assert "0 added, 0 changed, 0 removed" in build()
    monkeypatch.setattr(domain, "releases_fingerprint", lambda: ("a-new-release",))
    log = build()
    assert "0 added, 1 changed, 0 removed" in log  # index.rst renders a list; other.rst not
