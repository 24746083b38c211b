"""Shared types of the tagging layer."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..models import Location


@dataclass(frozen=True)
class Sentence:
    """A sentence of evidence with where it came from; ``tokens`` are (lower, lemma) pairs."""

    index: int
    text: str
    location: Location
    future: bool = False
    heading: bool = False
    title: bool = False       # a piece's title line without a heading style: never quoted
    other_author: bool = False  # under another person's header in a forwarded thread: quoted last
    thread_header: bool = False  # an inline "From: ... Sent: ..." header of a forwarded thread: never quoted
    form_field: bool = False  # a form's "Job title: Repairs Manager" or "Signed: ..." line: never quoted
    doc_index: int = 0        # which processed block the sentence came from
    start: int = 0            # token range inside that block
    end: int = 0


@dataclass(frozen=True)
class Quote:
    sentence: str
    location: str

    def to_list(self) -> list[str]:
        return [self.sentence, self.location]


@dataclass(frozen=True)
class Candidate:
    """One tagger's opinion of one KSB in one piece, with the sentences behind it."""

    ksb: str
    score: float
    quotes: tuple[Quote, ...]
    tagger: str
    reason: str


@dataclass(frozen=True)
class Suggestion:
    """A ranked, explained KSB suggestion. ``accepted`` means the score clears the calibrated
    threshold; a tutor's decision overrides it later. Never built without quotes."""

    ksb: str
    score: float
    accepted: bool
    quotes: tuple[Quote, ...]
    taggers: tuple[str, ...]
    reason: str
    cited: bool = False
    # assessed by another method than the context's (ST0071 portfolio: not PD); shown apart as
    # "also evidences", never counted towards the portfolio's coverage
    off_method: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"ksb": self.ksb, "score": round(self.score, 3), "accepted": self.accepted,
                "quotes": [q.to_list() for q in self.quotes], "taggers": list(self.taggers),
                "reason": self.reason, "cited": self.cited, "off_method": self.off_method}


@dataclass(frozen=True)
class EvidenceType:
    type: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class TagResult:
    """Everything the tagger says about one piece of evidence (or one report section)."""

    suggestions: tuple[Suggestion, ...]
    cited: tuple[str, ...] = ()
    cited_not_evidenced: tuple[str, ...] = ()
    evidence_type: EvidenceType | None = None

    @property
    def accepted(self) -> tuple[str, ...]:
        return tuple(s.ksb for s in self.suggestions if s.accepted)

    @property
    def also_evidences(self) -> tuple[str, ...]:
        """Accepted KSBs of another assessment method: complete the matrix, not the coverage."""
        return tuple(s.ksb for s in self.suggestions if s.accepted and s.off_method)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.evidence_type.type if self.evidence_type else None,
            "type_confidence": round(self.evidence_type.confidence, 2) if self.evidence_type else None,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "cited": list(self.cited),
            "cited_not_evidenced": list(self.cited_not_evidenced),
            "also_evidences": list(self.also_evidences),
        }


class Tagger(Protocol):
    """A tagger reads sentences and proposes candidates; the engine merges them."""

    name: str

    def candidates(self, sentences: list[Sentence], docs: list[Any], context: str) -> list[Candidate]:
        ...
