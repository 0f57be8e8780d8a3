"""REST: a conditional approval lists its documents and Accept waits for them (409 in words)."""

from tests.unit.api.conftest import application_body


def _conditional(client, headers):
    r = client.post("/v1/applications", json=application_body(credit_score=680), headers=headers)
    assert r.status_code == 201 and r.json()["decision"]["outcome"] == "conditionally_approved"
    return r.json()


def test_accept_waits_for_the_documents_then_goes_through(client, alice):
    app = _conditional(client, alice)
    base = f"/v1/applications/{app['application_id']}"
    names = [d["name"] for d in app["documents"]]
    assert names[0] == "Government-issued photo ID" and not any(
        d["provided"] for d in app["documents"]
    )
    assert app["accept_blocked"].startswith("Before you can accept, we need: Government")
    offers = client.get(f"{base}/offers", headers=alice).json()
    assert offers["accept_blocked"] == app["accept_blocked"] and len(offers["documents"]) == 4
    first = offers["offers"][0]["offer_id"]
    refused = client.post(f"{base}/offers/{first}/accept", headers=alice)
    assert refused.status_code == 409
    assert refused.json()["detail"] == app["accept_blocked"]
    for name in names:
        r = client.post(f"{base}/documents", json={"name": name}, headers=alice)
        assert r.status_code == 200, r.text
    assert r.json()["accept_blocked"] is None and all(d["provided"] for d in r.json()["documents"])
    assert r.json()["history"][-1]["note"] == f"document provided: {names[-1]}"
    assert client.post(f"{base}/offers/{first}/accept", headers=alice).status_code == 200


def test_bad_names_other_people_and_closed_applications_are_refused(client, alice, bob):
    app = _conditional(client, alice)
    url = f"/v1/applications/{app['application_id']}/documents"
    unknown = client.post(url, json={"name": "Passport"}, headers=alice)
    assert unknown.status_code == 422
    assert "does not ask for 'Passport'" in unknown.json()["detail"]
    body = {"name": "Government-issued photo ID"}
    assert client.post(url, json=body, headers=bob).status_code == 404
    assert client.post(url, json=body).status_code == 401
    file = client.post(url, json={**body, "document_id": "doc_nothere1"}, headers=alice)
    assert file.status_code == 404
    client.post(f"/v1/applications/{app['application_id']}/withdraw", headers=alice)
    closed = client.post(url, json=body, headers=alice)
    assert closed.status_code == 409 and "withdrawn" in closed.json()["detail"]
