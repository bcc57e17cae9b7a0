"""Hypothesis strategies for Valuebill: billing authorities' property reports to the VOA.

:func:`ba_reports` draws ``BAreports`` documents (as XML text: lgstandards has no models
for this third party's schema) that are valid against the Valuebill schema and pass its
rules, with clearly fake data ("TEST COUNCIL", "1 TEST STREET"); with ``breaks=`` each
document breaks exactly one rule of :data:`BREAKABLE`. VB-R007 is not offered: the
schema itself refuses a missing or zero billing authority code, so no document breaks the
rule alone.

>>> from lgstandards.testing.valuebill import ba_reports
>>> ba_reports().example()  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape

from lgstandards.testing._hypothesis import st
from lgstandards.testing.common import postcodes

VALUEBILL_NS = "http://www.govtalk.gov.uk/LG/Valuebill"

#: The rules :func:`ba_reports` can break on request.
BREAKABLE: dict[str, tuple[str, ...]] = {
    "ba_reports": ("VB-R002", "VB-R003", "VB-R005", "VB-R008", "VB-R009"),
}

#: Council tax reason codes by the entries they need (VB-R002); the rest need none.
_CT_EXISTING = ("CR01", "CR02", "CR06", "CR07", "CR09", "CR10", "CR14")
_CT_PROPOSED = ("CR03", "CR04")
_CT_BOTH = ("CR05", "CR12")
_CT_FREE = ("CR15", "CR16")
_CT_REFUSED = ("CR08", "CR11", "CR13")
#: Business rates reason codes by the entries they need (VB-R003).
_NNDR_PROPOSED = ("01", "02", "03", "04")
_NNDR_EXISTING = ("05", "06", "07", "08", "09", "11")
_NNDR_FREE = ("10", "12", "13", "14", "15", "16", "17", "18", "19")

_WORDS = ("TEST", "EXAMPLE", "SAMPLE", "FICTIONAL")


def _entries(name: str, draw: st.DrawFn) -> str:
    number = draw(st.integers(1, 999))
    postcode = draw(postcodes)
    reference = draw(st.from_regex(r"\ATEST[0-9]{6}\Z"))
    return (
        f"<{name}><AssessmentProperties><PropertyIdentity><TextAddress>"
        f"<AddressLine>{number} {draw(st.sampled_from(_WORDS))} STREET</AddressLine>"
        f"<AddressLine>TEST TOWN</AddressLine><Postcode>{postcode}</Postcode></TextAddress>"
        f"<BAreference>{reference}</BAreference></PropertyIdentity>"
        f"</AssessmentProperties></{name}>"
    )


def _report(draw: st.DrawFn, code: str, number: int, breaks: str | None, sent: dt.date) -> str:
    council_tax = (
        draw(st.booleans()) if breaks not in ("VB-R002", "VB-R003") else (breaks == "VB-R002")
    )
    if council_tax:
        group = draw(
            st.sampled_from([_CT_EXISTING, _CT_PROPOSED, _CT_BOTH, _CT_FREE])
            if breaks != "VB-R002"
            else st.sampled_from([_CT_EXISTING, _CT_PROPOSED, _CT_BOTH, _CT_REFUSED])
        )
        reason = draw(st.sampled_from(group))
        tax = (
            "<CtaxReasonForReport><ReasonForReportCode>"
            f"{reason}</ReasonForReportCode></CtaxReasonForReport>"
        )
        existing = group in (_CT_EXISTING, _CT_BOTH)
        proposed = group in (_CT_PROPOSED, _CT_BOTH)
    else:
        group = draw(st.sampled_from([_NNDR_PROPOSED, _NNDR_EXISTING, _NNDR_FREE]))
        if breaks == "VB-R003":
            group = draw(st.sampled_from([_NNDR_PROPOSED, _NNDR_EXISTING]))
        reason = draw(st.sampled_from(group))
        tax = (
            "<NNDRreasonForReport><ReasonForReportCode>"
            f"{reason}</ReasonForReportCode></NNDRreasonForReport>"
        )
        existing = group is _NNDR_EXISTING
        proposed = group is _NNDR_PROPOSED
    if not existing and not proposed:  # the schema needs one: either will do
        existing = draw(st.booleans())
        proposed = not existing or draw(st.booleans())
    if breaks in ("VB-R002", "VB-R003") and group not in (_CT_REFUSED,):
        # Give the wrong entries: what the code needs is missing (the schema needs one).
        if group in (_CT_EXISTING, _NNDR_EXISTING):
            existing, proposed = False, True
        elif group in (_CT_PROPOSED, _NNDR_PROPOSED):
            existing, proposed = True, False
        else:  # both needed: leave one out
            existing, proposed = draw(st.sampled_from([(True, False), (False, True)]))
    entries = (_entries("ExistingEntries", draw) if existing else "") + (
        _entries("ProposedEntries", draw) if proposed else ""
    )
    authority = code if breaks != "VB-R008" or number > 1 else f"{int(code) % 9999 + 1:04d}"
    remarks = draw(st.none() | st.text(st.sampled_from("ABCDEFGHIJ "), min_size=2, max_size=240))
    if breaks == "VB-R005" and number == 1:
        remarks = draw(st.sampled_from("ABCDEFGHIJ"))  # the schema refuses more than 240
    change = sent - dt.timedelta(days=draw(st.integers(0, 365)))
    tail = f"<Remarks>{escape(remarks)}</Remarks>" if remarks and remarks.strip() else ""
    if breaks == "VB-R005" and number == 1:
        tail = f"<Remarks>{remarks}</Remarks>"
    return (
        f"<BApropertyReport><DateSent>{sent.isoformat()}</DateSent>"
        f"<TransactionIdentityBA>TEST{number:08d}</TransactionIdentityBA>"
        f"<BAidentityNumber>{authority}</BAidentityNumber>"
        f"<BAreportNumber>{number}</BAreportNumber><TypeOfTax>{tax}</TypeOfTax>{entries}"
        f"<IndicatedDateOfChange>{change.isoformat()}</IndicatedDateOfChange>{tail}"
        "</BApropertyReport>"
    )


def ba_reports(breaks: str | None = None) -> st.SearchStrategy[str]:
    """Draw a Valuebill ``BAreports`` document (XML text) with one to four reports.

    ``breaks``: VB-R002 (a council tax reason code refused, or without the entries it
    needs), VB-R003 (a business rates reason code without the entries it needs), VB-R005
    (remarks of one character; the schema itself refuses more than 240), VB-R008 (a
    report naming another billing authority than the header) or VB-R009 (trailer counts
    that are not the file's, a warning).
    """
    if breaks is not None and breaks not in BREAKABLE["ba_reports"]:
        choices = ", ".join(BREAKABLE["ba_reports"])
        raise ValueError(f"ba_reports cannot break {breaks!r}; choose from {choices}")
    return _ba_reports(breaks)


@st.composite
def _ba_reports(draw: st.DrawFn, breaks: str | None) -> str:
    code = f"{draw(st.integers(1, 9999)):04d}"
    sent = draw(st.dates(dt.date(2010, 4, 1), dt.date(2026, 3, 31)))
    count = draw(st.integers(1, 4))
    reports = [_report(draw, code, n, breaks, sent) for n in range(1, count + 1)]
    council_tax = sum("<CtaxReasonForReport>" in r for r in reports)
    recorded = count
    if breaks == "VB-R009":
        recorded = count + draw(st.integers(1, 5))
    created = f"{sent.isoformat()}T09:00:00"
    return (
        f'<BAreports xmlns="{VALUEBILL_NS}" SchemaId="BAtoVOA" SchemaVersion="4-0">'
        f"<BAreportHeader><BillingAuthority>TEST COUNCIL</BillingAuthority>"
        f"<BillingAuthorityIdentityCode>{code}</BillingAuthorityIdentityCode>"
        f"<ProcessDate>{sent.isoformat()}</ProcessDate><EntryDateTime>{created}</EntryDateTime>"
        f"</BAreportHeader>{''.join(reports)}"
        f"<BAreportTrailer><RecordCount>{recorded}</RecordCount>"
        f"<EntryDateTime>{created}</EntryDateTime>"
        f"<TotalNNDRreportCount>{recorded - council_tax}</TotalNNDRreportCount>"
        f"<TotalCtaxReportCount>{council_tax}</TotalCtaxReportCount></BAreportTrailer>"
        "</BAreports>"
    )


#: The strategy of each Valuebill document kind.
STRATEGIES: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
    "valuebill.ba-reports": ba_reports,
}

__all__ = ["BREAKABLE", "STRATEGIES", "VALUEBILL_NS", "ba_reports"]
