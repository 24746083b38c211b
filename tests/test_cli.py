"""CLI conventions a tutor relies on: a careless call is exit 2 with one clear line (never a
traceback, never exit 1, which means "not ready"), nothing is created where a wrong path
pointed, ``-`` is stdout, and decisions can be made and exported from the shell."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from portfolio_check.cli import main

REPORT = Path(__file__).resolve().parent.parent / "sample_evidence" / "reports" / "project_report_draft.docx"


@pytest.fixture()
def mess(tmp_path):
    """The things a tutor might point the CLI at by mistake."""
    (tmp_path / "notes.txt").write_text("a note, not a cohort\n")
    (tmp_path / "junk.pdf").write_bytes(os.urandom(3000))
    (tmp_path / "empty").mkdir()
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "piece.docx").write_bytes(b"PK\x03\x04 not really")
    return tmp_path


def _careless_calls(mess: Path, samples: Path):
    one_apprentice = samples / "cohort" / "apr-001"
    return [
        (["report", str(REPORT), "--policy", "nonsense"], "not a report policy"),
        (["report", str(mess / "nofile.docx")], "no such file"),
        (["report", str(mess / "junk.pdf")], "PC102"),
        (["scan", str(mess / "notes.txt")], "is a file, not a cohort folder"),
        (["scan", str(mess / "missing"), "--out", str(mess / "D")], "does not exist"),
        (["scan", str(mess / "empty"), "-q"], "is empty"),
        (["scan", str(mess / "loose"), "-q"], "only loose files"),
        (["scan", str(one_apprentice), "-q"], "one apprentice's folder"),
        (["tag", str(mess / "junk.pdf")], "PC102"),
        (["tag", str(mess)], "is a folder"),
        (["tag", str(mess / "nofile.docx")], "no such file"),
        (["tag", str(REPORT), "--standard", "NOPE"], "no standard file named NOPE"),
        (["scan", str(mess), "--as-of", "2025-13-01"], "not a date"),
        (["decide", str(samples / "cohort"), "apr-001", "nofile.docx", "K7", "confirm"], "no evidence file"),
        (["decide", str(samples / "cohort"), "apr-001", "x.docx", "K7", "approve"], "invalid choice"),
        (["decisions", "export", str(mess / "missing"), "--out", str(mess / "d.csv")], "does not exist"),
        # a cohort where one apprentice was meant: said as such, not "its parent has no apprentices"
        (["pack", str(samples / "cohort"), "--out", str(mess / "P")], "it looks like a cohort"),
        (["scan", str(samples / "cohort"), "--select", "PC50l", "--out", str(mess / "S")], "unknown rule code"),
        (["scan", str(samples / "cohort"), "--jobs", "0", "--out", str(mess / "S")], "whole number of 1 or more"),
        (["tag", str(REPORT), "--standards-dir", str(mess / "nope")], "is not a folder"),
    ]


def test_every_careless_call_is_exit_2_with_one_line(mess, samples, capsys):
    before = sorted(p.name for p in mess.rglob("*"))
    for argv, expected in _careless_calls(mess, samples):
        try:
            code = main(argv)
        except SystemExit as exc:           # argparse's own errors
            code = exc.code
        out, err = capsys.readouterr()
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2, (argv, code, err)
        assert len(lines) == 1 and expected in lines[0], (argv, err)
        assert "Traceback" not in err and out == "", (argv, out)
    assert sorted(p.name for p in mess.rglob("*")) == before       # nothing created, not even D/
    assert not (samples / "cohort" / "apr-001" / ".portfolio-check").exists()


def test_no_traceback_or_lxml_noise_from_the_real_script(mess):
    """The installed entry point as a shell sees it: `python -m portfolio_check`."""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    proc = subprocess.run([sys.executable, "-m", "portfolio_check", "scan", str(mess / "missing"), "--out",
                           str(mess / "D")], capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1 and "COHORT/<apprentice>/portfolio/" in proc.stderr
    assert not (mess / "D").exists() and not (mess / "missing").exists()
    version = subprocess.run([sys.executable, "-m", "portfolio_check", "--version"], capture_output=True, text=True,
                             env=env, timeout=300)
    assert version.returncode == 0 and version.stdout.startswith("portfolio-check ")


def test_py_typed_is_shipped():
    import portfolio_check
    assert (Path(portfolio_check.__file__).parent / "py.typed").is_file()


@pytest.fixture()
def cohort(tmp_path, samples):
    target = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", target, ignore=shutil.ignore_patterns(".portfolio-check"))
    return target


def test_json_dash_is_stdout_and_no_file_named_dash(cohort, capsys, monkeypatch):
    monkeypatch.chdir(cohort.parent)
    code = main(["scan", str(cohort), "--json", "-", "-q", "--jobs", "1"])
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert {a["id"] for a in data["apprentices"]} == {"apr-001", "apr-002"}
    assert code == 1 and "1 of 2 apprentices ready" in err
    assert not (cohort.parent / "-").exists()


def test_scan_table_says_reasons_in_words_with_codes_beside(cohort, capsys):
    code = main(["scan", str(cohort), "-q", "--jobs", "1", "--out", str(cohort.parent / "out")])
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("apr-002"))
    assert code == 1
    assert "Maths at Level 2 not recorded [maths_missing]" in row
    # S8 is covered: the forwarded e-mail shows it ("I chose a bill credit rather than a cheque
    # because it costs us less to process")
    assert "No piece credited yet with K2 K5 K10 S2 B1 B8 [ksb_uncovered]" in row


def test_decide_and_export_use_the_widgets_log(cohort, capsys):
    assert main(["decide", str(cohort), "apr-002", "team_meeting_notes.docx", "K5", "add",
                 "--note", "ran the huddle", "--by", "J. Tutor"]) == 0
    assert main(["decide", str(cohort), "apr-002", "team_meeting_notes.docx", "K5", "withdraw", "--by", "J. Tutor"]) == 0
    capsys.readouterr()
    from portfolio_check import Workbench
    log = Workbench(cohort=cohort).decision_log().decisions()
    assert [(d.ksb, d.action, d.who, d.note) for d in log] == [("K5", "add", "J. Tutor", "ran the huddle"),
                                                                ("K5", "withdraw", "J. Tutor", "")]
    assert main(["decisions", "export", str(cohort), "--out", "-"]) == 0
    csv_text = capsys.readouterr().out
    assert csv_text.splitlines()[0].startswith("when,who,apprentice")
    assert "ran the huddle" in csv_text and csv_text.count("J. Tutor") == 2
    target = cohort.parent / "decisions.csv"
    assert main(["decisions", "export", str(cohort), "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == csv_text


def test_decide_takes_what_a_tutor_types_and_refuses_an_empty_withdraw(cohort, capsys):
    # a lower-case code, a portfolio/ path, the full path and a name in another Unicode form
    # all name the piece the scan reports, so the decision applies to it
    import unicodedata
    port = cohort / "apr-001" / "portfolio"
    accented = unicodedata.normalize("NFC", "06_cpd_log_réflexion.md")
    (port / "06_cpd_log.md").rename(port / accented)
    for file, ksb in (("portfolio/" + accented, "k18"), (str(port / accented), "b1"),
                      (unicodedata.normalize("NFD", accented), "B2")):
        assert main(["decide", str(cohort), "apr-001", file, ksb, "confirm", "--by", "J. Tutor"]) == 0
    from portfolio_check import Workbench
    log = Workbench(cohort=cohort).decision_log().decisions()
    assert [(d.file, d.ksb) for d in log] == [(accented, "K18"), (accented, "B1"), (accented, "B2")]
    capsys.readouterr()
    # withdrawing what was never decided is not "Saved"
    assert main(["decide", str(cohort), "apr-001", accented, "B8", "withdraw", "--by", "J. Tutor"]) == 2
    assert "nothing to withdraw" in capsys.readouterr().err
    assert len(Workbench(cohort=cohort).decision_log().decisions()) == 3


def test_tutor_name_comes_from_the_cohort_settings(cohort, capsys):
    (cohort / ".portfolio-check").mkdir(exist_ok=True)
    (cohort / ".portfolio-check" / "settings.yaml").write_text("tutor: Ms A. Patel\n")
    assert main(["decide", str(cohort), "apr-001", "03_call_log_complex_cases.pdf", "K7", "confirm"]) == 0
    assert "by Ms A. Patel" in capsys.readouterr().out


def test_unsupported_formats_are_named(tmp_path, capsys):
    """An .odt, a .pptx or a photo is told apart from a broken Word file: the message names it."""
    import zipfile
    with zipfile.ZipFile(tmp_path / "reflection.odt", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    with zipfile.ZipFile(tmp_path / "slides.pptx", "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
    (tmp_path / "certificate.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(500))
    for name, expected in [("reflection.odt", "OpenDocument text"), ("slides.pptx", "PowerPoint presentation"),
                           ("certificate.jpg", "JPEG image")]:
        assert main(["tag", str(tmp_path / name)]) == 2
        err = capsys.readouterr().err
        assert expected in err and "Word document (main part" not in err, err
        if name != "certificate.jpg":
            assert "not a Word document" in err


def test_tag_masks_a_customers_name_as_every_report_does(samples, capsys):
    # "Dear Mrs Whitlow, I have refunded ..." went to the terminal in clear, while the scan
    # reports, the pack and the notebooks masked it: the tag command is an output too.
    eml = samples / "cohort" / "apr-002" / "portfolio" / "FW_complaint_about_bill.eml"
    assert "Whitlow" in eml.read_text(encoding="utf-8")
    for extra in ([], ["--json"]):
        assert main(["tag", str(eml)] + extra) == 0
        out = capsys.readouterr().out
        assert "Whitlow" not in out and "refunded" in out and "[name]" in out


def test_evidence_outside_portfolio_is_named_not_silently_zero(cohort, capsys):
    # A "Portfolio" folder (capital P) or files beside apprentice.yaml are not read: the scan
    # says where they are instead of a bare "0 pieces".
    (cohort / "apr-002" / "portfolio").rename(cohort / "apr-002" / "Portfolio")
    (cohort / "apr-002" / "extra_reflection.txt").write_text("I handled a complaint.\n")
    from portfolio_check import Workbench
    apr = Workbench().scan(cohort, jobs=1, cache=False).apprentice("apr-002")
    pc304 = next(f for f in apr.findings if f.code == "PC304")
    assert apr.pieces == 0 and "8 file(s) outside portfolio/" in pc304.message
    assert "Portfolio/pdp_2024.docx" in pc304.message and "extra_reflection.txt" in pc304.message


def test_a_closed_pipe_is_not_an_error_message(cohort):
    # `portfolio-check scan ... | head -1`: the reader left; no "error: Broken pipe", exit 141
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent / "src"))
    proc = subprocess.run(f"{sys.executable} -m portfolio_check scan {cohort} --jobs 1 --no-cache "
                          f"--out {cohort.parent / 'o'} | head -c 0; exit ${{PIPESTATUS[0]}}",
                          shell=True, executable="/bin/bash", capture_output=True, text=True, env=env, timeout=600)
    # (head -c 0 has gone long before the scan prints, so the first write meets the closed pipe)
    assert proc.returncode == 141 and "Broken pipe" not in proc.stderr
    assert "Traceback" not in proc.stderr
