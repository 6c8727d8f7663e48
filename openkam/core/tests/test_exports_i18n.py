"""Exports in the reader's language, currency and calendar: translated headers, money with its
currency's digits, shares as percentages, dates in the locale's short pattern (Buddhist-era
years for a Thai reader who chose them) — while each cell keeps its number or real date."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy
from openpyxl import load_workbook

from openkam.core import formatting
from openkam.core.exports import Column, Kind, csv_lines, write_xlsx
from openkam.core.spreadsheet_formats import BUDDHIST_ERA_PREFIX

COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Revenue"), Kind.MONEY),
    Column(gettext_lazy("Retention rate"), Kind.PERCENT),
    Column(gettext_lazy("Decided on"), Kind.DATE),
    Column(gettext_lazy("Active accounts"), Kind.INTEGER),
]
ROW = ["Công ty Sao Mai", Decimal("1234567.6"), 0.853, dt.date(2025, 3, 31), 1200]


def workbook(currency: str, language: str, *, era: bool = False):
    target = io.BytesIO()
    with translation.override(language), formatting.use_buddhist_era(era):
        write_xlsx(COLUMNS, [ROW], target, currency=currency)
    target.seek(0)
    return load_workbook(target).active


def test_vietnamese_headers_and_dong_without_decimals():
    sheet = workbook("VND", "vi")
    header, row = list(sheet.iter_rows())
    with translation.override("vi"):
        expected = [gettext("Account"), gettext("Revenue") + " (VND)"]
    assert [c.value for c in header[:2]] == expected
    assert expected[0] != "Account"  # the catalogue really translated it
    money = row[1]
    assert money.value == 1234568 and money.number_format == "#,##0"
    assert row[2].value == pytest.approx(0.853) and row[2].number_format == "0.0%"
    assert row[3].is_date and row[3].number_format == "d/m/yyyy"
    assert row[4].number_format == "#,##0"


def test_baht_keeps_two_decimals():
    money = list(workbook("THB", "th").iter_rows())[1][1]
    assert money.value == pytest.approx(1234567.6) and money.number_format == "#,##0.00"


@pytest.mark.parametrize(
    ("language", "pattern"),
    [("en", "m/d/yyyy"), ("sr-latn", "d. m. yyyy."), ("fil", "m/d/yyyy"), ("th", "d/m/yyyy")],
)
def test_dates_follow_the_locales_short_pattern(language, pattern):
    date = list(workbook("USD", language).iter_rows())[1][3]
    assert date.is_date and date.number_format == pattern


def test_a_thai_reader_who_chose_the_buddhist_era_sees_its_years():
    date = list(workbook("THB", "th", era=True).iter_rows())[1][3]
    # Still the real date (sorting and date arithmetic work); Excel shows 31/3/2568.
    assert date.value.date() == dt.date(2025, 3, 31)
    assert date.number_format == BUDDHIST_ERA_PREFIX + "d/m/yyyy"


def test_csv_translates_headers_and_rounds_money_but_keeps_iso_dates():
    with translation.override("vi"):
        lines = csv_lines(COLUMNS, [ROW], currency="VND")
    # The header was fixed while Vietnamese was active, even though lines are read later.
    header, row = next(lines), next(lines)
    with translation.override("vi"):
        assert header.startswith("\ufeff" + gettext("Account") + ",")
        assert gettext("Revenue") + " (VND)" in header
    assert row.strip() == "Công ty Sao Mai,1234568,0.853,2025-03-31,1200"
