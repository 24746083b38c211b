"""Linguistic guards: is a unit of text something the apprentice DID or KNOWS, or not?

Why: an embedding of "I would try to calm them down" sits right next to the embedding of a
worked account of calming a customer, and so does "The agent has to review the notes" next to
"I reviewed the notes". Similarity alone cannot tell evidence from an intention, an instruction
or a procedure. Each guard below recognises one way a sentence fails to be evidence; the
semantic tagger reads the flags as features (a flagged unit's similarity does not count as
clean evidence) and a piece whose best units are all flagged is never accepted on them.

The guards are deliberately plain regular expressions over one sentence: they are fast, explain
themselves ("hypothetical") and do not depend on the standard or its sector.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

HYPOTHETICAL = "hypothetical"
INSTRUCTION = "instruction"
PROCEDURE = "procedure"
OTHER_PERSON = "other_person"
NEGATED = "negated"
FUTURE = "future"
GENERIC = "generic"
ALL_FLAGS = (HYPOTHETICAL, INSTRUCTION, PROCEDURE, OTHER_PERSON, NEGATED, FUTURE, GENERIC)

_FIRST = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself|we|we've|we'd|our|us)\b", re.I)
# A reported promise or statement ("I told her I would call back") is an act, not a hypothesis.
_REPORTED = re.compile(r"\b(promised|told|said|assured|agreed|explained|confirmed|offered|asked|"
                       r"reassured|informed|let (?:him|her|them) know)\b", re.I)
_MODAL = re.compile(r"\b(?:i|we|you|one|they|he|she)\s+(?:would|could|might|should|may)\s+(?!have\b)", re.I)
_MODAL_IF = re.compile(r"\bif\b[^.]*\b(?:would|could|might)\b", re.I)
_YOU = re.compile(r"\byou\s+(?:should|must|need to|have to|will need to|are expected to|can)\b", re.I)
_IMPERATIVE = re.compile(r"^\s*(?:please\s+)?(?:describe|explain|give|outline|include|write|state|list|provide|"
                         r"reflect on|think about|summarise|summarize|insert|add|identify|discuss|use this)\b", re.I)
_TEMPLATE = re.compile(r"\[(?:insert|add|your|describe)[^\]]*\]|\((?:describe|explain|insert)[^)]*\)|"
                       r"^\s*(?:situation|task|action|result)s?\s*[:\-–]\s*(?:describe|explain|what|outline|give|$)", re.I)
_ROLE = (r"(?:agent|adviser|advisor|colleague|staff|employee|member of staff|officer|handler|operator|"
         r"assistant|representative|team member|user|receptionist|clerk|technician|nurse|driver|"
         r"librarian|cashier|coordinator|co-ordinator|handler|worker|manager|supervisor|team leader)s?")
_PROCEDURE = re.compile(
    r"\b(?:the|an|a|each|every|all|any)\s+(?:\w+\s+)?(?:" + _ROLE + r"|\w+(?:er|or|ist|ant|ent)s?)" +
    r"\s+(?:has to|have to|must|should|shall|will need to|needs? to|is required to|are required to|"
    r"is expected to|are expected to|is responsible for|are responsible for)\b"
    r"|\b(?:staff|employees|colleagues|agents|advisers|advisors)\s+(?:must|should|shall|are required to|need to)\b"
    r"|\b(?:it is the responsibility of|must be (?:logged|recorded|completed|reviewed|approved|escalated|reported)|"
    r"shall be|are to be|is to be)\b", re.I)
_THIRD_SUBJECT = re.compile(r"^\s*(?:he|she|they|his|her|their|the (?:customer|manager|supervisor|team leader|"
                            r"colleague|engineer|caller|client|patient|tenant|passenger|guest))\b", re.I)
_NEG_FIRST = re.compile(r"\b(?:i|we)\s+(?:have\s+|had\s+|did\s+|do\s+|was\s+|am\s+)?(?:not|never|n't)\b|"
                        r"\b(?:i|we)\s+(?:haven't|hadn't|didn't|don't|wasn't|cannot|can't|couldn't)\b|"
                        r"\bi've\s+(?:not|never)\b", re.I)
_NEG_THIRD = re.compile(r"\b(?:he|she|they)\s+(?:did not|didn't|has not|hasn't|have not|haven't|never|could not|couldn't|was not|wasn't)\b", re.I)
_FUTURE = re.compile(r"\b(?:would like to|want to|wish to|hope to|plan to|planning to|aim to|intend to|"
                     r"going to|in (?:the )?future|next (?:year|month|quarter|term|week)|one day|"
                     r"my (?:goal|aim|ambition) (?:is|will be)|(?:i|we)\s+will\s+(?!be able)|i'll\b|aspire)\b", re.I)

# A general opinion about a topic in the present tense, with no one doing anything: "Leadership
# styles are an interesting topic.", "Communication is very important in customer service.",
# "It is vital to listen to the customer." Weak writers fill reflective accounts with these; an
# embedding puts them next to the KSB they name. Past-tense judgements about a case ("The
# refund was important to her") and sentences about "this"/"that" are left alone.
_EVALUATIVE = (r"(?:important|vital|essential|crucial|key|interesting|useful|helpful|fascinating|necessary|"
               r"valuable|beneficial|a must)")
_DEGREE = r"(?:(?:very|really|so|extremely|incredibly|always|also|an?|the|most|more|such an?)\s+)*"
_GENERIC = re.compile(
    r"^\s*(?:it\s+is|it's)\s+" + _DEGREE + _EVALUATIVE + r"\s+(?:to|that|for)\b"
    r"|^\s*(?!(?:this|that|these|those|he|she|they|it|there|here|i|we|you)\b)[a-z][\w'-]*(?:\s+[\w'-]+){0,6}?"
    r"\s+(?:is|are)\s+" + _DEGREE + _EVALUATIVE +
    r"(?:\s+(?:topic|subject|part|thing|area|skill|issue|factor|quality|aspect)s?)?"
    r"(?:\s+(?:in|for|to|when|at|of|within)\b[^.!?]{0,80})?\s*[.!]?\s*$", re.I)


@dataclass(frozen=True)
class GuardContext:
    """What the guards need to know about the piece: in a witness testimony or an observation
    record, a third person describing the apprentice ("She referred the case...") IS evidence."""

    third_person_ok: bool = False


def flags(text: str, context: GuardContext = GuardContext()) -> frozenset[str]:
    """The guard flags one sentence (or list item) raises; empty when it reads as evidence."""
    found: set[str] = set()
    first = bool(_FIRST.search(text))
    reported = bool(_REPORTED.search(text))
    if (_MODAL.search(text) or _MODAL_IF.search(text)) and not reported:
        found.add(HYPOTHETICAL)
    if _YOU.search(text) or _IMPERATIVE.search(text) or _TEMPLATE.search(text):
        found.add(INSTRUCTION)
    if _PROCEDURE.search(text) and not re.search(r"\b(?:i|we)\s+\w+ed\b", text, re.I):
        found.add(PROCEDURE)
    if not first and not context.third_person_ok and _THIRD_SUBJECT.search(text):
        found.add(OTHER_PERSON)
    if _NEG_FIRST.search(text) or _NEG_THIRD.search(text):
        found.add(NEGATED)
    if _FUTURE.search(text) and not reported:
        found.add(FUTURE)
    if not first and _GENERIC.search(text):
        found.add(GENERIC)
    return frozenset(found)


def describe(found: frozenset[str]) -> str:
    return ", ".join(sorted(found)) if found else "clean"
