"""Both taggers on short texts written for these tests (sectors the dev cohort does not use),
including the traps the issue names: a keyword without substance, a citation without
evidence, a negation, a future aim. The semantic tagger is the default; the lexical one is
still shipped for ST0071 (``--lexical``), so each trap and citation rule is checked on both.
The semantic tagger's own tests, including these worked one-liners, are in
test_tagging_semantic.py."""
import pytest

from portfolio_check.models import Block, Role
from portfolio_check.standards import load_standard
from portfolio_check.tagging import TaggingConfig, TaggingEngine
from portfolio_check.tagging.evidence_type import classify
from portfolio_check.models import Document


@pytest.fixture(scope="module", params=["semantic", "lexical"])
def engine(request):
    return TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=request.param == "semantic"))


@pytest.fixture(scope="module")
def lexical_engine():
    return TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=False))


def _tag(engine, text, context="portfolio"):
    blocks = [Block(Role.PARAGRAPH, p) for p in text.split("\n\n")]
    return engine.tag_blocks(blocks, context)


EVIDENCED = [
    ("K7", "A passenger's wheelchair was damaged on the outbound flight. I referred the claim to our special "
           "assistance team because repairs to mobility equipment need specialist assessment and approval above "
           "my authority."),
    ("K9", "Our refund policy lets me authorise goodwill up to £75; anything above my limit needs the duty manager's "
           "approval because refunds come from the store's budget and must be consistent between customers."),
    ("S8", "Rather than sending a courier for a second delivery, which would cost us £18, I decided to offer the "
           "customer collection from the local depot the same day, which was quicker for her and cheaper for us."),
    ("K5", "When I covered for the shift supervisor during the system outage I used a directive style to give each "
           "agent a clear task. Later I switched to a coaching style with a new agent who was struggling, because "
           "that suited her better than being told what to do."),
    ("B8", "I buddied two new starters in their first week and showed them how to use the booking system. "
           "I also wrote a guide for new colleagues, and both now pass their quality checks first time."),
    ("B5", "I promised the patient I would call back by 3pm with her test appointment, and I called at 2pm as promised."),
    ("K10", "My internal customers in the warehouse need short, precise messages, while external customers on the "
            "phone need reassurance, so I adapt how I communicate with each of them."),
    ("B2", "My development goal this year was to handle complaints without escalating them. Actions: I completed "
           "the complaints e-learning and shadowed a senior adviser. Progress: achieved in March, reviewed with my manager."),
    ("K18", "I read the Institute of Customer Service's research on complaint handling and compared our letters "
            "with other organisations in the sector. Based on that best practice I now use a shorter opening paragraph."),
    ("K12", "Our survey showed that being kept informed is the strongest driver of customer satisfaction and "
            "loyalty; customers who were updated were far more likely to renew and to recommend us."),
    ("S2", "The guest's complaint was complicated: a double booking, a lost deposit and an angry partner. "
           "I tried several approaches, first an alternative room, then a refund of the deposit, and the complaint "
           "was resolved the same evening."),
    ("B1", "I keep my product knowledge up to date by completing the monthly e-learning on new tariffs and reading "
           "the regulator's updates. Since then I now explain the new charges correctly first time."),
    ("K2", "By resolving queries at first contact I saved the business around £4,000 a year in repeat calls, and "
           "our customer satisfaction score rose by 6%, which adds value to the organisation."),
]


@pytest.mark.parametrize("code,text", EVIDENCED, ids=[c for c, _ in EVIDENCED])
def test_worked_evidence_is_accepted_with_its_quote(lexical_engine, code, text):
    # The lexical tagger accepts all 13; the semantic one ranks each first and accepts at
    # least 9 (test_tagging_semantic.py): one sentence is thin evidence for a learned model.
    result = _tag(lexical_engine, text)
    s = next((s for s in result.suggestions if s.ksb == code), None)
    assert s is not None and s.accepted, [(x.ksb, x.score) for x in result.suggestions]
    assert s.quotes and all(q.sentence in text for q in s.quotes)


TRAPS = [
    ("keyword without substance", "Leadership styles are an interesting topic.", "K5"),
    ("future aim", "Next year I would like to read about different leadership styles and try leading the team.", "K5"),
    ("negation", "I have not yet led a huddle or coached any new starters.", "B8"),
    ("negation", "I never escalate complaints to my team leader.", "K7"),
    ("keyword without substance", "The word budget appears on the cost centre report.", "S8"),
]


@pytest.mark.parametrize("why,text,code", TRAPS, ids=[f"{c}-{w}" for w, _, c in TRAPS])
def test_traps_are_not_accepted(engine, why, text, code):
    result = _tag(engine, text)
    assert code not in result.accepted


def test_citation_without_evidence_is_a_claim_not_coverage(engine):
    result = _tag(engine, "KSBs: K5, B8 (see also S2 and K12).\n\nI answered calls on the switchboard today.")
    assert result.cited == ("K5", "K12", "S2", "B8")
    assert set(result.cited_not_evidenced) == {"K5", "K12", "S2", "B8"}
    assert not result.accepted


def test_citation_with_evidence_is_credited_and_marked(engine):
    text = "This shows K7. " + EVIDENCED[0][1]
    result = _tag(engine, text)
    s = next(s for s in result.suggestions if s.ksb == "K7")
    assert s.accepted and s.cited and "K7" not in result.cited_not_evidenced


def test_method_prior_prefers_the_expected_method(engine):
    text = ("I mapped the end-to-end customer journey with colleagues from billing and the field team and found "
            "three pain points where customers lost confidence.")
    portfolio = {s.ksb: s.score for s in _tag(engine, text, "portfolio").suggestions}
    report = {s.ksb: s.score for s in _tag(engine, text, "report").suggestions}
    assert report["K6"] > portfolio["K6"]


def test_no_suggestion_without_a_quote(engine, samples):
    from portfolio_check.parse import parse_file
    for f in (samples / "cohort" / "apr-001" / "portfolio").iterdir():
        for s in engine.tag_document(parse_file(f)).suggestions:
            assert s.quotes


@pytest.mark.parametrize("name,text,expected", [
    ("WT_line_manager.docx", "Witness testimony. I have managed Sam for a year. Signed: A. Lee", "witness_testimony"),
    ("notes.docx", "Minutes of the team meeting. Attendees: all advisers. Actions: Sam to update the guide.", "meeting_notes"),
    ("certificate.pdf", "This is to certify that Sam Okafor has attended Consumer Duty training.", "training_certificate"),
    ("complaints_policy.docx", "Complaints policy. The purpose of this policy is to set out how complaints are handled. Policy owner: Head of Service.", "policy_document"),
    ("my_pdp.docx", "Personal development plan. Goal: improve written replies.", "personal_development_plan"),
    ("reflection.txt", "Reflective account. What I learned from a difficult call.", "reflective_account"),
])
def test_evidence_type(name, text, expected):
    doc = Document(path=name, kind="docx", blocks=(Block(Role.PARAGRAPH, text),))
    et = classify(doc)
    assert et.type == expected and 0 < et.confidence <= 1
