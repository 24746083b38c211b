"""What kind of evidence a piece is, with a confidence.

The gateway checks need it: a witness testimony must be signed, dated and attributed; an
attendance certificate shows training happened, not what was learned; a copied policy is not
the apprentice's work. Cues come from the file name, the title and the opening of the text;
each type's score is the weight of its cues found, and the confidence is the winner's share.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..models import Document, Role
from .base import EvidenceType

TYPES = ("witness_testimony", "reflective_account", "customer_feedback", "email_thread", "call_log",
         "meeting_notes", "one_to_one_review", "personal_development_plan", "observation_record",
         "product", "training_certificate", "policy_document", "other")

# (type, regex, weight, where): where is "name" (file name + title), "head" (first ~250 words)
# or "body" (whole text).
_CUES: list[tuple[str, str, float, str]] = [
    ("witness_testimony", r"witness|testimon", 3.0, "name"),
    ("witness_testimony", r"witness (testimony|statement)|testimony", 2.0, "head"),
    ("witness_testimony", r"\b(i have (worked|managed|supervised)|i (am|was) (her|his|their) (manager|team leader|supervisor))", 1.0, "body"),
    ("reflective_account", r"reflect|reflection", 3.0, "name"),
    ("reflective_account", r"reflective account|reflection|what i learned|what i learnt|looking back", 1.5, "head"),
    ("reflective_account", r"\bi (learned|learnt|realised|realized|reflected)\b", 1.0, "body"),
    ("reflective_account", r"\bcpd (log|record)\b", 2.0, "name"),
    ("customer_feedback", r"feedback|survey|review|csat|nps|compliment|testimonial", 2.0, "name"),
    ("customer_feedback", r"customer feedback|survey results|responses|rating|compliment", 1.0, "head"),
    ("email_thread", r"\b(fw|fwd|re)[:_ ]|email|e-mail", 2.0, "name"),
    ("call_log", r"call[_ -]?log|contact[_ -]?log|case[_ -]?log|call notes", 3.0, "name"),
    ("call_log", r"call log|contact log|case (no|number|ref)|\bcase \d{3,}", 1.5, "head"),
    ("meeting_notes", r"meeting|minutes|huddle|briefing", 3.0, "name"),
    ("meeting_notes", r"minutes|attendees|attended|agenda|apologies|actions?:", 1.5, "head"),
    ("one_to_one_review", r"one[_ -]to[_ -]one|1[_ -]?2[_ -]?1|1:1|121|supervision|appraisal|review", 2.5, "name"),
    ("one_to_one_review", r"one-to-one|1-2-1|one to one|supervision|appraisal", 1.5, "head"),
    ("personal_development_plan", r"\bpdp\b|development[_ -]plan|personal[_ -]development|cpd", 3.0, "name"),
    ("personal_development_plan", r"personal development plan|development goals|\bpdp\b", 1.5, "head"),
    ("observation_record", r"observation", 3.0, "name"),
    ("observation_record", r"observation record|observed by|assessor observed|observation of", 2.0, "head"),
    ("product", r"guide|report|analysis|results|summary|explainer|presentation|leaflet|template|dashboard", 2.0, "name"),
    ("product", r"\bi (wrote|created|designed|produced|built)\b", 1.0, "body"),
    ("training_certificate", r"certificate|certification|award", 3.0, "name"),
    ("training_certificate", r"this is to certify|certificate of (attendance|completion)|has (successfully )?(completed|attended)", 2.5, "head"),
    ("policy_document", r"policy|procedure|handbook|terms and conditions|guidelines|\bsop\b|code of (practice|conduct)", 2.5, "name"),
    ("policy_document", r"uncontrolled when printed|review date|applies to (all|every)|these guidelines|document (owner|control)|"
                        r"approved by|\bowner\b.{0,40}\bhead of", 1.5, "head"),
    ("policy_document", r"this policy|scope of this|purpose of this (policy|procedure)|policy owner|version control", 2.0, "head"),
]
_COMPILED = [(t, re.compile(p, re.I), w, where) for t, p, w, where in _CUES]
_FIRST_PERSON = re.compile(r"\b(i|my|me|i've|i'm)\b", re.I)


def classify(doc: Document, file_name: str | None = None) -> EvidenceType:
    if doc.kind == "unknown" or (doc.kind == "image" and not doc.blocks):
        # Nothing was read (a photo, an unsupported format): a name like "certificate.jpg"
        # says what the apprentice meant to send, not what the file shows.
        return EvidenceType("other", 0.0, {})
    name = (file_name or Path(doc.path).name).replace("_", " ")
    title = next((b.text for b in doc.blocks if b.role is Role.HEADING and b.text.strip()), "")
    if not title:
        title = next((b.text for b in doc.blocks if b.text.strip()), "")[:120]
    name_text = f"{name} {title}"
    body = doc.text({Role.PARAGRAPH, Role.HEADING, Role.LIST_ITEM, Role.TABLE_CELL, Role.CAPTION, Role.TEXT_BOX})
    head = " ".join(body.split()[:250])
    scores: dict[str, float] = {t: 0.0 for t in TYPES}
    for t, rx, w, where in _COMPILED:
        text = {"name": name_text, "head": head, "body": body}[where]
        if rx.search(text):
            scores[t] += w
    if doc.kind == "email":
        scores["email_thread"] += 3.0
    words = len(body.split())
    first_person = len(_FIRST_PERSON.findall(body)) / max(1, words)
    if scores["policy_document"] and first_person < 0.005:
        scores["policy_document"] += 2.0
    elif scores["policy_document"]:
        scores["policy_document"] *= 0.4      # an apprentice writing about a policy, in the first person
    best = max(scores, key=lambda t: scores[t])
    total = sum(scores.values())
    if scores[best] == 0:
        return EvidenceType("other", 0.0, scores)
    return EvidenceType(best, round(scores[best] / total, 2), scores)
