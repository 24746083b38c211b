"""The rule engine: registered checks, select/ignore, no import cycle, and missing facts that
fail instead of passing (issue 9 item 1), three readiness states, sign-off lines."""
import ast
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from portfolio_check import Workbench, codes
from portfolio_check.checks import registry
from portfolio_check.checks.witness import attestation
from portfolio_check.cli import main
from portfolio_check.models import Block, Readiness, Role

PKG = Path(__file__).resolve().parent.parent / "src" / "portfolio_check"
RECORD = ("name: Riya Shah\nstandard: ST0071\nstart_date: '2024-01-08'\nenglish_l2: true\nmaths_l2: true\n"
          "employer: Brightwater Housing Association (Customer Hub)\ngateway_declaration_signed: true\n"
          "gateway_date: '2025-03-03'\n")


def _module_imports(path: Path, module: str) -> tuple[set[str], set[str]]:
    """(module-level imports, every import incl. inside functions) of one file, as module names."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    top: set[str] = set()
    every: set[str] = set()

    def resolve(node: ast.ImportFrom) -> list[str]:
        base = package
        for _ in range(node.level - 1):
            base = base.rsplit(".", 1)[0]
        mod = (f"{base}.{node.module}" if node.module else base) if node.level else (node.module or "")
        # "from pkg import sub" needs pkg.sub only (the package is initialised first, as for any
        # submodule import); "from pkg import name" needs pkg itself.
        out = []
        for a in node.names:
            sub = f"{mod}.{a.name}"
            out.append(sub if (PKG.parent / (sub.replace(".", "/") + ".py")).is_file()
                       or (PKG.parent / sub.replace(".", "/") / "__init__.py").is_file() else mod)
        return out

    def visit(nodes, at_top: bool):
        for n in nodes:
            if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test):
                continue
            names: list[str] = []
            if isinstance(n, ast.Import):
                names = [a.name for a in n.names]
            elif isinstance(n, ast.ImportFrom):
                names = resolve(n)
            names = [x for x in names if x.startswith("portfolio_check")]
            every.update(names)
            if at_top:
                top.update(names)
            for child in ast.iter_child_nodes(n):
                visit([child], at_top and not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree.body, True)
    return top, every


def _graph():
    modules = {}
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
        modules[name] = path
    graph, lazy = {}, {}
    for name, path in modules.items():
        top, every = _module_imports(path, name)
        graph[name] = {m for m in top if m in modules and m != name}
        lazy[name] = {m for m in every if m in modules and m != name}
    return graph, lazy


def test_no_import_cycle_in_the_package():
    graph, _ = _graph()
    state: dict[str, int] = {}
    path: list[str] = []

    def dfs(n):
        state[n] = 1
        path.append(n)
        for m in sorted(graph[n]):
            if state.get(m) == 1:
                pytest.fail("import cycle: " + " -> ".join(path[path.index(m):] + [m]))
            if not state.get(m):
                dfs(m)
        path.pop()
        state[n] = 2

    for n in sorted(graph):
        if not state.get(n):
            dfs(n)


def test_renderers_and_frames_never_import_the_scan():
    _, every = _graph()
    for name, deps in every.items():
        if name.startswith("portfolio_check.report") or name == "portfolio_check.frames":
            assert "portfolio_check.scan" not in deps, name


def test_every_check_emits_only_catalogued_codes_and_has_a_scope():
    assert registry.REGISTRY
    for c in registry.REGISTRY:
        assert c.scope in ("file", "apprentice", "cohort")
        for code in c.codes:
            codes.lookup(code)


@pytest.fixture(scope="module")
def missing_cohort(tmp_path_factory, samples=Path(__file__).resolve().parent.parent / "sample_evidence"):
    root = tmp_path_factory.mktemp("missing") / "cohort"
    src = samples / "cohort" / "apr-001"
    for aid in ("apr-norecord", "apr-incomplete", "apr-a-noproposal", "apr-unknown", "apr-threeway"):
        shutil.copytree(src, root / aid)
    (root / "apr-norecord" / "apprentice.yaml").unlink()
    (root / "apr-incomplete" / "apprentice.yaml").write_text(
        "name: Riya Shah\nstandard: ST0071\nemployer: Brightwater Housing Association (Customer Hub)\n"
        "maths_l2: true\ngateway_declaration_signed: true\n")
    for p in (root / "apr-a-noproposal" / "project").iterdir():
        p.unlink()
    (root / "apr-unknown" / "apprentice.yaml").write_text(RECORD.replace("ST0071", "NO-SUCH-STD"))
    (root / "apr-threeway" / "apprentice.yaml").write_text(RECORD.replace(
        "gateway_declaration_signed: true", "gateway_declaration_signed: {apprentice: true, employer: true, provider: false}"))
    return root


@pytest.fixture(scope="module")
def missing_scan(missing_cohort):
    return Workbench().scan(missing_cohort, jobs=1, cache=False)


def test_no_record_is_not_ready(missing_scan):
    a = missing_scan.apprentice("apr-norecord")
    assert a.readiness is Readiness.NOT_READY and "record_missing" in a.reasons
    assert any(f.code == "PC500" for f in a.findings)


def test_incomplete_record_names_its_fields(missing_scan):
    a = missing_scan.apprentice("apr-incomplete")
    r = next(r for r in a.reasons if r.kind == "record_incomplete")
    assert set(r.payload.split(",")) == {"start_date", "english_l2"}
    items = {c.item: c.status for c in a.checklist}
    assert items["English at level 2"] == "missing" and items["12 months on programme"] == "missing"


def test_no_proposal_is_not_ready(missing_scan):
    a = missing_scan.apprentice("apr-a-noproposal")
    assert "proposal_missing" in a.reasons and not a.gateway_ready


def test_unknown_standard_is_not_ready(missing_scan):
    a = missing_scan.apprentice("apr-unknown")
    assert "standard_unknown:NO-SUCH-STD" in a.reasons


def test_declaration_reports_each_signatory(missing_scan):
    a = missing_scan.apprentice("apr-threeway")
    assert "declaration_unsigned" in a.reasons
    status = {c.item: c.status for c in a.checklist}
    assert status["Gateway declaration signed by the provider"] == "not met"
    assert status["Gateway declaration signed by the employer"] == "met"
    assert "provider" in next(f.message for f in a.findings if f.code == "PC504")




def test_ignore_drops_a_rule_so_it_neither_shows_nor_blocks(missing_cohort):
    wb = Workbench()
    # PC7 too: the fixture is five copies of one portfolio, so every apprentice's pieces are
    # cross-apprentice duplicates (both members of each pair now block).
    result = wb.scan(missing_cohort, jobs=1, cache=False, ignore="PC211,PC7")
    a = result.apprentice("apr-a-noproposal")
    assert "proposal_missing" not in a.reasons and not any(f.code == "PC211" for f in a.findings)
    assert not any(f.code.startswith("PC7") for f in a.findings)
    assert a.readiness is Readiness.PENDING          # facts met; coverage rests on suggestions
    settings = missing_cohort / ".portfolio-check"
    settings.mkdir(exist_ok=True)
    (settings / "settings.yaml").write_text("select: [PC5]\n")
    try:
        only5 = wb.scan(missing_cohort, jobs=1, cache=False).apprentice("apr-a-noproposal")
        assert {f.code[:3] for f in only5.findings} <= {"PC5"}
    finally:
        (settings / "settings.yaml").unlink()


def test_cli_select_and_ignore(missing_cohort, tmp_path, capsys):
    code = main(["scan", str(missing_cohort), "--out", str(tmp_path / "o"), "-q", "--jobs", "1", "--no-cache",
                 "--ignore", "PC5,PC211,PC7"])
    out = capsys.readouterr().out
    assert "proposal_missing" not in out and "record_missing" not in out
    assert code == 3                                  # nobody not ready, some pending review
    # and every report says the verdicts are not the full gateway check
    assert "Not every rule was checked (not PC5, PC211, PC7)" in out
    assert json.loads((tmp_path / "o" / "scan.json").read_text(encoding="utf-8"))["rules_left_out"] == "not PC5, PC211, PC7"
    assert 'id="rules-left-out"' in (tmp_path / "o" / "report.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("option", [["--select", "PC50l"], ["--ignore", "PCX"], ["--ignore", "PC"], ["--select", "PC9"]])
def test_a_mistyped_rule_code_is_refused_before_anything_is_written(missing_cohort, tmp_path, capsys, option):
    # "--select PC50l" once selected no rule at all: nothing blocked and a not-ready apprentice
    # was ready. A pattern that names no rule (or every rule) is exit 2, and nothing is created.
    out = tmp_path / "o"
    assert main(["scan", str(missing_cohort), "--out", str(out), "-q", "--jobs", "1", "--no-cache"] + option) == 2
    assert "unknown rule code or prefix" in capsys.readouterr().err and not out.exists()


def test_a_mistyped_setting_is_refused_not_ignored(missing_cohort, tmp_path, capsys):
    settings = missing_cohort / ".portfolio-check"
    settings.mkdir(exist_ok=True)
    try:
        for text, says in (("ignor: [PC6]\n", "unknown setting ignor"), ("ignore: [PC6x]\n", "unknown rule code or prefix: PC6X")):
            (settings / "settings.yaml").write_text(text)
            assert main(["scan", str(missing_cohort), "--out", str(tmp_path / "o"), "-q", "--no-cache"]) == 2
            err = capsys.readouterr().err
            assert "settings.yaml" in err and says in err
    finally:
        (settings / "settings.yaml").unlink()


@pytest.mark.parametrize("lines, title", [
    (["Signed: M. Reid, Team Leader, 14 January 2025"], "Team Leader"),
    (["Signed: D. Price (Repairs Manager) 14/01/2025"], "Repairs Manager"),
    (["Witness name: Sam Lee", "Job title: Shift Supervisor", "Signature: S Lee", "Date: 02/09/2024"], "Shift Supervisor"),
])
def test_sign_off_lines_are_read_with_their_job_title(lines, title):
    att = attestation([Block(Role.PARAGRAPH, t) for t in ["I have supervised the apprentice."] + lines])
    assert att.signature and att.date and att.job_title_value == title


def test_a_sign_off_dated_in_2031_fails(tmp_path, samples=Path(__file__).resolve().parent.parent / "sample_evidence"):
    root = tmp_path / "c"
    shutil.copytree(samples / "cohort" / "apr-001", root / "apr-x")
    port = root / "apr-x" / "portfolio"
    (port / "witness_testimony_future.txt").write_text(
        "Witness testimony\n\nI have managed Riya for a year and watched her calls with customers. She explains "
        "billing options clearly and escalates complex repairs to the right specialist team.\n\n"
        "Signed: M. Reid, Team Leader, 14 January 2031\n", encoding="utf-8")
    a = Workbench().scan(root, jobs=1, cache=False, as_of=dt.date(2025, 3, 3)).apprentice("apr-x")
    assert "witness_incomplete:witness_testimony_future.txt" in a.reasons


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["scan", "--help"]])
def test_version_and_help_import_no_heavy_module(argv):
    import subprocess
    import sys
    code = ("import sys, portfolio_check.cli as c\n"
            f"try:\n    c.main({argv!r})\nexcept SystemExit:\n    pass\n"
            "heavy = ('jsonschema', 'spacy', 'pandas', 'openpyxl', 'numpy', 'thinc', 'lxml', 'pypdfium2')\n"
            "print('HEAVY:' + ' '.join(m for m in heavy if m in sys.modules))")
    env = {**__import__("os").environ, "PYTHONPATH": str(PKG.parent)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.rstrip().endswith("HEAVY:"), out.stdout


def test_standards_validate_checks_tagger_data_too(tmp_path, capsys):
    import yaml
    std = tmp_path / "S1.yaml"
    data = yaml.safe_load((PKG / "standards" / "ST0071.yaml").read_text(encoding="utf-8"))
    data["code"] = "S1"
    std.write_text(yaml.safe_dump(data), encoding="utf-8")
    (tmp_path / "tagging").mkdir()
    (tmp_path / "tagging" / "S1.yaml").write_text(
        "standard: S1\nksbs:\n  K99:\n    facets: {a: {anchor: true, phrases: [x]}}\n  K2:\n    facets: {a: {phrases: []}}\n")
    assert main(["standards", "validate", str(std)]) == 2
    out = capsys.readouterr().out
    assert "ksbs.K99: not a KSB of S1" in out and "ksbs.K2.facets.a.phrases" in out


def test_minhash_tells_unrelated_texts_sharing_a_phrase_apart():
    from portfolio_check.evidence import minhash
    shared = "the customer called about the bill and i explained the charges"
    a = minhash(shared + " " + " ".join(f"alpha{i} word{i}" for i in range(80)))
    b = minhash(shared + " " + " ".join(f"beta{i} term{i}" for i in range(80)))
    c = minhash(shared + " " + " ".join(f"alpha{i} word{i}" for i in range(79)) + " changed")
    same = lambda x, y: sum(p == q for p, q in zip(x, y)) / len(x)  # noqa: E731
    assert same(a, b) < 0.3 and same(a, c) > 0.8


def test_minhash_signatures_are_the_exact_universal_hashes_so_cached_results_still_match():
    # Signatures are cached and compared across scans: the numpy arithmetic must give the very
    # integers (a*s + b) mod (2**61 - 1) gives, at the edges of the 32-bit shingle range too.
    import random
    import zlib

    import numpy as np

    from portfolio_check.evidence import _PRIME, _SEEDS, SHINGLE, _universal_hashes, minhash
    rng = random.Random(7)
    shingles = [0, 1, 2, (1 << 31) - 1, 1 << 31, (1 << 32) - 2, (1 << 32) - 1] + [rng.getrandbits(32) for _ in range(200)]
    got = _universal_hashes(np.array(shingles, dtype=np.uint64))
    assert [[int(v) for v in row] for row in got] == [[(a * s + b) % _PRIME for s in shingles] for a, b in _SEEDS]
    text = "I rang the customer back the next morning to explain the delay " * 3 + "and the refund"
    words = text.lower().split()
    plain = {zlib.crc32(" ".join(words[i:i + SHINGLE]).encode()) for i in range(len(words) - SHINGLE + 1)}
    assert minhash(text) == tuple(min((a * s + b) % _PRIME for s in plain) for a, b in _SEEDS)


def test_both_members_of_a_duplicate_pair_are_named_and_the_copy_blocks(tmp_path):
    root = tmp_path / "c"
    shutil.copytree(Path(__file__).resolve().parent.parent / "sample_evidence" / "cohort" / "apr-001", root / "apr-x")
    port = root / "apr-x" / "portfolio"
    src = next(p for p in sorted(port.iterdir()) if p.suffix == ".docx")
    shutil.copy(src, port / (src.stem + " (1)" + src.suffix))     # sorts before the original
    a = Workbench().scan(root, jobs=1, cache=False).apprentice("apr-x")
    copy = src.stem + " (1)" + src.suffix
    assert f"duplicate:{copy}" in a.reasons and f"duplicate:{src.name}" not in a.reasons
    named = {f.file for f in a.findings if f.code == "PC701"}
    assert named == {copy, src.name}


def test_declared_dependencies_are_what_the_package_imports():
    import importlib.metadata as md
    import re
    import sys
    import tomllib
    project = tomllib.loads((PKG.parent.parent / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    name = lambda req: re.split(r"[<>=!~ ;\[]", req, maxsplit=1)[0].lower().replace("_", "-")  # noqa: E731
    declared = {name(r) for r in project["dependencies"]}
    notebook = {name(r) for r in project["optional-dependencies"]["notebook"]}
    imported: set[str] = set()
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            tops = ([a.name.split(".")[0] for a in node.names] if isinstance(node, ast.Import) else
                    [node.module.split(".")[0]] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                    else [])
            imported.update(t for t in tops if t not in sys.stdlib_module_names and t != "portfolio_check")
    dists = md.packages_distributions()
    needed = {d.lower().replace("_", "-") for top in imported for d in dists.get(top, [top])}
    data_only = {"spacy-lookups-data"}            # read by spaCy's lemmatiser, never imported by name
    optional = {"cryptography"}                   # guarded import (pdfminer.six requires it anyway)
    assert needed - declared - notebook - optional - {"ipython"} == set()
    assert declared - needed - data_only == set()
