"""Customer data never leaves a piece in clear: every value the detectors find is masked in
every output (quotes, matrix, HTML, XLSX, CSV, JSON, the review widget, logs, temp files).

The cohort is built here with planted values; each value is searched for, byte for byte and
case-insensitively, in everything the scan wrote or printed.
"""
from __future__ import annotations

import csv
import logging
import os
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest

from portfolio_check.checks.pii import Redactor, scan_pii
from portfolio_check.cli import main
from portfolio_check.models import Block, Location, Role

# Every value a customer could be identified by; none of them may appear in any output.
PLANTED = {
    "title name": "Mrs Joan Whitfield",
    "name": "Joan Whitfield",
    "surname with title": "Mrs Whitfield",
    "untitled name": "Gareth Pennington",
    "display name": "Priya Ramaswamy",
    "personal e-mail": "joan.whitfield1961@example.net",
    "display e-mail": "priya.r@example.org",
    "mobile": "07700 900123",
    "street": "14 Larkspur Close",
    "postcode": "LS17 8QT",
    "account": "41234567",
    "NI number": "JT 12 34 56 B",
    "policy": "HPG-HOM-8812345",
}

RECORD = """name: Alex Taylor
standard: ST0071
start_date: '2024-01-08'
english_l2: true
maths_l2: true
employer: Heronsgate Water Services Ltd
gateway_declaration_signed: true
gateway_date: '2025-03-03'
"""

REFLECTION = """Reflective account: a vulnerable customer's burst pipe

Mrs Joan Whitfield rang on a Sunday because water was coming through her kitchen ceiling at
14 Larkspur Close, Leeds LS17 8QT. She said "call me on 07700 900123 if you get cut off". I
checked her account number 41234567 and saw she was on our priority services register, so I
escalated the job to the emergency repairs supervisor because a same-day visit is above my
authority and only the supervisor can authorise an out-of-hours contractor. I promised Mrs
Whitfield a call back within the hour and I rang her back after forty minutes with the
engineer's arrival time. Her NI number JT 12 34 56 B was on a benefits letter she read out,
which I did not need and did not record. Joan Whitfield wrote afterwards to thank the team.
Her neighbour, the customer Gareth Pennington, also called about low pressure on policy
number HPG-HOM-8812345 and I explained the repair plan to him clearly.
"""

EMAIL = """From: Priya Ramaswamy <priya.r@example.org>
To: Alex Taylor <alex.taylor@heronsgatewater.example>
Subject: Thank you for sorting my meter
Date: Mon, 10 Feb 2025 09:12:00 +0000
Content-Type: text/plain; charset=utf-8

Dear Alex,

Thank you for explaining the estimated bill so clearly and for calling me back when you said
you would. You took the time to check the meter reading history and found the mistake.
My other address is joan.whitfield1961@example.net if you need it.

Kind regards,
Priya Ramaswamy
"""


def _cohort(root: Path, samples: Path) -> Path:
    cohort = root / "cohort"
    apprentice = cohort / "apr-301"
    shutil.copytree(samples / "cohort" / "apr-001" / "portfolio", apprentice / "portfolio")
    shutil.copytree(samples / "cohort" / "apr-001" / "project", apprentice / "project")
    (apprentice / "apprentice.yaml").write_text(RECORD, encoding="utf-8")
    (apprentice / "portfolio" / "12_reflection_burst_pipe.txt").write_text(REFLECTION, encoding="utf-8")
    (apprentice / "portfolio" / "13_customer_thanks.eml").write_text(EMAIL, encoding="utf-8")
    return cohort


def _texts_of(folder: Path) -> dict[Path, str]:
    """Every file under folder as text; XLSX (zip) members are read inside."""
    out: dict[Path, str] = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data[:2] == b"PK":
            with zipfile.ZipFile(path) as z:
                data = b"".join(z.read(n) for n in z.namelist())
        out[path] = data.decode("utf-8", errors="replace")
    return out


def _leaks(text: str) -> list[str]:
    low = text.lower()
    return [label for label, value in PLANTED.items() if value.lower() in low]


@pytest.fixture()
def scanned(tmp_path, samples, capsys, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    cohort = _cohort(tmp_path, samples)
    out = tmp_path / "out"
    status = main(["scan", str(cohort), "--out", str(out), "--json", str(tmp_path / "scan.json"),
                   "--as-of", "2025-03-03", "-q"])
    printed = capsys.readouterr()
    return cohort, out, temp, status, printed.out + printed.err + caplog.text, tmp_path / "scan.json"


def test_the_planted_values_are_detected(scanned):
    _, _, _, _, _, scan_json = scanned
    text = scan_json.read_text(encoding="utf-8")
    for code in ("PC601", "PC602", "PC603", "PC604", "PC605", "PC606"):
        assert code in text, code


def test_no_planted_value_in_any_output_log_or_temp_file(scanned):
    cohort, out, temp, status, printed, scan_json = scanned
    assert status in (0, 1)
    outputs = _texts_of(out)
    assert any(p.suffix == ".html" for p in outputs) and any(p.suffix == ".xlsx" for p in outputs)
    outputs[scan_json] = scan_json.read_text(encoding="utf-8")
    outputs.update(_texts_of(temp))
    for path, text in outputs.items():
        assert not _leaks(text), (path.name, _leaks(text))
    assert not _leaks(printed), _leaks(printed)


def test_quotes_are_kept_but_masked(scanned):
    """Masking must not cost the tutor the evidence: the K7/K9 sentence is still quoted."""
    _, out, _, _, _, _ = scanned
    rows = list(csv.DictReader(open(out / "matrix.csv", encoding="utf-8")))
    quotes = " ".join(" ".join(r.values()) for r in rows if "burst_pipe" in " ".join(r.values()))
    assert "supervisor" in quotes
    assert "[name]" in quotes or "[address]" in quotes or "[phone]" in quotes


def test_the_cache_holds_no_planted_value_and_stays_private(scanned):
    cohort, _, _, _, _, _ = scanned
    store = cohort / ".portfolio-check"
    for path, text in _texts_of(store).items():
        if path.name == "decisions.jsonl":
            continue
        assert not _leaks(text), (path.name, _leaks(text))
    if os.name == "posix" and store.exists():
        evidence_mode = (cohort / "apr-301" / "portfolio" / "12_reflection_burst_pipe.txt").stat().st_mode & 0o777
        for path in store.rglob("*"):
            if path.is_file():
                assert path.stat().st_mode & 0o777 & ~evidence_mode & 0o077 == 0, path


def test_review_widget_masks_the_piece_it_shows(scanned):
    pytest.importorskip("ipywidgets")
    from portfolio_check import Workbench
    from portfolio_check.widgets import ReviewWidget
    cohort, _, _, _, _, _ = scanned
    wb = Workbench(cohort=cohort)
    review = ReviewWidget(wb, cohort, "apr-301")
    shown = []
    for name in ("12_reflection_burst_pipe.txt", "13_customer_thanks.eml"):
        review.pieces.value = name
        shown.append(review.text.value)
        shown.extend(getattr(row.children[1], "value", "") for row in review.rows.children if row.children)
    html = "\n".join(shown)
    assert "supervisor" in html
    assert not _leaks(html), _leaks(html)


def _block(text: str) -> Block:
    return Block(text=text, role=Role.PARAGRAPH, location=Location(paragraph=1))


@pytest.mark.parametrize("text, value", [
    ("The customer, Joan Whitfield, asked for a refund.", "Joan Whitfield"),
    ("Janet Holloway (daughter) rang about her mother's discharge.", "Janet Holloway"),
    ("From: Dionne Fairclough <dionne.f@example.com>", "Dionne Fairclough"),
    ("I wrote to Mr Mark Jennings and later Mark Jennings replied.", "Mark Jennings"),
])
def test_names_without_a_title_are_found_and_masked_everywhere(text, value):
    scan = scan_pii([_block(text)], {}, "Heronsgate Water Services Ltd")
    assert any(h.kind == "name" for h in scan.hits)
    assert value.lower() not in scan.redactor.redact(text).lower()
    # the hit itself never carries the value, so it is safe to cache and serialise
    assert all(value.lower() not in repr(h).lower() for h in scan.hits)


def test_staff_and_organisation_details_stay():
    text = ("My team leader Sarah Collins (sarah.collins@heronsgate.example, 0113 496 0123) signed it off. "
            "Heronsgate Water Services Ltd | 0113 496 0123")
    scan = scan_pii([_block(text)], {"from": "sarah.collins@heronsgate.example"}, "Heronsgate Water Services Ltd",
                    staff_names=["Alex Taylor"])
    assert not scan.hits
    assert scan.redactor.redact(text) == text
    assert not Redactor()


def test_a_colleague_named_beside_a_team_name_is_not_a_customer():
    """Regression: "Helen Morris (Customer Hub Team Leader)" is staff, not a customer."""
    scan = scan_pii([_block("Present: Riya Shah and Helen Morris (Customer Hub Team Leader)")], {},
                    "Fairholme Housing Association", staff_names=["Riya Shah"])
    assert not scan.hits


def test_the_name_finding_reads_as_one_plain_sentence(scanned):
    # It read "a customer's full name that looks like a customer's is not anonymised".
    import json
    _, _, _, _, _, scan_json = scanned
    messages = [f["message"] for a in json.loads(scan_json.read_text(encoding="utf-8"))["apprentices"]
                for f in a["findings"] if f["code"] == "PC606"]
    assert messages and all("a full name that looks like a customer's is not anonymised" in m for m in messages)
