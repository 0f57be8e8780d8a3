"""The optional LLM judge: tone and clarity of the advisor's replies, on a typed rubric.

Only for what deterministic checks cannot see. It never grades numbers, decisions or policy
(the deterministic evaluators own those), and runs only when a real chat model is configured
(`eval run --judge`). The rubric is a pydantic model; a reply that does not parse into it is
a failed check naming why, so a judge's bad day is visible rather than silently passing.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined
from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.output_parsers import PydanticOutputParser
from pydantic import BaseModel, ConfigDict, Field

from evals.schema import Case
from evals.transcript import Check, Transcript

_ENV = Environment(
    loader=PackageLoader("evals", "templates"), autoescape=False, undefined=StrictUndefined
)


class Rubric(BaseModel):
    """The judge's verdict on one conversation."""

    model_config = ConfigDict(extra="ignore")

    tone: int = Field(ge=1, le=5, description="1 rude or pushy .. 5 warm and professional")
    clarity: int = Field(ge=1, le=5, description="1 confusing .. 5 plain about what happens next")
    reasons: str = Field("", max_length=1000, description="one or two sentences why")


_PARSER: PydanticOutputParser[Rubric] = PydanticOutputParser(pydantic_object=Rubric)


def conversation_text(transcript: Transcript) -> str:
    """Return the conversation as the judge reads it: who said what, in order."""
    lines = []
    for turn in transcript.turns:
        lines.append(f"applicant: {turn.user}")
        lines.append(f"advisor: {turn.reply or '(no reply)'}")
    return "\n".join(lines)


@dataclass(frozen=True)
class LlmJudge:
    """Grades tone and clarity with `model`; passes when both reach `min_score`."""

    model: BaseChatModel
    min_score: int = 3
    name: str = "judge"

    def __call__(self, transcript: Transcript, case: Case) -> Check | None:
        """Return the judge's check, or None for a conversation with no advisor reply."""
        del case  # the rubric is the same for every case; the interface passes it to all
        if not any(turn.reply for turn in transcript.turns):
            return None
        system = _ENV.get_template("judge_v1.md").render(
            format_instructions=_PARSER.get_format_instructions()
        )
        reply = self.model.invoke(
            [SystemMessage(system), HumanMessage(conversation_text(transcript))]
        )
        try:
            rubric = _PARSER.parse(str(reply.text))
        except OutputParserException as exc:
            first = str(exc).splitlines()[0][:200]
            return Check(evaluator=self.name, passed=False, detail=f"unreadable verdict: {first}")
        passed = rubric.tone >= self.min_score and rubric.clarity >= self.min_score
        detail = f"tone {rubric.tone}/5, clarity {rubric.clarity}/5"
        return Check(
            evaluator=self.name,
            passed=passed,
            detail=f"{detail}: {rubric.reasons}" if rubric.reasons else detail,
        )
