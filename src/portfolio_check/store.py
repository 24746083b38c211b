"""Tutor decisions: an append-only, human-readable log kept with the cohort.

``<cohort>/.portfolio-check/decisions.jsonl`` holds one JSON object per line: who, when,
apprentice, file and its content hash, KSB, action and note. It travels with the evidence (a
shared drive, a zip to an inspector) and is never rewritten:

* a decision is appended with one ``write`` of a whole line under an exclusive lock and
  ``fsync``-ed before :meth:`DecisionLog.record` returns, so an acknowledged decision survives
  a crash or a kill, and two kernels or processes writing at once never interleave;
* a reader skips a line cut short by a kill mid-write (and says so) and reads the rest;
* the latest decision for an (apprentice, file, KSB) wins; "withdraw" takes a decision back;
* a decision made on an earlier version of a file is *stale*: still shown, still applied, and
  flagged for the tutor to re-confirm. Nothing is ever dropped.
"""
from __future__ import annotations

import csv
import datetime as dt
import getpass
import hashlib
import json
import os
import uuid
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePath
from typing import Iterable, Iterator, Mapping

from .models import DecisionAction

from filelock import FileLock

from .safe_io import UnsafePathError, atomic_writer, is_link, open_no_follow

LOCK_TIMEOUT = 30.0   # seconds to wait for another tutor's append (one line) before giving up


def lock_path(log: PurePath) -> PurePath:
    """The lock beside a log: same folder, same flavour (POSIX or Windows path rules)."""
    return log.with_name(log.name + ".lock")

LOG_NAME = "decisions.jsonl"
ACTIONS = tuple(a.value for a in DecisionAction)   # confirm, reject, add, withdraw, note


@dataclass(frozen=True)
class Decision:
    apprentice: str
    file: str
    ksb: str | None
    action: str
    sha256: str = ""
    note: str = ""
    who: str = ""
    at: str = ""
    id: str = ""

    @property
    def counts(self) -> bool | None:
        """True: the KSB counts for this piece; False: it must not; None: no effect on coverage."""
        return {"confirm": True, "add": True, "reject": False}.get(self.action)


@dataclass
class DecisionState:
    """What the log says about one piece: the current decision per KSB and the notes."""

    current: dict[str, Decision] = field(default_factory=dict)
    notes: list[Decision] = field(default_factory=list)
    # every decision on the piece with its line in the log, so two states can be replayed as one
    history: list[tuple[int, Decision]] = field(default_factory=list, repr=False)
    renamed_from: str | None = None     # the file name these decisions were made under, if another

    def overrides(self) -> dict[str, bool]:
        return {k: d.counts for k, d in self.current.items() if d.counts is not None}

    def stale(self, sha256: str) -> list[Decision]:
        return [d for d in self.current.values() if d.sha256 and d.sha256 != sha256]


def _apply(st: DecisionState, line: int, d: Decision) -> None:
    st.history.append((line, d))
    if d.action == "note":
        st.notes.append(d)
    elif d.action == "withdraw":
        st.current.pop(d.ksb, None)
    else:
        st.current[d.ksb] = d


def follow_renames(states: "Mapping[tuple[str, str], DecisionState]", apprentice: str,
                   present: "Mapping[str, str]") -> tuple[dict[tuple[str, str], DecisionState], dict[str, str],
                                                          dict[str, int]]:
    """The decisions of ``apprentice`` as they apply to the files ``present`` now (name -> sha256).

    Decisions are kept under the file name they were made on. When a file is renamed (an
    apprentice tidies the folder, a tutor adds a number), its decisions would silently stop
    applying: a rejected suggestion counted again. So a name no longer present whose decisions
    were made on content that exactly one present file has now follows that file; its history
    is replayed in log order with any decisions made under the new name, the latest winning.
    Returns the states (``states`` itself when no decided file of the apprentice is missing,
    else a new mapping; never to be written to, and the log is never rewritten), the names followed
    (old -> new) and the names left with nothing to follow (old -> how many decisions), which
    the scan reports rather than drops."""
    moved: dict[str, str] = {}
    orphaned: dict[str, int] = {}
    # Every view calls this per apprentice: one pass over the log's states, and no copy unless
    # a decided file of this apprentice is missing (the usual case is none).
    gone = sorted(name for (apr, name) in states if apr == apprentice and name not in present)
    if not gone:
        return states if isinstance(states, dict) else dict(states), moved, orphaned
    out = dict(states)
    by_hash: dict[str, list[str]] = {}
    for name, sha in present.items():
        by_hash.setdefault(sha, []).append(name)
    for name in gone:
        st = states[(apprentice, name)]
        hashes = {d.sha256 for _, d in st.history if d.sha256}
        targets = sorted({t for h in hashes for t in by_hash.get(h, ())})
        counted = len(st.current) + len(st.notes)
        if len(targets) != 1:
            if counted:
                orphaned[name] = counted
            continue
        target = targets[0]
        merged = DecisionState(renamed_from=name)
        own = out.get((apprentice, target))     # a second old name of the same file adds to the first
        for line, d in sorted(st.history + (own.history if own else []), key=lambda ld: ld[0]):
            _apply(merged, line, d)
        out[(apprentice, target)] = merged
        out.pop((apprentice, name), None)
        moved[name] = target
    return out, moved, orphaned


def states_for(states: "Mapping[tuple[str, str], DecisionState]", apprentice: str,
               evidence: Iterable) -> "Mapping[tuple[str, str], DecisionState]":
    """``states`` with renamed files followed, for the pieces ``evidence`` (objects with ``file``
    and ``sha256``) of one apprentice: what every view (matrix, pack, widget) reads, so they
    all agree with the scan's coverage."""
    return follow_renames(states, apprentice, {e.file: e.sha256 for e in evidence})[0]


def _default_who() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (containers): still record something honest
        return "unknown"


class DecisionLogWarning(UserWarning):
    """Lines of a decision log that could not be read and were skipped (a write cut off by a
    crash, or an edit by hand). Said once per log and count in a process: a tutor must know a
    decision may be missing, but the other decisions still apply."""


_WARNED: set[tuple[str, int]] = set()


def _warn_skipped(path: Path, count: int) -> None:
    key = (str(path), count)
    if count and key not in _WARNED:
        _WARNED.add(key)
        warnings.warn(DecisionLogWarning(
            f"{count} line{'s' if count != 1 else ''} of {path} could not be read and "
            f"{'were' if count != 1 else 'was'} skipped (a write cut off by a crash, or an edit by hand); "
            "the other decisions apply. Check the decisions you expect are there "
            "(portfolio-check decisions export)."), stacklevel=3)


class DecisionLog:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.skipped_lines = 0

    @classmethod
    def for_cohort(cls, cohort: str | Path) -> "DecisionLog":
        return cls(Path(cohort) / ".portfolio-check" / LOG_NAME)

    # -- writing ---------------------------------------------------------------------------------
    def record(self, apprentice: str, file: str, ksb: str | None, action: str, sha256: str = "",
               note: str = "", who: str | None = None) -> Decision:
        """Append one decision durably; return it once it is safely on disk."""
        if action not in ACTIONS:
            raise ValueError(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
        if action != "note" and not ksb:
            raise ValueError("a confirm, reject, add or withdraw needs a KSB")
        d = Decision(apprentice=apprentice, file=file, ksb=ksb, action=action, sha256=sha256, note=note,
                     who=who or _default_who(),
                     at=dt.datetime.now(dt.timezone.utc).astimezone().isoformat(timespec="seconds"),
                     id=uuid.uuid4().hex)
        line = (json.dumps(asdict(d), ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = Path(lock_path(self.path))
        if is_link(lock) or is_link(self.path.parent):
            raise UnsafePathError(f"refusing to lock through a symbolic link: {lock}")
        # filelock: fcntl.flock on POSIX, msvcrt.locking on Windows, so two tutors (or kernels)
        # appending at once never interleave on any platform.
        with FileLock(str(lock), timeout=LOCK_TIMEOUT):
            fd = open_no_follow(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                self._ensure_line_start(fd)
                written = os.write(fd, line)
                if written != len(line):   # a short write on a full disk: never leave half a line
                    raise OSError(f"only {written} of {len(line)} bytes of the decision were written")
                os.fsync(fd)
            finally:
                os.close(fd)
        return d

    def _ensure_line_start(self, fd: int) -> None:
        """If a writer was killed mid-line, start on a fresh line so its torn record stays alone."""
        size = os.fstat(fd).st_size
        if size:
            with open(self.path, "rb") as fh:
                fh.seek(size - 1)
                if fh.read(1) != b"\n":
                    os.write(fd, b"\n")

    # -- reading ---------------------------------------------------------------------------------
    def _read(self) -> bytes:
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return b""

    def _parse(self, data: bytes) -> Iterator[Decision]:
        self.skipped_lines = 0
        for raw in data.splitlines():
            if not raw.strip():
                continue
            try:
                d = json.loads(raw.decode("utf-8"))
                if not isinstance(d, dict):     # "null", "[]", a bare number: JSON, but no decision
                    raise TypeError("not a decision")
                yield Decision(**{k: d.get(k, "") if k != "ksb" else d.get(k) for k in Decision.__dataclass_fields__})
            except (ValueError, TypeError, UnicodeDecodeError):
                self.skipped_lines += 1     # a line torn by a kill mid-write: the rest still reads
        _warn_skipped(self.path, self.skipped_lines)

    def __iter__(self) -> Iterator[Decision]:
        yield from self._parse(self._read())

    def decisions(self) -> list[Decision]:
        return list(self)

    @staticmethod
    def _states(decisions: Iterable[Decision]) -> dict[tuple[str, str], DecisionState]:
        out: dict[tuple[str, str], DecisionState] = {}
        for line, d in enumerate(decisions):
            _apply(out.setdefault((d.apprentice, d.file), DecisionState()), line, d)
        return out

    def states(self) -> dict[tuple[str, str], DecisionState]:
        """(apprentice, file) -> the current decisions and notes, latest winning."""
        return self._states(self)

    def snapshot(self) -> tuple[dict[tuple[str, str], DecisionState], str]:
        """The states and a fingerprint of the log's bytes, from one read of the file."""
        data = self._read()
        digest = hashlib.sha256(data).hexdigest() if data else "none"
        return self._states(self._parse(data)), digest

    def export_csv(self, target: str | Path, decisions: Iterable[Decision] | None = None) -> Path:
        """Every decision, oldest first, as CSV for an inspector."""
        target = Path(target)
        # Atomic and never through a planted link (safe_io), like every file the tool writes;
        # an existing link at ``target`` raises UnsafePathError and the link's target is untouched.
        with atomic_writer(target, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["when", "who", "apprentice", "file", "file_sha256", "ksb", "action", "note", "id"])
            for d in decisions if decisions is not None else self:
                w.writerow([d.at, d.who, d.apprentice, d.file, d.sha256, d.ksb or "", d.action, d.note, d.id])
        return target
