"""Speed and memory of the semantic tagger on this machine.

    python bench/tagger_speed.py [--pieces 20]

Prints: sentence-model load time (with its hash check), sentences embedded per second,
pieces of 600 words tagged per second cold (every sentence new) and warm (same texts again:
the process caches vectors by text hash), peak RSS, and how far a window vector built as the
normalised mean of its sentences' vectors is from embedding the window's text. The pieces are
600-word texts cut from the dev cohorts' sentences (../shared), shuffled with a fixed seed so
no two pieces share a sentence run. Other developers share the 2 cores: say so with figures.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from portfolio_check.models import Block, Role  # noqa: E402
from portfolio_check.parse import parse_file  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, semantic  # noqa: E402
from portfolio_check.tagging.engine import TaggingEngine  # noqa: E402

SHARED = REPO.parent / "shared"


def corpus_sentences(engine: TaggingEngine) -> list[str]:
    out = []
    for cohort in ("dev-cohort", "dev-cohort-2"):
        for r in csv.DictReader(open(SHARED / cohort / "labels.csv", encoding="utf-8")):
            doc = parse_file(SHARED / cohort / r["apprentice_id"] / "portfolio" / r["file"])
            out += [s.text for s in engine.sentences(doc.all_blocks())[0] if len(s.text.split()) >= 4]
    return out


def pieces_of(sentences: list[str], n: int, words: int = 600) -> list[str]:
    rng = random.Random(8)
    pool = sentences[:]
    rng.shuffle(pool)
    out, cur, count = [], [], 0
    for s in pool:
        cur.append(s)
        count += len(s.split())
        if count >= words:
            out.append(" ".join(cur))
            cur, count = [], 0
            if len(out) == n:
                break
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pieces", type=int, default=20)
    args = ap.parse_args()
    from portfolio_check.tagging.encoder import SentenceEncoder
    t0 = time.perf_counter()
    SentenceEncoder()
    load_s = time.perf_counter() - t0
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    engine.tag_blocks([Block(Role.PARAGRAPH, "I referred the case to the specialist team.")])   # KSB vectors, warm-up
    sents = corpus_sentences(engine)
    texts = pieces_of(sents, args.pieces)
    semantic._VEC_CACHE.clear()
    probe = sents[:256]
    t0 = time.perf_counter()
    engine.encoder.encode(probe)
    sent_rate = len(probe) / (time.perf_counter() - t0)
    semantic._VEC_CACHE.clear()
    t0 = time.perf_counter()
    for t in texts:
        engine.tag_blocks([Block(Role.PARAGRAPH, t)])
    cold = len(texts) / (time.perf_counter() - t0)
    t0 = time.perf_counter()
    for t in texts:
        engine.tag_blocks([Block(Role.PARAGRAPH, t)])
    warm = len(texts) / (time.perf_counter() - t0)
    # window vector: mean of sentence vectors vs embedding the window text
    win = [" ".join(sents[i:i + 2]) for i in range(0, 200, 2)]
    direct = engine.encoder.encode(win)
    parts = engine.encoder.encode(sents[:200]).reshape(100, 2, -1).mean(axis=1)
    parts /= np.linalg.norm(parts, axis=1, keepdims=True)
    cos = (direct * parts).sum(axis=1)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sentence model load (incl. SHA-256 check): {load_s:.2f} s")
    print(f"sentences embedded per second: {sent_rate:.0f}")
    print(f"pieces of 600 words tagged per second, cold: {cold:.2f}   warm (vectors cached by text hash): {warm:.1f}")
    print(f"window vector as mean of its 2 sentences vs embedding the window: cosine mean {cos.mean():.3f}, min {cos.min():.3f}")
    print(f"peak RSS: {rss:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
