"""Alarms of the rule file, the dashboard, the scoring endpoint and its rollout guardrails."""

from __future__ import annotations

import json

from infra.alarm_rules import load_rules
from infra.tables import TABLES


def test_every_rule_of_the_rule_file_has_its_alarms(synth, stage):
    alarms = {
        a["Properties"]["AlarmName"]: a["Properties"]
        for a in synth.resources(stage, "Monitoring", "AWS::CloudWatch::Alarm").values()
    }
    for rule in load_rules().rules:
        if rule.source == "dynamodb.throttles":
            names = [f"loan-advisor-{stage}-{rule.id}-{t.suffix}" for t in TABLES]
        else:
            names = [f"loan-advisor-{stage}-{rule.id}"]
        for name in names:
            props = alarms[name]
            assert props["Threshold"] == rule.threshold
            assert props["EvaluationPeriods"] == rule.evaluation_periods
            assert props["AlarmActions"], name


def test_alarms_cover_the_operations_signals(synth, stage):
    text = json.dumps(synth.templates[f"LoanAdvisor-{stage}-Monitoring"])
    for metric in (
        "5XXError",
        "Latency",
        "Errors",
        "Throttles",
        "ModelLatency",
        "Invocation5XXErrors",
        "ReadThrottleEvents",
    ):
        assert metric in text, metric


def test_emf_alarms_query_the_metric_the_api_publishes(synth, stage):
    """The API's EMF lines carry the catalogue name and one dimension per label (plus
    `service`): the alarm must sum over exactly that dimension set, or it never sees data."""
    from core.metrics import CATALOGUE, EmfSink

    (alarm,) = [
        a["Properties"]
        for a in synth.resources(stage, "Monitoring", "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["AlarmName"] == f"loan-advisor-{stage}-guard-rejections"
    ]
    (query,) = [q for q in alarm["Metrics"] if "Expression" in q]
    labels = CATALOGUE["guard_rejections_total"].labels
    assert query["Expression"] == (
        'SELECT SUM(guard_rejections_total) FROM SCHEMA("LoanAdvisor", service, '
        + ", ".join(labels)
        + ")"
    )
    assert EmfSink().namespace == "LoanAdvisor"
    warnings = [m for level, m in synth.messages[f"LoanAdvisor-{stage}-Monitoring"]
                if level == "WARNING"]  # fmt: skip
    assert not warnings, warnings


def test_alarms_notify_an_encrypted_topic(synth, stage):
    (topic,) = synth.resources(stage, "Monitoring", "AWS::SNS::Topic").values()
    assert "alias/aws/sns" in json.dumps(topic["Properties"]["KmsMasterKeyId"])
    synth.template(stage, "Monitoring").resource_count_is("AWS::CloudWatch::Dashboard", 1)


def test_the_dashboard_has_every_section(synth):
    (board,) = synth.resources("prod", "Monitoring", "AWS::CloudWatch::Dashboard").values()
    body = json.dumps(board["Properties"]["DashboardBody"])
    for title in (
        "API requests",
        "Lambda duration p95",
        "Scoring model latency",
        "DynamoDB throttles",
        "Business KPIs",
        "Guard rejections",
    ):
        assert title in body, title


def test_the_endpoint_captures_data_and_rolls_out_blue_green(synth, stage):
    (config,) = synth.resources(stage, "Ml", "AWS::SageMaker::EndpointConfig").values()
    capture = config["Properties"]["DataCaptureConfig"]
    assert capture["EnableCapture"] is True
    assert {o["CaptureMode"] for o in capture["CaptureOptions"]} == {"Input", "Output"}
    (endpoint,) = synth.resources(stage, "Ml", "AWS::SageMaker::Endpoint").values()
    deploy = endpoint["Properties"]["DeploymentConfig"]
    assert deploy["BlueGreenUpdatePolicy"]["TrafficRoutingConfiguration"]["Type"] == "CANARY"
    assert len(deploy["AutoRollbackConfiguration"]["Alarms"]) == 2
    assert endpoint["Properties"]["EndpointName"] == f"loan-advisor-scoring-{stage}"


def test_the_endpoint_scales_between_the_configured_bounds(synth):
    bounds = {"staging": (1, 2), "prod": (2, 6)}
    for stage, (low, high) in bounds.items():
        (target,) = synth.resources(
            stage, "Ml", "AWS::ApplicationAutoScaling::ScalableTarget"
        ).values()
        props = target["Properties"]
        assert (props["MinCapacity"], props["MaxCapacity"]) == (low, high)
        assert props["ScalableDimension"] == "sagemaker:variant:DesiredInstanceCount"
        (policy,) = synth.resources(
            stage, "Ml", "AWS::ApplicationAutoScaling::ScalingPolicy"
        ).values()
        spec = policy["Properties"]["TargetTrackingScalingPolicyConfiguration"]
        assert spec["PredefinedMetricSpecification"]["PredefinedMetricType"] == (
            "SageMakerVariantInvocationsPerInstance"
        )
