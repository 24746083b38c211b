"""Command line: ``portfolio-check scan | report | tag | decide | decisions | standards``.

A thin layer over :class:`portfolio_check.api.Workbench`: parse arguments, call the facade,
print. Exit status: 0 when everything checked is fine, 1 when something a tutor must act on
was found, 2 for every usage or input error (a wrong option value, a path that is not what the
command needs, an unreadable file, a broken standard file). Errors are one line on stderr,
never a traceback: exit 1 means "not ready", so an error must never look like it. ``scan``
exits 3 when nobody is "not ready" but some are "ready pending review" (their coverage rests
on suggestions no tutor has confirmed). Ctrl-C is one line too, exit status 130.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path

from . import __version__
from .discover import CohortError
from .plain import reasons_text
from .standards import StandardError, load_standard_file, standard_files
from .wordcount import PARTS


def Workbench(*args, **kwargs):  # noqa: N802 - stands for the class
    """The facade, imported on first use so ``--version`` and ``--help`` start at once."""
    from .api import Workbench as _Workbench
    return _Workbench(*args, **kwargs)


class UsageError(Exception):
    """A careless call: said in one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors (its default prints the whole usage block first)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _existing_file(path: str, what: str = "file") -> Path:
    p = Path(path)
    if not p.exists():
        raise UsageError(f"no such file: {path} (expected a {what})")
    if p.is_dir():
        raise UsageError(f"{path} is a folder; give one {what}")
    return p


def _unreadable(findings) -> list:
    """Error-level reading findings: the file could not be read, so there is nothing to report."""
    return [f for f in findings if getattr(f.severity, "value", f.severity) == "error" and f.code.startswith("PC1")]


def _fail_unreadable(findings) -> int:
    for f in findings:
        print(f"portfolio-check: [{f.code}] {f.message}", file=sys.stderr)
    return 2


def _print_report(result: dict) -> None:
    labels = {"title_page": "Title page", "contents": "Contents", "body_text": "Body text",
              "body_tables": "Body tables", "body_list_labels": "Body list labels",
              "footnotes": "Footnotes", "references": "References", "annexes": "Annexes",
              "headers_footers": "Headers and footers"}
    counted = set((result.get("limit") or {}).get("counts") or ())
    print(f"Report: {result['file']}")
    for p in PARTS:
        mark = "  counts" if p in counted else ""
        print(f"  {labels[p]:<22}{result['words'][p]:>7,}{mark}")
    print(f"  {'Assessed words':<22}{result['assessed']:>7,}")
    lim = result.get("limit")
    if lim:
        band = f"{lim['min']:,}-{lim['max']:,}" if lim["min"] is not None else f"at most {lim['max']:,}"
        print(f"  Limit ({lim['policy']}): {band}  ->  {result['verdict'].upper()}")
    if result.get("stated_word_count") is not None:
        print(f"  Stated on title page: {result['stated_word_count']:,}")
    for f in result["findings"]:
        print(f"  [{f['code']} {f['severity']}] {f['message']}")
    if "sections" in result:
        print("  Sections (words, accepted KSB suggestions):")
        for sec in result["sections"]:
            codes = " ".join(s["ksb"] for s in sec["suggestions"] if s["accepted"]) or "-"
            print(f"    {sec['heading'][:60]:<60} {sec['words']:>5}  {codes}")
        missing = " ".join(result["ksbs_missing"]) or "none"
        print(f"  KSBs of the project method no section evidences: {missing}")


def _tagger_choice(args: argparse.Namespace):
    """``--lexical`` asks for the older lexicon tagger (ST0071 only); otherwise the default
    (semantic, or what the cohort's settings.yaml says). ``--semantic`` is the default, kept so
    that scripts written when it was an opt-in still run."""
    from .tagging import TaggingConfig
    if args.lexical:
        return TaggingConfig(semantic=False)
    return TaggingConfig(semantic=True) if args.semantic else None


def cmd_tag(args: argparse.Namespace) -> int:
    from .tagging.encoder import EncoderUnavailable
    path = _existing_file(args.file, "evidence file")
    wb = Workbench(standard=args.standard, standards_dir=args.standards_dir, tagging=_tagger_choice(args))
    from .tagging.engine import has_lexicon
    if args.lexical and not has_lexicon(wb.standard.code):
        print(f"portfolio-check: error: {wb.standard.code} has no lexicon, so only the semantic tagger can "
              "suggest its KSBs: leave out --lexical", file=sys.stderr)
        return 2
    doc = wb.parse(path)
    if not doc.readable:
        return _fail_unreadable(_unreadable(doc.findings) or doc.findings)
    try:
        result = wb.tagger.tag_document(doc, context=args.context, file_name=path.name)
    except EncoderUnavailable as exc:
        print(f"portfolio-check: cannot suggest KSBs: {exc}", file=sys.stderr)
        return 2
    result = _masked(result, doc, path)
    data = {"file": path.name, **result.to_dict()}
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    et = result.evidence_type
    print(f"{data['file']}: {et.type.replace('_', ' ')} (confidence {et.confidence:.0%})")
    if not result.suggestions:
        print("  No KSB is evidenced clearly enough to suggest.")
    for s in result.suggestions:
        mark = ("ALSO" if s.off_method else "ACCEPTED") if s.accepted else "possible"
        ksb = wb.standard.ksb(s.ksb)
        print(f"  {s.ksb:<4} {s.score:.2f} {mark:<8} [{ksb.method or 'no method'}] {ksb.statement[:70]}")
        for q in s.quotes[:2]:
            print(f"         \"{q.sentence[:140]}\" ({q.location})")
    if result.also_evidences:
        print(f"  Also evidences (another assessment method, not counted for the portfolio): "
              f"{' '.join(result.also_evidences)}")
    if result.cited_not_evidenced:
        print(f"  Cited in the text but not evidenced clearly enough to suggest: {' '.join(result.cited_not_evidenced)}")
    return 0


def _masked(result, doc, path: Path):
    """The tag result with its quotes' personal data masked as in every scan report: a
    customer's name once went to the terminal (and any log of it) in clear. The apprentice's
    own name and employer are read from the record when the file sits in a cohort folder
    (``<apprentice>/portfolio/FILE``), so they are not masked as a customer's."""
    import dataclasses

    from .checks.pii import scan_pii
    from .discover import read_record
    from .evidence import masked_quotes
    name = employer = None
    folder = path.resolve().parent.parent
    if path.resolve().parent.name == "portfolio" and (folder / "apprentice.yaml").is_file():
        record = read_record(folder)
        name, employer = record.name, record.employer
    pii = scan_pii(doc.all_blocks(), doc.properties, employer, staff_names=[name or ""])
    return dataclasses.replace(result, suggestions=masked_quotes(result.suggestions, pii, doc, employer))


def _positive_int(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return n


def _existing_dir(value: str) -> str:
    if not Path(value).is_dir():
        raise argparse.ArgumentTypeError(f"{value} is not a folder (of standard files)")
    return value


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in YYYY-MM-DD form") from None


def cmd_scan(args: argparse.Namespace) -> int:
    from .discover import check_cohort
    check_cohort(args.cohort)          # before any folder is made: a wrong path is exit 2, untouched
    wb = Workbench(standard=args.standard, standards_dir=args.standards_dir, tagging=_tagger_choice(args))
    wb.check_settings(args.cohort)     # a mistyped setting is exit 2 before any report folder is made
    wb.selection(args.cohort, args.select, args.ignore)     # and so is a mistyped --select/--ignore
    out = args.out
    to_stdout = args.json == "-"
    if out is None and not args.json:
        from .cache import writable_or_fallback
        target = writable_or_fallback(Path(args.cohort) / ".portfolio-check" / "reports")
        out = str(target) if target else "portfolio-check-reports"
    # The bar only on a terminal: in a log file or a pipe its redraws are noise.
    progress = not args.quiet and sys.stderr.isatty()
    tmp = None
    json_path = args.json
    if to_stdout:
        from .leftovers import temporary_directory
        tmp = temporary_directory("json")
        json_path = str(Path(tmp.name) / "scan.json")
    try:
        result = wb.scan(args.cohort, as_of=args.as_of, jobs=args.jobs, out_dir=out, json_path=json_path,
                         cache=not args.no_cache, progress=progress, keep_details=False,
                         select=args.select, ignore=args.ignore)
        if to_stdout:
            sys.stdout.write(Path(json_path).read_text(encoding="utf-8"))
    finally:
        if tmp is not None:
            tmp.cleanup()
    from .models import Readiness
    ready = sum(a.gateway_ready for a in result.apprentices)
    pending = sum(a.readiness is Readiness.PENDING for a in result.apprentices)
    status = 1 if ready < len(result.apprentices) else (3 if pending else 0)
    summary = (f"{ready} of {len(result.apprentices)} apprentices ready for gateway"
               + (f" ({pending} pending review: coverage rests on unconfirmed suggestions)." if pending else "."))
    left_out = (f"Not every rule was checked ({result.rules_left_out}): a rule left out never blocks."
                if result.rules_left_out else "")
    if to_stdout:   # stdout is the JSON; the summary goes where a person looks
        print(summary, file=sys.stderr)
        if left_out:
            print(left_out, file=sys.stderr)
        return status
    width = max([len(a.id) for a in result.apprentices] + [10])
    print(f"{'Apprentice':<{width}}  {'State':<20}  {'Pieces':>6}  Reasons")
    for a in result.apprentices:
        state = "NOT READY" if a.readiness is Readiness.NOT_READY else a.readiness.value
        print(f"{a.id:<{width}}  {state:<20}  {a.pieces:>6}  {reasons_text(a.reasons)}")
    print(summary)
    if left_out:
        print(left_out)
    if result.learning is not None:
        print(f"Learning from decisions: {result.learning.describe()}.")
    elif result.learning_hint is not None and result.learning_hint.hint():
        print(f"Acceptance bar: {result.learning_hint.hint()}.")
    for kind, path in result.outputs.items():
        print(f"  {kind}: {path}")
    return status


def cmd_pack(args: argparse.Namespace) -> int:
    """The gateway pack of one apprentice: referencing matrix, evidence list, checklist (XLSX + HTML)."""
    wb = Workbench(standard=args.standard, standards_dir=args.standards_dir)
    paths = wb.pack(args.apprentice, args.out, as_of=args.as_of)
    for kind, path in paths.items():
        print(f"  {kind}: {path}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    path = _existing_file(args.file, "report file")
    wb = Workbench(standard=args.standard, standards_dir=args.standards_dir)
    policies = wb.standard.report_policies
    if args.policy is not None and args.policy not in policies:
        raise UsageError(f"--policy {args.policy!r} is not a report policy of {wb.standard.code} "
                         f"(choose from: {', '.join(policies)})")
    doc = wb.parse(path)
    if not doc.readable:
        return _fail_unreadable(_unreadable(doc.findings) or doc.findings)
    check = wb.check_report(doc, policy=args.policy, sections=args.sections)
    result = check.to_dict()
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_report(result)
    # No limit set (within is None): nothing to be outside of, so not a failure.
    return 1 if check.within is False else 0


def cmd_standards(args: argparse.Namespace) -> int:
    if args.action == "list":
        for code, path in standard_files(args.dir).items():
            try:
                st = load_standard_file(path)
                print(f"{code:<16} {st.title} (level {st.level}), {len(st.ksbs)} KSBs  [{path}]")
            except StandardError as exc:
                print(f"{code:<16} INVALID: {'; '.join(exc.problems)}  [{path}]")
        return 0
    if args.action == "show":
        files = standard_files(args.dir)
        target = args.target or "ST0071"
        path = Path(target) if Path(target).is_file() else files.get(target)
        if path is None:
            print(f"No standard {target!r}; known: {', '.join(files)}", file=sys.stderr)
            return 2
        st = load_standard_file(path)
        print(f"{st.code} {st.title} (level {st.level})")
        for m, spec in st.methods.items():
            codes = " ".join(k.code for k in st.ksbs_for_method(m))
            kind = f" [{spec['kind']}]" if spec.get("kind") else ""
            print(f"  {m}: {spec['name']}{kind}: {codes or '-'}")
        gw = st.gateway
        port = gw["portfolio"]
        print(f"  Portfolio: {port['min_pieces']}-{port['max_pieces']} pieces serving {port['serves_method']}")
        lim = st.report_limit()
        if lim:
            band = f"{lim.min_words}-{lim.max_words}" if lim.min_words is not None else f"target {lim.target_words}"
            print(f"  Report: {band} words counting {', '.join(lim.counts)}")
        if st.proposal_max_words:
            print(f"  Proposal: at most {st.proposal_max_words} words")
        print(f"  On programme: {gw['on_programme_months']} months; English L{gw['english_level']}, "
              f"maths L{gw['maths_level']}; declaration required: {gw['declaration_required']}")
        for prereq in st.prerequisite_qualifications:
            print(f"  Prerequisite qualification: {' or '.join(prereq['any_of'])}")
        if st.grades:
            print(f"  Grades: {', '.join(st.grades)}")
        if args.verbose:
            for k in st.ksbs:
                print(f"  {k.code:<4} [{k.method or 'no method given'}] {k.statement}")
        return 0
    # validate
    targets = [Path(t) for t in args.targets] if args.targets else list(standard_files(args.dir).values())
    bad = 0
    for path in targets:
        try:
            st = load_standard_file(path, revalidate=True)
        except StandardError as exc:
            bad += 1
            for problem in exc.problems:
                print(f"INVALID  {path}: {problem}")
            continue
        if path.stem != st.code:
            # Standards are looked up by file name (apprentice.yaml's `standard:`, --standard):
            # a file named otherwise validates but is never found under its code.
            bad += 1
            print(f"INVALID  {path}: code: {st.code!r} is not the file's name {path.stem!r}; standards are "
                  f"looked up by file name, so rename the file {st.code}.yaml")
            continue
        from .standards import tagger_data_file, validate_tagger_data
        tagger = tagger_data_file(st)
        problems = validate_tagger_data(st, tagger) if tagger else []
        for problem in problems:
            print(f"INVALID  {tagger}: {problem}")
        bad += bool(problems)
        extra = f"; tagger data {tagger.name} OK" if tagger and not problems else ("" if tagger else "; no tagger data")
        if not problems:
            print(f"OK       {path}: {st.code}, {len(st.ksbs)} KSBs{extra}")
    if not args.targets:
        bad += _validate_qualification_rules_files(args.dir)
    return 2 if bad else 0


def _validate_qualification_rules_files(extra_dir: str | None) -> int:
    """Stand-alone credit-rules files (``qualification_rules/*.yaml``): how many are invalid."""
    import yaml

    from . import yamlsafe
    from .standards import qualification_rules_files, validate_qualification_rules
    bad = 0
    for path in qualification_rules_files(extra_dir):
        try:
            problems = validate_qualification_rules(yamlsafe.load(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            problems = [f"cannot be read as YAML ({exc})"]
        for problem in problems:
            print(f"INVALID  {path}: {problem}")
        if problems:
            bad += 1
        else:
            print(f"OK       {path}: qualification rules")
    return bad


def cmd_decide(args: argparse.Namespace) -> int:
    from .discover import check_cohort
    cohort = check_cohort(args.cohort)
    wb = Workbench(cohort=cohort, standard=args.standard)
    ksb = None if args.action == "note" else args.ksb
    if args.action == "note" and not args.note:
        raise UsageError("a note needs --note TEXT")
    d = wb.decide(args.apprentice, args.file, ksb, args.action, note=args.note or "", who=args.by)
    print(f"Saved: {d.action} {d.ksb or ''} on {d.file} for {d.apprentice} by {d.who} at {d.at}".replace("  ", " "))
    return 0


def cmd_decisions(args: argparse.Namespace) -> int:
    from .discover import check_cohort
    wb = Workbench(cohort=check_cohort(args.cohort), standard=args.standard)
    log = wb.decision_log()
    if args.out == "-":
        from .leftovers import temporary_directory
        with temporary_directory("json") as tmp:
            target = log.export_csv(Path(tmp) / "decisions.csv")
            sys.stdout.write(target.read_text(encoding="utf-8"))
        return 0
    out = Path(args.out)
    if out.is_dir():
        raise UsageError(f"--out {args.out} is a folder; give a file name such as decisions.csv")
    if not out.parent.is_dir():
        raise UsageError(f"--out {args.out}: the folder {out.parent} does not exist")
    log.export_csv(out)
    n = len(log.decisions())
    print(f"Wrote {n} decision{'s' if n != 1 else ''} to {out}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="portfolio-check",
                                description="Gateway checks for apprenticeship portfolios and project reports.")
    p.add_argument("--version", action="version", version=f"portfolio-check {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("report", help="word-count breakdown and limit verdict for a project report")
    r.add_argument("file", help="the report (.docx or .pdf)")
    r.add_argument("--standard", default="ST0071", help="standard code (default ST0071)")
    r.add_argument("--standards-dir", type=_existing_dir, default=None, help="a folder of your own standard files, looked up first")
    r.add_argument("--policy", default=None, help="report policy profile from the standard (default: its own)")
    r.add_argument("--json", action="store_true", help="print JSON instead of a table")
    r.add_argument("--sections", action="store_true",
                   help="also suggest the KSBs each body section evidences and list the report method's KSBs "
                        "none does (loads the tagger: slower start)")
    r.set_defaults(func=cmd_report)

    sc = sub.add_parser("scan", help="check every apprentice of a cohort folder against the gateway rules")
    sc.add_argument("cohort", help="cohort folder: one sub-folder per apprentice (see README)")
    sc.add_argument("--as-of", type=_date, default=None, help="reference date (default: each gateway_date, else today)")
    tg = sc.add_mutually_exclusive_group()
    tg.add_argument("--lexical", action="store_true",
                    help="suggest KSBs with the older lexicon tagger (ST0071 only; or set semantic_tagger: false "
                         "in <cohort>/.portfolio-check/settings.yaml) instead of the semantic tagger")
    tg.add_argument("--semantic", action="store_true",
                    help="the semantic tagger even where settings.yaml asks for the lexical one (the default)")
    sc.add_argument("--out", default=None, help="folder for report.html, referencing_matrix.xlsx, CSV and scan.json "
                                                "(default: <cohort>/.portfolio-check/reports)")
    sc.add_argument("--json", default=None, help="also (or only) write the JSON to this file; - for stdout")
    sc.add_argument("--jobs", type=_positive_int, default=None, help="worker processes (default: all cores)")
    sc.add_argument("--standard", default="ST0071",
                    help="standard for apprentices whose apprentice.yaml names none (default ST0071)")
    sc.add_argument("--standards-dir", type=_existing_dir, default=None, help="a folder of your own standard files, looked up first")
    sc.add_argument("--select", default=None, help="only these codes or prefixes, comma-separated (e.g. PC5,PC6)")
    sc.add_argument("--ignore", default=None, help="leave out these codes or prefixes (an ignored rule never blocks)")
    sc.add_argument("--no-cache", action="store_true", help="re-read every file (the cache is only a speed-up)")
    sc.add_argument("-q", "--quiet", action="store_true", help="no progress bar (it is shown only on a terminal)")
    sc.set_defaults(func=cmd_scan)

    pk = sub.add_parser("pack", help="write one apprentice's gateway pack (referencing matrix, evidence list, "
                                     "checklist) as XLSX and printable HTML")
    pk.add_argument("apprentice", help="the apprentice's folder inside the cohort (COHORT/APPRENTICE)")
    pk.add_argument("--out", required=True, help="folder for <id>-gateway-pack.xlsx and .html")
    pk.add_argument("--as-of", type=_date, default=None, help="reference date (default: gateway_date, else today)")
    pk.add_argument("--standard", default="ST0071", help="standard when apprentice.yaml names none (default ST0071)")
    pk.add_argument("--standards-dir", type=_existing_dir, default=None, help="a folder of your own standard files, looked up first")
    pk.set_defaults(func=cmd_pack)

    t = sub.add_parser("tag", help="suggest the KSBs one evidence file shows, with the sentences behind each")
    t.add_argument("file", help="one evidence file (.docx .pdf .txt .md .eml, or a scan/photo with OCR)")
    t.add_argument("--standard", default="ST0071", help="standard whose KSBs to suggest (default ST0071)")
    t.add_argument("--context", choices=["portfolio", "report"], default="portfolio",
                   help="portfolio piece (default) or report text: sets which method's KSBs are expected")
    t.add_argument("--standards-dir", type=_existing_dir, default=None, help="an extra folder of standard files (looked up first)")
    tt = t.add_mutually_exclusive_group()
    tt.add_argument("--lexical", action="store_true",
                    help="use the older lexicon tagger instead of the semantic one (only where the standard has a "
                         "lexicon: ST0071)")
    tt.add_argument("--semantic", action="store_true", help="the semantic tagger (the default; kept for old scripts)")
    t.add_argument("--json", action="store_true", help="print the suggestions as JSON")
    t.set_defaults(func=cmd_tag)

    d = sub.add_parser("decide", help="record a tutor's decision on one piece (the log the widget writes)")
    d.add_argument("cohort", help="cohort folder")
    d.add_argument("apprentice", help="apprentice id (apprentice.yaml id:, else the folder name)")
    d.add_argument("file", help="the piece, as named inside the apprentice's portfolio/ folder")
    d.add_argument("ksb", help="KSB code (for a note: any placeholder, e.g. -)")
    d.add_argument("action", choices=["confirm", "reject", "add", "withdraw", "note"],
                   help="confirm or reject a suggestion, add a KSB, withdraw your decision, or note (needs --note)")
    d.add_argument("--note", default="", help="a note kept with the decision")
    d.add_argument("--by", default=None, help="the tutor's name (default: settings.yaml tutor:, else the login)")
    d.add_argument("--standard", default="ST0071", help="standard the KSB code belongs to (default ST0071)")
    d.set_defaults(func=cmd_decide)

    de = sub.add_parser("decisions", help="export the cohort's decision log")
    de.add_argument("action", choices=["export"], help="export: write the log as CSV (--out FILE or -)")
    de.add_argument("cohort", help="cohort folder")
    de.add_argument("--out", required=True, help="CSV file to write; - for stdout")
    de.add_argument("--standard", default="ST0071", help="standard of the cohort (default ST0071)")
    de.set_defaults(func=cmd_decisions)

    s = sub.add_parser("standards", help="list, show or validate standard files")
    s.add_argument("action", choices=["list", "show", "validate"],
                   help="list the standard files, show one, or validate them")
    s.add_argument("targets", nargs="*", help="show: a code or file; validate: files (default: all known)")
    s.add_argument("--dir", default=None, help="an extra folder of standard files")
    s.add_argument("-v", "--verbose", action="store_true", help="show: list every KSB")
    s.set_defaults(func=cmd_standards)
    return p


def main(argv: list[str] | None = None) -> int:
    from .tagging.errors import EncoderUnavailable
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "action", None) == "show":
        args.target = args.targets[0] if args.targets else None
    import warnings

    from .store import DecisionLogWarning

    def say(message, category, *rest, **kw):     # one plain line, not Python's warning format
        if issubclass(category, DecisionLogWarning):
            print(f"portfolio-check: warning: {message}", file=sys.stderr)
        else:
            show(message, category, *rest, **kw)
    show, warnings.showwarning = warnings.showwarning, say
    try:
        return args.func(args)
    except EncoderUnavailable as exc:
        print(f"portfolio-check: cannot suggest KSBs: {exc}", file=sys.stderr)
        return 2
    except StandardError as exc:
        for problem in exc.problems:
            print(f"portfolio-check: {exc.path}: {problem}", file=sys.stderr)
        return 2
    except (UsageError, CohortError, ValueError, KeyError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"portfolio-check: error: {msg}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`... | head -1`): nothing is wrong and nothing more can be said.
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141           # 128 + SIGPIPE, as a shell tool killed by the broken pipe would
    except OSError as exc:   # missing, unreadable or unwritable paths: the user's input, not our bug
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"portfolio-check: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        # By the time the interrupt gets here every temporary file is gone and the workers are
        # stopped (finally blocks on the way); a report is published whole or not at all.
        print(f"portfolio-check: interrupted: {_INTERRUPTED.get(args.command, 'stopped')}", file=sys.stderr)
        return 130
    finally:
        warnings.showwarning = show


# What Ctrl-C leaves behind, per command (exit status 130, one line, never a traceback).
_INTERRUPTED = {
    "scan": "no report was changed",
    "pack": "no pack was changed",
    "report": "nothing was written",
    "tag": "nothing was written",
}


if __name__ == "__main__":
    sys.exit(main())
