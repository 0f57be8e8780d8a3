"""Say what an applicant wants: high-precision rules first, then a small trained classifier.

Rules catch what must never be missed (prompt-injection and refusal triggers,
slot-only answers); the classifier (TF-IDF + logistic regression trained from
the versioned `intents_v2.yaml`) handles paraphrases. Training is deterministic
and takes milliseconds, so it happens once per process at first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

INTENTS_PATH = Path(__file__).with_name("intents_v2.yaml")
MIN_CONFIDENCE = 0.25

_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "refuse_prompt_leak",
        re.compile(
            r"ignore (?:all |any |the )?(?:previous|prior|above|earlier) (?:instructions|rules)|"
            r"system prompt|your (?:instructions|rules|prompt)|developer mode|jailbreak|"
            r"repeat (?:the|everything) (?:text )?above|you are now|act as (?:an?|the) |"
            r"disregard (?:your|the|all)|forget (?:your|all|the) (?:rules|instructions)",
            re.IGNORECASE,
        ),
    ),
    (
        "refuse_other_person",
        re.compile(
            r"\b(?:my|his|her|their) (?:neighbou?r|brother|sister|friend|wife|husband|boss|"
            r"colleague|father|mother|son|daughter)'?s? (?:loan|application|rate|credit|debt)|"
            r"(?:another|other|someone else'?s?) (?:customer|person|applicant|user)'?s?|"
            r"\b[A-Z][a-z]+'s (?:loan|application|credit)",
        ),
    ),
    (
        "refuse_discrimination",
        re.compile(
            r"because (?:i'?m|i am|he'?s|she'?s|they'?re|he is|she is) (?:a |an )?"
            r"(?:man|woman|male|female|white|black|asian|hispanic|christian|muslim|jewish|"
            r"hindu|old|young|married|single|gay|straight|immigrant)|"
            r"\b(?:race|religion|gender|sex|ethnicity|nationality|skin colou?r|marital status)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "refuse_legal_tax",
        re.compile(r"\b(?:tax(?:es)?|deduct\w*|lawyer|attorney|sue|lawsuit|legally|bankruptcy)\b"),
    ),
    ("explain_term", re.compile(r"\b(?:apr|emi|dti)\b", re.IGNORECASE)),
]


@dataclass(frozen=True)
class Intent:
    """The understood intent with its confidence and where it came from (rule or model)."""

    name: str
    confidence: float
    source: str


class IntentClassifier:
    """TF-IDF (words and character n-grams) + logistic regression over example utterances."""

    def __init__(self, examples: dict[str, list[str]], version: str) -> None:
        texts = [t for utterances in examples.values() for t in utterances]
        labels = [name for name, utterances in examples.items() for _ in utterances]
        features = FeatureUnion(
            [
                ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
                ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))),
            ]
        )
        self.pipeline = Pipeline(
            [("features", features), ("model", LogisticRegression(C=8.0, max_iter=2000))]
        )
        self.pipeline.fit(texts, labels)
        self.version = version

    def predict(self, text: str) -> Intent:
        """Return the most likely intent, or `unknown` below the confidence floor."""
        probabilities = self.pipeline.predict_proba([text])[0]
        best = int(probabilities.argmax())
        name = str(self.pipeline.classes_[best])
        confidence = float(probabilities[best])
        if confidence < MIN_CONFIDENCE:
            return Intent("unknown", confidence, "model")
        return Intent(name, confidence, "model")


@lru_cache(maxsize=2)
def load_classifier(path: Path = INTENTS_PATH) -> IntentClassifier:
    """Train (once per process) the classifier from the versioned examples file."""
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return IntentClassifier(data["intents"], str(data["version"]))


def rule_intent(text: str) -> Intent | None:
    """Return the intent a high-precision rule fires for, if any."""
    for name, pattern in _RULES:
        if pattern.search(text):
            return Intent(name, 1.0, "rule")
    return None


@lru_cache(maxsize=4096)
def classify(text: str) -> Intent:
    """Return the applicant's intent: rules first, the trained model otherwise."""
    return rule_intent(text) or load_classifier().predict(text)
