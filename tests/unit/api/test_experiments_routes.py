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
