"""The three gateway states (ready / ready pending review / not ready) read the same in every
report file: a verdict that rests on suggestions no tutor confirmed must never print as plain
"ready" in the HTML, the workbook or the CSV while the JSON says pending."""
from __future__ import annotations

import csv
import json
import re
import shutil

from portfolio_check import Workbench


def test_pending_reads_the_same_in_json_csv_html_and_xlsx(tmp_path, samples):
    from openpyxl import load_workbook
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    result = Workbench().scan(cohort, out_dir=tmp_path / "out", jobs=1, cache=False, as_of=None)
    data = {a["id"]: a for a in json.loads(result.outputs["json"].read_text(encoding="utf-8"))["apprentices"]}
    states = {k: a["readiness"] for k, a in data.items()}
    assert "ready pending review" in states.values() and "not ready" in states.values()
    pending_id = next(k for k, v in states.items() if v == "ready pending review")
    pending_ksbs = data[pending_id]["pending"]
    assert pending_ksbs

    rows = {r["id"]: r for r in csv.DictReader(open(result.outputs["csv_apprentices"], encoding="utf-8"))}
    assert {k: r["readiness"] for k, r in rows.items()} == states
    assert rows[pending_id]["pending"].split() == pending_ksbs

    wb = load_workbook(result.outputs["xlsx"])
    verdicts = {r[0]: r[2] for r in wb["Cohort"].iter_rows(min_row=2, values_only=True)}
    assert verdicts[pending_id] == f"Ready pending review: {' '.join(pending_ksbs)} not yet confirmed by a tutor"

    page = result.outputs["html"].read_text(encoding="utf-8")
    overview = page.split('id="overview"', 1)[1].split("</table>", 1)[0]
    assert re.search(rf'<tr class="pending"><td><a href="#apr-{pending_id}">', overview)
    assert "<td>ready pending review</td>" in overview
    section = page.split(f'id="apr-{pending_id}"', 1)[1][:600]
    assert 'data-readiness="ready pending review"' in section and "Ready pending review" in section
    assert "pending review" in page.split('id="summary"', 1)[1][:200]
