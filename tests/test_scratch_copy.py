"""scratch_copy never removes the real cohort, whatever workdir a tutor types."""
import os
import shutil

import pytest

from portfolio_check.notebook import scratch_copy


@pytest.mark.parametrize("workdir", [".", "cohort", "cohort/apr-002"])
def test_workdir_at_or_around_the_cohort_is_refused_and_the_cohort_kept(tmp_path, samples, monkeypatch, workdir):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    log = cohort / ".portfolio-check" / "decisions.jsonl"
    log.parent.mkdir()
    log.write_text('{"action": "confirm"}\n')
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="on top of the cohort"):
        scratch_copy("cohort", workdir)
    assert (cohort / "apr-002" / "portfolio" / "cpd_notes.md").is_file()
    assert log.read_text() == '{"action": "confirm"}\n'


def test_a_separate_workdir_still_gets_a_fresh_copy(tmp_path, samples, monkeypatch):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    copy = scratch_copy(cohort, tmp_path / "work")
    assert copy == tmp_path / "work" / "cohort" and (copy / "apr-001").is_dir()
    assert scratch_copy(cohort, tmp_path / "work") == copy      # a re-run replaces the old copy
