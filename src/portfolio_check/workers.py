"""Scan workers that never outlive their scan.

A scan's worker processes hold the sentence model (~400 MB each). They must end when the scan
ends, however it ends: a normal finish (the pool is shut down), Ctrl-C or an error
(:func:`stop_pool` terminates them rather than waiting out each running file's time budget),
or the scan killed outright (:func:`die_with_parent`, called in each worker as it starts).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1     # <linux/prctl.h>


def die_with_parent(parent_pid: int) -> None:
    """Make this worker end when the scan that started it ends, however the scan ends.

    Why: a worker waits on its task pipe, and a scan killed outright (``kill -9``, the OOM
    killer, a closed terminal) never tells it to stop; it was left running for minutes with
    PPID 1, holding ~400 MB of models. On Linux the kernel kills the worker when its parent
    dies (``prctl(PR_SET_PDEATHSIG, SIGKILL)``; the parent is checked once more right after, as
    it may have died before the call). Note that the signal is sent when the parent *thread*
    that started the worker ends: the pool is started by the thread running the scan, which
    shuts the pool down before it returns. Elsewhere, or if ``prctl`` fails, a daemon thread
    looks every second and exits when the parent is gone (its PPID changes, or it is no longer
    alive).
    """
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
        if armed:
            if os.getppid() != parent_pid and not parent_alive(parent_pid):   # died before prctl
                os._exit(1)
            return
    first_ppid = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != first_ppid or not parent_alive(parent_pid):
                os._exit(1)

    threading.Thread(target=watch, name="portfolio-check-parent-watch", daemon=True).start()


def parent_alive(pid: int) -> bool:
    if os.name == "posix":
        from .leftovers import pid_alive
        return pid_alive(pid)
    import multiprocessing
    parent = multiprocessing.parent_process()    # Windows: wait on the parent's handle
    return parent is None or parent.is_alive()


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down now: pending files cancelled, running ones' workers terminated (a
    worker ignores Ctrl-C, and a file can take its whole time budget), so none is left."""
    terminate = getattr(pool, "terminate_workers", None)      # Python 3.14+
    if terminate is not None:
        terminate()
        return
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
