"""The import pipeline on small files with hand-computed answers (no Django)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from openkam.facts.formats import DateDecision, NumberDecision
from openkam.facts.pipeline import CsvFormat, ImportSettings, OrderLineImport
from openkam.facts.sources import duckdb_connection
from openkam.facts.store import FactStore

HEADER = (
    "Invoice No,Invoice Date,Customer No,Customer Name,Item Code,Qty,Unit Price,Net Amount,Currency"
)
MAPPING = {
    "document_number": "Invoice No",
    "invoice_date": "Invoice Date",
    "customer_id": "Customer No",
    "customer_name": "Customer Name",
    "product_code": "Item Code",
    "quantity": "Qty",
    "unit_price": "Unit Price",
    "net_amount": "Net Amount",
    "currency": "Currency",
}
ACCOUNTS = pa.table({"customer_key": ["C-1", "C-2"], "account_id": [11, 12]})
PRODUCTS = pa.table(
    {"product_code": ["P-1", "P-2"], "product_id": [21, 22], "category_id": [31, 31]}
)
FX = pa.table(
    {
        "currency": ["THB", "THB"],
        "valid_from": [dt.date(2024, 1, 1), dt.date(2024, 2, 1)],
        "rate": pa.array([Decimal("0.02800000"), Decimal("0.03000000")], pa.decimal128(18, 8)),
    }
)


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> CsvFormat:
    path = tmp_path / "orders.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return CsvFormat(path, header=tuple(header.split(",")))


def run(
    tmp_path: Path,
    csv: CsvFormat,
    store: FactStore | None = None,
    batch_id: int = 1,
    date_format: str = "%Y-%m-%d",
):
    store = store or FactStore(tmp_path / "facts")
    settings = ImportSettings(
        mapping=MAPPING,
        dates=DateDecision(format=date_format, ambiguous=False, alternatives=[], parsed_share=1.0),
        numbers=NumberDecision(decimal=".", thousands=",", ambiguous=False),
        reporting_currency="USD",
        default_currency="USD",
    )
    job = OrderLineImport(duckdb_connection(), csv, settings)
    job.parse()
    staging = store.new_staging_dir(batch_id)
    counts = job.finish(
        batch_id=batch_id,
        accounts=ACCOUNTS,
        products=PRODUCTS,
        fx_rates=FX,
        existing_glob=store.order_lines_glob() if store.has_order_lines() else None,
        staging=staging,
        rejects_path=tmp_path / f"rejects-{batch_id}.csv",
    )
    if counts.imported:
        store.publish(staging, batch_id)
    return job, counts, store


def facts(store: FactStore) -> list[dict]:
    return (
        duckdb.sql(
            f"SELECT * FROM read_parquet('{store.order_lines_glob()}') ORDER BY batch_id, source_line"
        )
        .to_arrow_table()
        .to_pylist()
    )


def test_every_line_is_imported_rejected_or_a_duplicate(tmp_path):
    csv = write(
        tmp_path,
        "INV-1,2024-01-05,C-1,Siam Mart,P-1,2,10.00,20.00,USD",
        "INV-1,2024-01-05,C-1,Siam Mart,P-2,1,5.50,,USD",  # amount from qty × price
        "INV-2,2024-13-05,C-2,Hanoi Fresh,P-1,1,10.00,10.00,USD",  # no such date
        "INV-3,2024-01-07,,,P-1,1,10.00,10.00,USD",  # no customer: kept
        "INV-4,2024-01-08,C-2,Hanoi Fresh,P-1,x,10.00,10.00,USD",  # not a number
        "CN-5,2024-01-09,C-1,Siam Mart,P-1,1,10.00,10.00,USD",  # credit note by number
    )
    _, counts, store = run(tmp_path, csv)
    assert (counts.rows_read, counts.imported, counts.rejected, counts.duplicates) == (6, 4, 2, 0)
    assert counts.no_customer == 1
    assert counts.credit_lines == 1
    rows = facts(store)
    assert [r["source_line"] for r in rows] == [2, 3, 5, 7]
    assert [r["net_amount"] for r in rows] == [
        Decimal("20.00"),
        Decimal("5.50"),
        Decimal("10.00"),
        Decimal("-10.00"),
    ]
    assert [r["account_id"] for r in rows] == [11, 11, None, 11]
    assert rows[0]["product_id"] == 21 and rows[0]["category_id"] == 31
    assert rows[3]["quantity"] == Decimal("-1.0000") and rows[3]["is_credit"]


def test_rejects_file_names_the_line_and_the_reason(tmp_path):
    csv = write(
        tmp_path,
        "INV-1,2024-01-05,C-1,Siam Mart,P-1,2,10.00,20.00,USD",
        "INV-2,05/01/2024,C-2,Hanoi Fresh,P-1,1,10.00,10.00,USD",
        "INV-3,2024-01-07,C-1,Siam Mart,P-1,1,10.00,ten,USD",
    )
    run(tmp_path, csv)
    rejects = duckdb.sql(
        f"SELECT * FROM read_csv('{tmp_path / 'rejects-1.csv'}', all_varchar=true)"
    ).fetchall()
    assert [(r[0], r[1]) for r in rejects] == [
        ("3", 'invoice date "05/01/2024" is not a date in the format YYYY-MM-DD'),
        ("4", 'net amount "ten" is not a number'),
    ]
    assert rejects[0][3] == "INV-2"  # the original fields follow


def test_malformed_lines_are_rejected_and_line_numbers_stay_right(tmp_path):
    csv = write(
        tmp_path,
        "INV-1,2024-01-05,C-1,Siam Mart,P-1,2,10.00,20.00,USD",
        "INV-2,2024-01-05,C-1,Siam Mart,P-1,2,10.00,20.00,USD,extra,fields",
        "INV-3,2024-01-06,C-1",
        "INV-4,2024-99-06,C-1,Siam Mart,P-1,1,1.00,1.00,USD",
        "INV-5,2024-01-07,C-2,Hanoi Fresh,P-2,1,3.00,3.00,USD",
    )
    _, counts, store = run(tmp_path, csv)
    assert (counts.rows_read, counts.imported, counts.rejected) == (5, 2, 3)
    assert [r["source_line"] for r in facts(store)] == [2, 6]
    lines = duckdb.sql(
        f"SELECT line, reason FROM read_csv('{tmp_path / 'rejects-1.csv'}', "
        "all_varchar=true) ORDER BY CAST(line AS INT)"
    ).fetchall()
    assert [line for line, _ in lines] == ["3", "4", "5"]
    assert "more fields than the header" in lines[0][1]
    assert "fewer fields" in lines[1][1]


def test_amounts_are_converted_with_the_rate_of_the_day(tmp_path):
    csv = write(
        tmp_path,
        "INV-1,2024-01-31,C-1,Siam Mart,P-1,1,1000.00,1000.00,THB",
        "INV-2,2024-02-01,C-1,Siam Mart,P-1,1,1000.00,1000.00,THB",
        "INV-3,2023-12-31,C-1,Siam Mart,P-1,1,1000.00,1000.00,THB",  # before the first rate
        "INV-4,2024-02-01,C-1,Siam Mart,P-1,1,7.00,7.00,usd",
    )
    _, counts, store = run(tmp_path, csv)
    rows = facts(store)
    assert [r["net_amount_rc"] for r in rows] == [
        Decimal("28.00"),
        Decimal("30.00"),
        Decimal("7.00"),
    ]
    assert counts.rejected == 1
    assert "no exchange rate for THB on or before 2023-12-31" in next(iter(counts.reasons))


def test_importing_again_finds_only_duplicates_even_identical_lines(tmp_path):
    lines = ["INV-1,2024-01-05,C-1,Siam Mart,P-1,1,10.00,10.00,USD"] * 2  # twice, on purpose
    csv = write(tmp_path, *lines)
    _, first, store = run(tmp_path, csv)
    assert first.imported == 2
    _, again, _ = run(tmp_path, csv, store=store, batch_id=2)
    assert (again.imported, again.duplicates) == (0, 2)
    csv = write(tmp_path, *lines, lines[0])  # a third identical line is new
    _, more, _ = run(tmp_path, csv, store=store, batch_id=3)
    assert (more.imported, more.duplicates) == (1, 2)


def test_day_first_dates_and_excel_quirks(tmp_path):
    csv = write(tmp_path, "INV-1,05/02/2024,C-1,Siam Mart,P-1,1,10.00,10.00,USD")
    _, counts, store = run(tmp_path, csv, date_format="%d/%m/%Y")
    assert counts.imported == 1
    assert facts(store)[0]["invoice_date"] == dt.date(2024, 2, 5)


@pytest.mark.parametrize("marker", ["CN", "credit note", "Return"])
def test_credit_notes_by_document_type_net_against_revenue(tmp_path, marker):
    header = HEADER + ",Doc Type"
    csv = write(
        tmp_path, f"INV-9,2024-01-05,C-1,Siam Mart,P-1,2,10.00,20.00,USD,{marker}", header=header
    )
    path = csv.path
    settings_mapping = {**MAPPING, "document_type": "Doc Type"}
    store = FactStore(tmp_path / "facts")
    job = OrderLineImport(
        duckdb_connection(),
        CsvFormat(path, header=tuple(header.split(","))),
        ImportSettings(
            mapping=settings_mapping,
            dates=DateDecision("%Y-%m-%d", False, [], 1.0),
            numbers=NumberDecision(".", ",", False),
            reporting_currency="USD",
            default_currency="USD",
        ),
    )
    job.parse()
    counts = job.finish(
        batch_id=1,
        accounts=ACCOUNTS,
        products=PRODUCTS,
        fx_rates=FX,
        existing_glob=None,
        staging=store.new_staging_dir(1),
        rejects_path=tmp_path / "r.csv",
    )
    assert counts.credit_lines == 1


def test_lines_of_empty_fields_are_not_lines(tmp_path):
    csv = write(
        tmp_path,
        "INV-1,2024-01-05,C-1,Siam Mart,P-1,1,10.00,10.00,USD",
        ",,,,,,,,",
        "INV-2,2024-01-06,C-1,Siam Mart,P-1,1,10.00,10.00,USD",
    )
    _, counts, store = run(tmp_path, csv)
    assert (counts.rows_read, counts.imported, counts.rejected) == (2, 2, 0)
    assert [r["source_line"] for r in facts(store)] == [2, 4]


def test_a_thousand_malformed_lines_keep_every_line_number_right(tmp_path):
    good = "INV-{n},2024-01-05,C-1,Siam Mart,P-1,1,1.00,1.00,USD"
    lines = []
    for n in range(1100):
        lines.append(good.format(n=n))
        lines.append(f"INV-B{n},2024-01-05,C-1,Siam, Mart,P-1,1,1.00,1.00,USD")  # stray comma
    _, counts, store = run(tmp_path, write(tmp_path, *lines))
    assert (counts.rows_read, counts.imported, counts.rejected) == (2200, 1100, 1100)
    assert [r["source_line"] for r in facts(store)][:3] == [2, 4, 6]
    assert [r["source_line"] for r in facts(store)][-1] == 2 + 2 * 1099
