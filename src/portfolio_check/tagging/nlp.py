"""The spaCy pipeline the taggers share, built once per process.

A blank English pipeline with a sentencizer and the lookup lemmatizer from
``spacy-lookups-data``: no model download, fast (the tagger needs lemmas and sentences, not
parses). Text is lower-cased before it goes in so the lookup tables, which are keyed on
lower-case forms, lemmatise sentence-initial and capitalised words too; offsets are kept, so
quotes are cut from the original text.
"""
from __future__ import annotations

import functools

import spacy
from spacy.language import Language


@functools.lru_cache(maxsize=1)
def pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


def lower_same_length(text: str) -> str:
    """Lower-case without changing string length (so character offsets still line up)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
