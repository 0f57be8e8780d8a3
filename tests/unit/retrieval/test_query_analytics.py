"""Question topics with the KB's real MiniLM encoder; gaps by confidence and thumbs-down."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from core.redaction import redact_for_analytics
from retrieval.minilm import MiniLmEncoder
from retrieval.query_analytics import topics
from storage.events import EventRecord

T0 = datetime(2026, 11, 2, tzinfo=UTC)
RATES = [
    "What interest rate would I get on a car loan?",
    "How is the interest rate decided?",
    "Can I get a lower interest rate?",
    "what are your car loan interest rates",
]
EARLY = [
    "Can I repay my loan early without a penalty?",
    "Is there a fee for early repayment?",
    "What happens if I pay off the loan early?",
]
GOLD = ["Do you accept gold jewellery as collateral?", "How much can I borrow against gold?"]


@pytest.fixture(scope="module")
def encoder() -> MiniLmEncoder:
    return MiniLmEncoder()


def _events() -> list[EventRecord]:
    out = []
    for n, (group, text) in enumerate(
        [("r", t) for t in RATES] + [("e", t) for t in EARLY] + [("g", t) for t in GOLD]
    ):
        out.append(EventRecord(event_id=f"q{n}", kind="question", thread_id=f"{group}{n}",
                               payload={"text": text}, at=T0))  # fmt: skip
    for n in (7, 8):  # both gold conversations got a thumbs-down, one rates thread a thumbs-up
        out.append(EventRecord(event_id=f"f{n}", kind="feedback", thread_id=f"g{n}",
                               payload={"thumb": "down"}, at=T0))  # fmt: skip
    out.append(EventRecord(event_id="f0", kind="feedback", thread_id="r0",
                           payload={"thumb": "up"}, at=T0))  # fmt: skip
    return out


def test_questions_cluster_into_topics_with_counts_and_examples(encoder) -> None:
    found = topics(_events(), encoder)
    assert [t.count for t in found] == [4, 3, 2]
    assert "interest" in found[0].label and "rate" in found[0].label
    assert set(found[1].examples) <= set(EARLY) and len(found[0].examples) == 3
    gold = found[2]
    assert gold.thumbs_down_share == 1.0 and gold.gap and "thumbs-down" in gold.why[0]
    assert found[0].thumbs_down_share == 0.0 and not found[0].gap


def test_low_confidence_flags_a_gap(encoder) -> None:
    def confidence(text: str, vector: np.ndarray) -> float:
        return 0.2 if "early" in text.lower() else 0.8

    found = {t.count: t for t in topics(_events(), encoder, confidence)}
    assert found[3].gap and "low retrieval confidence" in found[3].why[0]
    assert found[4].mean_confidence == 0.8 and not found[4].gap


def test_stored_text_is_redacted_of_names_and_amounts() -> None:
    text = redact_for_analytics("Hi, I'm Maria Lopez, can I borrow $25,000 or 30k at 5%?")
    assert "Maria" not in text and "25,000" not in text and "30k" not in text
    assert text == "Hi, I'm [NAME], can I borrow [AMOUNT] or [AMOUNT] at 5%?"


def test_no_questions_no_topics(encoder) -> None:
    assert topics([], encoder) == []
