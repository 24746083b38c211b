"""Walk a cohort folder: one apprentice per sub-folder, their record, evidence and project.

Layout (README): ``<cohort>/<id>/apprentice.yaml``, ``<id>/portfolio/`` (evidence, any depth),
``<id>/project/`` (proposal, later the report). Every file in portfolio/ a tutor can see counts
as a submitted piece, readable or not; only system junk is ignored.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

import yaml

from . import yamlsafe


JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", "icon\r", ".localized"}
RECORD_NAME = "apprentice.yaml"
STATE_DIR = ".portfolio-check"


def is_junk(path: Path) -> bool:
    name = path.name
    low = name.lower()
    return (low in JUNK_NAMES or name.startswith("~$") or name.startswith("._") or name.startswith(".~lock")
            or low.endswith((".tmp", ".crdownload", ".partial")) or name.startswith("."))


def _sort_key(p: Path) -> str:
    return unicodedata.normalize("NFC", str(p)).casefold()


@dataclass(frozen=True)
class ApprenticeRecord:
    """apprentice.yaml, read defensively: ``problems`` lists what is missing or wrong."""

    id: str
    name: str | None = None
    standard: str | None = None
    start_date: dt.date | None = None
    gateway_date: dt.date | None = None
    english_l2: bool | None = None
    maths_l2: bool | None = None
    employer: str | None = None
    declaration_signed: bool | None = None
    problems: tuple[str, ...] = ()
    exists: bool = True                         # False: apprentice.yaml missing or unreadable
    incomplete: tuple[str, ...] = ()            # required fields missing or unreadable
    declaration: tuple[tuple[str, bool | None], ...] = ()   # (signatory, signed?) for apprentice, employer, provider
    english_basis: str | None = None            # "level 2" or the alternative seed 001 allows (EHCP Entry Level 3, BSL)
    maths_basis: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class ApprenticeFolder:
    """One apprentice's folder. ``id`` is the stable apprentice id decisions are keyed by: the
    record's ``id:`` when it has one, else the folder name, so renaming a folder (a typo fixed,
    a surname added) keeps the tutor's decisions."""

    id: str
    path: Path
    record: ApprenticeRecord
    portfolio: tuple[Path, ...]
    project: tuple[Path, ...]
    # files outside portfolio/ and project/ (loose beside apprentice.yaml, or in "Portfolio/",
    # "Evidence/"...): never read, but a tutor must be told why a portfolio looks empty
    misplaced: tuple[str, ...] = ()

    @property
    def folder_name(self) -> str:
        return self.path.name

    @property
    def id_differs(self) -> bool:
        """The record names an id that is not the folder's name (worth telling the tutor)."""
        return self.id != self.path.name

    def relative(self, file: Path) -> str:
        """A file's name inside portfolio/ (or project/), with sub-folders, NFC-normalised."""
        return relative_name(file, (self.path / "portfolio", self.path / "project"))


def relative_name(file: PurePath, bases: tuple[PurePath, ...]) -> str:
    """``file`` relative to the first base holding it, always with ``/`` between folders.

    The name keys decisions and reports, which travel between tutors' machines with the
    cohort: a Windows tutor and a Linux tutor must write the same key for the same file, so the
    separator is never the platform's (``sub\\a.docx`` would not match ``sub/a.docx``).
    Works for either path flavour, whatever the machine.
    """
    for base in bases:
        try:
            return unicodedata.normalize("NFC", file.relative_to(base).as_posix())
        except ValueError:
            continue
    return file.name


def _as_date(value: Any, key: str, problems: list[str]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        problems.append(f"{key} is not a date in YYYY-MM-DD form")
        return None


def _as_bool(value: Any, key: str, problems: list[str]) -> bool | None:
    if value is None:
        problems.append(f"{key} is missing")
        return None
    if isinstance(value, bool):
        return value
    if str(value).strip().lower() in ("yes", "y", "true", "1"):
        return True
    if str(value).strip().lower() in ("no", "n", "false", "0"):
        return False
    problems.append(f"{key} should be true or false")
    return None


REQUIRED = ("name", "standard", "start_date", "employer", "english_l2", "maths_l2", "gateway_declaration_signed")
SIGNATORIES = ("apprentice", "employer", "provider")
# Seed 001: with an EHCP or legacy statement the English and maths minimum is Entry Level 3;
# British Sign Language qualifications are an alternative to English for those whose primary language it is.
_ALTERNATIVES = {"english_l2": {"ehcp": "EHCP Entry Level 3", "entry level 3": "EHCP Entry Level 3",
                                "bsl": "British Sign Language"},
                 "maths_l2": {"ehcp": "EHCP Entry Level 3", "entry level 3": "EHCP Entry Level 3"}}


def _qualification(value: Any, key: str, problems: list[str]) -> tuple[bool | None, str | None]:
    """true/false, or an alternative seed 001 allows, named ("EHCP Entry Level 3", "BSL")."""
    if isinstance(value, str):
        low = value.strip().lower()
        for cue, basis in _ALTERNATIVES[key].items():
            if cue in low:
                return True, basis
    got = _as_bool(value, key, problems)
    return got, ("level 2" if got else None)


def _declaration(data: dict[str, Any], problems: list[str]) -> tuple[bool | None, tuple[tuple[str, bool | None], ...]]:
    """``gateway_declaration_signed: true`` (all three signed) or a mapping per signatory."""
    value = data.get("gateway_declaration_signed", data.get("gateway_declaration"))
    if isinstance(value, dict):
        parts = []
        for who in SIGNATORIES:
            v = value.get(who)
            parts.append((who, None if v is None else _as_bool(v, f"gateway_declaration_signed.{who}", problems)))
        if any(v is None for _, v in parts):
            problems.append("gateway_declaration_signed is missing a signatory (apprentice, employer, provider)")
        signed = all(v for _, v in parts) if all(v is not None for _, v in parts) else (
            False if any(v is False for _, v in parts) else None)
        return signed, tuple(parts)
    signed = _as_bool(value, "gateway_declaration_signed", problems)
    return signed, tuple((who, signed) for who in SIGNATORIES)


def read_record(folder: Path) -> ApprenticeRecord:
    path = folder / RECORD_NAME
    aid = folder.name
    if not path.is_file():
        return ApprenticeRecord(id=aid, problems=(f"{RECORD_NAME} is missing",), exists=False)
    try:
        data = yamlsafe.load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f" (line {mark.line + 1})"
        if isinstance(exc, yamlsafe.AliasError):    # a repeated key or an alias: say which
            where += f": {exc.problem}"
        return ApprenticeRecord(id=aid, problems=(f"{RECORD_NAME} cannot be read{where}",), exists=False)
    if not isinstance(data, dict):
        return ApprenticeRecord(id=aid, problems=(f"{RECORD_NAME} does not hold key: value pairs",), exists=False)
    problems: list[str] = []
    for key in ("name", "standard", "start_date", "employer"):
        if data.get(key) in (None, ""):
            problems.append(f"{key} is missing")
    english, english_basis = _qualification(data.get("english_l2"), "english_l2", problems)
    maths, maths_basis = _qualification(data.get("maths_l2"), "maths_l2", problems)
    signed, declaration = _declaration(data, problems)
    start = _as_date(data.get("start_date"), "start_date", problems)
    gateway = _as_date(data.get("gateway_date"), "gateway_date", problems)
    incomplete = tuple(k for k in REQUIRED + ("gateway_date",)
                       if any(p.startswith(k + " ") or p.startswith(k + ".") for p in problems))
    declared = data.get("id")
    if declared not in (None, "") and str(declared).strip():
        aid = unicodedata.normalize("NFC", str(declared).strip())
    return ApprenticeRecord(
        id=aid, name=(str(data["name"]) if data.get("name") else None),
        standard=(str(data["standard"]) if data.get("standard") else None),
        start_date=start, gateway_date=gateway, english_l2=english, maths_l2=maths,
        employer=(str(data["employer"]) if data.get("employer") else None),
        declaration_signed=signed, problems=tuple(problems), raw=data, incomplete=incomplete,
        declaration=declaration, english_basis=english_basis, maths_basis=maths_basis)


def _files(folder: Path) -> tuple[Path, ...]:
    if not folder.is_dir():
        return ()
    out = []
    for p in folder.rglob("*"):
        if any(is_junk(Path(part)) for part in p.relative_to(folder).parts):
            continue
        if p.is_file():
            out.append(p)
    return tuple(sorted(out, key=_sort_key))


def _misplaced(folder: Path) -> tuple[str, ...]:
    """Files in an apprentice's folder that the layout does not read: beside the record, or in a
    sub-folder other than portfolio/ and project/ (a "Portfolio" on a case-sensitive drive)."""
    out = []
    for child in sorted(folder.iterdir(), key=_sort_key):
        if is_junk(child) or child.name in (RECORD_NAME, "portfolio", "project", STATE_DIR):
            continue
        if child.is_file():
            out.append(child.name)
        elif child.is_dir() and not child.is_symlink():
            out += [f"{child.name}/{relative_name(p, (child,))}" for p in _files(child)]
    return tuple(out)


LAYOUT_HINT = ("expected a cohort folder with one sub-folder per apprentice: "
               "COHORT/<apprentice>/apprentice.yaml and COHORT/<apprentice>/portfolio/")


class CohortError(ValueError):
    """The path given as a cohort is not one (missing, a file, empty, loose files, one
    apprentice's own folder). A wrong path must never look like "0 of 0 ready"."""


def _looks_like_apprentice(folder: Path) -> bool:
    return any((folder / n).exists() for n in (RECORD_NAME, "portfolio", "project"))


def check_cohort(cohort: str | Path) -> Path:
    """Raise :class:`CohortError` with one plain sentence (and the expected layout) unless
    ``cohort`` holds at least one apprentice folder. Reads only; creates nothing."""
    root = Path(cohort)
    if not root.exists():
        raise CohortError(f"{root} does not exist; {LAYOUT_HINT}")
    if not root.is_dir():
        raise CohortError(f"{root} is a file, not a cohort folder; {LAYOUT_HINT}")
    if _looks_like_apprentice(root):
        raise CohortError(f"{root} looks like one apprentice's folder (it has {RECORD_NAME}, portfolio/ or "
                          f"project/): pass the folder above it; {LAYOUT_HINT}")
    entries = [c for c in root.iterdir() if not is_junk(c) and c.name != STATE_DIR]
    if not entries:
        raise CohortError(f"{root} is empty; {LAYOUT_HINT}")
    if not any(c.is_dir() and _looks_like_apprentice(c) for c in entries):
        what = "only loose files" if not any(c.is_dir() for c in entries) else "no apprentice folders"
        raise CohortError(f"{root} has {what} (no sub-folder with {RECORD_NAME} or portfolio/); {LAYOUT_HINT}")
    return root


def discover(cohort: str | Path) -> list[ApprenticeFolder]:
    """Apprentice folders of a cohort, sorted by id. A folder counts when it has a record,
    a portfolio/ or a project/ folder."""
    root = Path(cohort)
    if not root.is_dir():
        raise FileNotFoundError(f"no such cohort folder: {root}")
    children = [c for c in sorted(root.iterdir(), key=_sort_key)
                if c.is_dir() and not is_junk(c) and c.name != STATE_DIR and _looks_like_apprentice(c)]
    records = {c: read_record(c) for c in children}
    claims: dict[str, int] = {}
    for rec in records.values():
        claims[rec.id] = claims.get(rec.id, 0) + 1
    found = []
    for child, record in records.items():
        # An id two folders claim would merge their decisions: neither gets it, both keep their names.
        aid = record.id if claims[record.id] == 1 else child.name
        found.append(ApprenticeFolder(id=aid, path=child, record=record,
                                      portfolio=_files(child / "portfolio"), project=_files(child / "project"),
                                      misplaced=_misplaced(child)))
    return sorted(found, key=lambda f: _sort_key(Path(f.id)))


def apprentice_folder(cohort: str | Path, apprentice: str) -> Path:
    """The folder of the apprentice with this stable id (or, failing that, this folder name)."""
    root = Path(cohort)
    direct = root / apprentice
    found = discover(root)
    for f in found:
        if f.id == apprentice:
            return f.path
    if direct.is_dir():
        return direct
    ids = ", ".join(f.id for f in found[:20]) + (", ..." if len(found) > 20 else "")
    raise KeyError(f"no apprentice {apprentice!r} in {root}" + (f"; its apprentices are {ids}" if ids else
                                                               "; it holds no apprentice folders"))
