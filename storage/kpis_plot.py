"""One PNG of the KPIs for people: submissions per day, decision mix, and both funnels."""

from __future__ import annotations

from pathlib import Path

from storage.kpis import KpiReport


def save_kpi_plot(report: KpiReport, out: Path) -> Path:
    """Draw submissions over time, the status mix and the funnels into `out` (PNG)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.parent.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(2, 2, figsize=(11, 7))
    days, counts = list(report.daily_submissions), list(report.daily_submissions.values())
    ax = axes[0][0]
    ax.bar(days, counts, color="#2e86ab")
    ax.set_title("applications per day")
    ax.tick_params(axis="x", rotation=45, labelsize=7)
    ax = axes[0][1]
    ax.bar(list(report.by_status), list(report.by_status.values()), color="#a23b72")
    ax.set_title("applications by status")
    ax.tick_params(axis="x", rotation=30, labelsize=8)
    for ax, f in zip(axes[1], report.funnels, strict=True):
        ax.barh([s.step for s in f.steps][::-1], [s.sessions for s in f.steps][::-1],
                color="#f18f01")  # fmt: skip
        for i, s in enumerate(f.steps[::-1]):
            if s.drop_off:
                ax.annotate(f"-{s.drop_off:.0%}", (s.sessions, i), xytext=(3, -3),
                            textcoords="offset points", fontsize=8)  # fmt: skip
        ax.set_title(f"{f.channel} funnel (sessions)")
    fig.suptitle(
        f"approval {report.approval_rate}  decline {report.decline_rate}  "
        f"referral {report.referral_rate}  acceptance {report.offer_acceptance_rate}"
    )
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out
