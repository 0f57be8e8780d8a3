"""Conversations with the advisor: create, list, read, and a streamed turn."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from agent.experiments import DEFAULT_VARIANTS, prompt_variant_for
from agent.offline.parser import parse_product
from api.chat_events import stream_turn
from api.chat_telemetry import TurnTelemetry
from api.deps import ServicesDep, UserDep
from api.schemas import ChatRequest, ThreadCreate, ThreadDetail, ThreadPublic
from api.security import Principal
from api.sse_frames import frames
from api.thread_history import public_messages
from core.errors import NotFound
from core.ids import ID_PATTERN, new_id
from lending.messages import conversation_title, conversation_topic
from storage.event_batching import record_event
from storage.threads import ThreadRecord
from tools.context import RunContext

log = logging.getLogger(__name__)
KNOWN_ARMS = frozenset(v.name for v in DEFAULT_VARIANTS)  # arms with a rendered system prompt

router = APIRouter(prefix="/v1", tags=["chat"])
ThreadId = Path(pattern=ID_PATTERN.pattern, description="id returned by POST /v1/threads")


def _owned_thread(services: ServicesDep, user: Principal, thread_id: str) -> ThreadRecord:
    """Return the caller's thread; someone else's thread is 'not found', never 'forbidden'."""
    record: ThreadRecord | None = services.threads.get(thread_id)
    if record is None or record.owner != user.user_id:
        raise NotFound(f"no conversation {thread_id!r}", field="thread_id")
    return record


def _start_turn(services: ServicesDep, user: Principal, thread_id: str) -> PromptArm | None:
    """Check the caller owns the thread, mark it used and find the user's prompt arm.

    Three store reads in one pool hop. The unit of randomisation is the user: a running prompt
    experiment assigns the arm from the user id, so every thread of theirs gets the same one.
    """
    _owned_thread(services, user, thread_id)
    services.threads.touch(thread_id)
    running = services.experiments.running("prompt")
    if not running:
        return None
    experiment = running[0]  # the store allows one running experiment per surface
    variant = prompt_variant_for(experiment, user.user_id)
    if variant.name not in KNOWN_ARMS:
        log.warning("prompt arm %s has no rendered prompt; the thread keeps its own", variant)
        return None
    return PromptArm(experiment.experiment_id, variant.name)


@dataclass(frozen=True)
class PromptArm:
    """The prompt experiment a user is in and the arm they see."""

    experiment_id: str
    arm: str


@router.post(
    "/threads",
    status_code=status.HTTP_201_CREATED,
    response_model=ThreadPublic,
    operation_id="createThread",
)
def create_thread(services: ServicesDep, user: UserDep, body: ThreadCreate | None = None) -> Any:
    """Start a new conversation with the advisor."""
    title = body.title if body else "New conversation"
    return services.threads.create(new_id("thr"), user.user_id, title)


@router.get("/threads", response_model=list[ThreadPublic], operation_id="listThreads")
def list_threads(services: ServicesDep, user: UserDep) -> Any:
    """List the caller's conversations, most recent first."""
    return services.threads.list_for(user.user_id)


@router.get("/threads/{thread_id}", response_model=ThreadDetail, operation_id="readThread")
async def read_thread(services: ServicesDep, user: UserDep, thread_id: str = ThreadId) -> Any:
    """Read one of the caller's conversations with its messages."""
    record = await run_in_threadpool(_owned_thread, services, user, thread_id)
    state = await services.graph.aget_state({"configurable": {"thread_id": thread_id}})
    messages = public_messages(state.values.get("messages", []) if state else [])
    return ThreadDetail(**record.model_dump(exclude={"owner"}), messages=messages)


@router.post(
    "/chat/{thread_id}",
    response_class=EventSourceResponse,
    operation_id="chatTurn",
    responses={200: {"content": {"text/event-stream": {}}, "description": "SSE stream"}},
)
async def chat(
    body: ChatRequest,
    services: ServicesDep,
    user: UserDep,
    request: Request,
    thread_id: str = ThreadId,
) -> EventSourceResponse:
    """Send a message and stream the advisor's reply as Server-Sent Events.

    Turns are limited per user across all their threads; past the limit the answer is a 429
    with Retry-After, not a reply in the conversation.
    """
    retry_after = request.app.state.chat_turn_limiter.hit(f"chat:{user.user_id}")
    arm = await run_in_threadpool(_start_turn, services, user, thread_id)  # 404 before 429
    if retry_after:
        raise HTTPException(
            429, "Too many chat turns; wait and retry", headers={"Retry-After": str(retry_after)}
        )
    telemetry = TurnTelemetry(
        request.app.state.metrics.recorder, services.repos.events, thread_id, body.message
    )
    context = RunContext(
        user_id=user.user_id, thread_id=thread_id, variant=arm.arm if arm else None
    )
    turn = telemetry.wrap(stream_turn(services.graph, context, body.message))
    return EventSourceResponse(frames(_record_exposure(services, context, arm, turn, body.message)))


def _retitle(services: ServicesDep, context: RunContext, message: str) -> None:
    """Name the conversation after what it is about, so the list of threads reads as topics.

    Once it has an application, after that ("Car loan, $18,000"); before, after the first
    message that names a product ("Car loan question"), which later messages do not change.
    """
    thread = services.threads.get(context.thread_id)
    if thread is None:
        return
    title = _title(services, context, message, thread.title)
    if title is not None and thread.title != title:
        services.threads.touch(context.thread_id, title=title)


def _title(services: ServicesDep, context: RunContext, message: str, current: str) -> str | None:
    """Return the title the conversation should have now, or None to keep `current`."""
    record = services.applications.for_thread(context.user_id, context.thread_id)
    if record is not None:
        return conversation_title(str(record.request["product"]), str(record.request["amount"]))
    policy = services.applications.policy
    if current in {conversation_topic(p, policy) for p in policy.products}:
        return None  # an earlier message named the product: the first one names the thread
    product = parse_product(message)
    return conversation_topic(product, policy) if product is not None else None


async def _record_exposure(
    services: ServicesDep,
    context: RunContext,
    arm: PromptArm | None,
    events: AsyncIterator[dict[str, str]],
    message: str,
) -> AsyncIterator[dict[str, str]]:
    """Pass the events through; at `done`, record the arm and versions that answered, and title.

    The experiment exposure is the arm that actually answered (a thread started before the
    experiment keeps its earlier arm, and is then not counted in the experiment).
    """
    async for event in events:
        if event.get("event") == "done":  # before `done`: a client that leaves loses nothing
            versions = json.loads(event["data"]).get("versions", {})
            answered = versions.get("variant")
            await record_event(
                services.repos.events,
                "exposure",
                context.thread_id,
                {"variant": answered, "prompt": versions.get("prompt")},
            )
            await run_in_threadpool(_retitle, services, context, message)
            if arm is not None and answered == arm.arm:
                await run_in_threadpool(
                    services.experiments.expose, arm.experiment_id, context.user_id, arm.arm
                )
        yield event
