"""The parameters of the exchange's findings that more than one checker makes (one owner).

The ledger's rules (:mod:`lgstandards.exchange.rules`) and the cluster's key groups
(:mod:`lgstandards.bulk.keys`) both find COM-R004, COM-R012 and EPAY-R017; the texts
are the registry's stateful templates (``codes/_exchange.py``), and the parameters that
fill them, wording included, are built here, so the two cannot drift apart::

    >>> file_id_reused("BATCH-1", "#3 (batch.xml)")["reason"]
    'was already used'
"""

from __future__ import annotations

Params = dict[str, object]


def transaction_id_reused(transaction_id: str, party: str, day: str, earlier: str) -> Params:
    """COM-R004: ``transaction_id`` was used by ``party`` on ``day`` (ISO) in ``earlier``."""
    return {"transaction_id": transaction_id, "party": party, "day": day, "earlier": earlier}


def request_id_reused(request_id: str, calling_app: str, earlier: str) -> Params:
    """EPAY-R017: the requestId of ``calling_app`` was used before, in ``earlier``."""
    return {
        "what": "requestId",
        "what_cy": "requestId",
        "value": request_id,
        "owner": calling_app,
        "earlier": earlier,
    }


def refund_request_id_reused(refund_request_id: str, council: str, earlier: str) -> Params:
    """EPAY-R017: the refund request id of ``council`` was used before, in ``earlier``."""
    return {
        "what": "refund request id",
        "what_cy": "dynodydd y cais ad-daliad",
        "value": refund_request_id,
        "owner": council,
        "earlier": earlier,
    }


def file_id_reused(file_id: str, earlier: str) -> Params:
    """COM-R012: the file id (FileId, BatchReference) was used before, in ``earlier``."""
    return {
        "what": "file id",
        "what_cy": "Dynodydd y ffeil",
        "value": file_id,
        "reason": "was already used",
        "reason_cy": "fe'i defnyddiwyd eisoes",
        "earlier": earlier,
    }


def sequence_broken(sequence: int, last: int, earlier: str) -> Params:
    """COM-R012: the batch ``sequence`` does not follow on from ``last`` (in ``earlier``)."""
    expected = last + 1
    return {
        "what": "batch sequence number",
        "what_cy": "Rhif dilyniant y swp",
        "value": sequence,
        "reason": f"does not follow on from {last}: {expected} was expected",
        "reason_cy": f"nid yw'n dilyn {last}; roedd disgwyl {expected}",
        "earlier": earlier,
    }


__all__ = [
    "Params",
    "file_id_reused",
    "refund_request_id_reused",
    "request_id_reused",
    "sequence_broken",
    "transaction_id_reused",
]
