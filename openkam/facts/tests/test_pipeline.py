"""The import pipeline on small files with hand-computed answers (no Django)."""

from __future__ import annotations

import csv as csv_module
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from openkam.facts import readers
from openkam.facts.formats import DateDecision, NumberDecision
from openkam.facts.pipeline import (
    MAX_LINE_BYTES,
    CsvFormat,
    ImportSettings,
    OrderLineImport,
    _content_hash,
    parse_source,
)
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
    assert rows[3]["quantity"] == Decimal("-1.0000")
    # false, not NULL, without a document type column: the engine counts purchases by it
    assert [r["is_credit"] for r in rows] == [False, False, False, True]


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


# --- the route: parse_source reads directly when DuckDB can, else the readers' copy ----------


def import_file(tmp_path: Path, data: bytes, mapping: dict[str, str] = MAPPING):
    """sniff → parse_source → finish, as the services run it; (counts, facts, rejects)."""
    path = tmp_path / "orders.csv"
    path.write_bytes(data)
    info = readers.sniff(path)
    settings = ImportSettings(
        mapping=mapping,
        dates=DateDecision("%Y-%m-%d", False, [], 1.0),
        numbers=NumberDecision(".", ",", False),
        reporting_currency="USD",
        default_currency="USD",
    )
    store = FactStore(tmp_path / "facts")
    rejects = tmp_path / "rejects.csv"
    job = parse_source(duckdb_connection(), path, info, settings, workdir=tmp_path / "work")
    staging = store.new_staging_dir(1)
    counts = job.finish(
        batch_id=1,
        accounts=ACCOUNTS,
        products=PRODUCTS,
        fx_rates=FX,
        existing_glob=None,
        staging=staging,
        rejects_path=rejects,
    )
    if counts.imported:
        store.publish(staging, 1)
    rows = facts(store) if counts.imported else []
    rejected = []
    if rejects.exists():
        limit = csv_module.field_size_limit(1 << 24)
        try:
            with rejects.open(encoding="utf-8", newline="") as handle:  # valid UTF-8
                rejected = list(csv_module.DictReader(handle))
        finally:
            csv_module.field_size_limit(limit)
    assert counts.imported + counts.rejected + counts.duplicates == counts.rows_read
    assert len(rejected) == counts.rejected
    return counts, rows, rejected


GOOD = "INV-{n},2024-01-05,C-1,Siam Mart,P-1,1,10.00,10.00,USD"


def test_a_crlf_header_then_lf_lines_with_a_quoted_last_field(tmp_path):
    """DuckDB takes the header's CRLF for the file's line end and silently reads the LF lines
    as one line with too many fields; mixed line ends go through the readers' copy."""
    lines = [GOOD.format(n=n).replace(",USD", ',"USD"') for n in range(3)]
    counts, rows, _ = import_file(tmp_path, (HEADER + "\r\n" + "\n".join(lines) + "\n").encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 3, 0)
    assert [r["source_line"] for r in rows] == [2, 3, 4]


def test_old_mac_line_ends_import(tmp_path):
    data = "\r".join([HEADER, GOOD.format(n=1), GOOD.format(n=2)]) + "\r"
    counts, rows, _ = import_file(tmp_path, data.encode())
    assert (counts.rows_read, counts.imported) == (2, 2)
    assert [r["document_number"] for r in rows] == ["INV-1", "INV-2"]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_line_numbers_after_a_blank_line_are_right(tmp_path, end):
    """DuckDB skips a blank line without a trace: read directly, every line number after it
    would be one too low. Such files go through the readers' copy, which keeps the count."""
    lines = [HEADER, GOOD.format(n=1), "", GOOD.format(n=3), "INV-4,2024-01-05,C-1", ""]
    counts, rows, rejected = import_file(tmp_path, end.join(lines).encode() + end.encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 2, 1)
    assert [r["source_line"] for r in rows] == [2, 4]
    assert [(r["line"], r["reason"]) for r in rejected] == [
        ("5", "the line has fewer fields than the header")
    ]


def test_a_long_malformed_line_of_multibyte_text_is_one_rejected_line(tmp_path):
    """duckdb/duckdb#18980: DuckDB keeps 10,000 bytes of a rejected line, cut inside a Thai
    letter, and the whole read fails. The readers' copy rejects the line itself, whole."""
    long_line = "INV-2," + "ไ" * 4000
    data = "\n".join([HEADER, GOOD.format(n=1), long_line, GOOD.format(n=3)]) + "\n"
    counts, rows, rejected = import_file(tmp_path, data.encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 2, 1)
    assert [r["source_line"] for r in rows] == [2, 4]
    assert rejected[0]["line"] == "3" and rejected[0]["raw_line"] == long_line


def test_a_long_rejected_line_is_kept_whole(tmp_path):
    """When DuckDB's cut happens to fall between letters, the read succeeds but the rejects
    file would hold only the first 10,000 bytes (or invalid UTF-8): those files are read
    through the copy as well."""
    long_line = "INV-2," + "é" * 5000
    data = "\n".join([HEADER, "INV-0,2024-01-05", GOOD.format(n=1), long_line]) + "\n"
    counts, _, rejected = import_file(tmp_path, data.encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 1, 2)
    assert [r["raw_line"] for r in rejected] == ["INV-0,2024-01-05", long_line]


def test_header_names_sql_cannot_tell_apart(tmp_path):
    """Empty, repeated, equal-but-for-case names and names the SQL uses itself."""
    header = "Invoice No,Invoice Date,Customer No,,Item Code,Qty,qty,Net Amount,line,ordinality"
    mapping = {
        "document_number": "Invoice No",
        "invoice_date": "Invoice Date",
        "customer_id": "Customer No",
        "quantity": "qty (2)",  # the unique name sniff gives the second "qty"
        "net_amount": "Net Amount",
    }
    data = "\n".join(
        [header, "INV-1,2024-01-05,C-1,x,P-1,1,7,10.00,a,b", "INV-2,2024-01-05,C-1,x,P-1,1,7,ten,,"]
    )
    path = tmp_path / "orders.csv"
    path.write_text(data)
    assert readers.sniff(path).header == [
        *["Invoice No", "Invoice Date", "Customer No", "column 4", "Item Code", "Qty"],
        *["qty (2)", "Net Amount", "line", "ordinality"],
    ]
    counts, rows, rejected = import_file(tmp_path, data.encode(), mapping=mapping)
    assert (counts.rows_read, counts.imported, counts.rejected) == (2, 1, 1)
    assert rows[0]["quantity"] == Decimal("7.0000")
    assert list(rejected[0])[:4] == ["line", "reason", "raw_line", "Invoice No"]
    assert list(rejected[0])[-2:] == ["line (2)", "ordinality"]
    assert rejected[0]["line"] == "3" and rejected[0]["column 4"] == "x"


def test_the_copy_counts_no_rejects_of_the_direct_read(tmp_path):
    """DuckDB's rejects table grows with every read: the lines the direct read rejected (here
    one cut at 10,000 bytes, so the copy is read after all) must not count again."""
    data = "\n".join([HEADER, "INV-0,2024-01-05", GOOD.format(n=1), "INV-2," + "é" * 5000])
    counts, _, rejected = import_file(tmp_path, data.encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 1, 2)
    assert [r["line"] for r in rejected] == ["2", "4"]


def test_the_working_folder_it_made_is_removed(tmp_path):
    csv = write(tmp_path, GOOD.format(n=1))
    job, counts, _ = run(tmp_path, csv)
    assert counts.imported == 1
    assert not job.workdir.exists()
    settings = ImportSettings(MAPPING, DateDecision("%Y-%m-%d"), NumberDecision("."), "USD", "USD")
    unfinished = OrderLineImport(duckdb_connection(), csv, settings)
    unfinished.parse()
    assert unfinished.workdir.exists()
    unfinished.close()
    assert not unfinished.workdir.exists()
    given = tmp_path / "given"
    kept = OrderLineImport(duckdb_connection(), csv, settings, workdir=given)
    kept.parse()
    kept.close()
    assert given.exists()  # the caller's folder stays


def test_line_numbers_stay_right_when_the_file_is_read_in_parallel(tmp_path):
    """Line numbers come from the order of parsed.parquet, which DuckDB keeps only while no
    step of the parse reorders rows (a join would: `IN (...)` once was one). This file spans
    several reader blocks and Parquet row groups, with rejected lines, quoted line breaks and
    skipped empty rows."""
    lines = [HEADER + ",Doc Type"]
    for n in range(2, LINES + 2):
        if n % 1000 == 0:
            lines.append(f"INV-{n},2024-01-05,C-1")  # too few fields: rejected
        elif n % 1234 == 0:
            lines.append(",,,,,,,,,")  # empty: neither read nor rejected
        elif n % 777 == 0:
            lines.append(f'INV-{n},2024-01-05,C-1,"Siam\nMart",P-1,1,10.00,10.00,USD,INV')
        else:
            lines.append(f"INV-{n},2024-01-05,C-1,Siam Mart,P-1,1,10.00,10.00,USD,INV")
    counts, _, rejected = import_file(
        tmp_path,
        ("\n".join(lines) + "\n").encode(),
        mapping={**MAPPING, "document_type": "Doc Type"},
    )
    got = duckdb.sql(
        f"SELECT count(*), count(*) FILTER (WHERE document_number <> 'INV-' || source_line) "
        f"FROM read_parquet('{tmp_path}/facts/order_lines/*/*.parquet')"
    ).fetchone()
    assert got == (counts.imported, 0)
    rejected_lines = [n for n in range(2, LINES + 2) if n % 1000 == 0]
    assert counts.imported == LINES - len(rejected_lines) - len(range(1234, LINES + 2, 1234))
    assert [int(r["line"]) for r in rejected] == rejected_lines  # a record, a line number


LINES = 200_000


def test_the_parse_keeps_the_lines_in_order_on_all_threads(tmp_path):
    """Line numbers rely on it (see OrderLineImport.parse): no join or aggregate in the plan."""
    header = HEADER + ",Doc Type"
    csv = write(tmp_path, GOOD.format(n=1) + ",INV", header=header)
    settings = ImportSettings(
        {**MAPPING, "document_type": "Doc Type"},
        DateDecision("%Y-%m-%d"),
        NumberDecision("."),
        "USD",
        "USD",
    )
    job = OrderLineImport(duckdb_connection(), csv, settings)
    job.con.execute("SET preserve_insertion_order = true")
    sql = job.parse_sql()
    assert job.keeps_order(sql)
    # an IN list is planned as a join, which would not keep the order
    markers = re.search(r"list_contains\(\[([^]]*)\], document_type\)", sql)
    assert not job.keeps_order(sql.replace(markers[0], f"document_type IN ({markers[1]})"))


def test_a_huge_malformed_line_is_one_rejected_line(tmp_path):
    """Over 10,000 bytes DuckDB keeps only the start of a rejected line, so the readers' copy
    is read instead — but the csv module refuses a field this long (as it refuses a quote
    that never ends): then DuckDB's reading stands, its rejects file holding the start."""
    huge = "INV-2," + "x" * 300_000
    data = "\n".join([HEADER, GOOD.format(n=1), huge, GOOD.format(n=3)]) + "\n"
    counts, rows, rejected = import_file(tmp_path, data.encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 2, 1)
    assert [r["source_line"] for r in rows] == [2, 4]
    assert rejected[0]["line"] == "3" and huge.startswith(rejected[0]["raw_line"])


def test_a_line_over_the_maximum_length_is_rejected_alone(tmp_path):
    too_long = f"INV-2,2024-01-05,C-1,{'x' * (MAX_LINE_BYTES + 10)},P-1,1,10.00,10.00,USD"
    data = "\n".join([HEADER, GOOD.format(n=1), too_long, GOOD.format(n=3)]) + "\n"
    counts, _, rejected = import_file(tmp_path, data.encode())
    assert (counts.rows_read, counts.imported, counts.rejected) == (3, 2, 1)
    assert rejected[0]["line"] == "3" and rejected[0]["reason"] == "the line is too long"


def test_the_content_hash_is_md5_number_lower_as_facts_imported_before_hold():
    """Fingerprints must not change: lines imported by an earlier version are found again."""
    texts = ["", "abc", "INV-1|2024-01-05|C-1|P-1|1.0000|10.0000|USD", "ใบลดหนี้|Đ" * 50, None]
    rows = duckdb.execute(
        f"SELECT md5_number_lower(t), {_content_hash('t')} FROM unnest($1::VARCHAR[]) AS u(t)",
        [texts],
    ).fetchall()
    assert len(rows) == len(texts)
    assert all(old == new for old, new in rows)
    assert rows[1][0] == 8250560606382298838  # the value itself, pinned
