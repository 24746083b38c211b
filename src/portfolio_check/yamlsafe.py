"""YAML read from a cohort or a shared standards folder: data only, and no aliases.

PyYAML's safe loaders already refuse ``!!python`` tags. What they allow is aliases (``*name``):
ten nested aliases of ten items each are a few hundred bytes on disk and 10**8 items once
anything walks or prints the value (a record's ``name`` turned into text, a validation message
quoting it). No standard file, apprentice record or settings file needs an alias, so one is
refused before the data is built.
"""
from __future__ import annotations

from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when present: ~10x faster


class AliasError(yaml.YAMLError):
    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


def load(text: str) -> Any:
    """``yaml.load`` with the safe loader, refusing any alias (raises :class:`AliasError`)."""
    if "*" in text:         # no alias without a '*': the common case costs nothing more
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                raise AliasError(f"a YAML alias (*{event.anchor}) is not allowed here; write the value out",
                                 event.start_mark)
    return yaml.load(text, Loader=_LOADER)
