"""What a `tool_start` event may show of a model's tool call: its arguments, once validated.

A tool call is the model's own text. An argument the tool does not declare (a made-up
`monthly_payment` beside a quote's real inputs) or a value its schema rejects is an
unchecked figure, and the raw SSE stream must not carry one: any client could show it on
the tool chip. So an event carries only the arguments the tool's own schema accepts, as it
reads them, and a call that fails validation (the tool will refuse it too) shows its name
alone. What the tool then returns is grounded by definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from langchain_core.tools import BaseTool
from pydantic import BaseModel, ValidationError


class ToolArgs:
    """The graph's tools by name, to validate tool-call arguments before they are streamed."""

    def __init__(self, tools: Mapping[str, BaseTool]) -> None:
        self.tools = dict(tools)

    @classmethod
    def of_graph(cls, graph: Any) -> ToolArgs:
        """Read the tools from a compiled advisor graph's `run_tools` node (a `ToolNode`).

        The one place that reaches into the compiled graph: `nodes` and the node's `bound`
        runnable are public, and so is `ToolNode.tools_by_name`. A graph without that node
        yields no tools, so every call shows its name alone.
        """
        node = getattr(graph, "nodes", {}).get("run_tools")
        tools = getattr(getattr(node, "bound", None), "tools_by_name", None)
        return cls(tools if isinstance(tools, Mapping) else {})

    def accepted(self, name: str, args: Any) -> dict[str, Any]:
        """Return `args` as the tool `name` validates them; {} if it would reject them."""
        schema = getattr(self.tools.get(name), "tool_call_schema", None)  # no injected args
        if not isinstance(args, dict) or not isinstance(schema, type):
            return {}
        if not issubclass(schema, BaseModel):
            return {}
        try:
            parsed = schema.model_validate(args)
        except ValidationError:
            return {}
        shown: dict[str, Any] = parsed.model_dump(mode="json", exclude_unset=True)
        return shown
