"""Helpers the tutor notebooks share: find their sample data from wherever they run, work on a
scratch copy so trying the widget never changes the sample, and show whole sentences in tables.

Why a scratch copy: nbval compares the notebooks with their stored outputs. If clicking in
notebook 01 wrote to ``sample_evidence/cohort/.portfolio-check/decisions.jsonl``, the next test
run would see those decisions and fail: using the product would break its tests. With a copy,
every run starts from the same cohort; a tutor working on a real cohort sets ``scratch = False``.

A scratch copy is a full copy of apprentices' evidence (personal data), so one made in the
system temp folder is removed when the kernel exits (``atexit``), and making one first removes
the copies of earlier kernels that were killed instead (``leftovers``: a folder of ours whose
kernel is gone and which is untouched for three hours).
"""
from __future__ import annotations

import atexit
import shutil
from pathlib import Path

STATE_DIR = ".portfolio-check"

# Copies made by scratch_copy in this process, removed when it exits (workdir None): the review
# widget says so beside every "Saved", so decisions are never made on one unawares.
TEMPORARY_COPIES: set[Path] = set()


def is_temporary_copy(cohort: str | Path) -> bool:
    return Path(cohort).resolve() in TEMPORARY_COPIES


def locate(path: str | Path) -> Path:
    """``path`` as given if it exists, else the same relative path under the nearest parent
    folder that has it: ``sample_evidence/cohort`` works from the repository root (papermill)
    and from ``notebooks/`` (JupyterLab) alike."""
    p = Path(path).expanduser()
    if p.is_absolute() or p.exists():
        return p
    for base in Path.cwd().parents:
        if (base / p).exists():
            return base / p
    raise FileNotFoundError(f"{path} not found from {Path.cwd()} or any folder above it")


def scratch_copy(cohort: str | Path, workdir: str | Path | None = None) -> Path:
    """A fresh copy of ``cohort`` without its decisions, cache or reports, under ``workdir``
    (created if needed, and left there; when None, a new temporary folder removed when this
    process exits). Returns the copy's path."""
    src = locate(cohort)
    if workdir:
        base = Path(workdir)
    else:
        from .leftovers import make_temp_dir, remove_tree
        base = make_temp_dir("scratch")
        atexit.register(remove_tree, base)
    target = base / src.name
    # workdir = the folder that holds the cohort (or the cohort itself, or a folder inside it)
    # would make the "old copy" that is removed below the real cohort: refuse, touch nothing.
    real_src, real_target = src.resolve(), target.resolve()
    if real_target == real_src or real_src in real_target.parents or real_target in real_src.parents:
        raise ValueError(f"workdir {base} would put the scratch copy on top of the cohort {src} itself; "
                         "choose a workdir outside the cohort and not the folder that holds it. Nothing was changed.")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(src, target, ignore=shutil.ignore_patterns(STATE_DIR), symlinks=True)
    if not workdir:
        TEMPORARY_COPIES.add(target.resolve())
    return target


def open_cohort(cohort: str | Path, scratch: bool = True, workdir: str | Path | None = None,
                apprentice: str | None = None) -> Path:
    """The cohort a notebook works on: the tutor's folder, checked first (a missing path, a file,
    an empty folder, one apprentice's folder, an unknown ``apprentice`` id: each a
    :class:`~portfolio_check.discover.CohortError` naming the tutor's path and the expected
    layout, never the temporary copy's), then copied when ``scratch`` is true."""
    from .discover import CohortError, check_cohort, discover
    try:
        src = locate(cohort)
    except FileNotFoundError as exc:
        from .discover import LAYOUT_HINT
        raise CohortError(f"{exc}; {LAYOUT_HINT}") from None
    check_cohort(src)
    if apprentice is not None:
        ids = [f.id for f in discover(src)]
        if str(apprentice) not in ids and not (src / str(apprentice)).is_dir():
            shown = ", ".join(ids[:20]) + (", ..." if len(ids) > 20 else "")
            raise CohortError(f"no apprentice {apprentice!r} in {src}; its apprentices are {shown}")
    return scratch_copy(src, workdir) if scratch else src


def show_whole_text() -> None:
    """pandas displays reasons and messages in full, never cut to 50 characters with '...'."""
    import pandas as pd
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.width", 200)
