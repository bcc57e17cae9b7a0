"""A council's profile file: its fund table and settings, in TOML (or the same keys in JSON).

The council writes the file; ``lgstandards validate --profile`` and ``lgstandards
exchange check --profile`` read it into one :class:`~lgstandards.validation.profile.Profile`::

    # profile.toml
    council = "W99999999"            # optional: the council's code, for reference
    restricted_charset = true        # optional: warn for text legacy receivers refuse (COM-R019)
    gateway_limits = ["0.30", "25000.00"]  # optional: lowest and highest sale total (EPAY-R004)
    stream_threshold = 33554432      # optional: stream batch files larger than this (bytes)
    signature_keys = ["keys/council.pem"]  # optional: PEM files trusted to sign (COM-R013),
                                           # relative to this file

    [funds.CT]                       # one table per fund code (1 to 5 letters or digits)
    description = "council tax account"
    pattern = "5[0-9]{8}"            # optional: account references of the fund (EPAY-R006)
    routine = "mod11"                # optional: luhn, mod11 or mod97

    [funds.SUN]
    description = "sundry debtor invoice"

``[funds]`` is required: it is the council's fund table, and a fund code it lacks is an
EPAY-R007 error. Without a profile file, the profile is lgstandards' illustrative example
(:data:`lgstandards.rules.epay.DEFAULT_FUND_TABLE`), never a real council's. A file that
cannot be read or says something else raises :class:`~lgstandards.exceptions.ProfileError`
naming the file and the setting.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from lgstandards.exceptions import ProfileError
from lgstandards.rules.epay import ROUTINES, FundRule
from lgstandards.safexml import Limits, XMLInputError, read_bytes
from lgstandards.validation.profile import Profile, current_profile

_FUND_CODE = re.compile(r"[A-Za-z0-9]{1,5}")
#: The largest profile or key file read (a fund table of thousands of funds is far smaller).
_FILE_LIMITS = Limits(max_bytes=4 * 1024 * 1024)
_SETTINGS = frozenset(
    {
        "council",
        "funds",
        "restricted_charset",
        "gateway_limits",
        "stream_threshold",
        "signature_keys",
    }
)


def load_profile(profile: Profile | str | os.PathLike[str] | None) -> Profile:
    """Return ``profile`` as a :class:`Profile`: a path is read; None is the current default."""
    if profile is None:
        return current_profile()
    if isinstance(profile, Profile):
        return profile
    return read_profile(profile)


def read_profile(path: str | os.PathLike[str]) -> Profile:
    """Read a profile file (``.json``, else TOML); raise :class:`ProfileError` naming it."""
    shown = os.fspath(path)
    raw = _read(path, "the profile")
    try:
        if shown.lower().endswith(".json"):
            data: Any = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProfileError(f"{shown}: not a valid profile file: {exc}") from exc
    return profile_from_data(data, source=shown, folder=Path(path).parent)


def profile_from_data(
    data: Any, *, source: str | None = None, folder: Path | None = None
) -> Profile:
    """Build a profile from parsed TOML or JSON data (see the module's format).

    ``folder``: where the key files named by ``signature_keys`` are (default: the
    current directory).
    """
    shown = source or "profile"
    if not isinstance(data, dict):
        raise ProfileError(f"{shown}: a profile is a table of settings")
    unknown = set(data) - _SETTINGS
    if unknown:
        raise ProfileError(f"{shown}: unknown settings {sorted(unknown)}")
    council = data.get("council")
    if council is not None and not isinstance(council, str):
        raise ProfileError(f"{shown}: council must be a string")
    settings: dict[str, Any] = {"funds": _funds(data.get("funds"), shown)}
    charset = data.get("restricted_charset", False)
    if not isinstance(charset, bool):
        raise ProfileError(f"{shown}: restricted_charset must be true or false")
    if "gateway_limits" in data:
        settings["gateway_limits"] = _limits(data["gateway_limits"], shown)
    if "stream_threshold" in data:
        threshold = data["stream_threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
            raise ProfileError(f"{shown}: stream_threshold must be a number of bytes")
        settings["stream_threshold"] = threshold
    if "signature_keys" in data:
        settings["signature_keys"] = _keys(data["signature_keys"], shown, folder or Path())
    return Profile(restricted_charset=charset, council=council, source=source, **settings)


def _read(path: str | os.PathLike[str], what: str, *, shown: str | None = None) -> bytes:
    """Read a regular file of bounded size: never a FIFO that blocks, nor /dev/zero.

    ``shown``: the profile that names the file (default: the file is the profile).
    """
    where = os.fspath(path) if shown is None else f"{shown}: {os.fspath(path)}"
    try:
        return read_bytes(path, limits=_FILE_LIMITS)
    except XMLInputError as exc:
        raise ProfileError(f"{where}: cannot read {what}: {exc.message}") from exc


def _funds(funds: Any, shown: str) -> dict[str, FundRule]:
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
        except (re.error, RecursionError, OverflowError) as exc:
            raise ProfileError(f"{shown}: fund {code}: bad pattern: {exc}") from exc
        table[code] = FundRule(code, pattern, routine, description)
    return table


def _limits(value: Any, shown: str) -> tuple[Decimal, Decimal]:
    problem = f"{shown}: gateway_limits must be the lowest and highest sale total, in pounds"
    if not isinstance(value, list) or len(value) != 2:
        raise ProfileError(problem)
    amounts = []
    for item in value:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise ProfileError(problem)
        try:
            amount = Decimal(str(item))
        except InvalidOperation:
            raise ProfileError(problem) from None
        if not amount.is_finite() or amount < 0:
            raise ProfileError(problem)
        amounts.append(amount)
    lowest, highest = amounts
    if lowest > highest:
        raise ProfileError(f"{shown}: gateway_limits: the lowest ({lowest}) is above the highest")
    return lowest, highest


def _keys(value: Any, shown: str, folder: Path) -> tuple[bytes, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ProfileError(f"{shown}: signature_keys must be a list of PEM file names")
    keys = []
    for name in value:
        key = _read(folder / name, "a signature key", shown=shown)
        if b"-----BEGIN " not in key:
            raise ProfileError(f"{shown}: signature key {name} is not a PEM file")
        keys.append(key)
    return tuple(keys)


__all__ = ["load_profile", "profile_from_data", "read_profile"]
