"""Design trial (rejected, 2026-12-03): should another person's words in a forwarded e-mail
count as evidence?

    python bench/trial_other_author.py off|on [--vec-cache /tmp/vecs.npz]

``on`` flags every sentence under another person's inline header (tagging/mail_thread.py:
the customer's message in a forwarded thread) as not clean evidence, like a guard, in
training and in scoring; ``off`` is the shipped behaviour (those sentences count for the
scores and are only quoted after the apprentice's own). Both print the nested
leave-one-apprentice-out figures of bench/tagging_quality.py; the design is chosen on the
inner-fold F1, as in every design round of bench/README.md.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tagging_quality  # noqa: E402
import train_tagger  # noqa: E402
from portfolio_check.standards import load_standard  # noqa: E402
from portfolio_check.tagging import TaggingConfig, TaggingEngine, mail_thread, semantic  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["off", "on"])
    ap.add_argument("--vec-cache", default=None)
    args = ap.parse_args()

    real_analyse, real_parse, real_sentences = semantic.analyse, train_tagger.parse_file, TaggingEngine.sentences
    thread: list = [None]

    def parse(path):
        doc = real_parse(path)       # load_labelled parses each piece, then asks for its sentences
        thread[0] = mail_thread.read(doc.blocks, doc.properties.get("from")) if doc.kind == "email" else None
        return doc

    def sentences(self, blocks, t=None):
        return real_sentences(self, blocks, t or thread[0])

    def analyse(sents, encoder, ctx):
        a = real_analyse(sents, encoder, ctx)
        if args.mode == "off":
            return a
        fl = tuple(f | {"other_author"} if s.other_author else f for f, s in zip(a.flags, sents))
        units = tuple(semantic.Unit(u.members, any(fl[m] for m in u.members)) for u in a.units)
        return dataclasses.replace(a, flags=fl, units=units)

    train_tagger.parse_file, TaggingEngine.sentences = parse, sentences
    semantic.analyse = train_tagger.semantic.analyse = analyse
    train_tagger.vec_cache(args.vec_cache)
    engine = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True))
    pieces = train_tagger.load_pieces(engine)
    others = sum(s.other_author for p in pieces for s in p.analysis.sentences)
    res = tagging_quality.evaluate_loao(engine, "ST0071", pieces)
    a = res["new_all"]
    print(f"{args.mode}: {others} sentences under another person's header; inner F1 {res['inner_f1']:.3f} "
          f"recall@5 {res['inner_recall_at_5']:.3f}; outer P {a['precision']:.3f} R {a['recall']:.3f} "
          f"F1 {a['f1']:.3f} recall@5 {a['recall_at_5']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
