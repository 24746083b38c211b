"""Start-up time of the CLI as ratios to a bare Python doing comparable work, measured in one run.

    python bench/startup.py [--runs N] [--report FILE]

Prints, each as the median of N runs (default 15) of a fresh process:
  * ``python -c "import portfolio_check.cli"`` and ``portfolio-check --version`` as a ratio to
    ``python -c "import yaml, json, argparse"`` (issue 11 target: at most 3x);
  * ``portfolio-check report FILE --json`` as a ratio to a bare ``parse_file(FILE)`` of the same
    file (target: at most 2x).
It also lists any heavy module (jsonschema, spaCy, pandas, openpyxl, numpy) that
``import portfolio_check.cli`` loads: there should be none. Run it with the source you want
measured first on PYTHONPATH (``PYTHONPATH=src python bench/startup.py``).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEAVY = ("jsonschema", "spacy", "pandas", "openpyxl", "numpy", "thinc", "tqdm", "jinja2")


def timed(cmds: dict[str, list[str]], runs: int) -> dict[str, float]:
    """Median wall time of each command, run round-robin so a busy machine slows all alike."""
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            t = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            times[name].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in times.items()}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--report", default=str(REPO / "sample_evidence" / "reports" / "project_report_draft.docx"))
    args = p.parse_args()
    py = sys.executable
    script = shutil.which("portfolio-check", path=str(Path(py).parent)) or shutil.which("portfolio-check")
    cli = [script] if script and "shims" not in script else [py, "-m", "portfolio_check.cli"]
    t = timed({"base": [py, "-c", "import yaml, json, argparse"],
               "import": [py, "-c", "import portfolio_check.cli"],
               "version": cli + ["--version"],
               "parse": [py, "-c", f"from portfolio_check.parse import parse_file; parse_file({args.report!r})"],
               "report": cli + ["report", args.report, "--json"]}, args.runs)
    base, imp, ver, parse, rep = t["base"], t["import"], t["version"], t["parse"], t["report"]
    loaded = subprocess.run([py, "-c", "import sys, portfolio_check.cli; print(' '.join(sorted({m.split('.')[0] "
                             "for m in sys.modules})))"], capture_output=True, text=True).stdout.split()
    heavy = [m for m in HEAVY if m in loaded]
    print(f"python {sys.version.split()[0]}, {args.runs} runs each (median), cli = {' '.join(Path(c).name for c in cli)}")
    print(f"  import yaml, json, argparse      {base * 1000:8.0f} ms   1.00x")
    print(f"  import portfolio_check.cli       {imp * 1000:8.0f} ms   {imp / base:4.2f}x   (target <= 3x)")
    print(f"  portfolio-check --version        {ver * 1000:8.0f} ms   {ver / base:4.2f}x   (target <= 3x)")
    print(f"  bare parse_file(report)          {parse * 1000:8.0f} ms   1.00x")
    print(f"  portfolio-check report --json    {rep * 1000:8.0f} ms   {rep / parse:4.2f}x   (target <= 2x)")
    print(f"  heavy modules loaded by import portfolio_check.cli: {', '.join(heavy) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
