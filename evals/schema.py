"""The shape of a conversation suite file (`evals/datasets/<suite>/v<N>.yaml`).

A case is data: a persona (the applicant's true facts and how they talk), what they say
first, scripted events, and what the advisor must and must not do. Profiles are free of
policy limits on purpose: the validation suite's personas give out-of-policy values.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Style = Literal["terse", "chatty", "words", "slang", "monthly", "typos"]
Outcome = Literal["approved", "conditionally_approved", "referred", "declined"]
Goal = Literal["decision", "accept", "script"]
TrajectoryMode = Literal["strict", "unordered", "subset", "superset"]

QUESTION_KINDS = (
    "loan", "product", "amount", "tenure_months", "gold_value", "income", "annual_income",
    "employment_status", "years_employed", "debts", "monthly_debt_payments", "existing_loans",
    "credit_score", "balances", "savings_balance", "checking_balance", "household",
    "home_ownership", "num_dependents", "education_level", "age", "confirm", "offers",
    "decision", "any",
)  # fmt: skip
"""What the advisor can ask or show; events and answer overrides are keyed by these."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Profile(_Strict):
    """The applicant's true facts: what a correct advisor submits at the end."""

    product: str
    amount: Decimal
    tenure_months: int
    gold_value: Decimal | None = None
    annual_income: Decimal
    employment_status: Literal["Employed", "Self-Employed", "Unemployed", "Retired"]
    years_employed: int = 0
    monthly_debt_payments: Decimal = Decimal(0)
    existing_loans: int = 0
    credit_score: int | None = None
    savings_balance: Decimal = Decimal(0)
    checking_balance: Decimal = Decimal(0)
    home_ownership: Literal["Rent", "Own", "Mortgage"] = "Rent"
    num_dependents: int = 0
    education_level: Literal["High School", "Bachelor's", "Master's", "PhD"] = "Bachelor's"
    age: int = 35


class Event(_Strict):
    """Something the persona says when the advisor reaches a point (`when`), once."""

    when: str = Field(description="a question kind, or confirm / offers / decision / any")
    say: str
    occurrence: int = Field(1, ge=1, description="fire the n-th time `when` is reached")
    instead: bool = Field(True, description="say this instead of answering (else prepend)")

    @model_validator(mode="after")
    def _known_trigger(self) -> Event:
        if self.when not in QUESTION_KINDS:
            raise ValueError(
                f"unknown trigger {self.when!r}; use one of {', '.join(QUESTION_KINDS)}"
            )
        return self


class Trajectory(_Strict):
    """Tool-call trajectory the advisor must follow, matched as agentevals defines it."""

    mode: TrajectoryMode = "superset"
    tools: list[str]


class Expect(_Strict):
    """What the advisor must (and must not) do in this conversation."""

    outcome: list[Outcome] | None = None
    profile_read: bool = Field(True, description="submitted details equal the persona's")
    offer_policy: bool = True
    payments: bool = True
    grounded: bool = True
    tools_called: list[str] = Field(default_factory=list)
    tools_not_called: list[str] = Field(default_factory=list)
    trajectory: Trajectory | None = None
    citations: list[str] = Field(default_factory=list, description="KB document ids")
    must_include: list[str] = Field(default_factory=list, description="regexes, some reply")
    must_not_include: list[str] = Field(default_factory=list, description="regexes, no reply")
    refusal: bool | None = None
    max_turns: int = Field(16, ge=1, le=60)


class Case(_Strict):
    """One simulated conversation and its expectations."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    description: str = ""
    tags: list[str] = Field(default_factory=list)
    profile: Profile | None = None
    goal: Goal = "decision"
    opening: str
    script: list[str] = Field(default_factory=list, description="later turns, goal=script")
    styles: list[Style] = Field(default_factory=lambda: list[Style](["terse"]))
    answers: dict[str, list[str]] = Field(
        default_factory=dict, description="literal answers per question kind, used in order"
    )
    events: list[Event] = Field(default_factory=list)
    expect: Expect = Field(default_factory=Expect)

    @model_validator(mode="after")
    def _coherent(self) -> Case:
        if self.goal != "script" and self.profile is None:
            raise ValueError(f"goal {self.goal!r} needs a profile to answer from")
        unknown = sorted(set(self.answers) - set(QUESTION_KINDS))
        if unknown:
            raise ValueError(f"unknown answer kinds {unknown}; use {', '.join(QUESTION_KINDS)}")
        return self


class Suite(_Strict):
    """A versioned suite: `evals/datasets/<name>/v<version>.yaml`."""

    suite: str
    version: int = Field(ge=1)
    description: str = ""
    cases: list[Case] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Suite:
        seen: set[str] = set()
        for case in self.cases:
            if case.id in seen:
                raise ValueError(f"duplicate case id {case.id!r}")
            seen.add(case.id)
        return self
