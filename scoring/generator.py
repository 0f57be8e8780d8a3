"""Synthetic applicants with the seed file's schema and a realistic, noisy default process.

The seed file's label is a deterministic rule (Approved <=> credit_score > 750 and DTI < 40), which
makes any model trivially perfect. This generator gives the product a non-trivial training set.

Generating process (all draws from one `numpy.random.Generator(seed)`):

1. Applicant: age ~ U{18..75}; employment depends on age (Retired mostly 60+); years employed
   bounded by age - 18; education; income ~ lognormal with education/employment effects (0.5% of
   incomes are recorded <= 0, as in the seed file); a latent *financial discipline* factor
   d ~ N(0, 1) shared by credit score (680 + 45 d + noise), savings, checking and DTI.
2. Loan: purpose-specific amount and term (years), existing loans ~ Poisson.
3. Latent risk (log-odds)::

       z = -2.4 - 1.2 d_score - 0.55 (log savings z) - 0.25 (log checking z)
           + 0.045 (DTI - 30) + 0.55 log1p(amount / income) + 0.18 existing_loans
           + 0.9 [Unemployed] + 0.25 [Self-Employed] - 0.03 min(years_employed, 15)
           + 0.35 [Rent] + 0.12 dependents
           + 0.6 [Unemployed] * log1p(amount / income)       # interaction: no income to repay
           + 0.03 [DTI > 40] * (DTI - 40) * (1 + [savings z < 0])  # stretched and no buffer
           - 0.4 [Home] * [Own or Mortgage]                  # secured by property
           + N(0, 0.35)                                       # unobserved heterogeneity

   bad = Bernoulli(sigmoid(z)); then 3% of labels are flipped (recording noise).
   Age and marital status have no direct effect (they are protected); age still correlates with
   years employed and retirement, which the fairness report can surface.
4. Post-decision columns, kept to mirror the seed schema and *leaky by construction*:
   payment_history is the credit band (Poor <= 600 < Fair <= 750 < Good), interest_rate is priced
   from the band plus the latent risk, monthly_payment is the annuity of amount, rate and term.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = [
    "customer_id", "age", "annual_income", "credit_score", "employment_status", "years_employed",
    "debt_to_income_ratio", "savings_balance", "checking_balance", "home_ownership",
    "marital_status", "num_dependents", "education_level", "loan_purpose",
    "requested_loan_amount", "existing_loans", "payment_history", "loan_term", "interest_rate",
    "monthly_payment", "approval_status",
]  # fmt: skip

_PURPOSE = {  # share, median amount (USD), amount sigma, term choices (years)
    "Car": (0.22, 25_000, 0.5, (3, 4, 5, 6)),
    "Home": (0.18, 250_000, 0.45, (10, 15, 20, 25, 30)),
    "Education": (0.18, 40_000, 0.6, (3, 5, 7, 10)),
    "Medical": (0.17, 15_000, 0.7, (1, 2, 3, 5)),
    "Personal": (0.25, 20_000, 0.7, (1, 2, 3, 4, 5)),
}
_EDU = ["High School", "Bachelor's", "Master's", "PhD"]
_EDU_INCOME = np.array([0.0, 0.25, 0.4, 0.5])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=float)


def _zscore(v: np.ndarray) -> np.ndarray:
    return np.asarray((v - v.mean()) / (v.std() + 1e-9), dtype=float)


def generate(rows: int, seed: int = 42, label_noise: float = 0.03) -> pd.DataFrame:
    """Return `rows` synthetic applications with the seed file's 21 columns (see module doc)."""
    if rows < 10:
        raise ValueError("rows must be at least 10")
    rng = np.random.default_rng(seed)
    n = rows
    age = rng.integers(18, 76, n)
    p_ret = np.clip((age - 58) / 12, 0, 0.85)
    u = rng.random(n)
    employment = np.where(
        u < p_ret,
        "Retired",
        np.where(
            rng.random(n) < 0.12,
            "Unemployed",
            np.where(rng.random(n) < 0.25, "Self-Employed", "Employed"),
        ),
    )
    years_employed = np.where(
        employment == "Unemployed",
        0,
        np.minimum(age - 18, rng.gamma(2.0, 4.0, n).astype(int)),
    ).astype(int)
    edu_idx = rng.choice(4, n, p=[0.35, 0.35, 0.2, 0.1])
    education = np.array(_EDU)[edu_idx]
    discipline = rng.normal(0, 1, n)
    log_income = (
        np.log(42_000)
        + _EDU_INCOME[edu_idx]
        + 0.012 * np.minimum(years_employed, 25)
        - 0.5 * (employment == "Unemployed")
        - 0.2 * (employment == "Retired")
        + 0.1 * discipline
        + rng.normal(0, 0.35, n)
    )
    income = np.round(np.exp(log_income), 2)
    bad_income = rng.random(n) < 0.005
    income[bad_income] = np.round(-rng.uniform(0, 30_000, bad_income.sum()), 2)
    credit_score = np.clip(np.round(680 + 45 * discipline + rng.normal(0, 25, n)), 300, 850).astype(
        int
    )
    savings = np.round(np.exp(np.log(15_000) + 0.6 * discipline + rng.normal(0, 0.9, n)), 2)
    checking = np.round(np.exp(np.log(5_000) + 0.3 * discipline + rng.normal(0, 0.8, n)), 2)
    dti = np.round(np.clip(30 - 5 * discipline + rng.normal(0, 9, n), 1, 65), 2)
    home = rng.choice(["Rent", "Own", "Mortgage"], n, p=[0.4, 0.25, 0.35])
    marital = rng.choice(
        ["Single", "Married", "Divorced", "Widowed"], n, p=[0.38, 0.42, 0.13, 0.07]
    )
    dependents = np.minimum(rng.poisson(1.0, n), 6)
    names = list(_PURPOSE)
    purpose = rng.choice(names, n, p=[_PURPOSE[k][0] for k in names])
    amount = np.empty(n)
    term = np.empty(n, dtype=int)
    for name, (_, median, sigma, terms) in _PURPOSE.items():
        m = purpose == name
        amount[m] = np.exp(np.log(median) + rng.normal(0, sigma, m.sum()))
        term[m] = rng.choice(terms, m.sum())
    amount = np.asarray(np.round(np.clip(amount, 1_000, 1_000_000), 2), dtype=float)
    existing = np.minimum(rng.poisson(1.5, n), 8)

    burden = np.log1p(amount / np.maximum(income, 5_000))
    z_sav, z_chk = _zscore(np.log(savings)), _zscore(np.log(checking))
    unemployed = (employment == "Unemployed").astype(float)
    z = (
        -2.4
        - 1.2 * _zscore(credit_score.astype(float))
        - 0.55 * z_sav
        - 0.25 * z_chk
        + 0.045 * (dti - 30)
        + 0.55 * burden
        + 0.18 * existing
        + 0.9 * unemployed
        + 0.25 * (employment == "Self-Employed")
        - 0.03 * np.minimum(years_employed, 15)
        + 0.35 * (home == "Rent")
        + 0.12 * dependents
        + 0.6 * unemployed * burden
        + 0.03 * np.clip(dti - 40, 0, None) * (1 + (z_sav < 0))
        - 0.4 * (purpose == "Home") * (home != "Rent")
        + rng.normal(0, 0.35, n)
    )
    bad = rng.random(n) < _sigmoid(z)
    flip = rng.random(n) < label_noise
    bad = np.where(flip, ~bad, bad)

    band = np.where(credit_score <= 600, "Poor", np.where(credit_score <= 750, "Fair", "Good"))
    base_rate = np.select([band == "Good", band == "Fair"], [6.0, 10.0], 15.0)
    rate = np.round(np.clip(base_rate + 1.2 * _sigmoid(z) * 10 + rng.normal(0, 0.8, n), 3, 25), 2)
    r = rate / 100 / 12
    months = term * 12
    payment = amount * r / (1 - (1 + r) ** -months)
    ids = [str(uuid.UUID(int=int(v), version=4)) for v in rng.integers(0, 2**63, n)]
    return pd.DataFrame(
        {
            "customer_id": ids,
            "age": age,
            "annual_income": income,
            "credit_score": credit_score,
            "employment_status": employment,
            "years_employed": years_employed,
            "debt_to_income_ratio": dti,
            "savings_balance": savings,
            "checking_balance": checking,
            "home_ownership": home,
            "marital_status": marital,
            "num_dependents": dependents,
            "education_level": education,
            "loan_purpose": purpose,
            "requested_loan_amount": amount,
            "existing_loans": existing,
            "payment_history": band,
            "loan_term": term,
            "interest_rate": rate,
            "monthly_payment": payment,
            "approval_status": np.where(bad, "Rejected", "Approved"),
        }  # fmt: skip
    )[COLUMNS]


def write(rows: int, seed: int, out: str | Path) -> Path:
    """Generate and write a CSV (parent folders created); return its path."""
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    generate(rows, seed).to_csv(path, index=False)
    return path
