"""Testing helpers for suppliers: assertions, and Hypothesis strategies for messages and codes.

:func:`assert_conforms` needs nothing beyond the library. The strategies
(:mod:`lgstandards.testing.strategies`, which re-exports those of
:mod:`~lgstandards.testing.common`, :mod:`~lgstandards.testing.epay`,
:mod:`~lgstandards.testing.ebenefits` and :mod:`~lgstandards.testing.vocab`) need
Hypothesis: ``pip install 'lgstandards[testing]'``.
"""

from lgstandards.testing.conformance import assert_conforms

#: How to install what the pytest plugin and the strategies need (pytest, Hypothesis).
INSTALL_TESTING = "pip install 'lgstandards[testing]'"

__all__ = ["INSTALL_TESTING", "assert_conforms"]
