"""Cues in an applicant's words that the trained classifier reads badly, found by rule.

The classifier (agent/offline/intents.py) knows what a sentence is about; it does not know
where the conversation is. These detectors are the context-free half of that judgement: is
this a question, does it name a protected attribute, is it a counter-ask, does it ask to
skip the checks. agent/offline/understanding.py combines them with the dialogue state. Every
pattern runs over normalised text (agent/offline/normalise.py), so "twenty grand" is "20k".
"""

from __future__ import annotations

import re

# A question by its form: a question mark, or a sentence opening the way questions do.
_QUESTION = re.compile(
    r"\?|(?:^|[,;:.]\s)\W*(?:\w+[,:-]\s*)?(?:what|how|why|when|where|which|who|is|are|am|do|does|did|can|"
    r"could|will|would|should|may|minimum|maximum|tell me)\b"
)
# Age, marital status, sex, religion, origin: never used to decide or price.
_PROTECTED = re.compile(
    r"\b(?:age|aged|too old|(?:i'?m|i am|am i|being) (?:old|older|young|single|\d+)|"
    r"young|younger|elderly|senior|"
    r"married|marriage|marital|divorced|widow\w*|spouse|"
    r"wom[ae]n|female|male|man|men|gender|sex|"
    r"religion|religious|christian|muslim|jewish|hindu|"
    r"race|racial|ethnic\w*|skin colou?r|"
    r"immigrant|foreigner|nationality|national origin|citizen\w*|"
    r"single (?:mom|mum|mother|dad|father|parent))\b"
)
# Asking to be priced or judged on one ("lower it for my age", "give me a better rate").
_TREAT_DIFFERENTLY = re.compile(
    r"\bfor my (?:age|gender|sex|religion|race)\b|\b(?:deserve|should (?:charge|give)|"
    r"charge me less|give (?:me|us|them|him|her)|don'?t lend|do not lend|only to me|reject|"
    r"decline (?:them|him|her)|apply it|lower it|lower my rate|better (?:rate|terms)|discount)\b"
)
# "because I'm a man" as a reason for a demand, unless the sentence asks whether.
_BECAUSE_I_AM = re.compile(r"\b(?:because|since|as|so) (?:i'?m|i am|he'?s|she'?s|we'?re)\b")
_ASKS_FIRST = re.compile(
    r"^\W*(?:\w+[,:-]\s*)?(?:will|would|do|does|did|is|are|am|was|can|could)\b"
)
# "Does it affect / count against / matter / change": asking whether, not asking for.
_ASKS_WHETHER = re.compile(
    r"\b(?:affect|count|matter|change|used|use|look at|consider|factor|depend|"
    r"treat|differently|too old|against)\b|\?"
)
# Skipping the checks or overriding policy.
_BYPASS = re.compile(
    r"\b(?:without (?:checking|a check|any check|the check|looking)|skip (?:the )?"
    r"(?:credit )?checks?|no credit check|just (?:approve|give me)|don'?t want to give any|"
    r"override|authori[sz]e|as (?:the|an) (?:admin|administrator|manager|owner)|"
    r"ignore (?:your|the|all|my) (?:rules|instructions|policy))"
)
# Someone else's data: "my wife's score", "the last applicant's income".
_OTHER_PERSON = re.compile(
    r"\b(?:my (?:wife|husband|partner|neighbou?r|brother|sister|friend|boss|father|mother|"
    r"son|daughter)|(?:last|previous|other|another) (?:applicant|customer|user|person))\b"
    r"[^.?]{0,40}\b(?:score|income|loan|application|rate|debt|file|offers?|status)\b|"
    r"\b(?:score|income|loan|application|rate|debt|file)\b[^.?]{0,30}\b(?:does|did|of) "
    r"(?:my (?:wife|husband|partner|neighbou?r|brother|sister|friend)|the (?:last|previous) "
    r"(?:applicant|customer))"
)
# A counter-ask about price or terms: a rate, a payment, a term, an amount, "cheaper".
_RATE_ASK = re.compile(
    r"\d+(?:\.\d+)?\s*(?:%|percent)|\b(?:rate|interest|apr|discount|cheaper|beat it|"
    r"better deal|interest[- ]free|zero interest)\b"
)
_PAYMENT_ASK = re.compile(
    r"\b(?:payments?|monthly|instal?ments?|emi|afford|a month|per month|/month)\b"
)
_TERM_ASK = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:months?|years?)\b|\b(?:longer|shorter|stretch|extend|"
    r"pay it off (?:faster|sooner|quicker|in)|more time)\b"
)
_AMOUNT_ASK = re.compile(
    r"\b(?:borrow|instead|only need|need only|get|go to|make it|how about|what about|"
    r"what if|less|more|smaller|bigger|larger|lower amount|increase|reduce)\b"
)
_FIGURE = re.compile(r"\d")
# Statements that are policy questions in all but form ("someone applied in my name").
_POLICY_TOPIC = re.compile(
    r"\bin my name\b|\bfraud|identity theft|\bscam|\bcomplain|discriminat|hardship|"
    r"lost my job|can'?t (?:pay|afford) (?:my|the) (?:instal|payment|emi)"
)
# "Why do you need my income?", "what happens next?".
_WHY_NEEDED = re.compile(
    r"\bwhy (?:do|would|does) (?:you|the bank|the advisor) (?:need|want|ask)|"
    r"\bwhy (?:are you asking|ask (?:me )?(?:for|about)|is that needed|does that matter)|"
    r"\bwhat (?:do you need|is) (?:this|that|it) for\b"
)
_WHAT_NEXT = re.compile(
    r"\bwhat (?:happens|comes) (?:next|now|after(?: that)?)\b|\bwhat are the next steps\b|"
    r"\bwhat (?:do|should) i do next\b"
)


def is_question(text: str) -> bool:
    """Say whether the message is phrased as a question."""
    return bool(_QUESTION.search(text))


def policy_topic_cue(text: str) -> bool:
    """Say whether the message raises a policy matter without asking a question."""
    return bool(_POLICY_TOPIC.search(text))


def fairness_cue(text: str) -> str | None:
    """Return "question" or "request" when a protected attribute is raised, else None.

    A question ("does my age affect the rate?") deserves a plain fair-lending answer; a
    request to be treated differently because of one ("lower it for my age") is refused.
    """
    if not _PROTECTED.search(text):
        return None
    if _TREAT_DIFFERENTLY.search(text):
        return "request"
    if _BECAUSE_I_AM.search(text) and not _ASKS_FIRST.search(text):
        return "request"
    return "question" if _ASKS_WHETHER.search(text) else None


def bypass_cue(text: str) -> bool:
    """Say whether the message asks to skip the checks or override the policy."""
    return bool(_BYPASS.search(text))


def other_person_cue(text: str) -> bool:
    """Say whether the message asks about someone else's data."""
    return bool(_OTHER_PERSON.search(text))


def counter_ask_cue(text: str) -> bool:
    """Say whether the message asks for other terms (rate, payment, term or amount)."""
    if _RATE_ASK.search(text) or (_PAYMENT_ASK.search(text) and _FIGURE.search(text)):
        return True
    if re.search(r"\b(?:lower|smaller|reduce|cut|bring down)\b", text) and _PAYMENT_ASK.search(
        text
    ):
        return True
    if _TERM_ASK.search(text):
        return True
    return bool(_FIGURE.search(text) and _AMOUNT_ASK.search(text))


def rate_ask_cue(text: str) -> bool:
    """Say whether the message bargains over the rate ("drop the rate a bit", "8%?")."""
    return bool(_RATE_ASK.search(text))


def payment_ask_cue(text: str) -> bool:
    """Say whether the message asks about the monthly payment ("under 450 a month?")."""
    return bool(_PAYMENT_ASK.search(text) or _RATE_ASK.search(text))


def why_needed_cue(text: str) -> bool:
    """Say whether the applicant asks why a detail is needed."""
    return bool(_WHY_NEEDED.search(text))


def what_next_cue(text: str) -> bool:
    """Say whether the applicant asks what happens next."""
    return bool(_WHAT_NEXT.search(text))
