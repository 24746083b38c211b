"""Gateway checks: small registered functions with stable codes, parameters from the standard.

Every check sees the same :class:`ApprenticeContext` and returns findings, each optionally
carrying a gateway *reason* (the machine-readable vocabulary of expected.csv). Checks never
raise on bad data and never stop each other: all failures are collected (flake8/pandera style).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from ..models import EvidenceResult, Finding, ProposalCheck, ReportCheck

if TYPE_CHECKING:  # imported for annotations only: evidence.py imports this package's pii module
    from ..discover import ApprenticeFolder
    from ..standards import Standard

REASON_ORDER = ("evidence_count_low", "evidence_count_high", "ksb_uncovered", "proposal_over_limit", "pii",
                "witness_incomplete", "duplicate", "unreadable", "english_missing", "maths_missing",
                "declaration_unsigned", "on_programme_short")


@dataclass(frozen=True)
class CheckResult:
    finding: Finding
    reason: str | None = None


@dataclass
class ApprenticeContext:
    folder: ApprenticeFolder
    standard: Standard
    as_of: dt.date
    evidence: list[EvidenceResult]
    coverage: dict[str, list[str]]                 # KSB -> files evidencing it (suggested or confirmed)
    proposal: ProposalCheck | None = None
    report: ReportCheck | None = None
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)   # (file, other, "exact"|"near")


@dataclass(frozen=True)
class Check:
    code: str
    name: str
    fn: Callable[[ApprenticeContext], list[CheckResult]]


REGISTRY: list[Check] = []


def check(code: str, name: str):
    """Register a gateway check under a stable code."""

    def deco(fn: Callable[[ApprenticeContext], list[CheckResult]]):
        REGISTRY.append(Check(code, name, fn))
        return fn

    return deco


def run_checks(ctx: ApprenticeContext) -> tuple[list[Finding], list[str]]:
    findings: list[Finding] = []
    reasons: list[str] = []
    for c in REGISTRY:
        for r in c.fn(ctx):
            findings.append(r.finding)
            if r.reason and r.reason not in reasons:
                reasons.append(r.reason)
    reasons.sort(key=lambda r: REASON_ORDER.index(r.split(":", 1)[0]))
    return findings, reasons


from . import gateway as _gateway  # noqa: E402,F401  (registers the checks)
