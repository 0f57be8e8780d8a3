"""Async routes never call the (blocking) store or blob store on the event loop thread.

The repositories and blob store are swapped for proxies that fail when called from a thread
running the event loop; sync `def` routes and wrapped calls run in the thread pool and pass.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from api.main import create_app
from tests.fakes.knowledge import FakeKnowledgeBase
from tests.fakes.scoring import RuleScorer
from tests.unit.api.conftest import sign_up


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


class OffLoopOnly:
    """Forward every method call, recording those made on the event loop thread."""

    def __init__(self, target: Any, name: str, blocked: list[str]) -> None:
        self._target, self._name, self._blocked = target, name, blocked

    def __getattr__(self, attr: str) -> Any:
        value = getattr(self._target, attr)
        if not callable(value):
            return value

        def call(*args: Any, **kwargs: Any) -> Any:
            if _on_event_loop():
                self._blocked.append(f"{self._name}.{attr}")
            return value(*args, **kwargs)

        return call


@pytest.fixture
def guarded(settings):
    blocked: list[str] = []
    with TestClient(create_app(settings, scorer=RuleScorer(), knowledge=FakeKnowledgeBase())) as c:
        services = c.app.state.services  # type: ignore[attr-defined]
        repos = services.repos
        for name in ("users", "threads", "applications", "offers", "documents", "feedback"):
            setattr(repos, name, OffLoopOnly(getattr(repos, name), name, blocked))
        repos.events = OffLoopOnly(repos.events, "events", blocked)
        services.blobs = OffLoopOnly(services.blobs, "blobs", blocked)
        yield c, blocked


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, format="PNG")
    return out.getvalue()


def test_chat_upload_and_reads_keep_storage_off_the_event_loop(guarded):
    client, blocked = guarded
    alice = sign_up(client)
    thread = client.post("/v1/threads", json={}, headers=alice).json()["thread_id"]
    with client.stream("POST", f"/v1/chat/{thread}", json={"message": "hi"}, headers=alice) as turn:
        assert turn.status_code == 200
        assert "event: done" in "".join(turn.iter_text())
    assert client.get(f"/v1/threads/{thread}", headers=alice).status_code == 200
    upload = client.post(
        "/v1/documents",
        files={"file": ("id.png", _png(), "image/png")},
        data={"kind": "identity"},
        headers=alice,
    )
    assert upload.status_code == 201, upload.text
    assert blocked == [], f"blocking storage calls on the event loop: {blocked}"
