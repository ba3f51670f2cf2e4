"""`make bench`: every benchmark the issues ask for, one after another (never in parallel).

`python bench/run.py` runs them all; `python bench/run.py screen funds` runs the named ones.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHES = {
    "screen": "bench.screen",
    "funds": "bench.funds",
    "link": "bench.link",
}


def main() -> None:
    names = sys.argv[1:] or list(BENCHES)
    root = Path(__file__).resolve().parent.parent
    failed = []
    for name in names:
        module = BENCHES.get(name)
        if module is None:
            raise SystemExit(f"unknown benchmark {name!r}; choose from {', '.join(BENCHES)}")
        if not (root / (module.replace(".", "/") + ".py")).exists():
            print(f"(benchmark {name} is not in this tree yet)")
            continue
        print(f"\n######## {name} ########", flush=True)
        if subprocess.run([sys.executable, "-m", module], cwd=root, check=False).returncode != 0:
            failed.append(name)
    if failed:
        raise SystemExit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
