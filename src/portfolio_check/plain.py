"""Plain English for what a person reads: a verdict reason as a sentence, its code kept beside.

Reasons travel between layers as short machine strings (``"ksb_uncovered:K2 K7"``) so JSON and
CSV stay stable; the CLI table, the widget banner and the cohort view turn them into sentences
here, in one place, so the wording is the same everywhere a tutor looks. An unknown kind (a
rule added later) still reads as words, never as a crash.
"""
from __future__ import annotations


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _templates(payload: str) -> dict[str, str]:
    codes = payload.split()
    several = len(codes) != 1
    return {
        "ksb_uncovered": f"{_and(codes)} {'are' if several else 'is'} not evidenced yet",
        "evidence_count_low": f"only {payload} pieces of evidence (too few)",
        "evidence_count_high": f"{payload} pieces of evidence (more than allowed)",
        "proposal_over_limit": f"the project proposal is over the word limit ({payload} words)",
        "proposal_missing": "no project proposal in project/",
        "pii": f"{payload} contains personal data to remove",
        "witness_incomplete": f"the witness sign-off in {payload} is incomplete",
        "duplicate": f"{payload} duplicates another piece",
        "unreadable": f"{payload} cannot be read",
        "english_missing": "English at the required level is not recorded",
        "maths_missing": "maths at the required level is not recorded",
        "declaration_unsigned": "the gateway declaration is not signed",
        "on_programme_short": "not long enough on programme",
        "record_missing": "apprentice.yaml is missing",
        "record_incomplete": f"apprentice.yaml lacks {_and(payload.split(','))}" if payload else "apprentice.yaml is incomplete",
    }


def reason_sentence(reason: str) -> str:
    """``"ksb_uncovered:K2 K7"`` -> ``"K2 and K7 are not evidenced yet"``."""
    kind, _, payload = str(reason).partition(":")
    text = _templates(payload.strip()).get(kind)
    if text is None:
        text = kind.replace("_", " ") + (f": {payload}" if payload else "")
    return text[:1].upper() + text[1:]


def reason_with_code(reason: str) -> str:
    """The sentence with its machine code beside it, for a table a tutor reads and can search."""
    kind = str(reason).partition(":")[0]
    return f"{reason_sentence(reason)} [{kind}]"


def reasons_text(reasons) -> str:
    """Several reasons as one line: sentences separated by semicolons, each with its code."""
    return "; ".join(reason_with_code(r) for r in reasons)
