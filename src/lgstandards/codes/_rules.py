"""Issue codes of the business rules, collected from the Schematron files and Python rules.

Rule ids are written once, in the ``.sch`` files (``sch:assert/@id``) or in the
``python_rule`` registrations; this module turns each into a ``rule.<ID>`` code
with its severity and English and Welsh descriptions, so no rule is typed in twice.
Read when :func:`lgstandards.codes.registry` is first called, never at import of
``lgstandards``.
"""

from __future__ import annotations

from lgstandards.codes import IssueCode


def _collect() -> tuple[IssueCode, ...]:
    from lgstandards.artefacts.catalogue import rule_files
    from lgstandards.artefacts.declarations import declared_rules
    from lgstandards.rules import python_rules

    found: dict[str, IssueCode] = {}
    for path in rule_files():
        for rule in declared_rules(path):
            found.setdefault(
                rule.code,
                IssueCode(rule.code, rule.severity, rule.message_en, rule.message_cy),
            )
    for coded in python_rules().values():
        found.setdefault(
            coded.code,
            IssueCode(
                coded.code, coded.severity, coded.description or coded.message_en, coded.message_cy
            ),
        )
    return tuple(found[code] for code in sorted(found))


CODES: tuple[IssueCode, ...] = _collect()

__all__ = ["CODES"]
