"""Testing helpers for suppliers: assertions, and Hypothesis strategies for messages and codes.

:func:`assert_conforms` needs nothing beyond the library. The strategy modules
(:mod:`lgstandards.testing.strategies`, :mod:`~lgstandards.testing.ebenefits`,
:mod:`~lgstandards.testing.vocab`) need the ``hypothesis`` test extra.
"""

from lgstandards.testing.conformance import assert_conforms

__all__ = ["assert_conforms"]
