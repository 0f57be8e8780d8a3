"""Reports a person would rather look at: per-arm rates with intervals and the effect over time.

PNG plots (matplotlib, headless) and one self-contained HTML page embedding them.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from experiments.analysis import ExperimentResult, Outcome, analyse  # noqa: E402
from experiments.definition import ExperimentDefinition  # noqa: E402
from experiments.store import Exposure  # noqa: E402


def plot_arms(result: ExperimentResult, path: Path) -> Path:
    """Save the primary metric per arm with its confidence interval."""
    primary = next(m for m in result.metrics if m.role == "primary")
    fig, ax = plt.subplots(figsize=(6, 3.5))
    names = [a.arm for a in primary.arms]
    means = [a.mean for a in primary.arms]
    errs = [[a.mean - a.ci_low for a in primary.arms], [a.ci_high - a.mean for a in primary.arms]]
    ax.bar(
        names,
        means,
        yerr=errs,
        capsize=6,
        color=["#888", "#2b7bba", "#e08a1e", "#3a3"][: len(names)],
    )
    ax.set_ylabel(primary.metric)
    ax.set_title(f"{result.experiment_id}: {primary.metric} per arm ({1 - result.alpha:.0%} CI)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_effect_over_time(
    d: ExperimentDefinition,
    exposures: Sequence[Exposure],
    outcomes: Sequence[Outcome],
    path: Path,
    points: int = 12,
) -> Path:
    """Save the primary effect (first treatment vs control) with its interval as data grew."""
    ordered = sorted(exposures, key=lambda e: e.at)
    xs: list[int] = []
    mids: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    for i in range(1, points + 1):
        upto = ordered[: max(2, len(ordered) * i // points)]
        r = analyse(d, upto, outcomes)
        row = next(a for a in r.metrics[0].arms if a.arm != r.control)
        if row.difference is None or row.diff_ci_low is None or row.diff_ci_high is None:
            continue
        xs.append(len(upto))
        mids.append(row.difference)
        lows.append(row.diff_ci_low)
        highs.append(row.diff_ci_high)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(xs, mids, marker="o", label="difference")
    ax.fill_between(xs, lows, highs, alpha=0.25, label="interval")
    ax.axhline(0, color="#444", linewidth=0.8)
    ax.set_xlabel("exposed users")
    ax.set_ylabel(f"{d.primary_metric.name}: treatment - control")
    ax.set_title("Effect over time")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}">'


def write_html(result: ExperimentResult, plots: Sequence[Path], path: Path) -> Path:
    """Write one HTML page: decision, SRM check, a table per metric and the plots."""
    rows = []
    for m in result.metrics:
        rows.append(f"<h3>{html.escape(m.metric)} ({m.role}, {m.kind})</h3>")
        if m.variance_reduction is not None:
            rows.append(f"<p>CUPED removed {m.variance_reduction:.1%} of the variance</p>")
        if m.p_adjustment == "holm":
            rows.append("<p>p-values Holm-corrected for several treatments</p>")
        rows.append("<table border=1>")
        rows.append(
            "<tr><th>arm</th><th>users</th><th>mean [CI]</th><th>difference [CI]</th>"
            "<th>p</th><th>chance to beat control</th></tr>"
        )
        for a in m.arms:
            diff = (
                ""
                if a.difference is None
                else (f"{a.difference:+.4f} [{a.diff_ci_low:+.4f}, {a.diff_ci_high:+.4f}]")
            )
            p = "" if a.p_value is None else f"{a.p_value:.3g}"
            ctw = "" if a.chance_to_beat_control is None else f"{a.chance_to_beat_control:.1%}"
            rows.append(
                f"<tr><td>{html.escape(a.arm)}</td><td>{a.users}</td><td>{a.mean:.4f} "
                f"[{a.ci_low:.4f}, {a.ci_high:.4f}]</td><td>{diff}</td><td>{p}</td>"
                f"<td>{ctw}</td></tr>"
            )
        rows.append("</table>")
    srm = "<p style='color:#b00'><b>Sample ratio mismatch</b>" if result.srm_warning else "<p>SRM"
    body = "\n".join(
        [
            f"<h1>{html.escape(result.experiment_id)}</h1>",
            f"<h2>Decision: {result.decision.verdict}</h2>",
            f"<p>{html.escape(result.decision.reason)}</p>",
            f"{srm} check p = {result.srm_p_value:.3g}; exposures {result.exposures}</p>",
            f"<p>engine {result.engine}, alpha {result.alpha}</p>",
            *rows,
            *(_img(p) for p in plots),
        ]
    )
    path.write_text(
        f"<!doctype html><meta charset=utf-8><title>{html.escape(result.experiment_id)}"
        f"</title><body>{body}</body>",
        encoding="utf-8",
    )
    return path
