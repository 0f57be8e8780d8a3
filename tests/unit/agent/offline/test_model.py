from decimal import Decimal

from lending.amortization import monthly_payment


def test_quote_matches_formula_to_the_cent(chat):
    reply = chat.say("I want a car loan of $20,000 over 4 years")
    expected = monthly_payment(Decimal(20000), Decimal("8.65"), 48)
    assert f"${expected:,.2f}" in reply
    assert "income" in reply  # goes on to ask for what the application still needs


def test_asks_for_what_is_missing_then_accepts_correction(chat):
    assert "how much" in chat.say("a car loan please").lower()
    assert "$40,000.00 over 60 months" in chat.say("40k over 5 years")
    reply = chat.say("actually it's 35k, not 40k")
    assert "$35,000.00 over 60 months" in reply


def test_out_of_range_request_is_explained_and_asked_again(chat):
    reply = chat.say("car loan 900k over 4 years")
    assert "between $5,000 and $50,000" in reply and "How much would you like to borrow?" in reply
    tools = [m.name for m in chat.state["messages"] if m.type == "tool"]
    assert tools == ["search_policy"]  # the rule is looked up and cited; nothing is priced


def test_same_conversation_gives_same_words(advisor):
    from tests.unit.agent.conftest import Chat

    a, b = Chat(advisor, "a"), Chat(advisor, "b")
    for text in ("hi", "car loan 20k over 3 years", "I earn 70k a year, employed 4 years"):
        assert a.say(text) == b.say(text)


# -- streaming ---------------------------------------------------------------------------
import asyncio  # noqa: E402

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from langchain_core.messages import HumanMessage  # noqa: E402

from agent.offline.model import STREAM_PIECE_CHARS, OfflineAdvisorModel, _pieces  # noqa: E402


@given(st.text(alphabet=st.sampled_from("ab $,.\n\t9"), max_size=300))
def test_pieces_join_back_to_the_reply_and_split_only_between_words(text):
    pieces = _pieces(text)
    assert "".join(pieces) == text
    for piece in pieces[:-1]:
        assert piece[-1].isspace()  # never inside a word (or a figure like $1,234.56)
        assert len(piece) >= STREAM_PIECE_CHARS


def test_a_reply_streams_in_a_few_pieces_not_a_word_each():
    model = OfflineAdvisorModel()
    messages = [HumanMessage("hi, what can you do?")]
    full = model.invoke(messages).content
    chunks = [str(c.content) for c in model.stream(messages)]
    assert "".join(chunks) == full
    assert 1 < len(chunks) < len(str(full).split())


def test_async_api_gives_the_same_reply_and_chunks_as_the_sync_one():
    model = OfflineAdvisorModel()
    messages = [HumanMessage("I want a car loan of $20,000 over 4 years")]

    async def both():
        reply = await model.ainvoke(messages)
        chunks = [c async for c in model.astream(messages)]
        return reply, chunks

    reply, chunks = asyncio.run(both())
    assert reply.tool_calls == model.invoke(messages).tool_calls
    assert [c.tool_call_chunks for c in chunks] == [
        c.tool_call_chunks for c in model.stream(messages)
    ]


def test_a_counter_ask_before_any_offer_says_when_it_can_be_negotiated(chat):
    chat.say("I want a car loan of $20,000 over 4 years")
    chat.say("I earn 85k a year")
    reply = chat.say("can you lower my payment to 400?")
    assert "as soon as I have your offers" in reply
    assert reply.endswith("Are you employed, self-employed, unemployed or retired?")  # asks on
    assert "400" not in reply  # nothing was priced, so no figure is promised
    reply = chat.say("I'm 5 years employed")  # answers it: employed, for five years
    assert "existing debts" in reply and "employed" not in reply
