"""Speed and memory of the semantic tagger on this machine.

    python bench/tagger_speed.py [--pieces 20]

Prints: sentence-model load time (with its hash check), sentences embedded per second,
pieces of 600 words tagged per second cold (every sentence new) and warm (same texts again:
the process caches vectors by text hash), for each encoder backend in one run (ratios), the
cosine drift of each backend's vectors from numpy fp32, and peak RSS. Then, for the default
backend, the figure the issue asks for, "on 2 cores", measured as a scan runs it: ``--workers``
processes (default: the usable CPUs), each with one encoder thread, tagging other pieces side
by side (onnxruntime's second thread adds little on batches the size of one piece's sentences,
a second process nearly doubles the rate). The pieces are
600-word texts cut from the dev cohorts' sentences (../shared), shuffled with a fixed seed so
no two pieces share a sentence run. Other developers share the 2 cores: say so with figures.
"""
from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import os
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
_ENGINE: TaggingEngine | None = None


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


def measure(backend: str, texts: list[str], probe: list[str], reference: np.ndarray | None) -> dict:
    """One backend: load time (hash check and graph build included), sentences/s, pieces/s
    cold and warm, and cosine drift of its vectors from the numpy fp32 reference."""
    from portfolio_check.tagging.encoder import SentenceEncoder
    t0 = time.perf_counter()
    enc = SentenceEncoder(backend=backend)
    load_s = time.perf_counter() - t0
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    engine._encoder = enc
    semantic._VEC_CACHE.clear()
    semantic._KSB_CACHE.clear()
    engine.tag_blocks([Block(Role.PARAGRAPH, "I referred the case to the specialist team.")])   # KSB vectors, warm-up
    t0 = time.perf_counter()
    vecs = enc.encode(probe)
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
    cos = (vecs * reference).sum(axis=1) if reference is not None else np.ones(len(probe))
    return {"backend": enc.backend, "load_s": load_s, "sent_rate": sent_rate, "cold": cold, "warm": warm,
            "cos_mean": float(cos.mean()), "cos_min": float(cos.min()), "vecs": vecs}


_BARRIER = None


def _worker_init(barrier=None) -> None:
    """One scan worker: its own engine and encoder (one thread), loaded and warmed before the clock starts."""
    global _ENGINE, _BARRIER
    _BARRIER = barrier
    from portfolio_check.tagging.config import THREADS_ENV
    os.environ[THREADS_ENV] = "1"
    _ENGINE = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    _ENGINE.tag_blocks([Block(Role.PARAGRAPH, "I referred the case to the specialist team.")])


def _worker_tag(text: str) -> int:
    return len(_ENGINE.tag_blocks([Block(Role.PARAGRAPH, text)]).suggestions)


def _worker_ready(_: int) -> int:
    # Every worker must hold one of these tasks before any returns, so all N are loaded and
    # warm before the clock starts (a sleep let a fast worker take two while another loaded).
    if _BARRIER is not None:
        _BARRIER.wait(timeout=300)
    return os.getpid()


def measure_workers(texts: list[str], workers: int) -> dict:
    """Pieces/s cold with ``workers`` processes (one encoder thread each), as the scan runs;
    model load and warm-up are done before the clock starts (they are reported above)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, initializer=_worker_init, initargs=(ctx.Barrier(workers),),
                             mp_context=ctx) as pool:
        pids = set(pool.map(_worker_ready, range(workers)))
        t0 = time.perf_counter()
        done = list(pool.map(_worker_tag, texts, chunksize=1))
        elapsed = time.perf_counter() - t0
    peak_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"workers": len(pids), "rate": len(texts) / elapsed, "suggested": sum(done), "peak_worker_mb": peak_worker}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pieces", type=int, default=20)
    ap.add_argument("--backends", default="numpy-fp32,onnx-fp32,onnx-int8",
                    help="comma-separated encoder backends to measure in this one run (first is the reference)")
    ap.add_argument("--workers", type=int, default=None,
                    help="processes for the side-by-side figure (default: the CPUs this process may use)")
    ap.add_argument("--parallel-pieces", type=int, default=60,
                    help="pieces for the side-by-side figure (more than --pieces: each worker needs enough to time)")
    args = ap.parse_args()
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    sents = corpus_sentences(engine)
    texts = pieces_of(sents, max(args.pieces, args.parallel_pieces))
    parallel_texts, texts = texts, texts[:args.pieces]
    probe = sents[:256]
    rows, reference = [], None
    for backend in args.backends.split(","):
        r = measure(backend.strip(), texts, probe, reference)
        reference = r["vecs"] if reference is None else reference
        rows.append(r)
    base = rows[0]
    print(f"{len(texts)} pieces of 600 words, {len(probe)} probe sentences; ratios against {base['backend']}")
    print(f"{'backend':<12}{'load s':>8}{'sent/s':>9}{'pieces/s cold':>15}{'ratio':>7}{'warm':>8}{'cos mean':>10}{'cos min':>9}")
    for r in rows:
        print(f"{r['backend']:<12}{r['load_s']:8.2f}{r['sent_rate']:9.0f}{r['cold']:15.2f}{r['cold'] / base['cold']:7.2f}"
              f"{r['warm']:8.1f}{r['cos_mean']:10.4f}{r['cos_min']:9.4f}")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (all backends loaded in turn): {rss:.0f} MB; load time includes the SHA-256 check and, for "
          "onnx, building the graph in memory")
    from portfolio_check.tagging.config import usable_cpus
    workers = args.workers or usable_cpus()
    one = measure_workers(parallel_texts, 1)
    many = measure_workers(parallel_texts, workers) if workers > 1 else one
    print(f"default backend, {len(parallel_texts)} pieces of 600 words, cold, one encoder thread per process: "
          f"1 process {one['rate']:.2f} pieces/s; {many['workers']} processes side by side {many['rate']:.2f} pieces/s "
          f"(x{many['rate'] / one['rate']:.2f}); peak RSS of one worker {many['peak_worker_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
