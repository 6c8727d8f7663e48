"""A KAM on a phone (390 px wide) logs a visit from the account page in a few taps."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.activities.models import ActivityKind

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_kam_logs_a_visit_on_a_phone(browser, live_server):
    world = make_world(make_users())
    # A transactional test's database may have lost the migration's seeded kinds.
    ActivityKind.objects.get_or_create(code="visit", defaults={"name": "Visit", "order": 40})
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("#id_username").fill("kam1")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"/accounts/{world['own'].pk}/")
    page.get_by_role("link", name="Log an activity").click()
    page.get_by_label("Kind").select_option(label="Visit")
    page.get_by_label("Subject").fill("Shelf check with the buyer")
    page.get_by_label("Buyer of Own Mart").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Logged “Shelf check with the buyer”.")).to_be_visible()
    expect(page.locator("#activities")).to_contain_text("Shelf check with the buyer")
    context.close()
