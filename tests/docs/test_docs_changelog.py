"""Release changelogs: finding releases and rendering their Markdown entries."""

from __future__ import annotations

from pathlib import Path

import pytest

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
