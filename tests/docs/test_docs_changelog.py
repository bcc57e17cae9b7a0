"""Release changelogs: finding releases and rendering their Markdown entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

pytest.importorskip("sphinx", reason="needs the docs extra: pip install -e .[docs]")

from docutils import nodes

from lgstandards.sphinxext.changelog import entries, inline, markdown_nodes, releases

CHANGELOG = """\
# Changelog

## 4.1.0 (2026-12-01)

Minor release. 2 added, 1 deprecated since 4.0.1 (version bump: minor).

### Added

- 1520 \\`New\\` service
- 1521 Another service, with a description
  that runs onto a second line

### Deprecated

- 12 Old service → replaced by `1520`

## 4.0.1 (2015-03-17)

First release of lgsl: 1519 concepts.
"""


def _release(
    folder: Path, version: str, text: str = "# Changelog\n", manifest: bool = True
) -> None:
    (folder / version).mkdir(parents=True)
    (folder / version / "CHANGELOG.md").write_text(text, encoding="utf-8")
    if manifest:
        (folder / version / "manifest.json").write_text("{}", encoding="utf-8")


def test_releases_newest_first_and_only_whole_ones(tmp_path: Path) -> None:
    for version in ("1.0.0", "1.10.0", "1.2.0"):
        _release(tmp_path, version)
    _release(tmp_path, "2.0.0", manifest=False)  # not moved into place whole
    (tmp_path / ".3.0.0.partial-123").mkdir()
    (tmp_path / "built").mkdir()
    assert [v for v, _ in releases(tmp_path)] == ["1.10.0", "1.2.0", "1.0.0"]
    assert releases(tmp_path / "missing") == []


def test_entries_split_at_level_two_headings() -> None:
    found = entries(CHANGELOG)
    assert [heading for heading, _ in found] == ["4.1.0 (2026-12-01)", "4.0.1 (2015-03-17)"]
    assert found[1][1] == "First release of lgsl: 1519 concepts.\n"


def test_markdown_nodes_headings_lists_and_inline_markup() -> None:
    body = entries(CHANGELOG)[0][1]
    out = markdown_nodes(body)
    kinds = [type(node).__name__ for node in out]
    assert kinds == ["paragraph", "rubric", "bullet_list", "rubric", "bullet_list"]
    added = out[2]
    assert isinstance(added, nodes.bullet_list)
    assert [item.astext() for item in added.children] == [
        "1520 `New` service",  # escaped backticks stay literal characters
        "1521 Another service, with a description that runs onto a second line",
    ]
    deprecated = out[4]
    assert next(iter(deprecated.findall(nodes.literal))).astext() == "1520"


def test_inline_strong_and_code() -> None:
    out = inline("a **b** and `c` \\*d\\*")
    assert [type(n).__name__ for n in out] == ["Text", "strong", "Text", "literal", "Text"]
    assert "".join(n.astext() for n in out) == "a b and c *d*"


def test_changelogs_written_by_real_releases_render(tmp_path: Path) -> None:
    import csv
    import datetime as dt
    import shutil

    from lgstandards._resources import vocabularies_root
    from lgstandards.publish.release import release

    shutil.copytree(vocabularies_root() / "lgil", tmp_path / "lgil")
    shutil.copy(vocabularies_root() / "MANIFEST.json", tmp_path / "MANIFEST.json")
    for stale in (tmp_path / "lgil").iterdir():  # start from the source only
        if stale.is_dir() and stale.name[:1].isdigit():
            shutil.rmtree(stale)
    release("lgil", "1.0.0", date=dt.date(2026, 11, 1), root=tmp_path)
    source = tmp_path / "lgil" / "concepts.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    label = rows[1][1]
    rows[1][1] = f"{label} (relabelled in a test copy)"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    release("lgil", "1.0.1", date=dt.date(2026, 12, 1), root=tmp_path)

    found = releases(tmp_path / "lgil")
    assert [v for v, _ in found] == ["1.0.1", "1.0.0"]
    newest = entries(found[0][1].read_text(encoding="utf-8"))
    assert [heading for heading, _ in newest] == ["1.0.1 (2026-12-01)", "1.0.0 (2026-11-01)"]
    rendered = markdown_nodes(newest[0][1])
    text = " ".join(node.astext() for node in rendered)
    assert "relabelled in a test copy" in text
    assert any(isinstance(node, nodes.bullet_list) for node in rendered)


def _links(out: list[nodes.Node]) -> list[tuple[str, str, str]]:
    from sphinx import addnodes

    return [
        (ref["reftype"], ref["reftarget"], ref.astext())
        for node in out
        for ref in node.findall(addnodes.pending_xref)
        if ref.get("lgs_optional")
    ]


def test_codes_in_entries_link_to_their_concepts() -> None:
    body = entries(CHANGELOG)[0][1]
    assert _links(markdown_nodes(body)) == []
    assert _links(markdown_nodes(body, "lgsl")) == [
        ("concept", "lgsl:1520", "1520"),
        ("concept", "lgsl:1521", "1521"),
        ("concept", "lgsl:12", "12"),
        ("concept", "lgsl:1520", "1520"),
    ]


def test_codes_after_replaced_by_link_in_plain_text() -> None:
    out = markdown_nodes("- 7 Old deprecated, replaced by 8 New, 9 Other: merged\n", "lgil")
    assert _links(out) == [("concept", "lgil:7", "7"), ("concept", "lgil:8", "8")]
    assert out[0].astext() == "7 Old deprecated, replaced by 8 New, 9 Other: merged"


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
        min_size=1,
        max_size=6,
    )
)
def test_linking_codes_never_changes_the_text(lines: list[str]) -> None:
    source = "\n".join(f"- {line}" if i % 2 else line for i, line in enumerate(lines)) + "\n"
    plain = [node.astext() for node in markdown_nodes(source)]
    linked = [node.astext() for node in markdown_nodes(source, "lgsl")]
    assert linked == plain


def test_release_changelog_links_each_code_to_its_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import csv
    import datetime as dt
    import io
    import re
    import shutil

    from sphinx.application import Sphinx

    from lgstandards import _resources
    from lgstandards.publish.release import release
    from lgstandards.vocab import lgil

    assert len(lgil)  # the shipped list is loaded before the data folder is swapped
    root = tmp_path / "vocabularies"
    shutil.copytree(_resources.vocabularies_root() / "lgil", root / "lgil")
    shutil.copy(_resources.vocabularies_root() / "MANIFEST.json", root / "MANIFEST.json")
    for stale in (root / "lgil").iterdir():
        if stale.is_dir() and stale.name[:1].isdigit():
            shutil.rmtree(stale)
    release("lgil", "1.0.0", date=dt.date(2026, 11, 1), root=root)
    source = root / "lgil" / "concepts.csv"
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    relabelled = rows[1][0]
    rows[1][1] = f"{rows[1][1]} (relabelled in a test copy)"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    release("lgil", "1.0.1", date=dt.date(2026, 12, 1), root=root)
    monkeypatch.setattr(_resources, "vocabularies_root", lambda: root)

    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["lgstandards.sphinxext"]\n', encoding="utf-8")
    (src / "index.rst").write_text(
        "Interactions\n============\n\n.. lgstandards-vocabulary:: lgil\n\n"
        "Releases\n--------\n\n.. lgstandards-changelog:: lgil\n",
        encoding="utf-8",
    )
    app = Sphinx(
        str(src), str(src), str(tmp_path / "html"), str(tmp_path / "dt"), "html",
        status=None, warning=io.StringIO(), freshenv=True,
    )  # fmt: skip
    app.build()
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    release_section = html[html.index('id="lgil-release-1-0-1"') :]
    release_section = release_section[: release_section.index('id="lgil-release-1-0-0"')]
    assert "relabelled in a test copy" in release_section
    assert re.search(
        rf'<li><p><a class="reference internal" href="#lgil-{relabelled}"[^>]*>{relabelled}</a> ',
        release_section,
    ), release_section
    assert f'id="lgil-{relabelled}"' in html
