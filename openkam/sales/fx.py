"""Importing exchange rates (`kam import fx PATH`): currency, date, rate per line.

The rate is how many units of the reporting currency (KAM_REPORTING_CURRENCY) one unit of the
currency buys from that date on. Files are small, so they are read in Python.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from openkam.accounts.currencies import is_currency
from openkam.facts import formats, readers
from openkam.facts.pipeline import human_date_format

from .models import ExchangeRate

COLUMN_NAMES = {
    "currency": {"currency", "ccy", "curr", "code", "currency code", "valuta"},
    "date": {"date", "valid from", "valid_from", "day", "as of", "datum", "ngay"},
    "rate": {"rate", "exchange rate", "fx rate", "fx", "value", "kurs", "ty gia"},
}


def _columns(header: list[str]) -> dict[str, int]:
    found = {}
    for index, name in enumerate(header):
        key = name.strip().lower().replace("_", " ")
        for target, names in COLUMN_NAMES.items():
            if key in names and target not in found:
                found[target] = index
    missing = [t for t in COLUMN_NAMES if t not in found]
    if missing:
        raise ValueError(
            f"the header needs columns for {', '.join(missing)} "
            f"(e.g. `currency,date,rate`); it has {', '.join(header)}"
        )
    return found


def import_rates(path: Path) -> dict:
    """Create or update the rates in the file; lines that make no sense are reported."""
    info = readers.sniff(path)
    try:
        cols = _columns(info.header)
    except ValueError as error:
        raise readers.SourceError(f"{path.name}: {error}") from error
    body = list(readers.iter_rows(path, info))  # rates files are small; xlsx works too
    dates = formats.decide_dates([r[cols["date"]] for r in body if len(r) > cols["date"]])
    numbers = formats.decide_numbers([r[cols["rate"]] for r in body if len(r) > cols["rate"]])
    result = {
        "rows_read": len(body),
        "created": 0,
        "updated": 0,
        "rejected": 0,
        "problems": [],
        "reporting_currency": settings.REPORTING_CURRENCY,
    }
    with transaction.atomic():
        for line, row in enumerate(body, start=2):
            if not any(cell.strip() for cell in row):
                result["rows_read"] -= 1  # a blank line is not a rate
                continue
            problem = _store(row, cols, dates, numbers, result)
            if problem:
                result["rejected"] += 1
                result["problems"].append({"line": line, "reason": problem})
    return result


def _rate(text: str, numbers: formats.NumberDecision) -> Decimal | None:
    """A rate keeps all its decimals (VND: 0.00004), unlike amounts (4 places)."""
    text = text.strip()
    if numbers.thousands:
        text = text.replace(numbers.thousands, "")
    try:
        return Decimal(text.replace(numbers.decimal, "."))
    except InvalidOperation:
        return None


def _store(row, cols, dates, numbers, result) -> str | None:
    if len(row) <= max(cols.values()):
        return gettext("the line has fewer fields than the header")
    currency = row[cols["currency"]].strip().upper()
    if not is_currency(currency):
        return gettext("“%(value)s” is not an ISO 4217 currency code") % {"value": currency}
    day = formats.parse_date(row[cols["date"]], dates)
    if day is None:
        return gettext("“%(value)s” is not a date in the format %(format)s") % {
            "value": row[cols["date"]],
            "format": gettext(human_date_format(dates.format)),
        }
    rate = _rate(row[cols["rate"]], numbers)
    if rate is None or rate <= 0:
        return gettext("“%(value)s” is not a positive rate") % {"value": row[cols["rate"]]}
    _, created = ExchangeRate.objects.update_or_create(
        currency=currency,
        valid_from=day,
        defaults={"rate": Decimal(rate).quantize(Decimal("1e-8"))},
    )
    result["created" if created else "updated"] += 1
    return None
