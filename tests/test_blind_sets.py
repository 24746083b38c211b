"""The blind sets stay blind and readable.

Why: `bench/tagging_blind.py` is the only figure on text the tagger was never trained or tuned
on. It is worth something only while no blind piece reaches the training data, and it must not
crash or silently skip a piece because a label row and a file disagree.
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import re
import sys
from pathlib import Path

import pytest

from portfolio_check.standards import load_standard

REPO = Path(__file__).resolve().parent.parent
BLIND_SETS = [REPO / "bench" / "data" / "blind", REPO / "bench" / "data" / "blind-2"]
SYNTHETIC = REPO / "bench" / "data" / "synthetic"
TEXT_SUFFIXES = {".txt", ".md", ".eml"}


def _rows(root: Path) -> list[dict]:
    with open(root / "labels.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _text_key(path: Path) -> str:
    text = re.sub(r"\s+", " ", path.read_text(encoding="utf-8", errors="replace")).strip().lower()
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.mark.parametrize("root", BLIND_SETS, ids=lambda p: p.name)
def test_every_label_row_names_a_file_and_every_file_has_a_row(root: Path) -> None:
    rows = _rows(root)
    listed = {(r["apprentice_id"], r["file"]) for r in rows}
    on_disk = {(p.parent.name, p.name) for p in root.glob("*/*") if p.is_file()}
    assert listed == on_disk
    codes = {k.code for k in load_standard("ST0071").ksbs}
    for r in rows:
        used = set(r["primary_ksbs"].split()) | set(r["secondary_ksbs"].split())
        assert used <= codes, (r["file"], used - codes)
    assert (root / "README.md").is_file()


def test_no_blind_text_is_in_the_training_data(shared: Path) -> None:
    training = [p for p in SYNTHETIC.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES]
    for cohort in ("dev-cohort", "dev-cohort-2"):
        training += [p for p in (shared / cohort).glob("apr-*/portfolio/*") if p.suffix.lower() in TEXT_SUFFIXES]
    assert len(training) > 80
    seen = {_text_key(p) for p in training}
    for root in BLIND_SETS:
        leaked = [p.name for p in root.glob("*/*") if p.suffix.lower() in TEXT_SUFFIXES and _text_key(p) in seen]
        assert leaked == [], f"{root.name} pieces found in the training data: {leaked}"
    blind_ids = {r["apprentice_id"] for root in BLIND_SETS for r in _rows(root)}
    assert blind_ids.isdisjoint({r["apprentice_id"] for r in _rows(SYNTHETIC)})


def test_the_trainer_reads_no_blind_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("train_tagger", REPO / "bench" / "train_tagger.py")
    trainer = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "train_tagger", trainer)     # its dataclasses look themselves up there
    monkeypatch.setattr(sys, "path", list(sys.path))               # it puts src/ on the path
    spec.loader.exec_module(trainer)
    roots = [trainer.SYNTHETIC] + [trainer.SHARED / c for c in trainer.COHORTS]
    assert not any("blind" in part for root in roots for part in Path(root).parts)
