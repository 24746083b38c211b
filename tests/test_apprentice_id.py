"""Decisions follow the apprentice, not the folder: with ``id:`` in apprentice.yaml a renamed
folder keeps its decisions, and a tutor is told when the id and the folder name disagree."""
import shutil

import pytest

from portfolio_check import Workbench
from portfolio_check.cli import main
from portfolio_check.discover import discover


@pytest.fixture()
def cohort(tmp_path, samples):
    target = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", target, ignore=shutil.ignore_patterns(".portfolio-check"))
    rec = target / "apr-002" / "apprentice.yaml"
    rec.write_text("id: apr-002\n" + rec.read_text(encoding="utf-8"), encoding="utf-8")
    return target


def test_renamed_folder_keeps_its_decisions(cohort, capsys):
    wb = Workbench(cohort=cohort, jobs=1)
    wb.decide("apr-002", "team_meeting_notes.docx", "K5", "add", note="ran the huddle", who="T")
    before = wb.scan_apprentice("apr-002")
    assert before.coverage["K5"] == ("team_meeting_notes.docx",)
    (cohort / "apr-002").rename(cohort / "apr-002 Sam Okafor")          # the folder is renamed
    after = wb.scan_apprentice("apr-002")
    assert after.coverage["K5"] == ("team_meeting_notes.docx",) and after.decisions_applied == before.decisions_applied
    assert not any("K5" in r for r in after.reasons if r.startswith("ksb_uncovered"))
    note = [f for f in after.findings if f.code == "PC590"]
    assert note and "apr-002 Sam Okafor" in note[0].message and note[0].severity.value == "info"
    assert after.readiness == before.readiness                          # a note, not a blocker
    # the widget and the CLI reach the renamed folder by the id
    from portfolio_check.widgets import ReviewWidget
    rw = ReviewWidget(wb, cohort, "apr-002", tutor="T")
    rw.pieces.value = "team_meeting_notes.docx"
    assert "<mark>" in rw.text.value or "team_meeting_notes.docx" in rw.text.value
    assert main(["decide", str(cohort), "apr-002", "cpd_notes.md", "B1", "confirm", "--by", "T"]) == 0
    capsys.readouterr()
    assert "cpd_notes.md" in wb.scan_apprentice("apr-002").coverage["B1"]


def test_without_an_id_the_folder_name_is_the_id(cohort):
    ids = {f.id: f.folder_name for f in discover(cohort)}
    assert ids == {"apr-001": "apr-001", "apr-002": "apr-002"}
    apr = Workbench(cohort=cohort, jobs=1).scan_apprentice("apr-001")
    assert not [f for f in apr.findings if f.code == "PC590"]


def test_two_folders_claiming_one_id_do_not_share_decisions(cohort):
    rec = cohort / "apr-001" / "apprentice.yaml"
    rec.write_text("id: apr-002\n" + rec.read_text(encoding="utf-8"), encoding="utf-8")
    ids = sorted(f.id for f in discover(cohort))
    assert ids == ["apr-001", "apr-002"]
