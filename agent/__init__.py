"""The LangGraph advisor: state, nodes, routing, graph factory, chat-model providers, guardrails."""
