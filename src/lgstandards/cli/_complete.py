"""Shell completion of the CLI's own names: list names and document kinds.

Completion itself is click's: ``_LGSTANDARDS_COMPLETE=bash_source lgstandards`` prints
the script for bash (``zsh_source``, ``fish_source`` for the others); see the CLI page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # imported when completing, not on every run (start-up)
    from click.shell_completion import CompletionItem


def _matching(names: list[str], incomplete: str, help: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    folded = incomplete.casefold()
    return [CompletionItem(n, help=help) for n in names if n.casefold().startswith(folded)]


def list_names() -> list[str]:
    """Return the shipped lists' names (``lgsl``, ``lgil`` ...)."""
    from lgstandards.vocab import LIST_NAMES

    return list(LIST_NAMES)


def complete_list(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete a list name."""
    return _matching(list_names(), incomplete, "list")


def complete_concept_list(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete the name of a list of concepts (every list but ``transactions``)."""
    names = [n for n in list_names() if n != "transactions"]
    return _matching(names, incomplete, "list")


def complete_file(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Let the shell complete a file or folder name."""
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="file")]


def complete_list_or_file(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete a list name, or else a file name (the shell completes it)."""
    found = complete_list(ctx, param, incomplete)
    return [*found, *complete_file(ctx, param, incomplete)]


def known_kinds() -> list[str]:
    """Return every document kind ``--kind`` accepts (the current profile's), sorted."""
    from lgstandards.artefacts.kinds import RDF_KIND
    from lgstandards.validation.profile import current_profile

    return sorted({*current_profile().all_kinds(), RDF_KIND})


def complete_kind(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Complete a document kind (``epay.payment-request`` ...)."""
    return _matching(known_kinds(), incomplete, "kind")


__all__ = [
    "complete_concept_list",
    "complete_file",
    "complete_kind",
    "complete_list",
    "complete_list_or_file",
    "known_kinds",
    "list_names",
]
