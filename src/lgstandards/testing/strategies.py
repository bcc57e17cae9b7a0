"""Every Hypothesis strategy of lgstandards in one place, and GovTalk envelopes.

Every message strategy builds a model whose XML is valid against the schema *and*
passes the business rules, so suppliers can fuzz their own readers with realistic,
clearly fake data; with ``breaks=`` a strategy draws documents that break exactly one
rule (:data:`BREAKABLE`). The strategies are defined by family and re-exported here:

* :mod:`lgstandards.testing.common`: text, names, dates, money, headers, addresses;
* :mod:`lgstandards.testing.epay`: the e-Pay messages;
* :mod:`lgstandards.testing.ebenefits`: the e-Benefits messages;
* :mod:`lgstandards.testing.vocab`: codes of the lists, councils' transactions lists and
  RDF service catalogues;
* :mod:`lgstandards.testing.valuebill`: Valuebill property reports to the VOA (XML text);
* :mod:`lgstandards.testing.iso20022`: ISO 20022 bank statements (camt.053) with the
  payouts they settle, and fake IBANs (``breaks=`` a reconciliation issue);
* this module: GovTalk envelopes carrying any of the messages.

Install with ``pip install 'lgstandards[testing]'``.

>>> from lgstandards.testing.strategies import payment_requests
>>> payment_requests().example().to_xml()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from lgstandards.models import govtalk
from lgstandards.models._xml import XmlModel
from lgstandards.models.common import IRmark
from lgstandards.testing import ebenefits as _ebenefits
from lgstandards.testing import epay as _epay
from lgstandards.testing import valuebill as _valuebill
from lgstandards.testing import vocab as _vocab
from lgstandards.testing._hypothesis import st
from lgstandards.testing.common import (
    NAME_LETTERS,
    TEXT_ALPHABET,
    TEXT_CHARS,
    addresses,
    aons,
    bank_accounts,
    councils,
    dates,
    headers,
    identifiers,
    money,
    names,
    person_names,
    postcodes,
    recent_dates,
    text,
    timestamps,
)
from lgstandards.testing.ebenefits import (
    benefit_claims,
    bulk_claims,
    changes_of_circumstances,
    claim_status_queries,
    decision_notices,
    evidence_submissions,
    income_items,
    ninos,
    references,
)
from lgstandards.testing.epay import (
    cards,
    council_tax_demands,
    dd_bank_accounts,
    dd_references,
    demands,
    direct_debit_collections,
    direct_debit_instructions,
    direct_debit_returns,
    disputes,
    fund_references,
    masked_cards,
    payers,
    payment_lines,
    payment_notifications,
    payment_records,
    payment_requests,
    payment_requests_accepted,
    payment_results,
    payouts,
    penalty_charge_demands,
    reconciliation_batches,
    refund_notifications,
    refund_requests,
    status_queries,
    trailer_for,
)
from lgstandards.testing.iso20022 import (
    RECONCILIATION_BREAKS,
    bank_statements,
    iban,
    ibans,
    statements_with_payouts,
)
from lgstandards.testing.valuebill import ba_reports
from lgstandards.testing.vocab import (
    council_transactions,
    deprecated_lgil_codes,
    deprecated_lgsl_codes,
    function_codes,
    lgil_codes,
    lgnl_codes,
    lgsl_codes,
    list_codes,
    service_catalogues,
    tier_codes,
    transactions,
    unknown_lgil_codes,
    unknown_lgsl_codes,
    unofficial_lgsl_codes,
)

#: What :func:`govtalk_envelopes` can break on request.
_ENVELOPE_BREAKS = ("COM-R001", "COM-R002", "COM-R005", "COM-R006", "COM-R013")
#: An IRmark-shaped digest that is not the digest of any body drawn (breaks COM-R013).
_WRONG_IRMARK = "A" * 27 + "="
#: A message class of another family, for each family's prefix (breaks COM-R006).
_OTHER_CLASS = {"LGS-EPAY-": "LGS-BEN-MESSAGE", "LGS-BEN-": "LGS-TX-LIST", "LGS-TX-": "LGS-EPAY-X"}


def govtalk_envelopes(breaks: str | None = None) -> st.SearchStrategy[govtalk.GovTalkMessage]:
    """Draw a GovTalk request envelope carrying one generated message of any family.

    ``breaks``: COM-R001 (a message class lgstandards does not support, no body), COM-R002 (a
    poll without a CorrelationID), COM-R005 (a gateway timestamp not in UTC, a warning)
    COM-R006 (a body under another family's class) or COM-R013 (an e-Pay body whose
    IRmark is not the digest of the Body).
    """
    if breaks is not None and breaks not in _ENVELOPE_BREAKS:
        raise ValueError(
            f"govtalk_envelopes cannot break {breaks!r}; choose from {', '.join(_ENVELOPE_BREAKS)}"
        )
    return _govtalk_envelopes(breaks)


@st.composite
def _govtalk_envelopes(draw: st.DrawFn, breaks: str | None) -> govtalk.GovTalkMessage:
    message: XmlModel = draw(
        st.one_of(*_EPAY_BODY_STRATEGIES) if breaks == "COM-R013" else st.one_of(*_BODY_STRATEGIES)
    )
    if breaks == "COM-R013":
        header = message.header  # type: ignore[attr-defined]
        header = header.model_copy(update={"ir_mark": IRmark(value=_WRONG_IRMARK)})
        message = message.model_copy(update={"header": header})
    envelope = govtalk.GovTalkMessage.wrap(
        message,
        transaction_id=draw(st.none() | st.from_regex(r"\A[0-9A-F]{1,32}\Z")),
        keys=draw(st.none() | st.just({"CouncilId": "W99999999"})),
    )
    details = envelope.header.message_details
    if breaks == "COM-R001":  # a class of another gateway, whose body is not carried
        details.class_ = "HMRC-" + details.class_[4:]
        envelope.body = None
    elif breaks == "COM-R002":
        details.qualifier = "poll"
    elif breaks == "COM-R005":
        hours = draw(st.integers(1, 12))
        details.gateway_timestamp = dt.datetime(
            2024, 6, 1, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=hours))
        )
    elif breaks == "COM-R006":
        prefix = next(p for p in _OTHER_CLASS if details.class_.startswith(p))
        details.class_ = _OTHER_CLASS[prefix]
    return envelope


def _families() -> dict[str, Callable[[], st.SearchStrategy[Any]]]:
    found: dict[str, Callable[[], st.SearchStrategy[Any]]] = {}
    for table in (
        _epay.STRATEGIES,
        _ebenefits.STRATEGIES,
        _vocab.STRATEGIES,
        _valuebill.STRATEGIES,
    ):
        found.update(table)
    return found


#: The message strategies the envelopes carry: lgstandards' own XML families (not the RDF
#: catalogues, nor Valuebill, which no lgstandards message class carries).
_BODY_STRATEGIES = tuple(
    factory()
    for kind, factory in _families().items()
    if not kind.startswith(("rdf.", "valuebill."))
)

#: The e-Pay message strategies (every e-Pay message has an lgc:Header, where an IRmark goes).
_EPAY_BODY_STRATEGIES = tuple(factory() for factory in _epay.STRATEGIES.values())

#: A strategy for each document kind of the catalogue (and RDF service catalogues).
MESSAGE_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    **{kind: factory() for kind, factory in _families().items()},
    "govtalk.envelope": govtalk_envelopes(),
}

#: The rules (or issue codes) each strategy can break on request, by strategy name:
#: ``payment_requests(breaks="EPAY-R001")`` draws requests that break exactly EPAY-R001.
BREAKABLE: dict[str, tuple[str, ...]] = {
    **_epay.BREAKABLE,
    **_ebenefits.BREAKABLE,
    **_vocab.BREAKABLE,
    **_valuebill.BREAKABLE,
    "govtalk_envelopes": _ENVELOPE_BREAKS,
}

__all__ = [
    "BREAKABLE",
    "MESSAGE_STRATEGIES",
    "NAME_LETTERS",
    "RECONCILIATION_BREAKS",
    "TEXT_ALPHABET",
    "TEXT_CHARS",
    "addresses",
    "aons",
    "ba_reports",
    "bank_accounts",
    "bank_statements",
    "benefit_claims",
    "bulk_claims",
    "cards",
    "changes_of_circumstances",
    "claim_status_queries",
    "council_tax_demands",
    "council_transactions",
    "councils",
    "dates",
    "dd_bank_accounts",
    "dd_references",
    "decision_notices",
    "demands",
    "deprecated_lgil_codes",
    "deprecated_lgsl_codes",
    "direct_debit_collections",
    "direct_debit_instructions",
    "direct_debit_returns",
    "disputes",
    "evidence_submissions",
    "function_codes",
    "fund_references",
    "govtalk_envelopes",
    "headers",
    "iban",
    "ibans",
    "identifiers",
    "income_items",
    "lgil_codes",
    "lgnl_codes",
    "lgsl_codes",
    "list_codes",
    "masked_cards",
    "money",
    "names",
    "ninos",
    "payers",
    "payment_lines",
    "payment_notifications",
    "payment_records",
    "payment_requests",
    "payment_requests_accepted",
    "payment_results",
    "payouts",
    "penalty_charge_demands",
    "person_names",
    "postcodes",
    "recent_dates",
    "reconciliation_batches",
    "references",
    "refund_notifications",
    "refund_requests",
    "service_catalogues",
    "statements_with_payouts",
    "status_queries",
    "text",
    "tier_codes",
    "timestamps",
    "trailer_for",
    "transactions",
    "unknown_lgil_codes",
    "unknown_lgsl_codes",
    "unofficial_lgsl_codes",
]
