"""The result model: typed reasons, readiness, one JSON serializer, frozen results."""
import dataclasses
import json
import pickle

import pytest

from portfolio_check.models import (EvidenceType, Finding, GatewayReport, ProposalCheck, Readiness, Reason,
                                    Severity, dumps, to_jsonable)


def test_reason_has_kind_and_payload_and_reads_as_the_expected_csv_text():
    r = Reason("duplicate", "Reflective account v2.docx")
    assert r == "duplicate:Reflective account v2.docx" and r.kind == "duplicate"
    assert r.payload == "Reflective account v2.docx"
    assert Reason("maths_missing").kind == "maths_missing" and Reason("maths_missing").payload == ""
    assert Reason("ksb_uncovered:K5 S8").payload == "K5 S8"
    assert pickle.loads(pickle.dumps(r)).kind == "duplicate"     # cached reports keep the type


def test_pending_is_gateway_ready_but_not_ready():
    base = GatewayReport(id="a", name=None, readiness=Readiness.PENDING, reasons=(), evidence=(), findings=())
    assert base.gateway_ready and base.to_dict()["readiness"] == "ready pending review"
    assert not dataclasses.replace(base, readiness=Readiness.NOT_READY).gateway_ready
    with pytest.raises(dataclasses.FrozenInstanceError):
        base.readiness = Readiness.READY


def test_one_serializer_for_every_result():
    rep = GatewayReport(id="a", name="N", readiness=Readiness.NOT_READY, reasons=(Reason("proposal_missing"),),
                        evidence=(), findings=(Finding("PC211", Severity.ERROR, "no proposal"),),
                        proposal=ProposalCheck("brief.docx", 180, 200))
    data = json.loads(dumps(rep))
    assert data["reasons"] == ["proposal_missing"] and data["findings"][0]["severity"] == "error"
    assert data["proposal"] == {"file": "brief.docx", "words": 180, "limit": 200, "findings": []}
    assert to_jsonable((Readiness.READY, EvidenceType.OTHER)) == ["ready", "other"]
    with pytest.raises(TypeError):
        to_jsonable(object())


def test_unknown_evidence_type_reads_as_other():
    assert EvidenceType.parse("something_new") is EvidenceType.OTHER
    assert EvidenceType.parse("witness_testimony") is EvidenceType.WITNESS_TESTIMONY
