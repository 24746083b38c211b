"""The parser registry: content kind -> parser (papermill-style small registry).

Kept apart from ``parse/__init__`` so a parser module imports only this, never the package
that imports it: no import cycle.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from ..models import Document
from .sniff import Kind

Parser = Callable[[Path, bytes], Document]
_REGISTRY: dict[Kind, Parser] = {}


def register(kind: Kind) -> Callable[[Parser], Parser]:
    """Add a parser for a content kind."""

    def deco(fn: Parser) -> Parser:
        _REGISTRY[kind] = fn
        return fn

    return deco
