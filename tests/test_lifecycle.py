"""Nothing outlives a run: a killed scan takes its workers with it, Ctrl-C is one line and leaves
every report as it was, and what a killed run leaves in the output folder or the system temp
folder (temporary report files, sealed analyses, notebook scratch copies of a cohort) is removed
by the next run once it is provably stale, and nothing else ever is.

The process checks read ``/proc`` (psutil is not a dependency), so they run on Linux only."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from portfolio_check import leftovers, safe_io

SRC = str(Path(__file__).resolve().parent.parent / "src")
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
# Bounded waits: a passing test leaves each loop at once; the bound only stops a failing one.
LIMIT = 60.0


def _state(pid: int) -> str | None:
    """The process's state letter, None when gone (a zombie nobody reaps counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    return None if state in "ZX" else state


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    if int(fh.read().rsplit(")", 1)[1].split()[1]) == pid:
                        kids.append(int(entry))
            except (OSError, IndexError, ValueError):
                pass
    return kids


def _wait_until(what, describe: str):
    end = time.monotonic() + LIMIT
    while time.monotonic() < end:
        got = what()
        if got:
            return got
        time.sleep(0.05)
    pytest.fail(f"gave up waiting for {describe}")


def _reap(pids: list[int]) -> None:
    """A failing test leaves no orphan behind."""
    for pid in pids:
        if _state(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def _dead_pid() -> int:
    """The id of a process that has just ended."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _aged(path: Path, seconds: float = 7 * 24 * 3600) -> Path:
    old = time.time() - seconds
    os.utime(path, (old, old), follow_symlinks=False)
    return path


@pytest.fixture()
def run(tmp_path, samples):
    """A scan of a copy of the sample cohort with two workers, in a private temp folder."""
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=SRC, TMPDIR=str(tmp))

    def start(*extra: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "portfolio_check", "scan", str(cohort), "-q", "--jobs", "2",
                                 "--out", str(out), *extra], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
    return start, out, tmp


def _ours(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith("portfolio-check-"))


# ---------------------------------------------------------------------------- temporary report files
def test_only_stale_temp_files_of_ours_are_removed(tmp_path):
    host, dead, alive = leftovers.host_tag(), _dead_pid(), os.getppid()
    folder = tmp_path / "reports"
    folder.mkdir()
    stale = folder / f".pc-tmp-{dead}-{host}-abcd1234.part"      # its creator gone an hour ago
    stale.write_bytes(b"")
    _aged(stale, 3600)
    legacy = folder / ".pc-tmp-x5g1rzv8.part"           # before names carried a process id: a week old
    legacy.write_bytes(b"")
    _aged(legacy)
    keep = {
        f".pc-tmp-{dead}-{host}-fresh123.part": 0,          # creator gone, but just written
        f".pc-tmp-{alive}-{host}-alive123.part": 3600,      # creator still running
        f".pc-tmp-{dead}-0000beef-other123.part": 3600,     # another machine's, not a day old
        ".pc-tmp-recent12.part": 3600,                      # an old-style name, not a day old
        "report.html": 7 * 24 * 3600,
        ".pc-tmp-abcd1234.part.bak": 7 * 24 * 3600,
        f"pc-tmp-{dead}-{host}-abcd1234.part": 7 * 24 * 3600,
    }
    for name, age in keep.items():
        (folder / name).write_text("x")
        if age:
            _aged(folder / name, age)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = folder / f".pc-tmp-{dead}-{host}-link1234.part"
    if hasattr(os, "symlink"):
        link.symlink_to(victim)
        _aged(link)
        keep[link.name] = 0
    sub = folder / f".pc-tmp-{dead}-{host}-folder12.part"
    sub.mkdir()
    _aged(sub)
    keep[sub.name] = 0
    removed = safe_io.remove_stale_temp_files(folder)
    assert sorted(removed) == sorted([stale.name, legacy.name])
    assert sorted(p.name for p in folder.iterdir()) == sorted(keep)
    assert victim.read_text() == "precious"


def test_the_next_scan_clears_a_killed_one_s_temp_files(tmp_path, samples):
    from portfolio_check import Workbench

    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    out = tmp_path / "out"
    out.mkdir()
    left = out / f".pc-tmp-{_dead_pid()}-{leftovers.host_tag()}-k1lled00.part"
    left.write_bytes(b"")
    _aged(left, 600)
    Workbench(cohort=cohort, jobs=1).scan(out_dir=out)
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["apprentices.csv", "findings.csv", "matrix.csv", "referencing_matrix.xlsx", "report.html", "scan.json"])


# ---------------------------------------------------------------------------- temporary folders
def test_a_finished_no_cache_scan_leaves_no_temporary_folder(run):
    start, out, tmp = run
    proc = start("--no-cache")
    proc.communicate(timeout=LIMIT)
    assert proc.returncode == 1
    assert _ours(tmp) == [] and not list(tmp.glob("openpyxl*"))
    assert not [p for p in out.iterdir() if p.name.startswith(".pc-tmp-")]


# ---------------------------------------------------------------------------- kill -9
@linux_only
def test_killed_scan_takes_its_workers_and_the_next_run_clears_what_it_left(run):
    start, out, tmp = run
    proc = start("--no-cache")
    workers = _wait_until(lambda: len(k := _children(proc.pid)) == 2 and k, "two workers")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    try:
        _wait_until(lambda: not [w for w in workers if _state(w)], "the workers to end with their parent")
    finally:
        _reap(workers)
    # What only a kill leaves: temporary report files and the sealed analyses, named for the run.
    left = sorted(p.name for p in out.iterdir())
    assert left and all(n.startswith(f".pc-tmp-{proc.pid}-") and n.endswith(".part") for n in left)
    assert [n for n in _ours(tmp) if n.startswith(f"portfolio-check-scan-{proc.pid}-")]
    # The next run removes them (here without waiting out the safety margin) and nothing else.
    (out / "notes.txt").write_text("a tutor's own file")
    assert sorted(safe_io.remove_stale_temp_files(out, min_age=0)) == left
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert leftovers.remove_stale_temp_dirs("scan", min_age=0, base=tmp)
    assert _ours(tmp) == []


def test_a_worker_without_prctl_still_ends_with_its_parent(tmp_path):
    """The portable fallback (macOS, or prctl refused): a thread in the worker sees the parent go."""
    script = (
        "import os, sys, time\n"
        "from portfolio_check import workers\n"
        "r, w = os.pipe()\n"
        "parent = os.getpid()\n"
        "if os.fork() == 0:\n"
        "    sys.platform = 'darwin'          # take the portable path\n"
        "    workers.die_with_parent(parent)\n"
        "    os.write(w, str(os.getpid()).encode())\n"
        "    time.sleep(300)\n"
        "    os._exit(0)\n"
        "print(os.read(r, 32).decode(), flush=True)\n"
        "os._exit(0)\n")
    proc = subprocess.run([sys.executable, "-c", script], env=dict(os.environ, PYTHONPATH=SRC),
                          capture_output=True, text=True, timeout=LIMIT)
    child = int(proc.stdout.strip())
    if not sys.platform.startswith("linux"):
        pytest.skip("reads /proc")
    _wait_until(lambda: _state(child) is None, "the orphaned worker to exit")


# ---------------------------------------------------------------------------- Ctrl-C
@linux_only
@pytest.mark.parametrize("whom", ["terminal", "parent"])
def test_ctrl_c_is_one_line_changes_no_report_and_leaves_nothing(run, whom):
    """``terminal``: Ctrl-C at a terminal reaches the whole process group; ``parent``: SIGINT to
    the scan alone. Either way: exit 130, one line, no worker, no temporary file, old reports kept."""
    start, out, tmp = run
    out.mkdir()
    (out / "scan.json").write_text("the last complete scan")
    proc = start("--no-cache")
    workers = _wait_until(lambda: len(k := _children(proc.pid)) == 2 and k, "two workers")
    if whom == "terminal":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=LIMIT)
    assert proc.returncode == 130, stderr
    assert stderr == "portfolio-check: interrupted: no report was changed\n"
    assert "Traceback" not in stdout
    try:
        _wait_until(lambda: not [w for w in workers if _state(w)], "the workers to stop")
    finally:
        _reap(workers)
    assert [p.name for p in out.iterdir()] == ["scan.json"]
    assert (out / "scan.json").read_text() == "the last complete scan"
    assert _ours(tmp) == [] and not list(tmp.glob("openpyxl*"))


@pytest.mark.parametrize("command, method, message", [
    ("pack", "pack", "no pack was changed"),
    ("report", "check_report", "nothing was written"),
    ("tag", "parse", "nothing was written"),
])
def test_ctrl_c_in_other_commands_is_one_line(tmp_path, samples, monkeypatch, capsys, command, method, message):
    from portfolio_check import api
    from portfolio_check.cli import main

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(api.Workbench, method, interrupted)
    argv = {"pack": [str(samples / "cohort" / "apr-002"), "--out", str(tmp_path / "packs")],
            "report": [str(samples / "reports" / "project_report_draft.docx")],
            "tag": [str(samples / "cohort" / "apr-002" / "portfolio" / "cpd_notes.md")]}[command]
    assert main([command, *argv]) == 130
    assert capsys.readouterr().err == f"portfolio-check: interrupted: {message}\n"


def test_ctrl_c_while_a_pack_is_published_cannot_split_it(tmp_path, monkeypatch):
    """Each file is atomic; the pair is too: Ctrl-C is held off while both are put in place."""
    from portfolio_check.report import pack as pack_module

    seen = []
    real_replace = os.replace

    def replace(src, dst):
        seen.append(signal.getsignal(signal.SIGINT))
        return real_replace(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(pack_module, "_xlsx", lambda pack, fh: fh.write(b"xlsx"))
    monkeypatch.setattr(pack_module, "render_html", lambda pack: "html")

    class Pack:
        file_stem = "apr-001-gateway-pack"
    before = signal.getsignal(signal.SIGINT)
    pack_module.write_pack(Pack(), tmp_path)
    assert seen == [signal.SIG_IGN, signal.SIG_IGN]
    assert signal.getsignal(signal.SIGINT) is before


# ---------------------------------------------------------------------------- notebook scratch copies
def test_only_stale_temp_folders_of_ours_are_removed(tmp_path, monkeypatch):
    host, dead, alive = leftovers.host_tag(), _dead_pid(), os.getppid()
    base = tmp_path / "tmp"
    base.mkdir()

    def folder(name: str, age: float) -> Path:
        p = base / name
        p.mkdir()
        (p / "cohort").mkdir()
        (p / "cohort" / "evidence.docx").write_text("personal data")
        return _aged(p, age)
    stale = folder(f"portfolio-check-scratch-{dead}-{host}-abcd1234", 4 * 3600)
    keep = [folder(f"portfolio-check-scratch-{dead}-{host}-young123", 60),       # not three hours old
            folder(f"portfolio-check-scratch-{alive}-{host}-alive123", 4 * 3600),  # kernel still running
            folder(f"portfolio-check-scratch-{dead}-0000beef-other123", 4 * 3600),  # another host's
            folder("portfolio-check-scratch-legacy12", 30 * 24 * 3600),          # no process id to check
            folder(f"portfolio-check-scan-{dead}-{host}-abcd1234", 60),            # another kind, young
            folder(f"something-else-{dead}-{host}-abcd1234", 30 * 24 * 3600)]
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (victim / "keep.txt").write_text("not ours")
    if hasattr(os, "symlink"):
        link = base / f"portfolio-check-scratch-{dead}-{host}-link1234"
        link.symlink_to(victim, target_is_directory=True)
        _aged(link, 4 * 3600)
        keep.append(link)
    # Making a scratch copy sweeps first: a killed kernel's copy goes, nothing else does.
    from portfolio_check.notebook import scratch_copy
    monkeypatch.setattr(tempfile, "tempdir", str(base))
    copy = scratch_copy(Path(__file__).resolve().parent.parent / "sample_evidence" / "cohort")
    assert copy.parent.parent == base and copy.parent.name.startswith(f"portfolio-check-scratch-{os.getpid()}-")
    assert not stale.exists()
    assert sorted(p.name for p in base.iterdir()) == sorted([p.name for p in keep] + [copy.parent.name])
    assert (victim / "keep.txt").read_text() == "not ours"


def test_a_scratch_copy_is_removed_when_its_kernel_exits(tmp_path, samples):
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    code = ("from portfolio_check.notebook import scratch_copy\n"
            f"copy = scratch_copy({str(samples / 'cohort')!r})\n"
            "assert (copy / 'apr-001').is_dir()\n"
            "print(copy)\n")
    proc = subprocess.run([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=SRC, TMPDIR=str(tmp)),
                          capture_output=True, text=True, timeout=LIMIT)
    assert proc.returncode == 0, proc.stderr
    assert Path(proc.stdout.strip()).parent.parent == tmp
    assert list(tmp.iterdir()) == []
