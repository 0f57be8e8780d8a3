import pytest

from core.errors import NotFound, ValidationFailed
from tests.unit.tools.conftest import PROFILE, REQUEST, Thread

CONDITIONAL = {**PROFILE, "credit_score": 680}  # tier C with the rule scorer


@pytest.fixture
def conditional(thread):
    out = thread.call("submit_application", profile=CONDITIONAL, request=REQUEST)
    assert out["decision"]["outcome"] == "conditionally_approved"
    return out


def test_marking_a_document_records_it_and_says_what_accept_still_waits_for(
    thread, conditional, service
):
    required = conditional["decision"]["required_documents"]
    out = thread.call("provide_document", document=required[0])
    assert out["name"] == required[0] and out["status"] == "approved"
    assert out["outstanding"] == required[1:]
    assert out["accept_blocked"] == (f"Before you can accept, we need: {'; '.join(required[1:])}.")
    record = service.get(conditional["application_id"])
    assert [c.name for c in service.documents(record) if c.provided] == [required[0]]
    assert record.history[-1].actor == "usr_alice001"


def test_once_every_document_is_in_accept_opens(thread, conditional, service):
    for name in conditional["decision"]["required_documents"]:
        out = thread.call("provide_document", document=name)
    assert out["outstanding"] == [] and out["accept_blocked"] is None
    accepted = thread.call("accept_offer", offer_id="1")
    assert accepted["status"] == "offer_accepted"


def test_a_document_the_decision_does_not_ask_for_is_refused(thread, conditional, service):
    with pytest.raises(ValidationFailed, match="does not ask for 'Passport'"):
        thread.call("provide_document", document="Passport")
    record = service.get(conditional["application_id"])
    assert not any(c.provided for c in service.documents(record))


def test_only_the_applicants_own_application_can_be_marked(tools, thread, conditional, service):
    intruder = Thread(tools, user_id="usr_mallory1", thread_id="thr_test")
    intruder.state["application"] = thread.state["application"]  # even with the id in hand
    with pytest.raises(NotFound):
        intruder.call("provide_document", document=conditional["decision"]["required_documents"][0])
    record = service.get(conditional["application_id"])
    assert not any(c.provided for c in service.documents(record))
