"""The counter follows desktop Word's rules (WORDCOUNT-RULES.md); each row is a rule a tutor
or an apprentice would check by hand."""
import pytest

from portfolio_check.models import Block, Document, Role
from portfolio_check.wordcount import CountOptions, count_words, document_word_count


@pytest.mark.parametrize("text,expected", [
    ("Hello world", 2),
    ("real-time father-in-law vis-a-vis", 3),          # hyphenated compounds are one word
    ("and/or words/separated/by/slashes", 2),          # slash-joined is one word
    ("e.g. U.S. www.example.com", 3),                  # dot-joined and URLs
    ("https://www.legislation.gov.uk/ukpga/2015/15 is the Act", 4),
    ("1,250 customers and 3.5% of £1,000", 6),
    ("June 30, 2003", 3),
    ("don't can't", 2),
    ("a – b", 3),                                      # a free-standing dash counts (default)
    ("this—that", 1),                                  # a dash joining words does not split them
    ("日本語", 3),                                      # each CJK character is a word
    ("Hello 世界", 3),
    ("안녕하세요", 5),
    ("great 😀", 1),                                    # emoji do not add words
    ("", 0),
    ("   \t\n ", 0),
    ("tab\tseparated\nlines", 3),
    ("ten\u00a0kg", 2),                                # a non-breaking space still separates
])
def test_word_rules(text, expected):
    assert count_words(text) == expected


def test_lone_dash_is_a_setting():
    assert count_words("a – b — c", CountOptions(count_lone_dashes=False)) == 3
    assert count_words("a – b — c") == 5


def test_nbsp_is_a_setting():
    assert count_words("ten\u00a0kg", CountOptions(nbsp_separates=False)) == 1


def _doc(blocks, **props):
    return Document(path="x.docx", kind="docx", blocks=tuple(blocks), properties=props)


def test_headers_and_footers_never_count():
    doc = _doc([Block(Role.PARAGRAPH, "one two three"), Block(Role.HEADER, "Company name"),
                Block(Role.FOOTER, "Page 1 of 3")])
    assert document_word_count(doc) == 3


def test_notes_and_text_boxes_follow_the_word_option_and_the_document_setting():
    blocks = [Block(Role.PARAGRAPH, "body text here"), Block(Role.FOOTNOTE, "a note"),
              Block(Role.TEXT_BOX, "boxed words")]
    assert document_word_count(_doc(blocks)) == 7
    assert document_word_count(_doc(blocks), CountOptions(include_notes_and_boxes=False)) == 3
    # w:doNotIncludeSubdocsInStats stores the unticked box in the file itself
    assert document_word_count(_doc(blocks, doNotIncludeSubdocsInStats=True)) == 3


def test_word_2007_profile_counts_labels_and_trailing_space_paragraphs():
    blocks = [Block(Role.LIST_ITEM, "first item ", label="1."), Block(Role.PARAGRAPH, "end")]
    assert document_word_count(_doc(blocks, app_version="12.0000")) == 3 + 1 + 1
    assert document_word_count(_doc(blocks, app_version="16.0000")) == 3
