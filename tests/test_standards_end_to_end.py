"""Every standard end to end: apprentices naming OPS-MANAGER-L5 and a standard written in a
temporary folder, in one mixed cohort, scan to verdicts, a matrix and every report."""
import json
import shutil
from pathlib import Path

import yaml

from portfolio_check import Workbench
from portfolio_check.cli import main
from portfolio_check.models import Readiness
from portfolio_check.standards import load_standard_file

SAMPLES = Path(__file__).resolve().parent.parent / "sample_evidence"
PACKAGED = Path(__file__).resolve().parent.parent / "src" / "portfolio_check" / "standards"


def _cohort(tmp_path: Path) -> tuple[Path, Path]:
    std_dir = tmp_path / "my-standards"
    std_dir.mkdir()
    data = yaml.safe_load((PACKAGED / "ST0071.yaml").read_text(encoding="utf-8"))
    data["code"] = "TMP-CS-L3"
    data["title"] = "A provider's own customer service standard"
    data["gateway"]["portfolio"]["max_pieces"] = 12
    (std_dir / "TMP-CS-L3.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    cohort = tmp_path / "cohort"
    for aid, code in (("apr-ops", "OPS-MANAGER-L5"), ("apr-tmp", "TMP-CS-L3"), ("apr-cs", "ST0071")):
        shutil.copytree(SAMPLES / "cohort" / "apr-001", cohort / aid)
        rec = cohort / aid / "apprentice.yaml"
        rec.write_text(rec.read_text(encoding="utf-8").replace("standard: ST0071", f"standard: {code}"),
                       encoding="utf-8")
    return cohort, std_dir


def test_mixed_cohort_with_ops_manager_and_a_folder_standard_runs_end_to_end(tmp_path):
    cohort, std_dir = _cohort(tmp_path)
    out = tmp_path / "out"
    result = Workbench(standards_dir=std_dir).scan(cohort, jobs=1, cache=False, out_dir=out)
    by_id = {a.id: a for a in result.apprentices}
    assert {a.id: a.standard for a in result.apprentices} == {
        "apr-ops": "OPS-MANAGER-L5", "apr-tmp": "TMP-CS-L3", "apr-cs": "ST0071"}
    # OPS-MANAGER maps no KSB to a method: never "ready" on coverage it cannot check.
    assert by_id["apr-ops"].readiness is not Readiness.READY
    assert any(f.code == "PC405" for f in by_id["apr-ops"].findings)
    # The folder standard's own rule applies: 11 pieces against its maximum of 12 is fine.
    assert not any(r.startswith("evidence_count") for r in by_id["apr-tmp"].reasons)
    assert len(result.matrix) > 0 and set(result.verdicts["id"]) == set(by_id)
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert {a["id"]: a["standard"] for a in data["apprentices"]}["apr-tmp"] == "TMP-CS-L3"
    for name in ("report.html", "referencing_matrix.xlsx", "apprentices.csv", "matrix.csv"):
        assert (out / name).stat().st_size > 0, name


def test_scan_and_report_take_standards_dir(tmp_path, capsys):
    cohort, std_dir = _cohort(tmp_path)
    code = main(["scan", str(cohort), "--standards-dir", str(std_dir), "--out", str(tmp_path / "o"), "-q",
                 "--jobs", "1", "--no-cache"])
    assert code in (1, 3)
    assert "apr-tmp" in capsys.readouterr().out
    assert main(["report", str(SAMPLES / "reports" / next(p.name for p in (SAMPLES / "reports").iterdir()
                                                         if p.suffix == ".docx")),
                 "--standard", "TMP-CS-L3", "--standards-dir", str(std_dir), "--json"]) in (0, 1)
    assert json.loads(capsys.readouterr().out)["limit"]["target"] == 2500


def test_every_packaged_standard_validates():
    for path in PACKAGED.glob("*.yaml"):
        load_standard_file(path)
