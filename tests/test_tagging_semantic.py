"""The semantic tagger (issue 8): guards on worked texts from sectors neither dev cohort uses
(veterinary practice, council housing repairs, airline ground handling, water utility, library
services, bank branch, pharmacy), bullet splitting, any standard without a lexicon, the
encoder missing, no network, and no acceptance on pieces that evidence nothing."""
import csv
import json
import socket
import textwrap

import pytest

from portfolio_check.cli import main
from portfolio_check.models import Block, Role
from portfolio_check.standards import load_standard
from portfolio_check.tagging import TaggingConfig, TaggingEngine, guards
from portfolio_check.tagging.engine import split_bullets
from portfolio_check.tagging.fusion import load_models
from portfolio_check.tagging.semantic import NEEDS_EXEMPLARS, NEEDS_LEXICON, strip_boilerplate


SEMANTIC = TaggingConfig(semantic=True)


@pytest.fixture(scope="module")
def engine():
    return TaggingEngine(load_standard("ST0071"), SEMANTIC)


def _tag(engine, text, context="portfolio"):
    return engine.tag_blocks([Block(Role.PARAGRAPH, p) for p in text.split("\n\n")], context)


# -- the guards, sentence by sentence --------------------------------------------------------
FLAGGED = [
    (guards.HYPOTHETICAL, "If a pet owner got angry at the vet reception, I would try to calm them down."),
    (guards.HYPOTHETICAL, "At the bank counter I could offer the customer a fee refund in that situation."),
    (guards.INSTRUCTION, "You should always check the borrower's account before waiving library fines."),
    (guards.INSTRUCTION, "Describe a time when you resolved a complex issue for a passenger."),
    (guards.INSTRUCTION, "Situation: describe the context of the repair request."),
    (guards.PROCEDURE, "The agent has to review the notes before calling the tenant back about the repair."),
    (guards.PROCEDURE, "All staff must log every water quality complaint within 24 hours."),
    (guards.PROCEDURE, "Each dispenser is responsible for checking the prescription against the patient record."),
    (guards.OTHER_PERSON, "She referred the damaged wheelchair claim to the station duty manager."),
    (guards.OTHER_PERSON, "The supervisor phoned the customer about the burst main and arranged bottled water."),
    (guards.NEGATED, "I have not yet led a briefing for the ramp team."),
    (guards.NEGATED, "I never escalate a repair to the surveyor."),
    (guards.FUTURE, "Next year I want to lead the library's reading group for new volunteers."),
    (guards.FUTURE, "I plan to shadow the pharmacist when she counsels patients on new medicines."),
    (guards.GENERIC, "Good communication is key when a passenger's flight is cancelled."),
    (guards.GENERIC, "Empathy is a vital skill for anyone working on a veterinary reception."),
    (guards.GENERIC, "It is essential to be patient with library members who are upset."),
    (guards.GENERIC, "Water quality complaints are a very important part of the job."),
]


@pytest.mark.parametrize("flag,text", FLAGGED, ids=[f"{f}-{i}" for i, (f, _) in enumerate(FLAGGED)])
def test_guard_flags_what_is_not_evidence(flag, text):
    assert flag in guards.flags(text)


CLEAN = [
    "I referred the leaking boiler to the gas-safe engineer because the repair was beyond my authority.",
    "I promised the dog's owner I would call back by 3pm with the test results, and I called at 2.30pm.",
    "I checked the borrower's account, saw the fines came from a hospital stay and waived them within my limit.",
    "We rebooked the passenger on the next flight and I arranged a meal voucher while she waited.",
    # a judgement about the case in hand, not a general opinion: not "generic"
    "The repair was important to the tenant because her son uses a wheelchair, so I booked the first slot.",
    "This is important because the pet is diabetic, so I flagged the booking for the vet.",
]


@pytest.mark.parametrize("text", CLEAN)
def test_guards_leave_worked_first_person_evidence_alone(text):
    assert guards.flags(text) == frozenset()


def test_third_person_is_evidence_in_a_witness_testimony():
    text = "She referred the damaged wheelchair claim to the station duty manager."
    assert guards.OTHER_PERSON not in guards.flags(text, guards.GuardContext(third_person_ok=True))


# -- the guards inside the tagger: keyword-rich non-evidence is never accepted ----------------
NOT_EVIDENCE = [
    ("hypothetical", "If a pet owner complained about the bill, I would explain the charges and I could offer a "
                     "payment plan. I might refer the complaint to the practice manager if it was beyond my authority."),
    ("procedure", "The agent has to review the repair history before booking. Staff must escalate any gas leak to the "
                  "emergency team. Each adviser is responsible for recording the tenant's vulnerability."),
    ("instruction", "Describe a time when you used a leadership style. Explain why you chose it. "
                    "You should include the outcome and what you learned."),
    ("future", "Next year I want to lead the check-in team. I plan to coach new ground staff and I hope to read "
               "about leadership styles."),
    ("generic", "Leadership styles are an interesting topic. Good communication is key in a water company's "
                "contact centre. It is important to keep customers informed about supply interruptions."),
]


@pytest.mark.parametrize("why,text", NOT_EVIDENCE, ids=[w for w, _ in NOT_EVIDENCE])
def test_text_made_only_of_guarded_sentences_is_never_accepted(engine, why, text):
    result = _tag(engine, text)
    assert result.suggestions, "ranked suggestions are still shown for the tutor"
    assert not result.accepted


# -- units --------------------------------------------------------------------------------------
def test_plain_text_bullets_are_split_into_items():
    text = "What I did at the branch:\n- checked the customer's ID\n- raised the fraud case\n  with the specialist team\n* called her back the same day"
    assert split_bullets(text) == ["What I did at the branch:", "checked the customer's ID",
                                   "raised the fraud case with the specialist team", "called her back the same day"]
    assert split_bullets("One paragraph about the pharmacy counter.") == ["One paragraph about the pharmacy counter."]


def test_bullet_items_are_quoted_alone(engine):
    text = ("Actions this month:\n- I referred a patient's repeat prescription problem to the pharmacist because "
            "only she can authorise an emergency supply\n- I tidied the stock room\n- I updated the rota")
    result = _tag(engine, text)
    for s in result.suggestions:
        for q in s.quotes:
            assert "\n" not in q.sentence and not q.sentence.startswith("-")


def test_a_title_line_is_never_quoted_and_the_worked_sentence_is(engine):
    """A plain title line names the topic, so it is close to many KSBs; quoting it for each of
    them would tell the tutor nothing. The escalation sentence, long and full of case detail,
    is quoted first for K7 (airline ground handling, a sector neither dev cohort uses)."""
    title = "Reflective account: a passenger's damaged wheelchair at Gate 14"
    body = ("Mr Okonjo arrived on the 07:40 from Lagos and his power chair came off the hold with a snapped "
            "footrest. He needed it to get to his connecting coach at 10:15. I checked the baggage record, "
            "photographed the damage and passed the claim to the station duty manager because compensation over "
            "two hundred pounds is above my authority and only she can approve a loan chair. I told Mr Okonjo I "
            "would ring him before 9:30 with an answer and I rang at 9:10 with the loan chair booked.")
    result = engine.tag_blocks([Block(Role.PARAGRAPH, title), Block(Role.PARAGRAPH, body)])
    assert result.suggestions
    assert all(q.sentence != title for s in result.suggestions for q in s.quotes)
    k7 = next(s for s in result.suggestions if s.ksb == "K7")
    assert k7.accepted and "station duty manager" in k7.quotes[0].sentence


def test_a_forms_letterhead_and_title_are_never_quoted(engine):
    """A witness form, typed or read by OCR from a scan, opens with the organisation's
    letterhead and the form's name: neither is evidence of anything (a garden centre)."""
    head = ["Greenacre Garden Centres | Customer Services", "Witness Testimony"]
    body = ("Priya was on the service desk when a customer brought back a dead olive tree and asked for a "
            "sixty pound refund. She explained that refunds over fifty pounds need the duty manager's approval, "
            "rang me straight away and told the customer exactly when the money would be back on her card.")
    result = engine.tag_blocks([Block(Role.PARAGRAPH, t) for t in head] + [Block(Role.PARAGRAPH, body)])
    assert result.suggestions
    quoted = {q.sentence for s in result.suggestions for q in s.quotes}
    assert quoted and not quoted & set(head)


def test_a_forms_field_lines_are_never_quoted(engine):
    """A witness form's "Job title:" and "Signed:" lines sat close to the KSB the form is about
    and were quoted as its evidence, into the EPAO's matrix (a ferry port's check-in desk)."""
    fields = ["Witness name: Alan Brody", "Job title: Check-in Supervisor", "Apprentice: Nia Evans, Check-in Agent.",
              "Relationship to apprentice: line manager"]
    body = ("Nia was on the desk when a coach party arrived after the car deck had closed. She checked the "
            "booking, explained calmly that the sailing was full and that only the duty officer can authorise "
            "a standby place, rang him, and told the group leader exactly when the next sailing would board.")
    sign = "Signed: A. Brody, Check-in Supervisor, 3 March 2025"
    result = engine.tag_blocks([Block(Role.PARAGRAPH, t) for t in fields + [body, sign]])
    quoted = {q.sentence for s in result.suggestions for q in s.quotes}
    assert quoted and not quoted & set(fields + [sign])


@pytest.mark.parametrize("line, field", [
    ("Job title: Responsive Repairs Manager", True),
    ("Signed: M. Reid, Team Leader, 14 January 2025", True),
    ("Date of observation: 12/03/2025", True),
    ("Outcome: I refunded the customer and apologised for the delay", False),     # first person: a sentence
    ("Lessons: we now call back within the hour on every complaint we log", False),
    ("security to 513 22:20, 2nd visit 22:50 final warning", False),              # a time, not a label
    ("sometimes over-explains. Next visit: S13 and a complaint call.", False),
    ("The customer was upset because the engineer had not arrived and nobody had rung her", False),
])
def test_a_form_field_is_a_short_label_and_value_not_a_sentence(line, field):
    from portfolio_check.tagging.engine import is_form_field
    assert is_form_field(line) is field


def test_boilerplate_is_stripped_from_amplifications():
    assert strip_boilerplate("Apprentices need to understand how their role adds value.") == \
        "Understand how their role adds value."


# -- any standard, with or without a lexicon ------------------------------------------------------
MINI_STANDARD = textwrap.dedent("""\
    schema_version: 1
    code: VET-RECEPTION-L2
    title: Veterinary Receptionist (made up for this test)
    level: 2
    methods:
      PD: {name: Professional discussion}
    ksbs:
      - {code: K1, kind: knowledge, method: PD, statement: "How to triage appointment requests by urgency of the animal's condition"}
      - {code: S1, kind: skill, method: PD, statement: "Take payments and explain treatment estimates to pet owners"}
      - {code: B1, kind: behaviour, method: PD, statement: "Show compassion to owners of sick or dying animals"}
    gateway:
      on_programme_months: 12
      english_level: null
      maths_level: null
      declaration_required: false
      portfolio: {min_pieces: 1, max_pieces: 10, serves_method: PD}
      report: null
    report_policies:
      none: {counts: [body_text]}
    """)


def test_tag_works_for_a_standard_written_in_a_temp_folder(tmp_path, capsys):
    (tmp_path / "standards").mkdir()
    (tmp_path / "standards" / "VET-RECEPTION-L2.yaml").write_text(MINI_STANDARD)
    piece = tmp_path / "reflection.txt"
    piece.write_text("A owner rang because her dog had eaten rat poison. I booked him in as an emergency straight "
                     "away ahead of the routine vaccinations, because poisoning is time-critical.")
    code = main(["tag", str(piece), "--standard", "VET-RECEPTION-L2", "--standards-dir", str(tmp_path / "standards"),
                 "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["suggestions"][0]["ksb"] == "K1"
    assert all(s["quotes"] for s in data["suggestions"])
    assert data["suggestions"][0]["quotes"][0][0] in piece.read_text()


def test_tag_works_for_ops_manager_which_has_no_lexicon(samples, capsys):
    piece = next((samples / "cohort" / "apr-001" / "portfolio").glob("08_*"))
    assert main(["tag", str(piece), "--standard", "OPS-MANAGER-L5", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    scores = [s["score"] for s in data["suggestions"]]
    assert scores and scores == sorted(scores, reverse=True)
    assert all(s["quotes"] and s["quotes"][0][1] for s in data["suggestions"])


def test_engine_without_a_lexicon_uses_the_generic_model():
    engine = TaggingEngine(load_standard("OPS-MANAGER-L5"))
    assert engine.lexical is None and engine.uses_semantic and engine.model.name == "generic"


# -- worked one-liners (the lexical tagger's tests, test_tagging.py) through the semantic tagger --
from test_tagging import EVIDENCED  # noqa: E402


@pytest.mark.parametrize("code,text", EVIDENCED, ids=[c for c, _ in EVIDENCED])
def test_worked_evidence_is_the_top_semantic_suggestion_with_its_quote(engine, code, text):
    result = _tag(engine, text)
    assert result.suggestions and result.suggestions[0].ksb == code, [(x.ksb, x.score) for x in result.suggestions]
    assert result.suggestions[0].quotes and all(q.sentence in text for q in result.suggestions[0].quotes)


def test_most_worked_one_liners_are_accepted(engine):
    # Measured with the shipped weights: 9 of these 13 one-or-two-sentence accounts are
    # accepted; the others rank first but score under the learned threshold (one sentence is
    # thin evidence, and nothing was tuned on these texts).
    accepted = [code for code, text in EVIDENCED if code in _tag(engine, text).accepted]
    assert len(accepted) >= 9, accepted


def test_off_method_ksbs_are_suggested_and_marked_apart(engine):
    # No 0.6 off-method multiplier: a work-based-project KSB shown by a portfolio piece is
    # suggested at its own strength, marked off_method, and listed as "also evidences".
    text = ("I mapped the end-to-end customer journey with colleagues from billing and the field team and found "
            "three pain points where customers lost confidence.")
    result = _tag(engine, text)
    k6 = next(s for s in result.suggestions if s.ksb == "K6")
    assert k6.off_method and result.suggestions.index(k6) < 3
    assert set(result.also_evidences) == {s.ksb for s in result.suggestions if s.accepted and s.off_method}
    assert result.to_dict()["also_evidences"] == list(result.also_evidences)


def test_semantic_is_the_default_and_lexical_only_where_a_lexicon_exists():
    st = load_standard("ST0071")
    assert TaggingEngine(st).uses_semantic
    assert not TaggingEngine(st, TaggingConfig(semantic=False)).uses_semantic
    # a standard without a lexicon has only the semantic tagger, whatever is asked
    assert TaggingEngine(load_standard("OPS-MANAGER-L5"), TaggingConfig(semantic=False)).uses_semantic


# -- the model file --------------------------------------------------------------------------------
def test_shipped_models_match_the_feature_code(engine):
    """Every feature a shipped model was trained on is one the runtime code computes, the
    generic model needs nothing standard-specific, and the exemplar data has the right shape."""
    models = load_models()
    assert not (set(models["generic"].features) & (NEEDS_EXEMPLARS | NEEDS_LEXICON))
    assert engine.model.name == "ST0071"
    ex = models["ST0071"].exemplars
    assert ex.unit.shape == (47, 384)
    if ex.units is not None:
        assert ex.units.shape == (len(ex.unit_ksb), 384) and set(ex.unit_ksb) <= set(range(47))
    for m in models.values():
        assert 0 < m.threshold < 1
        assert len(m.coef) == len(m.features)
    blocks = [Block(Role.PARAGRAPH, "I logged the customer's complaint and called her back the same day.")]
    sentences, docs = engine.sentences(blocks)
    _, x = engine.analyse(sentences, docs, "portfolio", None)
    assert x.shape == (47, len(engine.model.features))


def test_runtime_tagging_never_imports_scikit_learn(engine):
    import sys
    _tag(engine, "I referred the burst water main to the network team because it needed an excavation permit.")
    assert "sklearn" not in sys.modules


# -- failure modes ----------------------------------------------------------------------------------
def test_tagging_leaves_the_notebooks_blas_threads_as_they_were(engine):
    """Tagging runs numpy's BLAS on one thread (faster on its small products), but only while
    it tags: a tutor's notebook keeps every thread for its own numpy work afterwards."""
    from threadpoolctl import threadpool_info, threadpool_limits

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        seen = []
        real = engine.analyse

        def spy(*a, **k):
            seen.append(blas_threads())
            return real(*a, **k)

        engine.analyse = spy
        try:
            _tag(engine, "I took the complaint to my team leader because the refund was above my limit.")
        finally:
            del engine.analyse
        assert seen and all(t == 1 for t in seen[0]), "BLAS should run on one thread while tagging"
        assert blas_threads() == before


def test_tutor_decisions_move_the_semantic_score_the_right_way():
    """Learning from decisions with the semantic tagger: a sentence the tutor confirmed for a KSB
    (a garage's parts desk) becomes one of its exemplars and raises that KSB on a similar
    sentence in another sector (housing repairs); a rejected one lowers it. The learned
    positives go through the fusion (kNN exemplars), never added on top of its probability."""
    st = load_standard("ST0071")
    confirmed = ("Before ringing the garage back I read the last three contacts on the account, so I knew the "
                 "part had already been promised twice.")
    similar = ("Before I called the tenant I looked through the earlier repair tickets on the account and saw "
               "the boiler had been promised twice already.")

    def score(learned):
        # show_floor 0: every KSB listed, so a score pushed under the display floor is still read
        engine = TaggingEngine(st, TaggingConfig(semantic=True, learned=learned, show_floor=0.0))
        result = engine.tag_blocks([Block(Role.PARAGRAPH, similar)])
        return next(x.score for x in result.suggestions if x.ksb == "S14"), result

    before, _ = score(())
    after, result = score((("S14", confirmed, True),))
    assert after > before
    assert all(t == "semantic" for x in result.suggestions for t in x.taggers)   # no add-on candidate
    rejected, _ = score((("S14", similar, False),))
    assert rejected < before


def test_missing_encoder_is_a_clear_error_never_a_silent_pass(monkeypatch, tmp_path, capsys):
    from portfolio_check.tagging import encoder
    monkeypatch.setattr(encoder, "_ENCODER", None)
    monkeypatch.setenv(encoder.MODEL_DIR_ENV, str(tmp_path / "nowhere"))
    engine = TaggingEngine(load_standard("ST0071"), SEMANTIC)
    with pytest.raises(encoder.EncoderUnavailable, match="missing"):
        _tag(engine, "I referred the claim to the baggage team.")
    piece = tmp_path / "piece.txt"
    piece.write_text("I referred the claim to the baggage team because the repair cost was above my limit.")
    assert main(["tag", str(piece), "--semantic"]) == 2
    err = capsys.readouterr().err
    assert "cannot suggest KSBs" in err and "pip install" in err


def test_no_network_during_tagging(engine, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("network use during tagging")
    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    fresh = TaggingEngine(load_standard("OPS-MANAGER-L5"))
    assert _tag(fresh, "I coached two new shift leaders through their first month.").suggestions
    assert _tag(engine, "I coached two new check-in agents through their first month.").suggestions


@pytest.mark.shared
def test_nothing_accepted_on_pieces_that_evidence_nothing(engine, shared):
    from portfolio_check.parse import parse_file
    checked = 0
    for cohort in ("dev-cohort", "dev-cohort-2"):
        for r in csv.DictReader(open(shared / cohort / "labels.csv", encoding="utf-8")):
            if r["primary_ksbs"].strip():
                continue
            if r["evidence_type"] != "training_certificate" and not {"not_apprentice_work", "out_of_scope"} & set(r["flags"].split()):
                continue
            doc = parse_file(shared / cohort / r["apprentice_id"] / "portfolio" / r["file"])
            result = engine.tag_document(doc, "portfolio", r["file"])
            assert not result.accepted, (r["file"], result.accepted)
            checked += 1
    assert checked >= 5


def test_scores_under_the_display_floor_are_not_listed_beyond_the_best_five(engine):
    # A one-line note from a library service: the tagger scores all 47 KSBs, but a tutor reads
    # only its best five and any other KSB it gives some chance (TaggingConfig.show_floor).
    result = _tag(engine, "I read the council's new guidance on overdue fines and changed how I explain them to members.")
    cfg = TaggingConfig()
    assert len(result.suggestions) >= cfg.show_at_least
    assert all(s.score >= cfg.show_floor for s in result.suggestions[cfg.show_at_least:])
    everything = TaggingEngine(load_standard("ST0071"), TaggingConfig(show_floor=0.0)).tag_blocks(
        [Block(Role.PARAGRAPH, "I read the council's new guidance on overdue fines and changed how I explain them to members.")])
    assert len(everything.suggestions) > len(result.suggestions)     # the floor did leave KSBs out
    assert [s.ksb for s in everything.suggestions[:5]] == [s.ksb for s in result.suggestions[:5]]


# -- the acceptance bar learned from a cohort's decisions (tagging/calibration.py) --------------
LIBRARY_NOTE = "I read the council's new guidance on overdue fines and changed how I explain them to members."


def test_a_learned_bar_accepts_what_the_shipped_bar_only_calls_possible(engine):
    """A cohort whose tutor credits weaker evidence gets a lower bar: the same suggestion, the
    same score, now accepted; the shipped bar is untouched without it."""
    shipped = _tag(engine, LIBRARY_NOTE)
    top = shipped.suggestions[0]
    assert not top.accepted and 0.1 < top.score < engine.acceptance_threshold
    bar = round(top.score - 0.01, 2)
    lowered = TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True, learned_threshold=bar))
    assert lowered.acceptance_threshold == bar
    again = _tag(lowered, LIBRARY_NOTE).suggestions[0]
    assert (again.ksb, again.score, again.accepted) == (top.ksb, top.score, True)
    # the tutor reads why: accepted only at the cohort's lower bar
    assert f"accepted at this cohort's bar learned from decisions ({bar:.2f}), under the shipped 0.50" in again.reason
    assert "learned from decisions" not in top.reason


@pytest.fixture(scope="module")
def lowest_bar_engine():
    from portfolio_check.tagging.calibration import GRID
    return TaggingEngine(load_standard("ST0071"), TaggingConfig(semantic=True, learned_threshold=min(GRID)))


@pytest.mark.parametrize("why,text", NOT_EVIDENCE, ids=[w for w, _ in NOT_EVIDENCE])
def test_the_lowest_learnable_bar_still_accepts_nothing_made_only_of_guarded_sentences(lowest_bar_engine, why, text):
    assert not _tag(lowest_bar_engine, text).accepted


@pytest.mark.shared
def test_the_lowest_learnable_bar_accepts_nothing_on_pieces_that_evidence_nothing(lowest_bar_engine, shared):
    """Policies and certificates are capped under whatever bar applies, a learned one included."""
    from portfolio_check.parse import parse_file
    checked = 0
    for cohort in ("dev-cohort", "dev-cohort-2"):
        for r in csv.DictReader(open(shared / cohort / "labels.csv", encoding="utf-8")):
            if r["primary_ksbs"].strip() or not (r["evidence_type"] == "training_certificate"
                                                 or {"not_apprentice_work", "out_of_scope"} & set(r["flags"].split())):
                continue
            doc = parse_file(shared / cohort / r["apprentice_id"] / "portfolio" / r["file"])
            assert not lowest_bar_engine.tag_document(doc, "portfolio", r["file"]).accepted, r["file"]
            checked += 1
    assert checked >= 5


def test_generic_model_reads_an_observation_record_as_evidence_of_observation_ksbs():
    """The generic model's OBSERVED_FEATURES: the same text scores a practical-observation KSB
    higher when the piece is an observation record than when it is a witness testimony (the
    other type whose third-person sentences are evidence), and leaves the
    professional-discussion KSBs' scores where they were."""
    from portfolio_check.tagging.base import EvidenceType
    from portfolio_check.tagging.fusion import model_for
    st = load_standard("ST0071")
    engine = TaggingEngine(st, SEMANTIC)
    engine._model = model_for("", "")          # what a standard without its own model gets
    assert {"obs_method", "obs_s_max"} <= set(engine.model.features)
    text = ("The apprentice greeted the tenant, listened without interrupting and summarised the repair "
            "problem back to her. She explained the two options and the tenant chose the morning slot.")
    blocks = [Block(Role.PARAGRAPH, text)]
    as_record = {s.ksb: s.score for s in engine.tag_blocks(blocks, "portfolio", EvidenceType("observation_record", 0.9)).suggestions}
    as_account = {s.ksb: s.score for s in engine.tag_blocks(blocks, "portfolio", EvidenceType("witness_testimony", 0.9)).suggestions}
    po = [k for k in as_record if st.ksb(k).method == "PO"]
    pd = [k for k in as_record if st.ksb(k).method == "PD" and k in as_account]
    assert po and all(as_record[k] > as_account.get(k, 0.0) for k in po)   # unlisted: under the floor
    assert pd and all(as_record[k] == as_account[k] for k in pd)
