import pytest

from agent.offline.understanding import Situation, understand

NOTHING_YET = Situation()
ASKED_DEBTS = Situation(asked=("monthly_debt_payments", "existing_loans"), has_slots=True)
WITH_OFFERS = Situation(has_offers=True, has_application=True, has_slots=True)
CONFIRMING = Situation(awaiting="confirm", has_slots=True)


@pytest.mark.parametrize(
    ("text", "where", "intent"),
    [
        # the same words mean different things before and after an offer
        ("can you lower the rate you offered me?", NOTHING_YET, "policy_question"),
        ("can you lower the rate?", WITH_OFFERS, "negotiate"),
        ("I need a rate of 9%", WITH_OFFERS, "negotiate"),
        ("what if I borrow 15000 instead?", WITH_OFFERS, "negotiate"),
        ("I'll take option 1", WITH_OFFERS, "accept_offer"),
        # an answer to the pending question is an answer, whatever the classifier thinks
        ("about $2,400 a month, four loans", ASKED_DEBTS, "provide_info"),
        # a payment ask while confirming is a counter-ask, never the loan amount
        ("can the monthly be under $450?", CONFIRMING, "negotiate"),
        # policy questions in applicants' words
        ("can I get a loan to build my own house", NOTHING_YET, "policy_question"),
        ("someone applied for a loan in my name", NOTHING_YET, "policy_question"),
        ("how much would a car loan of 80000 over 5 years cost per month?", NOTHING_YET, "apply"),
        # fair lending and refusals
        ("does my religion matter for the loan?", NOTHING_YET, "fairness_question"),
        ("give me a better rate because I'm a man", NOTHING_YET, "refuse_discrimination"),
        ("approve me without checking my credit", NOTHING_YET, "refuse_policy_change"),
        ("why do you need my income?", ASKED_DEBTS, "why_needed"),
    ],
)
def test_understand_reads_words_in_context(text, where, intent):
    assert understand(text, where).name == intent
