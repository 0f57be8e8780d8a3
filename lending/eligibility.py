"""Eligibility rules: input bounds (typed errors) and every failed policy rule (reasons).

Bad input (an unknown product, an amount or tenure outside the product's range, a gold loan
without the gold's value) raises `ValidationFailed` naming the field and the allowed range,
because no decision can be made on it. Everything else is a rule the applicant can fail;
all failed rules are reported, not only the first, so advice can address each one.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from core.errors import ValidationFailed
from lending.policy import Policy, Product
from lending.schemas import ApplicantProfile, LoanRequest, Reason

_CENT = Decimal("0.01")


def check_terms(policy: Policy, name: str, amount: Decimal, tenure_months: int) -> Product:
    """Return product `name` after checking amount and tenure; raise ValidationFailed if out."""
    product = policy.product(name)
    if amount not in product.amount:
        raise ValidationFailed(
            f"amount must be between ${product.amount.min:,.0f} and ${product.amount.max:,.0f}"
            f" for a {product.label} (got ${amount:,.2f})",
            field="amount",
        )
    if tenure_months not in product.tenure_months:
        raise ValidationFailed(
            f"tenure must be between {product.tenure_months.min} and "
            f"{product.tenure_months.max} months for a {product.label} (got {tenure_months})",
            field="tenure_months",
        )
    return product


def check_request(request: LoanRequest, policy: Policy) -> Product:
    """Return the request's product after checking bounds; raise ValidationFailed if out."""
    product = check_terms(policy, request.product, request.amount, request.tenure_months)
    if product.max_ltv_pct is not None and request.gold_value is None:
        raise ValidationFailed(
            f"a {product.label} needs gold_value, the market value of the pledged gold in USD "
            f"(we lend up to {product.max_ltv_pct}% of it)",
            field="gold_value",
        )
    return product


def monthly_income(applicant: ApplicantProfile, request: LoanRequest) -> Decimal:
    """Return gross monthly income incl. any co-borrower (USD/month, unrounded)."""
    return (applicant.annual_income + (request.co_borrower_annual_income or 0)) / 12


def dti_pct(applicant: ApplicantProfile, request: LoanRequest, payment: Decimal) -> Decimal:
    """Return DTI incl. the new `payment`, percent, rounded UP to 0.01 (never flatters)."""
    ratio = (applicant.monthly_debt_payments + payment) * 100 / monthly_income(applicant, request)
    return ratio.quantize(_CENT, rounding=ROUND_CEILING)


def fits_dti(
    applicant: ApplicantProfile, request: LoanRequest, payment: Decimal, policy: Policy
) -> bool:
    """Return whether debts + `payment` stay within the effective DTI cap (exact comparison)."""
    cap = policy.max_dti_pct(request.product)
    income = monthly_income(applicant, request)
    return (applicant.monthly_debt_payments + payment) * 100 <= cap * income


def max_affordable_payment(
    applicant: ApplicantProfile, request: LoanRequest, policy: Policy
) -> Decimal:
    """Return the largest new monthly payment the DTI cap allows (USD, floored to the cent)."""
    cap = policy.max_dti_pct(request.product)
    room = cap * monthly_income(applicant, request) / 100 - applicant.monthly_debt_payments
    return max(Decimal(0), room.quantize(_CENT, rounding=ROUND_FLOOR))


def max_ltv_amount(request: LoanRequest, policy: Policy) -> Decimal | None:
    """Return the largest principal the collateral allows (USD), or None if unsecured."""
    product = policy.product(request.product)
    if product.max_ltv_pct is None or request.gold_value is None:
        return None
    return (request.gold_value * product.max_ltv_pct / 100).quantize(_CENT, rounding=ROUND_FLOOR)


def applicant_failures(
    applicant: ApplicantProfile, request: LoanRequest, policy: Policy
) -> list[Reason]:
    """Return the failed rules about the applicant (age, credit score, income)."""
    name = request.product
    label = policy.product(name).label
    out: list[Reason] = []
    min_age = policy.min_age(name)
    if applicant.age < min_age:
        out.append(
            Reason(
                code="AGE_BELOW_MIN",
                message=f"a {label} requires age {min_age} or over",
                field="age",
                limit=str(min_age),
                actual=str(applicant.age),
            )
        )
    min_score = policy.min_credit_score(name)
    if applicant.credit_score is None:
        out.append(
            Reason(
                code="CREDIT_SCORE_MISSING",
                message="no credit score on file; a loan officer must review the credit history",
                field="credit_score",
                limit=str(min_score),
            )
        )
    elif applicant.credit_score < min_score:
        out.append(
            Reason(
                code="CREDIT_SCORE_BELOW_MIN",
                message=f"a {label} requires a credit score of at least {min_score}",
                field="credit_score",
                limit=str(min_score),
                actual=str(applicant.credit_score),
            )
        )
    annual = applicant.annual_income + (request.co_borrower_annual_income or 0)
    if annual < policy.general.min_annual_income:
        out.append(
            Reason(
                code="ANNUAL_INCOME_BELOW_MIN",
                message=f"annual income must be at least ${policy.general.min_annual_income:,.0f}",
                field="annual_income",
                limit=str(policy.general.min_annual_income),
                actual=str(annual),
            )
        )
    min_monthly = policy.product(name).min_monthly_income
    monthly = monthly_income(applicant, request)
    if monthly < min_monthly:
        out.append(
            Reason(
                code="MONTHLY_INCOME_BELOW_MIN",
                message=f"a {label} requires monthly income of at least ${min_monthly:,.0f}",
                field="annual_income",
                limit=str(min_monthly),
                actual=str(monthly.quantize(_CENT)),
            )
        )
    return out


def request_failures(
    applicant: ApplicantProfile, request: LoanRequest, payment: Decimal, policy: Policy
) -> list[Reason]:
    """Return the failed rules about the loan itself (DTI with the new payment, LTV)."""
    out: list[Reason] = []
    if not fits_dti(applicant, request, payment, policy):
        cap = policy.max_dti_pct(request.product)
        out.append(
            Reason(
                code="DTI_ABOVE_MAX",
                message=(
                    f"debts incl. the new ${payment:,.2f} payment would take "
                    f"{dti_pct(applicant, request, payment)}% of monthly income; the limit is "
                    f"{cap}%"
                ),
                field="monthly_debt_payments",
                limit=str(cap),
                actual=str(dti_pct(applicant, request, payment)),
            )
        )
    ltv_cap = max_ltv_amount(request, policy)
    if ltv_cap is not None and request.amount > ltv_cap:
        pct = policy.product(request.product).max_ltv_pct
        out.append(
            Reason(
                code="LTV_ABOVE_MAX",
                message=(f"we lend up to {pct}% of the pledged gold's value, i.e. ${ltv_cap:,.2f}"),
                field="gold_value",
                limit=str(ltv_cap),
                actual=str(request.amount),
            )
        )
    return out
