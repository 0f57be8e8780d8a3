"""Query processing: validation, standalone rewrite with history, product filter, synonyms."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.errors import ValidationFailed
from retrieval.lexical import STOP_WORDS

MAX_QUERY_CHARS = 2000

PRODUCT_TERMS: dict[str, tuple[str, ...]] = {
    "car": ("car", "cars", "vehicle", "auto", "automobile", "suv", "ev"),
    "home": ("home", "house", "mortgage", "apartment", "flat", "property", "condo"),
    "gold": ("gold", "jewellery", "jewelry", "bangles", "necklace"),
    "education": (
        "education",
        "student",
        "study",
        "studies",
        "tuition",
        "college",
        "university",
        "school",
        "degree",
        "masters",
    ),
    "personal": ("personal",),
    "medical": ("medical", "hospital", "surgery", "treatment", "dental", "doctor", "ivf"),
}

# Known abbreviations and applicant wording mapped to the corpus's own terms. Single words
# match whole words; phrases match as substrings of the lowercased query.
SYNONYMS: dict[str, str] = {
    "emi": "equated monthly instalment payment",
    "instalment": "emi monthly payment",
    "installment": "instalment emi monthly payment",
    "apr": "annual percentage rate",
    "tenure": "term length months",
    "term": "tenure",
    "duration": "tenure",
    "dti": "debt-to-income ratio",
    "kyc": "identity verification know your customer",
    "noc": "no-dues certificate closure",
    "foreclose": "foreclosure full prepayment early closure",
    "foreclosure": "full prepayment early closure",
    "ltv": "loan-to-value",
    "payoff": "prepayment early closure",
    "deferment": "moratorium payment holiday",
    "forbearance": "hardship payment holiday",
    "cosigner": "co-applicant guarantor",
    "cosign": "co-applicant guarantor",
    "fico": "credit score",
    "rejected": "declined adverse action reasons",
    "denied": "declined adverse action reasons",
    "refused": "declined adverse action reasons",
    "deposit": "down payment",
    "salary": "income",
    "wage": "income",
    "paperwork": "documents",
    "fee": "fees charges",
    "charges": "fees",
    "penalty": "charge fee",
    "die": "death borrower dies life cover insurance",
    "death": "borrower dies life cover insurance",
    "approve": "decision approval",
    "decide": "decision",
    "mortgage": "home loan",
    "uni": "university studies education",
    "payday": "due date",
    "bot": "digital advisor assistant",
    "chatbot": "digital advisor assistant",
}
PHRASES: dict[str, str] = {
    "turned down": "declined adverse action reasons",
    "pay off": "prepayment close early",
    "paid off": "closure no-dues certificate",
    "fully paid": "closure no-dues certificate",
    "finish paying": "closure no-dues certificate lien release",
    "pay early": "prepayment",
    "early repayment": "prepayment",
    "money land": "disbursement paid out",
    "get the money": "disbursement paid out",
    "receive the money": "disbursement paid out",
    "hear back": "decision timelines",
    "how long": "timelines days",
    "lost my job": "hardship job loss",
    "can't pay": "hardship payment difficulties",
    "cannot pay": "hardship payment difficulties",
    "money is tight": "hardship payment difficulties",
    "more than one loan": "existing loans",
    "two loans": "more than one loan existing",
    "another loan": "more than one loan existing",
    "real person": "loan officer",
    "human": "loan officer",
    "in my name": "fraud identity",
    "take the car": "repossess secured collateral",
    "take my house": "enforce mortgage secured collateral",
    "work out": "calculate formula",
}

_FOLLOW_UP_RE = re.compile(
    r"^(and|what about|how about|also|then|so|ok|okay)\b|\b(it|that|this|those|them|they|one)\b",
    re.IGNORECASE,
)
_WORD_RE = re.compile(r"[a-z0-9'-]+")


@dataclass(frozen=True)
class ProcessedQuery:
    """What the retrievers receive."""

    original: str
    standalone: str
    expanded: str
    product: str | None
    lexical: str = ""
    """What the lexical retriever matches: `expanded`, plus the product a caller gave when the
    question names none (empty: `expanded` itself)."""

    @property
    def words(self) -> str:
        """Return the text the lexical retriever matches."""
        return self.lexical or self.expanded


def detect_product(text: str) -> str | None:
    """Return the single product the text names, or None when none or several are named."""
    words = set(_WORD_RE.findall(text.lower()))
    found = [p for p, terms in PRODUCT_TERMS.items() if words.intersection(terms)]
    return found[0] if len(found) == 1 else None


def expand_synonyms(text: str) -> str:
    """Append the corpus wording of any known abbreviation or synonym in `text`."""
    lowered = text.lower()
    words = _WORD_RE.findall(lowered)
    extra = [SYNONYMS[w] for w in dict.fromkeys(words) if w in SYNONYMS]
    extra += [terms for phrase, terms in PHRASES.items() if phrase in lowered]
    return f"{text} {' '.join(extra)}" if extra else text


def rewrite_standalone(query: str, history: list[str] | None) -> str:
    """Make a follow-up self-contained by carrying over content words of the last turn.

    "what about for a car?" after "is there a prepayment penalty on personal loans?" becomes
    a query about prepayment penalties on car loans. Deterministic on purpose: it costs no
    model call, and an LLM-driven agent may pass an already rewritten query anyway.
    """
    turns = [h.strip() for h in (history or []) if h and h.strip()]
    if not turns:
        return query
    words = _WORD_RE.findall(query.lower())
    content = [w for w in words if w not in STOP_WORDS]
    if len(content) > 5 and not _FOLLOW_UP_RE.search(query):
        return query
    previous = turns[-1]
    new_product = detect_product(query)
    carried = []
    for word in _WORD_RE.findall(previous.lower()):
        if word in STOP_WORDS or word in words:
            continue
        if new_product and any(word in terms for terms in PRODUCT_TERMS.values()):
            continue  # the user switched product: drop the old one
        carried.append(word)
    if not carried:
        return query
    return f"{query} {' '.join(dict.fromkeys(carried))}"


def process_query(
    query: str, *, history: list[str] | None = None, product: str | None = None
) -> ProcessedQuery:
    """Validate and prepare a query; `product` given by the caller wins over detection."""
    text = (query or "").strip()
    if not text:
        raise ValidationFailed("the search query is empty", field="query")
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationFailed(
            f"the search query is longer than {MAX_QUERY_CHARS} characters", field="query"
        )
    if product is not None and product not in PRODUCT_TERMS:
        raise ValidationFailed(
            f"unknown product {product!r}; use one of {', '.join(PRODUCT_TERMS)}", field="product"
        )
    standalone = rewrite_standalone(text, history)
    detected = product or detect_product(text)
    if detected is None and history:
        detected = detect_product(standalone)
    expanded = expand_synonyms(standalone)
    lexical = ""
    if product is not None and detect_product(standalone) is None:
        # The conversation is about this product though the question does not say so ("what
        # documents do I need?" in a car-loan thread): the product's words lift its own
        # passages. Lexically only: in the query's embedding they outweighed what was asked
        # ("can I get a lower rate?" drifted to the car sheet's example payment).
        lexical = f"{expanded} {product} loan"
    return ProcessedQuery(
        original=text, standalone=standalone, expanded=expanded, product=detected, lexical=lexical
    )
