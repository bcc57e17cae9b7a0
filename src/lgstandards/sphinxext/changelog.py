"""``.. lgstandards-changelog:: LIST``: the changelog of each release of a vocabulary.

Releases live in ``vocabularies/<list>/<version>/`` with a ``CHANGELOG.md`` (written
by ``lgstandards vocab release``: the release's entry, then the earlier ones). Entries
are shown newest first, one section each, anchored ``<list>-release-<version>``; a
list with no release yet says so. The entries are simple Markdown (headings, paragraphs,
bullet lists, inline code and emphasis), rendered here without a Markdown parser.

Codes in the entries link to their concepts (when the list is rendered on the site):
the code that starts each bullet (``- 1520 New service``), the one after
``replaced by`` and inline code that is a single token (```1520```).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import as_written, literal, para
from lgstandards.sphinxext.domain import LGStandardsDomain, concept_key, optional_xref
from lgstandards.vocab.releases import is_version, parse_version

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*\Z")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)\Z")
_INLINE = re.compile(r"`([^`]+)`|\*\*(.+?)\*\*|\\(.)")
#: A concept's code as the changelog writes it (a notation: no spaces, colons or slashes).
_CODE = r"[A-Za-z0-9][A-Za-z0-9._-]*"
#: Where a plain-text code is: at the start of a bullet, or after "replaced by".
_LEADING_CODE = re.compile(rf"\A({_CODE})(?=\s|\Z)")
_REPLACED_BY = re.compile(rf"(\breplaced by )({_CODE})(?=\s|,|\Z)")


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


def link_codes(paragraph: nodes.Element, list_name: str, *, bullet: bool = False) -> None:
    """Link the codes of ``list_name``'s concepts in a paragraph of a changelog entry.

    The links are optional: a code that is not a concept rendered on the site stays
    plain text.
    """
    for index, child in enumerate(list(paragraph.children)):
        if isinstance(child, nodes.literal):
            value = child.astext()
            if re.fullmatch(_CODE, value):
                ref = optional_xref("concept", concept_key(list_name, value), literal(value))
                paragraph.replace(child, ref)
            continue
        if not isinstance(child, nodes.Text):
            continue
        value = str(child)
        spans: list[tuple[int, int]] = []
        leading = _LEADING_CODE.match(value) if bullet and index == 0 else None
        if leading is not None:
            spans.append(leading.span(1))
        spans += [m.span(2) for m in _REPLACED_BY.finditer(value)]
        if not spans:
            continue
        parts: list[nodes.Node] = []
        position = 0
        for start, end in spans:
            if start > position:
                parts.append(nodes.Text(value[position:start]))
            code = value[start:end]
            parts.append(optional_xref("concept", concept_key(list_name, code), nodes.Text(code)))
            position = end
        if position < len(value):
            parts.append(nodes.Text(value[position:]))
        paragraph.replace(child, parts)


def markdown_nodes(source: str, list_name: str | None = None) -> list[nodes.Node]:
    """Render simple Markdown (as the release command writes it) into docutils nodes.

    With ``list_name``, the codes of that list's concepts link to their entries.
    """
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
            last = bullets.children[-1].children[-1]
            assert isinstance(last, nodes.Element)
            last += nodes.Text(" ")
            for node in inline(line.strip()):
                last += node
        else:
            bullets = None
            paragraph.append(line.strip())
    flush()
    if list_name is not None:
        for node in out:
            if isinstance(node, nodes.paragraph):
                link_codes(node, list_name)
            elif isinstance(node, nodes.bullet_list):
                for entry in node.children:
                    first = entry.children[0]
                    assert isinstance(first, nodes.paragraph)
                    link_codes(first, list_name, bullet=True)
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
            for node in markdown_nodes(body, name):
                section += node
            result.append(section)
        return as_written(result)


__all__ = ["ChangelogDirective", "entries", "inline", "link_codes", "markdown_nodes", "releases"]
