"""Scan a cohort: discover, analyse every file once (in parallel, cached), check, decide.

Apprentices are processed one after another and yielded as they finish, so reports can be
written as the scan goes and memory does not grow with the cohort: only compact per-file
results of one apprentice, plus the small duplicate index, are held at a time.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from array import array
import hashlib
import importlib.resources
import operator
import os
import re
import signal
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping

from . import __version__
from .budget import OverBudget, gc_paused, time_budget
from .cache import AnalysisCache, HashIndex
from .checks import registry
from .checks.gateway import ApprenticeContext, cover_plan, months_between, nearest_misses, pending_ksbs
from .checks.registry import ALL, Hit, Selection
from .checks.checklist import checklist
from .discover import STATE_DIR, ApprenticeFolder, discover
from .evidence import ANALYSIS_VERSION, EvidenceResult, analyse_file, file_hash
from .store import follow_renames
from .workers import die_with_parent, stop_pool
from .models import Finding, GatewayReport, ProposalCheck, Readiness, Reason, ReportCheck, Role, Severity
from .standards import Standard
from .tagging import TaggingConfig
from .tagging.config import MODEL_REVISION, THREADS_ENV, requested_backend, usable_cpus
from .tagging.errors import EncoderUnavailable

if TYPE_CHECKING:
    from .store import DecisionState
    from .tagging.engine import TaggingEngine

OVER_BUDGET_CODE = "PC138"
INTERNAL_CODE = "PC199"
NEAR_DUPLICATE = 0.8            # estimated Jaccard of word 5-shingles
_BANDS, _ROWS = 16, 4
# Bumped when the verdict logic changes without the analysis changing, so finished reports
# cached by an earlier version (e.g. one-sided cross-apprentice duplicates) are not re-used.
_VERDICT_VERSION = "3"


ApprenticeReport = GatewayReport       # the name other modules knew it by


# ---------------------------------------------------------------------------- worker side
_CONFIG: TaggingConfig | None = None
_ENGINES: dict[tuple[str, str], "TaggingEngine"] = {}


def _init_worker(config: TaggingConfig, encoder_threads: int = 0, parent_pid: int = 0) -> None:
    """A worker's settings. ``encoder_threads``: each of ``jobs`` workers gets its share of the
    CPUs for the sentence encoder, so two workers on two cores do not each run two threads.
    ``parent_pid``: the scan's process, which the worker must not outlive (:func:`workers.die_with_parent`).

    Ctrl-C at a terminal reaches every process of the group: a worker ignores it (no traceback
    of its own) and the scan stops its workers when the interrupt reaches it (:func:`workers.stop_pool`).
    """
    global _CONFIG
    _CONFIG = config
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent_pid:
        die_with_parent(parent_pid)
    if encoder_threads and not os.environ.get(THREADS_ENV):
        os.environ[THREADS_ENV] = str(encoder_threads)


def _engine_for(standard: Standard, config: TaggingConfig, engines: dict) -> "TaggingEngine":
    """One tagging engine per standard (a mixed cohort tags each apprentice with their own)."""
    key = (standard.code, standard.path)
    if key not in engines:
        from .evidence import make_engine
        engines[key] = make_engine(standard, config)
    return engines[key]


def _analyse_task(args: tuple[str, str, str | None, str | None, str, Standard]) -> EvidenceResult:
    path, name, apprentice, employer, sha, standard = args
    assert _CONFIG is not None
    return analyse_guarded(Path(path), name, _engine_for(standard, _CONFIG, _ENGINES), apprentice, employer, sha)


def _failed_result(name: str, sha: str, kind: str, finding: Finding) -> EvidenceResult:
    return EvidenceResult(file=name, sha256=sha, kind=kind, words=0, type="other", type_confidence=0.0,
                          suggestions=(), cited=(), cited_not_evidenced=(), findings=(finding,), readable=False)


def analyse_guarded(path: Path, name: str, engine: "TaggingEngine", apprentice: str | None,
                    employer: str | None, sha: str) -> EvidenceResult:
    """``analyse_file`` within the file's time and size budget; never raises for one file.

    Over budget: one PC138 finding. A bug of ours (anything analyse_file lets out): PC199,
    or raised in strict mode so tests see it.
    """
    from .parse import strict
    try:
        with time_budget(), gc_paused():
            return analyse_file(path, name, engine, apprentice, employer, sha)
    except OverBudget as exc:
        return _failed_result(name, sha, "unknown", Finding(
            OVER_BUDGET_CODE, Severity.ERROR,
            f"{name} was not analysed: {exc.what}. Check the file by hand or split it.", file=name))
    except MemoryError:
        return _failed_result(name, sha, "unknown", Finding(
            OVER_BUDGET_CODE, Severity.ERROR,
            f"{name} was not analysed: it needs more memory than one file may use.", file=name))
    except EncoderUnavailable:
        # A missing or tampered sentence model is the installation, not this file: the scan
        # stops with the fix instead of calling every piece unreadable.
        raise
    except Exception as exc:  # noqa: BLE001 - one file never stops the scan
        if strict():
            raise
        return _failed_result(name, sha, "unknown", Finding(
            INTERNAL_CODE, Severity.ERROR,
            f"portfolio-check failed on {name} ({type(exc).__name__}); this is a fault in portfolio-check, "
            "not in the file: please report it. The file was not checked.", file=name))


# A hint at an uncovered KSB's nearest miss is worth reading only where a suggestion would be
# listed on its own merit (TaggingConfig.show_floor), not a top-five filler at 0.01.
SHOW_FLOOR = TaggingConfig().show_floor


def fingerprint(standard: Standard, config: TaggingConfig) -> str:
    """Everything besides the file that decides a cached result."""
    lex = importlib.resources.files("portfolio_check") / "tagging" / "data" / f"{standard.code}.yaml"
    lex_hash = hashlib.sha256(lex.read_bytes()).hexdigest()[:16] if lex.is_file() else "none"
    # Keyed on the tagger that actually runs, not on how it was asked for: a changed default
    # must never serve one tagger's cached suggestions as the other's.
    tagger = "lexical" if config.semantic is False and lex.is_file() else "semantic"
    resolved = dataclasses.replace(config, semantic=tagger == "semantic")
    cfg_hash = hashlib.sha256(repr(resolved).encode()).hexdigest()[:16]   # learned examples included
    # The semantic tagger's learned weights decide every suggestion: retrained weights (or a
    # different sentence model revision) must never be served stale results from the cache.
    fusion = importlib.resources.files("portfolio_check") / "tagging" / "data" / "fusion.json"
    model_hash = hashlib.sha256(fusion.read_bytes() + f"{MODEL_REVISION}|{requested_backend()}".encode()).hexdigest()[:16]
    # A scan read by OCR on one machine and left unread on another (or read by another
    # Tesseract version) is a different result.
    from .parse.ocr import engine_id
    # The standard's own bytes: a provider editing their YAML must get results under the new rules.
    std_hash = standard.digest[:16] if standard.digest else "none"
    return (f"{__version__}|{ANALYSIS_VERSION}|{standard.code}|{std_hash}|{lex_hash}|{cfg_hash}|{model_hash}|"
            f"{engine_id()}")


# ---------------------------------------------------------------------------- duplicates
class DuplicateIndex:
    """Exact (same bytes or same normalised text) and near duplicates across a whole cohort,
    found with MinHash and locality-sensitive hashing so the cost stays near linear.

    The scan fills it in a first pass over every piece of the cohort before any verdict, so
    both members of a pair learn of each other (the one scanned first included); only the
    signatures (~0.5 KB a file) and the pairs found are kept, never the pieces.
    """

    def __init__(self) -> None:
        self.by_sha: dict[str, str] = {}
        self.by_text: dict[str, str] = {}
        self.buckets: dict[tuple[int, int], list[str]] = {}
        self.sigs: dict[str, array] = {}          # 64-bit words: ~0.5 KB a file
        self._pairs: dict[str, list[tuple[str, str, bool]]] = {}

    def add(self, label: str, ev: EvidenceResult) -> tuple[str, str] | None:
        """Record a file; return (other label, "exact"|"near") if it duplicates an earlier one."""
        match: tuple[str, str] | None = None
        if ev.sha256 in self.by_sha:
            match = (self.by_sha[ev.sha256], "exact")
        elif ev.text_hash and ev.words >= 30 and ev.text_hash in self.by_text:
            match = (self.by_text[ev.text_hash], "exact")
        elif ev.signature and ev.words >= 60:
            candidates: set[str] = set()
            for b in range(_BANDS):
                key = (b, hash(ev.signature[b * _ROWS:(b + 1) * _ROWS]))
                candidates.update(self.buckets.get(key, ()))
            need = NEAR_DUPLICATE * len(ev.signature)
            for other in sorted(candidates):          # first (in a stable order) over the bar wins
                if sum(map(operator.eq, self.sigs[other], ev.signature)) >= need:
                    match = (other, "near")
                    break
        self.by_sha.setdefault(ev.sha256, label)
        if ev.text_hash and ev.words >= 30:
            self.by_text.setdefault(ev.text_hash, label)
        if ev.signature and ev.words >= 60:
            self.sigs[label] = array("Q", ev.signature)
            for b in range(_BANDS):
                key = (b, hash(ev.signature[b * _ROWS:(b + 1) * _ROWS]))
                self.buckets.setdefault(key, []).append(label)
        if match and match[0] != label:
            self._pairs.setdefault(label, []).append((match[0], match[1], True))
            self._pairs.setdefault(match[0], []).append((label, match[1], False))
        return match

    def partners(self, label: str) -> list[tuple[str, str, bool]]:
        """Every piece this one pairs with: (other label, kind, the other was indexed first)."""
        return list(self._pairs.get(label, ()))


# ---------------------------------------------------------------------------- project folder
def _named_like(path: Path, patterns: tuple[str, ...]) -> bool:
    import fnmatch
    return any(fnmatch.fnmatch(path.name.lower(), pat.lower()) for pat in patterns)


def _proposal(folder: ApprenticeFolder, standard: Standard) -> ProposalCheck | None:
    """The proposal: the first project/ file named like the standard's proposal patterns."""
    from .parse import parse_file

    files = [p for p in folder.project if _named_like(p, standard.proposal_patterns)]
    if not files:
        return None
    path = files[0]
    doc = parse_file(path)
    blocks = [b for b in doc.blocks if b.role not in (Role.HEADER, Role.FOOTER, Role.FOOTNOTE, Role.ENDNOTE)]
    # Words: whitespace tokens holding a letter or digit, over every body paragraph and table cell.
    words = sum(1 for b in blocks for t in b.text.split() if re.search(r"\w", t))
    return ProposalCheck(file=folder.relative(path), words=words, limit=standard.proposal_max_words,
                         findings=tuple(doc.findings))


def _report(folder: ApprenticeFolder, standard: Standard, engine: TaggingEngine) -> ReportCheck | None:
    from .parse import parse_file
    from .report_check import check_report_with_sections

    files = [p for p in folder.project if _named_like(p, standard.report_patterns)
             and not _named_like(p, standard.proposal_patterns)]
    if not files or standard.report_limit() is None:
        return None
    check = check_report_with_sections(parse_file(files[0]), standard, engine)
    return dataclasses.replace(check, file=folder.relative(files[0]))


def _cohort_digest(folders: list[ApprenticeFolder], hashed: dict[str, list[str]], decisions_digest: str,
                   as_of: dt.date | None, hashes: HashIndex) -> str:
    """Everything a cohort's verdicts depend on besides the analysis fingerprint."""
    h = hashlib.sha256()
    h.update(f"{as_of}|{dt.date.today() if as_of is None else ''}|{decisions_digest}".encode())
    for f in folders:
        h.update(f"\x1e{f.id}\x1f{f.folder_name}".encode())   # a renamed folder is re-checked (PC590)
        record = f.path / "apprentice.yaml"
        h.update(hashes.sha256(record, file_hash).encode() if record.is_file() else b"-")
        for p, sha in zip(f.portfolio, hashed[f.id]):
            h.update(f"\x1f{f.relative(p)}\x1f{sha}".encode())
        for p in f.project:
            h.update(f"\x1dproject\x1f{f.relative(p)}\x1f{hashes.sha256(p, file_hash)}".encode())
    return h.hexdigest()


def _cached_project(cache: AnalysisCache, hashes: HashIndex, folder: ApprenticeFolder, kind: str, fn):
    """A project-folder result (proposal count, report check), cached on the folder's content."""
    if not folder.project:
        return None
    digest = hashlib.sha256("".join(hashes.sha256(p, file_hash) + folder.relative(p)
                                    for p in folder.project).encode()).hexdigest()
    key = cache.key(digest, kind)
    hit = cache.get(key)
    if hit is not None:
        return hit.get("value")
    value = fn(folder)
    cache.put(key, {"value": value})
    return value


# ---------------------------------------------------------------------------- the scan
Decisions = Mapping[tuple[str, str], "DecisionState"]


def resolve_standard(folder: ApprenticeFolder, default: Standard,
                     standards_dir: str | Path | None = None) -> tuple[Standard, str | None]:
    """The standard an apprentice is checked against: the one ``apprentice.yaml`` names (from
    ``standards_dir`` or the packaged ones), else the scan's. A named standard that cannot be
    loaded is a problem to report (the apprentice is then checked against the default)."""
    code = folder.record.standard
    if not code or code == default.code:
        return default, None
    from .standards import StandardError, load_standard, standard_files
    try:
        return load_standard(code, standards_dir), None
    except StandardError as exc:
        known = ", ".join(standard_files(standards_dir)) or "none"
        detail = "; ".join(exc.problems) if code in standard_files(standards_dir) else f"known: {known}"
        return default, f"apprentice.yaml names standard {code}, which cannot be used ({detail})."


def iter_scan(cohort: str | Path, standard: Standard, as_of: dt.date | None = None, jobs: int | None = None,
              cache_dir: str | Path | None | bool = None, config: TaggingConfig | None = None,
              decisions: Decisions | None = None, progress: Callable[[int], None] | None = None,
              on_total: Callable[[int], None] | None = None, only: set[str] | None = None,
              decisions_digest: str = "", standards_dir: str | Path | None = None,
              selection: Selection = ALL) -> Iterator[GatewayReport]:
    """Yield one :class:`~portfolio_check.models.GatewayReport` per apprentice, in folder order.

    ``decisions`` maps (apprentice id, file) to the tutor's decisions on that piece; they
    outrank suggestions in coverage. ``only`` limits the scan to some apprentices; their
    duplicates are still checked against the cached pieces of the apprentices before them, as in
    a full scan. Each apprentice is checked against the standard their record names
    (``standards_dir`` first, then the packaged ones), else ``standard``. ``selection`` drops
    findings by code or prefix before they can block. ``cache_dir`` False disables caching;
    None puts it in ``<cohort>/.portfolio-check/cache``.
    """
    config = config or TaggingConfig()
    every = discover(cohort)
    folders = [f for f in every if only is None or f.id in only]
    if on_total:
        on_total(sum(len(f.portfolio) for f in folders))
    cache_root: Path | None = None
    if cache_dir is None:
        cache_dir = Path(cohort) / STATE_DIR / "cache"
        cache_root = Path(cohort)          # nothing below the cohort folder may be a link
    caches: dict[str, AnalysisCache] = {}

    def cache_for_standard(st: Standard) -> AnalysisCache:
        """One cache per standard: the fingerprint (and so every key) includes it."""
        if st.code not in caches:
            caches[st.code] = AnalysisCache(cache_dir or None, fingerprint(st, config), types=(ApprenticeReport,),
                                            root=cache_root)
        return caches[st.code]

    resolved = {f.id: resolve_standard(f, standard, standards_dir) for f in every}
    cache = cache_for_standard(standard)
    hashes = HashIndex(cache.folder)
    jobs = max(1, jobs or usable_cpus())
    engines: dict = {}

    def engine_for(st: Standard) -> "TaggingEngine":
        """The main process's engine for a standard, built only if something here needs tagging."""
        return _engine_for(st, config, engines)

    dupes = DuplicateIndex()
    pool: ProcessPoolExecutor | None = None
    # An unchanged cohort (every file, record, project file and decision, the date and the
    # analysis) re-uses each apprentice's finished report: one cache read per apprentice.
    # Over the whole cohort even when ``only`` limits the scan: an apprentice's verdict depends on
    # the other apprentices' pieces too (a copy across apprentices blocks both, PC701/PC702), so
    # a partial scan (the review widget's) must not re-use a verdict made before they changed.
    hashed = {f.id: [hashes.sha256(p, file_hash) for p in f.portfolio] for f in every}
    cohort_key = _cohort_digest(every, hashed, decisions_digest + repr(selection), as_of, hashes)
    scratch: tempfile.TemporaryDirectory | None = None
    stores: dict[str, AnalysisCache] = {}

    def store_for(st: Standard) -> AnalysisCache:
        """Where pass 1 leaves each analysis for pass 2: the cache, or (caching off or
        impossible) a private scratch folder removed when the scan ends, so no file is parsed
        twice and the cohort is never held in memory."""
        nonlocal scratch
        real = cache_for_standard(st)
        if real.folder is not None:
            return real
        if st.code not in stores:
            if scratch is None:
                from .leftovers import temporary_directory
                scratch = temporary_directory("scan")     # and removes those killed scans left
            root = Path(scratch.name)
            stores[st.code] = AnalysisCache(root / st.code, real.fingerprint, types=(ApprenticeReport,), root=root)
        return stores[st.code]

    def piece_key(folder: ApprenticeFolder, store: AnalysisCache, i: int, sha: str) -> str:
        rec = folder.record
        return store.key(sha, folder.relative(folder.portfolio[i]), rec.name or "", rec.employer or "")

    def analysed(folder: ApprenticeFolder, st: Standard, store: AnalysisCache, count: bool) -> Iterator[EvidenceResult]:
        """Every piece of one apprentice, from the store or analysed now (and stored)."""
        nonlocal pool
        rec = folder.record
        tasks: list[tuple[int, tuple, str]] = []
        results: list[EvidenceResult | None] = [None] * len(folder.portfolio)
        for i, path in enumerate(folder.portfolio):
            sha = hashed[folder.id][i]
            key = piece_key(folder, store, i, sha)
            hit = store.get(key)
            if isinstance(hit, EvidenceResult):
                results[i] = hit
                if progress and count:
                    progress(1)
            else:
                tasks.append((i, (str(path), folder.relative(path), rec.name, rec.employer, sha, st), key))
        if tasks:
            if jobs > 1 and len(tasks) > 1:
                if pool is None:
                    share = max(1, usable_cpus() // jobs)
                    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker,
                                               initargs=(config, share, os.getpid()))
                mapped = pool.map(_analyse_task, [t[1] for t in tasks], chunksize=1)
            else:
                mapped = (analyse_guarded(Path(a[0]), a[1], engine_for(st), a[2], a[3], a[4]) for _, a, _ in tasks)
            for (i, _, key), ev in zip(tasks, mapped):
                results[i] = ev
                store.put(key, ev)
                if progress and count:
                    progress(1)
        return (r for r in results if r is not None)

    try:
        whole_keys = {f.id: cache_for_standard(resolved[f.id][0]).key(cohort_key, "apprentice", _VERDICT_VERSION, f.id) for f in folders}
        unchanged = all(isinstance(cache_for_standard(resolved[f.id][0]).get(whole_keys[f.id]), GatewayReport)
                        for f in folders)
        if not unchanged:
            # Pass 1: the cohort's duplicate index, before any verdict, so the apprentice scanned
            # first also hears of the copy scanned later. Apprentices outside ``only`` are read
            # from the cache, and analysed (once, then cached) where they are not in it yet: a
            # duplicate index of only the cached pieces made the review widget's verdict miss a
            # copy across apprentices that the full scan blocks.
            targets = {f.id for f in folders}
            for folder in every:
                st = resolved[folder.id][0]
                pieces: Iterator[EvidenceResult] = analysed(folder, st, store_for(st), count=folder.id in targets)
                for ev in pieces:
                    dupes.add(f"{folder.id}/{ev.file}", ev)
        # Pass 2: the verdicts, one apprentice at a time, each piece read back from the store.
        for folder in folders:
            st, standard_problem = resolved[folder.id]
            cache = cache_for_standard(st)
            whole_key = whole_keys[folder.id]
            whole = cache.get(whole_key)
            if isinstance(whole, GatewayReport):
                if progress and unchanged:
                    progress(len(folder.portfolio))
                yield whole
                continue
            evidence = list(analysed(folder, st, store_for(st), count=False))
            report = _decide(folder, st, as_of, evidence, dupes, decisions or {}, lambda: engine_for(st), cache, hashes,
                             selection, standard_problem)
            cache.put(whole_key, report)
            yield report
    except BaseException:
        # Ctrl-C, a stop, an error: the workers' running files are of no use any more.
        if pool is not None:
            stop_pool(pool)
            pool = None
        raise
    finally:
        try:
            hashes.save()
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            if scratch is not None:
                scratch.cleanup()


_COPY_NAME = re.compile(r"\(\d+\)|\bcopy\b|\bv\d+\b|\bfinal\b|\brevised\b|\bedited\b", re.I)


def _looks_like_copy(name: str) -> bool:
    return bool(_COPY_NAME.search(name.rsplit("/", 1)[-1].replace("_", " ")))


# Findings that do not depend on the standard: reading errors, the record itself, dates against
# the record, personal data, duplicates.
_STANDARD_FREE = ("PC1", "PC500", "PC508", "PC509", "PC52", "PC590", "PC6", "PC7")


def _decide(folder: ApprenticeFolder, standard: Standard, as_of: dt.date | None, evidence: list[EvidenceResult],
            dupes: DuplicateIndex, decisions: Decisions, engine: Callable[[], "TaggingEngine"],
            cache: AnalysisCache, hashes: HashIndex, selection: Selection = ALL,
            standard_problem: str | None = None) -> GatewayReport:
    """Coverage from suggestions and decisions, then every apprentice- and cohort-scope rule."""
    rec = folder.record
    ref = as_of or rec.gateway_date or dt.date.today()
    coverage: dict[str, list[str]] = {}
    confirmed: dict[str, list[str]] = {}
    near: list[tuple[str, str, float]] = []
    decisions, renamed, orphaned = follow_renames(decisions, folder.id, {ev.file: ev.sha256 for ev in evidence})
    stale: dict[str, tuple[str, ...]] = {}
    applied = 0
    for ev in evidence:
        state = decisions.get((folder.id, ev.file))
        decided = state.overrides() if state else {}
        applied += len(decided)
        old = state.stale(ev.sha256) if state else []
        if old:
            stale[ev.file] = tuple(d.ksb for d in old)
        ksbs = {k for k in ev.accepted if decided.get(k, True)} | {k for k, ok in decided.items() if ok}
        for k in sorted(ksbs):
            coverage.setdefault(k, []).append(ev.file)
            if decided.get(k):
                confirmed.setdefault(k, []).append(ev.file)
        for sug in ev.suggestions:      # nearest misses: not counted here, not rejected, listed on merit
            if sug.ksb in ksbs or decided.get(sug.ksb) is False or sug.off_method or sug.score < SHOW_FLOOR:
                continue
            near.append((sug.ksb, ev.file, sug.score))
    duplicates: list[tuple[str, str, str]] = []
    originals: list[tuple[str, str, str]] = []
    for ev, (other, kind, earlier) in ((ev, p) for ev in evidence for p in dupes.partners(f"{folder.id}/{ev.file}")):
        m = (other, kind)
        other_apr, other_file = other.split("/", 1)
        if other_apr == folder.id:
            if earlier:     # a pair inside one portfolio is reported once, from its later member
                # Both members of a pair are named; the one that blocks is the copy: the name
                # that says so ("(1)", "copy", "v2", "FINAL"), else the later one.
                copy, original = ev.file, other_file
                if _looks_like_copy(other_file) and not _looks_like_copy(ev.file):
                    copy, original = other_file, ev.file
                duplicates.append((copy, original, m[1]))
                originals.append((original, copy, m[1]))
        else:
            # Across apprentices nobody can tell from the files who copied whom, and folder
            # order says nothing about it: both pieces block, each naming the other.
            duplicates.append((ev.file, f"{other_file} ({other_apr})", m[1]))
    proposal = _cached_project(cache, hashes, folder, "proposal", lambda f: _proposal(f, standard))
    ctx = ApprenticeContext(folder=folder, standard=standard, as_of=ref, evidence=evidence, coverage=coverage,
                            proposal=proposal,
                            report=_cached_project(cache, hashes, folder, "report", lambda f: _report(f, standard, engine())),
                            duplicates=duplicates, originals=originals, stale=stale, confirmed=confirmed,
                            closest=nearest_misses(near), standard_problem=standard_problem,
                            renamed=renamed, orphaned=orphaned)
    if ctx.proposal is not None and ctx.proposal.limit != standard.proposal_max_words:
        ctx.proposal = dataclasses.replace(ctx.proposal, limit=standard.proposal_max_words)
    file_hits = [Hit(f) for ev in evidence for f in ev.findings]
    hits = registry.select(file_hits + registry.run("apprentice", ctx) + registry.run("cohort", ctx), selection)
    if standard_problem:
        # The named standard cannot be used: the default one was only a stand-in to read the
        # pieces with. Its KSBs, counts, limits and sign-off rules are not this apprentice's, so
        # none of its findings may be shown as theirs; PC509 says what to fix.
        hits = [h for h in hits if h.finding.code.startswith(_STANDARD_FREE)]
    reasons = registry.reasons(hits)
    pending = () if standard_problem else tuple(pending_ksbs(ctx))
    # A standard that maps no KSB to the portfolio's method cannot show coverage: a tutor must
    # review it, so the best it can be is "ready pending review", never "ready".
    unmapped = not standard.portfolio_ksbs
    readiness = Readiness.NOT_READY if reasons else (Readiness.PENDING if pending or unmapped else Readiness.READY)
    plan = cover_plan(ctx)
    months = months_between(rec.start_date, ref) if rec.start_date else None
    return GatewayReport(id=folder.id, name=rec.name, readiness=readiness, reasons=reasons, standard=standard.code,
                         evidence=tuple(evidence), findings=tuple(h.finding for h in hits),
                         coverage={k: tuple(v) for k, v in coverage.items()}, proposal=ctx.proposal,
                         report=ctx.report, months_on_programme=months, as_of=ref.isoformat(),
                         decisions_applied=applied, pieces=len(evidence), pending=pending if not reasons else (),
                         covering_set=plan.keep if plan else None, redundant=plan.redundant if plan else (),
                         checklist=checklist(ctx, hits),
                         read_first={k: v for k, v in ctx.closest.items() if k in standard.portfolio_ksbs})
