"""The other standards of seed 000 (Customer Service Practitioner L2, Business Administrator L3,
Team Leader L3, Associate Project Manager L4) and seed 003's credit rules: they validate, list
and show; they hold what the seed says and nothing it does not; a scan of apprentices naming
them runs end to end; and a broken copy of each new schema key is rejected as file: key: problem."""
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from portfolio_check import Workbench
from portfolio_check.cli import main
from portfolio_check.models import Readiness
from portfolio_check.standards import (StandardError, load_standard, load_standard_file,
                                       qualification_rules_files, standard_files,
                                       validate_qualification_rules)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_evidence"
PACKAGED = ROOT / "src" / "portfolio_check" / "standards"
NEW = ("CS-PRACTITIONER-L2", "BUSINESS-ADMIN-L3", "TEAM-LEADER-L3", "ASSOCIATE-PM-L4")
WALES = PACKAGED / "qualification_rules" / "WALES-CUSTOMER-SERVICES.yaml"


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_new_standards_validate_list_and_show(capsys):
    assert main(["standards", "validate"]) == 0
    out = capsys.readouterr().out
    for code in NEW:
        assert re.search(rf"^OK .*{code}\.yaml: {code}, \d+ KSBs", out, re.M), code
    assert re.search(r"^OK .*WALES-CUSTOMER-SERVICES\.yaml: qualification rules", out, re.M)
    assert main(["standards", "list"]) == 0
    listed = capsys.readouterr().out
    assert "INVALID" not in listed and all(code in listed for code in NEW)
    assert main(["standards", "show", "BUSINESS-ADMIN-L3"]) == 0
    shown = capsys.readouterr().out
    assert "KT: Online knowledge test [knowledge_test]" in shown and "serving INT" in shown
    assert main(["standards", "show", "ASSOCIATE-PM-L4"]) == 0
    assert "Prerequisite qualification: International Project Management Association (IPMA) Level D or APM" \
        in capsys.readouterr().out


def test_new_standards_hold_the_seeds_assessment_shape():
    cs, ba, tl, apm = (load_standard(c) for c in NEW)
    # English/maths: level 1 for the L2 standard, level 2 for the others (seed's gateway lists).
    assert (cs.gateway["english_level"], ba.gateway["english_level"], tl.gateway["maths_level"]) == (1, 2, 2)
    assert cs.methods_of_kind("observation") == ("OBS",) and cs.portfolio_method is None
    kt = ba.methods["KT"]
    assert kt["test"] == {"questions": 50, "format": "multiple_choice"} and kt["duration_minutes"]["max"] == 60
    assert ba.methods["PRES"]["questions_minutes"] == {"min": 10, "max": 15}
    assert ba.gateway["completed"] == ["a work based project"]
    assert tl.methods["PRES"]["duration_minutes"] == {"min": 20, "max": 20}
    assert tl.methods["PD"]["duration_minutes"] == {"min": 60, "max": 60}
    assert [p["any_of"] for p in apm.prerequisite_qualifications] == [
        ["International Project Management Association (IPMA) Level D", "APM Project Management Qualification"]]
    assert apm.grades == ("fail", "pass", "merit", "distinction") and cs.grades == ("fail", "pass", "distinction")
    # What the seed does not give stays null: no piece counts, no minimum months, no report limit,
    # no KSB-to-method mapping.
    for st in (cs, ba, tl, apm):
        assert st.report_limit() is None and st.gateway["on_programme_months"] is None
        assert st.gateway["portfolio"]["min_pieces"] is None and st.gateway["portfolio"]["max_pieces"] is None
        assert all(k.method is None for k in st.ksbs)
    assert load_standard("OPS-MANAGER-L5").methods["REPORT"]["ksb_mapping_appendix"] is True


@pytest.mark.shared
@pytest.mark.parametrize("code", NEW)
def test_every_ksb_statement_is_the_seeds_own_words(code, shared):
    seed = _norm((shared / "seeds" / "000_73c7fc9737c9ab1a.txt").read_text(encoding="utf-8"))
    st = load_standard(code)
    lead_in = "Depending on your job role and work environment: "
    for k in st.ksbs:
        assert _norm(k.statement.removeprefix(lead_in)) in seed, k.code
        assert k.theme is None or _norm(k.theme) in seed, k.code
    assert "NOT the official IfATE codes" in Path(st.path).read_text(encoding="utf-8")


@pytest.mark.shared
def test_wales_credit_rules_match_seed_003(shared):
    seed = (shared / "seeds" / "003_e0d7e63cf6847a05.txt").read_text(encoding="utf-8")
    data = yaml.safe_load(WALES.read_text(encoding="utf-8"))
    assert validate_qualification_rules(data) == []
    units = [u for q in data["qualifications"] for g in q["groups"] for u in g["units"]]
    annexes = seed[seed.index("Annex 1 Level 2"):]
    assert len(units) == len(re.findall(r"[A-Z]/\d{3}/\d{4}", annexes))
    for u in units:
        assert re.search(re.escape(u["code"]) + r"\s*Unit\s+(-\s+)?Credit\s*(-\s+)?Value\s*" + str(u["credits"]) + r"\b",
                         annexes.replace("\n", " ")), u["code"]
    l2, l3 = data["qualifications"]
    assert (l2["min_credits"], l3["min_credits"]) == (45, 55)
    assert [(g["name"], g["min_credits"], g["max_credits"]) for g in l2["groups"]] == [
        ("Group M", 19, None), ("Group A", 3, None), ("Group B", 16, None), ("Group C", None, 7)]
    assert [(g["name"], g["min_credits"], g["max_credits"]) for g in l3["groups"]] == [
        ("Group M", 31, None), ("Group A", 15, None), ("Group B", None, 9)]
    assert WALES.name in [p.name for p in qualification_rules_files()]   # installed or in the tree


def test_scan_of_apprentices_naming_each_new_standard_runs_end_to_end(tmp_path):
    cohort = tmp_path / "cohort"
    ids = {}
    for code in NEW:
        aid = "apr-" + code.lower()
        shutil.copytree(SAMPLES / "cohort" / "apr-001", cohort / aid)
        rec = cohort / aid / "apprentice.yaml"
        rec.write_text(rec.read_text(encoding="utf-8").replace("standard: ST0071", f"standard: {code}"),
                       encoding="utf-8")
        ids[aid] = code
    out = tmp_path / "out"
    result = Workbench().scan(cohort, jobs=1, cache=False, out_dir=out)
    assert {a.id: a.standard for a in result.apprentices} == ids
    for a in result.apprentices:
        # No KSB is mapped to a method in these standards: never "ready" on coverage it cannot check.
        assert a.readiness is not Readiness.READY, a.id
    data = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert {a["id"]: a["standard"] for a in data["apprentices"]} == ids
    for name in ("report.html", "referencing_matrix.xlsx", "apprentices.csv", "matrix.csv"):
        assert (out / name).stat().st_size > 0, name


@pytest.mark.parametrize("code,mutate,expected", [
    ("BUSINESS-ADMIN-L3", lambda d: d["methods"]["KT"].__setitem__("kind", "quiz"), "methods.KT.kind"),
    ("BUSINESS-ADMIN-L3", lambda d: d["methods"]["KT"]["test"].__setitem__("format", "essay"), "methods.KT.test.format"),
    ("BUSINESS-ADMIN-L3", lambda d: d["methods"]["PRES"].__setitem__("test", {"questions": 5}),
     "methods.PRES.test: only a method of kind knowledge_test has a test"),
    ("TEAM-LEADER-L3", lambda d: d["methods"]["PD"].__setitem__("duration_minutes", {"min": 90, "max": 60}),
     "methods.PD.duration_minutes: min is greater than max"),
    ("TEAM-LEADER-L3", lambda d: d["methods"]["PD"].__setitem__("questions_minutes", {"min": 5, "max": 9}),
     "methods.PD.questions_minutes: only a method of kind presentation"),
    ("CS-PRACTITIONER-L2", lambda d: d["methods"]["OBS"].__setitem__("ksb_mapping_appendix", True),
     "methods.OBS.ksb_mapping_appendix: only a method of kind report"),
    ("ASSOCIATE-PM-L4", lambda d: d["gateway"]["prerequisite_qualifications"][0].__setitem__("any_of", []),
     "gateway.prerequisite_qualifications[0].any_of"),
    ("ASSOCIATE-PM-L4", lambda d: d["gateway"]["prerequisite_qualifications"][0].__setitem__("when", "later"),
     "gateway.prerequisite_qualifications[0].when"),
    ("ASSOCIATE-PM-L4", lambda d: d.__setitem__("grades", ["pass", "excellent"]), "grades[1]"),
    ("CS-PRACTITIONER-L2", lambda d: d.__setitem__("typical_months", "fifteen"), "typical_months"),
    ("CS-PRACTITIONER-L2", lambda d: d.__setitem__("qualification_rules", {"qualifications": [{
        "title": "Q", "min_credits": 10, "groups": [{"name": "M", "mandatory": True, "min_credits": 9,
                                                     "max_credits": None,
                                                     "units": [{"code": "U1", "title": "T", "credits": 4}]}]}]}),
     "qualification_rules.qualifications[0].groups[0]: mandatory group's units add up to 4 credits"),
    ("CS-PRACTITIONER-L2", lambda d: d.__setitem__("qualification_rules", {"qualifications": [{
        "title": "Q", "min_credits": 10, "groups": [{"name": "A", "mandatory": False, "min_credits": 1,
                                                     "max_credits": None, "units": []}]}]}),
     "qualification_rules.qualifications[0].groups[0].units"),
])
def test_broken_copy_of_a_new_key_fails_with_file_key_and_problem(tmp_path, code, mutate, expected, capsys):
    data = yaml.safe_load(standard_files()[code].read_text(encoding="utf-8"))
    mutate(data)
    broken = tmp_path / f"{code}-broken.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(StandardError) as err:
        load_standard_file(broken, revalidate=True)
    assert str(err.value).startswith(f"{broken}: ") and expected in str(err.value)
    assert main(["standards", "validate", str(broken)]) == 2
    out = capsys.readouterr().out
    assert f"INVALID  {broken}: " in out and expected in out


def test_broken_copy_of_the_credit_rules_file_fails_validate(tmp_path, capsys):
    data = yaml.safe_load(WALES.read_text(encoding="utf-8"))
    data["qualifications"][0]["groups"][3]["min_credits"] = 8      # Group C: max 7
    data["qualifications"][1]["groups"][0]["units"].append(dict(data["qualifications"][1]["groups"][0]["units"][0]))
    (tmp_path / "qualification_rules").mkdir()
    broken = tmp_path / "qualification_rules" / "WALES-BROKEN.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = validate_qualification_rules(data)
    assert "qualifications[0].groups[3]: min is greater than max" in problems
    assert any(p.startswith("qualifications[1].groups[0].units: unit 'T/506/2952' listed twice") for p in problems)
    assert main(["standards", "validate", "--dir", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert f"INVALID  {broken}: qualifications[0].groups[3]: min is greater than max" in out
