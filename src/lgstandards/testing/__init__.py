"""Hypothesis strategies for lgstandards messages (needs the ``hypothesis`` test extra)."""
