"""Which pieces to submit: the smallest set of pieces that keeps every covered KSB covered.

Why: the assessment plan asks apprentices to "select evidence that most efficiently meets all
the relevant criteria" and says several pieces covering the same criteria should not normally
be submitted (seed 004). A tutor facing 16 pieces for a 15-piece limit needs to know which to
drop without losing a KSB; a tutor with 12 pieces may want to know which add nothing.

The search is exact (branch and bound on the rarest uncovered KSB, as in exact set cover) for
up to ``EXACT_LIMIT`` pieces; beyond that it falls back to the greedy cover and says so. Among
covers of the same size it prefers pieces a tutor confirmed, then stronger, dated and signed
pieces (``Piece.preference``), so the proposal is the one a tutor would choose.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

EXACT_LIMIT = 30


@dataclass(frozen=True)
class Piece:
    """One submitted piece as the cover sees it: which portfolio KSBs it covers and how much a
    tutor should prefer to keep it (confirmed decisions, score, a date, a signature)."""

    file: str
    ksbs: frozenset[str]
    preference: float = 0.0


@dataclass(frozen=True)
class CoverPlan:
    keep: tuple[str, ...]            # the smallest set that covers everything the portfolio covers
    redundant: tuple[str, ...]       # pieces outside it: each adds no KSB the kept ones lack
    covered: tuple[str, ...]         # KSBs covered by the portfolio (and by ``keep``)
    drop_to_limit: tuple[str, ...]   # when over the maximum: which redundant pieces to drop first
    exact: bool                      # False when the portfolio was too large for the exact search

    def to_dict(self) -> dict:
        return {"keep": list(self.keep), "redundant": list(self.redundant), "covered": list(self.covered),
                "drop_to_limit": list(self.drop_to_limit), "exact": self.exact}


def _better(a: tuple[int, float], b: tuple[int, float] | None) -> bool:
    """Fewer pieces first, then the larger total preference."""
    return b is None or a[0] < b[0] or (a[0] == b[0] and a[1] > b[1] + 1e-12)


def _exact_cover(pieces: Sequence[Piece], universe: frozenset[str]) -> tuple[int, ...]:
    by_ksb: dict[str, list[int]] = {k: [i for i, p in enumerate(pieces) if k in p.ksbs] for k in universe}
    best: list = [None, ()]             # [(size, preference), chosen indices]
    max_pref = max((p.preference for p in pieces), default=0.0)

    def search(uncovered: frozenset[str], chosen: tuple[int, ...], pref: float) -> None:
        if not uncovered:
            if _better((len(chosen), pref), best[0]):
                best[0], best[1] = (len(chosen), pref), chosen
            return
        if best[0] is not None:
            # Each further piece covers at most the largest piece's share of what is left.
            widest = max(len(pieces[i].ksbs & uncovered) for k in uncovered for i in by_ksb[k])
            lower = len(chosen) + -(-len(uncovered) // widest)
            if lower > best[0][0]:
                return
            if lower == best[0][0] and pref + (lower - len(chosen)) * max_pref <= best[0][1] + 1e-12:
                return
        rarest = min(uncovered, key=lambda k: (len(by_ksb[k]), k))
        options = sorted(by_ksb[rarest], key=lambda i: (-len(pieces[i].ksbs & uncovered), -pieces[i].preference, i))
        for i in options:
            search(uncovered - pieces[i].ksbs, chosen + (i,), pref + pieces[i].preference)

    search(universe, (), 0.0)
    return best[1]


def _greedy_cover(pieces: Sequence[Piece], universe: frozenset[str]) -> tuple[int, ...]:
    uncovered, chosen = set(universe), []
    while uncovered:
        i = max(range(len(pieces)), key=lambda j: (len(pieces[j].ksbs & uncovered), pieces[j].preference, -j))
        chosen.append(i)
        uncovered -= pieces[i].ksbs
    return tuple(chosen)


def smallest_cover(pieces: Iterable[Piece], maximum: int | None = None) -> CoverPlan:
    """The smallest set of pieces covering every KSB any piece covers, the pieces outside it,
    and, when the portfolio has more than ``maximum`` pieces, which of those to drop first
    (least preferred first) to come within the limit without losing a KSB."""
    pieces = list(pieces)
    universe = frozenset().union(*(p.ksbs for p in pieces)) if pieces else frozenset()
    exact = len(pieces) <= EXACT_LIMIT
    chosen = (_exact_cover if exact else _greedy_cover)(pieces, universe) if universe else ()
    keep = sorted(pieces[i].file for i in chosen)
    kept = set(keep)
    redundant = [p for p in pieces if p.file not in kept]
    drop: list[str] = []
    if maximum is not None and len(pieces) > maximum:
        for p in sorted(redundant, key=lambda p: (p.preference, len(p.ksbs), p.file))[: len(pieces) - maximum]:
            drop.append(p.file)
    return CoverPlan(keep=tuple(keep), redundant=tuple(sorted(p.file for p in redundant)),
                     covered=tuple(sorted(universe, key=_code_order)), drop_to_limit=tuple(drop), exact=exact)


def _code_order(code: str) -> tuple[int, int, str]:
    """K, S, B and then the number, as the standards list them; any other code after them."""
    digits = "".join(ch for ch in code if ch.isdigit())
    family = "KSB".find(code[:1]) if code[:1] else -1
    return (family if family >= 0 else 3, int(digits) if digits else 0, code)
