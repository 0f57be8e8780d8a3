"""Experiments runtime: versioned definitions, sticky assignment, exposures, outcomes, analysis.

Beside the application service: imports `storage` and `core` only; the agent (prompt arms) and
the API (UI arms, staff pages) read it.
"""
