"""The product policy: a versioned YAML file parsed into frozen pydantic models.

Every decision records `Policy.version` and `Policy.hash` (SHA-256 of the file's bytes), so
a reply can be traced to the exact numbers that produced it. The loaded policy is cached per
path and immutable, so sharing it between requests is safe.
"""

from __future__ import annotations

import hashlib
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.errors import ValidationFailed

POLICY_PATH = Path(__file__).with_name("policy_v1.yaml")

Tier = Literal["A", "B", "C", "D", "E"]
Outcome = Literal["approved", "conditionally_approved", "referred", "declined"]
RATE_STEP = Decimal("0.01")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class IntRange(_Frozen):
    """An inclusive integer range."""

    min: int
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> IntRange:
        if self.min > self.max:
            raise ValueError(f"min {self.min} exceeds max {self.max}")
        return self

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.min <= value <= self.max


class DecimalRange(_Frozen):
    """An inclusive decimal range (USD or percent, as the owning field says)."""

    min: Decimal
    max: Decimal

    @model_validator(mode="after")
    def _ordered(self) -> DecimalRange:
        if self.min > self.max:
            raise ValueError(f"min {self.min} exceeds max {self.max}")
        return self

    def __contains__(self, value: object) -> bool:
        return isinstance(value, Decimal | int) and self.min <= value <= self.max


class Product(_Frozen):
    """One loan product's row of the policy table."""

    label: str
    tenure_months: IntRange = Field(description="allowed term, months")
    annual_rate_pct: DecimalRange = Field(description="nominal annual rate range, percent")
    amount: DecimalRange = Field(description="allowed principal, USD")
    min_credit_score: int = Field(ge=300, le=850)
    min_monthly_income: Decimal = Field(description="gross monthly income floor, USD/month")
    max_dti_pct: Decimal = Field(description="product DTI cap incl. the new payment, percent")
    min_age: int | None = Field(default=None, description="product age floor, years, if stricter")
    origination_fee_pct: Decimal = Field(description="fee as percent of principal, for the APR")
    max_ltv_pct: Decimal | None = Field(
        default=None, description="max principal as percent of pledged collateral value"
    )
    documents: list[str] = Field(default_factory=list, description="extra conditional documents")


class GeneralRules(_Frozen):
    """Rules that apply to every product."""

    min_age: int
    min_credit_score: int
    max_dti_pct: Decimal
    min_annual_income: Decimal = Field(description="USD/year")


class LateFee(_Frozen):
    """Late fee: the greater of a share of the missed instalment or a flat minimum."""

    pct_of_instalment: Decimal
    minimum: Decimal = Field(description="USD")

    def for_instalment(self, instalment: Decimal) -> Decimal:
        """Return the fee for one missed `instalment` (USD, half-up cents)."""
        share = (instalment * self.pct_of_instalment / 100).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        return max(share, self.minimum)


class TierRule(_Frozen):
    """Where a risk tier prices inside a product's range, and its decision band."""

    pd_below: Decimal | None = Field(
        default=None, gt=0, le=1, description="exclusive upper probability-of-default bound"
    )
    rate_position: Decimal = Field(ge=0, le=1)
    floor_position: Decimal = Field(ge=0, le=1)
    decision: Outcome

    @model_validator(mode="after")
    def _floor_below_price(self) -> TierRule:
        if self.floor_position > self.rate_position:
            raise ValueError("a tier's floor cannot sit above its priced rate")
        return self


class OfferRules(_Frozen):
    """How counter-offers and alternative tenures are built."""

    amount_step: Decimal = Field(gt=0, description="USD; counter-offer amounts round down to it")
    tenure_step_months: int = Field(ge=1)
    tenure_step_fraction: Decimal = Field(ge=0, le=1)


class AcceptanceRules(_Frozen):
    """What binds once an offer is accepted."""

    cooling_off_days: int = Field(ge=0, le=60, description="days an acceptance can be withdrawn")
    documents_before_acceptance: bool = Field(
        True, description="a conditional approval's documents must be in before it is accepted"
    )


class Policy(_Frozen):
    """The whole policy; `hash` is computed from the file, never written in it."""

    version: str
    effective_date: str
    hash: str = Field(description="SHA-256 (hex) of the policy file's bytes")
    general: GeneralRules
    late_fee: LateFee
    tiers: dict[Tier, TierRule]
    conditional_documents: list[str]
    offers: OfferRules
    acceptance: AcceptanceRules
    products: dict[str, Product]

    @model_validator(mode="after")
    def _all_tiers(self) -> Policy:
        missing = {"A", "B", "C", "D", "E"} - set(self.tiers)
        if missing:
            raise ValueError(f"policy lacks tiers {sorted(missing)}")
        return self

    def tier_for_pd(self, probability_of_default: float) -> Tier:
        """Return the tier for a probability of default (mirrors scoring/tiers.py)."""
        if not 0 <= probability_of_default <= 1:
            raise ValidationFailed(
                "probability_of_default must be in [0, 1]", field="probability_of_default"
            )
        pd = Decimal(repr(probability_of_default))
        letters: tuple[Tier, ...] = ("A", "B", "C", "D")
        for letter in letters:
            bound = self.tiers[letter].pd_below
            if bound is not None and pd < bound:
                return letter
        return "E"

    def product(self, name: str) -> Product:
        """Return product `name` or raise ValidationFailed listing the known products."""
        try:
            return self.products[name]
        except KeyError:
            raise ValidationFailed(
                f"unknown product {name!r}; choose one of {', '.join(self.products)}",
                field="product",
            ) from None

    def min_credit_score(self, name: str) -> int:
        """Return the effective credit-score floor (the stricter of general and product)."""
        return max(self.general.min_credit_score, self.product(name).min_credit_score)

    def min_age(self, name: str) -> int:
        """Return the effective age floor in years."""
        return max(self.general.min_age, self.product(name).min_age or 0)

    def max_dti_pct(self, name: str) -> Decimal:
        """Return the effective DTI cap in percent (the stricter of general and product)."""
        return min(self.general.max_dti_pct, self.product(name).max_dti_pct)

    def rate_at(self, name: str, position: Decimal) -> Decimal:
        """Return the rate at `position` (0..1) of the product's range, half-up to 0.01%."""
        rng = self.product(name).annual_rate_pct
        rate = rng.min + (rng.max - rng.min) * position
        return rate.quantize(RATE_STEP, rounding=ROUND_HALF_UP)

    def priced_rate(self, name: str, tier: Tier) -> Decimal:
        """Return the rate a tier is offered for a product (percent per year)."""
        return self.rate_at(name, self.tiers[tier].rate_position)

    def floor_rate(self, name: str, tier: Tier) -> Decimal:
        """Return the lowest rate a negotiation may reach for a tier (percent per year)."""
        return self.rate_at(name, self.tiers[tier].floor_position)


def parse_policy(raw: bytes) -> Policy:
    """Parse policy YAML bytes; the hash is taken over exactly these bytes."""
    data: dict[str, Any] = yaml.safe_load(raw)
    data["hash"] = hashlib.sha256(raw).hexdigest()
    data["version"] = str(data["version"])
    data["effective_date"] = str(data["effective_date"])
    return Policy.model_validate(data)


@lru_cache(maxsize=8)
def _load(path: Path) -> Policy:
    return parse_policy(path.read_bytes())


@lru_cache(maxsize=1)
def _packaged() -> Policy:
    return _load(POLICY_PATH.resolve())


def load_policy(path: Path | None = None) -> Policy:
    """Load (once per path) and return the policy; defaults to the packaged policy_v1.yaml.

    The default skips `Path.resolve`: the advisor asks for the policy several times a turn
    and the `realpath` system calls were 4% of a chat turn's CPU under load.
    """
    return _packaged() if path is None else _load(path.resolve())
