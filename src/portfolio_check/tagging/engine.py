"""The tagging engine: sentences in, ranked and explained KSB suggestions out.

Taggers (lexical, optional semantic, learned-from-decisions) each propose candidates; the
engine merges them per KSB, applies the method prior (portfolio pieces mainly evidence the
professional-discussion KSBs, report sections the work-based-project ones), checks cited
codes against the evidence, and marks as *accepted* the suggestions whose score clears the
calibrated threshold. Nothing is suggested without the sentences that earned it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from ..models import Block, Document, Role
from ..standards import Standard
from .base import Candidate, Quote, Sentence, Suggestion, TagResult
from .config import OFF_METHOD_PRIOR, TaggingConfig
from .evidence_type import classify
from .explicit import cited_codes
from .lexical import LexicalTagger, compile_lexicon
from .nlp import lower_same_length, pipeline

TEXT_ROLES = {Role.HEADING, Role.PARAGRAPH, Role.LIST_ITEM, Role.TABLE_CELL, Role.CAPTION, Role.TEXT_BOX,
              Role.FOOTNOTE, Role.ENDNOTE, Role.TOC}
MAX_SENTENCE_CHARS = 1200


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    """Whole-word, whole-phrase matching: "claim to" must not read as the cue "aim to"."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)) + r")(?![\w-])")


class TaggingEngine:
    def __init__(self, standard: Standard, config: TaggingConfig | None = None, extra_taggers: Iterable = ()):
        self.standard = standard
        self.config = config or TaggingConfig()
        self.lexical = LexicalTagger(standard.code)
        self.taggers = [self.lexical, *extra_taggers]
        if self.config.learned:
            from .learned import LearnedTagger
            learned = LearnedTagger(self.config.learned)
            if learned:
                self.taggers.append(learned)
        self.nlp = pipeline()
        self.future_cues = _cue_pattern(compile_lexicon(standard.code).future)
        self.valid_codes = set(standard.codes)

    # -- sentences -----------------------------------------------------------------------------
    def sentences(self, blocks: Sequence[Block]) -> tuple[list[Sentence], list]:
        units = [(b.text.strip(), b) for b in blocks if b.role in TEXT_ROLES and b.text.strip()]
        sentences: list[Sentence] = []
        docs = []
        lowered = [lower_same_length(t) for t, _ in units]
        for (text, block), doc in zip(units, self.nlp.pipe(lowered, batch_size=64)):
            docs.append(doc)
            for span in doc.sents:
                stext = text[span.start_char:span.end_char].strip()
                if not stext or not any(ch.isalpha() for ch in stext):
                    continue
                stext = stext[:MAX_SENTENCE_CHARS]
                sentences.append(Sentence(index=len(sentences), text=stext, location=block.location,
                                          future=bool(self.future_cues.search(span.text)),
                                          heading=block.role is Role.HEADING,
                                          doc_index=len(docs) - 1, start=span.start, end=span.end))
        return sentences, docs

    # -- tagging -------------------------------------------------------------------------------
    def tag_blocks(self, blocks: Sequence[Block], context: str = "portfolio") -> TagResult:
        sentences, docs = self.sentences(blocks)
        return self._merge(sentences, docs, context)

    def tag_document(self, doc: Document, context: str = "portfolio", file_name: str | None = None) -> TagResult:
        result = self.tag_blocks(doc.all_blocks(), context)
        return TagResult(result.suggestions, result.cited, result.cited_not_evidenced,
                         classify(doc, file_name))

    def _prior(self, code: str, context: str) -> float:
        method = self.standard.ksb(code).method
        target = self.standard.portfolio_method if context == "portfolio" else self.standard.report_method
        return 1.0 if method == target else OFF_METHOD_PRIOR.get(context, 0.8)

    def _merge(self, sentences: list[Sentence], docs: list, context: str) -> TagResult:
        by_ksb: dict[str, list[Candidate]] = {}
        for tagger in self.taggers:
            for c in tagger.candidates(sentences, docs, context):
                by_ksb.setdefault(c.ksb, []).append(c)
        cited = cited_codes(sentences, self.valid_codes)
        suggestions: list[Suggestion] = []
        for code, all_cands in by_ksb.items():
            cands = [c for c in all_cands if c.score > 0]
            if not cands:
                continue
            # Taggers corroborate each other: noisy-OR of their scores; a counter-example the
            # tutor rejected (a negative score) takes its share off.
            miss = 1.0
            for c in cands:
                miss *= 1 - c.score
            score = (1 - miss) * self._prior(code, context)
            for c in all_cands:
                if c.score < 0:
                    score *= 1 + c.score
            is_cited = code in cited   # reported, never scored: a citation is a claim, not evidence
            quotes: list[Quote] = []
            for c in sorted(cands, key=lambda c: -c.score):
                for q in c.quotes:
                    if q not in quotes:
                        quotes.append(q)
            if not quotes:
                continue
            reason = "; ".join(f"{c.tagger}: {c.reason}" for c in cands)
            if is_cited:
                reason += "; the text also cites it"
            suggestions.append(Suggestion(ksb=code, score=round(score, 4),
                                          accepted=score >= self.config.for_context(context),
                                          quotes=tuple(quotes[:3]), taggers=tuple(c.tagger for c in cands),
                                          reason=reason, cited=is_cited))
        suggestions.sort(key=lambda s: (-s.score, s.ksb))
        suggestions = suggestions[: self.config.max_suggestions]
        # "Cited but not evidenced": the text claims the KSB but does not show it clearly
        # enough to be suggested; the tutor decides, coverage is never credited on the claim.
        accepted = {s.ksb for s in suggestions if s.accepted}
        cited_only = tuple(c for c in sorted(cited, key=_code_order) if c not in accepted)
        return TagResult(tuple(suggestions), tuple(sorted(cited, key=_code_order)), cited_only)


def _code_order(code: str) -> tuple[int, int]:
    return ("KSB".index(code[0]), int(code[1:]))

