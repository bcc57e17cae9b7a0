"""Transactions: the real LGSL service x LGIL interaction pairs councils put online.

The shipped pairs are those GOV.UK Local Links Manager held council links for in
April 2017. The pair and list types are in :mod:`lgstandards.vocab.concepts` (the
pairs relate two lists); :class:`~lgstandards.vocab.types.Transaction` is the pydantic
model for a pair in your own data.
"""

from __future__ import annotations

from lgstandards.vocab.concepts import ServiceInteraction, TransactionList, _register

#: The published pairs: ``transactions.for_service(57)``.
transactions: TransactionList = _register(TransactionList())

__all__ = ["ServiceInteraction", "TransactionList", "transactions"]
