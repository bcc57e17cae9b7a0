"""The controlled lists (LGSL, LGIL, functions, LGNL, tiers, transactions) as typed look-ups.

Nothing is read until first use; each list then loads once and is immutable::

    >>> from lgstandards.vocab import lgsl, lgil
    >>> lgsl.lookup(57).label
    'Council tax annual notification'
    >>> lgil.lookup(8).label
    'Providing information'
    >>> 57 in lgsl, lgsl.get(99999)
    (True, None)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# The list objects are imported eagerly (they read nothing until first use), so that
# ``lgstandards.vocab.lgsl`` is always the list, never the submodule of the same name.
from lgstandards.vocab._base import Concept, Vocabulary
from lgstandards.vocab.concepts import (
    Function,
    Interaction,
    NavigationHeading,
    Service,
    ServiceInteraction,
    Tier,
    TransactionList,
)
from lgstandards.vocab.functions import functions
from lgstandards.vocab.lgil import lgil
from lgstandards.vocab.lgnl import lgnl
from lgstandards.vocab.lgsl import lgsl
from lgstandards.vocab.tiers import tiers
from lgstandards.vocab.transactions import transactions

if TYPE_CHECKING:
    from lgstandards.vocab.types import LGILCode, LGSLCode, Transaction

#: The pydantic types, imported on first use (they need pydantic).
_LAZY = {"LGILCode": "types", "LGSLCode": "types", "Transaction": "types"}

#: The shipped lists by name, in the order ``lgstandards vocab list`` shows them.
LIST_NAMES = ("lgsl", "lgil", "functions", "lgnl", "tiers", "transactions")


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


def get_list(name: str) -> Vocabulary[Any] | TransactionList:
    """Return the shipped list called ``name``; raises :class:`~lgstandards.UnknownListError`."""
    from lgstandards.exceptions import UnknownListError

    key = name.strip().casefold()
    if key not in LIST_NAMES:
        raise UnknownListError(name, list(LIST_NAMES))
    value: Vocabulary[Any] | TransactionList = globals()[key]
    return value


__all__ = [
    "LIST_NAMES",
    "Concept",
    "Function",
    "Interaction",
    "LGILCode",
    "LGSLCode",
    "NavigationHeading",
    "Service",
    "ServiceInteraction",
    "Tier",
    "Transaction",
    "TransactionList",
    "Vocabulary",
    "functions",
    "get_list",
    "lgil",
    "lgnl",
    "lgsl",
    "tiers",
    "transactions",
]
