from decimal import Decimal

import pytest
from pydantic import ValidationError

from lending.decision import decide
from lending.messages import (
    accept_blocked,
    catalogue,
    conversation_topic,
    customer_decision,
    customer_reasons,
    documents_remaining,
    field_error,
    plural,
    range_error,
    select_reasons,
    status_phrase,
    status_text,
    unknown_document,
)
from lending.policy import load_policy
from lending.schemas import LoanRequest
from storage.records import ApplicationStatus
from tests.unit.lending.lending_strategies import POLICY, applicant, risk

REQ = LoanRequest(product="car", amount=Decimal(20000), tenure_months=48)
MANY = [
    "Credit score is too low for the amount requested",
    "Debt obligations are too high relative to income",
    "Debt obligations are too high relative to income",
    "Housing status indicates higher risk",
    "Too many existing credit obligations",
    "Length of employment is too short",
]


def _declined_with_everything():
    a = applicant(credit_score=640, monthly_debt_payments=Decimal(2500))
    r = risk("E").model_copy(update={"reasons": MANY, "probability_of_default": 0.871})
    return decide(a, REQ, r, POLICY)


def test_a_decline_lists_at_most_four_specific_sentences_without_tier_or_probability():
    d = _declined_with_everything()
    assert len(d.reasons) > 4  # the engine keeps every reason for staff and replay
    shown = customer_reasons(d)
    assert len(shown) == 4
    assert (
        shown[0] == f"This loan needs a credit score of at least {POLICY.min_credit_score('car')}"
    )
    assert shown[1].startswith("Your monthly debts with this loan would be ")
    assert shown[1].endswith(f"; our limit is {POLICY.max_dti_pct('car')}%")
    text = " ".join(shown).lower()
    assert "tier" not in text and "probability" not in text and "87.1" not in text
    assert all(s[0].isupper() and not s.endswith(".") for s in shown)


def test_reasons_are_deduplicated_ignoring_case():
    r = risk("E").model_copy(update={"reasons": ["Too short", "too short", "Too short."]})
    assert customer_reasons(decide(applicant(), REQ, r, POLICY)) == ["Too short"]


def test_an_approval_never_shows_model_reasons_and_shows_the_rate():
    d = decide(applicant(), REQ, risk("A"), POLICY).model_copy(
        update={"reasons": [], "outcome": "approved"}
    )
    d = d.model_copy(
        update={
            "reasons": [
                *d.reasons,
                *decide(applicant(), REQ, risk("E"), POLICY).reasons,
            ]
        }
    )
    view = customer_decision(d)
    assert view.reasons == []
    assert view.show_rate is True
    assert view.headline == "Your application is approved"


def test_a_decline_hides_the_tier_rate_and_a_condition_lists_documents():
    assert customer_decision(_declined_with_everything()).show_rate is False
    cond = customer_decision(decide(applicant(), REQ, risk("C"), POLICY))
    assert cond.outcome == "conditionally_approved"
    assert cond.required_documents and cond.reasons == []
    assert "conditions" in cond.headline


def test_a_missing_score_reads_as_a_manual_review():
    view = customer_decision(decide(applicant(credit_score=None), REQ, risk("A"), POLICY))
    assert view.reasons == [
        "We have no credit score for you, so a loan officer will review your credit history"
    ]
    assert view.show_rate is False


@pytest.mark.parametrize(
    ("count", "expected"), [(0, "0 dependents"), (1, "1 dependent"), (3, "3 dependents")]
)
def test_plural(count, expected):
    assert plural(count, "dependent") == expected


def test_statuses_read_in_words_and_unknown_ones_fall_back():
    assert status_text("offer_accepted").label == "Offer accepted"
    assert "cooling-off" in status_text("offer_accepted").next
    assert status_text("pending_documents").label == "Pending documents"


def test_range_errors_come_from_the_policy():
    car = POLICY.products["car"]
    assert range_error("tenure_months", "car") == (
        f"Term must be between {car.tenure_months.min} and {car.tenure_months.max} months"
        " for a car loan"
    )
    assert range_error("amount", "car") == (
        f"Amount must be between ${car.amount.min:,.0f} and ${car.amount.max:,.0f} for a car loan"
    )
    assert range_error("tenure_months", "no-such-product") is None


def _pydantic_error(**request):
    body = {"product": "car", "amount": "20000", "tenure_months": 48, **request}
    with pytest.raises(ValidationError) as info:
        LoanRequest.model_validate(body)
    err = info.value.errors()[0]
    return {**err, "loc": ("body", "request", *err["loc"])}, {"request": body}


def test_a_pydantic_term_error_names_the_products_range_not_pydantics_text():
    err, body = _pydantic_error(tenure_months=0)
    msg = field_error(err, body)
    assert msg.startswith("Term must be between ") and msg.endswith(" months for a car loan")
    assert "Input should" not in msg


def test_field_errors_without_a_product_use_the_catalogue_wording():
    err = {"type": "greater_than_equal", "loc": ("body", "tenure_months"), "ctx": {"ge": 1}}
    assert field_error(err, {"tenure_months": 0}) == "Term must be at least 1"
    assert field_error({"type": "missing", "loc": ("body", "email")}) == "Email is required"
    odd = {"type": "something_new", "loc": ("body", "favourite_colour")}
    assert field_error(odd) == "Favourite colour is not valid"
    value = {"type": "value_error", "loc": ("body",), "msg": "Value error, gold value needed"}
    assert field_error(value) == "Gold value needed"


def test_every_outcome_has_text_and_every_template_placeholder_is_known():
    messages = catalogue()
    assert set(messages.outcomes) == {"approved", "conditionally_approved", "referred", "declined"}
    for template in messages.reasons.values():
        template.format(limit="1", actual="2", limit_money="$3")


def test_tool_json_reasons_read_the_same_as_models():
    d = _declined_with_everything()
    as_json = [r.model_dump(mode="json") for r in d.reasons]
    assert select_reasons("declined", as_json) == customer_reasons(d)
    odd = [{"code": "NOT_A_CODE", "message": "something odd"}, "plain text", {"message": ""}]
    assert select_reasons("declined", odd) == ["Something odd", "Plain text"]
    assert select_reasons("approved", ["Housing status indicates higher risk"]) == []


def test_every_status_and_outcome_reads_inside_a_sentence():
    for status in ApplicationStatus:
        assert status.value in catalogue().status_phrases
    assert status_phrase("referred") == "with a loan officer for review"
    assert status_phrase("offer_accepted") == "accepted"
    assert status_phrase("some_new_state") == "some new state"
    assert {t.decision for t in load_policy().tiers.values()} <= set(catalogue().status_phrases)


def test_accept_waits_for_named_documents_and_unknown_ones_list_what_is_asked():
    text = accept_blocked(["Photo ID", "Bank statements"])
    assert text == "Before you can accept, we need: Photo ID; Bank statements."
    assert "this page" not in text  # said in the chat too, where there is no page
    assert unknown_document("Passport", []).endswith("the documents it needs are: none")


def test_documents_remaining_counts_what_is_still_needed_or_thanks_when_all_are_in():
    assert documents_remaining(1, 2) == (
        "Your approval is conditional: 1 of 2 still needed before you can accept."
    )
    assert documents_remaining(0, 2) == "Thank you: every document is in."


def test_a_conversation_is_titled_by_the_product_it_is_about():
    assert conversation_topic("car") == "Car loan question"
    assert conversation_topic("scooter") == "Scooter question"  # not offered: its own word
