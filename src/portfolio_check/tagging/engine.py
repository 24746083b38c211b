"""The tagging engine: sentences in, ranked and explained KSB suggestions out.

For a portfolio piece the semantic tagger decides: each unit (sentence, list item, window of
2-3 sentences) is embedded and compared with every KSB's text; the linguistic guards mark
units that are not evidence (hypotheses, instructions, procedures, other people's actions,
negations, future aims); a learned logistic fusion (fusion.py, trained by
bench/train_tagger.py with leave-one-apprentice-out CV) turns the features into a calibrated
probability, and its cross-validated threshold marks suggestions *accepted*. A hand-written
lexicon (tagging/data/<CODE>.yaml), where one exists, is one more feature and the scorer of
report sections it was calibrated on; it is never required. Every KSB may be suggested: those
of another assessment method than the context's are flagged ``off_method`` and reported apart
("also evidences"); coverage and the verdict only ever count the portfolio method's KSBs.
Citations are checked against the evidence, never credited. Nothing is suggested without the
sentences that earned it.
"""
from __future__ import annotations

import dataclasses
import importlib.resources
import re
from typing import Iterable, Sequence

import numpy as np

from ..models import Block, Document, Role
from ..standards import Standard
from . import guards, mail_thread, semantic
from .base import Candidate, EvidenceType, Quote, Sentence, Suggestion, TagResult
from .calibration import ACCEPTED_AT_LEARNED_BAR
from .config import OFF_METHOD_PRIOR, TaggingConfig
from .evidence_type import classify
from .explicit import cited_codes
from .nlp import lower_same_length, pipeline
from .threads import blas_threads

TEXT_ROLES = {Role.HEADING, Role.PARAGRAPH, Role.LIST_ITEM, Role.TABLE_CELL, Role.CAPTION, Role.TEXT_BOX,
              Role.FOOTNOTE, Role.ENDNOTE, Role.TOC}
MAX_SENTENCE_CHARS = 1200
FUTURE_CUES = ("would like to", "want to", "wish to", "hope to", "plan to", "aim to", "intend to", "going to",
               "in the future", "in future", "next year", "one day")
# Evidence types that show no KSB however well they read: a copied policy, a certificate of
# attendance (LABELLING.md: at most B1 secondary).
NON_EVIDENCE_TYPES = {"policy_document", "training_certificate"}
THIRD_PERSON_TYPES = {"witness_testimony", "observation_record"}
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u25aa\u25e6\u2023\u2043\u00b7>]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+", re.M)


def has_lexicon(standard_code: str) -> bool:
    """A hand-written lexicon is an optional booster: only used when its file exists."""
    path = importlib.resources.files("portfolio_check") / "tagging" / "data" / f"{standard_code}.yaml"
    return path.is_file()


def split_bullets(text: str) -> list[str]:
    """A plain-text bullet or numbered list becomes one unit per item (a list read as one
    sentence would be quoted whole and its items would blur into one vector)."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or sum(1 for ln in lines if _BULLET.match(ln)) < 2:
        return [text]
    items: list[str] = []
    for ln in lines:
        if _BULLET.match(ln) or not items:
            items.append(_BULLET.sub("", ln, count=1).strip())
        else:
            items[-1] += " " + ln.strip()
    return [i for i in items if i]


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str]:
    """Whole-word, whole-phrase matching: "claim to" must not read as the cue "aim to"."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)) + r")(?![\w-])")


class TaggingEngine:
    def __init__(self, standard: Standard, config: TaggingConfig | None = None, extra_taggers: Iterable = ()):
        self.standard = standard
        self.config = config or TaggingConfig()
        self.lexical = None
        future = FUTURE_CUES
        if has_lexicon(standard.code):
            from .lexical import LexicalTagger, compile_lexicon
            self.lexical = LexicalTagger(standard.code)
            future = compile_lexicon(standard.code).future
        self.taggers = [*extra_taggers]
        self.learned = None
        if self.config.learned:
            from .learned import LearnedTagger
            learned = LearnedTagger(self.config.learned)
            if learned:
                self.learned = learned
        self.nlp = pipeline()
        self.future_cues = _cue_pattern(future)
        self.valid_codes = set(standard.codes)
        self._encoder = None
        self._ksb_vectors = None
        self._model = None
        self._exemplars: tuple | None = None

    @property
    def uses_semantic(self) -> bool:
        """Whether pieces go through the semantic tagger (see TaggingConfig.semantic): always
        unless the lexical tagger was asked for and the standard has a lexicon to run it on."""
        return self.config.semantic is not False or self.lexical is None

    @property
    def acceptance_threshold(self) -> float:
        """The semantic tagger's bar for *accepted*: the one learned from a cohort's decisions
        when it learns from them (TaggingConfig.learned_threshold), else the fusion's own."""
        learned = self.config.learned_threshold
        return learned if learned is not None else self.model.threshold

    # -- the sentence model, loaded on first use -----------------------------------------------
    @property
    def encoder(self):
        """The sentence encoder; raises EncoderUnavailable with the reason and the fix. There
        is no silent fallback: suggestions without the model would quietly be worse."""
        if self._encoder is None:
            from .encoder import get_encoder
            self._encoder = get_encoder()
        return self._encoder

    @property
    def ksb_vectors(self) -> semantic.KsbVectors:
        if self._ksb_vectors is None:
            self._ksb_vectors = semantic.ksb_vectors(self.standard, self.encoder)
        return self._ksb_vectors

    @property
    def model(self):
        if self._model is None:
            from .fusion import model_for
            model = model_for(self.standard.code, semantic.standard_hash(self.standard))
            if model.uses_lexicon and self.lexical is None:
                model = model_for("", "")
            self._model = model
        return self._model

    # -- sentences -----------------------------------------------------------------------------
    def sentences(self, blocks: Sequence[Block], thread: "mail_thread.Thread | None" = None) -> tuple[list[Sentence], list]:
        """The piece's sentences; ``thread`` marks a forwarded e-mail's inline headers and the
        blocks another person wrote (see mail_thread.py), for quoting only."""
        units: list[tuple[str, Block]] = []
        other_ids = {id(blocks[i]) for i in (thread.others if thread else ()) if i < len(blocks)}
        header_ids = {id(blocks[i]) for i in (thread.headers if thread else ()) if i < len(blocks)}
        for b in blocks:
            if b.role in TEXT_ROLES and b.text.strip():
                # the lexical tagger keeps reading a block whole, as it was calibrated
                items = split_bullets(b.text.strip()) if self.uses_semantic else [b.text.strip()]
                units += [(item, b) for item in items]
        titles = _title_blocks(units) if self.uses_semantic else set()
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
                                          heading=block.role is Role.HEADING, title=id(block) in titles,
                                          other_author=id(block) in other_ids, thread_header=id(block) in header_ids,
                                          form_field=is_form_field(stext),
                                          doc_index=len(docs) - 1, start=span.start, end=span.end))
        return sentences, docs

    # -- tagging -------------------------------------------------------------------------------
    def tag_blocks(self, blocks: Sequence[Block], context: str = "portfolio",
                   evidence_type: EvidenceType | None = None, thread: "mail_thread.Thread | None" = None) -> TagResult:
        with blas_threads(1):   # see threads.py: small products, one thread is faster
            return self._tag_blocks(blocks, context, evidence_type, thread)

    def _tag_blocks(self, blocks: Sequence[Block], context: str, evidence_type: EvidenceType | None,
                    thread: "mail_thread.Thread | None" = None) -> TagResult:
        sentences, docs = self.sentences(blocks, thread)
        if self.lexical is not None and not self.uses_semantic:
            return self._merge(sentences, self.lexical_candidates(sentences, docs, context), context)
        if context == "report" and self.lexical is not None:
            # Report sections: the lexicon's scorer, calibrated on dev-reports (sections.csv),
            # stays in charge where a lexicon exists; the fusion was trained on portfolio pieces.
            return self._merge(sentences, self.lexical_candidates(sentences, docs, context), context)
        return self._merge(sentences, self.semantic_candidates(sentences, docs, context, evidence_type), context,
                           off_method_ok=True)

    def tag_document(self, doc: Document, context: str = "portfolio", file_name: str | None = None) -> TagResult:
        et = classify(doc, file_name)
        # the body's blocks come first in all_blocks(); attachments are never marked
        thread = mail_thread.read(doc.blocks, doc.properties.get("from")) if doc.kind == "email" else None
        result = self.tag_blocks(doc.all_blocks(), context, et, thread)
        return TagResult(result.suggestions, result.cited, result.cited_not_evidenced, et)

    def target_method(self, context: str) -> str | None:
        return self.standard.portfolio_method if context == "portfolio" else self.standard.report_method

    def _prior(self, code: str, context: str) -> float:
        method = self.standard.ksb(code).method
        return 1.0 if method == self.target_method(context) else OFF_METHOD_PRIOR.get(context, 0.8)

    def lexical_candidates(self, sentences: list[Sentence], docs: list, context: str) -> list[Candidate]:
        """The old lexical scorer (noisy-OR of its facets with the method prior): report
        sections, and the baseline bench/tagging_quality.py compares the new tagger with."""
        out = []
        for tagger in [self.lexical, *self.taggers]:
            for c in tagger.candidates(sentences, docs, context):
                out.append(c if c.score < 0 else Candidate(c.ksb, c.score * self._prior(c.ksb, context),
                                                           c.quotes, c.tagger, c.reason))
        if self.learned is not None:
            out += self.learned.candidates(sentences, docs, context)
        return out

    def analyse(self, sentences: list[Sentence], docs: list, context: str,
                evidence_type: EvidenceType | None) -> tuple[semantic.Analysis, np.ndarray]:
        """The piece's units and its (K, F) feature matrix for the fusion model."""
        gctx = guards.GuardContext(third_person_ok=bool(evidence_type and evidence_type.type in THIRD_PERSON_TYPES))
        a = semantic.analyse(sentences, self.encoder, gctx)
        model = self.model
        lex = None
        if model.uses_lexicon:
            lex = {c.ksb: c.score for c in self.lexical.candidates(sentences, docs, context)} if sentences else {}
        nonevidence = bool(evidence_type and evidence_type.type in NON_EVIDENCE_TYPES)
        observed = (frozenset(self.standard.methods_of_kind("observation"))
                    if evidence_type and evidence_type.type == "observation_record" else frozenset())
        x = semantic.features(a, self.ksb_vectors, self.target_method(context), nonevidence,
                              self.exemplars, lex, model.features, observed)
        return a, x

    @property
    def exemplars(self) -> semantic.Exemplars | None:
        """The model's exemplars, plus the sentences a tutor confirmed (learning from decisions):
        in the semantic tagger a confirmed sentence becomes one more kNN exemplar unit of its
        KSB, in the same embedding space, so a similar sentence elsewhere scores through the
        learned fusion instead of being added on top of it (which cost precision)."""
        if self._exemplars is None:
            ex = self.model.exemplars
            if ex is not None and ex.units is not None and self._learns_as_exemplars():
                kv = self.ksb_vectors
                col = {c: k for k, c in enumerate(kv.codes)}
                pos = [(col[k], t) for k, t, ok in self.config.learned if ok and k in col and t.strip()]
                vecs = semantic.embed([t for _, t in pos], self.encoder)
                ex = dataclasses.replace(ex, units=np.vstack([ex.units, vecs]).astype(np.float32),
                                         unit_ksb=np.concatenate([ex.unit_ksb, np.array([k for k, _ in pos], np.int64)]))
            self._exemplars = (ex,)
        return self._exemplars[0]

    def _learns_as_exemplars(self) -> bool:
        """Confirmed sentences go into the kNN exemplars when the model reads them."""
        return bool(self.config.learned) and any(n in semantic.KNN_FEATURES for n in self.model.features)

    def semantic_candidates(self, sentences: list[Sentence], docs: list, context: str,
                            evidence_type: EvidenceType | None = None) -> list[Candidate]:
        if not sentences:
            return []
        a, x = self.analyse(sentences, docs, context, evidence_type)
        probs = self.model.predict(x)
        kv = self.ksb_vectors
        nonevidence = bool(evidence_type and evidence_type.type in NON_EVIDENCE_TYPES)
        clean_any = any(not u.flagged for u in a.units)
        out: list[Candidate] = []
        for rank, k in enumerate(np.argsort(-probs, kind="stable")[: max(self.config.max_suggestions, 12)]):
            score = float(probs[k])
            if rank >= self.config.show_at_least and score < self.config.show_floor:
                break
            if nonevidence or not clean_any:
                # A policy or a certificate shows no KSB; a text whose every unit is a
                # hypothesis, instruction, procedure... evidences nothing either.
                score = min(score, self.acceptance_threshold * 0.99)
            idx = semantic.quote_units(a, kv, int(k), exemplars=self.exemplars)
            quotes = tuple(Quote(sentences[i].text, sentences[i].location.describe()) for i in idx)
            best_flags = guards.describe(a.flags[idx[0]]) if idx else "clean"
            reason = f"closest to the KSB text: similarity {x[k, 0]:.2f}" + (
                f" (best unit: {best_flags})" if best_flags != "clean" else "")
            out.append(Candidate(kv.codes[k], round(score, 4), quotes, "semantic", reason))
        if self.learned is not None:
            learned = self.learned.candidates(sentences, docs, context)
            if self._learns_as_exemplars():
                # confirmations already count through the exemplars; rejections still suppress
                learned = [c for c in learned if c.score < 0]
            out += learned
        return out

    def _merge(self, sentences: list[Sentence], candidates: list[Candidate], context: str,
               off_method_ok: bool = False) -> TagResult:
        by_ksb: dict[str, list[Candidate]] = {}
        for c in candidates:
            by_ksb.setdefault(c.ksb, []).append(c)
        cited = cited_codes(sentences, self.valid_codes)
        target = self.target_method(context)
        threshold = self.acceptance_threshold if off_method_ok else self.config.for_context(context)
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
            score = 1 - miss
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
            if off_method_ok and self.config.learned_threshold is not None and threshold <= score < self.model.threshold:
                # said where the tutor reads it: accepted only because this cohort's bar is lower
                reason += f"; {ACCEPTED_AT_LEARNED_BAR} ({threshold:.2f}), under the shipped {self.model.threshold:.2f}"
            method = self.standard.ksb(code).method
            suggestions.append(Suggestion(ksb=code, score=round(score, 4),
                                          accepted=score >= threshold,
                                          quotes=tuple(quotes[:3]), taggers=tuple(c.tagger for c in cands),
                                          reason=reason, cited=is_cited,
                                          off_method=bool(method is not None and method != target)))
        suggestions.sort(key=lambda s: (-s.score, s.ksb))
        suggestions = suggestions[: self.config.max_suggestions]
        # "Cited but not evidenced": the text claims the KSB but does not show it clearly
        # enough to be suggested; the tutor decides, coverage is never credited on the claim.
        accepted = {s.ksb for s in suggestions if s.accepted}
        cited_only = tuple(c for c in sorted(cited, key=_code_order) if c not in accepted)
        return TagResult(tuple(suggestions), tuple(sorted(cited, key=_code_order)), cited_only)


_TITLE_END = re.compile(r"[.!?;,:)\"'\u201d\u2019]\s*$")


def _title_blocks(units: list[tuple[str, Block]]) -> set[int]:
    """The ids of a piece's opening lines when they are titles in all but style ("Reflective
    account: a vulnerable customer's burst pipe", or a form's letterhead and name: "Kingsmere
    University | Accommodation Services" / "Witness Testimony"): up to three short lines with no
    closing punctuation, with more text after them. Plain text, many Word files and every scan
    read by OCR have no heading style for them, and a title quoted as the evidence of a KSB (it
    names the topic, so it is close to many) tells the tutor nothing, so it is never quoted. It
    still counts as text for the scores (treating it as a heading there lowered the inner-fold
    F1: bench/README.md). Only the opening lines: informal notes without full stops further
    down stay text."""
    found: set[int] = set()
    for i, (text, block) in enumerate(units[:MAX_TITLE_LINES]):
        if i + 1 >= len(units) or block.role is not Role.PARAGRAPH or "\n" in text.strip():
            break
        if len(text.split()) > 12 or _TITLE_END.search(text) or units[i + 1][1] is block:
            break
        found.add(id(block))
    return found


MAX_TITLE_LINES = 3

# "Job title: Responsive Repairs Manager", "Apprentice: Riya Shah, Customer Hub Advisor.",
# "Signed: M. Reid, Team Leader, 14 January 2025": a label of up to four words, then a short value.
# The label is words of letters (no digits, no full stop: "22:20" and "... over-explains. Next
# visit: S13" are not fields), capitalised as a form prints it, and a space follows the colon.
_FORM_FIELD = re.compile(r"^\s*[A-Z][A-Za-z'/()&-]*(?:\s+[A-Za-z'/()&-]+){0,3}\s*:\s+(?P<value>\S.*)$")
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|me|my|we|our|us)\b", re.I)
MAX_FIELD_VALUE_WORDS = 8


def is_form_field(text: str) -> bool:
    """A line of a form (a witness statement's "Job title:", an observation record's "Date:"):
    a short label, a colon and a short value that says nothing in the first person. Quoted as
    the evidence of a KSB (a witness form's header sits close to what the form is about) it
    told the tutor nothing and went into the EPAO's referencing matrix, so it is never quoted;
    it still counts for the scores, like a title. "Outcome: I refunded the customer..." is a
    sentence, not a field."""
    m = _FORM_FIELD.match(text)
    if not m:
        return False
    value = m.group("value")
    return len(value.split()) <= MAX_FIELD_VALUE_WORDS and not _FIRST_PERSON.search(value)


def _code_order(code: str) -> tuple[int, int]:
    return ("KSB".index(code[0]), int(code[1:]))
