"""Exchanges: conformance across messages, checked against a ledger.

A supplier's product does not send lone documents: a payment request, the gateway's
result, the notification to the income-management system, refunds, the day's
reconciliation batch; a GovTalk submission, its acknowledgement, polls, the response and
its deletion. :class:`Exchange` does everything :func:`lgstandards.validate` does and
then checks the document against what its ledger already holds (the stateful rules,
kind "S" of the domain notes), recording the document's facts in one transaction::

    >>> from lgstandards.exchange import Exchange
    >>> with Exchange() as exchange:        # in memory; or a file path, or postgresql://...
    ...     first = exchange.check(b"<not-closed>")
    >>> first.codes()
    ['xml.truncated']

A document with errors is kept with its report (and its hash) for audit but changes no
state. The ledger is SQLite by default (a file, or in memory) and PostgreSQL by URL; it
keeps only what the rules need (keys, states, amounts, keyed hashes of personal data),
never a full card number, and whole documents only when asked, with a retention period.
See :mod:`lgstandards.exchange.ledger` for the schema, its migrations and where each
rule's state lives, :mod:`lgstandards.exchange.rules` for the rules, and
:mod:`lgstandards.exchange.statements` for bank reconciliation on the ledger (payouts
recorded, bank statements matched against the open ones).
"""

from __future__ import annotations

from lgstandards.exceptions import ProfileError
from lgstandards.exchange.checker import Exchange, LedgerStatus
from lgstandards.exchange.ledger import LedgerError, LedgerVersionError
from lgstandards.exchange.rules import STATEFUL_RULES
from lgstandards.validation.profile import Profile

__all__ = [
    "STATEFUL_RULES",
    "Exchange",
    "LedgerError",
    "LedgerStatus",
    "LedgerVersionError",
    "Profile",
    "ProfileError",
]
