"""A director imports sales history: upload, correct a column the guess missed, start, read."""

import re

import pytest
from playwright.sync_api import expect

from conftest import make_users

from .test_accounts_in_browser import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# "Kundennummer" means nothing to the guesser: the customer has to be chosen by hand.
CSV = """Invoice No,Invoice Date,Kundennummer,Item Code,Qty,Unit Price,Net Amount,Currency
INV-1,2024-01-15,C-100,P-1,2,50.00,100.00,USD
INV-2,2024-01-20,C-200,P-2,1,75.50,75.50,USD
INV-3,2024-02-03,C-100,P-1,3,50.00,150.00,USD
"""


def test_director_imports_a_file_after_correcting_the_mapping(page, tmp_path):
    make_users()
    export = tmp_path / "erp-export.csv"
    export.write_text(CSV, encoding="utf-8")
    log_in(page, "director")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    expect(page.get_by_text("No imports yet")).to_be_visible()
    page.get_by_role("link", name="New import").click()
    page.get_by_label("File").set_input_files(export)
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name=re.compile("erp-export.csv"))).to_be_visible()
    expect(page.locator("table.preview")).to_contain_text("C-200")
    expect(page.get_by_role("alert").filter(has_text="a customer (id or name)")).to_be_visible()
    expect(page.get_by_label("Invoice date", exact=True)).to_have_value("Invoice Date")

    page.get_by_label("Customer id / number").select_option("Kundennummer")
    page.get_by_role("button", name="Start import").click()

    result = page.locator("dl.counts")
    expect(result).to_be_visible(timeout=30_000)
    expect(page.locator("dd.imported")).to_have_text("3")
    expect(page.get_by_text("No line was rejected.")).to_be_visible()
    expect(page.get_by_role("link", name="Download rejected lines")).to_have_count(0)
    expect(page.locator("h1 .badge")).to_have_text("Imported")

    page.get_by_role("link", name="All imports").click()
    row = page.locator("table.imports tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("erp-export.csv")
    expect(row).to_contain_text("director")


def test_the_progress_bar_follows_a_running_import_and_the_page_shows_the_end(page):
    from openkam.sales.models import BatchStatus, ImportBatch

    make_users()
    batch = ImportBatch.objects.create(
        file_name="big.csv",
        file_sha256="",
        status=BatchStatus.RUNNING,
        progress=0.25,
        phase="reading",
    )
    log_in(page, "director")
    page.goto(batch.get_absolute_url())
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_have_attribute("value", "25")

    ImportBatch.objects.filter(pk=batch.pk).update(progress=0.6, phase="writing")
    expect(bar).to_have_attribute("value", "60")
    expect(page.locator("#import-progress")).to_contain_text("writing")

    ImportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.COMMITTED, progress=1, phase="done", rows_read=7, imported=7
    )
    expect(page.locator("dd.imported")).to_have_text("7")
    expect(bar).to_have_count(0)
