"""Release a streamed reply piece by piece, each piece only once it passes the output guard.

A model's tokens reach the applicant as they come, but never a figure or a phrase the
graph's output guard would reject: text without digits is released at each word boundary,
and text with digits only at a clause end, once the new text, with its lead-in, passes
`agent.guardrails.check_text` (the check `check_reply` applies to the finished draft)
against this thread's grounding. The lead-in keeps context such as "at" before a rate, or
a "not" before a phrase, in view. Words that may still grow into an unsafe phrase
("because of your ") wait until they cannot, so no part of one is ever shown.

Once a clause fails, nothing more of that draft is released: the graph then corrects or
replaces the reply and the client gets a `replace` event. Text the graph sends as a
replacement or as the final reply passes the same check here, or the safe reply goes out.
"""

from __future__ import annotations

import re
from typing import Any

from agent.guardrails import check_text, thread_grounding
from agent.reply_check import SAFE_REPLY
from agent.wording import could_start_unsafe, load_wording
from lending.policy import Policy

_CLAUSE_END = re.compile(r"[.!?;:,](?=\s)|\n")
_DIGIT = re.compile(r"\d")
_WORD_START = re.compile(r"(?<!\S)\S")
WINDOW_LEAD_CHARS = 48  # longer than any rate or term phrase the policy check reads


def text_of(content: Any) -> str:
    """Return the text of a message's content (a string, or content blocks as Bedrock sends)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for block in content:
            if isinstance(block, str):
                parts.append(block)
            elif isinstance(block, dict) and block.get("type", "text") == "text":
                parts.append(str(block.get("text", "")))
        return "".join(parts)
    return ""


class StreamGuard:
    """Hold back any streamed text that could carry an unchecked figure; see the module doc.

    Feed it the `values` snapshots of the run (`ground`), the model's pieces (`feed`) and
    the model's finished message (`finish`); send only what they return.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.grounded: set[str] = set()
        self.product: str | None = None
        self.held = False
        self.held_last = False  # whether the model call `finish` last ended was held part-way
        self._phrase_chars = load_wording().longest
        self._passed: str | None = None  # the last whole text `safe` let through
        self._reset(None)

    def _reset(self, message_id: str | None) -> None:
        self._message_id = message_id
        self._text = ""
        self._released = 0
        self.held = False

    def ground(self, state: dict[str, Any]) -> None:
        """Re-read what replies are checked against from a state snapshot of the run."""
        application = state.get("application")
        grounded, product = thread_grounding(
            list(state.get("messages") or []),
            state.get("facts"),
            getattr(application, "product", None),
        )
        if (grounded, product) != (self.grounded, self.product):
            self._passed = None  # judged against other grounding: judge it again
        self.grounded, self.product = grounded, product

    def passes(self, text: str) -> bool:
        """Say whether `text` may reach the applicant (the output guard's check)."""
        return check_text(text, self.grounded, self.policy, self.product).ok

    def feed(self, message_id: str | None, piece: str) -> str:
        """Add a streamed piece of the model's reply; return the text now safe to send."""
        if message_id != self._message_id:
            self._reset(message_id)  # another model call (a retry, or after tools)
        self._text += piece
        if self.held:
            return ""
        return self._release(self._cut())

    def finish(self, text: str) -> str:
        """End the model call whose full reply is `text`; return its unsent rest if it passes."""
        if not self._text or not text.startswith(self._text[: self._released]):
            self._reset(None)
            self._text = text  # not streamed (or streamed differently): judge the whole
        else:
            self._text = text
        rest = "" if self.held else self._release(len(text), final=True)
        self.held_last = self.held
        self._reset(None)
        return rest

    def safe(self, text: str) -> str:
        """Return `text` if it passes the check, else the safe reply (for whole replies).

        The reply the output guard settled on is sent as a `replace` and then as `done`'s
        text: the second look, against the same grounding, is not repeated.
        """
        if text == self._passed:
            return text
        if not self.passes(text):
            return SAFE_REPLY
        self._passed = text
        return text

    def _window_start(self) -> int:
        """Return where the text checked before a release starts: the new text's lead-in.

        What was released already passed, so only the new text needs checking, plus enough
        before it (from a word boundary, never mid-number) for a rate or term phrase that
        spans the join, such as "at" released before "8.65% a year", or a "not" before a
        phrase. Re-checking the whole reply on every piece made the guard's cost grow with
        the square of its length.
        """
        lead = max(0, self._released - WINDOW_LEAD_CHARS)
        return self._text.rfind(" ", 0, lead) + 1 if lead else 0

    def _cut(self) -> int:
        """Return how far the text may be released once checked (see the module doc)."""
        pending = self._text[self._released :]
        clause = 0
        for match in _CLAUSE_END.finditer(pending):
            clause = match.end()
        digit = _DIGIT.search(pending)
        plain = pending[: digit.start()] if digit else pending
        space = max(plain.rfind(" "), plain.rfind("\n"))
        return self._released + max(clause, space + 1)

    def _hold_phrase_start(self, cut: int) -> int:
        """Return `cut`, or the start of the words before it that may begin an unsafe phrase."""
        earliest = max(self._released, cut - self._phrase_chars)
        for match in _WORD_START.finditer(self._text, earliest, cut):
            if could_start_unsafe(self._text[match.start() : cut]):
                return match.start()
        return cut

    def _release(self, cut: int, *, final: bool = False) -> str:
        """Check the text up to `cut`; release it, but for words that may begin a phrase.

        The words held back are checked too, so a phrase they already complete ("you are
        guaranteed" before "guaranteed approval" could follow) stops the draft here.
        """
        if cut <= self._released:
            return ""
        start = self._window_start()
        window = self._text[start:cut]
        check = check_text(
            window, self.grounded, self.policy, self.product, new_from=self._released - start
        )
        if not check.ok:
            self.held = True
            return ""
        upto = cut if final else self._hold_phrase_start(cut)
        out = self._text[self._released : upto]
        self._released = upto
        return out
