"""A director raises retention on the what-if and takes the figures to Excel; a KAM compares
two years of a retailer's sell-out and exports the levers and the stores."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.metrics.models import Snapshot, SnapshotStatus
from openkam.sellout.models import SelloutMonth
from openkam.whatif.services import basis_store
from openkam.whatif.tests.conftest import EXAMPLE, basis_table

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(browser, live_server, username: str, then: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"/login/?next={then}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return context, page


def _downloaded_rows(page, link, tmp_path) -> list[list]:
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    assert saved.suffix == ".xlsx"
    download.value.save_as(saved)
    return [[c.value for c in row] for row in load_workbook(saved).active.iter_rows()]


def test_a_director_raises_retention_and_exports_the_what_if(browser, live_server, tmp_path):
    make_users()
    snapshot = Snapshot.objects.create(
        as_of=dt.date(2025, 12, 31), status=SnapshotStatus.DONE, reporting_currency="USD"
    )
    basis_store(snapshot, basis_table({("portfolio", ""): EXAMPLE}))
    # a hand-made snapshot holds only the what-if's basis: straight to the page, not the cockpit
    context, page = _log_in(browser, live_server, "director", "/what-if/retention/%3Fpoints%3D5")
    expect(page.get_by_role("heading", name="Retention what-if")).to_be_visible()
    expect(page.locator("#whatif svg")).to_be_visible()
    expect(page.locator("#whatif table.data").first).to_contain_text("412.50")

    page.get_by_label("Raise retention by (points)").fill("10")
    page.get_by_label("Raise retention by (points)").press("Enter")
    expect(page).to_have_url(re.compile(r"points=10"))
    expect(page.locator("#whatif table.data").first).not_to_contain_text("412.50")
    horizons = _downloaded_rows(page, page.locator("#export-horizons"), tmp_path)
    assert [row[0] for row in horizons[1:]] == [1, 3, 5]
    assert horizons[1][1] == 375 and horizons[1][2] > 412.5  # ten points raise more than five
    shown = page.locator("#whatif table.data").first.locator("tbody tr").first
    expect(shown).to_contain_text(f"{horizons[1][2]:,.2f}")  # the file holds what the page shows
    ages = _downloaded_rows(page, page.locator("#export-assumptions"), tmp_path)
    assert [row[0] for row in ages[1:]][:2] == [1, 2]
    context.close()


def test_a_kam_compares_sell_out_periods_and_exports_them(browser, live_server, tmp_path):
    world = make_world(make_users())
    SelloutMonth.objects.bulk_create(
        SelloutMonth(
            account=world["own"],
            store=store,
            period=dt.date(year, month, 1),
            shoppers=shoppers,
            visits=shoppers * 2,
            value=Decimal(shoppers * 20),
        )
        for month in range(1, 13)
        for year, north in ((2024, 100), (2025, 150))
        for store, shoppers in (("North", north), ("South", 50))
    )
    context, page = _log_in(browser, live_server, "kam1", f"/accounts/{world['own'].pk}/")
    page.get_by_role("link", name="Sell-out", exact=True).click()
    expect(page.locator("#growth svg")).to_be_visible()
    page.get_by_label("Compare").fill("2024-Q1")
    page.get_by_label("with", exact=True).fill("2025-Q1")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#growth")).to_contain_text("Sell-out of 2024-Q1 against 2025-Q1.")
    # North: 50 shoppers more each month of the quarter, at 2 visits of 10.00 → 3,000.00
    expect(page.locator("#lever-shoppers")).to_contain_text("3,000.00")
    rows = _downloaded_rows(page, page.locator("#export-sellout"), tmp_path)
    assert rows[1][0] == "All stores" and rows[1][8] == 3000 and rows[1][9] == 3000
    assert {row[0] for row in rows[2:]} == {"North", "South"}
    context.close()
