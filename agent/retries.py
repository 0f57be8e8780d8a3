"""A turn that failed before its reply, forgotten when the applicant sends the next message.

The API checkpoints a turn once, when the run ends (`durability="exit"`), and LangGraph saves
that exit on an error too: a failed turn leaves the applicant's message (and any tool calls
it reached) with no reply. The web client's "Try again" sends the same message again, so the
thread would hold it twice, or a reply-less message after a reload. The input guard removes
such a turn before the new one runs: the applicant's resent message is the turn, once.

What a failed turn did is not lost: its effects live in the application service (a resent
submission replays under the same idempotency key, the turn count being the same again).
"""

from __future__ import annotations

from collections.abc import Sequence

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, RemoveMessage


def _replied(message: AnyMessage) -> bool:
    """Say whether `message` ended its turn: a model reply with no tool calls still to run."""
    return isinstance(message, AIMessage) and not message.tool_calls


def unfinished_turn(messages: Sequence[AnyMessage]) -> list[AnyMessage]:
    """Return the messages of the turn before the newest one if it never got its reply.

    `messages` ends with the applicant's new message. An empty list: the turn before was
    answered (or there is none).
    """
    if len(messages) < 2 or not isinstance(messages[-1], HumanMessage):
        return []
    earlier = list(messages[:-1])
    start = next(
        (i for i in range(len(earlier) - 1, -1, -1) if isinstance(earlier[i], HumanMessage)),
        None,
    )
    if start is None or any(_replied(m) for m in earlier[start:]):
        return []
    return earlier[start:]


def forget_unfinished_turn(messages: Sequence[AnyMessage]) -> list[RemoveMessage]:
    """Return the removals (for the `add_messages` reducer) of a reply-less earlier turn."""
    return [RemoveMessage(id=m.id) for m in unfinished_turn(messages) if m.id]
