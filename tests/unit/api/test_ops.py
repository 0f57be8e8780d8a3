"""Step events, the staff KPI route and the submission counter on /metrics."""

from __future__ import annotations

from tests.unit.api.conftest import application_body, log_in_staff


def test_step_events_feed_the_form_funnel_in_staff_kpis(client, alice, bob) -> None:
    for step in ("about_you", "work_income", "loan"):
        r = client.post("/v1/events/step", headers=alice,
                        json={"step": step, "session": "draft-0001"})  # fmt: skip
        assert r.status_code == 201, r.text
    same_id = {"step": "about_you", "session": "draft-0001"}
    assert client.post("/v1/events/step", headers=bob, json=same_id).status_code == 201
    staff = log_in_staff(client)
    body = client.get("/v1/staff/kpis", headers=staff).json()
    form = next(f for f in body["funnels"] if f["channel"] == "form")
    # same client session id for two users stays two sessions
    assert [s["sessions"] for s in form["steps"]][:4] == [2, 1, 1, 1]
    assert form["steps"][1]["drop_off"] == 0.5


def test_step_event_validation_and_auth(client, alice) -> None:
    r = client.post(
        "/v1/events/step", headers=alice, json={"step": "teleport", "session": "s-0001"}
    )
    assert r.status_code == 422 and "unknown step" in r.text.lower()
    r = client.post("/v1/events/step", headers=alice, json={"step": "loan", "session": "x"})
    assert r.status_code == 422
    r = client.post("/v1/events/step", json={"step": "loan", "session": "draft-0001"})
    assert r.status_code == 401


def test_kpis_are_staff_only(client, alice) -> None:
    assert client.get("/v1/staff/kpis", headers=alice).status_code == 403
    assert client.get("/v1/staff/kpis").status_code == 401


def test_submission_counts_on_metrics_and_in_kpis(client, alice) -> None:
    r = client.post("/v1/applications", headers=alice, json=application_body())
    assert r.status_code == 201, r.text
    outcome = r.json()["decision"]["outcome"]
    client.post("/v1/feedback/rating", headers=alice, json={"rating": 4})
    text = client.get("/metrics").text
    assert f'applications_submitted_total{{channel="form",outcome="{outcome}"}} 1.0' in text
    assert 'feedback_total{kind="rating",value="4"} 1.0' in text
    body = client.get("/v1/staff/kpis?days=7", headers=log_in_staff(client)).json()
    assert body["applications"] == 1
    assert body["feedback"]["ratings"] == 1 and body["feedback"]["mean_rating"] == 4.0


def test_ops_health_evaluates_alarms_on_this_process_and_reads_the_drift_report(
    client, alice, settings
) -> None:
    from scoring.drift import DriftReport, FeatureDrift

    staff = log_in_staff(client)
    assert client.get("/v1/staff/ops-health", headers=alice).status_code == 403
    first = client.get("/v1/staff/ops-health", headers=staff).json()
    assert first["drift"] is None
    rules = {a["rule"]: a for a in first["alarms"]}
    assert rules["drift_psi"]["value"] is None and not rules["drift_psi"]["firing"]  # no report
    assert rules["scorer_failures"]["firing"] is False  # evaluated on this app's own metrics
    feature = FeatureDrift(feature="annual_income", kind="numeric", psi=0.4, level="act",
                           n_reference=100, n_recent=50)  # fmt: skip
    folder = settings.var_dir / "ops" / "drift"
    folder.mkdir(parents=True)
    report = DriftReport(features=[feature], level="act")
    (folder / "drift.json").write_text(report.model_dump_json())
    second = client.get("/v1/staff/ops-health", headers=staff).json()
    drift = next(a for a in second["alarms"] if a["rule"] == "drift_psi")
    assert drift["value"] == 0.4 and drift["firing"] is True
    assert second["drift"]["features"][0]["feature"] == "annual_income"
