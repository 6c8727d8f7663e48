"""A KAM opens the win-back list, chooses a lost account, starts a campaign for it and logs a
contact step."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.activities.models import ActivityKind
from openkam.winback.models import Campaign
from openkam.winback.tests.conftest import make_snapshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_kam_starts_a_campaign_from_the_win_back_list(browser, live_server):
    # A transactional test's database may have lost the migration's seeded kinds.
    ActivityKind.objects.get_or_create(code="call", defaults={"name": "Call", "order": 20})
    world = make_world(make_users())
    today = timezone.localdate()
    make_snapshot(
        {
            world["own"]: {
                "lost": True,
                "lost_since": today - dt.timedelta(days=200),
                "revenue_before_loss": Decimal("120000"),
            },
            world["shared"]: {
                "shrinking": True,
                "revenue": Decimal("10000"),
                "revenue_prev": Decimal("40000"),
            },
        },
        as_of=today,
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/?next=/accounts/")
    page.locator("#id_username").fill("kam1")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Win back").click()
    table = page.locator("#start-campaign")
    expect(table).to_contain_text("Own Mart")
    expect(table).to_contain_text("Shared Stores")
    page.get_by_label("Own Mart", exact=True).check()
    page.get_by_role("button", name="Start a campaign for the chosen accounts").click()

    expect(page.locator("#chosen-accounts")).to_contain_text("Own Mart")
    expect(page.locator("#chosen-accounts")).not_to_contain_text("Shared Stores")
    page.get_by_label("Name").fill("Come back to us")
    page.get_by_label("Offer", exact=True).select_option("discount")
    page.get_by_label("Offer description").fill("10 % off for three months")
    page.get_by_label("Budget").fill("500")
    page.get_by_role("button", name="Start the campaign").click()

    expect(page.get_by_text("Campaign started.")).to_be_visible()
    expect(page.locator("#campaign-accounts")).to_contain_text("Own Mart")
    campaign = Campaign.objects.get(name="Come back to us")
    target = campaign.targets.get()
    assert (target.account, target.offer_cost) == (world["own"], Decimal("500.00"))

    page.locator("#campaign-accounts").get_by_role("link", name="Log a contact step").click()
    page.get_by_label("Subject").fill("Presented the discount to the buyer")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Contact step logged.")).to_be_visible()
    expect(page.locator("#campaign-accounts")).to_contain_text("Presented the discount")
    target.refresh_from_db()
    assert target.status == "contacted"
    context.close()
