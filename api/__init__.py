"""The FastAPI service: app factory, routes, problem-details errors, SSE chat."""
