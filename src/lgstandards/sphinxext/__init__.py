"""A Sphinx extension that renders the lgstandards artefacts as reference pages.

Add it to your own documentation's ``conf.py``::

    extensions = ["lgstandards.sphinxext"]

and use the directives in any page (reStructuredText shown; in MyST Markdown write
each as a fenced block whose info string is the directive name in braces):

``.. lgstandards-vocabulary:: lgsl``
    every concept of a list, anchored ``lgsl-57``;
``.. lgstandards-schema:: epay``
    every element and type of a schema (a catalogue name or an ``.xsd`` path);
``.. lgstandards-rules::``
    the business rules, from the Schematron files and the Python rules;
``.. lgstandards-issue-codes::``
    the issue codes of the registry;
``.. lgstandards-changelog:: lgsl``
    the changelog of each release of a list;
``.. lgstandards-provenance::``
    the sources and licence of each shipped list.

Everything rendered is also a target of the ``lgs`` domain
(:mod:`lgstandards.sphinxext.domain`): ``:lgs:concept:`lgsl:57```,
``:lgs:type:`lgc:PostcodeType```, ``:lgs:rule:`EPAY-R001```,
``:lgs:issue:`xsd.pattern```.
"""

from __future__ import annotations

from typing import Any

from lgstandards import __version__

#: The directives this extension registers, by name.
DIRECTIVES = (
    "lgstandards-vocabulary",
    "lgstandards-schema",
    "lgstandards-rules",
    "lgstandards-issue-codes",
    "lgstandards-changelog",
    "lgstandards-provenance",
)


def setup(app: Any) -> dict[str, Any]:
    """Register the ``lgs`` domain and the directives with Sphinx."""
    from lgstandards.sphinxext._nodes import (
        name_literal,
        name_text,
        visit_name_literal_html,
        visit_name_text_html,
    )
    from lgstandards.sphinxext.changelog import ChangelogDirective
    from lgstandards.sphinxext.codes import IssueCodesDirective
    from lgstandards.sphinxext.domain import LGStandardsDomain, outdated_data_docs
    from lgstandards.sphinxext.provenance import ProvenanceDirective
    from lgstandards.sphinxext.rules import RulesDirective
    from lgstandards.sphinxext.schema import SchemaDirective
    from lgstandards.sphinxext.vocabulary import (
        VocabularyDirective,
        resolve_static,
        write_search_files,
    )

    # Names break between their words only; builders other than HTML use the base node's.
    app.add_node(name_literal, override=True, html=(visit_name_literal_html, None))
    app.add_node(name_text, override=True, html=(visit_name_text_html, None))
    app.add_domain(LGStandardsDomain)
    app.connect("env-get-outdated", outdated_data_docs)
    app.connect("html-page-context", resolve_static)
    app.connect("build-finished", write_search_files)
    app.add_directive("lgstandards-vocabulary", VocabularyDirective)
    app.add_directive("lgstandards-schema", SchemaDirective)
    app.add_directive("lgstandards-rules", RulesDirective)
    app.add_directive("lgstandards-issue-codes", IssueCodesDirective)
    app.add_directive("lgstandards-changelog", ChangelogDirective)
    app.add_directive("lgstandards-provenance", ProvenanceDirective)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}


__all__ = ["DIRECTIVES", "setup"]
