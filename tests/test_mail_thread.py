"""A forwarded thread: the customer's words are the case, the apprentice's reply is the
evidence, so a suggestion quotes the apprentice first. Texts from sectors neither dev cohort
uses (a veterinary practice, a council housing repairs line)."""
from __future__ import annotations

from email.message import EmailMessage

from portfolio_check.models import Block, Role
from portfolio_check.parse import parse_file
from portfolio_check.standards import load_standard
from portfolio_check.tagging import TaggingEngine
from portfolio_check.tagging.mail_thread import header_author, other_author_blocks

APPRENTICE = "Priya Nair <priya.nair@oakvets.example>"


def _blocks(*texts: str) -> list[Block]:
    return [Block(Role.PARAGRAPH, t) for t in texts]


def test_inline_headers_name_their_author():
    assert header_author("From: Mrs Helen Tranter <h.tranter@example.net>\nSent: 4 March 2025") == \
        "Mrs Helen Tranter <h.tranter@example.net>"
    assert header_author("On Tue, 4 Mar 2025 at 09:12, Helen Tranter wrote:") == "Helen Tranter"
    assert header_author("> From: Helen Tranter") == "Helen Tranter"
    assert header_author("I told her where the invoice came from: the lab.") is None
    # Outlook: the whole header run in one block
    assert header_author("-----Original Message-----\nFrom: Carl Whitby <carl.whitby@pool.example>\n"
                         "Sent: 25 June 2024 09:14\nTo: Dee Morris") == "Carl Whitby <carl.whitby@pool.example>"
    assert header_author("-----Original Message-----\nThanks, that is all I need.") is None


def test_the_customers_message_is_someone_elses_and_the_reply_is_the_apprentices():
    blocks = _blocks(
        "Forwarding for my portfolio.",                                   # the apprentice's own note
        "From: Mrs Helen Tranter <h.tranter@example.net>",
        "I was charged for a blood test my dog never had.",
        "From: Priya Nair",                                               # the apprentice again
        "I checked the lab log, removed the charge and explained the mistake.",
    )
    assert other_author_blocks(blocks, APPRENTICE) == {1, 2}


def test_a_reply_quoted_with_wrote_and_an_unknown_sender_mark_nothing_wrongly():
    blocks = _blocks("Thanks, all sorted now.", "On 4 Mar 2025, priya.nair@oakvets.example wrote:",
                     "I have booked the recheck for Friday.")
    assert other_author_blocks(blocks, APPRENTICE) == set()           # her own earlier message
    assert other_author_blocks(_blocks("From: Helen Tranter", "My dog is ill."), None) == set()


def _forwarded_complaint(path):
    msg = EmailMessage()
    msg["From"] = "Dan Osei <dan.osei@cityhomes.example>"
    msg["To"] = "Skills Coach <coach@provider.example>"
    msg["Subject"] = "FW: leak in flat 4"
    msg["Date"] = "Mon, 10 Mar 2025 09:00:00 +0000"
    msg.set_content(
        "Evidence of how I handled a repair I could not approve myself.\n\n"
        "From: Mr Colin Hart\nSent: 6 March 2025\n\n"
        "I rang on Monday and was told the repair needed a supervisor's approval, so it was escalated, "
        "but nothing happened.\n\n"
        "From: Dan Osei\n\n"
        "Dear Mr Hart, a same-day emergency repair is above my authority, so I escalated your case to the "
        "repairs supervisor with the photos you sent, and she approved it within the hour.\n")
    path.write_bytes(bytes(msg))
    return path


def test_the_quote_is_the_apprentices_reply_not_the_customers_complaint(tmp_path):
    doc = parse_file(_forwarded_complaint(tmp_path / "FW_leak.eml"))
    result = TaggingEngine(load_standard("ST0071")).tag_document(doc)
    k7 = next(s for s in result.suggestions if s.ksb == "K7")        # escalation within authority limits
    assert k7.accepted
    # Without the thread's authors the tenant's "it was escalated" was quoted first, and the
    # "From: ... Sent: ..." header lines filled the other quotes.
    assert k7.quotes[0].sentence.startswith("Dear Mr Hart, a same-day emergency repair is above my authority")
    assert not any(q.sentence.startswith(("From:", "Sent:")) for q in k7.quotes)


def test_header_blocks_are_only_headers():
    blocks = _blocks("From: Mr Colin Hart\nSent: 6 March 2025", "-----Original Message-----",
                     "On 4 Mar 2025, Colin Hart wrote:", "From: Colin Hart\nThe ceiling is still leaking.")
    from portfolio_check.tagging.mail_thread import header_blocks
    assert header_blocks(blocks) == {0, 1, 2}      # the last goes on into the message itself
