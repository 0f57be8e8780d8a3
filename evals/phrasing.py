"""Say a persona's facts the way people do: terse, chatty, in words, "85k", monthly, typos.

Every rendering is exact (a monthly figure is used only when the yearly one divides by
twelve to the cent), so a correct advisor can always recover the persona's true value.
"""

from __future__ import annotations

from decimal import Decimal

from evals.schema import Style

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()


def words(n: int) -> str:
    """Return `n` (0 <= n < 10**9) in English words: 120000 -> 'one hundred and twenty thousand'."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" and {words(rest)}" if rest else "")
    for size, name in ((1_000_000, "million"), (1000, "thousand")):
        if n >= size:
            head, rest = divmod(n, size)
            joiner = " and " if 0 < rest < 100 else " "
            return f"{words(head)} {name}" + (f"{joiner}{words(rest)}" if rest else "")
    raise ValueError(n)  # pragma: no cover - unreachable for n < 10**9


def money(value: Decimal, style: Style) -> str:
    """Render an amount of dollars in `style`."""
    whole = value == value.to_integral_value()
    n = int(value)
    if style == "words" and whole:
        return f"{words(n)} dollars"
    if style == "slang" and whole and n >= 1000 and n % 1000 == 0:
        return f"{n // 1000}k" if (n // 1000) % 2 else f"{words(n // 1000)} grand"
    if style == "chatty":
        return f"about ${value:,.0f}" if whole else f"about ${value:,.2f}"
    if style == "typos" and whole:
        return f"{n:,} dollers"
    return f"{n}" if whole else f"{value:.2f}"


def income(annual: Decimal, style: Style) -> str:
    """Render a yearly income in `style`; `monthly` says a monthly figure when it is exact."""
    monthly = annual / 12
    if style == "monthly" and monthly == monthly.quantize(Decimal("0.01")):
        return f"${monthly:,.2f} a month".replace(".00 ", " ")
    if style == "slang" and annual % 1000 == 0:
        return f"{int(annual) // 1000}k a year"
    if style == "typos":
        return f"{money(annual, 'terse')} a yaer"
    return f"{money(annual, style)} a year"


def months(n: int, style: Style) -> str:
    """Render a term of `n` months in `style` (years when it divides evenly)."""
    if n % 12 == 0 and style in ("chatty", "slang", "words"):
        years = n // 12
        count = words(years) if style == "words" else str(years)
        return f"{count} year" + ("s" if years != 1 else "")
    if n % 12 == 6 and n > 12 and style == "slang":
        return f"{n // 12} and a half years"
    if style == "words":
        return f"{words(n)} months"
    if style == "typos":
        return f"{n} monhts"
    return f"{n} months"


def count(n: int, noun: str, style: Style) -> str:
    """Render a small count ('two kids', 'no loans', '3 loans') in `style`."""
    if n == 0:
        return f"no {noun}s"
    plural = noun if n == 1 else noun + "s"
    return f"{words(n) if style in ('words', 'chatty', 'slang') else n} {plural}"


def plain(n: int, style: Style) -> str:
    """Render a bare number ('41', 'forty-one')."""
    return words(n) if style == "words" else str(n)
