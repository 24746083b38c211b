"""Plain English for what a person reads in the terminal and the widgets: a verdict reason as a
sentence, its code kept beside.

The sentences themselves live in one table (:mod:`portfolio_check.report.words`, shared with the
HTML, XLSX and DataFrames) so a tutor reads the same words everywhere; this module only adds
the layout the CLI table and the widget banner need. Reasons keep travelling between layers as
short machine strings (``"ksb_uncovered:K2 K7"``) so JSON and CSV stay stable.
"""
from __future__ import annotations

from typing import Iterable

from .report.words import reason_words


def reason_sentence(reason: object) -> str:
    """``"maths_missing"`` -> ``"Maths at Level 2 not recorded"`` (capitalised for a list)."""
    text = reason_words(reason)
    return text[:1].upper() + text[1:]


def reason_kind(reason: object) -> str:
    return str(reason).partition(":")[0]


def reason_with_code(reason: object) -> str:
    """The sentence with its machine code beside it, for a table a tutor reads and can search."""
    return f"{reason_sentence(reason)} [{reason_kind(reason)}]"


def reasons_text(reasons: Iterable[object]) -> str:
    """Several reasons as one line: sentences separated by semicolons, each with its code."""
    return "; ".join(reason_with_code(r) for r in reasons)
