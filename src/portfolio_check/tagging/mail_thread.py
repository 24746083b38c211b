"""Who wrote each part of a forwarded e-mail thread.

Apprentices forward threads to their skills coach: a customer's complaint, then their own
reply, each under an inline header ("From: Mrs J. Whitlow", "On 3 Feb 2025, Sam Okafor
wrote:"). The customer's "I have been charged twice" is the case, not the apprentice's
evidence, so it should not be the sentence a suggestion quotes first. This module only says
which blocks sit under another person's header; the tagger decides what to do with that.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from ..models import Block

_FROM = re.compile(r"^\s*>*\s*from\s*:\s*(?P<who>\S.*)$", re.IGNORECASE)
_WROTE = re.compile(r"^\s*>*\s*on\b.{4,120}?,\s*(?P<who>[^,]+?)\s*(?:<[^>]*>)?\s*wrote\s*:\s*$", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^\s*>*\s*(?:(?:from|sent|to|cc|date|subject)\s*:.*|-{2,}\s*(?:original|forwarded) "
                          r"message\s*-{2,})\s*$", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z'-]+")
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "the", "team", "customer", "service", "services"}


def _names(who: str) -> set[str]:
    """Name words and address parts that identify a person: "Sam Okafor <sam.okafor@x.example>"
    gives {"sam", "okafor"}. Titles and initials do not identify anyone."""
    who = who.lower()
    words = set(_WORD.findall(re.sub(r"@\S*", " ", who)))
    for local in re.findall(r"([\w.+-]+)@", who):
        words |= set(_WORD.findall(local.replace(".", " ").replace("_", " ")))
    return {w for w in words if len(w) >= 3 and w not in _TITLES}


def header_author(text: str) -> str | None:
    """The person an inline thread header names, or None when the block does not start with
    one. Outlook puts "-----Original Message-----", "From:", "Sent:", "To:" in one block, so
    every line of the header run is read, up to the first line of the message itself."""
    for line in text.strip().splitlines():
        m = _FROM.match(line) or _WROTE.match(line)
        if m:
            return m.group("who").strip()
        if not _HEADER_LINE.match(line):
            return None
    return None


def header_blocks(blocks: Sequence[Block]) -> set[int]:
    """Indices of the blocks that are nothing but inline thread headers ("From: ...", "Sent:
    ...", "On ..., X wrote:", "-----Original Message-----"): never a quote. A block that goes
    on into the message itself is not one."""
    out = set()
    for i, b in enumerate(blocks):
        lines = [ln for ln in b.text.strip().splitlines() if ln.strip()]
        if lines and all(_HEADER_LINE.match(ln) or _WROTE.match(ln) for ln in lines):
            out.add(i)
    return out


def other_author_blocks(blocks: Sequence[Block], sender: str | None) -> set[int]:
    """Indices of the blocks written under an inline header that names someone other than the
    e-mail's sender. Text before the first inline header is the sender's own note. A header
    naming nobody recognisable ("From: Customer Services") counts as someone else only when it
    shares no name with the sender; without a sender nothing is marked."""
    me = _names(sender or "")
    if not me:
        return set()
    others: set[int] = set()
    current_other = False
    for i, b in enumerate(blocks):
        who = header_author(b.text)
        if who is not None:
            current_other = not (_names(who) & me)
        if current_other:
            others.add(i)
    return others


@dataclass(frozen=True)
class Thread:
    """Block indices of a forwarded e-mail's body: its inline headers and the blocks another
    person wrote."""

    headers: frozenset[int]
    others: frozenset[int]


def read(blocks: Sequence[Block], sender: str | None) -> Thread:
    return Thread(frozenset(header_blocks(blocks)), frozenset(other_author_blocks(blocks, sender)))
