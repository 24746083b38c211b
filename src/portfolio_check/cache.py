"""A disposable cache of per-file analysis, keyed by content hash.

An unchanged file is never parsed or tagged twice: the key is the file's SHA-256 plus
everything else that changes the result (analysis version, standard, tagger data, the
apprentice's name and employer, which the personal-data check uses). Entries are written
atomically (temporary file, then rename), so a killed scan leaves no half-written entry; a
damaged entry is treated as a miss. Delete the folder at any time: it only costs time.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path
from typing import Any


def user_cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "portfolio-check"


def writable_or_fallback(folder: Path) -> Path | None:
    """``folder`` if it can be created and written, else a per-folder place in the user's cache
    (a cohort on a read-only share still gets a cache), else None (no caching)."""
    for candidate in (folder, user_cache_root() / hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]):
        if _marked_read_only(candidate):
            continue
        try:
            candidate.mkdir(parents=True, exist_ok=True)
            probe = candidate / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
            if os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    return None


def _marked_read_only(path: Path) -> bool:
    """True when the nearest existing folder has no write bit at all: a deliberately read-only
    share. Root could still write there; portfolio-check does not."""
    p = path
    while not p.exists() and p != p.parent:
        p = p.parent
    try:
        return not (stat.S_IMODE(p.stat().st_mode) & 0o222)
    except OSError:
        return True


class AnalysisCache:
    def __init__(self, folder: str | Path | None, fingerprint: str):
        self.folder = Path(folder) if folder else None
        self.fingerprint = fingerprint
        if self.folder:
            self.folder = writable_or_fallback(self.folder)

    def key(self, sha256: str, *context: str) -> str:
        h = hashlib.sha256("\x1f".join((self.fingerprint, sha256, *context)).encode())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> Any | None:
        if not self.folder:
            return None
        path = self._path(key)
        try:
            with path.open("rb") as fh:
                return pickle.load(fh)
        except FileNotFoundError:
            return None
        except Exception:  # noqa: BLE001 - a damaged entry is a miss, never an error
            return None

    def put(self, key: str, value: Any) -> None:
        if not self.folder:
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise


class HashIndex:
    """Content hashes remembered by file identity, like git's index: a file whose device,
    inode, size, mtime and ctime are all unchanged has the same bytes (ctime moves on every
    write and cannot be set by tools), so it is not read again. Anything else is re-hashed."""

    NAME = "hash-index.pickle"

    def __init__(self, folder: Path | None):
        self.path = folder / self.NAME if folder else None
        self.entries: dict[str, tuple] = {}
        self.dirty = False
        if self.path is not None:
            try:
                with self.path.open("rb") as fh:
                    self.entries = pickle.load(fh)
            except Exception:  # noqa: BLE001 - missing or damaged: start empty
                self.entries = {}

    def sha256(self, path: Path, compute) -> str:
        st = path.stat()
        ident = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        key = str(path)
        hit = self.entries.get(key)
        if hit is not None and hit[0] == ident:
            return hit[1]
        digest = compute(path)
        self.entries[key] = (ident, digest)
        self.dirty = True
        return digest

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self.entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
