"""A KAM on a phone (390 px wide) rewrites a stale portrait section in Thai: the stale flag
goes; then the dossier downloads as a PDF."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.dossier.models import PortraitSection

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_kam_refreshes_a_stale_portrait_in_thai_and_prints_the_dossier(browser, live_server):
    world = make_world(make_users())
    own = world["own"]
    PortraitSection.objects.create(
        account=own, area="corporate", text="Grow in Bangkok", reviewed_on=dt.date(2020, 1, 1)
    )
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 390, "height": 844},
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("#id_username").fill("kam1")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/accounts/{own.pk}/")
    page.get_by_role("link", name="Dossier", exact=True).click()
    corporate = page.locator("#portrait-corporate")
    expect(corporate.locator('[data-flag="stale"]')).to_be_visible()
    corporate.get_by_role("link", name="Edit or confirm").click()
    page.get_by_label("Corporate strategy").fill("ขยายสาขาในกรุงเทพฯ 20 แห่งภายในปี 2028")
    page.get_by_label("Source").fill("รายงานประจำปี")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.get_by_role("button", name="Save").click()

    corporate = page.locator("#portrait-corporate")
    expect(corporate).to_contain_text("ขยายสาขาในกรุงเทพฯ")
    expect(corporate.locator("[data-flag]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    with page.expect_download() as download:
        page.get_by_role("link", name="Print the dossier (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename == "dossier-own-mart.pdf"
    context.close()
