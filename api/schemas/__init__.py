"""Request and response bodies, one module per resource, split by direction."""

from api.schemas.chat import ChatRequest, MessagePublic, ThreadCreate, ThreadDetail, ThreadPublic

__all__ = ["ChatRequest", "MessagePublic", "ThreadCreate", "ThreadDetail", "ThreadPublic"]
