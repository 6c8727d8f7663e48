"""ISO 4217 currencies, named in the active language (from Babel's CLDR data)."""

from functools import cache

from babel.numbers import get_currency_name, list_currencies
from django.utils.translation import get_language, to_locale

# The currencies of OpenKAM's first users come first in every choice list.
PREFERRED = ["THB", "VND", "RSD", "PHP", "EUR", "USD"]


@cache
def _all_codes() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in _all_codes()


def currency_choices() -> list[tuple[str, str]]:
    locale = to_locale(get_language() or "en")
    try:
        named = {code: get_currency_name(code, locale=locale) for code in _all_codes()}
    except Exception:  # unknown locale in Babel: fall back to English names
        named = {code: get_currency_name(code, locale="en") for code in _all_codes()}
    rest = sorted((c for c in named if c not in PREFERRED), key=lambda c: named[c])
    return [(code, f"{code} — {named[code]}") for code in [*PREFERRED, *rest]]
