"""Generate the product sheets and the eligibility overview from the lending policy.

These documents are never written by hand: every number in them is read from
`lending.policy.load_policy()` (and the example payment from `lending.amortization`), so the
knowledge base cannot disagree with the offer engine. A policy change produces new text, a
new content hash, and therefore a new document version at the next sync.
"""

from __future__ import annotations

from decimal import Decimal

from lending.amortization import monthly_payment, total_interest
from lending.policy import Policy, Product, load_policy
from retrieval.documents import ParsedDocument, parse_markdown

_PURPOSE = {
    "car": "buy a new or used car, financed against the vehicle",
    "home": "buy, build or refinance a home, secured by a mortgage on the property",
    "gold": "borrow quickly against gold jewellery or coins held in our vault",
    "education": "pay tuition, living costs and study expenses, with repayment after studies",
    "personal": "borrow for any personal purpose without collateral",
    "medical": "pay for treatment, surgery or medical devices, paid straight to the provider",
}
_DECISION_TEXT = {
    "approved": "approved",
    "conditionally_approved": "approved on condition that documents are verified",
    "referred": "referred to a loan officer for review",
    "declined": "declined",
}


def _usd(value: Decimal) -> str:
    return f"${value:,.0f}" if value == value.to_integral() else f"${value:,.2f}"


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def _product_sheet(name: str, product: Product, policy: Policy) -> str:
    rates, tenure, amount = product.annual_rate_pct, product.tenure_months, product.amount
    example_amount = (amount.min + amount.max) / 2
    example_amount = Decimal(int(example_amount / 1000) * 1000) or amount.min
    example_months = min(max(tenure.min, 36), tenure.max)
    payment = monthly_payment(example_amount, rates.min, example_months)
    interest = total_interest(example_amount, rates.min, example_months)
    docs = "\n".join(f"- {d}" for d in [*policy.conditional_documents, *product.documents])
    ltv = (
        f"\n- You can borrow at most {_pct(product.max_ltv_pct)} of the market value of the "
        "pledged collateral (loan-to-value)."
        if product.max_ltv_pct is not None
        else ""
    )
    fee = (
        "No origination (processing) fee."
        if product.origination_fee_pct == 0
        else f"A one-time origination (processing) fee of {_pct(product.origination_fee_pct)} "
        "of the loan amount, included in the APR."
    )
    return f"""---
id: product-{name}
title: "{product.label}: product sheet"
products: [{name}]
effective_date: {policy.effective_date}
version: 1
policy_version: "{policy.version}"
generated_from: lending/policy
---
# {product.label}

## Overview
The {product.label.lower()} lets you {_PURPOSE.get(name, "borrow for this purpose")}. The rate is
fixed for the whole term and you repay in equal monthly instalments (EMI).

## Amount and tenure
- Amount: from {_usd(amount.min)} to {_usd(amount.max)}.
- Tenure (term): from {tenure.min} to {tenure.max} months.{ltv}

## Interest rate and fees
- Annual interest rate: from {_pct(rates.min)} to {_pct(rates.max)} a year, fixed; your
  position in the range depends on your risk tier (A lowest, E highest).
- {fee}
- Late fee: the greater of {_pct(policy.late_fee.pct_of_instalment)} of the missed instalment
  or {_usd(policy.late_fee.minimum)}.

## Eligibility
- Minimum age: {policy.min_age(name)} years.
- Minimum credit score: {policy.min_credit_score(name)}.
- Minimum gross monthly income: {_usd(product.min_monthly_income)} a month.
- Maximum debt-to-income ratio including the new instalment: {_pct(policy.max_dti_pct(name))}.

## Documents required
{docs}

## Example monthly payment
Borrowing {_usd(example_amount)} over {example_months} months at the lowest rate of
{_pct(rates.min)} gives a monthly instalment of {_usd(payment)} and total interest of
{_usd(interest)}. Your own offer depends on your tier, amount and tenure.
"""


def _eligibility_overview(policy: Policy) -> str:
    tiers = "\n".join(
        f"- Tier {tier}: {_DECISION_TEXT.get(rule.decision, rule.decision)}."
        for tier, rule in sorted(policy.tiers.items())
    )
    rows = "\n".join(
        f"- {p.label}: credit score {policy.min_credit_score(n)}+, income "
        f"{_usd(p.min_monthly_income)}/month+, DTI up to {_pct(policy.max_dti_pct(n))}, "
        f"age {policy.min_age(n)}+."
        for n, p in policy.products.items()
    )
    return f"""---
id: eligibility-overview
title: "Who can borrow: general eligibility rules"
products: [{", ".join(policy.products)}]
effective_date: {policy.effective_date}
version: 1
policy_version: "{policy.version}"
generated_from: lending/policy
---
# Who can borrow

## Rules for every product
- You must be at least {policy.general.min_age} years old.
- Your credit score must be at least {policy.general.min_credit_score}.
- Your gross income must be at least {_usd(policy.general.min_annual_income)} a year.
- Your debt-to-income ratio, including the new instalment, may not exceed
  {_pct(policy.general.max_dti_pct)}.
Each product can be stricter; the stricter rule applies.

## Minimums by product
{rows}

## Decision by risk tier
When you meet every rule, the risk tier from the credit model sets the decision:
{tiers}

## Employment and students
Salaried, self-employed and retired applicants (pension income counts) can apply. Students
apply for education loans with a parent or guardian as co-applicant.
"""


def generated_documents(policy: Policy | None = None) -> list[ParsedDocument]:
    """Return the product sheets and eligibility overview for `policy` (default: current)."""
    policy = policy or load_policy()
    texts = [_product_sheet(n, p, policy) for n, p in policy.products.items()]
    texts.append(_eligibility_overview(policy))
    return [parse_markdown(t, source="lending policy") for t in texts]
