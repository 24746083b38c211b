"""Per-file budgets (PC138) and internal errors (PC199, strict mode) - issue 10 items 4 and 8."""
from __future__ import annotations

import json
import shutil
import time

import pytest

from portfolio_check import budget
from portfolio_check.cli import main
from portfolio_check.parse import _REGISTRY, parse_file
from portfolio_check.parse.sniff import Kind


def test_time_budget_interrupts_a_runaway_step():
    start = time.monotonic()
    with pytest.raises(budget.OverBudget):
        with budget.time_budget(0.2):
            while True:          # a parser stuck in a loop
                pass
    assert time.monotonic() - start < 10
    with budget.time_budget(5):  # and a step inside its budget is untouched
        assert sum(range(1000)) == 499500


def test_oversized_text_gives_one_finding_and_the_scan_goes_on(samples, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "uc"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "ud"))
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    huge = cohort / "apr-001" / "portfolio" / "12_padding.txt"
    line = "I reviewed the repairs budget with my manager and the team.\n"
    huge.write_text(line * (budget.MAX_TAG_CHARS // len(line) + 10), encoding="utf-8")
    out = tmp_path / "scan.json"
    main(["scan", str(cohort), "--quiet", "--jobs", "1", "--no-cache", "--json", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    apr = {a["id"]: a for a in data["apprentices"]}
    ev = next(e for e in apr["apr-001"]["evidence"] if e["file"] == "12_padding.txt")
    assert [f["code"] for f in ev["findings"]] == ["PC138"]
    assert not ev["suggestions"]
    others = [e for e in apr["apr-001"]["evidence"] if e["file"] != "12_padding.txt"]
    assert others and any(e["suggestions"] for e in others)            # the rest was analysed
    assert len(apr) == 2


def _broken_parser(path, head):
    """A bug inside our package: a method called on the wrong value (AttributeError in models.py)."""
    from portfolio_check.models import Location
    return Location.describe(None)


def test_a_bug_is_pc199_not_a_damaged_file_and_strict_mode_raises(tmp_path, monkeypatch):
    f = tmp_path / "note.txt"
    f.write_text("A reflective note about the rota.", encoding="utf-8")
    monkeypatch.setitem(_REGISTRY, Kind.TEXT, _broken_parser)
    monkeypatch.setenv("PORTFOLIO_CHECK_STRICT", "1")
    with pytest.raises(AttributeError):
        parse_file(f)
    monkeypatch.setenv("PORTFOLIO_CHECK_STRICT", "0")
    doc = parse_file(f)
    assert [x.code for x in doc.findings] == ["PC199"]
    assert "please report it" in doc.findings[0].message and "not in the file" in doc.findings[0].message


def test_a_library_choking_on_bad_bytes_is_still_a_damaged_file(tmp_path, monkeypatch):
    import zipfile

    def library_fails(path, head):
        zipfile.ZipFile(path)          # raises inside the standard library: the file's fault
    f = tmp_path / "note.txt"
    f.write_text("not a zip", encoding="utf-8")
    monkeypatch.setitem(_REGISTRY, Kind.TEXT, library_fails)
    monkeypatch.setenv("PORTFOLIO_CHECK_STRICT", "1")
    assert [x.code for x in parse_file(f).findings] == ["PC104"]


def test_the_suite_runs_in_strict_mode():
    import os
    from portfolio_check.parse import strict
    assert os.environ.get("PORTFOLIO_CHECK_STRICT") == "1" and strict()
