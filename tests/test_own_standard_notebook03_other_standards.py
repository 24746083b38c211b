"""Notebook 03's check cell runs for a standard without a tolerance (OPS-MANAGER-L5), without a
report (TEAM-LEADER-L3) and for a provider's own standard folder (standards_dir parameter)."""
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
HERE = Path(__file__).parent / "own_standard"


def _cells():
    nb = json.loads((ROOT / "notebooks" / "03_project_report_check.ipynb").read_text(encoding="utf-8"))
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return code[0], code[1]


@pytest.mark.parametrize("standard,standards_dir", [("OPS-MANAGER-L5", None), ("TEAM-LEADER-L3", None),
                                                    ("HOSP-SUP-L3", str(HERE)), ("ST0071", None)])
def test_check_cell_runs(standard, standards_dir, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    params, check_cell = _cells()
    ns: dict = {}
    exec(params, ns)
    assert "standards_dir" in ns
    ns.update(standard=standard, standards_dir=standards_dir)
    exec(check_cell, ns)
    out = capsys.readouterr().out
    assert out.startswith("Assessed words:")
    if standard == "ST0071":
        assert "(limit 2,250-2,750): " in out
