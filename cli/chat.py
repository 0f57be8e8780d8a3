"""Terminal chat against the same advisor graph the API serves."""

from __future__ import annotations

import typer
from langchain_core.messages import AIMessageChunk, HumanMessage
from rich.console import Console

from api.composition import open_runtime
from core.config import get_settings
from core.ids import new_id
from tools.context import RunContext

CLI_USER = "cli-local"  # the terminal's one applicant: owner of what the CLI submits

console = Console()


def chat(
    thread: str | None = typer.Option(None, help="resume this thread id (default: a new one)"),
    message: list[str] | None = typer.Option(  # noqa: B008 - typer's declaration style
        None, "--message", "-m", help="send these messages and exit instead of prompting"
    ),
) -> None:
    """Chat with the advisor in the terminal (streams the reply as it is written)."""
    settings = get_settings()
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    thread_id = thread or new_id("cli")
    with open_runtime(settings) as runtime:
        graph = runtime.graph
        console.print(f"[dim]thread {thread_id} - empty line or Ctrl-D to quit[/dim]")
        scripted = list(message or [])
        while True:
            if message is not None:
                if not scripted:
                    break
                text = scripted.pop(0)
                console.print(f"[bold]you>[/bold] {text}")
            else:
                try:
                    text = console.input("[bold]you>[/bold] ").strip()
                except EOFError:
                    break
            if not text:
                break
            _turn(graph, thread_id, text)


def _turn(graph: object, thread_id: str, text: str) -> None:
    config = {"configurable": {"thread_id": thread_id}}
    context = RunContext(user_id=CLI_USER, thread_id=thread_id)
    console.print("[bold green]advisor>[/bold green] ", end="")
    streamed = ""
    for chunk, meta in graph.stream(  # type: ignore[attr-defined]
        {"messages": [HumanMessage(text)]}, config, context=context, stream_mode="messages"
    ):
        if isinstance(chunk, AIMessageChunk) and meta.get("langgraph_node") == "call_model":
            streamed += str(chunk.content)
            console.print(str(chunk.content), end="", markup=False, highlight=False)
    snapshot = graph.get_state(config)  # type: ignore[attr-defined]
    replies = [m for m in snapshot.values["messages"] if m.type == "ai" and m.content]
    final = str(replies[-1].content) if replies else ""
    if not streamed:  # a refused input is answered without streaming
        console.print(final, markup=False, highlight=False)
    elif final != streamed:  # the output guard replaced the draft
        console.print(f"\n[yellow](corrected)[/yellow] {final}", markup=False)
    if snapshot.next == ("human_review",):
        console.print("\n[dim](referred: waiting for a loan officer's review)[/dim]")
    console.print()
