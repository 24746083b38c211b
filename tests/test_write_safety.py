"""The last two writers that bypassed safe_io: the decisions CSV export and the temporary copy
of an e-mail attachment. A link planted where either writes must leave its target untouched
(cohort folders and exported paths are on drives others can write to)."""
from __future__ import annotations

import contextlib
import os
from email.message import EmailMessage
from pathlib import Path

import pytest

from portfolio_check.cli import main
from portfolio_check.parse import attachments, parse_file
from portfolio_check.safe_io import UnsafePathError
from portfolio_check.store import DecisionLog

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")
VICTIM = "someone else's file\n"


@pytest.fixture()
def victim(tmp_path) -> Path:
    v = tmp_path / "victim.txt"
    v.write_text(VICTIM, encoding="utf-8")
    return v


@needs_symlinks
def test_export_csv_refuses_a_planted_link(tmp_path, victim):
    log = DecisionLog(tmp_path / "d.jsonl")
    log.record("a", "f.docx", "K7", "confirm", who="tutor1", note="clear referral")
    link = tmp_path / "decisions.csv"
    link.symlink_to(victim)
    with pytest.raises(UnsafePathError):
        log.export_csv(link)
    assert victim.read_text(encoding="utf-8") == VICTIM and link.is_symlink()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".pc-tmp-")]   # no temp left behind


def test_export_csv_replaces_a_file_atomically(tmp_path):
    log = DecisionLog(tmp_path / "d.jsonl")
    log.record("a", "f.docx", "K7", "confirm", who="tutor1")
    out = tmp_path / "decisions.csv"
    out.write_text("old export\n", encoding="utf-8")
    log.export_csv(out)
    assert out.read_text(encoding="utf-8").startswith("when,who,apprentice") and "K7" in out.read_text()


@needs_symlinks
def test_cli_decisions_out_through_a_link_fails_and_leaves_the_target(samples, tmp_path, victim, capsys):
    import shutil
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort)
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    assert main(["decisions", "export", str(cohort), "--out", str(link)]) == 2
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert "link" in capsys.readouterr().err


def _eml(tmp_path: Path) -> Path:
    msg = EmailMessage()
    msg["From"] = "advisor@example.org"
    msg["To"] = "coach@example.org"
    msg["Subject"] = "Case notes"
    msg.set_content("Please see the attached notes on the repair case.")
    msg.add_attachment(b"I called the tenant back the next morning as promised.", maintype="text",
                       subtype="plain", filename="notes.txt")
    path = tmp_path / "mail.eml"
    path.write_bytes(msg.as_bytes())
    return path


@needs_symlinks
def test_attachment_copy_never_goes_through_a_planted_link(tmp_path, victim, monkeypatch):
    """The temporary folder is private, but the write must not trust that: a link where the
    attachment's copy goes is refused, the target untouched, and the e-mail says what it skipped."""
    planted = tmp_path / "att"
    planted.mkdir()
    (planted / "notes.txt").symlink_to(victim)

    @contextlib.contextmanager
    def fake_tempdir(*a, **k):
        yield str(planted)
    monkeypatch.setattr(attachments.tempfile, "TemporaryDirectory", fake_tempdir)
    doc = parse_file(_eml(tmp_path))
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert any(f.code == "PC119" and "notes.txt" in f.message for f in doc.findings)
    assert any("attached notes" in b.text for b in doc.blocks)          # the message itself is still read


def test_attachment_is_still_read(tmp_path):
    doc = parse_file(_eml(tmp_path))
    assert [a.path.rsplit("::", 1)[-1] for a in doc.attachments] == ["notes.txt"]
    assert any("called the tenant back" in b.text for a in doc.attachments for b in a.blocks)
