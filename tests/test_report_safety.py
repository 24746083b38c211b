"""Nothing an apprentice or customer wrote can run in a report, and an interrupted or attacked
write never leaves a fragment or a broken file behind.

* CSV and XLSX cells beginning with = + - @ (or tab/CR) are neutralised with a leading quote;
* the HTML report escapes file names, names, quotes and findings (Jinja2 autoescape) and, opened
  in headless Chromium, no planted script or handler has run;
* every report file is written atomically: Ctrl-C (KeyboardInterrupt) during the scan, inside a
  renderer or while the XLSX is saved leaves no temporary file in the temp or output folder and
  leaves a previous scan.json whole; a report path that is a planted link is refused, its target
  untouched.

tests/test_reports.py covers one interruption and one hostile scan; these add a hand-built model
(tests/report_fixtures.py) with script and formula text in every field, Ctrl-C at four points
(inside a renderer, in the scan, while the XLSX and the HTML page are saved) and planted links.
"""
from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tempfile

import pytest

from portfolio_check import Workbench
from portfolio_check.report import ReportWriter
from portfolio_check.report.cells import safe_cell as neutralise
from portfolio_check.safe_io import UnsafePathError

from report_fixtures import (FORMULA_FILE, FORMULA_QUOTE, PLUS_QUOTE, SCRIPT_FILE, SCRIPT_QUOTE, STANDARD,
                             hostile_report)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _write(out, temp=None, monkeypatch=None):
    apr, decisions = hostile_report()
    with ReportWriter(out, STANDARD, None, "hostile <cohort>", decisions=decisions) as w:
        w.add(apr)
    return {p.name: p for p in out.iterdir()}


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+44 1632", "'+44 1632"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("\uff1d1+1", "'\uff1d1+1"),
    ("plain text", "plain text"), ("a=b", "a=b"), (3, 3), (None, None), (True, True),
])
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_cells_that_would_be_formulas_start_with_a_quote(tmp_path):
    files = _write(tmp_path / "out")
    cells = [c for name in ("matrix.csv", "findings.csv", "apprentices.csv")
             for row in csv.reader(open(files[name], encoding="utf-8")) for c in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + FORMULA_FILE in cells and "'" + FORMULA_QUOTE in cells and "'" + PLUS_QUOTE in cells
    assert "'=Alex <b>Taylor</b>" in cells


def test_xlsx_cells_are_text_never_formulas(tmp_path):
    from openpyxl import load_workbook
    files = _write(tmp_path / "out")
    wb = load_workbook(files["referencing_matrix.xlsx"])
    values = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert values
    assert not [c.coordinate for c in values if c.data_type == "f"]           # no formula cell at all
    texts = [c.value for c in values if isinstance(c.value, str)]
    assert not [t for t in texts if t[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'" + FORMULA_QUOTE in texts and "'" + FORMULA_FILE in texts


def test_html_escapes_every_field(tmp_path):
    page = _write(tmp_path / "out")["report.html"].read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<img" not in page.lower() and "<b>taylor" not in page.lower()
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page


def _dump_dom(page, profile) -> str:
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout




def test_no_script_runs_in_chromium(tmp_path, chromium):
    page = _write(tmp_path / "out")["report.html"]
    dom = _dump_dom(page, tmp_path / "profile")
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title == "Gateway report: hostile &lt;cohort&gt;"
    assert "PWNED" not in title and "pwned=1" in dom            # shown as text, not run
    assert SCRIPT_QUOTE.replace("<", "&lt;").replace(">", "&gt;") in dom
    assert "<img" not in dom.lower()


def test_hostile_file_name_in_a_real_scan_is_shown_not_run(tmp_path, samples, chromium):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    port = cohort / "apr-001" / "portfolio"
    os.rename(port / "10_reflection_value_of_first_time_fix.txt", port / SCRIPT_FILE)
    os.rename(port / "06_cpd_log.md", port / "=1+2 cpd log.md")
    result = Workbench().scan(cohort, out_dir=tmp_path / "out", jobs=1, cache=False)
    dom = _dump_dom(result.outputs["html"], tmp_path / "profile")
    assert re.search(r"<title>Gateway report: cohort</title>", dom)
    assert "onerror=" in dom and "<img" not in dom.lower()
    rows = list(csv.reader(open(result.outputs["csv_matrix"], encoding="utf-8")))
    assert any(r[3] == "'=1+2 cpd log.md" for r in rows)


# -- atomic writes ------------------------------------------------------------------------------
@pytest.fixture()
def private_tmp(tmp_path, monkeypatch):
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def _two_apprentice_cohort(tmp_path, samples):
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    return cohort


def _assert_clean(out, temp, before: dict[str, bytes]):
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before   # nothing new, nothing changed
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("where", ["renderer", "scan", "xlsx_save", "html_save"])
def test_ctrl_c_leaves_no_fragment_and_no_broken_json(tmp_path, samples, private_tmp, monkeypatch, where):
    """Interrupt after the first apprentice's quotes are already in every temporary file."""
    cohort = _two_apprentice_cohort(tmp_path, samples)
    out = tmp_path / "out"
    out.mkdir()
    (out / "scan.json").write_text('{"old": "complete"}\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    calls = {"n": 0}

    def interrupt_on_second(original):
        def wrapper(*a, **k):
            calls["n"] += 1
            if calls["n"] == 2:
                raise KeyboardInterrupt
            return original(*a, **k)
        return wrapper

    import portfolio_check.report.html as html_mod
    if where == "renderer":
        monkeypatch.setattr(html_mod, "render_section", interrupt_on_second(html_mod.render_section))
    elif where == "scan":
        import portfolio_check.scan as scan_mod
        real = scan_mod.iter_scan

        def iter_then_interrupt(*a, **k):
            for i, apr in enumerate(real(*a, **k)):
                if i == 1:
                    raise KeyboardInterrupt
                yield apr
        monkeypatch.setattr(scan_mod, "iter_scan", iter_then_interrupt)
    elif where == "xlsx_save":
        from openpyxl.workbook.workbook import Workbook

        def boom(self, fh):
            fh.write(b"PK\x03\x04 half a zip")
            raise KeyboardInterrupt
        monkeypatch.setattr(Workbook, "save", boom)
    else:
        real_stylesheet = html_mod.stylesheet
        monkeypatch.setattr(html_mod, "stylesheet", interrupt_on_second(real_stylesheet))
        calls["n"] = 1
    with pytest.raises(KeyboardInterrupt):
        Workbench().scan(cohort, out_dir=out, jobs=1, cache=False)
    _assert_clean(out, private_tmp, before)
    assert json.loads((out / "scan.json").read_text(encoding="utf-8")) == {"old": "complete"}


def test_a_finished_scan_leaves_only_its_reports(tmp_path, samples, private_tmp):
    cohort = _two_apprentice_cohort(tmp_path, samples)
    result = Workbench().scan(cohort, out_dir=tmp_path / "out", jobs=1, cache=False)
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["apprentices.csv", "findings.csv", "matrix.csv", "referencing_matrix.xlsx", "report.html",
                     "scan.json"]
    assert list(private_tmp.iterdir()) == []
    json.loads(result.outputs["json"].read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["report.html", "scan.json", "matrix.csv", "referencing_matrix.xlsx"])
def test_a_planted_link_is_never_written_through(tmp_path, name):
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "tutor_notes.txt"
    victim.write_text("my own notes\n", encoding="utf-8")
    (out / name).symlink_to(victim)
    with pytest.raises(UnsafePathError):
        _write(out)
    assert victim.read_text(encoding="utf-8") == "my own notes\n"
    assert (out / name).is_symlink()
    assert [p.name for p in out.iterdir()] == [name]       # no temporary file left beside it


def test_the_stylesheet_is_not_html_escaped(tmp_path):
    """Autoescaping the <style> block turns the font names' quotes into &#34;, which CSS does not
    decode: the page silently loses its fonts."""
    page = _write(tmp_path / "out")["report.html"].read_text(encoding="utf-8")
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "&#34;" not in style and "&quot;" not in style and '"Segoe UI"' in style
