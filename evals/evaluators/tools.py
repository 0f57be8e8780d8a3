"""Which tools the advisor ran: required, forbidden, and the trajectory (agentevals)."""

from __future__ import annotations

import json
from typing import Any

from agentevals.trajectory.match import create_trajectory_match_evaluator

from evals.schema import Case
from evals.transcript import Check, Transcript


def tools_called(t: Transcript, case: Case) -> Check | None:
    """Pass when every required tool ran at least once."""
    if not case.expect.tools_called:
        return None
    ran = {c.name for c in t.tools()}
    missing = [name for name in case.expect.tools_called if name not in ran]
    return Check(
        evaluator="tools_called",
        passed=not missing,
        detail=f"missing {missing}" if missing else "all required tools ran",
    )


def tools_not_called(t: Transcript, case: Case) -> Check | None:
    """Pass when no forbidden tool ran."""
    if not case.expect.tools_not_called:
        return None
    ran = [c.name for c in t.tools() if c.name in case.expect.tools_not_called]
    return Check(
        evaluator="tools_not_called",
        passed=not ran,
        detail=f"forbidden tools ran: {sorted(set(ran))}" if ran else "no forbidden tool ran",
    )


def _messages(names: list[str]) -> list[dict[str, Any]]:
    """Express a tool sequence as OpenAI-style assistant messages, agentevals' input."""
    return [
        {
            "role": "assistant",
            "content": "",
            "tool_calls": [{"function": {"name": name, "arguments": json.dumps({})}}],
        }
        for name in names
    ]


def trajectory(t: Transcript, case: Case) -> Check | None:
    """Match the tool-call trajectory (names only) in the case's mode (strict/unordered/...)."""
    spec = case.expect.trajectory
    if spec is None:
        return None
    judge = create_trajectory_match_evaluator(
        trajectory_match_mode=spec.mode, tool_args_match_mode="ignore"
    )
    ran = [c.name for c in t.tools()]
    result = judge(outputs=_messages(ran), reference_outputs=_messages(spec.tools))
    ok = bool(result["score"] if isinstance(result, dict) else result)
    return Check(
        evaluator="trajectory",
        passed=ok,
        detail=f"{spec.mode}: ran {ran}, reference {spec.tools}",
    )
