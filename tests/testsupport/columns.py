"""A batch's record columns as the rules read them, with the C column reader and without.

Used by the tests that compare the two (``rules._columns`` against Python).
"""

from __future__ import annotations

from typing import Any

import pytest

from lgstandards.rules import _columns, screens

#: The record element of an e-Pay batch.
RECORD = "{urn:lgstandards:epay:1}PaymentRecord"


def columns_read(root: Any, tags: list[str]) -> dict[str, Any]:
    """Each column as ``Records`` reads it, and as ``child_values`` reads the root's records."""
    records = screens.Records(root)
    children = list(root.iterchildren(RECORD))
    return {
        tag: (
            records.column(tag),
            records.texts(tag),
            screens.child_values(root, children, tag, record_tag=RECORD),
        )
        for tag in tags
    }


def columns_both_ways(root: Any, tags: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """:func:`columns_read` with the C reader (where it was built), then without it."""
    native = columns_read(root, tags)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_columns, "_READER", [None])
        python = columns_read(root, tags)
    return native, python
