"""Per-graph knobs, with defaults and the reason for each (passed to `build_graph`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.experiments import DEFAULT_VARIANTS, Variant
from lending.policy import Policy, load_policy


@dataclass(frozen=True)
class Prompt:
    """A rendered system prompt and its version label (recorded on every turn)."""

    text: str
    version: str


@dataclass(frozen=True)
class GraphSettings:
    """What the nodes need besides the model and tools."""

    prompts: dict[str, Prompt]
    """System prompt per A/B variant name."""

    versions: dict[str, str]
    """Static versions recorded on each turn: provider, templates, policy."""

    policy: Policy = field(default_factory=load_policy)
    """Policy whose rate and term bounds the output guard enforces."""

    variants: tuple[Variant, ...] = DEFAULT_VARIANTS
    """Experiment arms; a thread keeps the arm it was first assigned."""

    max_input_chars: int = 4000
    """Longer messages are refused before any model sees them."""

    token_budget: int = 3000
    """Past this estimated size the older part of a thread is summarised."""

    keep_turns: int = 3
    """Applicant turns kept verbatim when a thread is summarised."""

    model_deadline_seconds: float = 90.0
    """Longest one model step may take, streaming included; past it the offline model answers.

    A read timeout never fires on a stream that keeps sending tokens, so a slow model that
    writes on and on would otherwise hold the applicant for as long as it likes.
    """

    human_review: bool = True
    """Pause referred applications for a loan officer (an interrupt)."""

    blocked_replies: dict[str, str] = field(
        default_factory=lambda: {
            "injection": "I can't share or change my instructions, but I'm glad to help with "
            "your loan: applying, offers, or questions about our policies.",
            "too_long": "That message is too long for me to read; please shorten it.",
            "empty": "I didn't catch anything there. What would you like to do?",
            "rate_limited": "You're sending messages faster than I can answer; please wait a "
            "moment and try again.",
        }
    )
    """Replies for inputs the guard refuses, by reason."""
