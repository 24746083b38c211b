"""YAML aliases in files read from a shared drive (a standard, an apprentice record) are
refused: nested aliases of a few hundred bytes would otherwise become 10**7+ items when the
record's name is turned into text or a validation message quotes the value."""
from pathlib import Path

import pytest

from portfolio_check.discover import read_record
from portfolio_check.standards import StandardError, load_standard_file

HERE = Path(__file__).parent / "own_standard"


def _bomb(levels: int = 7) -> str:
    text = 'b0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n'
    for i in range(1, levels + 1):
        text += f"b{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]\n"
    return text


def test_alias_in_standard_is_a_clear_problem(tmp_path):
    f = tmp_path / "HOSP-SUP-L3.yaml"
    f.write_text(_bomb() + (HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8").replace(
        "source: trial provider transcription (fictional)", "source: *a7"), encoding="utf-8")
    with pytest.raises(StandardError) as exc:
        load_standard_file(f, revalidate=True)
    msg = str(exc.value)
    assert "alias" in msg and len(msg) < 500


def test_alias_in_apprentice_record_is_refused(tmp_path):
    apr = tmp_path / "hs-009"
    apr.mkdir()
    (apr / "apprentice.yaml").write_text(
        _bomb() + "name: *a7\nstandard: HOSP-SUP-L3\nstart_date: '2024-09-02'\nenglish_l2: true\n"
        "maths_l2: true\nemployer: X\ngateway_declaration_signed: true\n", encoding="utf-8")
    rec = read_record(apr)
    assert rec.name is None and rec.problems


def test_quoted_star_patterns_still_load():
    from portfolio_check.standards import load_standard
    assert "*proposal*" in load_standard("ST0071").proposal_patterns


def test_a_key_given_twice_in_a_standard_is_refused_with_both_lines(tmp_path):
    # PyYAML keeps the last value silently: "max_pieces: 9" then "max_pieces: 90" would make
    # the rule 90 with nothing on screen to say so.
    f = tmp_path / "HOSP-SUP-L3.yaml"
    f.write_text((HERE / "HOSP-SUP-L3.yaml").read_text(encoding="utf-8").replace(
        "    max_pieces: 9\n", "    max_pieces: 9\n    max_pieces: 90\n"), encoding="utf-8")
    with pytest.raises(StandardError) as exc:
        load_standard_file(f, revalidate=True)
    msg = str(exc.value)
    assert "'max_pieces' is given twice" in msg and "first on line" in msg


def test_a_key_given_twice_in_an_apprentice_record_is_named(tmp_path):
    apr = tmp_path / "hs-010"
    apr.mkdir()
    (apr / "apprentice.yaml").write_text(
        "name: Jamie Okafor\nstandard: HOSP-SUP-L3\nstart_date: '2024-09-02'\nenglish_l2: true\n"
        "maths_l2: true\nemployer: X\ngateway_declaration_signed: true\nenglish_l2: false\n", encoding="utf-8")
    rec = read_record(apr)
    assert not rec.exists and any("'english_l2' is given twice" in p for p in rec.problems)
