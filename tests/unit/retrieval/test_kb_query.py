import pytest

from core.errors import ValidationFailed
from retrieval.query import MAX_QUERY_CHARS, detect_product, expand_synonyms, process_query


@pytest.mark.parametrize("bad", ["", "   ", "x" * (MAX_QUERY_CHARS + 1)])
def test_empty_or_huge_queries_are_refused(bad):
    with pytest.raises(ValidationFailed) as err:
        process_query(bad)
    assert err.value.field == "query"


def test_unknown_product_filter_is_refused():
    with pytest.raises(ValidationFailed) as err:
        process_query("rates", product="boat")
    assert err.value.field == "product"


@pytest.mark.parametrize(
    ("text", "product"),
    [
        ("rate on a used vehicle", "car"),
        ("mortgage deposit", "home"),
        ("borrow against my jewellery", "gold"),
        ("tuition at university", "education"),
        ("loan for my surgery", "medical"),
        ("car or house?", None),
        ("what is APR", None),
    ],
)
def test_product_detection(text, product):
    assert detect_product(text) == product


def test_synonyms_expand_abbreviations_and_phrases():
    assert "equated monthly instalment" in expand_synonyms("what is my EMI")
    assert "annual percentage rate" in expand_synonyms("APR?")
    assert "term" in expand_synonyms("max tenure")
    assert "declined" in expand_synonyms("why was I turned down")
    assert expand_synonyms("hello") == "hello"


def test_follow_up_is_rewritten_with_the_previous_turn():
    q = process_query("and for a home loan?", history=["prepayment penalty on car loans"])
    assert "prepayment" in q.standalone and "penalty" in q.standalone
    assert "car" not in q.standalone.split()  # the user switched product
    assert q.product == "home"


def test_product_carries_over_from_history():
    q = process_query("what is the maximum amount?", history=["tell me about gold loans"])
    assert q.product == "gold"


def test_a_complete_question_is_left_alone():
    q = process_query(
        "how long does home loan valuation and disbursement usually take after signing",
        history=["hi there gold"],
    )
    assert q.standalone == q.original


def test_explicit_product_wins_over_detection():
    assert process_query("car fees", product="home").product == "home"


def test_the_conversations_product_is_searched_for_when_the_question_names_none():
    asked = process_query("what documents do I need to apply?", product="car")
    assert asked.words == "what documents do I need to apply? car loan"  # the lexical text
    assert asked.expanded == asked.standalone == "what documents do I need to apply?"  # embedded
    # A question naming a product is searched as asked, whatever the filter.
    assert process_query("car fees", product="home").words == "car fees"
    assert process_query("what documents do I need?").words == "what documents do I need?"
