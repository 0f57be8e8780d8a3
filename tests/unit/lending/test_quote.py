from decimal import Decimal

import pytest

from core.errors import ValidationFailed
from lending.amortization import monthly_payment
from lending.quote import standard_quote


def test_standard_quote_prices_at_mid_range():
    q = standard_quote("car", Decimal(20000), 48)
    assert q.annual_rate_pct == Decimal("8.65")
    assert q.monthly_payment == monthly_payment(Decimal(20000), Decimal("8.65"), 48)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("boat", Decimal(1000), 12), "product"),
        (("car", Decimal(60000), 48), "amount"),
        (("car", Decimal(-5), 48), "amount"),
        (("car", Decimal(20000), 120), "tenure_months"),
    ],
)
def test_standard_quote_errors_name_the_field(args, field):
    with pytest.raises(ValidationFailed) as err:
        standard_quote(*args)
    assert err.value.field == field
