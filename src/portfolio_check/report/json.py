"""``scan.json``: the whole scan as one JSON document, streamed apprentice by apprentice.

The document is written into a temporary file beside its target and renamed into place only
when complete, so a reader (or a tutor after Ctrl-C) never finds a truncated, invalid file.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .matrix import MatrixRow

if TYPE_CHECKING:
    from ..models import GatewayReport as ApprenticeReport


class JsonWriter:
    def __init__(self, fh: IO[str], head: dict[str, Any]):
        self._fh = fh
        self._count = 0
        fh.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "apprentices": [\n')

    def add(self, apr: "ApprenticeReport", rows: list[MatrixRow]) -> None:
        data = apr.to_dict()
        data["referencing_matrix"] = [r.to_dict() for r in rows]
        self._fh.write(("" if self._count == 0 else ",\n") + json.dumps(data, ensure_ascii=False))
        self._count += 1

    def finish(self, tail: dict[str, Any] | None = None) -> None:
        """Close the document; ``tail``: keys known only once every apprentice was scanned."""
        extra = "".join(f", {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in (tail or {}).items())
        self._fh.write(f"\n]{extra}}}\n")


def default_path(out_dir: Path) -> Path:
    return out_dir / "scan.json"
