"""Helpers shared by the validation tests (imported by conftest)."""

from __future__ import annotations


def register_test_aggregates() -> None:
    """Nothing to register: the fixture's trailer rules are found in its Schematron."""
