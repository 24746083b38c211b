"""Duplicates across apprentices: both members of a pair are flagged, each naming the other.

The scan streams apprentices one at a time, so before the two-pass scan the apprentice scanned
first had already been reported when the copy turned up, and only the second was flagged. A
tutor needs both: either apprentice may have copied, and the EPAO will reject both pieces.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from docx_builder import build, p
from pdf_builder import one_page_pdf
from portfolio_check.api import Workbench
from portfolio_check.cli import main

SAMPLES = Path(__file__).resolve().parent.parent / "sample_evidence" / "cohort"

PARAGRAPHS = [
    "On the Tuesday of the boiler outage I took a call from a tenant whose heating had failed for the third time",
    "that month. I checked the repairs history before promising anything and saw two earlier visits marked as",
    "complete with no parts ordered, so I raised the case with the repairs supervisor and asked for a senior",
    "engineer with the part on the van. I agreed a morning slot with the tenant and explained why the earlier",
    "visits had not fixed the fault, then set a reminder to call her back after the visit to confirm the repair",
    "held. The engineer replaced the diverter valve and the heating stayed on. When I reflected on it afterwards",
    "I saw that reading the history first saved a fourth wasted visit and that being honest about the earlier",
    "failures kept her trust in the team. I now check the history on every repeat repairs call and share the",
    "pattern with my team leader when the same fault comes back, which has cut repeat visits on my cases.",
]


def _pdf(lines: list[str]) -> bytes:
    ops = [b"BT /F1 10 Tf 40 760 Td 12 TL"]
    for line in lines:
        esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops.append(b"(%s) Tj T*" % esc.encode("latin-1"))
    ops.append(b"ET")
    return one_page_pdf(b"\n".join(ops))


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("cross") / "cohort"
    shutil.copytree(SAMPLES, root)
    a, b = root / "apr-001" / "portfolio", root / "apr-002" / "portfolio"
    build(a / "13_reflection_boiler_outage.docx", "".join(p(t) for t in PARAGRAPHS))
    shutil.copy(a / "13_reflection_boiler_outage.docx", b / "boiler_outage.docx")          # exact copy
    # The edited near-copy across formats: apr-001's reflection as DOCX (the TXT original moved
    # out so it is not a copy within apr-001), apr-002's edited version as PDF.
    txt = a / "10_reflection_value_of_first_time_fix.txt"
    words = txt.read_text(encoding="utf-8").split()
    txt.unlink()
    chunks = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    build(a / "10_reflection_value_of_first_time_fix.docx", "".join(p(c) for c in chunks))
    edited = words[:-6] + "which is why I now check this on every call.".split()
    (b / "first time fix reflection.pdf").write_bytes(
        _pdf([" ".join(edited[i:i + 12]) for i in range(0, len(edited), 12)]))
    return root


def _findings(report, code: str) -> list[str]:
    return [f.message for f in report.findings if f.code == code]


def test_both_apprentices_are_flagged_naming_the_other(cohort):
    result = Workbench().scan(cohort, jobs=1, cache=False)
    first, second = result.apprentice("apr-001"), result.apprentice("apr-002")
    # The exact copy: the apprentice scanned first is flagged too, naming the other's file.
    assert "duplicate:13_reflection_boiler_outage.docx" in first.reasons
    assert "duplicate:boiler_outage.docx" in second.reasons
    assert any("boiler_outage.docx (apr-002)" in m for m in _findings(first, "PC701"))
    assert any("13_reflection_boiler_outage.docx (apr-001)" in m for m in _findings(second, "PC701"))
    # The edited copy saved as PDF: a near duplicate, again on both sides.
    assert any("first time fix reflection.pdf (apr-002)" in m for m in _findings(first, "PC702"))
    assert any("10_reflection_value_of_first_time_fix.docx (apr-001)" in m for m in _findings(second, "PC702"))
    assert "duplicate:first time fix reflection.pdf" in second.reasons
    assert "duplicate:10_reflection_value_of_first_time_fix.docx" in first.reasons


def test_cached_rescan_and_one_apprentice_rescan_keep_both_sides(cohort):
    """The widget re-checks one apprentice at a time: the first one still hears of the copy in
    the apprentice after it (from the cache, nothing else parsed), as in a full scan."""
    wb = Workbench()
    full = wb.scan(cohort, jobs=1)                 # fills the cache
    again = wb.scan(cohort, jobs=1)                # every verdict from the cache
    for res in (full, again):
        assert "duplicate:13_reflection_boiler_outage.docx" in res.apprentice("apr-001").reasons
        assert "duplicate:boiler_outage.docx" in res.apprentice("apr-002").reasons
    assert "duplicate:13_reflection_boiler_outage.docx" in wb.scan_apprentice("apr-001", cohort).reasons
    assert "duplicate:boiler_outage.docx" in wb.scan_apprentice("apr-002", cohort).reasons


def test_scan_json_and_cli_name_both(cohort, tmp_path, capsys):
    out = tmp_path / "scan.json"
    main(["scan", str(cohort), "--json", str(out), "--out", str(tmp_path / "o"), "-q", "--jobs", "1", "--no-cache"])
    printed = capsys.readouterr().out
    data = {a["id"]: a for a in json.loads(out.read_text(encoding="utf-8"))["apprentices"]}
    assert "duplicate:13_reflection_boiler_outage.docx" in data["apr-001"]["reasons"]
    assert "duplicate:boiler_outage.docx" in data["apr-002"]["reasons"]
    assert "13_reflection_boiler_outage.docx" in printed and "boiler_outage.docx" in printed
