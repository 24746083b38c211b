"""Temporary files and folders of ours that a killed run left behind, and removing them safely.

Every normal exit and Ctrl-C removes what a run created (``try``/``finally``, context managers,
``atexit``). A run killed outright (``kill -9``, the OOM killer, a power cut) cannot, so the next
run removes the leftovers, and only those it can prove are ours and no longer in use:

* only names of our own pattern, which carry the creating process's id and a tag of its host
  (``<pid>-<host>``): ``.pc-tmp-<pid>-<host>-<random>.part`` beside a file being written,
  ``portfolio-check-<kind>-<pid>-<host>-<random>`` in the system temp folder;
* only what is really a file (or a folder) of that name, never a link, and in the system temp
  folder only what belongs to the current user;
* only when the creating process is gone: same host tag and no process with that id
  (``os.kill(pid, 0)``), and the entry has not been modified for ``min_age`` seconds, a margin for
  a process we cannot see (another PID namespace sharing the folder). A process id in use again
  by an unrelated process only delays the removal (until ``max_age`` where one is given).

Older names without a process id (``.pc-tmp-<random>.part``, written before this module) and
names from another host (a shared drive) can only be judged by age: ``max_age``, where the
caller gives one, long past any write of ours. Nothing else is ever removed.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
from pathlib import Path

# mkstemp/mkdtemp's random part: 8 characters of this alphabet.
_RAND = r"[a-z0-9_]{8}"
TEMP_DIR_PREFIX = "portfolio-check-"


def host_tag() -> str:
    """8 hex digits standing for this machine (the host name itself is not written anywhere)."""
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def owner_tag() -> str:
    """``<pid>-<host>``: embedded in our temporary names so a later run can tell if their
    creator is still running."""
    return f"{os.getpid()}-{host_tag()}"


def pid_alive(pid: int) -> bool:
    """True unless the process is known to be gone. Only POSIX can tell cheaply (on Windows
    ``os.kill(pid, 0)`` would send Ctrl-C), so elsewhere every process counts as alive."""
    if os.name != "posix":
        return True
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:            # EPERM: someone else's process, alive
        return True
    return True


def _stale(pid: str | None, host: str | None, mtime: float, min_age: float, max_age: float | None,
           now: float) -> bool:
    age = now - mtime
    if max_age is not None and age >= max_age:
        return True
    if pid is None or host != host_tag() or age < min_age:
        return False
    return int(pid) != os.getpid() and not pid_alive(int(pid))


# ---------------------------------------------------------------------------- temp files
TEMP_FILE_PREFIX = ".pc-tmp-"
_TEMP_FILE = re.compile(rf"^\.pc-tmp-(?:(\d+)-([0-9a-f]{{8}})-)?{_RAND}\.part$")
# A killed writer's temporary file beside a report, with its creator gone, after this long...
TEMP_FILE_MIN_AGE = 60.0
# ... and any temporary file of our pattern (an older name, another host's) after this long: no
# write of ours leaves a temporary file untouched for a day.
TEMP_FILE_MAX_AGE = 24 * 3600.0


def temp_file_prefix() -> str:
    """The prefix ``safe_io`` gives a temporary file: ``.pc-tmp-<pid>-<host>-``."""
    return f"{TEMP_FILE_PREFIX}{owner_tag()}-"


def _named_entries(folder: str | os.PathLike[str], pattern: "re.Pattern[str]"):
    """(name, path, match, lstat) of each entry directly in ``folder`` whose name ``pattern``
    matches, links not followed; nothing when the folder cannot be listed."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = pattern.match(name)
        if not m:
            continue
        path = os.path.join(folder, name)
        try:
            yield name, path, m, os.lstat(path)
        except OSError:
            continue


def remove_stale_temp_files(folder: str | os.PathLike[str], min_age: float = TEMP_FILE_MIN_AGE,
                            max_age: float | None = TEMP_FILE_MAX_AGE) -> list[str]:
    """Remove the temporary files of ours a killed run left in ``folder`` (not below it);
    returns the names removed. Never raises: a folder that cannot be listed is left alone."""
    removed: list[str] = []
    now = time.time()
    for name, path, m, st in _named_entries(folder, _TEMP_FILE):
        if not stat.S_ISREG(st.st_mode):      # a link or anything else of that name is not ours
            continue
        if _stale(m.group(1), m.group(2), st.st_mtime, min_age, max_age, now):
            with contextlib.suppress(OSError):
                os.unlink(path)
                removed.append(name)
    return removed


# ---------------------------------------------------------------------------- temp folders
# kind -> how long a folder of that kind must be untouched, its creator gone, before it goes.
TEMP_DIR_MIN_AGE = {
    "scan": 600.0,          # sealed analyses of a --no-cache scan
    "json": 600.0,          # `scan --json -` and `decisions export --out -`
    "scratch": 3 * 3600.0,  # a notebook's copy of a cohort (a kernel can sit idle for a while)
}
_TEMP_DIR = re.compile(rf"^{TEMP_DIR_PREFIX}({'|'.join(TEMP_DIR_MIN_AGE)})-(\d+)-([0-9a-f]{{8}})-{_RAND}$")


def temp_dir_prefix(kind: str) -> str:
    assert kind in TEMP_DIR_MIN_AGE, kind
    return f"{TEMP_DIR_PREFIX}{kind}-{owner_tag()}-"


def temporary_directory(kind: str) -> tempfile.TemporaryDirectory:
    """A private folder in the system temp folder (removed by its ``cleanup``, by leaving its
    ``with`` block, or at the latest when it is garbage-collected or at interpreter exit), after
    removing the folders of this kind that killed runs left there."""
    remove_stale_temp_dirs(kind)
    return tempfile.TemporaryDirectory(prefix=temp_dir_prefix(kind))


def make_temp_dir(kind: str) -> Path:
    """Like :func:`temporary_directory` for a folder the caller removes itself."""
    remove_stale_temp_dirs(kind)
    return Path(tempfile.mkdtemp(prefix=temp_dir_prefix(kind)))


def remove_stale_temp_dirs(kind: str, min_age: float | None = None,
                           base: str | os.PathLike[str] | None = None) -> list[str]:
    """Remove the folders of ``kind`` that killed runs left in the system temp folder (or
    ``base``): ours by name, a real folder of the current user, untouched for ``min_age``
    seconds, their creating process gone. Returns the names removed; never raises."""
    min_age = TEMP_DIR_MIN_AGE[kind] if min_age is None else min_age
    base = os.fspath(base) if base is not None else tempfile.gettempdir()
    removed: list[str] = []
    now = time.time()
    for name, path, m, st in _named_entries(base, _TEMP_DIR):
        if m.group(1) != kind:
            continue
        if not stat.S_ISDIR(st.st_mode):             # a link is never followed, nor removed
            continue
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            continue
        if _stale(m.group(2), m.group(3), st.st_mtime, min_age, None, now):
            # rmtree removes links inside a folder, never what they point at.
            shutil.rmtree(path, ignore_errors=True)
            if not os.path.lexists(path):
                removed.append(name)
    return removed


def remove_tree(path: str | os.PathLike[str]) -> None:
    """Remove a folder we made (for ``atexit``): never raises, never follows a link."""
    p = os.fspath(path)
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(p).st_mode):
            shutil.rmtree(p, ignore_errors=True)
