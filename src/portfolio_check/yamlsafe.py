"""YAML read from a cohort or a shared standards folder: data only, no aliases, no repeated keys.

PyYAML's safe loaders already refuse ``!!python`` tags. What they allow is aliases (``*name``):
ten nested aliases of ten items each are a few hundred bytes on disk and 10**8 items once
anything walks or prints the value (a record's ``name`` turned into text, a validation message
quoting it). No standard file, apprentice record or settings file needs an alias, so one is
refused before the data is built.

They also let a key appear twice in one mapping and keep the last value silently
(``max_pieces: 9`` then ``max_pieces: 90``), so a provider's edit that went in the wrong place
changes a rule nobody can see changed. A repeated key is refused with both line numbers.
"""
from __future__ import annotations

from typing import Any

import yaml

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when present: ~10x faster


class AliasError(yaml.YAMLError):
    """A YAML alias or a repeated key: refused, with where it is (``problem_mark``)."""

    def __init__(self, problem: str, mark: Any = None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark

    def __str__(self) -> str:
        where = f" (line {self.problem_mark.line + 1})" if self.problem_mark is not None else ""
        return self.problem + where


class DuplicateKeyError(AliasError):
    pass


class _StrictLoader(_BASE):  # type: ignore[misc, valid-type]
    """The safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, Any] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:          # an unhashable key: the base constructor reports it
                continue
            if first is not None:
                raise DuplicateKeyError(f"the key {key!r} is given twice (first on line {first.line + 1}); "
                                        "keep one", key_node.start_mark)
            seen[key] = key_node.start_mark
        return super().construct_mapping(node, deep)


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _StrictLoader.construct_yaml_map)


def load(text: str) -> Any:
    """``yaml.load`` with the safe loader, refusing any alias or repeated key (raises
    :class:`AliasError`, a :class:`yaml.YAMLError`)."""
    if "*" in text:         # no alias without a '*': the common case costs nothing more
        for event in yaml.parse(text, Loader=_BASE):
            if isinstance(event, yaml.AliasEvent):
                raise AliasError(f"a YAML alias (*{event.anchor}) is not allowed here; write the value out",
                                 event.start_mark)
    return yaml.load(text, Loader=_StrictLoader)
