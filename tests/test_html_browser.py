"""The HTML report opens in a real browser (headless Chromium from Debian's package) with no
server, and shows the verdicts, reasons and matrix a tutor needs."""
import os
import re
import shutil
import subprocess

import pytest

from portfolio_check import Workbench

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, samples):
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
        pytest.skip("chromium not installed on this machine")
    work = tmp_path_factory.mktemp("html")
    cohort = work / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    result = Workbench().scan(cohort, out_dir=work / "out", jobs=1, cache=False)
    page = result.outputs["html"]
    profile = work / "profile"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={profile}", "--virtual-time-budget=2000", "--dump-dom", page.as_uri()]
    dom = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    png = work / "report.png"
    subprocess.run([*cmd[:-2], f"--screenshot={png}", "--window-size=1300,1600", page.as_uri()],
                   capture_output=True, timeout=120)
    return dom, png


def test_overview_renders_verdicts(rendered):
    dom, _ = rendered
    assert re.search(r'id="summary"[^>]*>1 of 2 ready<', dom)
    overview = dom.split('id="overview"', 1)[1].split("</table>", 1)[0]
    assert "apr-001" in overview and "apr-002" in overview
    assert overview.count("not ready") == 1


def test_sections_show_reasons_and_matrix(rendered):
    dom, _ = rendered
    section = dom.split('id="apr-apr-002"', 1)[1]
    assert 'data-verdict="not-ready"' in section[:400]
    assert "maths_missing" in section and "pii:FW_complaint_about_bill.eml" in section
    ready = dom.split('id="apr-apr-001"', 1)[1].split("</section>", 1)[0]
    assert 'data-verdict="ready"' in ready
    header = ready.split('class="matrix"', 1)[1].split("</tr>", 1)[0]
    assert all(f">{k}<" in header for k in ("K2", "K5", "K7", "S8", "B8"))
    assert ready.count("&#10003;") + ready.count("✓") >= 13


def test_screenshot_is_a_real_page(rendered):
    _, png = rendered
    assert png.exists() and png.stat().st_size > 20_000
