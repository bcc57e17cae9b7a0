"""``.. lgstandards-provenance::``: where each shipped list comes from, and its licence.

Read from each list's ``scheme.toml``: title, version, status, licence and
attribution, and each source file (publisher, URL, the repository and commit it was
taken from, retrieval date, licence).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import as_written, field_list, link, literal, para, table


def _url_or_text(value: object) -> nodes.paragraph:
    text = str(value)
    return para(link(text)) if text.startswith(("http://", "https://")) else para(text)


class ProvenanceDirective(SphinxDirective):
    """Render the provenance and licence of every shipped list (or the lists named)."""

    optional_arguments = 10
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Build one section per list."""
        from lgstandards.vocab import LIST_NAMES, get_list

        names = [a.casefold() for a in self.arguments] or list(LIST_NAMES)
        result: list[nodes.Node] = []
        for name in names:
            vocabulary = get_list(name)
            scheme = vocabulary.scheme
            self.env.note_dependency(str(_scheme_path(name)))
            section = nodes.section(ids=[nodes.make_id(f"provenance-{name}")])
            title = f"{scheme.title} ({name})"
            section += nodes.title(title, title)
            licence = scheme.licence
            status = scheme.status
            if scheme.discontinued:
                status += f" (discontinued {scheme.discontinued.isoformat()})"
            section += field_list(
                [
                    ("Version", scheme.version),
                    ("Status", status),
                    ("Scheme URI", para(link(scheme.uri))),
                    (
                        "Licence",
                        para(link(licence["url"], licence.get("name") or licence["url"]))
                        if licence.get("url")
                        else licence.get("name"),
                    ),
                    ("Attribution", licence.get("attribution")),
                ]
            )
            rows: list[list[nodes.Node | str]] = []
            for source in scheme.sources:
                origin = nodes.container()
                origin += para(source.get("publisher", ""))
                if source.get("url"):
                    origin += _url_or_text(source["url"])
                taken = nodes.container()
                if source.get("via"):
                    taken += _url_or_text(source["via"])
                if source.get("path"):
                    taken += para(literal(str(source["path"])))
                if source.get("commit"):
                    taken += para("commit ", literal(str(source["commit"])[:12]))
                retrieved = source.get("retrieved")
                rows.append(
                    [
                        origin,
                        taken,
                        str(retrieved) if retrieved else "",
                        str(source.get("licence", "")),
                    ]
                )
            if rows:
                section += table(
                    ["Publisher and URL", "Taken from", "Retrieved", "Licence"],
                    rows,
                    widths=[35, 35, 12, 18],
                    classes=["lgs-provenance"],
                )
            result.append(section)
        return as_written(result)


def _scheme_path(name: str) -> Any:
    from lgstandards._resources import vocabularies_root

    return vocabularies_root() / name / "scheme.toml"


__all__ = ["ProvenanceDirective"]
