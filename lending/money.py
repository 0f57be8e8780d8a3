"""Money arithmetic in `Decimal`, rounded half-up to the cent.

Floats cannot represent cents exactly, and an applicant compares our payment
with their bank statement to the cent, so every amount is a `Decimal`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal | int | float | str) -> Decimal:
    """Round to the cent, half-up (the convention printed on our disclosures)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
