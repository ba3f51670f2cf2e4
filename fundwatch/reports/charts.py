"""Bar charts (PNG bytes) for the monthly report, with a Chinese font when the machine has one.

Debian's fonts-noto-cjk (installed by `make system-deps`) gives Noto Sans CJK. Without any CJK
font the bars are labelled 1, 2, 3 … and the caption says the numbers follow the table next
to the chart, instead of printing empty boxes.
"""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib import pyplot as plt

CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Noto Serif CJK SC", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK JP",
)


@cache
def cjk_family() -> str | None:
    """The first installed CJK font family, or None."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FAMILIES if name in installed), None)


def bar_chart(labels: list[str], values: list[float], *, xlabel: str) -> tuple[bytes, bool]:
    """A horizontal bar chart, largest at the top; returns (PNG bytes, whether labels are readable)."""
    family = cjk_family()
    shown = labels if family else [str(i) for i in range(1, len(labels) + 1)]
    params: dict[str, Any] = {"axes.unicode_minus": False}
    if family:
        params["font.family"] = family
    with plt.rc_context(params):
        fig, ax = plt.subplots(figsize=(7.5, 0.55 * max(len(labels), 2) + 1.2), dpi=150)
        try:
            positions = list(range(len(values)))[::-1]
            bars = ax.barh(positions, values, color="#B22222", height=0.6)
            ax.set_yticks(positions, shown)
            ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=3, fontsize=9)
            ax.set_xlabel(xlabel if family else "")
            ax.spines[["top", "right"]].set_visible(False)
            ax.margins(x=0.15)
            fig.tight_layout()
            out = io.BytesIO()
            fig.savefig(out, format="png")
        finally:
            plt.close(fig)
    return out.getvalue(), family is not None
