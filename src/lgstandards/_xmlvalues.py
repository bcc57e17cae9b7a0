"""The values of XML elements as the schemas see them: one owner for reading a value.

An element's value is its XPath *string value*: the text of the element and of all
its descendants in document order. Comments and processing instructions are not
part of it, so ``12<!-- x -->5.50`` is ``125.50``; CDATA sections and character
references are text like any other (the parser has already merged them). XSD and
Schematron read values this way; the Python rules, the streaming batch totals and
the model binding read them with :func:`string_value` so they agree.

:func:`decimal_or_none` and :func:`date_or_none` parse a value in the schemas'
lexical forms and return None for anything else (``NaN``, ``INF``, exponents, empty
or over-long numbers, other calendars): the XSD layer reports the lexical error, and
a rule never fails on a value it cannot read.

Imports nothing heavy (no pydantic, no lxml), so the rules and validators can use it
freely.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from lgstandards._regex import LazyPattern

#: XML's whitespace characters (what XSD's ``collapse`` removes at the ends).
XML_SPACE = " \t\r\n"

#: Most significant digits a number may have to be read (the default precision of
#: :mod:`decimal`, so sums of such values stay exact); more is no amount or count
#: the standards allow (money has 12 digits), and such a value reads as None.
MAX_DECIMAL_DIGITS = 28

#: XSD's decimal lexical form between optional XML whitespace; group 1 is the number.
_DECIMAL = re.compile(r"[ \t\r\n]*([+-]?(?:([0-9]+)(?:\.([0-9]*))?|\.([0-9]+)))[ \t\r\n]*")
#: XSD's integer lexical form between optional XML whitespace; group 2 is the digits.
_INTEGER = re.compile(r"[ \t\r\n]*([+-]?([0-9]+))[ \t\r\n]*")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_B64 = "A-Za-z0-9+/"
#: XSD's ``base64Binary`` lexical form, after whitespace collapsing (groups of four
#: characters, single spaces allowed between them, ``=`` padding only at the end).
_BASE64 = LazyPattern(
    rf"(?:[{_B64}] ?[{_B64}] ?[{_B64}] ?[{_B64}] ?)*"
    rf"(?:[{_B64}] ?[{_B64}] ?[{_B64}] ?[{_B64}]"
    rf"|[{_B64}] ?[{_B64}] ?[AEIMQUYcgkosw048] ?="
    rf"|[{_B64}] ?[AQgw] ?= ?=)?"
)
_XML_SPACE_RUN = LazyPattern(r"[ \t\r\n]+")


def string_value(element: Any) -> str:
    """Return an element's string value: its text and all descendant text, in order.

    Comments and processing instructions inside it are skipped, as XPath's
    ``string()`` does; the element's own tail is not included.
    """
    if not len(element):  # no child node at all: the common case, no join needed
        text: str | None = element.text
        return text or ""
    return "".join(element.itertext())


def find_value(element: Any, path: str) -> str | None:
    """Return the string value of the first element at ``path`` below ``element``.

    Like lxml's ``findtext``, but the whole value (see :func:`string_value`); None
    when there is no such element.
    """
    found = element.find(path)
    return None if found is None else string_value(found)


def decimal_or_none(text: str | None) -> Decimal | None:
    """Return a value in XSD's ``decimal`` lexical form as a Decimal, else None.

    Surrounding XML whitespace is ignored. ``NaN``, ``INF``, exponents (``1E3``), the
    empty string, non-ASCII digits and numbers of more than
    :data:`MAX_DECIMAL_DIGITS` significant digits give None; nothing raises.
    """
    if text is None:
        return None
    match = _DECIMAL.fullmatch(text)
    if match is None:
        return None
    if len(text) > MAX_DECIMAL_DIGITS:  # only a long text can have too many digits
        whole, fraction = match.group(2) or "", match.group(3) or match.group(4) or ""
        significant = len(whole.lstrip("0")) + len(fraction.rstrip("0"))
        if significant > MAX_DECIMAL_DIGITS:
            return None
    return Decimal(match.group(1))


def integer_or_none(text: str | None) -> int | None:
    """Return a value in XSD's ``integer`` lexical form (``[+-]?[0-9]+``) as an int, else None.

    Surrounding XML whitespace is ignored; anything else (``5.0``, ``²``, ``1E3``, more
    than :data:`MAX_DECIMAL_DIGITS` significant digits) gives None; nothing raises.
    """
    if text is None:
        return None
    match = _INTEGER.fullmatch(text)
    if match is None or len(match.group(2).lstrip("0")) > MAX_DECIMAL_DIGITS:
        return None
    return int(match.group(1))


def is_base64(text: str) -> bool:
    """Tell whether ``text`` is in XSD's ``base64Binary`` lexical space.

    XML whitespace is collapsed first, as the type's ``collapse`` facet does. libxml2
    skips characters outside the base64 alphabet (it takes ``1.234``); this does not.
    """
    collapsed = _XML_SPACE_RUN().sub(" ", text).strip(" ")
    return _BASE64().fullmatch(collapsed) is not None


def date_or_none(text: str | None) -> dt.date | None:
    """Return a ``YYYY-MM-DD`` value (the schemas' date type) as a date, else None.

    Surrounding XML whitespace is ignored; other ISO 8601 forms (``20240101``, week
    dates, time zones) and impossible dates give None.
    """
    if text is None:
        return None
    text = text.strip(XML_SPACE)
    if _DATE.fullmatch(text) is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


__all__ = [
    "MAX_DECIMAL_DIGITS",
    "XML_SPACE",
    "date_or_none",
    "decimal_or_none",
    "find_value",
    "integer_or_none",
    "is_base64",
    "string_value",
]
