"""The exchange: validate a document, check it against the ledger, record it, in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import sqlalchemy as sa

from lgstandards._text import shorten
from lgstandards._xmlvalues import XML_SPACE, decimal_or_none, integer_or_none, string_value
from lgstandards.codes import issue
from lgstandards.exchange import ledger as lg
from lgstandards.exchange import rules, statements
from lgstandards.exchange.facts import (
    BulkClaims,
    Claim,
    ClaimUse,
    Facts,
    Unkept,
    extract,
    unkept,
)
from lgstandards.report import Issue, Severity, ValidationReport
from lgstandards.rules.epay import find_card_numbers, luhn_valid
from lgstandards.safexml import Source, XMLInputError, parse_bytes, read_bytes, source_name
from lgstandards.validation.core import input_issue
from lgstandards.validation.paths import PathMaker
from lgstandards.validation.profile import Profile, current_profile
from lgstandards.validation.profile_files import load_profile

#: Messages that carry personal data (their reports are scrubbed of NINOs and dates).
PERSONAL = (Claim, BulkClaims, ClaimUse)

#: How many times a document's transaction is tried when it loses a race.
ATTEMPTS = 8

#: Runs of digits as EPAY-R008 reads them (single spaces or hyphens between digits).
_CARD_RUN = re.compile(r"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])")
#: Anything shaped like a NINO, spaced or not, well-formed or not.
_NINO = re.compile(r"(?<![A-Za-z])[A-Za-z]{2}(?:\s*[0-9]){6}(?:\s*[A-Za-z])?(?![A-Za-z0-9])")
_DATE = re.compile(r"\b[0-9]{4}-[0-9]{2}-[0-9]{2}\b")


def _card_removed(match: re.Match[str]) -> str:
    digits = re.sub(r"[ -]", "", match.group(0))
    return "[card number removed]" if luhn_valid(digits) else match.group(0)


def scrub(text: str | None, *, personal: bool) -> str | None:
    """Remove what the ledger never stores from a report text.

    Full card numbers (Luhn-valid runs of 13 to 19 digits) always; for e-Benefits
    documents (``personal``) also anything shaped like a National Insurance number, and
    dates, which may be birth dates (their reports also drop the parser's raw detail).
    """
    if not text:
        return text
    text = _CARD_RUN.sub(_card_removed, text)
    if personal:
        text = _NINO.sub("[NINO removed]", text)
        text = _DATE.sub("[date removed]", text)
    return text


def _not_read(exc: XMLInputError, name: str | None) -> Issue:
    """Return the issue of a valid document the exchange cannot read whole for its facts."""
    return Issue(
        "exchange.not-read",
        Severity.ERROR,
        "The document is valid alone but cannot be read whole for the stateful rules; it "
        "is not recorded as accepted.",
        "Mae'r ddogfen yn ddilys ar ei phen ei hun ond ni ellir ei darllen yn gyfan ar "
        "gyfer y rheolau cyflwr; nid yw'n cael ei chofnodi fel un a dderbyniwyd.",
        source=name,
        detail=exc.message,
    )


def _holder(item: Unkept) -> Any:
    """Return the element whose value is ``item``'s (its message's if none is found)."""
    element = item.where.element
    if element is None:
        return None
    value = item.value

    def holds(candidate: Any) -> bool:
        if len(candidate):
            return False
        text = string_value(candidate)
        if isinstance(value, str):
            return text.strip(XML_SPACE) == value or " ".join(text.split()) == value
        if isinstance(value, int):
            return integer_or_none(text) == value
        return decimal_or_none(text) == value

    # its own element, one under its message's, else anywhere (the envelope's sender)
    found = next(filter(holds, element.iter("{*}*")), None)
    if found is None:
        found = next(filter(holds, element.getroottree().iter("{*}*")), None)
    return element if found is None else found


def not_kept(
    what: str,
    what_cy: str,
    why: str,
    why_cy: str,
    *,
    element: Any = None,
    paths: PathMaker | None = None,
    source: str | None = None,
    line: int | None = None,
    path: str | None = None,
) -> Issue:
    """Return the issue of a document whose facts the ledger cannot keep (rejected)."""
    return issue(
        "exchange.not-kept",
        {"what": what, "what_cy": what_cy, "why": why, "why_cy": why_cy},
        element=element,
        paths=paths,
        source=source,
        line=line,
        path=path,
    )


def unkept_issue(item: Unkept, *, paths: PathMaker, source: str | None) -> Issue:
    """Return the issue of one value the ledger cannot keep, at the element that has it."""
    element = _holder(item)
    name = "" if element is None else str(element.tag).rpartition("}")[2]
    value = shorten(str(item.value), 40)
    if not item.number:
        why = f"it keeps identifiers of at most {lg.KEY_LENGTH} characters"
        why_cy = f"mae'n cadw dynodwyr o {lg.KEY_LENGTH} nod ar y mwyaf"
    else:
        low, high = lg.INTEGERS.start, lg.INTEGERS.stop - 1
        why = f"it keeps whole numbers (amounts in pence) from {low} to {high}"
        why_cy = f"mae'n cadw rhifau cyfan (symiau mewn ceiniogau) o {low} i {high}"
    return not_kept(
        f"The value {value} of {name}" if name else f"The value {value}",
        f"Y gwerth {value} yn {name}" if name else f"Y gwerth {value}",
        why,
        why_cy,
        element=element,
        paths=paths,
        source=source,
        line=item.line,
        path=item.path,
    )


def paths_for(kind: str | None) -> PathMaker:
    """Return the path maker of a document of ``kind``, as validation makes its paths.

    A standalone document's records carry their positions (the kind's record
    element); an envelope's paths run from the envelope's root.
    """
    profile = current_profile()
    known = _RECORD_TAGS.get(kind)
    if known is not None and known[0] is profile:
        return PathMaker(profile.prefixes, known[1])
    spec = profile.spec_for_kind(kind) if kind is not None else None
    record = spec.record_tag if spec is not None and not spec.body_classes else None
    if len(_RECORD_TAGS) < 256:
        _RECORD_TAGS[kind] = (profile, record)
    return PathMaker(profile.prefixes, record)


#: kind -> (the profile it was looked up in, the kind's record element for paths).
_RECORD_TAGS: dict[str | None, tuple[Any, str | None]] = {}


def _issue_data(issue: Issue, *, personal: bool) -> dict[str, Any]:
    return {
        "code": issue.code,
        "severity": issue.severity.value,
        "message": scrub(issue.message, personal=personal),
        "message_cy": scrub(issue.message_cy, personal=personal),
        "line": issue.line,
        "column": issue.column,
        "path": issue.path,
        "detail": None if personal else scrub(issue.detail, personal=False),
    }


@dataclass(frozen=True, slots=True)
class LedgerStatus:
    """A summary of a ledger: what ``lgstandards exchange status`` prints."""

    schema_version: int
    documents_accepted: int
    documents_rejected: int
    payments_by_state: dict[str, int]
    open_refunds: int
    open_refunds_pence: int
    unreconciled_payments: int
    unreconciled_refunds: int
    open_submissions: int
    claims: int
    open_payouts: int = 0
    reconciled_payouts: int = 0
    #: ``bank.payout-overdue`` of every open payout overdue on the day of the summary.
    overdue_payouts: tuple[Issue, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as JSON-ready data."""
        return {
            "schema_version": self.schema_version,
            "documents": {"accepted": self.documents_accepted, "rejected": self.documents_rejected},
            "payments_by_state": dict(self.payments_by_state),
            "open_refunds": {"count": self.open_refunds, "amount_pence": self.open_refunds_pence},
            "unreconciled": {
                "payments": self.unreconciled_payments,
                "refunds": self.unreconciled_refunds,
            },
            "open_govtalk_submissions": self.open_submissions,
            "claims": self.claims,
            "payouts": {
                "open": self.open_payouts,
                "reconciled": self.reconciled_payouts,
                "overdue": [issue.to_dict() for issue in self.overdue_payouts],
            },
        }


class Exchange:
    """A history of documents checked against a ledger (SQLite by default, or PostgreSQL).

    ``ledger`` is None (in memory, empty), a file path or ``sqlite:///path`` (SQLite), or
    ``postgresql://user@host/db``. ``sender`` is the authenticated sender (COM-R011);
    ``profile`` the council's profile: its fund table and settings, used for every document
    (a :class:`~lgstandards.validation.profile.Profile` or its file, see
    :mod:`lgstandards.validation.profile_files`; None: the current default, the example
    profile unless :func:`~lgstandards.validation.profile.using_profile` says otherwise). An
    exchange holds one connection: use one per thread. With ``keep_documents=True`` each
    document's content is kept for ``retention`` (a :class:`datetime.timedelta` or days),
    then removed; a document with a card number is never kept. ``overdue_after`` (a
    :class:`datetime.timedelta` or days, default 5): how long after the day it was paid out
    a payout may be on no bank statement before it is ``bank.payout-overdue`` (see
    :mod:`lgstandards.exchange.statements`). Use as a context manager, or call
    :meth:`close`.
    """

    def __init__(
        self,
        ledger: str | os.PathLike[str] | None = None,
        *,
        sender: str | None = None,
        profile: Profile | str | os.PathLike[str] | None = None,
        keep_documents: bool = False,
        retention: dt.timedelta | int | None = None,
        overdue_after: dt.timedelta | int = rules.OVERDUE_AFTER,
    ) -> None:
        if keep_documents and retention is None:
            raise ValueError("keep_documents needs a retention period (days or a timedelta)")
        if isinstance(retention, int):
            retention = dt.timedelta(days=retention)
        if retention is not None and retention <= dt.timedelta(0):
            raise ValueError("the retention period must be positive")
        if isinstance(overdue_after, int):
            overdue_after = dt.timedelta(days=overdue_after)
        if overdue_after < dt.timedelta(0):
            raise ValueError("overdue_after must not be negative")
        #: How long after the day it was paid out an open payout is overdue.
        self.overdue_after = overdue_after
        self.profile = load_profile(profile)
        self.sender = lg.checked_sender(sender)
        self.keep_documents = keep_documents
        self.retention = retention
        self.engine = lg.open_engine(ledger)
        dbapi: Any = self.engine.dialect.dbapi
        #: A constraint's refusal: a lost race, or (every time) the document's own conflict.
        self._conflicts: tuple[type[Exception], ...] = (sa.exc.IntegrityError, dbapi.IntegrityError)
        #: The errors of a transaction that lost a race (a constraint, a lock): retried.
        self._races: tuple[type[Exception], ...] = (
            *self._conflicts,
            sa.exc.OperationalError,
            dbapi.OperationalError,
        )
        #: The errors of a write the database refuses for a value (too long, too large).
        self._refusals: tuple[type[Exception], ...] = (
            sa.exc.DataError,
            dbapi.DataError,
            OverflowError,
        )
        # One connection for the exchange's life: a transaction per document, no pool trip.
        self._conn = self.engine.connect()
        self._batch_size = self._pending = 0
        with self._conn.begin():
            self._salt = lg.salt(self._conn)
        self.purge()

    # -------------------------------------------------------------- lifecycle
    def close(self) -> None:
        """Commit a batch in progress and release the ledger's connections."""
        if not self._conn.closed:
            self._flush()
        self._conn.close()
        self.engine.dispose()

    def __enter__(self) -> Exchange:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -------------------------------------------------------------- checking
    def check(
        self, document: Source, *, sender: str | None = None, name: str | None = None
    ) -> ValidationReport:
        """Validate ``document``, check it against the ledger and record it; return the report.

        Runs :func:`lgstandards.validate`, then the stateful rules; the document's row,
        report and (when it has no error) its facts are written in one transaction. A
        document with errors is kept with its report but changes no state. ``sender``
        overrides the exchange's authenticated sender for this document; ``name`` names
        bytes in the report.
        """
        from lgstandards.validation.core import make_options
        from lgstandards.validation.engine import run_parsed

        who = lg.checked_sender(self.sender if sender is None else sender)
        shown = name or source_name(document)
        options = make_options(profile=self.profile)
        data: bytes | None = None
        if isinstance(document, str | os.PathLike):
            report, tree = run_parsed(document, options)
            try:
                data = read_bytes(document)
            except XMLInputError as exc:
                if report.ok:  # validated (streamed), yet too large to read whole here
                    report.add(_not_read(exc, shown))
        elif isinstance(document, bytes) and len(document) <= options.limits.max_bytes:
            data = document  # read already: validated as it is
            report, tree = run_parsed(data, options, shown)
        else:
            try:
                data = read_bytes(document)
            except XMLInputError as exc:
                report = ValidationReport(source=shown, issues=[input_issue(exc, shown)])
                tree = None
            else:
                report, tree = run_parsed(data, options, shown)
        facts = self._facts(data, tree, report, shown)
        if facts is not None:
            beyond = unkept(facts, longest=lg.KEY_LENGTH, integers=lg.INTEGERS)
            if beyond:  # rejected, with no fact read: the ledger could not keep them
                where = paths_for(report.kind)
                source = report.source or shown
                report.extend(unkept_issue(i, paths=where, source=source) for i in beyond)
                facts = None
        findings = self._record(data, report, facts, who, shown)
        return ValidationReport(
            source=report.source, kind=report.kind, issues=[*report.issues, *findings]
        )

    def check_all(
        self, documents: Iterable[Source], *, sender: str | None = None
    ) -> list[ValidationReport]:
        """Check documents in order (one history); return their reports."""
        return [self.check(d, sender=sender) for d in documents]

    def _facts(
        self,
        data: bytes | None,
        tree: Any,
        report: ValidationReport,
        name: str | None,
    ) -> Facts | None:
        """Return the document's facts: from the tree validation parsed, else parsed here.

        A document validated without a whole tree (streamed) is parsed here; one that
        could not be read or parsed has no facts.
        """
        if data is None or any(
            i.code.startswith(("xml.", "io.")) and i.severity is Severity.ERROR for i in report
        ):
            return None
        if tree is None:
            try:
                tree = parse_bytes(data, name=name)
            except XMLInputError:
                return None
        facts = extract(tree.getroot())
        facts.kind = report.kind
        return facts

    def _record(
        self,
        data: bytes | None,
        report: ValidationReport,
        facts: Facts | None,
        sender: str | None,
        name: str | None,
    ) -> list[Issue]:
        """Check the facts against the ledger and record the document, in one transaction.

        A transaction that loses a race (a constraint, a lock) is rolled back and the
        document checked again; in a batch, the document is a savepoint of its own. On
        PostgreSQL the document's writes go out together at its end
        (:func:`rules.one_document`).
        """
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        races = self._races
        last: Exception | None = None
        refused: list[Issue] = []
        for attempt in range(ATTEMPTS + 1):
            conn = self._conn
            try:
                if not self._batch_size:
                    with conn.begin(), rules.one_document(conn, savepoint=False):
                        findings = self._write(conn, data, report, facts, sender, name, now)
                    return [*refused, *findings]
                if not conn.in_transaction():
                    conn.begin()
                with rules.one_document(conn, savepoint=True):  # the document alone, in the batch
                    findings = self._write(conn, data, report, facts, sender, name, now)
                self._pending += 1
                if self._pending >= self._batch_size:
                    self._flush()
                return [*refused, *findings]
            except self._refusals as exc:
                if facts is None:  # the document's row alone was refused: not the content's
                    raise lg.LedgerError(f"the ledger refused the document's row: {exc}") from exc
                refusal = self._refusal(exc, report, name)
            except races as exc:
                last = exc  # lost a race (or the lock): check again, now seeing the winner
                if not (
                    attempt == ATTEMPTS - 1
                    and facts is not None
                    and isinstance(exc, self._conflicts)
                ):
                    continue
                refusal = self._refusal(exc, report, name)  # the same conflict every time
            refused.append(refusal)
            report = ValidationReport(
                source=report.source, kind=report.kind, issues=[*report.issues, refusal]
            )
            facts = None  # recorded with its report, changing no state
        raise lg.LedgerError(f"the ledger stayed busy after {ATTEMPTS} attempts: {last}")

    def _refusal(self, exc: Exception, report: ValidationReport, name: str | None) -> Issue:
        """Return the issue of a write the ledger refused for a value of the document.

        The values a document may hold are checked before the rules run
        (:func:`~lgstandards.exchange.facts.unkept`); this is the net under that check,
        so that a value the database refuses rejects the document instead of raising.
        """
        detail = str(getattr(exc, "orig", None) or exc).splitlines()[0][:300]
        return not_kept(
            "A value of the document",
            "gwerth yn y ddogfen",
            f"the database refused it ({detail})",
            f"gwrthododd y gronfa ddata ef ({detail})",
            source=report.source or name,
        )

    def _write(
        self,
        conn: sa.Connection,
        data: bytes | None,
        report: ValidationReport,
        facts: Facts | None,
        sender: str | None,
        name: str | None,
        now: dt.datetime,
    ) -> list[Issue]:
        """Run the rules and write the document's row and (when accepted) its facts."""
        ctx = rules.Context(
            conn=conn,
            facts=facts if facts is not None else Facts(),
            source=report.source or name,
            sender=sender,
            profile=self.profile,
            salt=self._salt,
            today=now.date(),
            paths=paths_for(report.kind),
            overdue_after=self.overdue_after,
        )
        if facts is not None:
            rules.run(ctx)
            statements.run(ctx)
        issues = [*report.issues, *ctx.findings]
        errors = sum(i.severity is Severity.ERROR for i in issues)
        accepted = errors == 0
        personal = (report.kind or "").startswith("ebenefits.") or (
            facts is not None and isinstance(facts.message, PERSONAL)
        )
        keep = (
            self.keep_documents
            and data is not None
            and "rule.EPAY-R008" not in {i.code for i in issues}
            and not find_card_numbers(data.decode("latin-1"))
        )
        given = rules.next_document_id(conn)
        inserted = rules.insert_row(
            conn,
            "documents",
            **({} if given is None else {"id": given}),
            received=now,
            source=name,
            sha256=hashlib.sha256(data).hexdigest() if data is not None else None,
            kind=report.kind,
            sender=sender,
            council=facts.council if facts is not None else None,
            accepted=accepted,
            errors=errors,
            report=json.dumps(
                [_issue_data(i, personal=personal) for i in issues], ensure_ascii=False
            )
            if issues
            else "[]",
            content=data if keep else None,
            expires=now + self.retention if keep and self.retention else None,
        )
        document_id = given if given is not None else inserted
        assert document_id is not None
        if accepted:
            for action in ctx.actions:
                action(document_id)
        return ctx.findings

    # -------------------------------------------------------------- batches
    @contextmanager
    def batch(self, size: int = 200) -> Iterator[Exchange]:
        """Check many documents with fewer commits: ``with exchange.batch(): ...``.

        Each document is still all or nothing (a savepoint of its own, rolled back and
        checked again if it loses a race), but the transaction is committed every
        ``size`` documents and at the end of the block, so the cost of a commit (a
        disk flush on PostgreSQL) is shared. Until then, other processes do not see
        those documents and wait for the ledger (SQLite) or for the rows they touch
        (PostgreSQL); a crash loses the uncommitted documents of the batch whole, never
        part of one. The CLI checks its documents in batches.
        """
        if size < 1:
            raise ValueError("a batch holds at least one document")
        if self._batch_size:
            yield self  # already in a batch
            return
        self._batch_size, self._pending = size, 0
        try:
            yield self
        finally:
            self._batch_size = 0
            self._flush()

    def _flush(self) -> None:
        """Commit the documents of the current batch."""
        if self._conn.in_transaction():
            self._conn.commit()
        self._pending = 0

    # -------------------------------------------------------------- upkeep and summary
    def purge(self, now: dt.datetime | None = None) -> int:
        """Remove the content of kept documents whose retention has ended; return how many."""
        moment = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self._flush()
        conn = self._conn
        with conn.begin():
            result = conn.execute(
                lg.documents.update()
                .where(lg.documents.c.expires.is_not(None), lg.documents.c.expires <= moment)
                .values(content=None, expires=None)
            )
            return int(result.rowcount or 0)

    def status(self, *, as_of: dt.date | None = None) -> LedgerStatus:
        """Summarise the ledger: payments by state, open refunds, unreconciled items ...

        Open payouts paid out more than :attr:`overdue_after` before ``as_of`` (default:
        today) are listed as ``bank.payout-overdue`` warnings.
        """
        d, p, r = lg.documents, lg.payments, lg.refunds
        self._flush()
        conn = self._conn
        with conn.begin():
            version = lg.schema_version(conn) or 0
            verdicts: dict[bool, int] = dict(
                conn.execute(sa.select(d.c.accepted, sa.func.count()).group_by(d.c.accepted)).all()
            )
            by_state = {
                str(state): int(count)
                for state, count in conn.execute(
                    sa.select(p.c.state, sa.func.count()).group_by(p.c.state).order_by(p.c.state)
                ).all()
            }
            open_count, open_sum = conn.execute(
                sa.select(
                    sa.func.count(), sa.func.coalesce(sa.func.sum(r.c.amount_pence), 0)
                ).where(r.c.state.in_(("requested", "submitted")))
            ).one()
            unreconciled_payments = conn.execute(
                sa.select(sa.func.count()).where(
                    p.c.state == "success", p.c.reconciled_by.is_(None)
                )
            ).scalar()
            unreconciled_refunds = conn.execute(
                sa.select(sa.func.count()).where(
                    r.c.state == "success", r.c.reconciled_by.is_(None)
                )
            ).scalar()
            g = lg.govtalk_submissions
            open_submissions = conn.execute(
                sa.select(sa.func.count()).where(g.c.state.not_in(("closed", "deleted")))
            ).scalar()
            claims = conn.execute(sa.select(sa.func.count()).select_from(lg.claims)).scalar()
            open_payouts, reconciled_payouts = statements.counts(conn)
            day = as_of or dt.datetime.now(dt.UTC).date()
            late = statements.overdue(conn, day, self.overdue_after)
        return LedgerStatus(
            schema_version=version,
            documents_accepted=int(verdicts.get(True, 0)),
            documents_rejected=int(verdicts.get(False, 0)),
            payments_by_state=by_state,
            open_refunds=int(open_count),
            open_refunds_pence=int(open_sum),
            unreconciled_payments=int(unreconciled_payments or 0),
            unreconciled_refunds=int(unreconciled_refunds or 0),
            open_submissions=int(open_submissions or 0),
            claims=int(claims or 0),
            open_payouts=open_payouts,
            reconciled_payouts=reconciled_payouts,
            overdue_payouts=tuple(late),
        )


__all__ = ["ATTEMPTS", "Exchange", "LedgerStatus", "paths_for", "scrub"]
