"""The review widget's partial scan (Workbench.scan_apprentice) sees a copy across apprentices
exactly as the full scan does, whatever is in the cache and in whichever order they run."""
import shutil

from portfolio_check import Workbench


def test_scan_apprentice_sees_a_cross_apprentice_copy_on_a_fresh_cohort(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    shutil.copy(cohort / "apr-001" / "portfolio" / "02_reflective_account_authority_and_cost.docx",
                cohort / "apr-002" / "portfolio" / "my_reflective_account.docx")
    wb = Workbench(cohort=cohort, jobs=1)
    first = wb.scan_apprentice("apr-001")                 # notebook 01's first cell: nothing cached yet
    full = {a.id: a for a in wb.scan().apprentices}
    again = wb.scan_apprentice("apr-001")                 # the widget, after the full scan
    want = "duplicate:02_reflective_account_authority_and_cost.docx"
    assert want in full["apr-001"].reasons
    assert want in first.reasons and want in again.reasons
    assert first.readiness == again.readiness == full["apr-001"].readiness


def test_a_cached_partial_verdict_is_not_reused_after_another_apprentice_changes(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    wb = Workbench(cohort=cohort, jobs=1)
    assert not any(r.startswith("duplicate") for r in wb.scan_apprentice("apr-001").reasons)
    shutil.copy(cohort / "apr-001" / "portfolio" / "02_reflective_account_authority_and_cost.docx",
                cohort / "apr-002" / "portfolio" / "my_reflective_account.docx")
    assert any(r.startswith("duplicate") for r in wb.scan_apprentice("apr-001").reasons)
