"""Importing order lines end to end: CLI, accounts and products, duplicates, rollback."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from openkam.accounts.models import Account
from openkam.catalog.models import Product, ProductCategory
from openkam.sales import services
from openkam.sales.models import BatchStatus, ColumnMapping, ExchangeRate, ImportBatch

pytestmark = pytest.mark.django_db

ORDERS = """Invoice No;Invoice Date;Customer No;Customer Name;Item Code;Description;Category;Qty;Unit Price;Net Amount;Currency;Country
INV-1;05/02/2024;C-100;Siam Mart;SKU-1;Jasmine rice 5 kg;Rice;10;120,50;1.205,00;THB;TH
INV-1;05/02/2024;C-100;Siam Mart;SKU-2;Fish sauce;Sauces;5;40,00;200,00;THB;TH
INV-2;20/02/2024;;Hanoi Fresh;SKU-1;Jasmine rice 5 kg;Rice;3;120,50;361,50;THB;VN
INV-3;31/02/2024;C-100;Siam Mart;SKU-1;Jasmine rice 5 kg;Rice;1;120,50;120,50;THB;TH
CN-4;21/02/2024;C-100;Siam Mart;SKU-2;Fish sauce;Sauces;1;40,00;40,00;THB;TH
INV-5;22/02/2024;;;SKU-2;Fish sauce;Sauces;1;40,00;40,00;THB;TH
"""


def kam_import(*args: str) -> dict:
    out = io.StringIO()
    call_command("import", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def orders_file(tmp_path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(ORDERS, encoding="cp1252")
    ExchangeRate.objects.create(currency="THB", valid_from="2024-01-01", rate="0.028")
    return path


def order_lines() -> list[dict]:
    glob = services.fact_store().order_lines_glob()
    return (
        duckdb.sql(f"SELECT * FROM read_parquet('{glob}') ORDER BY source_line")
        .to_arrow_table()
        .to_pylist()
    )


def test_cli_imports_with_a_summary(orders_file):
    summary = kam_import("orders", str(orders_file))
    assert {k: summary[k] for k in ("rows_read", "imported", "rejected", "duplicates")} == {
        "rows_read": 6,
        "imported": 5,
        "rejected": 1,
        "duplicates": 0,
    }
    assert summary["batch"] == ImportBatch.objects.get().pk
    assert summary["no_customer"] == 1
    assert summary["options"]["date_format"] == "%d/%m/%Y"
    assert summary["options"]["decimal"] == ","
    lines = order_lines()
    assert [line["net_amount"] for line in lines] == [
        Decimal("1205.00"),
        Decimal("200.00"),
        Decimal("361.50"),
        Decimal("-40.00"),
        Decimal("40.00"),
    ]
    assert lines[0]["net_amount_rc"] == Decimal("33.74")


def test_unknown_customers_become_accounts_and_products_appear(orders_file):
    Account.objects.create(name="Hanoi Fresh", country="VN")
    summary = kam_import("orders", str(orders_file))
    assert summary["accounts_created"] == 1
    siam = Account.objects.get(external_id="C-100")
    assert (siam.name, siam.country.code, siam.status, siam.reporting_currency) == (
        "Siam Mart",
        "TH",
        "active",
        "THB",
    )
    hanoi = Account.objects.get(name="Hanoi Fresh")  # matched by exact name, not duplicated
    lines = order_lines()
    assert {line["account_id"] for line in lines} == {siam.pk, hanoi.pk, None}
    assert set(Product.objects.values_list("code", flat=True)) == {"SKU-1", "SKU-2"}
    assert set(ProductCategory.objects.values_list("name", flat=True)) == {"Rice", "Sauces"}


def test_the_same_file_again_even_renamed_imports_nothing(orders_file, tmp_path):
    kam_import("orders", str(orders_file))
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(orders_file.read_bytes())
    again = kam_import("orders", str(renamed))
    assert (again["imported"], again["duplicates"], again["rows_read"]) == (0, 6, 6)
    assert len(order_lines()) == 5


def test_an_overlapping_file_adds_only_the_new_lines(orders_file, tmp_path):
    kam_import("orders", str(orders_file))
    extended = tmp_path / "extended.csv"
    extended.write_text(
        ORDERS + "INV-6;23/02/2024;C-100;Siam Mart;SKU-1;Rice;Rice;1;1,00;1,00;THB;TH\n",
        encoding="cp1252",
    )
    summary = kam_import("orders", str(extended))
    assert (summary["imported"], summary["duplicates"], summary["rejected"]) == (1, 5, 1)


def test_rejects_file_lists_line_and_reason(orders_file):
    summary = kam_import("orders", str(orders_file))
    text = Path(summary["rejects_file"]).read_text(encoding="utf-8")
    assert 'invoice date ""31/02/2024"" is not a date' in text or "31/02/2024" in text
    assert text.splitlines()[1].startswith("5,")


def test_delete_rolls_the_batch_back(orders_file, django_capture_on_commit_callbacks):
    summary = kam_import("orders", str(orders_file))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import", "delete", str(summary["batch"]), stdout=io.StringIO())
    assert ImportBatch.objects.get().status == BatchStatus.DELETED
    assert not services.fact_store().has_order_lines()
    again = kam_import("orders", str(orders_file))  # a rolled-back file can come back
    assert again["imported"] == 5


def test_saved_mapping_is_reused(orders_file, tmp_path):
    kam_import("orders", str(orders_file), "--save-mapping", "ERP Thai")
    assert ColumnMapping.objects.get(name="ERP Thai").mapping["customer_id"] == "Customer No"
    path = tmp_path / "other.csv"
    path.write_text(ORDERS.replace("C-100", "C-200"), encoding="cp1252")
    summary = kam_import("orders", str(path), "--mapping", "ERP Thai")
    # the lines of C-200 are new; Hanoi Fresh's and the customer-less line were imported before
    assert (summary["imported"], summary["duplicates"]) == (3, 2)


def test_unknown_mapping_name_is_a_clear_error(orders_file):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No saved mapping named"):
        kam_import("orders", str(orders_file), "--mapping", "nope")


def test_list_and_show(orders_file):
    kam_import("orders", str(orders_file))
    listed = kam_import("list")
    assert [b["imported"] for b in listed] == [5]
    shown = kam_import("show", str(listed[0]["batch"]))
    assert shown["file"] == "export.csv"


def test_fx_import(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(
        "currency,date,rate\nTHB,2024-01-01,0.028\nVND,2024-01-01,0.00004\n"
        "XXX1,2024-01-01,1\nEUR,someday,1.1\n",
        encoding="utf-8",
    )
    result = kam_import("fx", str(path))
    assert (result["created"], result["rejected"]) == (2, 2)
    assert ExchangeRate.objects.get(currency="VND").rate == Decimal("0.00004000")
    assert [p["line"] for p in result["problems"]] == [4, 5]


def test_a_crash_between_publishing_and_committing_leaves_nothing(orders_file, monkeypatch):
    from openkam.facts.store import FactStore

    real_publish = FactStore.publish

    def publish_then_die(self, staging, batch_id):
        real_publish(self, staging, batch_id)
        raise KeyboardInterrupt("killed")

    monkeypatch.setattr(FactStore, "publish", publish_then_die)
    batch = services.batch_prepare(actor=None, path=orders_file)
    with pytest.raises(KeyboardInterrupt):
        services.batch_run(batch.pk)
    assert not Account.objects.filter(external_id="C-100").exists()  # rolled back too
    monkeypatch.setattr(FactStore, "publish", real_publish)
    summary = kam_import("orders", str(orders_file))
    assert summary["imported"] == 5
    assert services.fact_store().published_batch_ids() == {summary["batch"]}


def test_a_utf8_file_with_a_stray_byte_far_down_still_imports(tmp_path):
    ExchangeRate.objects.create(currency="THB", valid_from="2024-01-01", rate="0.028")
    head = "Invoice No,Invoice Date,Customer No,Net Amount,Currency\n"
    good = "".join(f"INV-{i},2024-02-05,C-{i % 7},{i}.00,THB\n" for i in range(60_000))
    path = tmp_path / "mostly-utf8.csv"
    path.write_bytes((head + good).encode() + b"INV-X,2024-02-06,Caf\xe9 Ltd,5.00,THB\n")
    summary = kam_import("orders", str(path))
    assert (summary["rows_read"], summary["imported"]) == (60_001, 60_001)


def test_the_run_reads_the_file_as_prepare_sniffed_it(orders_file, monkeypatch, tmp_path):
    serbian = tmp_path / "serbian.csv"
    serbian.write_text(ORDERS.replace("Siam Mart", "Đurđevac d.o.o."), encoding="cp1250")
    batch = services.batch_prepare(actor=None, path=serbian)
    assert (batch.source["encoding"], batch.source["delimiter"]) == ("cp1250", ";")

    def sniff_again(*args, **kwargs):
        raise AssertionError("sniffed a second time")

    monkeypatch.setattr(services.readers, "sniff", sniff_again)
    batch = services.batch_run(batch.pk)
    assert (batch.imported, batch.rejected, batch.rows_read) == (5, 1, 6)
    assert Account.objects.filter(name="Đurđevac d.o.o.").exists()
    monkeypatch.undo()
    # a batch stored without the sniff's decisions (an older one) is sniffed again
    other = services.batch_prepare(actor=None, path=orders_file)
    other.source = {"path": other.source["path"]}
    other.save()
    other = services.batch_run(other.pk)
    assert (other.duplicates, other.rejected, other.rows_read) == (5, 1, 6)  # read alike


def _month_first_file(tmp_path, days_above_twelve: bool) -> Path:
    """Invoices written month first, as the Online Retail sample writes them."""
    ExchangeRate.objects.create(currency="THB", valid_from="2010-01-01", rate="0.028")
    head = "Invoice No,Invoice Date,Customer No,Net Amount,Currency\n"
    days = range(1, 29) if days_above_twelve else range(1, 13)
    lines = [
        f"INV-{month}-{day},{month}/{day}/2011 8:26,C-{day % 5},{day}.50,THB\n"
        for month in range(1, 13)
        for day in days
    ]
    path = tmp_path / "month-first.csv"
    path.write_text(head + "".join(lines))
    return path


def test_the_whole_file_decides_the_date_format_not_its_first_lines(tmp_path):
    path = _month_first_file(tmp_path, days_above_twelve=True)  # first lines fit both orders
    out = io.StringIO()
    call_command("import", "orders", str(path), stdout=out)
    report = out.getvalue()
    assert "Batch #" in report and "336 imported, 0 rejected" in report
    assert "dates: %m/%d/%Y, read on 336 of 336 lines (other formats: %d/%m/%Y 144)" in report
    assert sorted({line["invoice_date"].month for line in order_lines()}) == list(range(1, 13))


def test_a_file_that_fits_both_date_orders_stops_and_asks(tmp_path):
    path = _month_first_file(tmp_path, days_above_twelve=False)
    with pytest.raises(CommandError) as stopped:
        kam_import("orders", str(path))
    message = str(stopped.value)
    assert "nothing imported" in message and "--date-format" in message
    assert "144 of the file's 144 dates fit both" in message
    assert "%d/%m/%Y" in message and "%m/%d/%Y" in message
    assert list(ImportBatch.objects.values_list("status", flat=True)) == [BatchStatus.DELETED]
    assert not Account.objects.exists() and not services.fact_store().published_batch_ids()

    summary = kam_import("orders", str(path), "--date-format", "%m/%d/%Y")
    assert (summary["imported"], summary["rejected"]) == (144, 0)
    assert {line["invoice_date"].day for line in order_lines()} == set(range(1, 13))
    assert {line["invoice_date"].month for line in order_lines()} == set(range(1, 13))
