"""The strategy modules' one import of Hypothesis, failing with the extra to install."""

from __future__ import annotations

from lgstandards.testing import INSTALL_TESTING

try:
    from hypothesis import strategies as st
except ModuleNotFoundError as exc:
    if exc.name != "hypothesis":
        raise
    raise ModuleNotFoundError(
        "the lgstandards.testing strategies need Hypothesis, which is not installed: "
        f"{INSTALL_TESTING}",
        name="hypothesis",
    ) from None

__all__ = ["st"]
