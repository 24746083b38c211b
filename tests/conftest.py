"""Shared fixtures. ``../shared`` (beside the repo) holds the dev cohort, dev reports and test
corpora; tests read it by path and never copy it. It is present in CI; a missing folder is a
setup error, so those tests fail loudly rather than skip."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PORTFOLIO_CHECK_SHARED", REPO.parent / "shared"))
SAMPLES = REPO / "sample_evidence"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "dev-cohort").is_dir():
        pytest.fail(f"../shared is missing at {SHARED}: tests need the shared data folder beside the repo "
                    "(or PORTFOLIO_CHECK_SHARED pointing at it)")
    return SHARED


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


# Strict mode: a bug in portfolio-check raises instead of being reported as a damaged file
# (PC199), so a broken parser cannot pass the malformed-file tests. Set before any scan starts
# so worker processes and notebook kernels inherit it.
os.environ.setdefault("PORTFOLIO_CHECK_STRICT", "1")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture()
def chromium() -> str:
    """Debian's Chromium for the browser tests: missing in CI is a setup error, not a skip."""
    if not CHROMIUM:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed: .ci/run must apt-get install chromium")
        pytest.skip("chromium not installed on this machine")
    return CHROMIUM


@pytest.fixture()
def tesseract() -> str:
    """Debian's Tesseract for the OCR tests: missing in CI is a setup error, not a skip."""
    from portfolio_check.parse import ocr

    ocr.engine.cache_clear()
    found = ocr.engine()
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("tesseract is not installed: .ci/run must apt-get install tesseract-ocr tesseract-ocr-eng")
        pytest.skip("tesseract-ocr not installed on this machine")
    return found.path


@pytest.fixture()
def ocr_off(monkeypatch):
    """OCR turned off for one test, as PORTFOLIO_CHECK_OCR=0 does for a user."""
    from portfolio_check.parse import ocr

    monkeypatch.setenv("PORTFOLIO_CHECK_OCR", "0")
    ocr.engine.cache_clear()
    yield
    monkeypatch.undo()
    ocr.engine.cache_clear()
