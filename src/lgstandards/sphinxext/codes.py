"""``.. lgstandards-issue-codes::``: the catalogue of issue codes from the registry.

Every code of :func:`lgstandards.codes.registry` with its default severity and its
English and Welsh descriptions, anchored ``issue-<code>`` (``issue-xsd-pattern``).
Codes of business rules link to the rule catalogue when it is on the site.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from lgstandards.sphinxext._nodes import as_written, literal, para, table
from lgstandards.sphinxext.domain import LGStandardsDomain, optional_xref


def issue_anchor(code: str) -> str:
    """Return the anchor of an issue code: ``issue-xsd-pattern``."""
    return nodes.make_id(f"issue-{code}")


class IssueCodesDirective(SphinxDirective):
    """Render every registered issue code (optionally those starting with the argument)."""

    optional_arguments = 1
    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        """Build one table of codes."""
        from lgstandards.codes import registry

        prefix = self.arguments[0].strip() if self.arguments else ""
        domain = self.env.get_domain("lgs")
        assert isinstance(domain, LGStandardsDomain)
        rows: list[list[nodes.Node | str]] = []
        for code, entry in registry().items():
            if not code.startswith(prefix):
                continue
            ident = issue_anchor(code)
            domain.note_object("issue", code, ident, code)
            description = nodes.container()
            description += para(entry.description)
            if entry.description_cy:
                welsh = para(nodes.emphasis("Cymraeg: ", "Cymraeg: "), entry.description_cy)
                welsh["classes"].append("lgs-welsh")
                description += welsh
            if code.startswith("rule."):
                rule_id = code.removeprefix("rule.")
                description += para(
                    "Rule: ", optional_xref("rule", rule_id, nodes.inline(rule_id, rule_id))
                )
            rows.append([para(literal(code), ids=[ident]), entry.severity.value, description])
        codes = table(
            ["Code", "Default severity", "Description"],
            rows,
            widths=[25, 12, 63],
            classes=["lgs-issue-codes"],
        )
        return as_written([codes])


__all__ = ["IssueCodesDirective", "issue_anchor"]
