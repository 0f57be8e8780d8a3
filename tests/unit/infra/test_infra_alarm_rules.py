"""The CloudWatch alarms and `ops check` read one rule file (`core/alarm_rules.yaml`)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.alarms import ALARMS, PSI_ACT, RULES_PATH, AlarmRule, load_alarms
from infra.alarm_rules import cloudwatch_rule, load_rules


def test_the_rule_file_is_the_runtime_one():
    assert RULES_PATH.parts[-2:] == ("core", "alarm_rules.yaml")
    assert load_alarms() == ALARMS
    ids = [r.id for r in load_rules().rules]
    assert len(ids) == len(set(ids))
    # every rule AWS alone can evaluate has an alarm there, or it would be evaluated nowhere
    assert {r.name.replace("_", "-") for r in ALARMS if not r.local} <= set(ids)


def test_a_block_inherits_what_it_does_not_state():
    rule = AlarmRule("store_x", "desc", "store_throttles_total", "sum", 3.0, period_seconds=120,
                     cloudwatch={"source": "dynamodb.throttles", "statistic": "Sum"})  # fmt: skip
    alarm = cloudwatch_rule(rule)
    assert alarm is not None
    assert (alarm.id, alarm.threshold, alarm.period_seconds, alarm.evaluation_periods) == (
        "store-x", 3.0, 120, 2)  # fmt: skip
    assert alarm.description == "desc"
    assert cloudwatch_rule(AlarmRule("local_only", "d", "m", "sum", 0.0)) is None


def test_a_bad_block_or_reduction_fails_loudly(tmp_path):
    bad = AlarmRule("x", "d", "m", "sum", 1.0, cloudwatch={"source": "nope", "statistic": "Sum"})
    with pytest.raises(ValidationError):
        cloudwatch_rule(bad)
    path = tmp_path / "rules.yaml"
    rule = "{name: x, description: d, metric: m, reduce: mean, threshold: 1}"
    path.write_text(f"rules:\n  - {rule}\n")
    with pytest.raises(ValueError, match="unknown reduce"):
        load_alarms(path)


def test_the_drift_rule_fires_at_the_act_level():
    (drift,) = [r for r in ALARMS if r.name == "drift_psi"]
    assert PSI_ACT - 1e-6 < drift.threshold < PSI_ACT
