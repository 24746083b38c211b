"""docs/writing-a-standard.md shows a complete standard file: it must stay one that loads,
validates and drives the tagger, or the page a provider copies from is wrong."""
import re
import subprocess
import sys
from pathlib import Path

from portfolio_check.models import Block, Role
from portfolio_check.standards import load_standard_file

DOC = Path(__file__).resolve().parents[1] / "docs" / "writing-a-standard.md"


def _example(tmp_path: Path) -> Path:
    (block,) = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    path = tmp_path / "HOSP-SUP-L3.yaml"
    path.write_text(block, encoding="utf-8")
    return path


def test_the_documented_example_is_a_valid_standard(tmp_path):
    st = load_standard_file(_example(tmp_path), revalidate=True)
    assert st.code == "HOSP-SUP-L3" and [k.code for k in st.ksbs] == ["K1", "S1", "B1"]
    assert list(st.portfolio_ksbs) == ["S1", "B1"]
    assert st.report_method is None and st.observation_requires == ("observer", "date", "observer_role")
    out = subprocess.run([sys.executable, "-m", "portfolio_check", "standards", "validate", "--dir", str(tmp_path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "INVALID" not in out.stdout, out.stdout + out.stderr


def test_the_documented_example_gets_ranked_suggestions(tmp_path):
    from portfolio_check.tagging import TaggingConfig
    from portfolio_check.tagging.engine import TaggingEngine
    st = load_standard_file(_example(tmp_path))
    result = TaggingEngine(st, TaggingConfig(semantic=True)).tag_blocks(
        [Block(Role.PARAGRAPH, "I planned the staff rota for December so we covered the forecast covers "
                               "without going over the labour budget.")])
    best = max(result.suggestions, key=lambda s: s.score)
    assert best.ksb == "S1" and best.quotes
