"""Document tools: the applicant tells the advisor a document a conditional approval asks for is in.

The same service method as `POST /v1/applications/{id}/documents`, on this conversation's own
application only (the run context's user and thread, never an id the model fills in), so the
chat, Compare and My applications always show one state per document.
"""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.tools import BaseTool, tool
from pydantic import Field

from tools.application import Runtime, current_application
from tools.ports import ToolDeps

DocumentName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="the document exactly as application_status lists it",
    ),
]


def build_document_tools(deps: ToolDeps) -> list[BaseTool]:
    """Return the document tools bound to `deps`."""
    service = deps.applications

    @tool
    def provide_document(document: DocumentName, runtime: Runtime) -> dict[str, Any]:
        """Mark one document this conditional approval asks for as provided by the applicant.

        Call only after the applicant said they have sent this document and said yes when you
        named it back to them. A document the decision does not ask for is refused and nothing
        changes. The result lists each document's state; `accept_blocked` is null once an
        offer can be accepted.
        """
        record = current_application(deps, runtime)
        updated = service.provide_document(record.application_id, runtime.context.user_id, document)
        documents = service.documents(updated)
        return {
            "application_id": updated.application_id,
            "name": document,
            "status": updated.status.value,
            "documents": [d.model_dump(mode="json") for d in documents],
            "outstanding": [d.name for d in documents if not d.provided],
            "accept_blocked": service.accept_blocked(updated),
            "snapshot": service.snapshot(updated.application_id).model_dump(mode="json"),
        }

    return [provide_document]
