"""Apprenticeship standards as data: load, validate and query ``standards/*.yaml``.

Every rule the checks enforce (piece counts, word limits, which KSBs the portfolio serves,
months on programme) is read from here, so a new standard is a YAML file and a
``portfolio-check standards validate`` run, never a code change.
"""
from __future__ import annotations

import hashlib
import importlib.resources
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import yamlsafe


SCHEMA_VERSION = 1
REPORT_PARTS = (
    "title_page", "contents", "body_text", "body_tables", "body_list_labels",
    "footnotes", "references", "annexes", "headers_footers",
)

_NULLABLE_INT = {"type": ["integer", "null"], "minimum": 0}
_RANGE = {"type": ["object", "null"], "additionalProperties": False,
          "properties": {"min": _NULLABLE_INT, "max": _NULLABLE_INT}}
METHOD_KINDS = ("observation", "professional_discussion", "presentation", "knowledge_test",
                "report", "interview", "other")
TEST_FORMATS = ("multiple_choice", "short_answer", "mixed")
GRADES = ("fail", "pass", "merit", "distinction")
_TEXT = {"type": "string", "minLength": 1}
# Case-insensitive fnmatch patterns on a project/ file's name ("*proposal*", "*brief*").
_PATTERNS = {"type": "array", "items": {"type": "string", "minLength": 1}}
DEFAULT_PROPOSAL_PATTERNS = ("*proposal*", "*brief*")
DEFAULT_REPORT_PATTERNS = ("*report*",)

_UNIT = {
    "type": "object",
    "required": ["code", "title", "credits"],
    "additionalProperties": False,
    "properties": {"code": _TEXT, "title": _TEXT, "credits": _NULLABLE_INT,
                   "kind": {"enum": ["competence", "knowledge", None]}},
}
# Credit rules of a qualification (seed 003): a minimum total of credits, gathered from unit
# groups each with its own min/max credits; a mandatory group's units must all be achieved.
# Kept as data for a future check; nothing reads it yet.
QUALIFICATION_RULES_SCHEMA: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["qualifications"],
    "additionalProperties": False,
    "properties": {
        "source": {"type": "string"},
        "qualifications": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["title", "min_credits", "groups"],
                "additionalProperties": False,
                "properties": {
                    "title": _TEXT,
                    "level": _NULLABLE_INT,
                    "min_credits": _NULLABLE_INT,
                    "awarding_bodies": {"type": "array", "items": {
                        "type": "object", "required": ["name"], "additionalProperties": False,
                        "properties": {"name": _TEXT, "numbers": {"type": "array", "items": _TEXT},
                                       "credits": _NULLABLE_INT, "tqt_hours": _NULLABLE_INT,
                                       "languages": {"type": ["string", "null"]}}}},
                    "groups": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["name", "mandatory", "min_credits", "max_credits", "units"],
                            "additionalProperties": False,
                            "properties": {
                                "name": _TEXT,
                                "mandatory": {"type": "boolean"},
                                "min_credits": _NULLABLE_INT,
                                "max_credits": _NULLABLE_INT,
                                "units": {"type": "array", "minItems": 1, "items": _UNIT},
                            },
                        },
                    },
                },
            },
        },
    },
}

SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["schema_version", "code", "title", "level", "methods", "ksbs", "gateway", "report_policies"],
    "additionalProperties": False,
    "properties": {
        "schema_version": {"const": SCHEMA_VERSION},
        "code": {"type": "string", "pattern": "^[A-Za-z0-9-]+$"},
        "title": _TEXT,
        "level": {"type": "integer", "minimum": 1, "maximum": 8},
        "source": {"type": "string"},
        "methods": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["name"],
                "additionalProperties": False,
                "properties": {
                    "name": _TEXT,
                    # What the method is; checks may pick a method by kind instead of by code.
                    "kind": {"enum": list(METHOD_KINDS)},
                    # The seed's own wording of the method, kept so a tutor sees the source.
                    "description": {"type": ["string", "null"]},
                    # How long the method lasts; either bound null when the seed does not say.
                    "duration_minutes": _RANGE,
                    # presentation: the question-and-answer session that follows it.
                    "questions_minutes": _RANGE,
                    # knowledge_test: how many questions of what format (null: not stated).
                    "test": {
                        "type": ["object", "null"],
                        "additionalProperties": False,
                        "properties": {"questions": _NULLABLE_INT,
                                       "format": {"enum": [*TEST_FORMATS, None]}},
                    },
                    # report: a report word limit with its KSBs mapped in an appendix (true),
                    # explicitly not (false) or not stated (null / absent).
                    "ksb_mapping_appendix": {"type": ["boolean", "null"]},
                    "grading": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {
                            "pass": {"type": "object", "additionalProperties": _TEXT},
                            "distinction": {"type": "object", "additionalProperties": _TEXT},
                        },
                    },
                },
            },
        },
        "ksbs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "kind", "method", "statement"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "pattern": "^[KSB][0-9]+$"},
                    "kind": {"enum": ["knowledge", "skill", "behaviour"]},
                    "theme": {"type": ["string", "null"]},
                    "method": {"type": ["string", "null"]},
                    "statement": _TEXT,
                    "amplification": {"type": ["string", "null"]},
                },
            },
        },
        "gateway": {
            "type": "object",
            "required": ["on_programme_months", "english_level", "maths_level", "declaration_required",
                         "portfolio", "report"],
            "additionalProperties": False,
            "properties": {
                "on_programme_months": _NULLABLE_INT,
                "english_level": _NULLABLE_INT,
                "maths_level": _NULLABLE_INT,
                "declaration_required": {"type": "boolean"},
                "portfolio": {
                    "type": "object",
                    "required": ["min_pieces", "max_pieces", "serves_method"],
                    "additionalProperties": False,
                    "properties": {
                        "min_pieces": _NULLABLE_INT,
                        "max_pieces": _NULLABLE_INT,
                        "serves_method": {"type": ["string", "null"]},
                    },
                },
                "proposal": {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "properties": {"max_words": _NULLABLE_INT, "required": {"type": "boolean"},
                                   "file_patterns": _PATTERNS},
                },
                "report": {
                    "type": ["object", "null"],
                    "required": ["target_words", "tolerance_pct", "policy"],
                    "additionalProperties": False,
                    "properties": {
                        "target_words": {"type": "integer", "minimum": 1},
                        "tolerance_pct": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                        "excludes": {"type": "string"},
                        "policy": _TEXT,
                        "method": {"type": ["string", "null"]},
                        "file_patterns": _PATTERNS,
                    },
                },
                # Qualifications the apprentice must hold before gateway beyond English and
                # maths (e.g. "IPMA Level D or APM Project Management Qualification"): any one of
                # ``any_of`` satisfies an entry. No check reads this yet.
                "prerequisite_qualifications": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["any_of"],
                        "additionalProperties": False,
                        "properties": {
                            "any_of": {"type": "array", "minItems": 1, "items": _TEXT},
                            "level": _NULLABLE_INT,
                            "when": {"enum": ["before_start", "on_programme", "before_gateway", None]},
                            "note": {"type": ["string", "null"]},
                        },
                    },
                },
                # How English and maths may be evidenced, in the seed's words ("GCSE grade 4 (C)
                # or equivalent level 2 qualification"); the levels themselves are above.
                "english_maths_evidence": {"type": ["string", "null"]},
                # Other things to have completed before gateway, in the seed's words, that no
                # check reads (e.g. "a work based project").
                "completed": {"type": "array", "items": _TEXT},
                "witness_testimony": {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "properties": {
                        "requires": {
                            "type": "array",
                            "items": {"enum": ["signature", "date", "job_title", "relationship"]},
                        }
                    },
                },
                "observation": {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "properties": {"requires": {"type": "array",
                                                "items": {"enum": ["observer", "date", "observer_role"]}}},
                },
            },
        },
        # Overall grades the standard awards, lowest first (null/absent: not stated).
        "grades": {"type": ["array", "null"], "uniqueItems": True, "items": {"enum": list(GRADES)}},
        # How long the programme typically takes; NOT a minimum (that is on_programme_months).
        "typical_months": _NULLABLE_INT,
        "qualification_rules": QUALIFICATION_RULES_SCHEMA,
        "report_policies": {
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {
                "type": "object",
                "required": ["counts"],
                "additionalProperties": False,
                "properties": {
                    "description": {"type": "string"},
                    "counts": {"type": "array", "minItems": 1, "uniqueItems": True,
                               "items": {"enum": list(REPORT_PARTS)}},
                },
            },
        },
    },
}


class StandardError(ValueError):
    """A standard file that cannot be used; ``problems`` lists every problem found."""

    def __init__(self, path: str, problems: list[str]):
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class KSB:
    code: str
    kind: str
    method: str | None
    statement: str
    amplification: str | None = None
    theme: str | None = None


@dataclass(frozen=True)
class ReportLimit:
    """The word band a report must fall in. ``min_words`` is None when no tolerance is stated."""

    target_words: int
    tolerance_pct: float | None
    policy: str
    counts: tuple[str, ...]

    @property
    def min_words(self) -> int | None:
        if self.tolerance_pct is None:
            return None
        return round(self.target_words * (1 - self.tolerance_pct / 100))

    @property
    def max_words(self) -> int:
        if self.tolerance_pct is None:
            return self.target_words
        return round(self.target_words * (1 + self.tolerance_pct / 100))

    def within(self, words: int) -> bool:
        low = self.min_words
        return (low is None or words >= low) and words <= self.max_words


@dataclass(frozen=True)
class Standard:
    code: str
    title: str
    level: int
    ksbs: tuple[KSB, ...]
    methods: dict[str, dict[str, Any]] = field(hash=False, compare=False)
    gateway: dict[str, Any] = field(hash=False, compare=False)
    report_policies: dict[str, dict[str, Any]] = field(hash=False, compare=False)
    path: str = ""
    # Recorded from the standard file for future checks; nothing reads them yet.
    grades: tuple[str, ...] | None = None
    typical_months: int | None = None
    qualification_rules: dict[str, Any] | None = field(default=None, hash=False, compare=False)
    # SHA-256 of the file's bytes: every cached result of a scan is keyed on it, so an edited
    # standard (a new piece count, a witness rule, a KSB's method) is never served stale results.
    digest: str = field(default="", hash=False, compare=False)

    @property
    def prerequisite_qualifications(self) -> tuple[dict[str, Any], ...]:
        """Qualifications due before gateway beyond English and maths (each: ``any_of`` names)."""
        return tuple(self.gateway.get("prerequisite_qualifications") or ())

    def methods_of_kind(self, kind: str) -> tuple[str, ...]:
        """Codes of the methods of this kind (``presentation``, ``knowledge_test``, ...)."""
        return tuple(m for m, spec in self.methods.items() if spec.get("kind") == kind)

    def ksb(self, code: str) -> KSB:
        for k in self.ksbs:
            if k.code == code:
                return k
        raise KeyError(f"{self.code} has no KSB {code!r}")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(k.code for k in self.ksbs)

    def ksbs_for_method(self, method: str | None) -> tuple[KSB, ...]:
        return tuple(k for k in self.ksbs if k.method == method)

    @property
    def portfolio_method(self) -> str | None:
        return self.gateway["portfolio"]["serves_method"]

    @property
    def portfolio_ksbs(self) -> tuple[str, ...]:
        """The KSBs the portfolio must evidence (ST0071: the professional-discussion ones)."""
        return tuple(k.code for k in self.ksbs_for_method(self.portfolio_method))

    @property
    def witness_requires(self) -> tuple[str, ...]:
        """What a witness testimony's sign-off must hold (``gateway.witness_testimony.requires``)."""
        wt = self.gateway.get("witness_testimony") or {}
        if wt.get("requires") is None:      # not stated: signature, date and job title
            return ("signature", "date", "job_title")
        return tuple(wt["requires"])        # as stated, an empty list included

    @property
    def observation_requires(self) -> tuple[str, ...]:
        """What an observation record must name (``gateway.observation.requires``: observer,
        date, observer_role); all three when the standard does not say."""
        obs = self.gateway.get("observation")
        if obs is None or obs.get("requires") is None:
            return ("observer", "date", "observer_role")
        return tuple(obs["requires"])

    @property
    def proposal_patterns(self) -> tuple[str, ...]:
        return tuple((self.gateway.get("proposal") or {}).get("file_patterns") or DEFAULT_PROPOSAL_PATTERNS)

    @property
    def proposal_required(self) -> bool:
        """A proposal (project brief) is due at gateway when the standard sets one."""
        prop = self.gateway.get("proposal")
        return bool(prop) and prop.get("required", True)

    @property
    def report_patterns(self) -> tuple[str, ...]:
        return tuple((self.gateway.get("report") or {}).get("file_patterns") or DEFAULT_REPORT_PATTERNS)

    @property
    def report_method(self) -> str | None:
        """The method a project report is assessed under: ``gateway.report.method`` when the
        standard says, else the method with most non-portfolio KSBs; None when the standard sets
        no report (``gateway.report: null``): an observation or presentation is not a report."""
        rep = self.gateway.get("report")
        if not rep:
            return None
        stated = rep.get("method")
        if stated:
            return stated
        counts: dict[str, int] = {}
        for k in self.ksbs:
            if k.method and k.method != self.portfolio_method:
                counts[k.method] = counts.get(k.method, 0) + 1
        return max(counts, key=counts.get) if counts else None

    def report_limit(self, policy: str | None = None) -> ReportLimit | None:
        rep = self.gateway.get("report")
        if not rep:
            return None
        name = policy or rep["policy"]
        if name not in self.report_policies:
            raise KeyError(f"{self.code} has no report policy {name!r}; "
                           f"known: {', '.join(self.report_policies)}")
        return ReportLimit(rep["target_words"], rep["tolerance_pct"], name,
                           tuple(self.report_policies[name]["counts"]))

    @property
    def proposal_max_words(self) -> int | None:
        prop = self.gateway.get("proposal") or {}
        return prop.get("max_words")


def _key_path(error) -> str:
    parts = []
    for p in error.absolute_path:
        parts.append(f"[{p}]" if isinstance(p, int) else (("." if parts else "") + str(p)))
    return "".join(parts) or "(top level)"


def _semantic_problems(data: dict[str, Any]) -> list[str]:
    """Rules a JSON schema cannot express: unique codes, references that must resolve."""
    problems = []
    seen: set[str] = set()
    methods = set(data["methods"])
    kind_prefix = {"knowledge": "K", "skill": "S", "behaviour": "B"}
    for i, k in enumerate(data["ksbs"]):
        if k["code"] in seen:
            problems.append(f"ksbs[{i}].code: duplicate KSB code {k['code']!r}")
        seen.add(k["code"])
        if k["method"] is not None and k["method"] not in methods:
            problems.append(f"ksbs[{i}].method: {k['method']!r} is not one of the methods ({', '.join(sorted(methods))})")
        if not k["code"].startswith(kind_prefix[k["kind"]]):
            problems.append(f"ksbs[{i}].kind: {k['code']} is a {k['kind']} but its code does not start with {kind_prefix[k['kind']]}")
    gw = data["gateway"]
    port = gw["portfolio"]
    if port["serves_method"] is not None and port["serves_method"] not in methods:
        problems.append(f"gateway.portfolio.serves_method: {port['serves_method']!r} is not one of the methods")
    if port["min_pieces"] is not None and port["max_pieces"] is not None and port["min_pieces"] > port["max_pieces"]:
        problems.append("gateway.portfolio: min_pieces is greater than max_pieces")
    for name, spec in data["methods"].items():
        for key in ("duration_minutes", "questions_minutes"):
            problems += _range_problem(f"methods.{name}.{key}", spec.get(key))
        if spec.get("test") and spec.get("kind") != "knowledge_test":
            problems.append(f"methods.{name}.test: only a method of kind knowledge_test has a test")
        if spec.get("questions_minutes") and spec.get("kind") != "presentation":
            problems.append(f"methods.{name}.questions_minutes: only a method of kind presentation has questions after it")
        if spec.get("ksb_mapping_appendix") is not None and spec.get("kind") != "report":
            problems.append(f"methods.{name}.ksb_mapping_appendix: only a method of kind report has a KSB-mapping appendix")
    problems += qualification_rules_problems(data.get("qualification_rules"), "qualification_rules")
    rep = gw.get("report")
    if rep and rep["policy"] not in data["report_policies"]:
        problems.append(f"gateway.report.policy: {rep['policy']!r} is not one of report_policies ({', '.join(data['report_policies'])})")
    return problems


def _range_problem(key: str, rng: dict[str, Any] | None) -> list[str]:
    if rng and rng.get("min") is not None and rng.get("max") is not None and rng["min"] > rng["max"]:
        return [f"{key}: min is greater than max"]
    return []


def qualification_rules_problems(rules: dict[str, Any] | None, key: str) -> list[str]:
    """Credit rules that contradict themselves: a group whose minimum exceeds its maximum, a
    mandatory group whose units do not add up to its stated credits (all must be achieved), a
    unit listed twice in one group. Catches transcription slips from a seed's tables."""
    problems: list[str] = []
    for qi, qual in enumerate((rules or {}).get("qualifications", [])):
        for gi, group in enumerate(qual["groups"]):
            where = f"{key}.qualifications[{qi}].groups[{gi}]"
            problems += _range_problem(where, {"min": group["min_credits"], "max": group["max_credits"]})
            codes = [u["code"] for u in group["units"]]
            for dup in sorted({c for c in codes if codes.count(c) > 1}):
                problems.append(f"{where}.units: unit {dup!r} listed twice")
            total = sum(u["credits"] or 0 for u in group["units"])
            if group["mandatory"] and group["min_credits"] is not None and total != group["min_credits"]:
                problems.append(f"{where}: mandatory group's units add up to {total} credits, "
                                f"not its min_credits {group['min_credits']}")
    return problems


def validate_qualification_rules(data: Any) -> list[str]:
    """Every problem in a stand-alone credit-rules file (a pathway not tied to one standard, such
    as seed 003's Welsh Customer Services pathway), each as 'key: problem'."""
    import jsonschema      # imported here: only validation needs it, and it is slow to import
    schema = dict(QUALIFICATION_RULES_SCHEMA, type="object")
    schema["properties"] = dict(schema["properties"], title=_TEXT, schema_version={"const": SCHEMA_VERSION})
    validator = jsonschema.Draft202012Validator(schema)
    problems = [f"{_key_path(e)}: {e.message}" for e in
                sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if problems:
        return problems
    return [p.removeprefix("(top level).") for p in qualification_rules_problems(data, "(top level)")]


def qualification_rules_files(extra: str | Path | None = None) -> list[Path]:
    """Stand-alone credit-rules files: ``qualification_rules/*.yaml`` in each standards folder."""
    return [f for d in standards_dirs(extra) for f in sorted((d / "qualification_rules").glob("*.yaml"))]


def validate_data(data: Any, path: str = "<memory>") -> list[str]:
    """Every problem in a parsed standard, each as 'key: problem'. Empty when valid."""
    import jsonschema      # imported here: only validation needs it, and it is slow to import
    validator = jsonschema.Draft202012Validator(SCHEMA)
    problems = [f"{_key_path(e)}: {e.message}" for e in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))]
    if not problems:
        problems = _semantic_problems(data)
    return problems


def _validation_marker(raw: bytes) -> tuple[Path, bytes] | None:
    """Where a "this exact file validated" marker lives, and what it must hold.

    Why: importing jsonschema and validating costs over a second, which every CLI call and
    notebook cell would pay for the same unchanged file. The marker is keyed on the file's
    bytes and the schema, and holds an HMAC under the user's cache key, so it cannot be planted
    to let a broken file through unvalidated. Any problem with the cache: validate again.
    """
    try:
        import hmac
        import json

        from .cache import signing_key, user_cache_root
        digest = hashlib.sha256(raw + json.dumps(SCHEMA, sort_keys=True).encode()).hexdigest()
        mac = hmac.new(signing_key(), f"standard-valid|{digest}".encode(), "sha256").hexdigest().encode()
        return user_cache_root() / "validated-standards" / digest, mac
    except Exception:   # noqa: BLE001 - the marker is only a speed-up
        return None


def _already_valid(raw: bytes) -> bool:
    marker = _validation_marker(raw)
    if marker is None:
        return False
    try:
        from .safe_io import read_bytes_no_follow
        import hmac
        return hmac.compare_digest(read_bytes_no_follow(marker[0], 256), marker[1])
    except OSError:
        return False


def _remember_valid(raw: bytes) -> None:
    marker = _validation_marker(raw)
    if marker is None:
        return
    try:
        from .safe_io import atomic_write_bytes
        marker[0].parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(marker[0], marker[1], perms=0o600)
    except Exception:   # noqa: BLE001 - a read-only home only costs time
        pass


def load_standard_file(path: str | Path, revalidate: bool = False) -> Standard:
    """Load and validate one standard file; raise StandardError naming file, key and problem.

    A file whose exact bytes validated before (see :func:`_validation_marker`) is not validated
    again."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        data = yamlsafe.load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise StandardError(str(path), [f"cannot read file: {exc}"]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise StandardError(str(path), [f"{where}not valid YAML ({getattr(exc, 'problem', exc)})"]) from exc
    if revalidate or not _already_valid(raw):
        problems = validate_data(data, str(path))
        if problems:
            raise StandardError(str(path), problems)
        _remember_valid(raw)
    ksbs = tuple(KSB(code=k["code"], kind=k["kind"], method=k["method"], statement=k["statement"],
                     amplification=k.get("amplification"), theme=k.get("theme")) for k in data["ksbs"])
    return Standard(code=data["code"], title=data["title"], level=data["level"], ksbs=ksbs,
                    methods=data["methods"], gateway=data["gateway"],
                    report_policies=data["report_policies"], path=str(path),
                    grades=tuple(data["grades"]) if data.get("grades") else None,
                    typical_months=data.get("typical_months"),
                    qualification_rules=data.get("qualification_rules"),
                    digest=hashlib.sha256(raw).hexdigest())


def standards_dirs(extra: str | Path | None = None) -> list[Path]:
    """Where standards are looked up: an explicit folder first, then the packaged copies."""
    dirs = []
    if extra:
        dirs.append(Path(extra))
    dirs.append(Path(str(importlib.resources.files("portfolio_check") / "standards")))
    return dirs


def standard_files(extra: str | Path | None = None) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in standards_dirs(extra):
        if d.is_dir():
            for f in sorted(d.glob("*.yaml")):
                found.setdefault(f.stem, f)
    return found


_CACHE: dict[tuple[str, str, str], Standard] = {}


def load_standard(code: str, extra_dir: str | Path | None = None) -> Standard:
    """The standard with this code (file stem), from ``extra_dir`` or the packaged data."""
    files = standard_files(extra_dir)
    if code not in files:
        raise StandardError(code, [f"no standard file named {code}.yaml (known: {', '.join(files) or 'none'})"])
    # Keyed on the file's bytes, not its name or time stamp: an edited file (the same size, in
    # the same second) is read again, also in a long-running notebook.
    try:
        digest = hashlib.sha256(files[code].read_bytes()).hexdigest()
    except OSError:
        return load_standard_file(files[code])      # raises the reading error, with the path
    key = (code, str(extra_dir), digest)
    if key not in _CACHE:
        _CACHE[key] = load_standard_file(files[code])
    return _CACHE[key]


def tagger_data_file(standard: Standard) -> Path | None:
    """The optional lexical tagger data for a standard: beside its file (``<dir>/tagging/<code>.yaml``)
    or packaged (``portfolio_check/tagging/data/<code>.yaml``); None when it has none."""
    candidates = []
    if standard.path:
        candidates.append(Path(standard.path).parent / "tagging" / f"{standard.code}.yaml")
    candidates.append(Path(str(importlib.resources.files("portfolio_check") / "tagging" / "data"))
                      / f"{standard.code}.yaml")
    return next((c for c in candidates if c.is_file()), None)


def validate_tagger_data(standard: Standard, path: str | Path) -> list[str]:
    """Problems in a standard's tagger data, checked against the standard: the file names this
    standard, every KSB it describes exists, and every facet has phrases (read as YAML only: no
    NLP pipeline is built for this)."""
    try:
        data = yamlsafe.load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [f"cannot be read as YAML ({exc})"]
    if not isinstance(data, dict):
        return ["(top level): not a mapping"]
    problems = []
    if data.get("standard") not in (None, standard.code):
        problems.append(f"standard: {data.get('standard')!r} is not {standard.code}")
    ksbs = data.get("ksbs")
    if not isinstance(ksbs, dict) or not ksbs:
        return problems + ["ksbs: missing or empty"]
    codes = set(standard.codes)
    for code, spec in ksbs.items():
        if code not in codes:
            problems.append(f"ksbs.{code}: not a KSB of {standard.code}")
            continue
        facets = (spec or {}).get("facets") if isinstance(spec, dict) else None
        if not isinstance(facets, dict) or not facets:
            problems.append(f"ksbs.{code}.facets: missing or empty")
            continue
        for name, f in facets.items():
            if not isinstance(f, dict) or not f.get("phrases"):
                problems.append(f"ksbs.{code}.facets.{name}.phrases: missing or empty")
        if not any(isinstance(f, dict) and f.get("anchor") for f in facets.values()):
            problems.append(f"ksbs.{code}.facets: no anchor facet (a KSB needs a core act to be evidenced)")
    return problems
