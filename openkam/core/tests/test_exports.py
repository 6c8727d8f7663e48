import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from openkam.core.exports import (
    csv_lines,
    export_format,
    export_response,
    neutralise,
    write_csv,
    write_xlsx,
)

HEADERS = ["Name", "Amount"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+66 2 000 0000", "'+66 2 000 0000"),
        ("-1+2", "'-1+2"),
        ("-5", "'-5"),  # text that looks like a number is still text from a user
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Own Mart", "Own Mart"),
        ("a=b", "a=b"),  # only the first character matters
        ("", ""),
        ("ห้างสรรพสินค้า", "ห้างสรรพสินค้า"),
    ],
)
def test_text_beginning_with_a_formula_character_gets_a_quote(value, expected):
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    "value",
    [-120.5, -3, 0, 42, Decimal("-7.25"), True, None, dt.date(2024, 1, 5)],
)
def test_numbers_dates_and_booleans_stay_what_they_are(value):
    assert neutralise(value) is value


def test_other_objects_become_neutralised_text():
    class Name:
        def __str__(self):
            return "=cmd"

    assert neutralise(Name()) == "'=cmd"


def _xlsx_cells(headers, rows) -> list[list]:
    buffer = io.BytesIO()
    write_xlsx(headers, rows, buffer, title="Accounts: all/any")
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_xlsx_keeps_negative_numbers_numeric_and_formulas_inert():
    cells = _xlsx_cells(
        HEADERS,
        [
            ["=1+1", -120.5],
            ["-5", Decimal("-7.25")],
            ["@x", 3],
            ["Bad\x07bell", None],
        ],
    )
    assert cells[0] == HEADERS
    assert cells[1] == ["'=1+1", -120.5]
    assert cells[2][0] == "'-5" and cells[2][1] == -7.25
    assert isinstance(cells[2][1], float)
    assert cells[3] == ["'@x", 3]
    assert cells[4] == ["Badbell", None]  # control characters would corrupt the file


def test_xlsx_has_no_formula_cells():
    buffer = io.BytesIO()
    write_xlsx(["A"], [["=SUM(1,2)"], ["+A1"]], buffer)
    buffer.seek(0)
    sheet = load_workbook(buffer).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_writes_aware_datetimes_in_local_time():
    when = dt.datetime(2024, 3, 1, 12, 30, tzinfo=dt.UTC)
    cells = _xlsx_cells(["When"], [[when], [dt.date(2024, 3, 1)]])
    assert cells[1][0] == when.replace(tzinfo=None)  # TIME_ZONE is UTC in the tests
    assert cells[2][0].date() == dt.date(2024, 3, 1)


def test_csv_starts_with_a_bom_and_neutralises():
    text = "".join(csv_lines(HEADERS, [["=1+1", -120.5], ["Own, Mart", True], ["-x", None]]))
    assert text.startswith("\ufeffName,Amount\r\n")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[1] == ["'=1+1", "-120.5"]  # the number is written as a number
    assert rows[2] == ["Own, Mart", "true"]
    assert rows[3] == ["'-x", ""]


def test_write_csv_to_a_file(tmp_path):
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as target:
        write_csv(["A"], [[dt.date(2024, 1, 5)]], target)
    assert path.read_text(encoding="utf-8-sig").splitlines() == ["A", "2024-01-05"]


def test_export_format_reads_the_query():
    factory = RequestFactory()
    assert export_format(factory.get("/", {"format": "xlsx"})) == "xlsx"
    assert export_format(factory.get("/", {"format": "csv"})) == "csv"
    assert export_format(factory.get("/", {"format": "pdf"})) is None
    assert export_format(factory.get("/")) is None


def test_export_responses_are_downloads():
    csv_response = export_response(format="csv", filename="x", headers=["A"], rows=[["=1"]])
    assert csv_response["Content-Type"].startswith("text/csv")
    assert 'filename="x-' in csv_response["Content-Disposition"]
    body = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    assert body.splitlines() == ["A", "'=1"]
    xlsx = export_response(format="xlsx", filename="x", headers=["A"], rows=[[-1]])
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in xlsx["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet["A2"].value == -1
    with pytest.raises(ValueError, match="unknown export format"):
        export_response(format="pdf", filename="x", headers=[], rows=[])
