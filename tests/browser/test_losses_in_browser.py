"""A director reads the loss dynamics — the chart, the periods, the reasons and where the
accounts went — and drills into one competitor: the accounts lost to it, in place."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.competitors.models import Competitor
from openkam.losses.models import AccountLoss
from openkam.losses.tests.conftest import account_rows, make_snapshot, series_point

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _losses(world) -> None:
    """Foreign Foods lost to Rival Distribution in the latest quarter, Shared Stores in the one
    before, to nobody knows whom."""
    snapshot = make_snapshot()
    rival = Competitor.objects.create(name="Rival Distribution")
    account_rows(snapshot, world["own"], state={"revenue_before_loss": Decimal(12000)})
    account_rows(
        snapshot,
        world["foreign"],
        state={
            "lost": True,
            "lost_since": dt.date(2026, 5, 10),
            "revenue_before_loss": Decimal(9000),
        },
        flags={"lost_in_period": True},
    )
    account_rows(
        snapshot,
        world["shared"],
        state={
            "lost": True,
            "lost_since": dt.date(2026, 2, 1),
            "revenue_before_loss": Decimal(4000),
        },
    )
    series_point(snapshot, 0, lost=1, revenue_lost=Decimal(9000))
    series_point(snapshot, 1, lost=1, revenue_lost=Decimal(4000))
    AccountLoss.objects.create(
        account=world["foreign"], lost_on=dt.date(2026, 5, 10), reason="price", competitor=rival
    )
    AccountLoss.objects.create(
        account=world["shared"], lost_on=dt.date(2026, 2, 1), reason="service"
    )


def test_a_director_reads_the_loss_dynamics_and_drills_into_a_competitor(browser, live_server):
    world = make_world(make_users())
    _losses(world)
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/?next=/accounts/")
    page.locator("#id_username").fill("director")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Losses").click()
    expect(page.get_by_role("heading", name="Loss dynamics")).to_be_visible()
    expect(page.locator("#loss-series svg.chart")).to_be_visible()
    expect(page.locator("#loss-reasons")).to_contain_text("Price")
    expect(page.locator("#loss-reasons")).to_contain_text("Service or delivery")
    went = page.locator("#loss-competitors")
    expect(went).to_contain_text("Rival Distribution")
    expect(went).to_contain_text("1 account lost in the window went nobody knows where.")

    went.get_by_role("link", name="Rival Distribution").click()
    listed = page.locator("#loss-accounts")
    expect(listed).to_contain_text("Accounts lost to Rival Distribution")
    expect(listed.locator("table.lost-accounts")).to_contain_text("Foreign Foods")
    expect(listed.locator("table.lost-accounts")).to_contain_text("kam2")
    expect(listed.locator("table.lost-accounts")).not_to_contain_text("Shared Stores")
    assert page.url.endswith("/losses/")  # in place: the page stays

    # the quarter before, from the table of the periods
    page.locator('#loss-series a[data-measure="lost"][data-index="1"]').click()
    expect(listed.locator("table.lost-accounts")).to_contain_text("Shared Stores")
    context.close()
