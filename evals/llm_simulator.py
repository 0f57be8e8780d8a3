"""An applicant played by a chat model (tau-bench's user simulator), behind ApplicantSimulator.

The deterministic persona answers only questions it recognises; a model playing the same
persona answers anything a real provider's advisor may ask, in its own words. It sees the
persona's true facts, goal and scripted events, never the expectations. Roles are mirrored
for the model: the advisor's replies are its human turns and its own lines are AI turns.
The first message is the case's opening, so both simulators start every case alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from evals.client import Turn
from evals.schema import Case, Style
from evals.simulator import binding_end

STOP = "###STOP###"
"""What the model says when the applicant is done (tau-bench's convention)."""
MAX_WORDS = 60
_ENV = Environment(
    loader=PackageLoader("evals", "templates"), autoescape=False, undefined=StrictUndefined
)
_GOALS = {
    "decision": "get a decision on the loan described below, answering the advisor's questions",
    "accept": "get loan offers for the loan described below and accept the first offer made",
    "script": "ask the advisor what your opening message asks and follow up on the answer",
}
_STYLES: dict[Style, str] = {
    "terse": "very short answers, a few words each",
    "chatty": "friendly and talkative, with a little small talk",
    "words": "numbers written out in words (twenty thousand)",
    "slang": "casual slang and shorthand for amounts (20k, 85 grand)",
    "monthly": "income and amounts per month where you can",
    "typos": "quick typing with a few typos",
}


def instructions(case: Case, max_words: int = MAX_WORDS) -> str:
    """Return the system prompt that casts the model as this case's applicant."""
    facts = []
    if case.profile is not None:
        facts = [
            (name.replace("_", " "), value)
            for name, value in case.profile.model_dump(mode="json").items()
            if value is not None
        ]
    events = [
        {
            "when_text": "asks anything" if e.when == "any" else f"reaches: {e.when}",
            "say": e.say,
        }
        for e in case.events
    ]
    return _ENV.get_template("applicant_v1.md").render(
        facts=facts,
        goal=_GOALS[case.goal],
        events=events,
        style="; ".join(_STYLES[s] for s in case.styles),
        max_words=max_words,
        stop=STOP,
    )


@dataclass
class LlmSimulator:
    """One persona in one conversation, played by `model`."""

    case: Case
    model: BaseChatModel
    ended: str | None = None
    history: list[BaseMessage] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Cast the model as the persona."""
        self.history = [SystemMessage(instructions(self.case))]

    def opening(self) -> str:
        """Return the case's own opening message."""
        self.history.append(AIMessage(self.case.opening))
        return self.case.opening

    def next_message(self, turn: Turn) -> str | None:
        """Return the model's reply as the applicant, or None when the conversation is over."""
        end = binding_end(turn)
        if end is not None:
            self.ended = end
            return None
        self.history.append(HumanMessage(turn.reply or "(the advisor said nothing)"))
        text = str(self.model.invoke(self.history).text).strip()
        if not text or STOP in text:
            self.ended = "the applicant was done" if text else "the applicant model said nothing"
            return None
        self.history.append(AIMessage(text))
        return text


@dataclass(frozen=True)
class LlmSimulatorFactory:
    """Builds an LLM applicant per case; `label` is recorded in the run's meta.json."""

    model: BaseChatModel
    label: str = "llm"

    def __call__(self, case: Case) -> LlmSimulator:
        """Return a fresh applicant for `case` (conversations never share history)."""
        return LlmSimulator(case, self.model)
