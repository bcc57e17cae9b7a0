"""Cross-checks of LGSL and LGIL codes found in documents against the shipped lists.

Unknown code: ``vocab.unknown-code`` (error). Deprecated code: ``vocab.deprecated-code``
(warning naming the replacement when there is one). LGSL codes of 100000 and above are
GOV.UK's unofficial codes: ``vocab.unofficial-code`` (warning). These are business rules
COM-R020, COM-R021 and COM-R022 of the common rules, implemented once, here.

The lists come from :mod:`lgstandards.vocab` (``lgsl.as_of(date)`` when the list's
history is published; the current list otherwise).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, NamedTuple

from lgstandards._regex import LazyPattern
from lgstandards._xmlvalues import XML_SPACE, date_or_none
from lgstandards.report import Issue, Severity

#: Code values of 100000 and above are GOV.UK "unofficial" LGSL codes.
UNOFFICIAL_FROM = 100_000
#: A code of more digits than this (leading zeros aside) is in no list.
MAX_CODE_DIGITS = 18
#: A whole number in ASCII digits, as ``xs:integer`` writes it.
_WHOLE_NUMBER = LazyPattern(r"[+-]?[0-9]+")

SERVICE_URI = "http://id.esd.org.uk/service/"
INTERACTION_URI = "http://id.esd.org.uk/interaction/"

LIST_NAMES = {"lgsl": ("LGSL", "LGSL"), "lgil": ("LGIL", "LGIL")}


class CodeInfo(NamedTuple):
    """What the cross-check needs to know about one code."""

    deprecated: bool = False
    replaced_by: int | None = None
    unofficial: bool = False


Lookup = Callable[[int], CodeInfo | None]


class ListVersion(NamedTuple):
    """The version of a list a document's codes are checked against, and why."""

    list_name: str
    #: The version (None when unknown: the list is read from its source CSV).
    version: str | None = None
    #: The date the version was released.
    released: dt.date | None = None
    #: The document's date (None: the document has none; the latest version is used).
    as_of: dt.date | None = None

    @property
    def before_first(self) -> bool:
        """True when the document's date is before the version used: none was earlier."""
        return self.as_of is not None and self.released is not None and self.as_of < self.released


class ListLookup:
    """A code look-up (a :data:`Lookup`) that knows which version of its list it reads."""

    __slots__ = ("_get", "version")

    def __init__(self, get: Lookup, version: ListVersion) -> None:
        self._get = get
        self.version = version

    def __call__(self, code: int) -> CodeInfo | None:
        """Return what the list says about ``code``, None when it is not in it."""
        return self._get(code)


def _from_record(record: Any) -> CodeInfo:
    replaced = getattr(record, "replaced_by", None)
    return CodeInfo(
        deprecated=bool(getattr(record, "deprecated", False)),
        replaced_by=int(replaced) if replaced is not None else None,
        unofficial=bool(getattr(record, "unofficial", False)),
    )


@cache
def _csv_table(list_name: str) -> dict[int, CodeInfo]:
    """Read a list's source CSV (fallback while the vocabulary runtime is missing)."""
    import csv  # only a list read from its source CSV needs it (start-up)

    from lgstandards._resources import vocabularies_root

    table: dict[int, CodeInfo] = {}
    path = vocabularies_root() / list_name / "concepts.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            try:
                code = int(row["code"])
            except (KeyError, ValueError):
                continue
            replaced = (row.get("replaced_by") or "").strip()
            table[code] = CodeInfo(
                deprecated=(row.get("deprecated") or "").strip().lower() in ("true", "yes", "1"),
                replaced_by=int(replaced) if replaced.isdigit() else None,
            )
    return table


@cache
def lookup_for(list_name: str, as_of: dt.date | None = None) -> ListLookup:
    """Return a code look-up for ``lgsl`` or ``lgil`` in force at ``as_of`` (cached).

    A date before the list's first release gets the first release (the earliest there
    is); the look-up's ``version`` says so (:attr:`ListVersion.before_first`).
    """
    try:
        from lgstandards import vocab

        vocabulary: Any = getattr(vocab, list_name)
    except (ImportError, AttributeError):
        table = _csv_table(list_name)
        return ListLookup(table.get, ListVersion(list_name, as_of=as_of))
    if as_of is not None and hasattr(vocabulary, "as_of"):
        with contextlib.suppress(LookupError, ValueError):
            vocabulary = vocabulary.as_of(as_of)
    try:
        scheme = vocabulary.scheme
        version = ListVersion(list_name, str(scheme.version), scheme.issued, as_of)
    except (AttributeError, LookupError, OSError, ValueError):
        version = ListVersion(list_name, as_of=as_of)

    def get(code: int) -> CodeInfo | None:
        record = vocabulary.get(code)
        return None if record is None else _from_record(record)

    return ListLookup(get, version)


def version_notice(version: ListVersion, *, source: str | None = None) -> Issue | None:
    """Return the notice for a document dated before the first version of a list, or None.

    Its codes were checked against the earliest version there is; the notice names it.
    """
    if not version.before_first:
        return None
    name, _ = LIST_NAMES.get(version.list_name, (version.list_name.upper(), ""))
    return Issue(
        "vocab.date-before-list",
        Severity.INFO,
        f"{name} codes were checked against {name} version {version.version} of "
        f"{version.released}, the earliest available: no earlier version is published "
        f"for the document's date {version.as_of}",
        f"Gwiriwyd codau {name} yn erbyn fersiwn {version.version} o {name} ({version.released}),"
        f" y cynharaf sydd ar gael: nid oes fersiwn cynharach wedi'i chyhoeddi ar gyfer "
        f"dyddiad y ddogfen, {version.as_of}",
        source=source,
    )


def document_date(text: str | None) -> dt.date | None:
    """Parse the date part of an ``xs:date``/``xs:dateTime`` value, or None."""
    if not text:
        return None
    return date_or_none(text.strip(XML_SPACE)[:10])


def check_code(
    raw: str | None,
    list_name: str,
    *,
    lookup: Lookup,
    source: str | None = None,
    line: int | None = None,
    path: str | None = None,
    where: str = "",
) -> Iterator[Issue]:
    """Yield the vocabulary issues for one code value (nothing when it is fine).

    Values that are not whole numbers written in ASCII digits (``²``, ``٣``, ``1.5``)
    are left to the XSD layer; numbers of more than :data:`MAX_CODE_DIGITS` digits are
    in no list.
    """
    text = (raw or "").strip(" \t\r\n")
    if _WHOLE_NUMBER().fullmatch(text) is None:
        return
    name, _ = LIST_NAMES[list_name]
    sign = "-" if text.startswith("-") else ""
    digits = text.lstrip("+-").lstrip("0") or "0"
    if len(digits) > MAX_CODE_DIGITS:
        shown = f"{sign}{digits[:MAX_CODE_DIGITS]}… ({len(digits)} digits)"
        yield _unknown(name, shown, where, lookup, source=source, line=line, path=path)
        return
    code = int(sign + digits)
    info = lookup(code)
    label = f"{name} code {code}{where}"
    if info is None and list_name == "lgsl" and code >= UNOFFICIAL_FROM:
        info = CodeInfo(unofficial=True)
    if info is None:
        yield _unknown(name, str(code), where, lookup, source=source, line=line, path=path)
        return
    if info.unofficial:
        yield Issue(
            "vocab.unofficial-code",
            Severity.WARNING,
            f"{label} is a GOV.UK unofficial code, not published by esd",
            f"Mae cod {name} {code}{where} yn god answyddogol gan GOV.UK, heb ei gyhoeddi gan esd",
            source=source,
            line=line,
            path=path,
        )
    if info.deprecated:
        if info.replaced_by is not None:
            english = f"{label} is deprecated; use {info.replaced_by} instead"
            welsh = (
                f"Mae cod {name} {code}{where} wedi'i anghymeradwyo; defnyddiwch "
                f"{info.replaced_by} yn ei le"
            )
        else:
            english = f"{label} is deprecated and has no replacement"
            welsh = f"Mae cod {name} {code}{where} wedi'i anghymeradwyo ac nid oes un newydd"
        yield Issue(
            "vocab.deprecated-code",
            Severity.WARNING,
            english,
            welsh,
            source=source,
            line=line,
            path=path,
        )


def _unknown(
    name: str,
    shown: str,
    where: str,
    lookup: Lookup,
    *,
    source: str | None,
    line: int | None,
    path: str | None,
) -> Issue:
    """Return the issue for a code not in the list, saying which version was read."""
    label, label_cy = f"{name} code {shown}{where}", f"cod {name} {shown}{where}"
    version: ListVersion | None = getattr(lookup, "version", None)
    if version is not None and version.version is not None and version.before_first:
        english = (
            f"{label} is not in {name} version {version.version}, the earliest available "
            "(the document's date is before it)"
        )
        welsh = (
            f"Nid yw {label_cy} yn fersiwn {version.version} o {name}, y cynharaf sydd ar gael "
            "(mae dyddiad y ddogfen cyn hynny)"
        )
    elif version is not None and version.version is not None and version.as_of is None:
        english = f"{label} is not in the current {name} list (version {version.version})"
        welsh = f"Nid yw {label_cy} yn y rhestr {name} gyfredol (fersiwn {version.version})"
    else:
        english = f"{label} is not in the {name} list in force at the document's date"
        welsh = f"Nid yw {label_cy} yn y rhestr {name} sydd mewn grym ar ddyddiad y ddogfen"
        if version is not None and version.version is not None:
            english += f" (version {version.version})"
            welsh += f" (fersiwn {version.version})"
    return Issue(
        "vocab.unknown-code",
        Severity.ERROR,
        english,
        welsh,
        source=source,
        line=line,
        path=path,
    )


def code_from_uri(uri: str) -> tuple[str, str] | None:
    """Return (list, code text) for an esd service or interaction URI, else None."""
    for prefix, list_name in ((SERVICE_URI, "lgsl"), (INTERACTION_URI, "lgil")):
        if uri.startswith(prefix):
            return list_name, uri[len(prefix) :].rstrip("/")
    return None


__all__ = [
    "INTERACTION_URI",
    "MAX_CODE_DIGITS",
    "SERVICE_URI",
    "UNOFFICIAL_FROM",
    "CodeInfo",
    "ListLookup",
    "ListVersion",
    "Lookup",
    "check_code",
    "code_from_uri",
    "document_date",
    "lookup_for",
    "version_notice",
]
