"""``.. lgstandards-changelog:: LIST``: the changelog of each release of a vocabulary.

Releases live in ``vocabularies/<list>/<version>/`` with a ``CHANGELOG.md`` entry
(written by ``lgstandards vocab release``). They are shown newest first; a list with
no release yet says so. The entries are simple Markdown (headings, paragraphs,
bullet lists, inline code and emphasis), rendered here without a Markdown parser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import literal, para

_VERSION = re.compile(r"^\d+(?:\.\d+)*(?:[-+.][0-9A-Za-z.-]+)?$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\\(.)")


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def releases(list_folder: Path) -> list[tuple[str, Path]]:
    """Return ``(version, CHANGELOG.md path)`` of each release of a list, newest first."""
    found = (
        [
            (child.name, child / "CHANGELOG.md")
            for child in list_folder.iterdir()
            if child.is_dir() and _VERSION.match(child.name) and (child / "CHANGELOG.md").is_file()
        ]
        if list_folder.is_dir()
        else []
    )
    return sorted(found, key=lambda item: _version_key(item[0]), reverse=True)


def inline(text: str) -> list[nodes.Node]:
    """Return the inline nodes of a Markdown line (code, strong, backslash escapes)."""
    out: list[nodes.Node] = []
    plain: list[str] = []
    position = 0
    for match in _INLINE.finditer(text):
        plain.append(text[position : match.start()])
        code, strong, escaped = match.groups()
        if escaped is not None:
            plain.append(escaped)
        else:
            if plain:
                out.append(nodes.Text("".join(plain)))
                plain = []
            out.append(literal(code) if code is not None else nodes.strong(strong, strong))
        position = match.end()
    plain.append(text[position:])
    if "".join(plain):
        out.append(nodes.Text("".join(plain)))
    return out


def markdown_nodes(source: str) -> list[nodes.Node]:
    """Render simple Markdown (as the release command writes it) into docutils nodes."""
    out: list[nodes.Node] = []
    paragraph: list[str] = []
    bullets: nodes.bullet_list | None = None

    def flush() -> None:
        nonlocal bullets
        if paragraph:
            out.append(para(*inline(" ".join(paragraph))))
            paragraph.clear()
        bullets = None

    for raw in source.splitlines():
        line = raw.rstrip()
        heading = _HEADING.match(line)
        bullet = _BULLET.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            title = heading.group(2)
            rubric = nodes.rubric(title, "", *inline(title))
            out.append(rubric)
        elif bullet:
            if paragraph:
                out.append(para(*inline(" ".join(paragraph))))
                paragraph.clear()
            if bullets is None:
                bullets = nodes.bullet_list(bullet="-")
                out.append(bullets)
            bullets += nodes.list_item("", para(*inline(bullet.group(2))))
        elif bullets is not None and raw.startswith(" "):
            item = bullets.children[-1]
            last = item.children[-1]
            assert isinstance(last, nodes.Element)
            last += nodes.Text(" ")
            for node in inline(line.strip()):
                last += node
        else:
            bullets = None
            paragraph.append(line.strip())
    flush()
    return out


class ChangelogDirective(SphinxDirective):
    """Render the release changelogs of one list (``lgsl``, ``lgil`` ...)."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Build a section per release, newest first, or a note when there is none."""
        from lgstandards._resources import vocabularies_root

        name = self.arguments[0].strip().casefold()
        folder = vocabularies_root() / name
        if not (folder / "scheme.toml").is_file():
            raise self.error(f"lgstandards-changelog: no vocabulary {name!r} in {folder.parent}")
        found = releases(folder)
        if not found:
            words = f"No release of {name} yet: the shipped data is the unreleased source."
            return [para(words)]
        result: list[nodes.Node] = []
        for version, path in found:
            self.env.note_dependency(str(path))
            section = nodes.section(ids=[nodes.make_id(f"{name}-release-{version}")])
            title = f"{name} {version}"
            section += nodes.title(title, title)
            for node in markdown_nodes(path.read_text(encoding="utf-8")):
                if isinstance(node, nodes.rubric) and node.astext().strip() == version:
                    continue  # the entry's own "## 1.2.0" heading repeats the section title
                section += node
            result.append(section)
        return result


__all__ = ["ChangelogDirective", "inline", "markdown_nodes", "releases"]
