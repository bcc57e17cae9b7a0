"""Text fit for a message or a line of output: printable, on one line, bounded.

Values from a document, a file name or a request end up in messages. Shown as they
are, a control character could forge a line of a log, and a megabyte of text could
fill a screen: :func:`printable` escapes what cannot be shown, :func:`shorten` also
bounds the length.
"""

from __future__ import annotations

import re

from lgstandards._regex import LazyPattern

#: Characters shown escaped: C0 and C1 controls, lone surrogates (the undecodable bytes
#: of a file name), the line and paragraph separators, and the two non-characters XML
#: 1.0 forbids.
_UNPRINTABLE = LazyPattern("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_SURROGATE = LazyPattern("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    point = ord(match.group())
    if 0xDC80 <= point <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    if point <= 0xFF:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}"


def printable(text: str) -> str:
    r"""Return ``text`` on one line, control characters and undecodable bytes as ``\xNN``.

    The result is valid in XML 1.0 and encodable as UTF-8; ``ok\x01.xml`` stays readable.
    """
    if text.isascii() and text.isprintable():
        return text  # the usual case, without compiling the pattern
    return _UNPRINTABLE().sub(_escape, text)


def surrogates_escaped(text: str) -> str:
    r"""Return ``text`` with undecodable bytes (lone surrogates) shown as ``\xNN``."""
    return _SURROGATE().sub(_escape, text)


def shorten(text: str, limit: int = 60) -> str:
    r"""Return ``text`` printable and at most ``limit`` characters long (before escapes).

    A longer text keeps its start and its end around "…" (``"abcdefghijklm…vwxyz"``),
    so the same words serve an English and a Welsh message. Escapes (``\xNN``) are
    never cut.
    """
    limit = max(limit, 8)
    if len(text) <= limit:
        return printable(text)
    tail = limit // 4
    return f"{printable(text[: limit - tail - 1])}…{printable(text[-tail:])}"
