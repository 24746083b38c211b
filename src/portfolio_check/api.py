"""The Workbench facade: the one door the CLI, notebooks and widgets go through.

Front-ends hold no logic of their own; everything a tutor can do is a method here.
"""
from __future__ import annotations

from pathlib import Path

import dataclasses
import datetime as dt
import functools
import sys
from typing import TYPE_CHECKING

from .models import Document
from .parse import parse_file
from .report_check import ReportCheck, check_report_with_sections
from .standards import Standard, load_standard
from .tagging import TaggingConfig, TagResult

if TYPE_CHECKING:
    from .tagging.calibration import ThresholdChoice
    from .frames import CohortReport
    from .models import GatewayReport as ApprenticeReport
    from .checks.registry import Selection
    from .store import Decision, DecisionLog
    from .tagging.engine import TaggingEngine


# The keys <cohort>/.portfolio-check/settings.yaml may hold; any other is refused, never ignored.
SETTINGS_KEYS = ("ignore", "learn_from_decisions", "select", "semantic_tagger", "tutor")


class Workbench:
    """Parse evidence, count reports and (later) scan cohorts for one standard."""

    def __init__(self, cohort: str | Path | None = None, standard: str | Standard = "ST0071",
                 standards_dir: str | Path | None = None, tagging: TaggingConfig | None = None,
                 use_decisions: bool = True, jobs: int | None = None, learn_from_decisions: bool | None = None):
        self.cohort = Path(cohort) if cohort else None
        self.learn_from_decisions = learn_from_decisions
        self.jobs = jobs
        self.standards_dir = Path(standards_dir) if standards_dir else None
        self.standard = standard if isinstance(standard, Standard) else load_standard(standard, standards_dir)
        self.tagging_config = tagging or TaggingConfig()
        self.use_decisions = use_decisions

    @functools.cached_property
    def tagger(self) -> "TaggingEngine":
        from .evidence import make_engine
        return make_engine(self.standard, self.tagging_config)

    def tag(self, path: str | Path, context: str = "portfolio") -> TagResult:
        """KSB suggestions for one evidence file, each with the sentences that earned it."""
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"no such file: {path}")
        doc = self.parse(path)
        return self.tagger.tag_document(doc, context=context, file_name=path.name)

    def parse(self, path: str | Path) -> Document:
        """Parse one evidence file; problems come back as findings, never exceptions."""
        return parse_file(path)

    def _cohort(self, cohort: str | Path | None) -> Path:
        if cohort is None and self.cohort is None:
            raise ValueError("no cohort folder: pass one here or to Workbench(cohort=...)")
        return Path(cohort) if cohort is not None else self.cohort

    def _settings_path(self, cohort: str | Path | None) -> Path:
        return self._cohort(cohort) / ".portfolio-check" / "settings.yaml"

    def settings(self, cohort: str | Path | None = None) -> dict:
        """``<cohort>/.portfolio-check/settings.yaml`` (learn_from_decisions, select, ignore, tutor, semantic_tagger), or {}."""
        path = self._settings_path(cohort)
        if not path.is_file():
            return {}
        import yaml
        try:
            from . import yamlsafe
            data = yamlsafe.load(path.read_text(encoding="utf-8")) or {}
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ValueError(f"{path}: cannot be read as YAML ({exc})") from exc
        return data if isinstance(data, dict) else {}

    def check_settings(self, cohort: str | Path | None = None) -> dict:
        """The cohort's settings, or ValueError naming the file and the key whose value cannot
        be meant (``semantic_tagger: "no"`` is a string, not false): called before a scan
        writes anything, so a typo never picks a tagger or an output folder for the tutor."""
        from .checks.registry import Selection
        data = self.settings(cohort)
        path = self._settings_path(cohort)
        unknown = sorted(str(k) for k in data if k not in SETTINGS_KEYS)
        if unknown:     # "ignor: [PC6]" once did nothing, silently
            raise ValueError(f"{path}: unknown setting {', '.join(unknown)} (known: {', '.join(SETTINGS_KEYS)})")
        try:
            Selection.parse(data.get("select"), data.get("ignore"))   # a mistyped rule code: as on the command line
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        for key in ("semantic_tagger", "learn_from_decisions"):
            if key in data and not isinstance(data[key], bool):
                raise ValueError(f"{path}: {key} must be true or false, not {data[key]!r}")
        return data

    def selection(self, cohort: str | Path | None = None, select=None, ignore=None) -> "Selection":
        """Which codes a scan reports: settings.yaml's ``select``/``ignore``, then the caller's
        (the CLI's ``--select``/``--ignore``), flake8-style by code or prefix."""
        from .checks.registry import Selection
        data = self.settings(cohort)
        base = Selection.parse(data.get("select"), data.get("ignore"))
        return Selection.parse(select, ignore, base)

    def tutor_name(self, cohort: str | Path | None = None) -> str | None:
        """The tutor named in the cohort's settings (``tutor:``), written with each decision."""
        name = self.settings(self._cohort(cohort)).get("tutor")
        return str(name).strip() or None if name else None

    def _learning(self, cohort: Path) -> bool:
        """Opt-in per cohort: ``learn_from_decisions: true`` in <cohort>/.portfolio-check/settings.yaml."""
        if self.learn_from_decisions is not None:
            return self.learn_from_decisions
        return bool(self.settings(cohort).get("learn_from_decisions"))

    def learned_examples(self, cohort: str | Path | None = None) -> tuple[tuple[str, str, bool], ...]:
        """(ksb, sentence, confirmed?) from the cohort's decisions: the sentences behind each
        suggestion the tutor confirmed (exemplars) or rejected (counter-examples)."""
        return self._learn(self._cohort(cohort))[0]

    def learned_threshold(self, cohort: str | Path | None = None) -> "ThresholdChoice":
        """The semantic tagger's acceptance bar for the cohort, learned from its decisions
        (tagging/calibration.py), with what it rests on and, when it is kept, why."""
        return self._learn(self._cohort(cohort))[1]

    def _learn(self, cohort: Path) -> tuple[tuple[tuple[str, str, bool], ...], "ThresholdChoice"]:
        """One pass over the decided pieces, each parsed and tagged once with the shipped
        settings: the example sentences, and the rows the acceptance bar is learned from
        (every KSB decided or suggested on a decided piece; an undecided suggestion keeps the
        tagger's verdict, a KSB added by hand that was not suggested scores 0)."""
        from .discover import discover
        from .tagging.calibration import ThresholdChoice, choose_threshold, decided_piece
        examples: list[tuple[str, str, bool]] = []
        decided_pieces = []
        folders = {f.id: f.path for f in discover(cohort)}
        for (apr, file), state in sorted(self.decision_log(cohort).states().items()):
            counts = state.overrides()
            reviewed = {k for k, d in state.current.items() if d.action in ("confirm", "reject")}
            path = folders.get(apr, cohort / apr) / "portfolio" / file
            if not counts or not path.is_file():
                continue
            result = self.tagger.tag_document(self.parse(path), "portfolio", file)
            examples += [(s.ksb, q.sentence, bool(counts[s.ksb])) for s in result.suggestions if s.ksb in reviewed
                         for q in s.quotes]
            decided_pieces.append(decided_piece(apr, result.suggestions, counts))
        if not self.tagger.uses_semantic:
            bar = self.tagging_config.threshold
            return tuple(examples), ThresholdChoice(bar, bar, False, "the older lexical tagger keeps its own bar")
        from .tagging.fusion import own_model_bar
        shipped = own_model_bar(self.standard)
        if shipped is None:
            # calibration.GRID's floor was set from the ST0071 model's calibration table; the
            # generic model's scores sit lower (its bar is 0.20) and were not measured for this.
            bar = self.tagger.acceptance_threshold
            return tuple(examples), ThresholdChoice(bar, bar, False, "a bar is learned for a standard with its own "
                                                    "trained model only (this one uses the generic model)")
        return tuple(examples), choose_threshold(decided_pieces, shipped)

    def _config_for(self, cohort: Path) -> TaggingConfig:
        return self._config_and_bar(cohort)[0]

    def _config_and_bar(self, cohort: Path) -> tuple[TaggingConfig, "ThresholdChoice | None"]:
        """The tagging settings for ``cohort``, and the acceptance bar learned from its
        decisions (None unless the cohort learns from them)."""
        config = self.tagging_config
        # Per cohort: ``semantic_tagger: false`` in settings.yaml asks for the older lexical
        # tagger (ST0071 only; the semantic tagger is the default and the only one for a
        # standard with no lexicon). An explicit choice by the caller wins. The cache key
        # includes the tagger that runs.
        chosen = self.check_settings(cohort).get("semantic_tagger")
        if config.semantic is None and chosen is not None:
            config = dataclasses.replace(config, semantic=chosen)
        if not self._learning(cohort):
            return config, None
        examples, bar = self._learn(cohort)
        return dataclasses.replace(config, learned=examples,
                                   learned_threshold=bar.threshold if bar.learned else None), bar

    def scan_apprentice(self, apprentice: str, cohort: str | Path | None = None,
                        as_of: dt.date | None = None) -> "ApprenticeReport":
        """Re-check one apprentice (cached files, current decisions): what a widget shows live."""
        cohort = self._cohort(cohort)
        return self._scan_one(apprentice, cohort, as_of, self._config_for(cohort))

    def _scan_one(self, apprentice: str, cohort: Path, as_of: dt.date | None,
                  config: TaggingConfig) -> "ApprenticeReport":
        from .scan import iter_scan
        decisions, decisions_digest = self._decisions(cohort)
        for apr in iter_scan(cohort, self.standard, as_of=as_of, jobs=1, config=config,
                             decisions=decisions, decisions_digest=decisions_digest,
                             only={apprentice}, standards_dir=self.standards_dir,
                             selection=self.selection(cohort)):
            return apr
        raise KeyError(f"no apprentice {apprentice!r} in {cohort}")

    def pack(self, apprentice: str | Path, out_dir: str | Path, cohort: str | Path | None = None,
             as_of: dt.date | None = None) -> dict[str, Path]:
        """Write the gateway pack for one apprentice (XLSX + printable HTML) into ``out_dir``.

        ``apprentice`` is the apprentice's folder (its parent is the cohort), or an apprentice id
        of ``cohort`` / the workbench's cohort. Only tutor-confirmed or added KSBs and accepted
        suggestions appear as evidence; rejected ones never do. Returns format -> path.
        """
        from .discover import CohortError, check_cohort
        from .report.pack import build_pack, write_pack
        if cohort is None and self.cohort is None or Path(apprentice).is_dir():
            folder = Path(apprentice)
            if not folder.is_dir():
                raise CohortError(f"{folder} is not an apprentice folder (expected COHORT/APPRENTICE with "
                                  "apprentice.yaml and portfolio/)")
            if not (folder / "apprentice.yaml").is_file() and not (folder / "portfolio").is_dir():
                # a cohort given where one apprentice's folder was meant: say that, not that its
                # parent holds no apprentices
                from .discover import discover
                inside = [f.id for f in discover(folder)]
                raise CohortError(f"{folder} is not an apprentice folder (no apprentice.yaml or portfolio/ in it)"
                                  + (f"; it looks like a cohort: pack one apprentice, e.g. {folder / inside[0]}"
                                     if inside else "; expected COHORT/APPRENTICE with apprentice.yaml and portfolio/"))
            cohort, apprentice = folder.resolve().parent, folder.name
        cohort = check_cohort(self._cohort(cohort))
        apprentice = str(apprentice)
        if not (cohort / apprentice).is_dir():
            raise CohortError(f"no apprentice folder {apprentice!r} in {cohort}")
        config, bar = self._config_and_bar(cohort)
        apr = self._scan_one(apprentice, cohort, as_of, config)
        decisions, _ = self._decisions(cohort)
        standard = self.standard
        if apr.standard and apr.standard != standard.code:       # apprentice.yaml names its own standard
            from .standards import load_standard
            standard = load_standard(apr.standard, self.standards_dir)
        note = ""
        if bar is not None and bar.learned:
            note = (f"Suggested KSBs were accepted at a score of {bar.threshold:.2f} or more, a bar learned from the "
                    f"tutor's decisions on this cohort (portfolio-check's own bar is {bar.shipped:.2f}).")
        return write_pack(build_pack(apr, standard, decisions, acceptance_note=note), out_dir)

    def review(self, apprentice: str, cohort: str | Path | None = None, tutor: str | None = None):
        """The review widget for one apprentice (Jupyter): evidence, quotes, confirm/reject/withdraw,
        coverage. ``tutor`` names who decides (else settings ``tutor:``, else asked once per session)."""
        from .widgets import ReviewWidget
        return ReviewWidget(self, self._cohort(cohort), apprentice, tutor=tutor).widget

    def cohort_view(self, cohort: str | Path | None = None, as_of: dt.date | None = None):
        """The cohort widget (Jupyter): KSB x apprentice heatmap and the not-ready reasons."""
        from .widgets import cohort_view
        return cohort_view(self, self._cohort(cohort), as_of)

    def scan(self, cohort: str | Path | None = None, as_of: dt.date | None = None, jobs: int | None = None,
             out_dir: str | Path | None = None, json_path: str | Path | None = None,
             cache: bool = True, progress: bool = False, keep_details: bool = True,
             select: str | list[str] | None = None, ignore: str | list[str] | None = None) -> "CohortReport":
        """Scan a cohort folder: verdicts, findings and the referencing matrix (also as DataFrames).

        With ``out_dir`` the HTML, XLSX, CSV and JSON reports are written there as the scan goes.
        ``keep_details=False`` keeps only each apprentice's verdict in memory (the reports still
        hold everything): for very large cohorts, and what the CLI does. ``select``/``ignore``
        (codes or prefixes) add to the cohort's settings.yaml; an ignored code neither shows nor blocks.
        """
        from .frames import CohortReport
        from .report import ReportWriter
        from .scan import iter_scan

        from .discover import check_cohort
        cohort = check_cohort(self._cohort(cohort))   # before anything is created: a wrong path stays untouched
        jobs = jobs if jobs is not None else self.jobs
        bar = None
        if progress:
            # `is not None` below, never truthiness: a tqdm with total=0 is falsy, which once
            # meant the bar was never updated.
            # Its length known before it is drawn, so a notebook's saved output reads
            # "0/18 files", never "0file".
            from tqdm.auto import tqdm

            from .discover import discover
            bar = tqdm(total=sum(len(f.portfolio) for f in discover(cohort)), unit="file", desc="Scanning",
                       file=sys.stderr)
        decisions, decisions_digest = self._decisions(cohort)
        config, learned_bar = self._config_and_bar(cohort)
        selection = self.selection(cohort, select, ignore)
        report_standard = self._cohort_standard(cohort)
        result = CohortReport(report_standard, as_of.isoformat() if as_of else None, decisions=decisions or {},
                              learning=learned_bar, rules_left_out=selection.describe())
        writer = (ReportWriter(out_dir, report_standard, as_of, cohort.name, json_path, decisions=decisions,
                               acceptance_bar=dataclasses.asdict(learned_bar) if learned_bar is not None else None,
                               rules_left_out=selection.describe(), standards_dir=self.standards_dir)
                  if (out_dir or json_path) else None)
        # Without learning, the decided pieces' suggestions in this very scan are what the bar
        # would be learned from: read them as they stream past, so the scan can say whether
        # learning would move the bar (no piece is tagged twice for it).
        hint_pieces = [] if learned_bar is None and decisions and config.semantic is not False else None
        try:
            for apr in iter_scan(cohort, self.standard, as_of=as_of, jobs=jobs,
                                 cache_dir=None if cache else False, config=config,
                                 decisions=decisions, decisions_digest=decisions_digest,
                                 standards_dir=self.standards_dir, selection=selection,
                                 progress=(bar.update if bar is not None else None),
                                 # reset(), not `.total =`: the notebook bar's widget only
                                 # learns its length through reset()
                                 on_total=(bar.reset if bar is not None else None)):
                if writer:
                    writer.add(apr)
                if bar is not None:
                    bar.set_postfix_str(f"{len(result.apprentices) + 1} apprentices", refresh=True)
                if hint_pieces is not None and apr.standard in (None, "", self.standard.code):
                    hint_pieces += _decided_pieces(apr, decisions)
                result.apprentices.append(apr if keep_details else apr.summary())
        except BaseException:
            if writer:
                writer.abort()       # an interrupted scan leaves no partial report and no temp file
            raise
        finally:
            if bar is not None:
                bar.close()
        if hint_pieces:
            from .tagging.calibration import choose_threshold
            from .tagging.fusion import own_model_bar
            shipped = own_model_bar(self.standard)
            if shipped is not None:
                result.learning_hint = choose_threshold(hint_pieces, shipped)
        if writer:
            hint = result.learning_hint
            result.outputs = writer.close({"acceptance_bar_hint": dataclasses.asdict(hint)} if hint is not None else None)
        return result

    def _cohort_standard(self, cohort: Path) -> Standard:
        """The standard the cohort's reports are laid out by: the one every apprentice record
        names when they all name the same loadable standard, else the workbench's."""
        from .discover import discover
        from .standards import StandardError
        codes = {f.record.standard or self.standard.code for f in discover(cohort)}
        if len(codes) == 1 and (code := codes.pop()) != self.standard.code:
            try:
                return load_standard(code, self.standards_dir)
            except StandardError:
                pass
        return self.standard

    def decision_log(self, cohort: str | Path | None = None) -> "DecisionLog":
        """The cohort's decision log (``<cohort>/.portfolio-check/decisions.jsonl``)."""
        from .store import DecisionLog
        return DecisionLog.for_cohort(self._cohort(cohort))

    def _decisions(self, cohort: Path):
        """The tutor's decisions for a scan and a fingerprint of them (one read of the log)."""
        if not self.use_decisions:
            return None, ""
        return self.decision_log(cohort).snapshot()

    def decide(self, apprentice: str, file: str, ksb: str | None, action: str, note: str = "",
               who: str | None = None, cohort: str | Path | None = None) -> "Decision":
        """Record a tutor's decision (confirm, reject, add, withdraw or note) on one piece.

        The decision is on disk when this returns, with the piece's current content hash so a
        later change to the file shows it as stale.
        """
        from .evidence import file_hash
        cohort = self._cohort(cohort)
        ksb = ksb.strip().upper() if ksb else ksb        # "k7" is K7
        if ksb is not None and ksb not in self.standard.codes:
            raise ValueError(f"{ksb!r} is not a KSB of {self.standard.code}")
        from .discover import apprentice_folder
        try:
            folder = apprentice_folder(cohort, apprentice)
        except KeyError:
            raise FileNotFoundError(f"no apprentice {apprentice!r} in {cohort}") from None
        file, path = _evidence_file(folder, file)
        if path is None:
            raise FileNotFoundError(f"no evidence file {file!r} for {apprentice}")
        log = self.decision_log(cohort)
        sha = file_hash(path)
        if action == "withdraw":     # of a decision made under this name or under a name it had
            from .store import follow_renames
            state = follow_renames(log.states(), apprentice, {file: sha})[0].get((apprentice, file))
            if state is None or ksb not in state.current:
                raise ValueError(f"nothing to withdraw: no decision on {ksb} for {file}")
        return log.record(apprentice, file, ksb, action, sha256=sha,
                          note=note, who=who or self.tutor_name(cohort))

    def check_report(self, path: "str | Path | Document", policy: str | None = None,
                     sections: bool = True) -> ReportCheck:
        """Word-count breakdown of a project report and its verdict against the standard's limit.

        ``path`` may be an already parsed :class:`Document` (the CLI parses once). With
        ``sections`` (default) each body section also gets its KSB suggestions, which needs the
        tagger (spaCy): the count alone starts in a fraction of the time."""
        if isinstance(path, Document):
            doc = path
        else:
            path = Path(path)
            if not path.exists():
                raise FileNotFoundError(f"no such file: {path}")
            doc = self.parse(path)
        if not sections:
            from .report_check import check_report
            return check_report(doc, self.standard, policy)
        return check_report_with_sections(doc, self.standard, self.tagger, policy)


def _evidence_file(folder: Path, given: str) -> tuple[str, Path | None]:
    """The name decisions are kept under (as the scan names the piece: relative to portfolio/,
    "/" between folders, Unicode NFC) and the file, for what a tutor may type: the name, a
    "portfolio/..." path, the file's full path, or a name typed in another Unicode form."""
    import unicodedata

    from .discover import relative_name
    base = folder / "portfolio"
    raw = Path(given)
    if raw.is_absolute():
        name = relative_name(raw.resolve(), (base.resolve(),))
    else:
        name = unicodedata.normalize("NFC", raw.as_posix())
        name = name.removeprefix("portfolio/") if not (base / name).exists() else name
    direct = base / name
    if direct.is_file():
        return name, direct
    for p in base.rglob("*"):
        if p.is_file() and relative_name(p, (base,)) == name:
            return name, p
    return name, None


def _decided_pieces(apr: "ApprenticeReport", decisions) -> list:
    """The rows a bar is learned from (tagging/calibration.py), for each piece of ``apr`` the
    tutor decided on, read from the scan's own suggestions."""
    from .tagging.calibration import decided_piece
    from .store import states_for
    out = []
    decisions = states_for(decisions, apr.id, apr.evidence)
    for ev in apr.evidence:
        state = decisions.get((apr.id, ev.file))
        counts = state.overrides() if state else {}
        if counts:
            out.append(decided_piece(apr.id, ev.suggestions, counts))
    return out
