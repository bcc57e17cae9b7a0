"""``.. lgstandards-changelog:: LIST``: the changelog of each release of a vocabulary.

Releases live in ``vocabularies/<list>/<version>/`` with a ``CHANGELOG.md`` (written
by ``lgstandards vocab release``: the release's entry, then the earlier ones). Entries
are shown newest first, one section each, anchored ``<list>-release-<version>``; a
list with no release yet says so. The entries are simple Markdown (headings, paragraphs,
bullet lists, inline code and emphasis), rendered here without a Markdown parser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import literal, para
from lgstandards.sphinxext.domain import LGStandardsDomain
from lgstandards.vocab.releases import is_version, parse_version

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*\Z")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)\Z")
_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\\(.)")


def releases(list_folder: Path) -> list[tuple[str, Path]]:
    """Return ``(version, CHANGELOG.md path)`` of each release of a list, newest first.

    A folder counts as a release when it is named as a version and holds both the
    manifest and the changelog (a release is moved into place whole).
    """
    if not list_folder.is_dir():
        return []
    found = [
        (child.name, child / "CHANGELOG.md")
        for child in list_folder.iterdir()
        if child.is_dir()
        and is_version(child.name)
        and (child / "CHANGELOG.md").is_file()
        and (child / "manifest.json").is_file()
    ]
    return sorted(found, key=lambda item: parse_version(item[0]), reverse=True)


def entries(changelog: str) -> list[tuple[str, str]]:
    """Split a changelog into ``(heading, body)`` entries at its level-2 headings.

    Text before the first entry (the ``# Changelog`` title) is dropped.
    """
    found: list[tuple[str, list[str]]] = []
    for line in changelog.splitlines():
        if line.startswith("## "):
            found.append((line[3:].strip(), []))
        elif found:
            found[-1][1].append(line)
    return [(heading, "\n".join(body).strip() + "\n") for heading, body in found]


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
        domain = self.env.get_domain("lgs")
        assert isinstance(domain, LGStandardsDomain)
        domain.note_data_doc()
        found = releases(folder)
        if not found:
            words = f"No release of {name} yet: the shipped data is the unreleased source."
            return [para(words)]
        for _, path in found:
            self.env.note_dependency(str(path))
        # Each release's CHANGELOG.md holds its own entry and then the earlier ones, so
        # the newest file has them all; a release missing from it gets its own file's.
        newest = entries(found[0][1].read_text(encoding="utf-8"))
        shown = {heading.split()[0] for heading, _ in newest if heading}
        for version, path in found[1:]:
            if version not in shown:
                newest += entries(path.read_text(encoding="utf-8"))[:1]
        result: list[nodes.Node] = []
        for heading, body in newest:
            version = heading.split()[0] if heading else "unversioned"
            section = nodes.section(ids=[nodes.make_id(f"{name}-release-{version}")])
            title = f"{name} {heading}"
            section += nodes.title(title, title)
            for node in markdown_nodes(body):
                section += node
            result.append(section)
        return result


__all__ = ["ChangelogDirective", "entries", "inline", "markdown_nodes", "releases"]
