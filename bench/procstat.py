"""A process's memory and CPU time, read from /proc (Linux)."""

from __future__ import annotations

import os
from pathlib import Path


def memory_mb(pid: int | str = "self", key: str = "VmHWM") -> float:
    """VmHWM is the peak resident set size so far, VmRSS the current one."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    line = next(line for line in status.splitlines() if line.startswith(f"{key}:"))
    return int(line.split()[1]) / 1024


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far, all its threads together."""
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def parent(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    return int(fields[1])


def family_cpu_seconds(pid: int) -> float:
    """CPU time of `pid` and of its children alive now (a server and its backends; exited ones are not counted)."""
    total = cpu_seconds(pid)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent(int(entry.name)) == pid:
                    total += cpu_seconds(int(entry.name))
            except (FileNotFoundError, ProcessLookupError):  # it exited meanwhile
                continue
    return total
