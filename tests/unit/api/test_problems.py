from tests.unit.api.conftest import application_body


def test_a_422_names_the_products_term_range_in_words(client, alice):
    body = application_body()
    body["request"]["tenure_months"] = 0  # below the schema's minimum of 1
    r = client.post("/v1/applications", json=body, headers=alice)
    assert r.status_code == 422
    problem = r.json()
    message = problem["errors"][0]["message"]
    assert problem["errors"][0]["field"] == "request.tenure_months"
    assert message.startswith("Term must be between ") and message.endswith("months for a car loan")
    assert "Input should" not in problem["detail"] and "tenure_months:" not in problem["detail"]


def test_a_422_without_a_product_uses_the_catalogue_wording(client, alice):
    app = client.post("/v1/applications", json=application_body(), headers=alice).json()
    url = f"/v1/applications/{app['application_id']}/offers/adjust"
    r = client.post(url, json={"tenure_months": 0}, headers=alice)
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "Term must be at least 1"
