"""Monitoring unit: the alarm rule file's alarms (to an SNS topic) and one dashboard.

Each rule of `core/alarm_rules.yaml` with a `cloudwatch` block names a metric family; `_metrics`
maps it to the real metric of this stage (several for DynamoDB: one alarm per table). Business
KPIs and guard rejections are the API's own catalogue metrics (`core.metrics.CATALOGUE`), which
its EMF lines publish in the `LoanAdvisor` namespace under their catalogue names with the
`service` dimension plus one dimension per label. An alarm or graph on a plain metric would see
only one label combination, so those are Metrics Insights queries summing over the labels.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_dynamodb as ddb
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from core.metrics import CATALOGUE
from infra.alarm_rules import AlarmRule, AlarmRules

EMF_NAMESPACE = "LoanAdvisor"
KPI_METRICS = ("chat_turns_total", "applications_submitted_total", "funnel_steps_total")


class Monitoring(Construct):
    """Alarms from the rule file, the alarm topic and the stage's dashboard."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        stage: str,
        rules: AlarmRules,
        alarm_email: str | None,
        api: apigw.RestApi,
        function: lambda_.IFunction,
        scoring_metric: Callable[[str, str, cdk.Duration], cloudwatch.Metric],
        tables: dict[str, ddb.ITable],
    ) -> None:
        super().__init__(scope, construct_id)
        self.stage = stage
        self._api, self._fn, self._scoring, self._tables = api, function, scoring_metric, tables
        self.topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name=f"Loan Advisor {stage} alarms",
            master_key=kms.Alias.from_alias_name(self, "SnsKey", "alias/aws/sns"),
            enforce_ssl=True,
        )
        if alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(alarm_email))
        self.alarms: dict[str, cloudwatch.Alarm] = {}
        for rule in rules.rules:
            for suffix, metric in self._metrics(rule).items():
                alarm = cloudwatch.Alarm(
                    self,
                    f"Alarm-{rule.id}{suffix}",
                    alarm_name=f"loan-advisor-{stage}-{rule.id}{suffix}",
                    alarm_description=rule.description,
                    metric=metric,
                    threshold=rule.threshold,
                    evaluation_periods=rule.evaluation_periods,
                    comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                    treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                )
                alarm.add_alarm_action(actions.SnsAction(self.topic))
                alarm.add_ok_action(actions.SnsAction(self.topic))
                self.alarms[f"{rule.id}{suffix}"] = alarm
        self.dashboard = self._dashboard()

    def emf(self, name: str, period: cdk.Duration, statistic: str = "Sum") -> cloudwatch.IMetric:
        """Return a catalogue metric the API publishes as EMF, reduced over all its labels.

        `statistic` is a Metrics Insights function: Sum, Avg, Min, Max or Count.
        """
        dimensions = ", ".join(["service", *CATALOGUE[name].labels])
        function = statistic.upper()
        return cloudwatch.MathExpression(
            expression=f'SELECT {function}({name}) FROM SCHEMA("{EMF_NAMESPACE}", {dimensions})',
            using_metrics={},
            label=name,
            period=period,
        )

    def _metrics(self, rule: AlarmRule) -> dict[str, cloudwatch.IMetric]:
        period = cdk.Duration.seconds(rule.period_seconds)
        stat = rule.statistic
        if rule.source == "api.5xx":
            return {"": self._api.metric_server_error(period=period, statistic=stat)}
        if rule.source == "api.latency":
            return {"": self._api.metric_latency(period=period, statistic=stat)}
        if rule.source == "lambda.errors":
            return {"": self._fn.metric_errors(period=period, statistic=stat)}
        if rule.source == "lambda.throttles":
            return {"": self._fn.metric_throttles(period=period, statistic=stat)}
        if rule.source == "sagemaker.model_latency":
            return {"": self._scoring("ModelLatency", stat, period)}
        if rule.source == "sagemaker.errors":
            return {"": self._scoring("Invocation5XXErrors", stat, period)}
        if rule.source == "dynamodb.throttles":
            return {f"-{name}": _throttles(name, t, period) for name, t in self._tables.items()}
        return {"": self.emf(rule.metric, period, stat)}

    def _dashboard(self) -> cloudwatch.Dashboard:
        five = cdk.Duration.minutes(5)
        board = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"loan-advisor-{self.stage}")

        def graph(title: str, metrics: list[cloudwatch.IMetric]) -> cloudwatch.GraphWidget:
            return cloudwatch.GraphWidget(title=title, left=metrics, width=8, height=6)

        api = self._api
        board.add_widgets(
            graph("API requests", [api.metric_count(period=five)]),
            graph(
                "API errors",
                [api.metric_client_error(period=five), api.metric_server_error(period=five)],
            ),
            graph(
                "API latency p50/p95",
                [
                    api.metric_latency(period=five, statistic="p50"),
                    api.metric_latency(period=five, statistic="p95"),
                ],
            ),
        )
        fn = self._fn
        board.add_widgets(
            graph(
                "Lambda invocations / errors / throttles",
                [
                    fn.metric_invocations(period=five),
                    fn.metric_errors(period=five),
                    fn.metric_throttles(period=five),
                ],
            ),
            graph("Lambda duration p95", [fn.metric_duration(period=five, statistic="p95")]),
            graph(
                "Lambda concurrency",
                [fn.metric("ConcurrentExecutions", period=five, statistic="Maximum")],
            ),
        )
        board.add_widgets(
            graph("Scoring invocations", [self._scoring("Invocations", "Sum", five)]),
            graph("Scoring model latency p95 (us)", [self._scoring("ModelLatency", "p95", five)]),
            graph(
                "Scoring 4xx/5xx",
                [
                    self._scoring("Invocation4XXErrors", "Sum", five),
                    self._scoring("Invocation5XXErrors", "Sum", five),
                ],
            ),
        )
        board.add_widgets(
            graph(
                "DynamoDB consumed reads",
                [t.metric_consumed_read_capacity_units(period=five) for t in self._tables.values()],
            ),
            graph(
                "DynamoDB consumed writes",
                [
                    t.metric_consumed_write_capacity_units(period=five)
                    for t in self._tables.values()
                ],
            ),
            graph("DynamoDB throttles", [_throttles(n, t, five) for n, t in self._tables.items()]),
        )
        board.add_widgets(
            graph("Business KPIs", [self.emf(n, five) for n in KPI_METRICS]),
            graph("Guard rejections", [self.emf("guard_rejections_total", five)]),
            cloudwatch.AlarmStatusWidget(
                title="Alarms", alarms=list(self.alarms.values()), width=8, height=6
            ),
        )
        return board


def _throttles(key: str, table: ddb.ITable, period: cdk.Duration) -> cloudwatch.IMetric:
    """Return read + write throttle events of a table as one metric (ids unique per table)."""
    r, w = f"r_{key.replace('-', '_')}", f"w_{key.replace('-', '_')}"
    return cloudwatch.MathExpression(
        expression=f"{r} + {w}",
        using_metrics={
            r: table.metric("ReadThrottleEvents", period=period, statistic="Sum"),
            w: table.metric("WriteThrottleEvents", period=period, statistic="Sum"),
        },
        label=f"{table.table_name} throttles",
        period=period,
    )
