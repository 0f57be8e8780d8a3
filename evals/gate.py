"""The CI gate: fail when a candidate run regresses past the thresholds in `gate.yaml`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

GATE_CONFIG = Path(__file__).with_name("gate.yaml")


class SuiteThreshold(BaseModel):
    """Limits for one suite (or the defaults)."""

    model_config = ConfigDict(extra="forbid")

    min_pass_rate: float | None = Field(None, ge=0, le=1, description="absolute floor")
    max_drop: float = Field(0.05, ge=0, le=1, description="largest allowed fall vs baseline")
    alpha: float = Field(
        1.0, gt=0, le=1, description="a drop counts only if McNemar's p is below this"
    )


class GateConfig(BaseModel):
    """Gate thresholds: defaults, per-suite overrides, evaluators that may never regress."""

    model_config = ConfigDict(extra="forbid")

    default: SuiteThreshold = Field(default_factory=SuiteThreshold)
    suites: dict[str, SuiteThreshold] = Field(default_factory=dict)
    zero_tolerance: list[str] = Field(
        default_factory=list, description="evaluators where any new failure fails the gate"
    )

    def for_suite(self, name: str) -> SuiteThreshold:
        """Return the thresholds of suite `name`: the defaults, with what the suite sets."""
        own = self.suites.get(name)
        if own is None:
            return self.default
        return self.default.model_copy(update=own.model_dump(exclude_unset=True))


def load_gate_config(path: Path = GATE_CONFIG) -> GateConfig:
    """Read and validate the gate thresholds."""
    return GateConfig.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def verdict(comparison: dict[str, Any], config: GateConfig) -> list[str]:
    """Return the reasons the candidate fails the gate (empty: it passes)."""
    problems = []
    for suite, stats in comparison["suites"].items():
        limits = config.for_suite(suite)
        before, after = stats["before"] or 0.0, stats["after"] or 0.0
        if limits.min_pass_rate is not None and after < limits.min_pass_rate - 1e-9:
            problems.append(
                f"{suite}: pass rate {after:.1%} is below its floor {limits.min_pass_rate:.1%}"
                f" (baseline {before:.1%}); {_flips(stats)}"
            )
        drop = before - after
        if drop > limits.max_drop and stats["mcnemar_p"] < limits.alpha:
            problems.append(
                f"{suite}: pass rate fell {drop:.1%} ({before:.1%} -> {after:.1%}), more than "
                f"{limits.max_drop:.1%} (McNemar p={stats['mcnemar_p']:.3g}); {_flips(stats)}"
            )
    for evaluator in config.zero_tolerance:
        cases = comparison.get("evaluator_regressions", {}).get(evaluator, [])
        if cases:
            problems.append(f"{evaluator} newly fails on: {', '.join(cases[:10])}")
    if comparison["only_in_baseline"]:
        problems.append(
            f"{len(comparison['only_in_baseline'])} baseline cases were not run by the candidate"
        )
    return problems


def _flips(stats: dict[str, Any]) -> str:
    """Name the cases that flipped in a suite, so a failing gate says where to look."""
    broke, fixed = stats.get("broke") or [], stats.get("fixed") or []
    more = f" (+{len(broke) - 20} more)" if len(broke) > 20 else ""
    text = f"broke {len(broke)}: {', '.join(broke[:20]) or 'none'}{more}"
    return text + (f"; fixed {len(fixed)}: {', '.join(fixed[:20])}" if fixed else "")


def raise_floors(new_floors: dict[str, float], path: Path = GATE_CONFIG) -> dict[str, float]:
    """Set each suite's `min_pass_rate` to the higher of its stored floor and `new_floors`.

    Floors only go up here: lowering one is a decision a person makes by editing gate.yaml,
    never a side effect of refreshing the baseline. The file's leading comments are kept.
    Returns the floors now stored.
    """
    text = path.read_text(encoding="utf-8")
    header = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        header.append(line)
    config = load_gate_config(path)
    suites = {n: t.model_dump(exclude_unset=True) for n, t in config.suites.items()}
    for name, floor in new_floors.items():
        own = suites.setdefault(name, {})
        own["min_pass_rate"] = max(own.get("min_pass_rate") or 0.0, floor)
    body = {
        "default": config.default.model_dump(exclude_none=True),
        "suites": dict(sorted(suites.items())),
        "zero_tolerance": config.zero_tolerance,
    }
    text = yaml.safe_dump(body, sort_keys=False, default_flow_style=None)
    path.write_text("\n".join(header) + "\n" + text, encoding="utf-8")
    config = load_gate_config(path)
    return {n: s.min_pass_rate or 0.0 for n, s in config.suites.items()}
