"""Nothing planted in a cohort's cache folder runs, is believed, or redirects a write (issue 10,
items 1 and 2). Each test builds its own hostile cohort state from a copy of the sample cohort."""
from __future__ import annotations

import json
import os
import pickle
import shutil
from pathlib import Path

import pytest

from portfolio_check import cache as cache_mod
from portfolio_check.cli import main

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")


class _Payload:
    """What an attacker pickles: unpickling it calls os.system-like code (here: touch a marker)."""

    def __init__(self, marker: Path):
        self.marker = str(marker)

    def __reduce__(self):
        return (Path.touch, (Path(self.marker),))


@pytest.fixture()
def cohort(samples, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    c = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", c, ignore=shutil.ignore_patterns(".portfolio-check"))
    return c


def _scan(cohort: Path, tmp_path: Path, name: str) -> dict:
    out = tmp_path / name
    main(["scan", str(cohort), "--quiet", "--jobs", "1", "--json", str(out)])
    data = json.loads(out.read_text(encoding="utf-8"))
    return {a["id"]: (a["gateway_ready"], a["reasons"], sorted((e["file"], e["words"]) for e in a["evidence"]))
            for a in data["apprentices"]}


def test_planted_pickles_never_run_and_the_scan_still_works(cohort, tmp_path):
    baseline = _scan(cohort, tmp_path, "first.json")
    state = cohort / ".portfolio-check" / "cache"
    entries = sorted(state.rglob("*.json"))
    assert entries, "the first scan should have cached its results"
    marker = tmp_path / "PWNED"
    payload = pickle.dumps(_Payload(marker))
    # Every place a pickle used to be read: each entry (old and new names) and the hash index.
    for e in entries:
        e.write_bytes(payload)
        e.with_suffix(".pickle").write_bytes(payload)
    (state / "hash-index.pickle").write_bytes(payload)
    (state / "hash-index.json").write_bytes(payload)
    assert pickle.loads(payload) is None and marker.exists()   # the payload is live...
    marker.unlink()
    again = _scan(cohort, tmp_path, "second.json")
    assert not marker.exists()                                   # ...and never ran in a scan
    assert again == baseline


def test_forged_entry_is_a_miss_not_a_verdict(cohort, tmp_path):
    baseline = _scan(cohort, tmp_path, "first.json")
    state = cohort / ".portfolio-check" / "cache"
    forged = 0
    for e in state.rglob("*.json"):
        env = json.loads(e.read_text(encoding="utf-8"))
        if "payload" not in env or '"readiness"' not in env["payload"]:
            continue
        body = env["payload"].replace('"v":"not ready"', '"v":"ready"').replace(
            '"words":', '"words":9')
        env["payload"] = body                      # the attacker cannot recompute the key's HMAC
        e.write_text(json.dumps(env), encoding="utf-8")
        forged += 1
    assert forged
    assert _scan(cohort, tmp_path, "second.json") == baseline


def test_codec_refuses_unknown_types(tmp_path):
    codec = cache_mod.Codec(cache_mod.default_types())
    with pytest.raises(ValueError):
        codec.decode({"!c": "Popen", "f": {"args": "touch x"}})
    with pytest.raises(ValueError):
        codec.decode({"!c": "Finding", "f": {"code": "PC101", "__class__": 1}})
    from portfolio_check.models import Finding, Severity
    f = Finding("PC101", Severity.ERROR, "m", file="a.docx")
    assert codec.decode(json.loads(json.dumps(codec.encode((f, {"k": (1, 2)}))))) == (f, {"k": (1, 2)})


def _victim(tmp_path: Path) -> Path:
    v = tmp_path / "tutor-notes.txt"
    v.write_text("precious tutor notes")
    return v


@needs_symlinks
def test_planted_write_probe_link_is_never_truncated(cohort, tmp_path):
    victim = _victim(tmp_path)
    state = cohort / ".portfolio-check" / "cache"
    state.mkdir(parents=True)
    (state / ".write-test").symlink_to(victim)
    _scan(cohort, tmp_path, "out.json")
    assert victim.read_text() == "precious tutor notes"
    assert any(state.rglob("*.json"))                            # and the cache still works there


@needs_symlinks
def test_planted_cache_dir_link_is_not_written_through(cohort, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (cohort / ".portfolio-check").mkdir()
    (cohort / ".portfolio-check" / "cache").symlink_to(elsewhere, target_is_directory=True)
    result = _scan(cohort, tmp_path, "out.json")
    assert list(elsewhere.iterdir()) == []                       # nothing written through the link
    assert result                                                # the scan went on (user cache)
    assert any((tmp_path / "user-cache").rglob("*.json"))


@needs_symlinks
def test_planted_entry_and_index_links_never_overwrite_their_target(cohort, tmp_path):
    _scan(cohort, tmp_path, "first.json")
    state = cohort / ".portfolio-check" / "cache"
    victim = _victim(tmp_path)
    entries = sorted(state.rglob("??/*.json"))
    for e in entries:
        e.unlink()
        e.symlink_to(victim)
    index = state / "hash-index.json"
    index.unlink()
    index.symlink_to(victim)
    (cohort / "apr-001" / "portfolio").joinpath("new-note.txt").write_text("A new reflective note " * 20)
    _scan(cohort, tmp_path, "second.json")
    assert victim.read_text() == "precious tutor notes"
