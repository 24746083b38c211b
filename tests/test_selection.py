"""The smallest covering set of pieces, checked against brute force."""
from __future__ import annotations

import itertools
import random

import pytest

from portfolio_check.selection import EXACT_LIMIT, Piece, smallest_cover

PD = ["K2", "K5", "K7", "K9", "K10", "K12", "K18", "S2", "S8", "B1", "B2", "B5", "B8"]


def _sixteen_pieces(seed: int) -> list[Piece]:
    """A 16-piece portfolio shaped like real ones: most pieces show one to three KSBs, some
    overlap heavily, a certificate shows none."""
    rng = random.Random(seed)
    pieces = [Piece(f"{i:02d}_piece.docx", frozenset(rng.sample(PD, rng.randint(1, 3))), rng.random())
              for i in range(15)]
    pieces.append(Piece("16_certificate.pdf", frozenset(), 0.0))
    return pieces


def _brute_force_minimum(pieces: list[Piece]) -> int:
    universe = frozenset().union(*(p.ksbs for p in pieces))
    for size in range(len(pieces) + 1):
        for combo in itertools.combinations(pieces, size):
            if frozenset().union(*(p.ksbs for p in combo)) >= universe:
                return size
    raise AssertionError("unreachable")


@pytest.mark.parametrize("seed", range(12))
def test_sixteen_pieces_cover_is_complete_and_no_smaller_cover_exists(seed):
    pieces = _sixteen_pieces(seed)
    plan = smallest_cover(pieces, maximum=15)
    kept = [p for p in pieces if p.file in plan.keep]
    everything = frozenset().union(*(p.ksbs for p in pieces))
    assert frozenset().union(*(p.ksbs for p in kept)) == everything
    assert len(plan.keep) == _brute_force_minimum(pieces)
    assert plan.exact
    assert set(plan.keep) | set(plan.redundant) == {p.file for p in pieces}
    assert not set(plan.keep) & set(plan.redundant)
    # 16 pieces for a limit of 15: one to drop, and dropping it loses no KSB
    assert len(plan.drop_to_limit) == 1 and plan.drop_to_limit[0] in plan.redundant
    assert "16_certificate.pdf" in plan.redundant


def test_among_equal_covers_the_confirmed_and_stronger_piece_is_kept():
    weak = Piece("a_weak_duplicate.docx", frozenset({"K7", "K9"}), preference=0.1)
    strong = Piece("b_confirmed_account.docx", frozenset({"K7", "K9"}), preference=2.0)
    other = Piece("c_testimony.docx", frozenset({"S2"}), preference=1.0)
    plan = smallest_cover([weak, strong, other], maximum=2)
    assert plan.keep == ("b_confirmed_account.docx", "c_testimony.docx")
    assert plan.redundant == ("a_weak_duplicate.docx",)
    assert plan.drop_to_limit == ("a_weak_duplicate.docx",)


def test_no_drop_is_proposed_within_the_limit_and_an_empty_portfolio_is_fine():
    plan = smallest_cover([Piece("x.docx", frozenset({"K2"}))], maximum=15)
    assert plan.keep == ("x.docx",) and plan.drop_to_limit == () and plan.covered == ("K2",)
    empty = smallest_cover([], maximum=15)
    assert empty.keep == () and empty.covered == ()


def test_a_large_portfolio_falls_back_to_greedy_and_says_so():
    rng = random.Random(7)
    pieces = [Piece(f"{i:02d}.docx", frozenset(rng.sample(PD, 2))) for i in range(EXACT_LIMIT + 5)]
    plan = smallest_cover(pieces)
    assert not plan.exact
    kept = [p for p in pieces if p.file in plan.keep]
    assert frozenset().union(*(p.ksbs for p in kept)) == frozenset().union(*(p.ksbs for p in pieces))


def test_thirty_pieces_are_solved_exactly():
    rng = random.Random(3)
    pieces = [Piece(f"{i:02d}.docx", frozenset(rng.sample(PD, rng.randint(1, 4))), rng.random())
              for i in range(EXACT_LIMIT)]
    plan = smallest_cover(pieces)
    assert plan.exact
    universe = frozenset().union(*(p.ksbs for p in pieces))
    # no cover one piece smaller exists
    smaller = len(plan.keep) - 1
    assert not any(frozenset().union(*(p.ksbs for p in combo)) >= universe
                   for combo in itertools.combinations(pieces, smaller))
