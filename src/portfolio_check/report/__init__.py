"""Scan outputs, one renderer per format: ``html`` (Jinja2 templates), ``xlsx``, ``csv``,
``json``, and the gateway pack (``pack``). Each takes the result model and the tutor's
decisions; none imports the scan. :class:`ReportWriter` drives them while a scan streams and
writes every file atomically, never through a link.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .matrix import LEGEND, MatrixRow, Status, matrix_rows

if TYPE_CHECKING:
    from .writer import ReportWriter


def __getattr__(name: str) -> Any:
    # The writer pulls in openpyxl and Jinja2: loaded only when a report is written.
    if name == "ReportWriter":
        from .writer import ReportWriter
        return ReportWriter
    raise AttributeError(name)


__all__ = ["LEGEND", "MatrixRow", "ReportWriter", "Status", "matrix_rows"]
