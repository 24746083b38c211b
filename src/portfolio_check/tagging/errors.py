"""The sentence model's errors, in a module of their own so that the CLI can catch them without
importing numpy (``portfolio-check --help`` stays light)."""
from __future__ import annotations


class EncoderUnavailable(RuntimeError):
    """The sentence model cannot be used: not installed, incomplete, or failing its hash check."""


class ModelIntegrityError(EncoderUnavailable):
    """A model file's SHA-256 differs from the upstream value: refuse to run on it."""
