"""Benchmark the streaming output guard: what it adds to the applicant's time to first token.

1. The guard alone: CPU per streamed piece of a 600-character reply checked against a
   thread's grounding (the work done on the event loop for every token).
2. End to end over loopback: a streaming OpenAI-compatible model server (honest replies,
   `--frame-ms` between frames, 5 characters a frame) behind the real API; per turn, the
   time from the model server writing its first content frame to the client reading the
   first `token` event. That difference is everything between the model and the screen:
   the OpenAI client, the graph, the guard's hold to the first word boundary and SSE.
Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from langchain_core.messages import HumanMessage, ToolMessage  # noqa: E402

from api.stream_guard import StreamGuard  # noqa: E402
from lending.policy import load_policy  # noqa: E402

REPLY = (
    "Your car loan of $20,000 over 48 months comes at 8.65% a year, so you would pay "
    "$494.38 a month and $3,730.24 in interest over the term. If you want a lower "
    "payment, I can ask for a longer term; if you want to pay it off sooner, a shorter "
    "one. Offers are subject to verification of the information you provided. Would you "
    "like to apply now, or see how a smaller amount would look first? I can also compare "
    "options side by side, or explain anything in this quote in plain words."
)
QUOTE = (
    '{"product": "car", "amount": "20000", "tenure_months": 48, "annual_rate_pct": "8.65",'
    ' "monthly_payment": "494.38", "total_interest": "3730.24", "policy_version": "2026-11"}'
)


def bench_guard(rounds: int = 200) -> dict[str, float]:
    """Return the guard's CPU per piece and per reply (microseconds)."""
    guard = StreamGuard(load_policy())
    thread = [HumanMessage("car loan 20k over 4 years"), ToolMessage(QUOTE, tool_call_id="c")]
    guard.ground({"messages": thread * 5})
    pieces = [REPLY[i : i + 4] for i in range(0, len(REPLY), 4)]
    started = time.perf_counter()
    for n in range(rounds):
        for piece in pieces:
            guard.feed(f"m{n}", piece)
        guard.finish(REPLY)
    total = (time.perf_counter() - started) / rounds
    return {
        "per_reply_us": round(total * 1e6, 1),
        "per_piece_us": round(total / len(pieces) * 1e6, 2),
    }


def _first_token_at(http: httpx.Client, thread: str, message: str) -> float | None:
    at = None
    with http.stream("POST", f"/v1/chat/{thread}", json={"message": message}) as response:
        for line in response.iter_lines():  # read to the end: the turn is then saved
            if at is None and line.startswith("event: token"):
                at = time.perf_counter()
    return at


def bench_end_to_end(turns: int, frame_ms: float) -> dict[str, float]:
    """Return the added time to first token (ms) over the model's own, p50/p95/max."""
    from api.main import create_app
    from cli.scoring import ensure_champion
    from core.config import Settings
    from tests.integration.openai_stub import openai_stub
    from tests.integration.test_guarded_stream_loopback import serve

    added: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, openai_stub() as (base, stub):
        var = Path(tmp)
        ensure_champion(var, rows=2000)
        stub.honest, stub.frame_delay = True, frame_ms / 1000
        settings = Settings(var_dir=var, provider="openai:stub", openai_base_url=base,
                            chat_turns_per_minute=100_000, log_level="WARNING")  # fmt: skip
        with serve(create_app(settings)) as api, httpx.Client(base_url=api, timeout=60) as http:
            creds = {"email": "bench@example.com", "password": "bench-password-1"}
            http.post("/v1/auth/signup", json=creds)
            token = http.post("/v1/auth/login", json=creds).json()["access_token"]
            http.headers["Authorization"] = f"Bearer {token}"
            for n in range(turns):
                thread = http.post("/v1/threads", json={"title": "b"}).json()["thread_id"]
                sent = len(stub.content_sent)
                # A quote question: the model calls quote_loan, then streams figures.
                text = f"car loan ${20000 + 100 * n} over 4 years"
                at = _first_token_at(http, thread, text)
                if at is not None and len(stub.content_sent) > sent:
                    added.append((at - stub.content_sent[sent]) * 1000)
    ordered = sorted(added)
    return {
        "turns": len(added),
        "added_ttft_ms_p50": round(statistics.median(ordered), 1),
        "added_ttft_ms_p95": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
        "added_ttft_ms_max": round(ordered[-1], 1),
        "frame_ms": frame_ms,
    }


def main() -> None:
    """Run both parts and print the figures, then one JSON line."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--frame-ms", type=float, default=20.0)
    args = parser.parse_args()
    guard = bench_guard()
    print(f"guard CPU: {guard['per_piece_us']} us/piece, {guard['per_reply_us']} us/reply")  # noqa: T201
    e2e = bench_end_to_end(args.turns, args.frame_ms)
    print(  # noqa: T201
        f"added TTFT over the model's first token: p50 {e2e['added_ttft_ms_p50']} ms, "
        f"p95 {e2e['added_ttft_ms_p95']} ms, max {e2e['added_ttft_ms_max']} ms "
        f"({e2e['turns']} turns, {args.frame_ms} ms/frame)"
    )
    print(json.dumps({"bench": "stream_guard", **guard, **e2e}))  # noqa: T201


if __name__ == "__main__":
    main()
