"""E-mail attachments under hostile input (issue 13 case 4, issue 10 item 9): forwarded
messages are read and tagged, and the depth and count guards fire and name what they skipped.
Each test builds its own messages with the e-mail standard library."""
from __future__ import annotations

from email.message import EmailMessage

import pytest

from portfolio_check.models import Role
from portfolio_check.parse import parse_file
from portfolio_check.parse.attachments import MAX_ATTACHMENTS, MAX_DEPTH
from portfolio_check.standards import load_standard
from portfolio_check.tagging import TaggingEngine

K7_TEXT = ("A passenger's wheelchair was damaged on the outbound flight. I referred the claim to our special "
           "assistance team because repairs to mobility equipment need specialist assessment and approval above "
           "my authority.")


def _message(subject: str, body: str) -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Apprentice <apprentice@example.org>"
    m["To"] = "Coach <coach@example.org>"
    m["Subject"] = subject
    m["Date"] = "Mon, 02 Nov 2026 10:00:00 +0000"
    m.set_content(body)
    return m


@pytest.fixture(scope="module")
def engine():
    return TaggingEngine(load_standard("ST0071"))


def test_forwarded_message_is_read_and_its_text_tagged(tmp_path, engine):
    inner = _message("Wheelchair claim", K7_TEXT)
    outer = _message("Fwd: a claim I handled", "Forwarding the thread below for my portfolio.")
    outer.add_attachment(inner)                       # a message/rfc822 part
    path = tmp_path / "forwarded.eml"
    path.write_bytes(outer.as_bytes())
    doc = parse_file(path)
    assert "PC119" not in {f.code for f in doc.findings}, doc.findings
    assert [a.path.rsplit("::", 1)[-1] for a in doc.attachments] == ["Wheelchair claim.eml"]
    forwarded = doc.attachments[0]
    assert forwarded.kind == "email" and K7_TEXT in "\n".join(b.text for b in forwarded.blocks)
    result = engine.tag_document(doc, "portfolio")
    k7 = next(s for s in result.suggestions if s.ksb == "K7")
    assert k7.accepted and any("special assistance team" in q.sentence for q in k7.quotes)


def _nested(levels: int) -> EmailMessage:
    msg = _message(f"Level {levels}", f"Level {levels} body words.")
    for n in range(levels - 1, 0, -1):
        outer = _message(f"Level {n}", f"Level {n} body words.")
        outer.add_attachment(msg)
        msg = outer
    return msg


def test_seven_nested_levels_stop_at_the_depth_guard_and_say_so(tmp_path):
    path = tmp_path / "nested.eml"
    path.write_bytes(_nested(7).as_bytes())
    doc = parse_file(path)
    text = "\n".join(b.text for b in doc.all_blocks())
    read = [n for n in range(1, 8) if f"Level {n} body" in text]
    assert read == list(range(1, MAX_DEPTH + 2))              # the file itself + MAX_DEPTH levels
    limit = [f for f in doc.findings if f.code == "PC132"]
    assert len(limit) == 1 and limit[0].severity.value == "warning"
    msg = limit[0].message
    assert msg.startswith("nested.eml") and f"more than {MAX_DEPTH} levels" in msg
    assert f"'Level {MAX_DEPTH + 2}.eml'" in msg               # names what it skipped
    assert not [f for f in doc.findings if f.severity.value == "error"]


def test_attachment_count_guard_reads_the_first_ones_and_names_the_rest(tmp_path):
    msg = _message("Lots of files", "See attached.")
    for i in range(1, MAX_ATTACHMENTS + 6):
        msg.add_attachment(f"Note number {i} text.".encode(), maintype="text", subtype="plain",
                           filename=f"note{i:02d}.txt")
    path = tmp_path / "many.eml"
    path.write_bytes(msg.as_bytes())
    doc = parse_file(path)
    assert len(doc.attachments) == MAX_ATTACHMENTS
    limit = [f for f in doc.findings if f.code == "PC132"]
    assert len(limit) == 1
    assert f"first {MAX_ATTACHMENTS}" in limit[0].message and "5 more" in limit[0].message
    assert "'note21.txt'" in limit[0].message and "'note25.txt'" in limit[0].message
    assert "Note number 25" not in "\n".join(b.text for b in doc.all_blocks())


def test_unsupported_attachment_is_listed_by_name_and_nested_files_keep_their_chain(tmp_path):
    inner = _message("Witness statement", "My manager's note is attached.")
    inner.add_attachment(b"Statement text from the manager.", maintype="text", subtype="plain",
                         filename="statement.txt")
    outer = _message("Fwd: witness", "Forwarded.")
    outer.add_attachment(inner)
    outer.add_attachment(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, maintype="image", subtype="png", filename="photo.png")
    path = tmp_path / "mixed.eml"
    path.write_bytes(outer.as_bytes())
    doc = parse_file(path)
    unread = [f for f in doc.findings if f.code == "PC119"]
    assert len(unread) == 1 and "'photo.png'" in unread[0].message
    chains = [a.path.split("::", 1)[1] for a in doc.attachments]
    assert chains == ["Witness statement.eml", "Witness statement.eml::statement.txt"]
    assert any(b.text == "Statement text from the manager." and b.role is Role.PARAGRAPH
               for b in doc.all_blocks())


def test_attachment_name_cannot_escape_the_temporary_folder(tmp_path):
    msg = _message("Sneaky", "Body.")
    msg.add_attachment(b"Escaped?", maintype="text", subtype="plain", filename="../../outside.txt")
    path = tmp_path / "sneaky.eml"
    path.write_bytes(msg.as_bytes())
    doc = parse_file(path)
    assert [a.path.rsplit("::", 1)[-1] for a in doc.attachments] == ["outside.txt"]
    assert not (tmp_path.parent / "outside.txt").exists()
