"""Every output of a scan, written while apprentices stream in, and nothing half-written.

Each report file is written into a temporary file in its own folder (``safe_io``: created with
``O_EXCL``, never through a link) and renamed onto its name only when the scan has finished, so
a tutor never opens a truncated ``scan.json`` or a report that silently misses apprentices. If
the scan stops early (Ctrl-C, a crash, a full disk) :meth:`ReportWriter.abort` removes every
temporary file, openpyxl's per-sheet files in the system temp folder included: they hold quotes
from the evidence. A scan killed outright (``kill -9``) cannot; the next one writing into the same
folder removes the temporary files of ours whose writer is gone (``safe_io.remove_stale_temp_files``).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from ..safe_io import atomic_writer, interrupts_held, remove_stale_temp_files, temp_file_prefix
from .matrix import Decisions, file_notes, matrix_rows

if TYPE_CHECKING:
    from ..models import GatewayReport as ApprenticeReport
    from ..standards import Standard

CSV_NAMES = ("apprentices", "findings", "matrix")


class _Aborted(Exception):
    """Thrown into the atomic writers to make them discard their temporary files."""


class ReportWriter:
    """Write every output of a scan while apprentices stream in.

    Use it as a context manager (or call :meth:`close` / :meth:`abort` yourself): leaving the
    block normally publishes the files, leaving it with an exception discards them.
    """

    def __init__(self, out_dir: str | Path | None, standard: "Standard", as_of: dt.date | None, cohort: str,
                 json_path: str | Path | None = None, decisions: Decisions | None = None,
                 acceptance_bar: dict[str, Any] | None = None, rules_left_out: str = "",
                 standards_dir: str | Path | None = None):
        from .csv import CsvWriter
        from .html import HtmlWriter
        from .json import JsonWriter

        self.standard = standard
        self.standards_dir = standards_dir
        self.as_of = as_of
        self.cohort = cohort
        self.decisions = decisions or {}
        self.out_dir = Path(out_dir) if out_dir else None
        self.count = 0
        self.summary: list[dict[str, Any]] = []
        self._stack = contextlib.ExitStack()
        self._targets: dict[str, Path] = {}
        self._closed = False
        self._json = self._csv = self._html = self._xlsx = None
        self._body: IO[str] | None = None
        self._body_path: str | None = None
        json_target = Path(json_path) if json_path else (self.out_dir / "scan.json" if self.out_dir else None)
        try:
            if self.out_dir:
                self.out_dir.mkdir(parents=True, exist_ok=True)
                remove_stale_temp_files(self.out_dir)     # what a killed scan left here
            if json_target:
                json_target.parent.mkdir(parents=True, exist_ok=True)
                if json_target.parent != self.out_dir:
                    remove_stale_temp_files(json_target.parent)
                head = {"standard": standard.code, "as_of": as_of.isoformat() if as_of else None, "cohort": cohort}
                if acceptance_bar is not None:      # learning from decisions: the bar this scan applied
                    head["acceptance_bar"] = acceptance_bar
                if rules_left_out:                  # --select/--ignore: a left-out rule never blocks
                    head["rules_left_out"] = rules_left_out
                self._json = JsonWriter(self._open("json", json_target), head)
            self.json_path = json_target
            if self.out_dir:
                self._csv = CsvWriter({n: self._open(f"csv_{n}", self.out_dir / f"{n}.csv", newline="")
                                       for n in CSV_NAMES})
                fd, self._body_path = tempfile.mkstemp(dir=self.out_dir, prefix=temp_file_prefix(),
                                                      suffix=".part")
                self._body = os.fdopen(fd, "w+", encoding="utf-8")
                self._html = HtmlWriter(self._body, standard, as_of, cohort, rules_left_out)
                from .xlsx import XlsxWriter
                self._xlsx = XlsxWriter(standard)
        except BaseException:
            self.abort()
            raise

    def _open(self, key: str, target: Path, newline: str | None = None) -> IO[str]:
        self._targets[key] = target
        return self._stack.enter_context(atomic_writer(target, "w", encoding="utf-8", newline=newline))

    def __enter__(self) -> "ReportWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    # -- per apprentice -------------------------------------------------------------------------
    def _standard_for(self, apr: "ApprenticeReport") -> "Standard":
        """The standard the apprentice was checked against (their ``apprentice.yaml`` may name
        another than the scan's): its KSBs, methods and statements are the ones to report."""
        if not apr.standard or apr.standard == self.standard.code:
            return self.standard
        from ..standards import StandardError, load_standard
        try:
            return load_standard(apr.standard, self.standards_dir)
        except StandardError:       # PC509 already says so; the scan checked against the default
            return self.standard

    def add(self, apr: "ApprenticeReport") -> None:
        standard = self._standard_for(apr)
        rows = matrix_rows(apr, standard, self.decisions)
        if self._json:
            self._json.add(apr, rows)
        self.count += 1
        self.summary.append({"id": apr.id, "name": apr.name, "gateway_ready": apr.gateway_ready,
                             "reasons": list(apr.reasons), "pieces": len(apr.evidence)})
        if self._csv:
            self._csv.add(apr, rows)
        if self._html:
            self._html.add(apr, rows, file_notes(apr, self.decisions), standard)
        if self._xlsx:
            self._xlsx.add(apr, rows, standard)

    # -- finish ---------------------------------------------------------------------------------
    def close(self, json_tail: dict[str, Any] | None = None) -> dict[str, Path]:
        """Finish every file and put them in place; on any failure nothing half-done stays.
        ``json_tail``: top-level keys for scan.json known only at the end (the bar hint)."""
        if self._closed:
            return dict(self._targets)
        try:
            if self._json:
                self._json.finish(json_tail)
            if self.out_dir and self._html and self._xlsx:
                page = self.out_dir / "report.html"
                self._html.finish(self._open("html", page))
                xlsx = self.out_dir / "referencing_matrix.xlsx"
                self._targets["xlsx"] = xlsx
                fh = self._stack.enter_context(atomic_writer(xlsx, "wb"))
                self._xlsx.save(fh)
            self._closed = True
            with interrupts_held():       # all published, or (Ctrl-C earlier) none
                self._stack.close()       # every temporary file renamed onto its name
        except BaseException:
            self._closed = False
            self.abort()
            raise
        finally:
            self._drop_body()
        return dict(self._targets)

    def abort(self) -> None:
        """Discard everything written so far: no temporary file and no partial report remains."""
        if self._closed:
            return
        self._closed = True
        err = _Aborted("scan interrupted: reports discarded")
        with contextlib.suppress(_Aborted):
            self._stack.__exit__(_Aborted, err, None)
        if self._xlsx:
            self._xlsx.discard()
        self._drop_body()
        self._targets.clear()

    def _drop_body(self) -> None:
        if self._body is not None:
            with contextlib.suppress(OSError):
                self._body.close()
            self._body = None
        if self._body_path:
            with contextlib.suppress(OSError):
                os.unlink(self._body_path)
            self._body_path = None
