"""Local and private: scan, report and tag make no network connection (issue 10).

Sockets are replaced by ones that raise; the CLI then runs in this process on the sample
cohort, so any connection attempt (telemetry, a model download, a font fetch) fails the test.
The notebooks' Workbench calls (scan, review widget, cohort view, report check, pack) run the
same way."""
from __future__ import annotations

import shutil
from pathlib import Path
import socket

import pytest

from portfolio_check.cli import main


class NetworkUsed(AssertionError):
    pass


@pytest.fixture()
def no_network(monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise NetworkUsed(f"network connection attempted: {args!r}")

    class NoSocket(socket.socket):
        def connect(self, *a, **k):
            refuse(*a)

        def connect_ex(self, *a, **k):
            refuse(*a)

        def sendto(self, *a, **k):
            refuse(*a)

    monkeypatch.setattr(socket, "socket", NoSocket)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_scan_report_and_tag_make_no_connection(no_network, samples, tmp_path, monkeypatch, capsys):
    with pytest.raises(NetworkUsed):                     # the guard itself works
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkUsed):
        socket.socket().connect(("127.0.0.1", 9))
    no_network.clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    out = tmp_path / "reports"
    main(["scan", str(cohort), "--quiet", "--jobs", "1", "--out", str(out)])
    assert (out / "report.html").is_file() and (out / "referencing_matrix.xlsx").is_file()
    main(["report", str(samples / "reports" / "project_report_draft.docx")])
    main(["tag", str(cohort / "apr-001" / "portfolio" / "02_reflective_account_authority_and_cost.docx")])
    printed = capsys.readouterr().out
    assert "apprentices ready for gateway" in printed and "K" in printed
    assert no_network == []


def test_notebook_api_calls_make_no_connection(no_network, samples, tmp_path, monkeypatch):
    """What the three notebooks call, in the order they call it, with sockets blocked: the
    workbench scan, the review widget, the cohort view, the report check and the gateway pack."""
    import matplotlib
    matplotlib.use("Agg")
    from portfolio_check import Workbench

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    cohort = tmp_path / "cohort"
    shutil.copytree(samples / "cohort", cohort, ignore=shutil.ignore_patterns(".portfolio-check"))
    wb = Workbench(cohort=cohort, jobs=1)
    one = wb.scan_apprentice("apr-002")                       # notebook 01
    assert one.id == "apr-002" and one.pieces > 0
    scan = wb.scan()
    assert len(scan.verdicts) == 2 and not scan.findings.empty
    assert not scan.coverage.empty and scan.plot_coverage() is not None   # notebook 02
    assert wb.review("apr-002", tutor="Test Tutor") is not None
    assert wb.cohort_view() is not None
    check = wb.check_report(samples / "reports" / "project_report_draft.docx")   # notebook 03
    assert check.assessed > 0 and not check.breakdown.empty and check.plot() is not None
    check.sections_table
    written = wb.pack("apr-001", tmp_path / "pack")
    assert all(Path(p).is_file() for p in written.values()) and written
    assert no_network == []
