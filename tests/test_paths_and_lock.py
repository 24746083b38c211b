"""Windows and shared-drive safety of names, links and the decision-log lock (issue 10, items
2 and 10). Path rules are checked on both flavours whatever machine runs the tests."""
from __future__ import annotations

import json
import multiprocessing
import os
import shutil
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from portfolio_check.discover import relative_name
from portfolio_check.parse import parse_file
from portfolio_check.safe_io import UnsafePathError
from portfolio_check.store import DecisionLog, lock_path

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")


@pytest.mark.parametrize("flavour,root", [(PurePosixPath, "/share/cohort/apr-1"),
                                          (PureWindowsPath, r"\\server\share\cohort\apr-1")])
def test_file_keys_are_the_same_on_every_platform(flavour, root):
    base = flavour(root) / "portfolio"
    assert relative_name(base / "sub" / "02_reflection.docx", (base,)) == "sub/02_reflection.docx"
    assert relative_name(base / "01.docx", (base,)) == "01.docx"
    other = flavour(root) / "project" / "proposal.docx"
    assert relative_name(other, (base, flavour(root) / "project")) == "proposal.docx"


@pytest.mark.parametrize("flavour,log", [(PurePosixPath, "/share/c/.portfolio-check/decisions.jsonl"),
                                         (PureWindowsPath, r"S:\c\.portfolio-check\decisions.jsonl")])
def test_lock_sits_beside_the_log_in_either_flavour(flavour, log):
    lp = lock_path(flavour(log))
    assert type(lp) is flavour
    assert lp.parent == flavour(log).parent and lp.name == "decisions.jsonl.lock"


def _append_many(path: str, who: str, n: int) -> None:
    log = DecisionLog(path)
    for i in range(n):
        log.record("apr-1", f"{who}-{i}.docx", "K1", "confirm", note="x" * 300, who=who)


def test_concurrent_appends_under_the_lock_never_interleave(tmp_path):
    path = tmp_path / ".portfolio-check" / "decisions.jsonl"
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    procs = [ctx.Process(target=_append_many, args=(str(path), f"t{k}", 40)) for k in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    lines = path.read_bytes().splitlines()
    assert len(lines) == 120
    assert all(json.loads(l)["action"] == "confirm" for l in lines)
    log = DecisionLog(path)
    assert len(log.decisions()) == 120 and log.skipped_lines == 0


@needs_symlinks
@pytest.mark.parametrize("planted", ["decisions.jsonl", "decisions.jsonl.lock"])
def test_planted_log_or_lock_link_is_refused_and_target_untouched(tmp_path, planted):
    victim = tmp_path / "tutor-notes.txt"
    victim.write_text("precious tutor notes")
    state = tmp_path / "cohort" / ".portfolio-check"
    state.mkdir(parents=True)
    (state / planted).symlink_to(victim)
    with pytest.raises(UnsafePathError):
        DecisionLog(state / "decisions.jsonl").record("apr-1", "a.docx", "K1", "confirm")
    assert victim.read_text() == "precious tutor notes"


@needs_symlinks
def test_linked_evidence_file_is_not_followed(tmp_path):
    secret = tmp_path / "other-cohort-notes.txt"
    secret.write_text("Confidential: the tenant at 4 Elm Road owes rent. " * 20)
    link = tmp_path / "portfolio" / "05_reflection.txt"
    link.parent.mkdir()
    link.symlink_to(secret)
    doc = parse_file(link)
    assert [f.code for f in doc.findings] == ["PC139"]
    assert not doc.blocks and "Elm Road" not in doc.findings[0].message
