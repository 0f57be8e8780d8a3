"""Mirror what the advisor does in chat into the application store.

An application submitted in a conversation is then listed, tracked and reviewed like one
submitted by form.

`RecordingEventLog` implements the tools' `EventLog` port: every event is appended to the
event log; `submitted` also stores the application (owner = the thread's owner, idempotent
on the advisor's application id) and `accepted` moves it to offer_accepted.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from core.clock import Clock
from core.errors import LoanAdvisorError
from storage.records import ApplicationRecord, StatusChange
from storage.repositories import Repositories
from tools.underwriting import STATUS_FOR_OUTCOME

log = logging.getLogger(__name__)


class RecordingEventLog:
    """The tools' event log, backed by the repositories."""

    def __init__(self, repos: Repositories, clock: Clock) -> None:
        self._repos = repos
        self._clock = clock

    def record(self, event: str, thread_id: str | None, payload: dict[str, Any]) -> None:
        """Append the event; mirror submissions and acceptances. Never raises."""
        try:
            self._repos.events.record(event, thread_id, payload)
            if thread_id is None:
                return
            thread = self._repos.threads.get(thread_id)
            if thread is None:
                return
            if event == "submitted":
                self._submitted(thread.owner, thread_id, payload)
            elif event == "accepted":
                self._accepted(thread.owner, payload)
        except (LoanAdvisorError, KeyError, ValueError):
            log.exception("could not mirror a chat event", extra={"event": event})

    def _submitted(self, owner: str, thread_id: str, payload: dict[str, Any]) -> None:
        now = self._clock.now()
        decision = payload.get("decision") or {}
        status = STATUS_FOR_OUTCOME.get(str(decision.get("outcome")), "received")
        history = [StatusChange(status="received", at=now, actor="system")]
        if status != "received":
            history.append(
                StatusChange(status=status, at=now, actor="system", note=decision["outcome"])
            )
        app_id = str(payload["application_id"])
        record = ApplicationRecord(
            application_id=app_id,
            owner=owner,
            status=status,
            profile=payload["profile"],
            request=payload["request"],
            decision={**decision, "_risk": payload.get("risk")} if decision else None,
            thread_id=thread_id,
            created_at=now,
            updated_at=now,
            history=history,
        )
        digest = hashlib.sha256(app_id.encode()).hexdigest()
        self._repos.applications.submit(record, f"chat-{app_id}"[:64], digest)

    def _accepted(self, owner: str, payload: dict[str, Any]) -> None:
        app = self._repos.applications.get(str(payload["application_id"]))
        if app is not None and app.owner == owner and app.status == "approved":
            self._repos.applications.transition(
                app.application_id,
                "offer_accepted",
                actor=owner,
                at=self._clock.now(),
                note=f"accepted offer {payload.get('offer_id')} in chat",
            )
