"""The three CSV files of a scan: apprentices, findings and the referencing matrix.

Every text cell goes through :func:`~portfolio_check.report.cells.safe_cell`, so a file name or
quote that starts with ``=`` opens as text, not as a formula. Columns keep machine codes
(``gateway_ready``, ``reasons``, ``status``) and add the plain words beside them.
"""
from __future__ import annotations

import csv
from typing import IO, TYPE_CHECKING

from .cells import safe_row
from .matrix import MatrixRow
from .words import reason_words

if TYPE_CHECKING:
    from ..models import GatewayReport as ApprenticeReport

NAMES = ("apprentices", "findings", "matrix")
APPRENTICE_COLUMNS = ["id", "name", "gateway_ready", "readiness", "pending", "reasons", "pieces", "months_on_programme", "reasons_in_words"]
FINDING_COLUMNS = ["apprentice", "file", "code", "severity", "message"]
MATRIX_COLUMNS = ["apprentice", "ksb", "method", "file", "score", "accepted", "counts", "quote", "location",
                  "status", "status_words", "note", "decided_by"]


class CsvWriter:
    def __init__(self, files: dict[str, IO[str]]):
        self._w = {n: csv.writer(files[n]) for n in NAMES}
        self._w["apprentices"].writerow(APPRENTICE_COLUMNS)
        self._w["findings"].writerow(FINDING_COLUMNS)
        self._w["matrix"].writerow(MATRIX_COLUMNS)

    def add(self, apr: "ApprenticeReport", rows: list[MatrixRow]) -> None:
        self._w["apprentices"].writerow(safe_row([
            apr.id, apr.name or "", "yes" if apr.gateway_ready else "no", apr.readiness.value, " ".join(apr.pending),
            ";".join(map(str, apr.reasons)),
            len(apr.evidence), apr.months_on_programme, "; ".join(reason_words(r) for r in apr.reasons)]))
        for f in apr.findings:
            self._w["findings"].writerow(safe_row([apr.id, f.file or "", f.code, f.severity.value, f.message]))
        for r in rows:
            self._w["matrix"].writerow(safe_row([
                r.apprentice, r.ksb, r.method, r.file, r.score, r.accepted, r.counts, r.quote, r.location,
                r.status.value, r.status.words, r.note, r.decided_by]))
