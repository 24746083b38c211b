"""Writing files on a shared drive without trusting what is already there.

A cohort folder can be written by apprentices, employers and staff, so anything in it may be a
planted symbolic link pointing at a file the tutor can write to (their notes, a settings file,
another cohort's report). Opening such a path for writing follows the link and truncates or
overwrites the target. Every file portfolio-check writes therefore goes through these
primitives:

* ``open_no_follow`` opens a path without following a link in its last component
  (``O_NOFOLLOW`` where the platform has it, an ``lstat`` check where it does not), and with
  ``O_EXCL`` when creating so a link planted between check and open is refused.
* ``atomic_write_bytes`` / ``atomic_write_text`` / ``atomic_writer`` write into a fresh
  temporary file in the same folder (created with ``O_EXCL``, so never through a link) and then
  ``os.replace`` it onto the target. A rename replaces a planted link itself and never writes
  through it, readers never see half a file, and the temporary file is removed on any exit,
  ``KeyboardInterrupt`` included (and, as a last resort, at interpreter exit). A process killed
  outright cannot remove it: its name carries the writer's process id
  (``.pc-tmp-<pid>-<host>-<random>.part``) so that ``remove_stale_temp_files``, called by the next run
  that writes into the folder, can tell it from one still being written (``leftovers``).
* ``is_link_free`` says whether a folder path has no link (or Windows junction) in it below a
  trusted root, so callers can refuse a planted link to a directory such as the cache folder.

Refusals raise ``UnsafePathError`` (an ``OSError``), so callers that already treat "cannot
write here" as a reason to skip caching or fall back need no new handling.
"""
from __future__ import annotations

import atexit
import contextlib
import errno
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from .leftovers import remove_stale_temp_files
from .leftovers import temp_file_prefix

__all__ = [
    "UnsafePathError",
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_writer",
    "interrupts_held",
    "is_link",
    "is_link_free",
    "open_no_follow",
    "read_bytes_no_follow",
    "remove_no_follow",
    "remove_stale_temp_files",
]

_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation at the fd level

# Temporary files still open somewhere in this process: removed at exit if their writer never
# got to clean up (a thread killed with the interpreter, an exit from inside a signal handler).
_LIVE_TEMPS: set[str] = set()
_LIVE_LOCK = threading.Lock()


class UnsafePathError(OSError):
    """Refused to write: the path (or a folder in it) is a symbolic link or not a regular file."""


def is_link(path: str | os.PathLike[str]) -> bool:
    """True for a symbolic link or a Windows junction (both redirect a write elsewhere)."""
    p = os.fspath(path)
    try:
        st = os.lstat(p)
    except OSError:
        return False
    if stat.S_ISLNK(st.st_mode):
        return True
    isjunction = getattr(os.path, "isjunction", None)  # Python 3.12+
    if isjunction is not None:
        return bool(isjunction(p))
    # Python 3.11 on Windows: a junction is a reparse point with a mount-point tag.
    attrs = getattr(st, "st_file_attributes", 0)
    return bool(attrs & getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0x400))


def is_link_free(path: str | os.PathLike[str], root: str | os.PathLike[str] | None = None) -> bool:
    """True when no existing component of ``path`` below ``root`` is a link.

    ``root`` is the part the caller already trusts (the cohort folder the tutor named, the user's
    cache root); components above it are not examined, so a cohort reached through a mapped or
    linked drive still works. Without ``root`` every component is examined. Components that do
    not exist yet are fine: they will be created by us, as real folders.
    """
    p = Path(os.path.abspath(os.fspath(path)))
    start = Path(os.path.abspath(os.fspath(root))) if root is not None else None
    if start is not None:
        try:
            rel = p.relative_to(start)
        except ValueError:
            return False  # outside the trusted root: nothing vouches for it
        current = start
        parts = rel.parts
    else:
        current = Path(p.anchor)
        parts = p.parts[1:]
    for part in parts:
        current = current / part
        if is_link(current):
            return False
        if not os.path.lexists(current):
            break
    return True


def open_no_follow(path: str | os.PathLike[str], flags: int = os.O_RDONLY, mode: int = 0o644) -> int:
    """``os.open`` that never follows a link in the last component; returns a file descriptor.

    With ``O_CREAT`` the caller should usually add ``O_EXCL`` as well (create only, never reuse).
    Opening an existing path for writing also refuses anything that is not a regular file
    (a FIFO or device would block or write somewhere unexpected).
    """
    p = os.fspath(path)
    if is_link(p):  # also covers platforms without O_NOFOLLOW, and junctions
        raise UnsafePathError(f"refusing to open a symbolic link: {p}")
    try:
        fd = os.open(p, flags | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY, mode)
    except OSError as exc:
        # ELOOP is how O_NOFOLLOW reports a link that appeared after the check above.
        if is_link(p) or exc.errno == errno.ELOOP:
            raise UnsafePathError(f"refusing to open a symbolic link: {p}") from exc
        raise
    try:
        st = os.fstat(fd)
        if flags & (os.O_WRONLY | os.O_RDWR) and not stat.S_ISREG(st.st_mode):
            raise UnsafePathError(f"refusing to write to something that is not a regular file: {p}")
    except BaseException:
        os.close(fd)
        raise
    return fd


class TooLargeError(OSError):
    """A file we only ever write small is bigger than any we wrote: not ours, not read."""


def read_bytes_no_follow(path: str | os.PathLike[str], limit: int) -> bytes:
    """Read a regular file of at most ``limit`` bytes, never through a link.

    For files of our own kept in a shared folder (cache entries, indexes): a planted link, a
    FIFO or device (which would block or never end) or an oversized file raises ``OSError``
    instead of being read. ``O_NONBLOCK`` makes opening a FIFO return at once so the type check
    can refuse it.
    """
    fd = open_no_follow(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePathError(f"not a regular file: {os.fspath(path)}")
        if st.st_size > limit:
            raise TooLargeError(f"{os.fspath(path)} is {st.st_size} bytes, over {limit}")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # grew while we read
                raise TooLargeError(f"{os.fspath(path)} grew past {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def remove_no_follow(path: str | os.PathLike[str]) -> bool:
    """Remove a file we created (a probe, a stale entry); a link is removed itself, never its
    target. Returns False when there was nothing to remove or it could not be removed."""
    try:
        os.unlink(os.fspath(path))  # unlink never follows a link
        return True
    except OSError:
        return False


def _register(tmp: str) -> None:
    with _LIVE_LOCK:
        _LIVE_TEMPS.add(tmp)


def _forget(tmp: str) -> None:
    with _LIVE_LOCK:
        _LIVE_TEMPS.discard(tmp)


@atexit.register
def _remove_leftover_temps() -> None:
    with _LIVE_LOCK:
        leftovers = list(_LIVE_TEMPS)
        _LIVE_TEMPS.clear()
    for tmp in leftovers:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def _check_target(target: str) -> None:
    if is_link(target):
        raise UnsafePathError(f"refusing to write through a symbolic link: {target}")
    if os.path.lexists(target) and not os.path.isfile(target):
        raise UnsafePathError(f"refusing to replace something that is not a regular file: {target}")


@contextlib.contextmanager
def atomic_writer(path: str | os.PathLike[str], mode: str = "w", *, encoding: str | None = "utf-8",
                  newline: str | None = None, perms: int = 0o644, fsync: bool = True) -> Iterator[IO]:
    """Context manager yielding a file object whose content replaces ``path`` only on success.

    ``mode`` is ``"w"`` (text) or ``"wb"`` (bytes). On any exception, ``KeyboardInterrupt``
    included, the temporary file is removed and ``path`` is left exactly as it was. ``perms`` is
    applied to the new file (a temporary file starts at 0600); it is narrowed by the umask as a
    normally created file would be.
    """
    if mode not in ("w", "wb"):
        raise ValueError("atomic_writer mode must be 'w' or 'wb'")
    target = os.path.abspath(os.fspath(path))
    folder = os.path.dirname(target)
    _check_target(target)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=temp_file_prefix(), suffix=".part")  # O_EXCL: never a link
    _register(tmp)
    try:
        _apply_perms(fd, tmp, perms)
        if mode == "wb":
            fh: IO = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding, newline=newline)
        with fh:
            yield fh
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        _check_target(target)  # a link planted while we wrote is refused, not replaced silently
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        _forget(tmp)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Ctrl-C is ignored while a set of finished files is put in place (each one's fsync and
    rename, one after another), so an interrupt never leaves some of the set new and the rest
    old. A press before this point discards every file; a press in this moment is lost and the
    command finishes normally. Only in the main thread (where Python handles signals)."""
    previous = None
    if threading.current_thread() is threading.main_thread():
        with contextlib.suppress(ValueError, OSError):
            previous = signal.getsignal(signal.SIGINT)
            if previous is not None:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _apply_perms(fd: int, tmp: str, perms: int) -> None:
    umask = os.umask(0)
    os.umask(umask)
    wanted = perms & ~umask
    try:
        os.fchmod(fd, wanted)  # not on Windows
    except (AttributeError, OSError):
        with contextlib.suppress(OSError):
            os.chmod(tmp, wanted)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, perms: int = 0o644,
                       fsync: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically, never through a link."""
    with atomic_writer(path, "wb", perms=perms, fsync=fsync) as fh:
        fh.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8",
                      newline: str | None = None, perms: int = 0o644, fsync: bool = True) -> None:
    """Replace ``path`` with ``text`` atomically, never through a link."""
    with atomic_writer(path, "w", encoding=encoding, newline=newline, perms=perms, fsync=fsync) as fh:
        fh.write(text)
