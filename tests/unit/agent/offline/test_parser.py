import pytest

from agent.offline.parser import parse_amount, parse_message, parse_product, parse_tenure_months


@pytest.mark.parametrize(
    ("text", "product", "amount", "months"),
    [
        ("I want a car loan of $20,000 over 4 years", "car", 20000, 48),
        ("mortgage 250k for 30 years", "home", 250000, 360),
        ("need 15000 usd for tuition, five years", "education", 15000, 60),
        ("gold loan 3000 dollars 18 months", "gold", 3000, 18),
        ("a personal loan of 1.5k over 12 mos", "personal", 1500, 12),
        ("hello there", None, None, None),
    ],
)
def test_parses_loan_requests(text, product, amount, months):
    slots = parse_message(text)
    assert (slots.get("product"), slots.get("amount"), slots.get("tenure_months")) == (
        product,
        amount,
        months,
    )


@pytest.mark.parametrize(
    ("text", "expected", "want"),
    [
        ("I earn 85k a year, employed full-time for 6 years", (),
         {"annual_income": 85000, "years_employed": 6, "employment_status": "Employed"}),
        ("I make 6,000 a month", (), {"annual_income": 72000}),
        ("85000", ("annual_income",), {"annual_income": 85000}),
        ("5 years", ("years_employed",), {"years_employed": 5}),
        ("I pay 400 a month on credit cards and have one other loan", (),
         {"monthly_debt_payments": 400, "existing_loans": 1}),
        ("no debts, no other loans", (), {"monthly_debt_payments": 0, "existing_loans": 0}),
        ("my credit score is 720", (), {"credit_score": 720}),
        ("I don't know my score", (), {"credit_score": None}),
        ("I rent, two kids, bachelor's degree", (),
         {"home_ownership": "Rent", "num_dependents": 2, "education_level": "Bachelor's"}),
        ("I own my house outright, no kids, master's", (),
         {"home_ownership": "Own", "num_dependents": 0, "education_level": "Master's"}),
        ("I have a mortgage and 3 children", (),
         {"home_ownership": "Mortgage", "num_dependents": 3}),
        ("savings of 12k and 3,000 in checking", (),
         {"savings_balance": 12000, "checking_balance": 3000}),
        ("12000 and 2500", ("savings_balance", "checking_balance"),
         {"savings_balance": 12000, "checking_balance": 2500}),
        ("35", ("age",), {"age": 35}),
        ("self-employed for 4 years", (),
         {"years_employed": 4, "employment_status": "Self-Employed"}),
        ("I'm retired", (), {"employment_status": "Retired"}),
        ("gold loan of 5000 for 12 months, my gold is worth 9000", (),
         {"gold_value": 9000, "product": "gold", "amount": 5000, "tenure_months": 12}),
    ],
)  # fmt: skip
def test_parses_profile_answers(text, expected, want):
    assert dict(parse_message(text, expected)) == want


def test_owning_a_house_is_not_a_home_loan_request():
    assert "product" not in parse_message("I own my house outright")


def test_years_are_not_amounts():
    assert parse_amount("over 4 years") is None
    assert parse_tenure_months("over 4 years") == 48


def test_ambiguous_product_is_not_guessed():
    assert parse_product("car or home loan?") is None


def test_correction_targets_the_slot_that_held_the_negated_figure():
    current = {"amount": 54000.0, "savings_balance": 10000.0}
    assert dict(parse_message("actually it's 45k, not 54k", ("age",), current)) == {
        "amount": 45000.0
    }
    corrected = parse_message("sorry, 12k not 10000", (), current)
    assert dict(corrected) == {"savings_balance": 12000.0}


def test_bare_figures_only_fill_slots_they_fit():
    assert dict(parse_message("67", ("existing_loans",))) == {}
    assert dict(parse_message("67", ("existing_loans", "age"))) == {"age": 67}
    assert dict(parse_message("no", ("existing_loans",))) == {"existing_loans": 0}


def test_monthly_income_answers_are_annualised():
    assert parse_message("I get 1,500 a month from benefits", ("annual_income",)) == {
        "annual_income": 18000
    }
    assert parse_message("my pension is 2,000 monthly")["annual_income"] == 24000


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("I rent, no dependents, bachelor's degree, I'm 34", 34),
        ("i am 52", 52),
        ("29 y/o", 29),
        ("I'm 45 years old", 45),
        ("I'm 12", None),  # below any legal age: not taken as an answer
        ("I'm 34k in debt", None),
        ("I'm 30 years employed at acme", None),
    ],
)
def test_age_in_applicants_words(text, age):
    assert parse_message(text).get("age") == age


def test_a_counter_ask_does_not_answer_the_pending_question():
    found = parse_message("can you lower my payment to 400?", expected=["savings_balance"])
    assert "savings_balance" not in found
    assert parse_message("400", expected=["savings_balance"])["savings_balance"] == 400


@pytest.mark.parametrize(
    ("text", "years", "status"),
    [
        ("I'm 5 years employed", 5, "Employed"),
        ("3 yrs self-employed", 3, "Self-Employed"),
        ("10 years working as a nurse", 10, "Employed"),
    ],
)
def test_years_before_employed_are_employment_not_the_loan_term(text, years, status):
    slots = parse_message(text, expected=["tenure_months"])  # even while the term is asked
    assert (slots.get("years_employed"), slots.get("employment_status")) == (years, status)
    assert "tenure_months" not in slots


def test_a_term_beside_employment_years_stays_the_term():
    slots = parse_message("6 years of employment, car loan 10k over 3 years")
    assert (slots.get("years_employed"), slots.get("tenure_months")) == (6, 36)


@pytest.mark.parametrize(
    ("text", "expected", "want"),
    [
        # number words and slang
        ("fifteen grand for a car over eighteen months", (),
         {"product": "car", "amount": 15000, "tenure_months": 18}),
        ("twenty thousand dollars", ("amount",), {"amount": 20000}),
        ("a hundred and twenty k", ("annual_income",), {"annual_income": 120000}),
        ("2 and a half years", ("tenure_months",), {"tenure_months": 30}),
        # a second figure in the opening message keeps its own role
        ("I'd like 15k for a car, I make 72k yearly", (),
         {"product": "car", "amount": 15000, "annual_income": 72000}),
        ("need a car loan of 20000, 90k salary", (),
         {"product": "car", "amount": 20000, "annual_income": 90000}),
        ("car loan, 18000, no other debts", (),  # no debts: no other loans either
         {"product": "car", "amount": 18000, "monthly_debt_payments": 0, "existing_loans": 0}),
        ("I pay 250 a month on one other loan", (),
         {"monthly_debt_payments": 250, "existing_loans": 1}),
        ("-5000 a year, employed", (), {"annual_income": -5000, "employment_status": "Employed"}),
        ("sorry, I meant 760 for the score, not 720", ("savings_balance",), {"credit_score": 760}),
        ("make it 60 months instead", ("years_employed",), {"tenure_months": 60}),
        ("40,000 dollers savings, 5,000 dollers checking", (),
         {"savings_balance": 40000, "checking_balance": 5000}),
        # ordinary words answering the question just asked
        ("none", ("monthly_debt_payments",), {"monthly_debt_payments": 0}),
        ("nothing really", ("savings_balance",), {"savings_balance": 0}),
        ("own, two kids", ("home_ownership", "num_dependents"),
         {"home_ownership": "Own", "num_dependents": 2}),
        ("renting", ("home_ownership",), {"home_ownership": "Rent"}),
        # corrections
        ("actually, make it 25k", ("annual_income",), {"amount": 25000}),
        ("sorry I meant 30000", (), {"amount": 30000}),
        ("change the term to 5 years", ("years_employed",), {"tenure_months": 60}),
    ],
)  # fmt: skip
def test_understands_applicants_as_they_talk(text, expected, want):
    assert dict(parse_message(text, expected)) == want


@pytest.mark.parametrize(
    "text",
    [
        "can I get the payment down to 400 a month?",
        "what about a payment of 350",
        "could I pay 300 a month instead",
    ],
)
def test_a_target_payment_is_never_the_loan_amount(text):
    assert "amount" not in parse_message(text, (), {"amount": 20000.0})


def test_figure_first_balances_keep_their_own_slots():
    slots = parse_message("forty thousand dollars savings, five thousand dollars checking")
    assert dict(slots) == {"savings_balance": 40000, "checking_balance": 5000}
    assert dict(parse_message("two grand", ("checking_balance",))) == {"checking_balance": 2000}


def test_the_degree_a_loan_pays_for_is_not_the_applicants_education():
    slots = parse_message("education loan for my master's: about $40,000, over 10 years")
    assert "education_level" not in slots and slots["amount"] == 40000


def test_product_words_are_the_policys_products():
    from agent.offline.parser import PRODUCT_WORDS
    from lending.policy import load_policy

    products = load_policy().products
    assert set(PRODUCT_WORDS) == set(products)
    assert all(name in words for name, words in PRODUCT_WORDS.items())  # each by its own name
