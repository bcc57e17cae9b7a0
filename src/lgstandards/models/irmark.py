"""The IRmark digest of a GovTalk Body, without the model machinery (rule COM-R013).

HMRC's IRmark is the SHA-1, in base64, of the message's ``Body`` canonicalised with
inclusive Canonical XML 1.0 (no comments), every ``IRmark`` element taken out. The
models (:func:`lgstandards.models.govtalk.ir_mark`, ``add_ir_mark``) and the business
rule COM-R013 (:mod:`lgstandards.rules.common`) both compute it here, so a validation
run needs no pydantic.
"""

from __future__ import annotations

from lxml import etree

GOVTALK_NS = "http://www.govtalk.gov.uk/CM/envelope"


def _remove_keeping_text(element: etree._Element) -> None:
    """Take ``element`` out of its parent, keeping the text after it (as DOM removal does)."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def body_digest(body: etree._Element) -> str:
    """Return the IRmark digest of a GovTalk ``Body`` element (which is left unchanged).

    The Body is canonicalised in its document (inclusive Canonical XML 1.0 without
    comments, so the namespace declarations in scope are rendered on it) with every
    ``IRmark`` element (of any namespace) taken out; its SHA-1 is given in base64.
    Raises ``ValueError`` when Canonical XML refuses the Body (a relative namespace
    name in scope, such as ``xmlns="x"``): it then has no IRmark.
    """
    import base64  # here, not at import: a validation run imports this module for
    import copy  # every kind, and only GovTalk envelopes have a Body (start-up)
    import hashlib

    steps = []
    element = body
    parent = element.getparent()
    while parent is not None:
        steps.append(parent.index(element))
        element, parent = parent, parent.getparent()
    target = copy.deepcopy(element)
    for step in reversed(steps):
        target = target[step]
    for mark in list(target.iter("{*}IRmark")):
        _remove_keeping_text(mark)
    try:
        canonical = etree.tostring(target, method="c14n", with_comments=False)
    except etree.C14NError as exc:
        raise ValueError(f"Canonical XML refuses the Body, so it has no IRmark: {exc}") from exc
    return base64.b64encode(hashlib.sha1(canonical).digest()).decode("ascii")
