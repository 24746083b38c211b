"""A piece's date, its source, and the problems a tutor is told about."""
from __future__ import annotations

import datetime as dt

import pytest

from portfolio_check.dating import date_problem, dates_in, piece_date
from portfolio_check.models import Block, DocMetadata, Document, Location, Role

START, GATEWAY, TODAY = dt.date(2024, 1, 8), dt.date(2025, 3, 3), dt.date(2025, 3, 10)


def _doc(*texts: str, kind: str = "docx", properties=None, created: str | None = None) -> Document:
    blocks = tuple(Block(Role.PARAGRAPH, t, Location(paragraph=i + 1)) for i, t in enumerate(texts))
    return Document(path="x", kind=kind, blocks=blocks, metadata=DocMetadata(created=created),
                    properties=properties or {})


@pytest.mark.parametrize("text, expected", [
    ("Signed: M. Reid, Team Leader, 14 January 2025", dt.date(2025, 1, 14)),
    ("on the 3rd of March 2024 I took the call", dt.date(2024, 3, 3)),
    ("meeting 02/09/2024", dt.date(2024, 9, 2)),          # UK order: day first
    ("export run 2024-11-30", dt.date(2024, 11, 30)),
    ("March 5, 2024", dt.date(2024, 3, 5)),
    ("31/02/2024 is not a date", None),
])
def test_written_dates_are_read_the_uk_way(text, expected):
    found = dates_in(text)
    assert (found[0] if found else None) == expected


def test_a_date_field_in_a_form_wins_over_dates_mentioned():
    doc = _doc("On 2 May 2024 the customer rang back.", "Date", "14/01/2025", "Signature", "M Reid")
    pd = piece_date(doc)
    assert (pd.date, pd.source) == (dt.date(2025, 1, 14), "stated date field")


def test_email_header_then_metadata():
    mail = _doc("Thanks for your help.", kind="email", properties={"date": "Mon, 10 Feb 2025 09:12:00 +0000"})
    assert piece_date(mail).source == "e-mail Date header" and piece_date(mail).date == dt.date(2025, 2, 10)
    meta = _doc("No dates here at all.", created="2024-06-01T10:00:00Z")
    assert piece_date(meta).source == "document metadata" and piece_date(meta).date == dt.date(2024, 6, 1)
    assert piece_date(_doc("Nothing dates this piece.")) is None


def test_a_template_timestamp_is_not_the_pieces_date():
    # python-docx's default template stamp, kept by files a python-docx-based tool saves: it
    # would date the piece to 2013, years before the programme, and raise a false finding
    stamped = _doc("Nothing else dates this piece.", created="2013-12-23T23:15:00Z")
    assert piece_date(stamped) is None
    assert piece_date(_doc("Nothing else dates this piece.", created="2013-12-23T09:00:00Z")).date == dt.date(2013, 12, 23)


def test_witness_signed_in_2031_is_in_the_future():
    pd = piece_date(_doc("Signed: M. Reid, Team Leader, 14 January 2031"))
    problem = date_problem("WT.docx", pd, START, GATEWAY, today=TODAY)
    assert problem.code == "PC522" and "future" in problem.message


def test_before_the_start_and_after_the_gateway():
    before = piece_date(_doc("Date: 12/11/2023"))
    assert date_problem("old.docx", before, START, GATEWAY, today=TODAY).code == "PC520"
    after = piece_date(_doc("Date: 05/03/2025"))
    assert date_problem("late.docx", after, START, GATEWAY, today=TODAY).code == "PC521"
    inside = piece_date(_doc("Date: 05/03/2024"))
    assert date_problem("ok.docx", inside, START, GATEWAY, today=TODAY) is None


def test_mentioned_dates_only_show_a_piece_predates_the_programme():
    """A plan mentioned in a reflection ("my EPA is booked for ...") is not the piece's date."""
    plan = piece_date(_doc("I reflected on this on 4 March 2024.", "My EPA is booked for 12 June 2031."),)
    assert plan.date == dt.date(2024, 3, 4)
    assert date_problem("r.docx", plan, START, GATEWAY, today=TODAY) is None
    old = piece_date(_doc("This happened on 1 June 2023 in my previous job."))
    assert date_problem("r.docx", old, START, GATEWAY, today=TODAY).code == "PC520"
