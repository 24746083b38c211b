"""End to end in a real browser: JupyterLab on localhost, the notebooks opened in headless
Chromium (Debian's package, driven by Playwright for Python; no browser download). In notebook
01 a tutor reads the full code on a Confirm button, confirms, adds a KSB through the searchable
list and withdraws it; every line is in the log with the tutor's name, and the notebooks still
pass nbval afterwards beside the very sample folder the clicks were made on. Notebooks 02 and 03
draw their charts. Set PORTFOLIO_CHECK_SCREENSHOTS=docs to refresh the README's screenshots."""
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat

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


TUTOR = "Ms A. Patel"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]


def _set_parameter(notebook: Path, line: str) -> None:
    """Append a line to the notebook's parameters cell, as papermill would."""
    book = nbformat.read(notebook, as_version=4)
    cell = next(c for c in book.cells if "parameters" in c.metadata.get("tags", []))
    cell.source += "\n" + line
    nbformat.write(book, notebook)


def _run_all(page, url, token, notebook):
    page.goto(f"{url}/lab/tree/notebooks/{notebook}?token={token}")
    page.locator(".jp-Notebook").first.wait_for(timeout=90_000)
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for(timeout=120_000)   # kernel started
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_text("Run All Cells", exact=True).click()


def _screenshot(page, name):
    target = os.environ.get("PORTFOLIO_CHECK_SCREENSHOTS")
    if target:
        page.screenshot(path=str(Path(REPO) / target / name), full_page=False)


def _wait_for_log(log, n):
    deadline = time.time() + 60
    while time.time() < deadline and len(log.decisions()) < n:
        time.sleep(0.3)
    return log.decisions()


def test_review_in_jupyterlab_confirm_add_withdraw_logged_with_name(lab):
    from playwright.sync_api import sync_playwright

    url, token, root = lab
    scratch = root / "scratch"
    _set_parameter(root / "notebooks" / "01_apprentice_gateway_check.ipynb", f"workdir = {str(scratch)!r}")
    log = DecisionLog.for_cohort(scratch / "cohort")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        _run_all(page, url, token, "01_apprentice_gateway_check.ipynb")
        confirm = page.locator("button", has_text=re.compile(r"^Confirm [KSB]\d+: \w")).first
        confirm.wait_for(timeout=180_000)
        label = confirm.inner_text().strip()
        # the whole label is visible: not cut to "Confirm ..." by the button's width
        assert confirm.evaluate("b => b.scrollWidth <= b.clientWidth + 1")
        name = page.get_by_placeholder(re.compile("who is deciding"))
        name.fill(TUTOR)
        name.press("Tab")
        confirm.click()
        page.locator("text=Saved: confirm").first.wait_for(timeout=30_000)
        # add a KSB through the searchable list: nothing is recorded until a listed KSB is chosen
        picker = page.get_by_placeholder(re.compile("type a code or words"))
        choice = next(v for v in page.eval_on_selector_all("datalist option", "os => os.map(o => o.value)")
                      if v.startswith("K5:"))
        picker.fill(choice)
        picker.press("Enter")
        add = page.locator("button", has_text=re.compile(r"^Add$"))
        page.wait_for_function("b => !b.disabled", arg=add.element_handle(), timeout=30_000)
        add.click()
        page.locator("text=Saved: add K5").first.wait_for(timeout=30_000)
        withdraw = page.locator("button", has_text=re.compile(r"^Withdraw K5$")).first
        withdraw.wait_for(timeout=30_000)
        _screenshot(page, "review-widget.png")
        withdraw.click()
        page.locator("text=Saved: withdraw K5").first.wait_for(timeout=30_000)
        decisions = _wait_for_log(log, 3)
        browser.close()
    assert [(d.action, d.who) for d in decisions] == [("confirm", TUTOR), ("add", TUTOR), ("withdraw", TUTOR)]
    assert label.startswith(f"Confirm {decisions[0].ksb}: ") and decisions[0].apprentice == "apr-002"
    assert [d.ksb for d in decisions[1:]] == ["K5", "K5"] and all(d.sha256 and d.file for d in decisions)
    # the sample the notebook was opened beside is untouched, and nbval still passes next to it
    assert not (root / "sample_evidence" / "cohort" / ".portfolio-check" / "decisions.jsonl").exists()
    check = root / "notebooks-check"
    shutil.copytree(os.path.join(REPO, "notebooks"), check, ignore=shutil.ignore_patterns("_build.py"))
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
                           "--nbval-current-env", "--nbval-sanitize-with", str(check / "nbval_sanitize.cfg"),
                           str(check)], cwd=root, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, PYTHONPATH=os.path.join(REPO, "src")))
    assert proc.returncode == 0, proc.stdout[-3000:]


@pytest.mark.parametrize("notebook, shot", [("02_cohort_scan.ipynb", "notebook-02-cohort.png"),
                                            ("03_project_report_check.ipynb", "notebook-03-report.png")])
def test_charts_render_in_jupyterlab(lab, notebook, shot):
    from playwright.sync_api import sync_playwright

    url, token, _root = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1100})
        _run_all(page, url, token, notebook)
        img = page.locator(".jp-OutputArea-output img").first
        img.wait_for(timeout=180_000)
        img.scroll_into_view_if_needed()
        size = img.evaluate("i => [i.naturalWidth, i.naturalHeight]")
        _screenshot(page, shot)
        browser.close()
    assert size[0] > 300 and size[1] > 150                  # a drawn chart, not an empty output
