"""Typed model of a council's transactions list (``urn:lgstandards:transactions:1``).

A transaction is an (LGSL service, LGIL interaction) pair; a council publishes the
URL where it provides each one. :class:`CouncilTransactions` is the message;
:class:`TransactionLink` one link.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from lgstandards.models._xml import Xml, XmlModel
from lgstandards.models.common import (
    TEXT_PATTERN,
    CouncilIdentifier,
    LGILNumber,
    LGSLNumber,
    SchemaVersion,
    XsDate,
)

TRANSACTIONS_NS = "urn:lgstandards:transactions:1"

LinkUrl = Annotated[str, StringConstraints(max_length=2000, pattern=r"^https?://.+$")]
TransactionName = Annotated[
    str, StringConstraints(min_length=1, max_length=255, pattern=TEXT_PATTERN)
]
CouncilName = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=TEXT_PATTERN)]


class TransactionsModel(XmlModel):
    """Base of the transactions structures."""

    xml_namespace = TRANSACTIONS_NS
    xml_prefix = "tx"


class TransactionLink(TransactionsModel):
    """One service x interaction with the council's URL."""

    lgsl: Annotated[LGSLNumber, Field(alias="LGSL")]
    lgil: Annotated[LGILNumber, Field(alias="LGIL")]
    url: LinkUrl
    name: TransactionName | None = None


class CouncilTransactions(TransactionsModel):
    """A council's published list of transaction links."""

    xml_root = "CouncilTransactions"

    schema_version: Annotated[
        SchemaVersion, Xml(attr=True, required=True), Field(alias="SchemaVersion")
    ] = "1.0"
    council: CouncilIdentifier
    council_name: CouncilName | None = None
    published: XsDate
    link: Annotated[list[TransactionLink], Field(min_length=1)]


#: The message models by document kind.
MESSAGES: dict[str, type[TransactionsModel]] = {"transactions.council-list": CouncilTransactions}

__all__ = [
    "MESSAGES",
    "TRANSACTIONS_NS",
    "CouncilTransactions",
    "TransactionLink",
    "TransactionsModel",
]
