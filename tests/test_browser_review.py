"""End to end in a real browser: JupyterLab on localhost, notebook 01 opened in headless
Chromium (Debian's package, driven by Playwright for Python; no browser download), a
suggestion confirmed by a click, and the decision found in the cohort's log."""
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from portfolio_check.store import DecisionLog

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def lab(tmp_path):
    pytest.importorskip("playwright.sync_api")
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
        pytest.skip("chromium not installed")
    root = tmp_path / "workspace"
    shutil.copytree(os.path.join(REPO, "notebooks"), root / "notebooks", ignore=shutil.ignore_patterns("_build.py"))
    shutil.copytree(os.path.join(REPO, "sample_evidence"), root / "sample_evidence",
                    ignore=shutil.ignore_patterns(".portfolio-check", "_build"))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path / "jcfg"), JUPYTER_RUNTIME_DIR=str(tmp_path / "jrt"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-ws"))
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
                             f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                             "--ServerApp.allow_root=True"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        proc.kill()
        pytest.fail("JupyterLab did not start")
    yield url, token, root
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def test_confirm_click_in_jupyterlab_is_logged(lab):
    from playwright.sync_api import sync_playwright

    url, token, root = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                    args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                                          "--disable-background-networking", "--disable-component-update",
                                          "--disable-sync"])
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        page.goto(f"{url}/lab/tree/notebooks/01_apprentice_gateway_check.ipynb?token={token}")
        page.locator(".jp-Notebook").first.wait_for(timeout=90_000)
        page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=120_000)   # kernel started
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_text("Run All Cells", exact=True).click()
        confirm = page.locator("button", has_text=re.compile(r"^Confirm [KSB]\d+$")).first
        confirm.wait_for(timeout=180_000)
        label = confirm.inner_text().strip()
        confirm.click()
        log = DecisionLog.for_cohort(root / "sample_evidence" / "cohort")
        deadline = time.time() + 60
        while time.time() < deadline and not log.decisions():
            time.sleep(0.5)
        page.locator("text=Saved: confirm").first.wait_for(timeout=30_000)
        page.screenshot(path=str(root / "review-widget.png"), full_page=False)
        browser.close()
    decisions = log.decisions()
    assert len(decisions) == 1
    d = decisions[0]
    assert d.apprentice == "apr-002" and d.action == "confirm" and label == f"Confirm {d.ksb}"
    assert d.sha256 and d.file
