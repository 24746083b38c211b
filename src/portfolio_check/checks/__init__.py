"""Checks: one small function per rule, registered with its codes, scope and parameters.

The engine is :mod:`.registry`; the rules live in :mod:`.file_rules` (one piece) and
:mod:`.gateway` (one apprentice, and what the cohort shares). This package imports them so
they are registered; the rule modules import only the registry, never this package's
``__init__`` names, so there is no cycle.
"""
from __future__ import annotations

from . import file_rules, gateway  # noqa: F401  (each registers its checks)
from .gateway import ApprenticeContext
from .registry import REGISTRY, Check, Hit, Selection, check, reasons, run

__all__ = ["ApprenticeContext", "Check", "Hit", "REGISTRY", "Selection", "check", "reasons", "run"]
