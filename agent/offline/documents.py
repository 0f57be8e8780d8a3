"""Which document a conditional approval is waiting for the applicant says they have sent.

"I've uploaded my payslips" names a document by its everyday words, never by the policy's
full name ("Proof of income (last two pay slips, or the last two tax returns if
self-employed)"). The match is made against the words of the names the decision itself lists,
so a document the policy adds is recognised with no change here; only everyday synonyms
("passport" for an ID) are listed. The advisor names the document back and marks it only on a
yes, so a loose match costs a question, never a wrong mark.
"""

from __future__ import annotations

import re
from typing import Any

from agent.offline.normalise import normalise

# A past-tense statement that something went to us; "have I sent..." and "how do I upload"
# ask, they do not tell.
_SENT = re.compile(
    r"(?<!have )(?<!did )(?<!should )\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|already\s+|now\s+)?"
    r"(?:sent|uploaded|attached|emailed|e-mailed|mailed|posted|submitted|provided|faxed|"
    r"dropped off|handed in)\b|\b(?:sent|uploaded|attached) (?:it|them|you|over)\b|"
    r"\bhere (?:is|are) (?:my|the)\b|\b(?:is|are) (?:now )?(?:attached|uploaded)\b"
)
# Words of a document's name that say nothing about which document it is.
_WEAK = frozenset(
    "a an and the or of for from if by last two three six months month recent self employed "
    "issued government independent provider document documents copy".split()
)
# Everyday words for what a name calls otherwise, as the word the name uses.
_SYNONYMS = {
    "passport": "id",
    "licence": "id",
    "license": "id",
    "identification": "id",
    "payslip": "slip",
    "paystub": "slip",
    "stub": "slip",
    "wage": "slip",
    "salary": "income",
    "appraisal": "valuation",
}
# Said of documents in general: "I've sent the documents" names none, so the advisor asks.
_ANY_DOCUMENT = re.compile(r"\b(?:documents?|docs|paperwork|papers|everything|all of them)\b")
_WORD = re.compile(r"[a-z]+")


def _stem(word: str) -> str:
    word = _SYNONYMS.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return _SYNONYMS.get(word, word)


def _words(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text.lower())} - _WEAK


def says_sent(text: str) -> bool:
    """Say whether the message tells us something was sent or uploaded."""
    return bool(_SENT.search(normalise(text)))


def sent_document(text: str, outstanding: list[str]) -> str | None:
    """Return the outstanding document the message says was sent, or None if it names none.

    The name sharing most distinctive words with the message wins; on a tie the first listed
    (the decision's order), since the applicant confirms before anything is marked.
    """
    if not says_sent(text):
        return None
    said = _words(text)
    best, score = None, 0
    for name in outstanding:
        shared = len(_words(name) & said)
        if shared > score:
            best, score = name, shared
    return best


def names_documents_generally(text: str) -> bool:
    """Say whether a "sent" message speaks of documents without naming one."""
    return says_sent(text) and bool(_ANY_DOCUMENT.search(normalise(text)))


def outstanding(application: dict[str, Any] | None) -> list[str]:
    """Return the documents this conversation's conditional approval still waits for.

    The latest document state a tool returned wins (application_status, provide_document);
    before any, every document the decision asks for is outstanding.
    """
    if not application or application.get("status") != "approved":
        return []
    decision = application.get("decision") or {}
    if decision.get("outcome") != "conditionally_approved":
        return []
    known = application.get("documents")
    if isinstance(known, list):
        return [str(d["name"]) for d in known if not d.get("provided")]
    return [str(d) for d in decision.get("required_documents", [])]
