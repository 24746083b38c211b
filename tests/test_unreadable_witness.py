"""A witness testimony that cannot be read still blocks gateway, but PC501 says it could not be
read, not that it has no signature, date or job title."""
import shutil

from portfolio_check import Workbench


def test_unreadable_witness_testimony_is_not_said_to_lack_a_signature(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    bad = cohort / "apr-002" / "portfolio" / "Witness statement (corrupt).docx"
    bad.write_bytes(b"PK\x03\x04 this is not a whole zip archive")
    apr = Workbench(cohort=cohort, jobs=1).scan_apprentice("apr-002")
    mine = [f for f in apr.findings if f.file == bad.name]
    codes = {f.code for f in mine}
    assert any(c.startswith("PC1") for c in codes)          # unreadable, said as such
    pc501 = [f.message for f in mine if f.code == "PC501"]
    assert pc501 and "could not be read" in pc501[0] and "has no signature" not in pc501[0]
    assert f"witness_incomplete:{bad.name}" in apr.reasons   # still blocks gateway
