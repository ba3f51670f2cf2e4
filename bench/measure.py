"""Run a piece of work in a fresh Python process and report its wall time and peak memory.

Each measurement runs alone in its own interpreter so one figure's memory or
caches never leak into another's. Peak memory is the process's high-water
mark of resident memory (VmHWM), read by the child itself when it is done.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass

CHILD = """
import json, time, sys
t0 = time.perf_counter()
{body}
wall = time.perf_counter() - t0
hwm = 0
for line in open('/proc/self/status'):
    if line.startswith('VmHWM:'):
        hwm = int(line.split()[1]) * 1024
import os
times = os.times()
print('@@MEASURE@@' + json.dumps({{'wall': wall, 'peak': hwm, 'cpu': times.user + times.system}}))
"""


@dataclass
class Measure:
    wall: float  # seconds
    peak: int  # bytes
    cpu: float = 0.0  # seconds of CPU, user and system, over all threads (the interpreter's start included)

    @property
    def peak_gb(self) -> float:
        return self.peak / 1024**3


def measure(body: str) -> Measure:
    """Run `body` (Python statements) in a child interpreter; fail loudly if it fails."""
    done = subprocess.run([sys.executable, "-c", CHILD.format(body=body)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stdout.splitlines() if x.startswith("@@MEASURE@@"))
    data = json.loads(line.removeprefix("@@MEASURE@@"))
    return Measure(wall=data["wall"], peak=data["peak"], cpu=data.get("cpu", 0.0))


def load_average() -> float:
    """The machine's load over the last minute: near 0 when nothing else runs."""
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])
