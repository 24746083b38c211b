"""The semantic tagger is the default for every standard, ST0071 included. The older lexical
tagger stays available for ST0071, for comparison: `scan --lexical`, `tag --lexical` or a
cohort's settings.yaml (`semantic_tagger: false`); a standard with no lexicon refuses it."""
from __future__ import annotations

import json
import shutil

from portfolio_check.cli import main


def _taggers(scan_json) -> set[str]:
    data = json.loads(scan_json.read_text(encoding="utf-8"))
    return {t for a in data["apprentices"] for e in a["evidence"] for s in e["suggestions"] for t in s["taggers"]}


def test_scan_defaults_to_semantic_and_lexical_is_a_flag_or_a_cohort_setting(samples, tmp_path):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    default = tmp_path / "default.json"
    main(["scan", str(cohort), "--json", str(default), "--as-of", "2025-03-17", "-q", "--no-cache"])
    assert _taggers(default) == {"semantic"}

    flagged = tmp_path / "flag.json"
    main(["scan", str(cohort), "--json", str(flagged), "--as-of", "2025-03-17", "-q", "--lexical"])
    assert "semantic" not in _taggers(flagged) and _taggers(flagged)

    (cohort / ".portfolio-check").mkdir(exist_ok=True)
    (cohort / ".portfolio-check" / "settings.yaml").write_text("semantic_tagger: false\n", encoding="utf-8")
    setting = tmp_path / "setting.json"
    main(["scan", str(cohort), "--json", str(setting), "--as-of", "2025-03-17", "-q"])   # cached run too
    assert _taggers(setting) == _taggers(flagged)
    # the command line wins over the cohort's setting, and the cache never serves one tagger's
    # results as the other's
    again = tmp_path / "again.json"
    main(["scan", str(cohort), "--json", str(again), "--as-of", "2025-03-17", "-q", "--semantic"])
    assert _taggers(again) == {"semantic"}


def test_tag_lexical_is_refused_for_a_standard_without_a_lexicon(samples, capsys):
    piece = next((samples / "cohort" / "apr-002" / "portfolio").glob("*.eml"))
    assert main(["tag", str(piece), "--standard", "OPS-MANAGER-L5", "--lexical"]) == 2
    assert "no lexicon" in capsys.readouterr().err
    assert main(["tag", str(piece), "--lexical", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["suggestions"] and all("semantic" not in s["taggers"] for s in data["suggestions"])


def test_scan_without_the_sentence_model_stops_with_the_fix(samples, tmp_path, monkeypatch, capsys):
    """A missing model is the installation's fault, not each file's: the scan exits 2 with the
    pip command, instead of reporting every piece as unreadable."""
    from portfolio_check.tagging import encoder
    monkeypatch.setattr(encoder, "_ENCODER", None)
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path / "nowhere"))
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    assert main(["scan", str(cohort), "-q", "--no-cache", "--jobs", "1", "--semantic"]) == 2
    err = capsys.readouterr().err
    assert "cannot suggest KSBs" in err and "pip install" in err and "unreadable" not in err


def test_retrained_fusion_weights_change_the_cache_fingerprint(monkeypatch):
    """Cached results were computed with one set of learned weights and one encoder backend:
    new weights, another model revision or another backend must miss."""
    import importlib.resources
    from portfolio_check import scan
    from portfolio_check.standards import load_standard
    from portfolio_check.tagging import TaggingConfig
    st, cfg = load_standard("ST0071"), TaggingConfig(semantic=True)
    before = scan.fingerprint(st, cfg)
    monkeypatch.setattr(scan, "MODEL_REVISION", "0" * 40)
    assert scan.fingerprint(st, cfg) != before
    monkeypatch.undo()
    monkeypatch.setenv("PORTFOLIO_CHECK_ENCODER", "numpy-fp32")     # another backend's vectors
    assert scan.fingerprint(st, cfg) != before


def test_a_setting_that_is_not_true_or_false_stops_the_scan(samples, tmp_path, capsys):
    # "no" in quotes is a string, not YAML's false: guessing either way would pick a tagger
    # the tutor did not ask for
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    (cohort / ".portfolio-check").mkdir()
    (cohort / ".portfolio-check" / "settings.yaml").write_text('semantic_tagger: "no"\n', encoding="utf-8")
    assert main(["scan", str(cohort), "-q", "--out", str(tmp_path / "out")]) == 2
    assert "semantic_tagger must be true or false" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
