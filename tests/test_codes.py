"""The code catalogue is the one source of codes: README tables generated from it, every code
the package emits catalogued, reasons ordered without ever raising."""
import re
from pathlib import Path

from portfolio_check import codes
from portfolio_check.models import Reason

REPO = Path(__file__).resolve().parent.parent


def test_readme_code_tables_are_the_catalogue():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert codes.render_readme(readme) == readme, (
        "README code tables differ from portfolio_check/codes.py: run "
        "`python -m portfolio_check.codes --update-readme README.md`")


def test_every_code_the_package_emits_is_catalogued():
    emitted = set()
    for path in (REPO / "src" / "portfolio_check").rglob("*.py"):
        if path.name == "codes.py" and path.parent.name == "portfolio_check":
            continue
        emitted |= set(re.findall(r"[\"'](PC\d{3})[\"']", path.read_text(encoding="utf-8")))
    assert emitted, "the scan found no codes at all"
    missing = sorted(emitted - set(codes.BY_CODE))
    assert not missing, f"codes emitted but not in the catalogue: {missing}"


def test_blocking_codes_give_a_reason_and_codes_are_unique():
    assert len(codes.BY_CODE) == len(codes.CATALOGUE)
    for c in codes.CATALOGUE:
        assert (c.reason is not None) == c.blocking, c.code
        if c.reason:
            assert codes.reason_rank(c.reason) < len(codes.REASON_ORDER), f"{c.reason} has no place in REASON_ORDER"


def test_unknown_reason_kind_sorts_last_instead_of_raising():
    reasons = [Reason("some_new_rule:x"), Reason("maths_missing"), Reason("evidence_count_low", "8")]
    ordered = sorted(reasons, key=lambda r: codes.reason_rank(r.kind))
    assert ordered == ["evidence_count_low:8", "maths_missing", "some_new_rule:x"]


def test_select_and_ignore_match_by_prefix():
    assert codes.matches("PC603", ["PC6"]) and codes.matches("PC603", ["pc603"])
    assert not codes.matches("PC701", ["PC6", "PC702"])
