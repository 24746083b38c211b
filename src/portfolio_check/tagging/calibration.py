"""The acceptance bar learned from one cohort's tutor decisions (learning from decisions, opt-in).

Why: the fusion's threshold was chosen on the dev cohorts, where an assessor credits 1.6 KSBs a
piece. A tutor who credits more (or fewer) per piece, or writers the fusion scores lower than
the dev ones, meet a bar that is wrong for them: on the blind sets (bench/data/blind*) the
shipped bar accepts about a quarter of what was labelled, and a lower one would have been
right more often than not. A tutor's decisions say where their bar lies: confirming a
suggestion the tagger only called "possible" says the bar is too high for this cohort,
rejecting an accepted one says it is too low.

How, and why so cautious: every KSB decision on a piece the tutor decided on is one row (its
score as first suggested, and whether it counts: confirm / add yes, reject no; a listed
suggestion left undecided keeps the tagger's own verdict, so only disagreements move the bar).
The bar is the one of ``GRID`` that maximises micro F1 over those rows (ties: the nearest to
the shipped bar). ``GRID`` stops at 0.30: under it, 1 score in 100 was right in the dev
cohorts' cross-validated calibration table (bench/tagging_quality.py), and an out-of-scope
e-mail there (a parking permit notice) scores 0.18, so a lower bar would start accepting
suggestions on pieces that evidence nothing. It is adopted only when
- the decisions span at least ``MIN_APPRENTICES`` apprentices: one apprentice's bar did not
  carry over to the others in dev-cohort-2 (bench/learning_lift.py), and
- they hold at least ``MIN_POSITIVES`` confirmed or added KSBs, and
- it beats the shipped bar on at least ``MIN_SUPPORT`` of ``RESAMPLES`` bootstrap resamples of
  the decided pieces (a fixed seed, so the same decisions always give the same bar).
Otherwise the shipped bar stays, and the reason says why. Nothing here reads evidence text.
"""
from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Suggestion

GRID: tuple[float, ...] = tuple(round(0.05 * i, 2) for i in range(6, 15))     # 0.30 .. 0.70
MIN_APPRENTICES = 2
MIN_POSITIVES = 10
MIN_SUPPORT = 0.9
RESAMPLES = 200
SEED = 0
# In the reason of a suggestion accepted only because the cohort's learned bar is lower than the
# shipped one (engine._merge writes it; the review widget marks such rows).
ACCEPTED_AT_LEARNED_BAR = "accepted at this cohort's bar learned from decisions"


@dataclass(frozen=True)
class DecidedPiece:
    """One piece a tutor decided on: (score as suggested, counts?) for each KSB row."""
    apprentice: str
    rows: tuple[tuple[float, bool], ...]


@dataclass(frozen=True)
class ThresholdChoice:
    """The bar the semantic tagger applies in a cohort, and what it rests on."""
    threshold: float
    shipped: float
    learned: bool
    reason: str
    pieces: int = 0
    apprentices: int = 0
    positives: int = 0
    rows: int = 0
    support: float = 0.0

    def describe(self) -> str:
        """One line for a tutor (the CLI prints it when a cohort learns from decisions)."""
        basis = (f"{self.positives} confirmed or added KSBs among {self.rows} decisions and suggestions "
                 f"on {self.pieces} pieces of {self.apprentices} apprentices")
        if self.learned:
            return (f"acceptance bar learned from your decisions: {self.threshold:.2f} "
                    f"(shipped {self.shipped:.2f}; {basis}; better in {self.support:.0%} of resamples)")
        return f"acceptance bar kept at the shipped {self.shipped:.2f}: {self.reason}"

    def hint(self) -> str:
        """For a cohort that does not learn from decisions: what its decisions would set, and how
        to apply it ("" when they would keep the shipped bar)."""
        if not self.learned:
            return ""
        return (f"your decisions suggest an acceptance bar of {self.threshold:.2f} instead of {self.shipped:.2f} "
                f"({self.positives} confirmed or added KSBs on {self.pieces} pieces of {self.apprentices} apprentices; "
                f"better in {self.support:.0%} of resamples); set learn_from_decisions: true in the cohort's "
                ".portfolio-check/settings.yaml to apply it")


def decided_piece(apprentice: str, suggestions: Iterable["Suggestion"], counts: Mapping[str, bool]) -> DecidedPiece:
    """The rows of one decided piece: each listed suggestion with the tutor's decision on it
    (``counts``: KSB -> counts?) or, left undecided, the tagger's own verdict; each KSB the
    tutor added that was not listed scores 0 (no bar would have accepted it)."""
    listed = list(suggestions)
    rows = [(s.score, bool(counts.get(s.ksb, s.accepted))) for s in listed]
    names = {s.ksb for s in listed}
    rows += [(0.0, True) for k, ok in counts.items() if ok and k not in names]
    return DecidedPiece(apprentice, tuple(rows))


def _counts(pieces: Sequence[DecidedPiece], t: float) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for p in pieces:
        for score, counts in p.rows:
            accepted = score >= t
            tp += accepted and counts
            fp += accepted and not counts
            fn += counts and not accepted
    return tp, fp, fn


def _f1(c: tuple[int, int, int]) -> float:
    tp, fp, fn = c
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(pieces: Sequence[DecidedPiece], shipped: float) -> float:
    """The bar of GRID (or the shipped one) with the highest micro F1 on ``pieces``; ties go to
    the one nearest the shipped bar, then to the higher."""
    grid = sorted(set(GRID) | {shipped})
    f1 = {t: _f1(_counts(pieces, t)) for t in grid}
    best = max(f1.values())
    return min((t for t in grid if f1[t] == best), key=lambda t: (abs(t - shipped), -t))


def choose_threshold(pieces: Sequence[DecidedPiece], shipped: float) -> ThresholdChoice:
    """The cohort's bar from its decided pieces (see the module docstring for the rule)."""
    pieces = [p for p in pieces if p.rows]
    apprentices = len({p.apprentice for p in pieces})
    positives = sum(1 for p in pieces for _, counts in p.rows if counts)
    n_rows = sum(len(p.rows) for p in pieces)
    basis = dict(pieces=len(pieces), apprentices=apprentices, positives=positives, rows=n_rows)
    if apprentices < MIN_APPRENTICES:
        return ThresholdChoice(shipped, shipped, False, f"decisions on {apprentices} apprentice(s); "
                               f"a bar is learned from {MIN_APPRENTICES} or more", **basis)
    if positives < MIN_POSITIVES:
        return ThresholdChoice(shipped, shipped, False, f"{positives} confirmed or added KSBs; "
                               f"a bar is learned from {MIN_POSITIVES} or more", **basis)
    t = best_threshold(pieces, shipped)
    if t == shipped:
        return ThresholdChoice(shipped, shipped, False, f"no bar from {min(GRID):.2f} to {max(GRID):.2f} fits "
                               "your decisions better", support=1.0, **basis)
    rng = random.Random(SEED)
    per_piece = [(_counts([p], t), _counts([p], shipped)) for p in pieces]
    wins = 0
    for _ in range(RESAMPLES):
        sample = [per_piece[rng.randrange(len(per_piece))] for _ in per_piece]
        learned = tuple(sum(s[0][i] for s in sample) for i in range(3))
        kept = tuple(sum(s[1][i] for s in sample) for i in range(3))
        wins += _f1(learned) > _f1(kept)
    support = wins / RESAMPLES
    if support < MIN_SUPPORT:
        return ThresholdChoice(shipped, shipped, False,
                               f"{t:.2f} fits your decisions better, but only in {support:.0%} of resamples "
                               f"(needs {MIN_SUPPORT:.0%})", support=support, **basis)
    return ThresholdChoice(t, shipped, True, "", support=support, **basis)
