"""Peak memory of the running process, for the child processes of memory tests and benchmarks."""

from __future__ import annotations


def peak_kb() -> int:
    """Return this process's peak resident memory in KiB.

    Linux's ``VmHWM`` is this process's own peak; ``ru_maxrss`` (the fallback elsewhere)
    would include a forking parent's.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
