"""Peak resident memory of a child process, measured by the child itself.

Why not ``ru_maxrss``: Linux carries it across fork and exec, so a child started from a large
pytest process reports the parent's peak, not its own (seen: 538 MB for a parse that peaks at
60 MB). ``VmHWM`` in /proc/self/status belongs to the process's own address space, which exec
replaces, so it is the child's own high-water mark. Other systems fall back to ``ru_maxrss``.
"""

PEAK_MB_SOURCE = '''
def peak_mb():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource, sys
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
'''
