"""GET /v1/experiments/assignment: UI experiment arms per user, with recorded exposures."""

from tests.unit.api.conftest import sign_up

URL = "/v1/experiments/assignment"


def test_assignment_is_stable_per_user_and_recorded(client, alice, staff):
    first = client.get(URL, headers=alice)
    assert first.status_code == 200
    body = first.json()
    assert body["variants"]["chat_layout"] in ("panel", "floating")
    assert body["variants"]["offer_presentation"] in ("cards", "table")
    assert body["experiment_ids"] == {
        "chat_layout": "chat_layout/v1",
        "offer_presentation": "offer_presentation/v1",
    }
    assert client.get(URL, headers=alice).json() == body
    view = client.get("/v1/staff/experiments", headers=staff).json()
    arms = {(a["experiment_id"], a["variant"]): a for a in view["ui_arms"]}
    for name, value in body["variants"].items():
        assert arms[(f"{name}/v1", value)]["exposures"] == 2
        assert arms[(f"{name}/v1", value)]["users"] == 1
    assert view["arms"] == [] and view["window_events"] == 0  # prompt arms are apart
    assert "usr_" not in str(view)


def test_both_arms_reachable_across_users(client):
    seen: dict[str, set[str]] = {}
    for _ in range(12):
        variants = client.get(URL, headers=sign_up(client)).json()["variants"]
        for name, value in variants.items():
            seen.setdefault(name, set()).add(value)
    assert seen == {"chat_layout": {"panel", "floating"}, "offer_presentation": {"cards", "table"}}


def test_needs_sign_in(client):
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers={"Authorization": "Bearer nope"}).status_code == 401


def test_a_running_ui_experiment_drives_the_assignment_and_exposes_once(client, alice, staff):
    from experiments.catalogue import DEFINITIONS_DIR

    text = (DEFINITIONS_DIR / "chat_layout_v1.yaml").read_text().replace("version: 1", "version: 2")
    assert (
        client.post("/v1/experiments", json={"definition": text}, headers=staff).status_code == 201
    )
    started = client.post("/v1/experiments/chat_layout/versions/2/start", headers=staff)
    assert started.json()["definition"]["status"] == "running"
    first = client.get(URL, headers=alice).json()
    assert first["experiment_ids"]["chat_layout"] == "chat_layout/v2"
    assert client.get(URL, headers=alice).json() == first
    results = client.get("/v1/experiments/chat_layout/results", headers=staff).json()
    assert results["exposures"][first["variants"]["chat_layout"]] == 1
    assert sum(results["exposures"].values()) == 1
    renamed = text.replace("name: floating", "name: sidebar")
    refused = client.post("/v1/experiments", json={"definition": renamed}, headers=staff)
    assert refused.status_code == 422  # the web app knows panel and floating only
