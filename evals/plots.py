"""The report's charts, as PNG bytes (matplotlib, no display needed)."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)


def _bars(title: str, rates: dict[str, dict[str, Any]]) -> bytes:
    names = list(rates)
    values = [(rates[n]["rate"] or 0) * 100 for n in names]
    lows = [v - (rates[n]["ci95"][0] * 100) for n, v in zip(names, values, strict=True)]
    highs = [(rates[n]["ci95"][1] * 100) - v for n, v in zip(names, values, strict=True)]
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(names) + 1.2))
    ax.barh(names, values, xerr=[lows, highs], color="#3b82f6", capsize=3)
    for y, v in enumerate(values):  # at the bar's root, clear of the interval's whiskers
        ax.text(1, y, f"{v:.0f}%", va="center", fontsize=8, color="white" if v > 8 else "black")
    ax.set_xlim(0, 100)
    ax.invert_yaxis()
    ax.set_xlabel("pass rate, % (95% Wilson interval)")
    ax.set_title(title)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    return buf.getvalue()


def charts(summary: dict[str, Any]) -> dict[str, bytes]:
    """Return the PNG charts of a run summary, by file name."""
    return {
        "pass_by_suite.png": _bars("Pass rate per suite", summary["suites"]),
        "pass_by_evaluator.png": _bars("Pass rate per evaluator", summary["evaluators"]),
    }
