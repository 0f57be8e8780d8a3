"""What a conversation remembers between turns (persisted by the checkpointer)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

from tools.application import ThreadApplication

InputProblem = Literal["too_long", "empty", "injection", "rate_limited"]
"""Why the input guard refused a message; each has its own reply (GraphSettings)."""
INPUT_PROBLEMS: tuple[InputProblem, ...] = get_args(InputProblem)


class AgentState(TypedDict, total=False):
    """State of one advisor thread."""

    messages: Annotated[list[AnyMessage], add_messages]
    """The conversation, including tool calls and tool results (the source of every number)."""

    versions: dict[str, str]
    """Provider, prompt, templates, policy and model versions used by the latest turn."""

    guardrail_notes: list[str]
    """What the guards did on the latest turn (blocked input, replaced reply), empty if nothing."""

    application: ThreadApplication | None
    """This thread's application as last read from the application service (id, status,
    numbered offers); the record itself lives in the service."""

    citations: list[dict[str, Any]]
    """Knowledge-base passages retrieved on the latest turn (doc_id, version, section, url)."""

    offers: list[dict[str, Any]]
    """Offers made or changed on the latest turn, for the client's offer cards."""

    prompt_variant: str
    """The A/B prompt variant this thread was assigned (stable for the whole thread)."""

    summary: str
    """Summary of the messages trimmed away once the thread passed its token budget."""

    facts: dict[str, Any]
    """Figures and slots carried over from trimmed messages (so grounding survives trimming)."""

    review: dict[str, Any] | None
    """The human review of a referred application: None until a loan officer decides."""

    input_blocked: bool
    """Whether the input guard refused the latest message (the model is then not called)."""

    input_problem: InputProblem | None
    """Why the input guard refused the latest message, or None: the reply is chosen by it."""
