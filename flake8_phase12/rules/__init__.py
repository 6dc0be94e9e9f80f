"""The rules: one module per rule or small family, each with its documentation beside its logic.

Each module defines `RULES` (the `Rule` records it owns, see `flake8_phase12.catalog`) and, for
file rules, `CHECKS` (the `Check` classes that find them, see `flake8_phase12.analysis.check_base`).
"""
