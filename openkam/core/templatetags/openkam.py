from decimal import Decimal, InvalidOperation

from django import template

from openkam.core import formatting
from openkam.core.changelog import readable_changes as _readable_changes

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one). A sort key
    that is already active flips to descending."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        elif key == "ordering" and query.get("ordering") == value:
            query[key] = f"-{value}"
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag
def readable_changes(entry) -> list[tuple[str, str, str]]:
    """A change-log entry's changes as (label, old, new) in the reader's language."""
    return _readable_changes(entry)


# --- numbers, money and dates in the reader's locale (openkam.core.formatting) ---------------


@register.filter
def num(value, digits: int = 0) -> str:
    """1234567.8 → '1,234,568' (en), '1.234.568' (vi); `|num:2` keeps two decimals."""
    return formatting.number(_as_number(value), int(digits))


@register.filter
def pct(value, digits: int = 1) -> str:
    """A share, 0.8123 → '81.2%' (en), '81,2 %' (sr-latn); None → '—'."""
    return formatting.percent(_as_number(value), int(digits))


@register.filter
def signed_pct(value, digits: int = 1) -> str:
    """A change, 0.052 → '+5.2%'; None → '—'."""
    return formatting.percent(_as_number(value), int(digits), signed=True)


@register.filter
def money(value, currency: str) -> str:
    """An amount with its currency's symbol and decimals: ฿1,234.50, 1.234.568 ₫."""
    return formatting.money(_as_number(value), currency)


@register.filter
def day(value) -> str:
    """A date (or the date of a moment) in the reader's locale and calendar."""
    return formatting.day(value or None)


@register.filter
def moment(value) -> str:
    """A date and time of day in the reader's locale, calendar and time zone."""
    return formatting.moment(value or None)


def _as_number(value):
    if value in (None, ""):
        return None
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return None
    return value
