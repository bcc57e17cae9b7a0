"""Exchange cases: histories of messages, each message with the codes it must raise.

An exchange case is a folder of the kit's ``exchanges`` family: its messages, listed in
order in the family ``MANIFEST`` (``<folder>/<file>  codes``), are checked one after the
other by one :class:`lgstandards.exchange.Exchange` whose ledger starts empty, and each
must raise exactly its codes (the codes of ``validate()`` and of the stateful rules). The
folder may hold ``exchange.toml``::

    sender = "W99999999"       # the authenticated sender (COM-R011)
    profile = "profile.toml"   # the council's fund table (EPAY-R007), in the folder

``conformance check`` runs the histories of a product's outputs; the pytest plugin's
``lgstandards_exchange`` marker runs them in a supplier's test suite::

    >>> from lgstandards.conformance.exchanges import exchange_cases
    >>> case = exchange_cases()[0]
    >>> case.name.startswith("exchanges/"), len(case.messages) > 1
    (True, True)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lgstandards.conformance.kit import (
    Case,
    ExchangeOptionsError,
    cases,
    exchange_options,
    option_files,
)
from lgstandards.conformance.results import CaseResult, compare


@dataclass(frozen=True, slots=True)
class ExchangeCase:
    """One history: its messages in order (each a :class:`Case`), sender and profile."""

    name: str
    messages: tuple[Case, ...]
    sender: str | None = None
    profile: Path | None = None

    @classmethod
    def of(cls, messages: Sequence[Case]) -> ExchangeCase:
        """Return the history of ``messages`` (all of one exchange case, in order)."""
        name = messages[0].exchange or messages[0].family
        folder = messages[0].path.parent
        options = exchange_options(folder)
        profile = folder / options["profile"] if "profile" in options else None
        return cls(name, tuple(messages), options.get("sender"), profile)

    @property
    def expects_valid(self) -> bool:
        """True when no message of the history may raise an issue."""
        return all(m.expects_valid for m in self.messages)

    def run(
        self, *, ledger: str | os.PathLike[str] | None = None, outputs: Path | None = None
    ) -> list[CaseResult]:
        """Check the history's messages in order against ``ledger``; one result each.

        ``ledger`` must be empty (None: a new ledger in memory). ``outputs``: read each
        message from a product's output folder (at its case name) instead of the kit; a
        missing output fails its message, and the history goes on without it.
        """
        from lgstandards.exchange import Exchange

        results: list[CaseResult] = []
        with Exchange(ledger, sender=self.sender, profile=self.profile) as exchange:
            for message in self.messages:
                path = message.path if outputs is None else outputs / message.name
                if not path.is_file():
                    results.append(
                        CaseResult(
                            message, False, reason="no output file for this case", output=path
                        )
                    )
                    continue
                results.append(compare(message, exchange.check(path), path))
        return results


def assert_exchange_conforms(
    case: ExchangeCase, *, ledger: str | os.PathLike[str] | None = None
) -> list[CaseResult]:
    """Run ``case`` against ``ledger``; fail unless every message raises exactly its codes.

    The failure lists each failing message's issues; the results are returned. Needs
    neither pytest nor hypothesis (it raises :class:`AssertionError`).
    """
    __tracebackhide__ = True
    results = case.run(ledger=ledger)
    failed = [r for r in results if not r.passed]
    if failed:
        lines = [f"exchange case {case.name}: {len(failed)} of {len(results)} messages fail"]
        for result in failed:
            lines.append(f"  {result.case.name}: {result.reason}")
            lines.extend(f"    {issue.format()}" for issue in result.issues)
        raise AssertionError("\n".join(lines))
    return results


def histories(selected: Iterable[Case]) -> list[ExchangeCase]:
    """Group the exchange messages among ``selected`` into their histories, in kit order."""
    grouped: dict[str, list[Case]] = {}
    for case in selected:
        if case.exchange is not None:
            grouped.setdefault(case.exchange, []).append(case)
    return [ExchangeCase.of(messages) for messages in grouped.values()]


def exchange_cases(
    *, schema_version: str | None = None, root: Path | None = None
) -> tuple[ExchangeCase, ...]:
    """Return the kit's exchange cases (a history whose messages all fit ``schema_version``)."""
    everything = histories(cases(root=root))
    if schema_version is None:
        return tuple(everything)
    chosen = {c.name for c in cases(schema_version=schema_version, root=root)}
    return tuple(h for h in everything if all(m.name in chosen for m in h.messages))


__all__ = [
    "ExchangeCase",
    "ExchangeOptionsError",
    "assert_exchange_conforms",
    "exchange_cases",
    "histories",
    "option_files",
]
