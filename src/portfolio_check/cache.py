"""A disposable cache of per-file analysis, keyed by content hash, that stores data and nothing else.

An unchanged file is never parsed or tagged twice: the key is the file's SHA-256 plus
everything else that changes the result (analysis version, standard, tagger data, the
apprentice's name and employer, which the personal-data check uses). Delete the folder at
any time: it only costs time.

The cache lives in the cohort folder, which apprentices and employers can write to, so
nothing read from it may execute and nothing planted in it may be believed:

* entries are JSON (never pickle): a tagged encoding of an allow-list of frozen result
  dataclasses, tuples and enums; an unknown tag or field is a miss, not an import;
* every entry carries a format version and an HMAC-SHA256 of its payload under a key kept in
  the user's own data folder (not in the cohort), so a forged or edited entry (one saying an
  apprentice evidences every KSB, say) fails the check and is a miss, like a damaged one;
* entries are read only if they are small regular files reached without a link, and written
  atomically and never through a link (``safe_io``).
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any, Callable, Iterable

import platformdirs

from . import safe_io

FORMAT = "portfolio-check-cache"
VERSION = 2                     # 1 was pickle; bump when the envelope or the encoding changes
MAX_ENTRY_BYTES = 64 << 20      # far above any entry we write; a bigger file is not ours
MAX_INDEX_BYTES = 256 << 20
_KEY_NAME = "cache-key"


def user_cache_root() -> Path:
    """The per-user cache folder (XDG on Linux, ~/Library/Caches on macOS, %LOCALAPPDATA% on Windows)."""
    return Path(platformdirs.user_cache_dir("portfolio-check", appauthor=False))


# ---------------------------------------------------------------------------- folders
def writable_or_fallback(folder: Path, root: Path | None = None) -> Path | None:
    """``folder`` if it can be created and written without passing through a link, else a
    per-folder place in the user's cache (a cohort on a read-only share, or with a planted link,
    still gets a cache), else None (no caching).

    ``root`` is the folder the tutor named (the cohort): components below it must not be links.
    Without it, ``folder`` and its parent (the ``.portfolio-check/<name>`` we create) are checked.
    """
    folder = Path(folder)
    trusted = Path(root) if root is not None else folder.parent.parent
    fallback = user_cache_root() / hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    for candidate, base in ((folder, trusted), (fallback, user_cache_root().parent)):
        if _marked_read_only(candidate):
            continue
        try:
            if not safe_io.is_link_free(candidate, base):
                continue
            candidate.mkdir(parents=True, exist_ok=True)
            if not safe_io.is_link_free(candidate, base):   # a link that raced our mkdir
                continue
            if _probe(candidate) and os.access(candidate, os.W_OK):
                return candidate
        except OSError:
            continue
    return None


def _probe(folder: Path) -> bool:
    """Create and remove a fresh file: a uniquely named, exclusive create never follows or
    truncates a planted link, and the planted file (if any) is left alone."""
    probe = folder / f".write-test-{secrets.token_hex(8)}"
    fd = safe_io.open_no_follow(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    safe_io.remove_no_follow(probe)
    return True


def _marked_read_only(path: Path) -> bool:
    """True when the nearest existing folder has no write bit at all: a deliberately read-only
    share. Root could still write there; portfolio-check does not."""
    p = path
    while not os.path.lexists(p) and p != p.parent:
        p = p.parent
    try:
        return not (stat.S_IMODE(p.stat().st_mode) & 0o222)
    except OSError:
        return True


# ---------------------------------------------------------------------------- the signing key
_EPHEMERAL_KEY = secrets.token_bytes(32)


def _key_path() -> Path:
    return Path(platformdirs.user_data_dir("portfolio-check", appauthor=False)) / _KEY_NAME


def _read_key(path: Path) -> bytes | None:
    try:
        data = safe_io.read_bytes_no_follow(path, 1024)
    except OSError:
        return None
    return data if len(data) >= 32 else None


def signing_key() -> bytes:
    """The user's cache key: 32 random bytes created once, readable by the user only. If it
    cannot be kept (read-only home), a key for this process only: entries written by this
    process are reused by it, and nothing written before is trusted."""
    path = _key_path()
    existing = _read_key(path)
    if existing:
        return existing
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = safe_io.open_no_follow(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        key = secrets.token_bytes(32)
        try:
            os.write(fd, key)
            os.fsync(fd)
        finally:
            os.close(fd)
        return key
    except FileExistsError:   # another process created it between our read and our create
        existing = _read_key(path)
        if existing:
            return existing
    except OSError:
        pass
    return _EPHEMERAL_KEY


# ---------------------------------------------------------------------------- data-only codec
def default_types() -> tuple[type, ...]:
    """The result types a cache entry may hold (imported here, when a cache is first used)."""
    from .evidence import EvidenceResult
    from .models import (Attestation, Block, ChecklistItem, DocMetadata, Finding, GatewayReport, Location, PieceDate,
                         ProposalCheck, Readiness, ReportCheck, Role, SectionResult, Severity)
    from .standards import ReportLimit
    from .tagging.base import EvidenceType, Quote, Suggestion
    from .wordcount import ReportParts, Section
    return (EvidenceResult, Finding, Severity, Role, Location, Block, DocMetadata, Suggestion, Quote, EvidenceType,
            GatewayReport, Readiness, ProposalCheck, ReportCheck, SectionResult, PieceDate, Attestation, ChecklistItem,
            ReportLimit, ReportParts, Section)


class Codec:
    """JSON with tags for an allow-list of dataclasses and enums, tuples and dicts.

    Decoding builds an allowed dataclass only through its constructor from the decoded field
    values; there is no way to name any other callable. Anything unexpected raises ValueError.
    """

    def __init__(self, types: Iterable[type]):
        self.types = {t.__name__: t for t in types}

    def encode(self, obj: Any) -> Any:
        if obj is None or isinstance(obj, (bool, int, float, str)) and not isinstance(obj, enum.Enum):
            return obj
        if isinstance(obj, enum.Enum):
            self._allowed(type(obj))
            return {"!e": type(obj).__name__, "v": obj.value}
        if isinstance(obj, tuple):
            return {"!t": [self.encode(v) for v in obj]}
        if isinstance(obj, list):
            return [self.encode(v) for v in obj]
        if isinstance(obj, dict):
            if not all(isinstance(k, str) for k in obj):
                raise TypeError("cache dicts need string keys")
            return {"!d": {k: self.encode(v) for k, v in obj.items()}}
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            self._allowed(type(obj))
            return {"!c": type(obj).__name__,
                    "f": {f.name: self.encode(getattr(obj, f.name)) for f in dataclasses.fields(obj)}}
        raise TypeError(f"{type(obj).__name__} cannot be cached")

    def _allowed(self, cls: type) -> type:
        name = cls.__name__ if isinstance(cls, type) else str(cls)
        got = self.types.get(name)
        if got is None or (isinstance(cls, type) and got is not cls):
            raise TypeError(f"{name} is not a cacheable type")
        return got

    def decode(self, data: Any) -> Any:
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):
            return [self.decode(v) for v in data]
        if not isinstance(data, dict) or len(data) not in (1, 2):
            raise ValueError("unexpected value in a cache entry")
        if "!t" in data and len(data) == 1 and isinstance(data["!t"], list):
            return tuple(self.decode(v) for v in data["!t"])
        if "!d" in data and len(data) == 1 and isinstance(data["!d"], dict):
            return {str(k): self.decode(v) for k, v in data["!d"].items()}
        if "!e" in data and "v" in data:
            cls = self.types.get(data["!e"])
            if not (isinstance(cls, type) and issubclass(cls, enum.Enum)):
                raise ValueError("unknown enum in a cache entry")
            return cls(data["v"])
        if "!c" in data and "f" in data and isinstance(data["f"], dict):
            cls = self.types.get(data["!c"])
            if cls is None or not dataclasses.is_dataclass(cls):
                raise ValueError("unknown type in a cache entry")
            names = {f.name for f in dataclasses.fields(cls)}
            if set(data["f"]) - names:
                raise ValueError("unknown field in a cache entry")
            return cls(**{k: self.decode(v) for k, v in data["f"].items()})
        raise ValueError("unexpected value in a cache entry")


def seal(payload: Any, key: bytes, name: str) -> bytes:
    """An entry: format, version, what it is for (its cache key) and a MAC over all of them."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    mac = hmac.new(key, f"{FORMAT}\x1f{VERSION}\x1f{name}\x1f{body}".encode(), hashlib.sha256).hexdigest()
    return json.dumps({"format": FORMAT, "version": VERSION, "name": name, "hmac": mac, "payload": body},
                      ensure_ascii=False).encode("utf-8")


def unseal(raw: bytes, key: bytes, name: str) -> Any:
    """The payload of a sealed entry; ValueError for anything not written by us, for this key."""
    env = json.loads(raw.decode("utf-8"))
    if not isinstance(env, dict) or env.get("format") != FORMAT or env.get("version") != VERSION:
        raise ValueError("not a cache entry of this version")
    body, mac = env.get("payload"), env.get("hmac")
    if env.get("name") != name or not isinstance(body, str) or not isinstance(mac, str):
        raise ValueError("cache entry for something else")
    want = hmac.new(key, f"{FORMAT}\x1f{VERSION}\x1f{name}\x1f{body}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(want, mac):
        raise ValueError("cache entry checksum mismatch")
    return json.loads(body)


# ---------------------------------------------------------------------------- the caches
class AnalysisCache:
    def __init__(self, folder: str | Path | None, fingerprint: str, types: Iterable[type] = (),
                 root: str | Path | None = None):
        self.folder = Path(folder) if folder else None
        self.fingerprint = fingerprint
        self._extra_types = tuple(types)
        self._codec: Codec | None = None
        self._key: bytes | None = None
        if self.folder:
            self.folder = writable_or_fallback(self.folder, Path(root) if root is not None else None)

    @property
    def codec(self) -> Codec:
        if self._codec is None:
            self._codec = Codec(default_types() + self._extra_types)
        return self._codec

    @property
    def secret(self) -> bytes:
        if self._key is None:
            self._key = signing_key()
        return self._key

    def key(self, sha256: str, *context: str) -> str:
        h = hashlib.sha256("\x1f".join((self.fingerprint, sha256, *context)).encode())
        return h.hexdigest()

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The cached value, or None for a miss: absent, damaged, forged, linked, oversized."""
        if not self.folder:
            return None
        path = self._path(key)
        try:
            if safe_io.is_link(path.parent):
                return None
            raw = safe_io.read_bytes_no_follow(path, MAX_ENTRY_BYTES)
            return self.codec.decode(unseal(raw, self.secret, key))
        except Exception:  # noqa: BLE001 - a bad entry is a miss, never an error
            return None

    def put(self, key: str, value: Any) -> None:
        """Store a value; a folder that turned into a link, or a full disk, just skips caching."""
        if not self.folder:
            return
        path = self._path(key)
        try:
            data = seal(self.codec.encode(value), self.secret, key)
            path.parent.mkdir(exist_ok=True)
            if safe_io.is_link(path.parent):
                return
            safe_io.atomic_write_bytes(path, data, perms=0o600, fsync=False)
        except (OSError, TypeError, ValueError):  # not cacheable (a NaN, an odd type): just not cached
            return


class HashIndex:
    """Content hashes remembered by file identity, like git's index: a file whose device,
    inode, size, mtime and ctime are all unchanged has the same bytes (ctime moves on every
    write and cannot be set by tools), so it is not read again. Anything else is re-hashed.

    Kept as one sealed JSON entry (see :func:`seal`); a bad index is an empty one."""

    NAME = "hash-index.json"

    def __init__(self, folder: Path | None, key: Callable[[], bytes] = signing_key):
        self.path = folder / self.NAME if folder else None
        self.entries: dict[str, tuple[tuple[int, ...], str]] = {}
        self.dirty = False
        self._key = key() if folder else b""
        if self.path is not None:
            try:
                data = unseal(safe_io.read_bytes_no_follow(self.path, MAX_INDEX_BYTES), self._key, self.NAME)
                for k, v in data.items():
                    ident, digest = v
                    if (isinstance(k, str) and isinstance(digest, str) and len(ident) == 5
                            and all(isinstance(x, int) for x in ident)):
                        self.entries[k] = (tuple(ident), digest)
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
        payload = {k: [list(ident), digest] for k, (ident, digest) in self.entries.items()}
        try:
            safe_io.atomic_write_bytes(self.path, seal(payload, self._key, self.NAME), perms=0o600, fsync=False)
            self.dirty = False
        except OSError:
            pass
