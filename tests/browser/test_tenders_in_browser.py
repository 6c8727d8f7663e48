"""A KAM records a lost tender, with its reason and the winning competitor, from the account's
Competition tab and sees it in the win rate; another KAM does not see it at all (404)."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.competitors.models import Competitor
from openkam.tenders.models import Tender

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _login(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return context, page


def test_a_kam_records_a_lost_tender(browser, live_server):
    world = make_world(make_users())
    Competitor.objects.create(name="Mekong Supply Co.")
    context, page = _login(browser, live_server, "kam1")
    page.goto(f"/accounts/{world['own'].pk}/")
    page.get_by_role("link", name="Competition").click()
    page.get_by_role("link", name="Record a tender").click()
    page.get_by_label("Title").fill("Frozen range 2027")
    page.get_by_label("Value").fill("250000")
    page.get_by_label("Announced").fill("2026-01-10")
    page.get_by_label("Submitted").fill("2026-02-01")
    page.get_by_label("Status").select_option(label="Lost")
    page.get_by_role("button", name="Save").click()
    # no decision date, no reason: refused with the reasons
    expect(page.get_by_text("A won or lost tender needs the date it was decided.")).to_be_visible()
    expect(page.get_by_text("Say why the tender was lost.")).to_be_visible()
    page.get_by_label("Decided").fill("2026-03-01")
    page.get_by_label("Reason lost").select_option(label="Competitor")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("say which competitor won the tender")).to_be_visible()
    page.get_by_label("Winning competitor").select_option(label="Mekong Supply Co.")
    page.get_by_label("Comment on the loss").fill("Cheaper by 6 %")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Recorded “Frozen range 2027”.")).to_be_visible()
    expect(page.locator("#tenders")).to_contain_text("Mekong Supply Co.")
    expect(page.get_by_test_id("lost")).to_have_text("1")
    expect(page.get_by_test_id("win-rate")).to_have_text("0.0%")
    page.goto("/tenders/")
    expect(page.get_by_text("Lost value by competitor")).to_be_visible()
    expect(page.locator("#results")).to_contain_text("Mekong Supply Co.")
    context.close()

    tender = Tender.objects.get(title="Frozen range 2027")
    other, page = _login(browser, live_server, "kam2")
    assert page.goto(f"/tenders/{tender.pk}/edit/").status == 404
    assert page.goto(f"/tenders/account/{world['own'].pk}/").status == 404
    page.goto("/tenders/")
    expect(page.locator("#results")).not_to_contain_text("Frozen range 2027")
    other.close()
