"""The progress bar, as a tutor sees it in a terminal: it advances to the number of files and
counts apprentices; piped or with -q there is no bar at all (a log file stays clean)."""
import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parent.parent / "src")


@pytest.fixture()
def cohort(tmp_path, samples):
    target = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", target, ignore=shutil.ignore_patterns(".portfolio-check"))
    return target


def _files(cohort: Path) -> int:
    return sum(1 for p in cohort.glob("*/portfolio/**/*") if p.is_file())


def _run_on_pty(args: list[str]) -> tuple[int, str]:
    """Run the CLI with stdout and stderr on a pseudo-terminal; return (exit code, all it drew)."""
    master, slave = pty.openpty()
    # A real terminal has a size; a bare pty says 0 columns, which tqdm draws as an empty bar.
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, PYTHONPATH=SRC, COLUMNS="120", TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "portfolio_check", *args], stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, env=env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:          # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=300), b"".join(chunks).decode("utf-8", "replace")


def test_bar_advances_to_the_file_count_on_a_terminal(cohort, tmp_path):
    n = _files(cohort)
    code, screen = _run_on_pty(["scan", str(cohort), "--jobs", "1", "--no-cache", "--out", str(tmp_path / "out")])
    assert code == 1, screen
    done = [int(a) for a, b in re.findall(r"(\d+)/(\d+) \[", screen) if int(b) == n]
    assert done and max(done) == n, screen
    assert len(set(done)) > 1                      # it moved, it did not jump from nothing to the end
    assert "2 apprentices" in screen


def test_no_bar_with_quiet_or_when_piped(cohort, tmp_path):
    code, screen = _run_on_pty(["scan", str(cohort), "-q", "--jobs", "1", "--out", str(tmp_path / "o1")])
    assert code == 1 and "Scanning" not in screen and "1 of 2 apprentices ready" in screen
    env = dict(os.environ, PYTHONPATH=SRC)
    piped = subprocess.run([sys.executable, "-m", "portfolio_check", "scan", str(cohort), "--jobs", "1",
                            "--out", str(tmp_path / "o2")], capture_output=True, text=True, env=env, timeout=300)
    assert piped.returncode == 1 and "Scanning" not in piped.stderr
