"""A finished simulated conversation and the result of checking it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from evals.client import ToolCall, Turn


class Transcript(BaseModel):
    """Every turn of one case's conversation and why it ended."""

    suite: str
    case_id: str
    turns: list[Turn] = Field(default_factory=list)
    ended: str = ""
    error: str | None = None

    def tools(self) -> list[ToolCall]:
        """Return every tool call of the conversation, in order."""
        return [call for turn in self.turns for call in turn.tools]

    def replies(self) -> list[str]:
        """Return the advisor's replies, in order."""
        return [turn.reply for turn in self.turns]

    def decisions(self) -> list[dict[str, Any]]:
        """Return the decisions `submit_application` returned, in order."""
        out = []
        for call in self.tools():
            if call.name == "submit_application" and isinstance(call.result, dict):
                decision = call.result.get("decision")
                if isinstance(decision, dict):
                    out.append(decision)
        return out


class Check(BaseModel):
    """One evaluator's verdict on one transcript."""

    evaluator: str
    passed: bool
    detail: str = ""


class CaseResult(BaseModel):
    """A case's transcript, its checks and its measured cost."""

    suite: str
    case_id: str
    tags: list[str] = Field(default_factory=list)
    repeat: int = 0
    transcript: Transcript
    checks: list[Check] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        """Whether every check passed (and at least one ran)."""
        return bool(self.checks) and all(c.passed for c in self.checks)
