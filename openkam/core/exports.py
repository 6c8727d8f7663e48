"""Lists as spreadsheets: Excel (.xlsx) and CSV, safe to open.

A list page hands `export_response` its column headers and its rows (any iterable of
sequences, read once, so a queryset's `.iterator()` streams) and gets a download back.

Formula injection: a spreadsheet program runs a cell that begins with `=`, `+`, `-` or `@` as a
formula (and a leading tab or carriage return can hide one), so a customer named
`=HYPERLINK("http://evil.example", "Click")` would become a live link on a director's screen.
Every *text* cell that begins with one of those characters is written with a single quote in
front (`'=HYPERLINK(…)`), the usual defence (OWASP, "CSV Injection"): the spreadsheet shows the
text instead of running it. Numbers, dates and booleans are written as what they are — a
negative amount stays the number -120.5, not text — so sums and sorting still work.

CSV files are UTF-8 with a byte-order mark, so that Excel opens Thai, Vietnamese and Serbian
names correctly.

Headers are written in the reader's language. A `Column` also says what its values are: in the
workbook, money is shown with its currency's digits (VND without decimals), shares as
percentages and dates in the reader's short pattern — Buddhist-era years for a Thai reader who
chose them — while each cell keeps the plain number or the real date. CSV is for other programs:
plain numbers (money rounded to its currency's digits) and ISO dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.http import FileResponse, HttpRequest, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from openkam.core import formatting, spreadsheet_formats

FORMATS = ("xlsx", "csv")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Cell = str | int | float | Decimal | bool | dt.date | dt.datetime | None


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"  # in the reporting currency
    PERCENT = "percent"  # a share: 0.853 is shown as 85.3 %
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Column:
    """A column of an export: its (translatable) header and what its values are."""

    header: str | Promise
    kind: Kind = Kind.TEXT

    def title(self, currency: str) -> str:
        """The header in the active language; money columns name their currency."""
        text = str(self.header)
        return f"{text} ({currency})" if self.kind is Kind.MONEY else text


def _columns(headers: Sequence[Column | str | Promise]) -> list[Column]:
    return [h if isinstance(h, Column) else Column(h) for h in headers]


class _Formats:
    """The Excel number format of each column, resolved once per export in the active
    language, currency and calendar."""

    def __init__(self, columns: Sequence[Column], currency: str) -> None:
        codes = {
            Kind.INTEGER: spreadsheet_formats.INTEGER,
            Kind.DECIMAL: spreadsheet_formats.DECIMAL,
            Kind.MONEY: spreadsheet_formats.money(currency),
            Kind.PERCENT: spreadsheet_formats.PERCENT,
            Kind.DATE: spreadsheet_formats.date(),
            Kind.DATETIME: spreadsheet_formats.date(with_time=True),
        }
        self.codes = [codes.get(c.kind) for c in columns]
        digits = formatting.currency_digits(currency)
        self.rounding = [digits if c.kind is Kind.MONEY else None for c in columns]


def _rounded(value: Any, digits: int | None) -> Any:
    if digits is None or isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    return round(value, digits) if digits else round(value)


def neutralise(value: Any) -> Cell:
    """A cell value safe for a spreadsheet: text beginning with a formula character gets a
    leading single quote; numbers, dates, booleans and None pass unchanged; anything else
    becomes its text (and is neutralised in turn)."""
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    text = str(value)
    return QUOTE + text if text.startswith(FORMULA_PREFIXES) else text


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters break the file
    return value


def write_xlsx(
    headers: Sequence[Column | str | Promise],
    rows: Iterable[Sequence[Any]],
    target,
    *,
    title: str = "Export",
    currency: str | None = None,
) -> None:
    """Write the rows to `target` (a path or a binary file) as a one-sheet workbook, in
    openpyxl's write-only mode: rows go to disk as they come, memory stays flat."""
    columns = _columns(headers)
    currency = currency or settings.REPORTING_CURRENCY
    formats = _Formats(columns, currency)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.append([_xlsx_value(neutralise(c.title(currency))) for c in columns])
    for row in rows:
        sheet.append(
            [
                _xlsx_cell(sheet, _rounded(value, digits), code)
                for value, code, digits in zip(row, formats.codes, formats.rounding, strict=False)
            ]
        )
    workbook.save(target)


def _xlsx_cell(sheet, value: Any, code: str | None):
    value = _xlsx_value(neutralise(value))
    if code is None or value is None or isinstance(value, str | bool):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = code
    return cell


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or "Export")[:31]


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def csv_lines(
    headers: Sequence[Column | str | Promise],
    rows: Iterable[Sequence[Any]],
    *,
    currency: str | None = None,
) -> Iterator[str]:
    """The CSV text line by line, starting with the byte-order mark and the header row.

    The header is translated now, in the request's language: a streaming response reads the
    lines later, after the request's language is no longer active."""
    columns = _columns(headers)
    currency = currency or settings.REPORTING_CURRENCY
    titles = [c.title(currency) for c in columns]
    rounding = _Formats(columns, currency).rounding
    return _csv_stream(titles, rows, rounding)


def _csv_stream(
    titles: list[str], rows: Iterable[Sequence[Any]], rounding: list[int | None]
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Sequence[Any]) -> str:
        writer.writerow([_csv_text(neutralise(v)) for v in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(titles)
    for row in rows:
        yield line([_rounded(v, d) for v, d in zip(row, rounding, strict=False)])


def write_csv(
    headers: Sequence[Column | str | Promise], rows: Iterable[Sequence[Any]], target
) -> None:
    """Write the rows to a text file opened with newline=""."""
    for text in csv_lines(headers, rows):
        target.write(text)


def export_format(request: HttpRequest) -> str | None:
    """The export format the request asks for (`?format=xlsx` or `csv`), else None."""
    wanted = request.GET.get("format", "")
    return wanted if wanted in FORMATS else None


def export_response(
    *,
    format: str,
    filename: str,
    headers: Sequence[Column | str | Promise],
    rows: Iterable[Sequence[Any]],
    title: str = "Export",
):
    """A download of the rows: `filename` gets today's date and the format's extension."""
    name = f"{filename}-{timezone.localdate().isoformat()}.{format}"
    if format == "csv":
        response = StreamingHttpResponse(
            csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    if format != "xlsx":
        raise ValueError(f"unknown export format {format!r}")
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 -- FileResponse closes it
    write_xlsx(headers, rows, spool, title=title)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
