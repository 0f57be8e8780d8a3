import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from core.errors import ValidationFailed
from lending.policy import POLICY_PATH, Tier, load_policy, parse_policy

TIERS: list[Tier] = ["A", "B", "C", "D", "E"]

SPEC_TABLE = {
    # product: (tenure months, rate %, min credit, min monthly income, max DTI %) from the issue
    "car": ((6, 84), ("7.30", "10.00"), 650, 3000, 35),
    "home": ((24, 360), ("8.35", "15.00"), 700, 5000, 40),
    "gold": ((6, 36), ("9.25", "19.00"), 600, 2000, 45),
    "education": ((60, 180), ("8.30", "11.80"), 680, 2500, 38),
}


def test_version_and_hash_identify_the_file():
    policy = load_policy()
    assert policy.version
    assert policy.hash == hashlib.sha256(POLICY_PATH.read_bytes()).hexdigest()


def test_load_is_cached_and_immutable():
    policy = load_policy()
    assert load_policy() is policy
    assert load_policy(POLICY_PATH) is policy
    with pytest.raises(ValidationError):
        policy.version = "x"  # type: ignore[misc]


@pytest.mark.parametrize("name", sorted(SPEC_TABLE))
def test_specification_table_is_encoded(name):
    (tmin, tmax), (rmin, rmax), score, income, dti = SPEC_TABLE[name]
    p = load_policy().products[name]
    assert (p.tenure_months.min, p.tenure_months.max) == (tmin, tmax)
    assert (p.annual_rate_pct.min, p.annual_rate_pct.max) == (Decimal(rmin), Decimal(rmax))
    assert p.min_credit_score == score
    assert p.min_monthly_income == income
    assert p.max_dti_pct == dti
    assert p.label


def test_every_product_has_ranges_and_seed_amounts():
    products = load_policy().products
    assert set(products) == {"car", "home", "gold", "education", "personal", "medical"}
    assert products["personal"].amount.max == 50000  # general rule: personal capped at $50k
    assert products["car"].amount.min == 5000
    assert products["home"].amount.max == 500000
    assert products["gold"].max_ltv_pct == 75


def test_general_rules_tighten_product_rows():
    policy = load_policy()
    assert policy.general.min_age == 18
    assert policy.general.min_annual_income == 20000
    assert policy.min_age("home") == 21
    assert policy.min_credit_score("home") == 700  # stricter than the general home rule (650)
    assert policy.min_credit_score("gold") == 600
    assert policy.max_dti_pct("gold") == 43  # general 43% caps gold's 45%
    assert policy.max_dti_pct("car") == 35


def test_tiers_price_monotonically_and_floors_sit_below_price():
    policy = load_policy()
    for name in policy.products:
        rates = [policy.priced_rate(name, t) for t in TIERS]
        assert rates == sorted(rates)
        rng = policy.products[name].annual_rate_pct
        for t in TIERS:
            assert rng.min <= policy.floor_rate(name, t) <= policy.priced_rate(name, t) <= rng.max
    assert [policy.tiers[t].decision for t in TIERS] == [
        "approved",
        "approved",
        "conditionally_approved",
        "referred",
        "declined",
    ]


def test_rate_position_rounds_half_up_to_basis_point():
    policy = load_policy()
    # car: 7.30 + 2.70 * 0.35 = 8.245 -> 8.25
    assert policy.priced_rate("car", "B") == Decimal("8.25")
    assert policy.floor_rate("car", "A") == Decimal("7.30")


@pytest.mark.parametrize(("instalment", "fee"), [("100", "25"), ("500", "25"), ("1000", "50.00")])
def test_late_fee_is_greater_of_five_percent_or_25(instalment, fee):
    assert load_policy().late_fee.for_instalment(Decimal(instalment)) == Decimal(fee)


def test_unknown_product_is_a_typed_error_listing_choices():
    with pytest.raises(ValidationFailed) as err:
        load_policy().product("boat")
    assert err.value.field == "product"
    assert "car" in err.value.message


def test_documents_for_conditional_approvals():
    policy = load_policy()
    assert policy.conditional_documents
    assert policy.products["home"].documents


def test_broken_policy_is_rejected(tmp_path: Path):
    good = 'rate_position: "0.60", floor_position: "0.50"'
    raw = POLICY_PATH.read_text()
    assert good in raw
    bad = raw.replace(good, 'rate_position: "0.40", floor_position: "0.50"')  # floor above price
    with pytest.raises(ValidationError):
        parse_policy(bad.encode())


def test_another_file_gets_its_own_hash(tmp_path: Path):
    other = tmp_path / "policy_v2.yaml"
    other.write_text(POLICY_PATH.read_text().replace('version: "', 'version: "v2-'))
    policy = load_policy(other)
    assert policy.version.startswith("v2-")
    assert policy.hash != load_policy().hash


@pytest.mark.parametrize(
    ("pd", "tier"),
    [
        (0.0, "A"),
        (0.0499, "A"),
        (0.05, "B"),
        (0.0999, "B"),
        (0.1, "C"),
        (0.2, "D"),
        (0.35, "E"),
        (1.0, "E"),
    ],
)
def test_tier_for_pd_follows_the_contract_cutoffs(pd, tier):
    assert load_policy().tier_for_pd(pd) == tier


def test_tier_cutoffs_mirror_scoring():
    tiers = pytest.importorskip("scoring.tiers")
    policy = load_policy()
    mirrored = tuple((t, float(policy.tiers[t].pd_below or 0)) for t in ("A", "B", "C", "D"))
    assert mirrored == tiers.TIER_BOUNDS
    assert policy.tiers["E"].pd_below is None


def test_pd_outside_unit_interval_is_a_typed_error():
    with pytest.raises(ValidationFailed):
        load_policy().tier_for_pd(1.5)
