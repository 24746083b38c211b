"""The lexical tagger: per-KSB indicator facets matched with spaCy's Matcher on lemmas.

A keyword is not evidence. A sentence evidences a KSB when it (with its neighbours) shows
several *facets* of it (for K7, an act of referral, the specialist or authority involved, and
the reason), at least one of them an anchor, outside the scope of a negation and not framed as
a future aim. The score grows with the facets covered and with the number of sentences that
independently evidence the KSB, so one passing mention scores low and a worked account high.
"""
from __future__ import annotations

import bisect
import functools
import math
import importlib.resources
from dataclasses import dataclass, field
from typing import Any

from spacy.matcher import Matcher, PhraseMatcher

from .. import yamlsafe
from .base import Candidate, Quote, Sentence
from .nlp import pipeline

NEIGHBOUR_WEIGHT = 0.5
SATURATION = 0.8       # evidence (sum of squared sentence strengths) giving a score of 1 - 1/e
COMPETITION = 0.2      # share of the score that depends on standing within the piece
COMPETITION_SENTENCES = 12   # pieces shorter than this compete proportionally less
MAX_SENTENCES = 6
MAX_QUOTES = 3


@dataclass
class Facet:
    name: str
    weight: float
    anchor: bool


@dataclass
class KsbLexicon:
    code: str
    need: float
    future_ok: bool
    facets: dict[str, Facet] = field(default_factory=dict)


@dataclass
class Lexicon:
    ksbs: dict[str, KsbLexicon]
    matcher: Matcher              # phrases with gaps, wildcards or stems
    phrases: PhraseMatcher        # plain phrases, matched on lemmas by hash (fast)
    negation: set[str]
    future: tuple[str, ...]
    keys: dict[int, tuple[str, str]]


def _token_pattern(word: str, lemma: str) -> dict[str, Any]:
    if word == "*":
        return {}
    if word.endswith("*") and len(word) > 1:
        return {"LOWER": {"REGEX": "^" + word[:-1]}}
    return {"LEMMA": lemma}


def _is_plain(phrase: str) -> bool:
    return not any(ch == "*" or ch == "..." or ch.endswith("*") for ch in phrase.split())


def _phrase_pattern(nlp, phrase: str) -> list[dict[str, Any]]:
    pattern: list[dict[str, Any]] = []
    for chunk in phrase.lower().split():
        if chunk == "...":
            pattern.append({"OP": "{0,3}"})
            continue
        if chunk == "*" or chunk.endswith("*"):
            pattern.append(_token_pattern(chunk, chunk))
            continue
        for tok in nlp(chunk):
            pattern.append(_token_pattern(tok.text, tok.lemma_ or tok.text))
    return pattern


def load_lexicon_data(standard_code: str) -> dict[str, Any]:
    path = importlib.resources.files("portfolio_check") / "tagging" / "data" / f"{standard_code}.yaml"
    return yamlsafe.load(path.read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=8)
def compile_lexicon(standard_code: str) -> Lexicon:
    data = load_lexicon_data(standard_code)
    nlp = pipeline()
    matcher = Matcher(nlp.vocab)
    phrase_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    ksbs: dict[str, KsbLexicon] = {}
    keys: dict[int, tuple[str, str]] = {}
    for code, spec in data["ksbs"].items():
        kl = KsbLexicon(code=code, need=float(spec.get("need", 2.0)), future_ok=bool(spec.get("future_ok", False)))
        for fname, fspec in spec["facets"].items():
            kl.facets[fname] = Facet(fname, float(fspec.get("weight", 1.0)), bool(fspec.get("anchor", False)))
            key = f"{code}|{fname}"
            plain = [p for p in fspec["phrases"] if _is_plain(p)]
            special = [_phrase_pattern(nlp, p) for p in fspec["phrases"] if not _is_plain(p)]
            if plain:
                phrase_matcher.add(key, list(nlp.pipe([p.lower() for p in plain])))
            if special:
                matcher.add(key, special)
            keys[nlp.vocab.strings[key]] = (code, fname)
        ksbs[code] = kl
    cues = data.get("cues", {})
    return Lexicon(ksbs=ksbs, matcher=matcher, phrases=phrase_matcher, negation=set(cues.get("negation", [])),
                   future=tuple(cues.get("future", [])), keys=keys)


class LexicalTagger:
    name = "lexical"

    def __init__(self, standard_code: str):
        self.lexicon = compile_lexicon(standard_code)

    def facets_by_sentence(self, sentences: list[Sentence], docs: list[Any]) -> list[dict[str, set[str]]]:
        """For each sentence, KSB -> facets matched in it, skipping matches under a negation.

        The matcher runs once per block (not per sentence) and matches are assigned to
        sentences by token position: far fewer calls, same result.
        """
        per_sentence: list[dict[str, set[str]]] = [{} for _ in sentences]
        by_doc: dict[int, list[Sentence]] = {}
        for s in sentences:
            by_doc.setdefault(s.doc_index, []).append(s)
        lex = self.lexicon
        for di, sents in by_doc.items():
            doc = docs[di]
            starts = [s.start for s in sents]
            for match_id, start, end in [*lex.phrases(doc), *lex.matcher(doc)]:
                k = bisect.bisect_right(starts, start) - 1
                if k < 0 or start >= sents[k].end:
                    continue
                sent = sents[k]
                window = doc[max(sent.start, start - 3):start]
                if any(t.lower_ in lex.negation for t in window):
                    continue
                code, facet = lex.keys[match_id]
                per_sentence[sent.index].setdefault(code, set()).add(facet)
        return per_sentence

    def candidates(self, sentences: list[Sentence], docs: list[Any], context: str) -> list[Candidate]:
        per_sentence = self.facets_by_sentence(sentences, docs)
        # A heading sets the topic of the sentences under it ("Recommendations" makes each
        # sentence below it about recommending): its facets count as context for them.
        heading_ctx: list[dict[str, set[str]]] = []
        current: dict[str, set[str]] = {}
        for i, s in enumerate(sentences):
            if s.heading:
                current = per_sentence[i]
            heading_ctx.append(current if not s.heading else {})
        found: list[tuple[str, float, list[tuple[float, int, set[str]]]]] = []
        for code, kl in self.lexicon.ksbs.items():
            strengths: list[tuple[float, int, set[str]]] = []
            for i, s in enumerate(sentences):
                own = per_sentence[i].get(code, set())
                topic = heading_ctx[i].get(code, set())
                if not own or not any(kl.facets[f].anchor for f in own | topic):
                    continue
                if s.future and not kl.future_ok:
                    continue
                neigh: set[str] = set(topic)
                for j in (i - 1, i + 1):
                    if 0 <= j < len(sentences) and not (sentences[j].future and not kl.future_ok):
                        neigh |= per_sentence[j].get(code, set())
                if len(own) < 2 and not (neigh - own):
                    continue          # one facet alone is a keyword, not evidence
                total = sum(f.weight for f in kl.facets.values())
                covered = sum(kl.facets[f].weight for f in own)
                covered += NEIGHBOUR_WEIGHT * sum(kl.facets[f].weight for f in neigh - own)
                strength = min(1.0, covered / min(total, kl.need))
                if s.heading:
                    strength *= 0.6
                strengths.append((strength, i, own | neigh))
            if strengths:
                strengths.sort(key=lambda x: (-x[0], x[1]))
                raw = sum(st ** 2 for st, _, _ in strengths[:MAX_SENTENCES])
                found.append((code, raw, strengths))
        if not found:
            return []
        top_raw = max(raw for _, raw, _ in found)
        # Competition matters in long pieces (a passing mention among many sentences); in a
        # short text every KSB it evidences is what the text is about.
        competition = COMPETITION * min(1.0, len(sentences) / COMPETITION_SENTENCES)
        out: list[Candidate] = []
        for code, raw, strengths in found:
            # Evidence accumulates with diminishing returns (one full sentence ~0.55, three ~0.9),
            # then KSBs compete within the piece: one the piece is about outranks a passing one.
            absolute = 1 - math.exp(-raw / SATURATION)
            score = absolute * (1 - competition + competition * raw / top_raw)
            top = strengths[:MAX_QUOTES]
            quotes = tuple(Quote(sentences[i].text, sentences[i].location.describe()) for _, i, _ in top)  # strongest first
            facets = sorted(set().union(*(f for _, _, f in top)))
            n = len(strengths)
            reason = (f"{n} sentence{'s' if n != 1 else ''} show{'s' if n == 1 else ''} "
                      f"{', '.join(facets)}")
            out.append(Candidate(code, round(score, 4), quotes, self.name, reason))
        return out
