"""Standards are data: the shipped files validate, rules come from them, and a broken copy is
rejected with a message naming the file, the key and the problem."""
import shutil
import subprocess
import sys

import pytest
import yaml

from portfolio_check.cli import main
from portfolio_check.standards import StandardError, load_standard, load_standard_file, standard_files

PD = "K2 K5 K7 K9 K10 K12 K18 S2 S8 B1 B2 B5 B8".split()
WBP = "K1 K3 K4 K6 K8 K16 K17 S1 S7 S11 S12 S15 S16 S17".split()


def test_st0071_has_every_ksb_with_its_method():
    st = load_standard("ST0071")
    assert [k.code for k in st.ksbs if k.kind == "knowledge"] == [f"K{i}" for i in range(1, 19)]
    assert [k.code for k in st.ksbs if k.kind == "skill"] == [f"S{i}" for i in range(1, 18)]
    assert [k.code for k in st.ksbs if k.kind == "behaviour"] == [f"B{i}" for i in range(1, 13)]
    assert list(st.portfolio_ksbs) == PD
    assert [k.code for k in st.ksbs_for_method("WBP")] == WBP
    assert all(k.amplification and k.statement for k in st.ksbs)
    assert st.ksb("B8").statement.startswith("Share knowledge and experience")


def test_st0071_gateway_rules_are_parameters():
    st = load_standard("ST0071")
    lim = st.report_limit()
    assert (lim.min_words, lim.max_words) == (2250, 2750)
    assert lim.counts == ("body_text", "body_tables")
    assert lim.within(2750) and lim.within(2250) and not lim.within(2751) and not lim.within(2249)
    assert st.proposal_max_words == 200
    gw = st.gateway
    assert (gw["portfolio"]["min_pieces"], gw["portfolio"]["max_pieces"]) == (10, 15)
    assert gw["on_programme_months"] == 12 and gw["english_level"] == 2 and gw["maths_level"] == 2
    assert set(st.methods["PD"]["grading"]["pass"]) == {f"P{i}" for i in range(1, 13)}
    assert set(st.methods["WBP"]["grading"]["distinction"]) == {f"D{i}" for i in range(1, 10)}


def test_second_standard_has_another_shape():
    st = load_standard("OPS-MANAGER-L5")
    lim = st.report_limit()
    assert lim.target_words == 4000 and lim.min_words is None and lim.max_words == 4000
    assert st.gateway["portfolio"]["min_pieces"] is None
    assert st.proposal_max_words is None


def test_packaged_standards_validate_via_cli(capsys):
    assert main(["standards", "validate"]) == 0
    out = capsys.readouterr().out
    assert "OK" in out and "ST0071" in out and "OPS-MANAGER-L5" in out


@pytest.mark.parametrize("mutate,expected", [
    (lambda d: d["ksbs"][4].__setitem__("method", "XX"), "ksbs[4].method"),
    (lambda d: d["gateway"]["portfolio"].__setitem__("min_pieces", "ten"), "gateway.portfolio.min_pieces"),
    (lambda d: d["ksbs"].append(dict(d["ksbs"][0])), "duplicate KSB code 'K1'"),
    (lambda d: d["gateway"]["report"].__setitem__("policy", "nope"), "gateway.report.policy"),
    (lambda d: d.pop("ksbs"), "'ksbs' is a required property"),
])
def test_broken_copy_fails_with_file_key_and_problem(tmp_path, mutate, expected, capsys):
    src = standard_files()["ST0071"]
    data = yaml.safe_load(src.read_text())
    mutate(data)
    broken = tmp_path / "ST0071-broken.yaml"
    broken.write_text(yaml.safe_dump(data))
    with pytest.raises(StandardError) as err:
        load_standard_file(broken)
    assert expected in str(err.value) and str(broken) in str(err.value)
    assert main(["standards", "validate", str(broken)]) == 2
    out = capsys.readouterr().out
    assert "INVALID" in out and str(broken) in out and expected in out


def test_yaml_syntax_error_names_the_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("code: X\nksbs: [\n")
    with pytest.raises(StandardError, match=r"line \d+"):
        load_standard_file(bad)


def test_cli_entry_point_is_installed():
    out = subprocess.run([sys.executable, "-m", "portfolio_check.cli", "standards", "show", "ST0071"],
                         capture_output=True, text=True, check=True).stdout
    assert "PD: Professional Discussion" in out and "K2 K5 K7" in out
