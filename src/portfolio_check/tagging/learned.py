"""A tagger that learns from one cohort's tutor decisions (opt-in per cohort).

Sentences a tutor confirmed as evidence of a KSB become exemplars of it; sentences behind a
suggestion the tutor rejected become counter-examples. A new sentence close to an exemplar
(content-lemma overlap) supports that KSB; one close to a counter-example suppresses it. The
employer's own phrasing ("VHC", "back-bill", "goodwill matrix") is learned this way without
touching the shared lexicon.

With the semantic tagger only the counter-examples act here: confirmed sentences join the kNN
exemplars instead (TaggingEngine.exemplars), because adding their score on top of the fusion's
probability cost precision (bench/learning_lift.py --out-of-fold).
"""
from __future__ import annotations

from typing import Any, Iterable

from .base import Candidate, Quote, Sentence
from .nlp import lower_same_length, pipeline

MIN_SIMILARITY = 0.3
SUPPORT = 0.55       # a sentence identical in content to an exemplar is worth this much
SUPPRESS = 0.5        # share of a score removed by a very close counter-example


def _content(doc_or_span) -> frozenset[str]:
    return frozenset(t.lemma_.lower() for t in doc_or_span
                     if t.is_alpha and not t.is_stop and len(t) > 2)


def _similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b)) * min(1.0, min(len(a), len(b)) / 6)


class LearnedTagger:
    name = "learned"

    def __init__(self, examples: Iterable[tuple[str, str, bool]]):
        """``examples``: (ksb, sentence, positive?) triples from a cohort's decisions."""
        nlp = pipeline()
        self.positives: dict[str, list[frozenset[str]]] = {}
        self.negatives: dict[str, list[frozenset[str]]] = {}
        items = [(k, s, pos) for k, s, pos in examples if s and s.strip()]
        for (ksb, _s, positive), doc in zip(items, nlp.pipe([lower_same_length(s) for _, s, _ in items])):
            bag = _content(doc)
            if len(bag) >= 3:
                (self.positives if positive else self.negatives).setdefault(ksb, []).append(bag)

    def __bool__(self) -> bool:
        return bool(self.positives or self.negatives)

    def candidates(self, sentences: list[Sentence], docs: list[Any], context: str) -> list[Candidate]:
        bags = [_content(docs[s.doc_index][s.start:s.end]) for s in sentences]
        out: list[Candidate] = []
        for ksb in set(self.positives) | set(self.negatives):
            best: list[tuple[float, int]] = []
            worst = 0.0
            for i, bag in enumerate(bags):
                pos = max((_similarity(bag, e) for e in self.positives.get(ksb, ())), default=0.0)
                neg = max((_similarity(bag, e) for e in self.negatives.get(ksb, ())), default=0.0)
                if pos >= MIN_SIMILARITY and pos > neg:
                    best.append((pos, i))
                worst = max(worst, neg if neg >= 0.6 and neg > pos else 0.0)
            if best:
                best.sort(reverse=True)
                miss = 1.0
                for sim, _ in best[:3]:
                    miss *= 1 - SUPPORT * sim
                quotes = tuple(Quote(sentences[i].text, sentences[i].location.describe()) for _, i in best[:2])
                out.append(Candidate(ksb, round(1 - miss, 4), quotes, self.name,
                                     f"{len(best)} sentence(s) like ones the tutor confirmed"))
            if worst:
                out.append(Candidate(ksb, -round(SUPPRESS * worst, 4), (), self.name,
                                     "like a suggestion the tutor rejected"))
        return out
