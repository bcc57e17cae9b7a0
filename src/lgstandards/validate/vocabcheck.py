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
import csv
import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from lgstandards._xmlvalues import XML_SPACE, date_or_none
from lgstandards.report import Issue, Severity

#: Code values of 100000 and above are GOV.UK "unofficial" LGSL codes.
UNOFFICIAL_FROM = 100_000

#: More digits than any code of any list (a value is not converted beyond this).
MAX_CODE_DIGITS = 18

SERVICE_URI = "http://id.esd.org.uk/service/"
INTERACTION_URI = "http://id.esd.org.uk/interaction/"

LIST_NAMES = {"lgsl": ("LGSL", "LGSL"), "lgil": ("LGIL", "LGIL")}


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """What the cross-check needs to know about one code."""

    deprecated: bool = False
    replaced_by: int | None = None
    unofficial: bool = False


Lookup = Callable[[int], CodeInfo | None]


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
def lookup_for(list_name: str, as_of: dt.date | None = None) -> Lookup:
    """Return a code look-up for ``lgsl`` or ``lgil`` in force at ``as_of`` (cached)."""
    try:
        from lgstandards import vocab

        vocabulary: Any = getattr(vocab, list_name)
    except (ImportError, AttributeError):
        table = _csv_table(list_name)
        return table.get
    if as_of is not None and hasattr(vocabulary, "as_of"):
        with contextlib.suppress(LookupError, ValueError):
            vocabulary = vocabulary.as_of(as_of)

    def get(code: int) -> CodeInfo | None:
        record = vocabulary.get(code)
        return None if record is None else _from_record(record)

    return get


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

    Values that are not whole numbers are left to the XSD layer.
    """
    text = (raw or "").strip()
    digits = text.removeprefix("-")
    if not (digits.isascii() and digits.isdigit()):  # not '²': str.isdigit() takes it
        return
    # int() refuses over 4,300 digits; no list has a code of more than MAX_CODE_DIGITS
    value = int(text) if len(digits.lstrip("0")) <= MAX_CODE_DIGITS else None
    if value is not None:
        code = str(value)
    else:
        code = text if len(text) <= 24 else f"{text[:12]}…({len(text)} digits)"
    name, _ = LIST_NAMES[list_name]
    info = None if value is None else lookup(value)
    label = f"{name} code {code}{where}"
    large = not text.startswith("-") if value is None else value >= UNOFFICIAL_FROM
    if info is None and list_name == "lgsl" and large:
        info = CodeInfo(unofficial=True)
    if info is None:
        yield Issue(
            "vocab.unknown-code",
            Severity.ERROR,
            f"{label} is not in the {name} list in force at the document's date",
            f"Nid yw cod {name} {code}{where} yn y rhestr {name} sydd mewn grym ar ddyddiad y "
            "ddogfen",
            source=source,
            line=line,
            path=path,
        )
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
    "Lookup",
    "check_code",
    "code_from_uri",
    "document_date",
    "lookup_for",
]
