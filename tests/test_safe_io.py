"""safe_io: nothing planted in a cohort folder can redirect a write of ours."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from portfolio_check import safe_io
from portfolio_check.safe_io import UnsafePathError

needs_symlinks = pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks here")


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "tutor-notes.txt"
    victim.write_text("precious tutor notes")
    return victim


@needs_symlinks
def test_atomic_write_replaces_a_planted_link_never_its_target(tmp_path):
    victim = _victim(tmp_path)
    cohort = tmp_path / "cohort"
    cohort.mkdir()
    link = cohort / "summary.json"
    link.symlink_to(victim)
    with pytest.raises(UnsafePathError):
        safe_io.atomic_write_text(link, "{}")
    assert victim.read_text() == "precious tutor notes"
    assert link.is_symlink()


@needs_symlinks
def test_open_no_follow_refuses_a_link_and_leaves_target_untouched(tmp_path):
    victim = _victim(tmp_path)
    link = tmp_path / "probe"
    link.symlink_to(victim)
    with pytest.raises(UnsafePathError):
        safe_io.open_no_follow(link, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    with pytest.raises(OSError):
        safe_io.open_no_follow(link, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    assert victim.read_text() == "precious tutor notes"


@needs_symlinks
def test_dangling_link_is_not_created_through(tmp_path):
    target = tmp_path / "elsewhere" / "made-by-us"
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "entry"
    link.symlink_to(target)
    with pytest.raises(OSError):
        safe_io.open_no_follow(link, os.O_WRONLY | os.O_CREAT | os.O_EXCL)
    with pytest.raises(UnsafePathError):
        safe_io.atomic_write_bytes(link, b"x")
    assert not target.exists()


def test_atomic_write_round_trip_and_permissions(tmp_path):
    target = tmp_path / "entry.json"
    safe_io.atomic_write_text(target, "first")
    safe_io.atomic_write_text(target, "second", perms=0o600)
    assert target.read_text() == "second"
    if os.name == "posix":
        assert (target.stat().st_mode & 0o777) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["entry.json"]


def test_interrupted_write_leaves_old_content_and_no_temp_file(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old complete report")
    with pytest.raises(KeyboardInterrupt):
        with safe_io.atomic_writer(target, "w") as fh:
            fh.write("half a rep")
            raise KeyboardInterrupt
    assert target.read_text() == "old complete report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    assert not safe_io._LIVE_TEMPS


def test_leftover_temps_removed_at_exit(tmp_path):
    """A writer that never reached its cleanup (killed thread) is swept by the atexit hook."""
    gen = safe_io.atomic_writer(tmp_path / "x.json", "w")
    fh = gen.__enter__()
    fh.write("partial")
    leftovers = [p for p in tmp_path.iterdir()]
    assert len(leftovers) == 1 and leftovers[0].name.startswith(".pc-tmp-")
    safe_io._remove_leftover_temps()
    assert list(tmp_path.iterdir()) == []
    fh.close()


@needs_symlinks
def test_is_link_free_finds_a_linked_folder_below_the_root(tmp_path):
    root = tmp_path / "cohort"
    (root / "real").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / ".portfolio-check").symlink_to(outside, target_is_directory=True)
    assert safe_io.is_link_free(root / "real" / "not-yet" / "file", root)
    assert not safe_io.is_link_free(root / ".portfolio-check" / "cache", root)
    assert not safe_io.is_link_free(outside, root)  # outside the trusted root


@needs_symlinks
def test_link_in_the_trusted_root_itself_is_accepted(tmp_path):
    """A cohort reached through a linked/mapped drive still works: only below the root counts."""
    real = tmp_path / "drive"
    (real / "cohort").mkdir(parents=True)
    mapped = tmp_path / "mapped"
    mapped.symlink_to(real, target_is_directory=True)
    assert safe_io.is_link_free(mapped / "cohort" / "x", mapped / "cohort")


def test_refuses_to_replace_a_folder(tmp_path):
    (tmp_path / "out.json").mkdir()
    with pytest.raises(UnsafePathError):
        safe_io.atomic_write_text(tmp_path / "out.json", "{}")


@needs_symlinks
def test_read_no_follow_refuses_links_fifos_and_oversized(tmp_path):
    secret = _victim(tmp_path)
    link = tmp_path / "entry.json"
    link.symlink_to(secret)
    with pytest.raises(UnsafePathError):
        safe_io.read_bytes_no_follow(link, 1000)
    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(OSError):
        safe_io.read_bytes_no_follow(big, 1000)
    assert safe_io.read_bytes_no_follow(secret, 1000) == b"precious tutor notes"
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.json"
        os.mkfifo(fifo)
        with pytest.raises(UnsafePathError):  # would block forever if opened and read normally
            safe_io.read_bytes_no_follow(fifo, 1000)
