"""Sign documents for the COM-R013 tests with the library's test signer (fake keys).

One signer per name and run (:func:`signer`); :func:`sign` signs with the default one.
The key and certificate come from :mod:`lgstandards.testing.signing`, as a supplier's do.
"""

from __future__ import annotations

from functools import cache

from lgstandards.testing import signing
from lgstandards.testing.signing import DSIG_NS as DSIG
from lgstandards.testing.signing import GOVTALK_NS as GOVTALK
from lgstandards.testing.signing import Signer


@cache
def signer(name: str = "signer") -> Signer:
    """Return the test signer ``name`` (made once per run)."""
    return signing.throwaway_signer(f"{name}.example.org")


def sign(data: bytes, who: Signer | None = None) -> bytes:
    """Return ``data`` with an enveloped XML signature (see :func:`signing.sign`)."""
    return signing.sign(data, who or signer())


__all__ = ["DSIG", "GOVTALK", "Signer", "sign", "signer"]
