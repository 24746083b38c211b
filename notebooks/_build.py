"""Write the tutor notebooks (run once; the .ipynb files are committed with their outputs).

    python notebooks/_build.py && python notebooks/_build.py --execute
"""
import sys
from pathlib import Path

import nbformat as nbf

HERE = Path(__file__).parent


def nb(cells):
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    out = []
    for kind, src, *tags in cells:
        cell = nbf.v4.new_markdown_cell(src) if kind == "md" else nbf.v4.new_code_cell(src)
        if tags:
            cell.metadata["tags"] = tags
        out.append(cell)
    book.cells = out
    return book


SETUP = ("from portfolio_check import Workbench\n"
         "from portfolio_check.notebook import open_cohort, show_whole_text\n"
         "from portfolio_check.plain import reason_with_code\n\n"
         "show_whole_text()   # reasons and messages in full, never cut with '...'\n"
         "cohort = open_cohort(cohort, scratch, workdir{apprentice})\n")

SCRATCH_PARAMS = ("scratch = True   # work on a fresh copy of the cohort (False: decide on the real one)\n"
                  "workdir = None   # where the copy goes (None: a new temporary folder)")

NOTEBOOKS = {
    "01_apprentice_gateway_check.ipynb": [
        ("md", "# Gateway check for one apprentice\n\nRead each piece with the sentences behind every KSB "
               "suggestion, **confirm** or **reject** it, add a KSB the tagger missed, take a decision back, "
               "and watch the verdict change. Every click is saved at once in the cohort's decision log "
               "(`<cohort>/.portfolio-check/decisions.jsonl`), with your name and the time.\n\n"
               "With `scratch = True` (the default, for the sample) the notebook works on a fresh copy of "
               "the cohort, so trying it out changes nothing; set `scratch = False` and `cohort` to your own "
               "cohort to record real decisions. Then *Run > Run All Cells*."),
        ("code", 'cohort = "sample_evidence/cohort"   # from the repository root, or an absolute path\n'
                 'apprentice = "apr-002"\n'
                 "tutor = None     # your name for the log (None: settings.yaml tutor:, else asked below)\n"
                 + SCRATCH_PARAMS, "parameters"),
        ("code", SETUP.format(apprentice=", apprentice") + "wb = Workbench(cohort=cohort, jobs=1)\n"
                 "# the whole cohort once, with a progress bar: a copy across apprentices blocks both\n"
                 "scan = wb.scan(progress=True)\n"
                 "report = wb.scan_apprentice(apprentice)   # from the scan's cache\n"
                 "print(f\"{report.id} ({report.name}): {report.readiness.label}, \"\n"
                 "      f\"{report.pieces} pieces, {report.months_on_programme} months on programme\")\n"
                 "for reason in report.reasons:\n    print('  -', reason_with_code(reason))"),
        ("md", "## Findings\n\nEvery finding has a stable code (see the README) and names the file it is about."),
        ("code", "findings = scan.findings\nfindings[findings.apprentice == apprentice][[\"file\", \"code\", \"severity\", \"message\"]]"),
        ("md", "## Review the evidence\n\nType your name once (or set `tutor:` in `<cohort>/.portfolio-check/settings.yaml`). "
               "Pick a piece on the left: highlighted sentences earned the suggestions listed under the text. "
               "Each suggestion has **Confirm**, **Reject** and, once decided, **Withdraw**; *Add KSB* searches the "
               "standard's KSBs; *Undo my last decision* takes back your latest one. Tab moves between the "
               "controls and Enter presses a button. The coverage panel shows each professional-discussion KSB "
               "as *confirmed* (by you), *suggested* (by the tagger) or *missing*."),
        ("code", "wb.review(apprentice, tutor=tutor)"),
        ("md", "## The decision log\n\nAll decisions on this cohort so far, oldest first (re-run this cell after "
               "clicking). `portfolio-check decisions export COHORT --out decisions.csv` writes them for an inspector."),
        ("code", "[(d.apprentice, d.file, d.ksb, d.action, d.who) for d in wb.decision_log().decisions()]"),
    ],
    "02_cohort_scan.ipynb": [
        ("md", "# Cohort scan\n\nWho is ready for gateway, who is not and exactly why, and where the KSB gaps are."),
        ("code", 'cohort = "sample_evidence/cohort"   # from the repository root, or an absolute path\n'
                 'as_of = None  # e.g. "2025-03-31"; None uses each gateway_date\n' + SCRATCH_PARAMS,
         "parameters"),
        ("code", "import datetime\n" + SETUP.format(apprentice="") + "wb = Workbench(cohort=cohort, jobs=1)\n"
                 "scan = wb.scan(as_of=datetime.date.fromisoformat(as_of) if as_of else None, progress=True)\nscan.verdicts"),
        ("md", "## KSB coverage\n\nPieces evidencing each professional-discussion KSB (suggested or confirmed); 0 is a gap."),
        ("code", "scan.coverage"),
        ("code", "fig = scan.plot_coverage()"),
        ("md", "## Why apprentices are not ready\n\nIn words, with the codes beside for filtering."),
        ("code", "scan.verdicts[~scan.verdicts.gateway_ready][[\"id\", \"why_not\", \"reasons\"]]"),
        ("md", "## Findings by code"),
        ("code", "scan.findings.groupby([\"code\", \"severity\"]).size().rename(\"findings\").reset_index()"),
        ("md", "## Dashboard"),
        ("code", "wb.cohort_view()"),
    ],
    "03_project_report_check.ipynb": [
        ("md", "# Project report check\n\nThe report's parts counted the way Microsoft Word counts, the limit "
               "applied to the parts the standard says, and the work-based-project KSBs each section evidences."),
        ("code", 'report = "sample_evidence/reports/project_report_draft.docx"   # from the repository root, or absolute\n'
                 'standard = "ST0071"\nstandards_dir = None   # a folder of your own standard files', "parameters"),
        ("code", "from portfolio_check import Workbench\nfrom portfolio_check.notebook import locate, show_whole_text\n\n"
                 "show_whole_text()\nwb = Workbench(standard=standard, standards_dir=standards_dir)\ncheck = wb.check_report(locate(report))\n"
                 "# a file that cannot be read (PC1xx) has nothing to count: say that, not \"OUTSIDE the limit\"\n"
                 "unread = [f for f in check.findings if f.code.startswith(\"PC1\") and f.severity.value == \"error\"]\n"
                 "lim = check.limit\n"
                 "if unread:\n    print(f\"{report} could not be read, so no word was counted and no KSB looked for:\")\n"
                 "elif lim is None:\n    print(f\"Assessed words: {check.assessed:,} (no word limit set by {standard})\")\n"
                 "else:\n    band = (f\"{lim.min_words:,}-{lim.max_words:,}\" if lim.min_words is not None else f\"at most {lim.max_words:,}\")\n"
                 "    print(f\"Assessed words: {check.assessed:,} (limit {band}): \"\n"
                 "          f\"{'within' if check.within else 'OUTSIDE'} the limit\")\n"
                 "if not unread:\n    print(\"Stated on the title page:\", check.parts.stated_word_count)\n"
                 "for f in check.findings:\n    print(f\"  [{f.code}] {f.message}\")"),
        ("code", "check.breakdown"),
        ("code", "fig = check.plot()"),
        ("md", "## Sections and KSBs\n\nAccepted suggestions per body section, then the work-based-project KSBs "
               "that no section evidences."),
        ("code", "check.sections_table"),
        ("code", 'print("Not evidenced by any section:",\n      "not checked: the report could not be read" if unread else " ".join(check.extra["ksbs_missing"]) or "none")'),
    ],
}

if __name__ == "__main__":
    for name, cells in NOTEBOOKS.items():
        path = HERE / name
        book = nb(cells)
        if "--execute" in sys.argv:
            from nbclient import NotebookClient
            NotebookClient(book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(HERE)}}).execute()
        nbf.write(book, path)
        print("wrote", path)
