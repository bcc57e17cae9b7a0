"""The strategy modules' one import of Hypothesis, failing with the extra to install."""

from __future__ import annotations

#: What to install when Hypothesis is missing.
INSTALL = "pip install 'lgstandards[testing]'"

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    if exc.name != "hypothesis":
        raise
    raise ModuleNotFoundError(
        f"the lgstandards.testing strategies need Hypothesis, which is not installed: {INSTALL}",
        name="hypothesis",
    ) from None

__all__ = ["INSTALL", "st"]
