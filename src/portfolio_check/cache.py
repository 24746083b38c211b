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
import tempfile
from pathlib import Path
from typing import Any


class AnalysisCache:
    def __init__(self, folder: str | Path | None, fingerprint: str):
        self.folder = Path(folder) if folder else None
        self.fingerprint = fingerprint
        if self.folder:
            self.folder.mkdir(parents=True, exist_ok=True)

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
