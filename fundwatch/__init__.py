"""Fundwatch — 非法集资风险监测预警平台."""

import os

# numpy's OpenBLAS starts a thread per core when numpy is imported, and they spin after every call into it.
# Fundwatch's own numpy work is element-wise (no linear algebra worth a second thread), and those spinning
# threads took CPU time from Polars on a two-core machine. A setting made before this import is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
