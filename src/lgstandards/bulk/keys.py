"""Cross-document rules at scale: the keys each task extracts, and the rules per group.

The exchange (:mod:`lgstandards.exchange`) checks documents one after another against a
ledger. Three of its rules only compare a document with earlier ones sharing a key, so
a cluster can check them from small keys, grouped by a shuffle, without ever bringing
the documents to one process:

* COM-R004: a TransactionID (GovTalk ``request`` or ``poll``) is used once per sender
  per day; the group is (sender, day, TransactionID).
* COM-R012: a reconciliation batch's file id is new and its sequence number follows the
  council's last one; a bulk claims file's id is new. The group is (council, kind).
* EPAY-R017: a PaymentRequest's requestId is new for its calling application; the
  group is (council, calling application, requestId).

Within a group the keys are read in the documents' order (the order of the run), as
the ledger would see them: a document changes state only when it is accepted, that
is when it has no error of its own and no finding of these rules. A document in two
groups (a GovTalk envelope carrying a batch or a payment request) is rejected in both
when either finds against it; the groups are checked again with those rejections
until nothing changes (:func:`lgstandards.bulk.run.cross_document`). The findings
are the exchange's own: the registry's stateful templates with the parameters
:mod:`lgstandards.exchange.rules` gives them, the exchange's paths, and its document
names (``#n (source)``, ``n`` the document's place in the run, from 1).

The other stateful rules (the submission protocol, payment states, refunds,
reconciliation against payments, claims) need the ledger's running state and are not
computed here: where one of them would reject a document, the ledger's later findings
can differ.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from lgstandards.codes import Paths, issue
from lgstandards.exchange import facts as f
from lgstandards.exchange import findings
from lgstandards.report import Issue

#: The rules computed from keys.
RULES = ("COM-R004", "COM-R012", "EPAY-R017")

_BATCH = "epay.reconciliation-batch"
_BULK_CLAIMS = "ebenefits.bulk-claims"


@dataclass(frozen=True, slots=True)
class Key:
    """One key of one document: the group it belongs to and what the rule compares.

    ``order`` is the document's place in the run (0-based), ``ok`` whether the document
    has no error of its own; ``value`` the TransactionID, file id or requestId and
    ``sequence`` a batch's sequence number; ``line`` and ``path`` where the finding goes.
    """

    rule: str
    group: tuple[str, ...]
    order: int
    source: str
    ok: bool
    value: str | None
    line: int | None
    path: str | None
    sequence: int | None = None
    sequence_line: int | None = None
    sequence_path: str | None = None
    day: str | None = None
    kind: str | None = None


def keys_of(
    facts: f.Facts,
    *,
    order: int,
    source: str,
    ok: bool,
    kind: str | None = None,
    sender: str | None = None,
    today: dt.date | None = None,
    paths: Paths | None = None,
) -> list[Key]:
    """Return the keys of one document's facts (as :mod:`lgstandards.exchange.rules` reads them).

    ``paths`` makes the findings' paths (the exchange's path maker for the kind).
    """

    def at(where: f.Where) -> tuple[int | None, str | None]:
        if where.element is None:
            return None, None
        return where.line, paths.path(where.element) if paths is not None else None

    found: list[Key] = []
    council = facts.council or sender or ""
    env = facts.envelope
    if env is not None and env.qualifier in ("request", "poll") and env.transaction_id:
        party = env.sender_id or sender or facts.council or "-"
        day = env.day or facts.created or today or dt.datetime.now(dt.UTC).date()
        found.append(
            Key(
                "COM-R004",
                (party, day.isoformat(), env.transaction_id),
                order,
                source,
                ok,
                env.transaction_id,
                *at(env.where),
                day=day.isoformat(),
                kind=kind,
            )
        )
    message = facts.message
    if isinstance(message, f.PaymentRequest):
        if message.request_id is not None and message.calling_app is not None:
            found.append(
                Key(
                    "EPAY-R017",
                    (council, message.calling_app, message.request_id),
                    order,
                    source,
                    ok,
                    message.request_id,
                    *at(message.where),
                    kind=kind,
                )
            )
    elif isinstance(message, f.Reconciliation):
        found.append(
            Key(
                "COM-R012",
                (council, _BATCH),
                order,
                source,
                ok,
                message.file_id,
                *at(message.where),
                message.sequence,
                *at(message.sequence_where),
                kind=kind,
            )
        )
    elif isinstance(message, f.BulkClaims):
        found.append(
            Key(
                "COM-R012",
                (council, _BULK_CLAIMS),
                order,
                source,
                ok,
                message.batch_reference,
                *at(message.where),
                kind=kind,
            )
        )
    return found


#: A finding of a group: (the document's place, its kind, the issue).
Found = tuple[int, str | None, Issue]


def check_group(keys: Iterable[Key], rejected: frozenset[int] = frozenset()) -> list[Found]:
    """Return the findings of one group's keys, read in document order, as the ledger would.

    ``rejected`` holds documents found against in another group (they record nothing).
    """
    ordered = sorted(keys, key=lambda k: k.order)
    if not ordered:
        return []
    found = (
        _files(ordered, rejected) if ordered[0].rule == "COM-R012" else _unique(ordered, rejected)
    )
    return [(key.order, key.kind, issue) for key, issue in found]


def _label(key: Key) -> str:
    """Name a document as the ledger does: ``#n (source)``, n its place in the run."""
    return f"#{key.order + 1} ({key.source})" if key.source else f"#{key.order + 1}"


def _finding(key: Key, params: dict[str, object], *, sequence: bool = False) -> Issue:
    """Return the issue of a finding against ``key``'s document (the exchange's template)."""
    return issue(
        f"rule.{key.rule}",
        params,
        stateful=True,
        source=key.source,
        line=key.sequence_line if sequence else key.line,
        path=key.sequence_path if sequence else key.path,
    )


def _unique(keys: list[Key], rejected: frozenset[int]) -> Iterator[tuple[Key, Issue]]:
    """COM-R004 and EPAY-R017: the first accepted use of the key holds it."""
    holder: Key | None = None
    for key in keys:
        if holder is not None:
            assert key.value is not None  # a key is made only for a value
            if key.rule == "COM-R004":
                params = findings.transaction_id_reused(
                    key.value, key.group[0], key.day or key.group[1], _label(holder)
                )
            else:
                params = findings.request_id_reused(key.value, key.group[1], _label(holder))
            yield key, _finding(key, params)
        elif key.ok and key.order not in rejected:
            holder = key


def _files(keys: list[Key], rejected: frozenset[int]) -> Iterator[tuple[Key, Issue]]:
    """COM-R012: file ids are new; batch sequence numbers follow on (accepted files count)."""
    used: dict[str, Key] = {}
    last: Key | None = None  # the accepted batch of the highest sequence number
    for key in keys:
        found: list[Issue] = []
        if key.value is not None and key.value in used:
            params = findings.file_id_reused(key.value, _label(used[key.value]))
            found.append(_finding(key, params))
        if (
            key.sequence is not None
            and last is not None
            and last.sequence is not None
            and key.sequence != last.sequence + 1
        ):
            params = findings.sequence_broken(key.sequence, last.sequence, _label(last))
            found.append(_finding(key, params, sequence=True))
        yield from ((key, issue) for issue in found)
        if key.ok and not found and key.order not in rejected and key.value is not None:
            used[key.value] = key
            if key.sequence is not None and (
                last is None or last.sequence is None or key.sequence > last.sequence
            ):
                last = key


def facts_of(data: bytes, name: str | None) -> f.Facts | None:
    """Return the facts of a document's bytes (None when it cannot be parsed whole)."""
    from lgstandards.safexml import XMLInputError, parse_bytes

    try:
        root: Any = parse_bytes(data, name=name).getroot()
    except XMLInputError:
        return None
    return f.extract(root)


__all__ = ["RULES", "Found", "Key", "check_group", "facts_of", "keys_of"]
