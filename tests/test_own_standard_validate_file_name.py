"""`standards validate` must not say OK for a file that lookups by code can never find."""
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent / "own_standard"


def _validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "portfolio_check", "standards", "validate", str(path)],
                          capture_output=True, text=True, timeout=120)


def test_file_named_unlike_its_code_is_invalid(tmp_path):
    f = tmp_path / "hosp-sup.yaml"
    shutil.copy(HERE / "HOSP-SUP-L3.yaml", f)
    out = _validate(f)
    assert out.returncode == 2, out.stdout
    assert "code:" in out.stdout and "HOSP-SUP-L3.yaml" in out.stdout


def test_file_named_after_its_code_is_ok():
    out = _validate(HERE / "HOSP-SUP-L3.yaml")
    assert out.returncode == 0 and out.stdout.startswith("OK"), out.stdout
