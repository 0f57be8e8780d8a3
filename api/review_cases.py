"""A staff-flagged conversation turned into a draft evals case, so a real failure can be replayed.

The draft replays the applicant's own turns (goal `script`) with the expectation staff state
(what a reply must or must not say) and is written under `<var_dir>/evals/review_drafts/`, never
into a suite: a person reviews it, fixes what the redaction masked and moves it into
`evals/datasets/<suite>/vN.yaml` (the evals schema checks it there). Emails, card, account and
phone numbers are masked before anything is written.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from langchain_core.messages import AIMessage, HumanMessage

from api.schemas.eval_cases import EvalCaseDraft, EvalCaseExpectation
from core.errors import NotFound, ValidationFailed
from core.redaction import redact

if TYPE_CHECKING:
    from storage.threads import ThreadRepository

DRAFTS = Path("evals") / "review_drafts"


def case_id(thread_id: str) -> str:
    """Return the draft's case id (the evals schema: lower-case letters, digits, `_.-`)."""
    return "review-" + re.sub(r"[^a-z0-9_.-]", "-", thread_id.lower())


def draft_file(thread_id: str) -> Path:
    """Return where a draft from this conversation is written, relative to the var dir.

    One file per conversation (the case id is the thread's): a later draft replaces it.
    """
    return DRAFTS / _file_name(case_id(thread_id))


def _file_name(case: str) -> str:
    return f"{case}.yaml"


def draft_case(
    thread_id: str,
    applicant_turns: Sequence[str],
    note: str,
    *,
    must_include: Sequence[str] = (),
    must_not_include: Sequence[str] = (),
) -> dict[str, Any]:
    """Return the case: the applicant's turns in order and the stated expectation."""
    turns = [redact(t) for t in applicant_turns if t.strip()]
    if not turns:
        raise ValueError("the conversation has no applicant turn to replay")
    return {
        "id": case_id(thread_id),
        "description": f"From staff review: {redact(note)}".strip(),
        "tags": ["from-review", "draft"],
        "goal": "script",
        "opening": turns[0],
        "script": turns[1:],
        "expect": {
            "profile_read": False,  # a script has no persona profile to compare with
            "must_include": list(must_include),
            "must_not_include": list(must_not_include),
            "max_turns": len(turns) + 2,
        },
    }


def write_draft(var_dir: Path, case: dict[str, Any], flagged_reply: str | None) -> tuple[Path, str]:
    """Write the draft as YAML (the flagged reply as a comment for the reviewer); return it."""
    folder = var_dir / DRAFTS
    folder.mkdir(parents=True, exist_ok=True)
    header = "# DRAFT from a staff-flagged conversation: review it, then move it into a suite.\n"
    if flagged_reply:
        quoted = redact(flagged_reply).replace("\n", " ")[:400]
        header += f"# flagged reply: {quoted}\n"
    text = header + yaml.safe_dump(case, sort_keys=False, allow_unicode=True)
    path = folder / _file_name(case["id"])
    path.write_text(text, encoding="utf-8")
    return path, text


async def draft_from_thread(
    graph: Any,
    threads: ThreadRepository,
    var_dir: Path,
    thread_id: str,
    body: EvalCaseExpectation,
    message_id: str | None = None,
) -> EvalCaseDraft:
    """Write the draft for a stored conversation, quoting reply `message_id` if given.

    Raises:
        NotFound: no such conversation.
        ValidationFailed: the conversation has no applicant turn to replay.
    """
    if await asyncio.to_thread(threads.get, thread_id) is None:
        raise NotFound(f"no conversation {thread_id!r}", field="thread_id")
    state = await graph.aget_state({"configurable": {"thread_id": thread_id}})
    messages = state.values.get("messages", []) if state else []
    turns = [str(m.content) for m in messages if isinstance(m, HumanMessage)]
    flagged = next((str(m.content) for m in messages
                    if isinstance(m, AIMessage) and m.id == message_id), None)  # fmt: skip
    if not turns:
        raise ValidationFailed(
            "the conversation has no applicant turn to replay", field="thread_id"
        )
    case = draft_case(thread_id, turns, body.note, must_include=body.must_include,
                      must_not_include=body.must_not_include)  # fmt: skip
    path, text = await asyncio.to_thread(write_draft, var_dir, case, flagged)
    return EvalCaseDraft(case_id=case["id"], path=str(path), yaml=text)
