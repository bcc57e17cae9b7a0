"""``.. lgstandards-vocabulary:: LIST``: every concept of a shipped list, one anchor per code.

Each concept is rendered as a definition-list entry whose anchor is ``<list>-<code>``
(``lgsl-57``) and whose code is a permalink to that anchor, with its label, description,
URI, status, replacement, broader and narrower concepts and, for LGSL, its functions,
navigation headings, tiers and interactions. The ``transactions`` list renders as a
table of service x interaction pairs, anchored ``transactions-<service>-<interaction>``.

A long list is split over several pages: ``:codes: 200-399`` renders the concepts whose
codes are in that range (``1800-`` has no upper end), and ``:index:`` renders, instead
of the entries, one line per concept (code and label, linked to its entry wherever it
is rendered) with a search box that ranks them as you type, as ``vocab search`` does
(the page loads ``static/lgstandards-search.js`` and the list's search index);
each line is anchored ``<list>-<code>`` too, so that a
link to the index page with a concept's anchor still lands on that concept.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import (
    as_written,
    field_list,
    joined,
    link,
    literal,
    para,
    table,
    text,
)
from lgstandards.sphinxext.domain import LGStandardsDomain, concept_key, optional_xref

#: Above this many related concepts, links show codes only (a function has many services).
SHORT_FROM = 8

#: The filter box of an index (HTML only; other builders show the plain list).
_FILTER_BOX = (
    '<p class="lgs-filter"><label>Search: <input type="search" autocomplete="off" '
    'placeholder="a code or words" data-lgs-filter="{list_id}"></label> '
    '<span class="lgs-filter-count" aria-live="polite"></span></p>'
)

#: Ranks the index lines as you type, with the library's search (``lgsl.search``): the
#: list's built index is in the page and ``lgstandards-search.js`` follows the same rules,
#: so the lines shown, best first, are those ``vocab search`` returns. The scorer and the
#: index are scripts in ``_static`` (:func:`write_search_files`); an empty box shows
#: every line in order.
_FILTER_SCRIPT = """<script>
(function () {
  var input = document.querySelector('input[data-lgs-filter="{list_id}"]');
  var list = document.getElementById("{list_id}");
  var data = (window.LGSSearchData || {})["{list_name}"];
  if (!input || !list || !data || !window.LGSSearch) { return; }
  var engine = new window.LGSSearch(data);
  var count = input.parentNode.parentNode.querySelector(".lgs-filter-count");
  var items = Array.prototype.slice.call(list.children);
  var byCode = {};
  items.forEach(function (li) { byCode[li.id.slice(li.id.lastIndexOf("-") + 1)] = li; });
  input.addEventListener("input", function () {
    if (!window.LGSSearch.words(input.value).length) {
      items.forEach(function (li) { li.hidden = false; list.appendChild(li); });
      count.textContent = "";
      return;
    }
    items.forEach(function (li) { li.hidden = true; });
    var shown = 0;
    engine.search(input.value).forEach(function (hit) {
      var li = byCode[String(hit.code)];
      if (li) { li.hidden = false; list.appendChild(li); shown += 1; }
    });
    count.textContent = shown + " of " + items.length + ", best first";
  });
})();
</script>"""

#: The scorer of the docs' search, shipped next to this module.
SEARCH_SCRIPT = Path(__file__).with_name("static") / "lgstandards-search.js"


#: Stands for the URI of ``_static`` in the directive's HTML until the page is written
#: (:func:`resolve_static`), where the builder knows the page's place.
STATIC_PLACEHOLDER = "lgs-static-uri-2f1c"


def resolve_static(
    app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put the page's URI of ``_static`` where a list's index page loads its search."""
    body = context.get("body")
    if isinstance(body, str) and STATIC_PLACEHOLDER in body:
        context["body"] = body.replace(STATIC_PLACEHOLDER, context["pathto"]("_static", 1))


def search_data_name(list_name: str) -> str:
    """Return the file name, in ``_static``, of a list's search index for the docs."""
    return f"lgstandards-search-{list_name}.js"


def search_scripts(static: str, list_id: str, list_name: str) -> str:
    """Return the HTML that loads the scorer and the list's index (``static``: _static's URI)."""
    return (
        f'<script src="{static}/{SEARCH_SCRIPT.name}"></script>\n'
        f'<script src="{static}/{search_data_name(list_name)}" '
        f'data-lgs-search="{list_id}"></script>'
    )


def write_search_files(app: Any, exception: Exception | None) -> None:
    """Write the scorer and every list's search index into an HTML build's ``_static``.

    The index is a script that sets ``window.LGSSearchData[list]``, not JSON to fetch, so
    the pages search also when opened from files; it weighs on no page (LGSL's is 0.6 MB).
    """
    if exception is not None or getattr(app.builder, "format", None) != "html":
        return
    from lgstandards.vocab import get_list
    from lgstandards.vocab.source import list_ids

    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / SEARCH_SCRIPT.name).write_bytes(SEARCH_SCRIPT.read_bytes())
    for name in list_ids():
        vocabulary = get_list(name)
        if not hasattr(vocabulary, "search_index"):
            continue
        data = json.dumps(vocabulary.search_index().data, ensure_ascii=True, separators=(",", ":"))
        text = (
            "window.LGSSearchData = window.LGSSearchData || {};\n"
            f"window.LGSSearchData[{json.dumps(name)}] = {data};\n"
        )
        (static / search_data_name(name)).write_text(text, encoding="utf-8")


def anchor(list_name: str, code: object) -> str:
    """Return the HTML anchor of a concept: ``lgsl-57``."""
    return f"{list_name}-{code}"


def code_range(argument: str | None) -> tuple[int, int | None]:
    """Parse the ``:codes:`` option: ``200-399`` or ``1800-`` (no upper end)."""
    low, sep, high = (argument or "").strip().partition("-")
    try:
        if not sep:
            raise ValueError
        first, last = int(low), int(high) if high.strip() else None
    except ValueError:
        raise ValueError(
            f"expected a range of codes such as 200-399 or 1800-, not {argument!r}"
        ) from None
    if last is not None and last < first:
        raise ValueError(f"the range {argument!r} is empty")
    return first, last


def in_range(code: object, codes: tuple[int, int | None]) -> bool:
    """Tell whether a concept's code is in a ``:codes:`` range."""
    first, last = codes
    return isinstance(code, int) and code >= first and (last is None or code <= last)


def permalink(ident: str, code: object) -> nodes.reference:
    """Return the concept's code as a link to its own anchor (its permalink)."""
    shown = str(code)
    return nodes.reference(
        "",
        "",
        literal(shown),
        refid=ident,
        reftitle="Permalink to this concept",
        classes=["lgs-permalink"],
    )


def concept_link(list_name: str, concept: Any, *, short: bool = False) -> nodes.Node:
    """Return an optional link to a concept of ``list_name`` (code and label, or code only)."""
    label = str(concept.code) if short else f"{concept.code} {concept.label}"
    return optional_xref("concept", concept_key(list_name, concept.code), text(label))


def _links(list_name: str, concepts: Sequence[Any]) -> nodes.Node | None:
    if not concepts:
        return None
    short = len(concepts) > SHORT_FROM
    return para(*joined([concept_link(list_name, c, short=short) for c in concepts]))


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
        "codes": code_range,
        "index": directives.flag,
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
        codes: tuple[int, int | None] | None = self.options.get("codes")
        if name == "transactions":
            result.append(self._transactions(vocabulary))
            return as_written(result)
        concepts: list[Any] = [
            c for c in vocabulary if codes is None or in_range(getattr(c, "code", None), codes)
        ]
        if "index" in self.options:
            result += self._index(name, concepts)
        else:
            result.append(self._concepts(name, vocabulary, concepts))
        return as_written(result)

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
                ("List", para(literal(name), f": {scheme.title}")),
                ("Version", scheme.version),
                ("Concepts", f"{len(vocabulary):,}"),
                ("Scheme URI", para(link(scheme.uri))),
                ("Status", status),
                ("Issued", scheme.issued.isoformat() if scheme.issued else None),
                ("Licence", licence_node),
                ("Attribution", licence.get("attribution")),
            ]
        )

    def _index(self, name: str, concepts: Sequence[Any]) -> list[nodes.Node]:
        """One line per concept, linked to its entry, with a search box (HTML)."""
        list_id = f"{name}-index"
        items = nodes.bullet_list(classes=["lgs-concept-index"], ids=[list_id])
        for concept in concepts:
            item = para(concept_link(name, concept))
            if getattr(concept, "deprecated", False):
                item += text(" (deprecated)")
            items += nodes.list_item("", item, ids=[anchor(name, concept.code)])
        box = _FILTER_BOX.format(list_id=list_id)
        script = _FILTER_SCRIPT.replace("{list_id}", list_id).replace("{list_name}", name)
        return [
            nodes.raw("", box, format="html"),
            items,
            nodes.raw("", search_scripts(STATIC_PLACEHOLDER, list_id, name), format="html"),
            nodes.raw("", script, format="html"),
        ]

    def _concepts(self, name: str, vocabulary: Any, concepts: Sequence[Any]) -> nodes.Node:
        domain = self.domain
        dl = nodes.definition_list(classes=["lgs-vocabulary", f"lgs-vocabulary-{name}"])
        for concept in concepts:
            ident = anchor(name, concept.code)
            domain.note_object("concept", concept_key(name, concept.code), ident, str(concept))
            term = nodes.term("", "", permalink(ident, concept.code), text(f" {concept.label}"))
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
                "concept", concept_key("lgsl", pair.service_code), text(str(pair.service_code))
            )
            interaction = optional_xref(
                "concept",
                concept_key("lgil", pair.interaction_code),
                text(str(pair.interaction_code)),
            )
            code = f"{pair.service_code}/{pair.interaction_code}"
            rows.append(
                [
                    para(permalink(ident, code), ids=[ident]),
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


__all__ = [
    "SHORT_FROM",
    "VocabularyDirective",
    "anchor",
    "code_range",
    "concept_link",
    "in_range",
    "permalink",
]
