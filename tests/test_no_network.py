"""Local and private: scan, report and tag make no network connection (issue 10).

Sockets are replaced by ones that raise; the CLI then runs in this process on the sample
cohort, so any connection attempt (telemetry, a model download, a font fetch) fails the test."""
from __future__ import annotations

import shutil
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
