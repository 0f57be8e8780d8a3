import pytest

from core.redaction import redact


@pytest.mark.parametrize(
    ("text", "secret", "label"),
    [
        ("mail me at jane.doe+x@example.co.uk please", "jane.doe+x@example.co.uk", "[EMAIL]"),
        ("my ssn is 123-45-6789", "123-45-6789", "[SSN]"),
        ("card 4111 1111 1111 1111 exp 12/29", "4111 1111 1111 1111", "[CARD]"),
        ("call (555) 123-4567 today", "123-4567", "[PHONE]"),
        ("account 123456789012", "123456789012", "[ACCOUNT]"),
    ],
)
def test_pii_is_masked(text, secret, label):
    out = redact(text)
    assert secret not in out and label in out


def test_loan_figures_survive():
    text = "car loan of $20,000 over 48 months at 8.65%"
    assert redact(text) == text
