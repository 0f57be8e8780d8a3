import pytest

from agent.offline.documents import (
    names_documents_generally,
    outstanding,
    says_sent,
    sent_document,
)

CAR = [
    "Government-issued photo ID",
    "Proof of income (last two pay slips, or the last two tax returns if self-employed)",
    "Bank statements for the last three months",
    "Vehicle purchase agreement or dealer invoice",
]


@pytest.mark.parametrize(
    ("text", "document"),
    [
        ("I've uploaded my payslips", CAR[1]),
        ("I have sent my passport", CAR[0]),
        ("I uploaded a photo of my ID", CAR[0]),
        ("my ID is attached", CAR[0]),
        ("I just emailed the bank statements", CAR[2]),
        ("here are my pay slips", CAR[1]),
        ("I sent the dealer invoice", CAR[3]),
    ],
)
def test_a_sent_document_is_found_by_its_everyday_words(text, document):
    assert sent_document(text, CAR) == document


@pytest.mark.parametrize(
    "text",
    ["Have I sent my ID?", "How do I upload my ID?", "what is an ID", "I need my payslips first"],
)
def test_asking_about_a_document_is_not_saying_it_was_sent(text):
    assert sent_document(text, CAR) is None


def test_only_outstanding_documents_can_be_named():
    assert sent_document("I've uploaded my payslips", [CAR[0], CAR[2]]) is None


def test_sent_documents_named_generally_are_told_apart_from_other_news():
    assert names_documents_generally("I've sent the documents")
    assert says_sent("I've submitted my application")
    assert not names_documents_generally("I've submitted my application")
    assert sent_document("I've submitted my application", CAR) is None


def _application(**over):
    decision = {"outcome": "conditionally_approved", "required_documents": CAR}
    return {"status": "approved", "decision": decision, **over}


def test_outstanding_follows_the_latest_document_state_a_tool_returned():
    assert outstanding(_application()) == CAR
    states = [{"name": n, "provided": i == 0} for i, n in enumerate(CAR)]
    assert outstanding(_application(documents=states)) == CAR[1:]
    assert outstanding(_application(status="offer_accepted")) == []
    assert outstanding({"status": "approved", "decision": {"outcome": "approved"}}) == []
    assert outstanding(None) == []
