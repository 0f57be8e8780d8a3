"""Conversations with the advisor: create, list, read, and a streamed turn."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, HTTPException, Path, Request, status
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from sse_starlette.sse import EventSourceResponse
from starlette.concurrency import run_in_threadpool

from api.chat_events import stream_turn
from api.chat_telemetry import TurnTelemetry
from api.deps import ServicesDep, UserDep
from api.schemas import ChatRequest, MessagePublic, ThreadCreate, ThreadDetail, ThreadPublic
from api.security import Principal
from core.errors import NotFound
from core.ids import ID_PATTERN, new_id
from storage.threads import ThreadRecord
from tools.context import RunContext

router = APIRouter(prefix="/v1", tags=["chat"])
ThreadId = Path(pattern=ID_PATTERN.pattern, description="id returned by POST /v1/threads")


def _owned_thread(services: ServicesDep, user: Principal, thread_id: str) -> ThreadRecord:
    """Return the caller's thread; someone else's thread is 'not found', never 'forbidden'."""
    record: ThreadRecord | None = services.threads.get(thread_id)
    if record is None or record.owner != user.user_id:
        raise NotFound(f"no conversation {thread_id!r}", field="thread_id")
    return record


def _start_turn(services: ServicesDep, user: Principal, thread_id: str) -> None:
    """Check the caller owns the thread and mark it used: two store calls, one pool hop."""
    _owned_thread(services, user, thread_id)
    services.threads.touch(thread_id)


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
    messages = []
    for msg in state.values.get("messages", []) if state else []:
        if isinstance(msg, HumanMessage):
            messages.append(MessagePublic(role="user", content=str(msg.content), message_id=msg.id))
        elif isinstance(msg, AIMessage) and msg.content:
            messages.append(
                MessagePublic(role="assistant", content=str(msg.content), message_id=msg.id)
            )
        elif isinstance(msg, ToolMessage):
            messages.append(
                MessagePublic(
                    role="tool", content=str(msg.content), tool_name=msg.name, message_id=msg.id
                )
            )
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
    await run_in_threadpool(_start_turn, services, user, thread_id)  # 404 before 429
    if retry_after:
        raise HTTPException(
            429, "Too many chat turns; wait and retry", headers={"Retry-After": str(retry_after)}
        )
    telemetry = TurnTelemetry(
        request.app.state.metrics.recorder, services.repos.events, thread_id, body.message
    )
    context = RunContext(user_id=user.user_id, thread_id=thread_id)
    turn = telemetry.wrap(stream_turn(services.graph, context, body.message))
    return EventSourceResponse(_record_exposure(services, thread_id, turn))


async def _record_exposure(
    services: ServicesDep, thread_id: str, events: AsyncIterator[dict[str, str]]
) -> AsyncIterator[dict[str, str]]:
    """Pass the events through; at `done`, record which experiment arm and versions answered."""
    async for event in events:
        if event.get("event") == "done":  # before `done`: a client that leaves loses nothing
            versions = json.loads(event["data"]).get("versions", {})
            await run_in_threadpool(
                services.repos.events.record,
                "exposure",
                thread_id,
                {"variant": versions.get("variant"), "prompt": versions.get("prompt")},
            )
        yield event
