"""The referencing matrix as every renderer shows it: one row per (KSB, evidence piece).

A row's *status* says who decided that the piece evidences the KSB: the tutor (confirmed,
added, rejected) or only the tool (suggested, or a weak match that does not count). The
renderers (HTML, XLSX, CSV, JSON, the gateway pack and the DataFrames) all read these rows, so
a KSB cannot look confirmed in one output and suggested in another.

Status comes from the tutor's decisions when the caller passes them; whether a row *counts*
always comes from the apprentice's coverage, the verdict's own source of truth.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping
from ..store import states_for

if TYPE_CHECKING:
    from ..models import GatewayReport as ApprenticeReport
    from ..standards import Standard
    from ..store import DecisionState

WEAK_SCORE = 0.4       # a suggestion below the acceptance threshold but worth a tutor's look


class Status(str, enum.Enum):
    """Who said this piece evidences this KSB. ``.words`` is what a person reads."""

    CONFIRMED = "confirmed"
    ADDED = "added"
    SUGGESTED = "suggested"
    REJECTED = "rejected"
    WEAK = "weak"

    @property
    def words(self) -> str:
        return _WORDS[self]

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def by_tutor(self) -> bool:
        return self in (Status.CONFIRMED, Status.ADDED, Status.REJECTED)


_WORDS = {Status.CONFIRMED: "Confirmed by tutor", Status.ADDED: "Added by tutor",
          Status.SUGGESTED: "Suggested, not yet reviewed", Status.REJECTED: "Rejected by tutor",
          Status.WEAK: "Weak match, not counted"}
_SYMBOLS = {Status.CONFIRMED: "\u2714", Status.ADDED: "\u2714", Status.SUGGESTED: "\u2713",
            Status.REJECTED: "\u2717", Status.WEAK: "?"}
LEGEND = (
    (Status.CONFIRMED, "a tutor confirmed the tool's suggestion (counts)"),
    (Status.ADDED, "a tutor added this KSB to the piece (counts)"),
    (Status.SUGGESTED, "the tool suggests it; counts until a tutor rejects it"),
    (Status.REJECTED, "a tutor rejected the suggestion (does not count)"),
    (Status.WEAK, "a weak match worth a look; does not count"),
)


@dataclass(frozen=True)
class MatrixRow:
    apprentice: str
    ksb: str
    method: str
    file: str
    status: Status
    counts: bool
    score: float | None
    quote: str
    location: str
    note: str = ""
    decided_by: str = ""
    decided_at: str = ""
    accepted: bool = False          # the tool's own opinion (score over its threshold)

    def to_dict(self) -> dict[str, Any]:
        return {"apprentice": self.apprentice, "ksb": self.ksb, "method": self.method, "file": self.file,
                "status": self.status.value, "status_words": self.status.words, "counts": self.counts,
                "score": self.score, "accepted": self.accepted, "quote": self.quote, "location": self.location, "note": self.note,
                "decided_by": self.decided_by, "decided_at": self.decided_at}


Decisions = Mapping[tuple[str, str], "DecisionState"]


def matrix_rows(apr: "ApprenticeReport", standard: "Standard", decisions: Decisions | None = None,
                include_weak: bool = True) -> list[MatrixRow]:
    """Every (KSB, piece) pair that a suggestion or a tutor's decision links, in evidence order."""
    decisions = states_for(decisions or {}, apr.id, apr.evidence)
    rows: list[MatrixRow] = []
    for ev in apr.evidence:
        state = decisions.get((apr.id, ev.file))
        decided = dict(state.current) if state else {}
        seen: set[str] = set()
        for s in ev.suggestions:
            seen.add(s.ksb)
            counts = ev.file in apr.coverage.get(s.ksb, ())
            d = decided.get(s.ksb)
            if d is not None and d.counts is True:
                status = Status.CONFIRMED
            elif d is not None and d.counts is False:
                status = Status.REJECTED
            elif s.accepted or counts:
                status = Status.SUGGESTED
            elif s.score >= WEAK_SCORE:
                status = Status.WEAK
            else:
                continue
            if status is Status.WEAK and not include_weak:
                continue
            q = s.quotes[0] if s.quotes else None
            rows.append(MatrixRow(apr.id, s.ksb, _method(standard, s.ksb), ev.file, status, counts,
                                  round(s.score, 3), q.sentence if q else "", q.location if q else "",
                                  d.note if d else "", d.who if d else "", d.at if d else "", s.accepted))
        # KSBs the tutor added (or that count without a suggestion): no quote of the tool's.
        extra = {k for k, d in decided.items() if d.counts is True} | {
            k for k, files in apr.coverage.items() if ev.file in files}
        for k in sorted(extra - seen):
            d = decided.get(k)
            rows.append(MatrixRow(apr.id, k, _method(standard, k), ev.file, Status.ADDED,
                                  ev.file in apr.coverage.get(k, ()), None, "", "",
                                  d.note if d else "", d.who if d else "", d.at if d else ""))
    return rows


def file_notes(apr: "ApprenticeReport", decisions: Decisions | None) -> dict[str, list[str]]:
    """The tutor's notes on whole pieces (not on one KSB), per file."""
    out: dict[str, list[str]] = {}
    decisions = states_for(decisions or {}, apr.id, apr.evidence)
    for ev in apr.evidence:
        state = decisions.get((apr.id, ev.file))
        if state and state.notes:
            out[ev.file] = [n.note for n in state.notes if n.note]
    return out


def _method(standard: "Standard", code: str) -> str:
    try:
        return standard.ksb(code).method or ""
    except KeyError:
        return ""
