"""The KB must never disagree with the offer engine: numbers come from the policy."""

import re
from decimal import Decimal

from lending.amortization import monthly_payment
from lending.policy import load_policy
from retrieval.product_sheets import generated_documents
from retrieval.updates import CORPUS_DIR


def _body(doc_id):
    return next(d for d in generated_documents() if d.doc_id == doc_id).body


def _pct(value):
    return f"{Decimal(value).normalize():f}%"


def test_every_product_sheet_states_the_policy_numbers():
    policy = load_policy()
    for name, product in policy.products.items():
        body = _body(f"product-{name}")
        assert f"from {product.tenure_months.min} to {product.tenure_months.max} months" in body
        assert (
            f"from {_pct(product.annual_rate_pct.min)} to {_pct(product.annual_rate_pct.max)}"
            in body
        )
        assert f"${product.amount.min:,.0f} to ${product.amount.max:,.0f}" in body
        assert f"Minimum credit score: {policy.min_credit_score(name)}." in body
        assert f"{_pct(policy.max_dti_pct(name))}" in body
        for document in product.documents:
            assert document in body


def test_example_payment_is_the_amortisation_engine_figure():
    body = _body("product-car")
    match = re.search(
        r"Borrowing \$([\d,]+) over (\d+) months at the lowest rate of\s+([\d.]+)%"
        r" gives a monthly instalment of \$([\d,.]+)",
        body,
    )
    assert match
    amount, months, rate, payment = match.groups()
    expected = monthly_payment(Decimal(amount.replace(",", "")), Decimal(rate), int(months))
    assert Decimal(payment.replace(",", "")) == expected


def test_policy_change_changes_the_generated_text():
    policy = load_policy()
    car = policy.products["car"]
    cheaper = car.model_copy(update={"min_credit_score": car.min_credit_score + 10})
    changed = policy.model_copy(update={"products": {**policy.products, "car": cheaper}})
    before = {d.doc_id: d.content_hash for d in generated_documents(policy)}
    after = {d.doc_id: d.content_hash for d in generated_documents(changed)}
    assert before["product-car"] != after["product-car"]
    assert before["product-home"] == after["product-home"]


def test_hand_written_documents_quote_the_policy_where_they_give_numbers():
    policy = load_policy()
    late = (CORPUS_DIR / "late-payment-fees.md").read_text()
    assert f"greater of {_pct(policy.late_fee.pct_of_instalment)} of the missed instalment" in late
    assert f"or {policy.late_fee.minimum:.0f} dollars" in late
    gold = (CORPUS_DIR / "gold-loan-valuation.md").read_text()
    assert f"up to {_pct(policy.products['gold'].max_ltv_pct)} of the market value" in gold
