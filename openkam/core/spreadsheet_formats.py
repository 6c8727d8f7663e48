"""Excel number formats in the reader's locale: money with its currency's digits, percentages,
and dates in the locale's short pattern (Buddhist-era years for a Thai reader who chose them).

The cell keeps the value itself (a number, a real date), so sums, sorting and filters still
work; only how Excel shows it follows the reader. The decimal and thousands separators are not
part of a format code: Excel draws them from the reader's own system settings.
"""

from __future__ import annotations

import re

from babel import dates

from openkam.core import formatting

# Excel's locale-and-calendar prefix [$-CCLLLL]: calendar 07 is the Thai Buddhist calendar,
# 041E the Thai locale; under it `yyyy` shows the Buddhist-era year (2568 for 2025).
BUDDHIST_ERA_PREFIX = "[$-107041E]"
PERCENT = "0.0%"
INTEGER = "#,##0"
DECIMAL = "#,##0.00"

_CLDR_FIELD = re.compile(r"(y+|M+|d+|'[^']*'|[^yMd']+)")


def money(currency: str) -> str:
    """`#,##0` for a currency without minor units (VND), `#,##0.00` for THB, USD …"""
    digits = formatting.currency_digits(currency)
    return INTEGER + ("." + "0" * digits if digits else "")


def date(*, with_time: bool = False) -> str:
    """The active locale's short date pattern as an Excel code, always with a 4-digit year:
    `m/d/yyyy` (en), `dd/mm/yyyy` (vi), `d.m.yyyy.` (sr-latn), `[$-107041E]d/m/yyyy` (th, BE)."""
    pattern = dates.get_date_format("short", locale=formatting.babel_locale()).pattern
    code = "".join(_excel_field(part) for part in _CLDR_FIELD.findall(pattern))
    if with_time:
        code += " hh:mm"
    return (BUDDHIST_ERA_PREFIX + code) if formatting.buddhist_era() else code


def _excel_field(part: str) -> str:
    if part.startswith("y"):
        return "yyyy"
    if part.startswith("M"):
        return "m" * min(len(part), 4)
    if part.startswith("d"):
        return "d" * min(len(part), 2)
    if part.startswith("'"):
        return '"' + part.strip("'") + '"'
    return part
