"""``.. lgstandards-vocabulary:: LIST``: every concept of a shipped list, one anchor per code.

Each concept is rendered as a definition-list entry whose anchor is ``<list>-<code>``
(``lgsl-57``), with its label, description, URI, status, replacement, broader and
narrower concepts and, for LGSL, its functions, navigation headings, tiers and
interactions. The ``transactions`` list renders as a table of service x interaction
pairs, anchored ``transactions-<service>-<interaction>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import field_list, joined, link, literal, para, table, text
from lgstandards.sphinxext.domain import LGStandardsDomain, concept_key, optional_xref

#: Above this many related concepts, links show codes only (a function has many services).
SHORT_FROM = 8


def anchor(list_name: str, code: object) -> str:
    """Return the HTML anchor of a concept: ``lgsl-57``."""
    return f"{list_name}-{code}"


def concept_link(list_name: str, concept: Any, *, short: bool = False) -> nodes.Node:
    """Return an optional link to a concept of ``list_name`` (code and label, or code only)."""
    label = str(concept.code) if short else f"{concept.code} {concept.label}"
    return optional_xref(
        "concept", concept_key(list_name, concept.code), nodes.inline(label, label)
    )


def _links(list_name: str, concepts: Sequence[Any]) -> nodes.Node | None:
    if not concepts:
        return None
    short = len(concepts) > SHORT_FROM
    return para(joined([concept_link(list_name, c, short=short) for c in concepts]))


def _status(concept: Any) -> nodes.Node:
    if not getattr(concept, "deprecated", False):
        return para("current")
    words = "deprecated"
    if concept.deprecated_date:
        words += f" on {concept.deprecated_date.isoformat()}"
    node = para(nodes.strong(words, words))
    if concept.change_note:
        node += text(f": {concept.change_note}")
    return node


def _note_sources(directive: SphinxDirective) -> None:
    """Rebuild the page when any list's source changes (relations cross lists)."""
    from lgstandards._resources import vocabularies_root

    for path in sorted(vocabularies_root().glob("*/*.csv")):
        directive.env.note_dependency(str(path))
    for pattern in ("*/scheme.toml", "*/*/manifest.json"):  # sources and releases
        for path in sorted(vocabularies_root().glob(pattern)):
            directive.env.note_dependency(str(path))


def _tier_services(tier_code: int) -> list[Any]:
    """Return the LGSL services GOV.UK says the tier provides, in code order."""
    from lgstandards.vocab.concepts import service_tiers
    from lgstandards.vocab.lgsl import lgsl

    found = []
    for code, entry in sorted(service_tiers().items()):
        service = lgsl.get(code)
        if service is not None and any(t.code == tier_code for t in entry.tiers):
            found.append(service)
    return found


class VocabularyDirective(SphinxDirective):
    """Render every concept of a shipped list (``lgsl``, ``lgil``, ``functions`` ...)."""

    required_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {
        "no-summary": directives.flag,
    }

    @property
    def domain(self) -> LGStandardsDomain:
        """The ``lgs`` domain of this build."""
        domain = self.env.get_domain("lgs")
        assert isinstance(domain, LGStandardsDomain)
        return domain

    def run(self) -> list[nodes.Node]:
        """Build the nodes of the list named by the argument."""
        from lgstandards.exceptions import LGStandardsError
        from lgstandards.vocab import get_list

        name = self.arguments[0].strip().casefold()
        try:
            vocabulary = get_list(name)
        except LGStandardsError as exc:
            raise self.error(f"lgstandards-vocabulary: {exc}") from exc
        _note_sources(self)
        self.domain.note_data_doc()
        result: list[nodes.Node] = []
        if "no-summary" not in self.options:
            result.append(self._summary(name, vocabulary))
        if name == "transactions":
            result.append(self._transactions(vocabulary))
        else:
            result.append(self._concepts(name, vocabulary))
        return result

    def _summary(self, name: str, vocabulary: Any) -> nodes.Node:
        scheme = vocabulary.scheme
        licence = scheme.licence
        licence_node: nodes.Node | None = None
        if licence.get("url"):
            licence_node = para(link(licence["url"], licence.get("name") or licence["url"]))
        status = scheme.status
        if scheme.discontinued:
            status += f" (discontinued {scheme.discontinued.isoformat()})"
        return field_list(
            [
                ("List", para(literal(name), f" — {scheme.title}")),
                ("Version", scheme.version),
                ("Concepts", f"{len(vocabulary):,}"),
                ("Scheme URI", para(link(scheme.uri))),
                ("Status", status),
                ("Issued", scheme.issued.isoformat() if scheme.issued else None),
                ("Licence", licence_node),
                ("Attribution", licence.get("attribution")),
            ]
        )

    def _concepts(self, name: str, vocabulary: Any) -> nodes.Node:
        domain = self.domain
        dl = nodes.definition_list(classes=["lgs-vocabulary", f"lgs-vocabulary-{name}"])
        for concept in vocabulary:
            ident = anchor(name, concept.code)
            domain.note_object("concept", concept_key(name, concept.code), ident, str(concept))
            term = nodes.term("", "", literal(str(concept.code)), text(" "), text(concept.label))
            term["ids"].append(ident)
            if concept.deprecated:
                term += text(" ")
                term += nodes.inline("deprecated", "deprecated", classes=["lgs-deprecated"])
            body = nodes.definition()
            if concept.description:
                body += para(concept.description)
            body += field_list(self._fields(name, vocabulary, concept))
            dl += nodes.definition_list_item("", term, body)
        return dl

    def _fields(
        self, name: str, vocabulary: Any, concept: Any
    ) -> list[tuple[str, nodes.Node | str | None]]:
        replacement = (
            vocabulary.get(concept.replaced_by) if concept.replaced_by is not None else None
        )
        broader = vocabulary.get(concept.broader_code) if concept.broader_code is not None else None
        fields: list[tuple[str, nodes.Node | str | None]] = [
            ("URI", para(link(concept.uri))),
            ("Status", _status(concept)),
            (
                "Replaced by",
                para(concept_link(name, replacement)) if replacement is not None else None,
            ),
            ("Broader", self._broader(name, concept, broader)),
            ("Narrower", _links(name, vocabulary.narrower(concept.code))),
        ]
        if name == "lgsl":
            tiers = sorted(concept.tiers, key=lambda t: t.code)
            fields += [
                ("Functions", _links("functions", concept.functions)),
                ("Headings", _links("lgnl", concept.headings)),
                ("Tiers", _links("tiers", tiers)),
                ("Interactions", _links("lgil", concept.interactions)),
            ]
        elif name == "tiers":
            fields.append(("Services", _links("lgsl", _tier_services(concept.code))))
        elif hasattr(type(concept), "services"):
            fields.append(("Services", _links("lgsl", concept.services)))
        if getattr(concept, "short_label", None):
            fields.append(("Short label", concept.short_label))
        if getattr(concept, "bvpi157", False):
            fields.append(("BVPI 157", "one of the ten BVPI 157 interaction types"))
        fields += [
            ("Created", concept.created.isoformat() if concept.created else None),
            ("Modified", concept.modified.isoformat() if concept.modified else None),
            ("History", concept.history_notes.strip() or None),
        ]
        return fields

    def _broader(self, name: str, concept: Any, broader: Any) -> nodes.Node | None:
        if broader is None:
            return None
        node = para(concept_link(name, broader))
        if getattr(concept, "parent_inferred", False):
            node += text(" (inferred by lgstandards; not published by esd)")
        return node

    def _transactions(self, transactions: Any) -> nodes.Node:
        domain = self.domain
        rows: list[list[nodes.Node | str]] = []
        for pair in sorted(transactions, key=lambda p: (p.service_code, p.interaction_code)):
            ident = anchor("transactions", f"{pair.service_code}-{pair.interaction_code}")
            domain.note_object(
                "concept",
                concept_key("transactions", f"{pair.service_code}-{pair.interaction_code}"),
                ident,
                f"{pair.service_code}/{pair.interaction_code}",
            )
            service = optional_xref(
                "concept",
                concept_key("lgsl", pair.service_code),
                nodes.inline(str(pair.service_code), str(pair.service_code)),
            )
            interaction = optional_xref(
                "concept",
                concept_key("lgil", pair.interaction_code),
                nodes.inline(str(pair.interaction_code), str(pair.interaction_code)),
            )
            rows.append(
                [
                    para(literal(f"{pair.service_code}/{pair.interaction_code}"), ids=[ident]),
                    para(service, f" {pair.service_slug}"),
                    para(interaction, f" {pair.interaction_slug}"),
                    str(pair.councils),
                ]
            )
        return table(
            ["Pair", "Service (LGSL)", "Interaction (LGIL)", "Councils"],
            rows,
            widths=[10, 45, 35, 10],
        )


__all__ = ["SHORT_FROM", "VocabularyDirective", "anchor", "concept_link"]
