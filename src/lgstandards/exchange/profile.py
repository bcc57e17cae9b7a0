"""A council's exchange profile: its fund table (EPAY-R007), from a small TOML or JSON file.

The council supplies the file; the format is::

    # profile.toml (TOML; the same keys in JSON work too: profile.json)
    council = "W99999999"          # optional: the council's code, for reference

    [funds.CT]                     # one table per fund code (1 to 5 characters)
    description = "council tax account"
    pattern = "5[0-9]{8}"          # optional: account references of the fund
    routine = "mod11"              # optional: luhn, mod11 or mod97

    [funds.SUN]
    description = "sundry debtor invoice"

A fund code the table lacks is an EPAY-R007 error. ``pattern`` and ``routine`` describe
the fund's account references as :class:`lgstandards.rules.epay.FundRule` does (the
EPAY-R006 table); the exchange reads them to refuse a profile that names an unknown
routine, but EPAY-R006 runs in ``validate()`` with the table configured there. Without
a profile, the fund table is lgstandards' illustrative example profile
(:data:`lgstandards.rules.epay.DEFAULT_FUND_TABLE`), never a real council's.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from lgstandards.exceptions import ProfileError
from lgstandards.rules.epay import DEFAULT_FUND_TABLE, ROUTINES, FundRule
from lgstandards.safexml import Limits, XMLInputError, read_bytes

_FUND_CODE = re.compile(r"[A-Za-z0-9]{1,5}")
#: The largest profile file read (a fund table of thousands of funds is far smaller).
_PROFILE_LIMITS = Limits(max_bytes=4 * 1024 * 1024)


@dataclass(frozen=True, slots=True)
class Profile:
    """The council's settings the stateful rules read: its fund table."""

    funds: Mapping[str, FundRule]
    council: str | None = None
    source: str | None = None

    @classmethod
    def default(cls) -> Profile:
        """Return lgstandards' illustrative example profile (not a real council's)."""
        return cls(DEFAULT_FUND_TABLE, None, None)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Profile:
        """Read a profile file (``.toml``, or ``.json``); raise :class:`ProfileError`."""
        shown = os.fspath(path)
        try:  # a regular file of a bounded size: never a FIFO that blocks or /dev/zero
            raw = read_bytes(path, limits=_PROFILE_LIMITS)
        except XMLInputError as exc:
            raise ProfileError(f"{shown}: cannot read the profile: {exc.message}") from exc
        try:
            if shown.lower().endswith(".json"):
                data: Any = json.loads(raw.decode("utf-8"))
            else:
                data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ProfileError(f"{shown}: not a valid profile file: {exc}") from exc
        return cls.from_data(data, source=shown)

    @classmethod
    def from_data(cls, data: Any, *, source: str | None = None) -> Profile:
        """Build a profile from parsed TOML or JSON data (see the module's format)."""
        shown = source or "profile"
        if not isinstance(data, dict):
            raise ProfileError(f"{shown}: a profile is a table of settings")
        unknown = set(data) - {"council", "funds"}
        if unknown:
            raise ProfileError(f"{shown}: unknown settings {sorted(unknown)}")
        council = data.get("council")
        if council is not None and not isinstance(council, str):
            raise ProfileError(f"{shown}: council must be a string")
        funds = data.get("funds")
        if not isinstance(funds, dict) or not funds:
            raise ProfileError(f"{shown}: [funds] must hold at least one fund")
        table: dict[str, FundRule] = {}
        for code, entry in funds.items():
            if not _FUND_CODE.fullmatch(code):
                raise ProfileError(f"{shown}: fund code {code!r} is not 1 to 5 letters or digits")
            if not isinstance(entry, dict) or set(entry) - {"description", "pattern", "routine"}:
                raise ProfileError(
                    f"{shown}: fund {code}: only description, pattern and routine are allowed"
                )
            pattern = entry.get("pattern", r".+")
            routine = entry.get("routine")
            description = entry.get("description", "")
            if not all(isinstance(v, str) for v in (pattern, description)) or not isinstance(
                routine, str | None
            ):
                raise ProfileError(f"{shown}: fund {code}: values must be strings")
            if routine is not None and routine not in ROUTINES:
                raise ProfileError(
                    f"{shown}: fund {code}: unknown check-digit routine {routine!r} "
                    f"(known: {', '.join(sorted(ROUTINES))})"
                )
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(f"{shown}: fund {code}: bad pattern: {exc}") from exc
            table[code] = FundRule(code, pattern, routine, description)
        return cls(MappingProxyType(table), council, source)


def load_profile(profile: Profile | str | os.PathLike[str] | None) -> Profile:
    """Return ``profile`` as a :class:`Profile` (a path is read; None: the example profile)."""
    if profile is None:
        return Profile.default()
    if isinstance(profile, Profile):
        return profile
    return Profile.load(profile)


__all__ = ["Profile", "ProfileError", "load_profile"]
