"""A tutor can scan with the semantic tagger for ST0071 too: `scan --semantic` or a cohort's
settings.yaml (`semantic_tagger: true`); the default stays the calibrated lexical tagger."""
from __future__ import annotations

import json
import shutil

from portfolio_check.cli import main


def _taggers(scan_json) -> set[str]:
    data = json.loads(scan_json.read_text(encoding="utf-8"))
    return {t for a in data["apprentices"] for e in a["evidence"] for s in e["suggestions"] for t in s["taggers"]}


def test_scan_semantic_flag_and_cohort_setting(samples, tmp_path):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    default = tmp_path / "default.json"
    main(["scan", str(cohort), "--json", str(default), "--as-of", "2025-03-17", "-q", "--no-cache"])
    assert "semantic" not in _taggers(default)

    flagged = tmp_path / "flag.json"
    main(["scan", str(cohort), "--json", str(flagged), "--as-of", "2025-03-17", "-q", "--no-cache", "--semantic"])
    assert _taggers(flagged) == {"semantic"}

    (cohort / ".portfolio-check").mkdir(exist_ok=True)
    (cohort / ".portfolio-check" / "settings.yaml").write_text("semantic_tagger: true\n", encoding="utf-8")
    setting = tmp_path / "setting.json"
    main(["scan", str(cohort), "--json", str(setting), "--as-of", "2025-03-17", "-q"])   # cached run too
    assert _taggers(setting) == {"semantic"}
