"""Values made safe for a spreadsheet cell.

Evidence file names, quotes, notes and names come from a shared cohort folder that anyone can
write to. A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
that hides one) is run as a formula by Excel and LibreOffice when a CSV is opened, and
openpyxl stores such a string as a formula in an XLSX. Prefixing an apostrophe (OWASP's advice)
keeps the text readable and inert.
"""
from __future__ import annotations

from typing import Any

# The full-width and small forms (＝ ＋ － ＠ ﹢ ﹣) are read as formulas by Excel with an East
# Asian input locale, so they are neutralised too.
_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20", "\ufe62", "\ufe63")


def safe_cell(value: Any) -> Any:
    """The value to write into a CSV/XLSX cell: text that could start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(values: list[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]
