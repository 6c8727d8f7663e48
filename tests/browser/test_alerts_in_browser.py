"""A KAM opens their inbox, follows an alert to the account, sees the health components, turns
the alert's playbook into plan actions and snoozes another alert, in place."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.alerts.models import Alert, AlertStatus
from openkam.alerts.services import alerts_recompute
from openkam.metrics.models import (
    AccountMetrics,
    AccountPeriodMetrics,
    Period,
    Snapshot,
    SnapshotStatus,
)
from openkam.plans.models import PlanAction

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _troubled_snapshot(account) -> Snapshot:
    """Own Mart overdue against its rhythm, its revenue down by half: alerts and a red score."""
    today = timezone.localdate()
    snapshot = Snapshot.objects.create(
        as_of=today, status=SnapshotStatus.DONE, reporting_currency="USD"
    )
    AccountMetrics.objects.create(
        snapshot=snapshot,
        account=account,
        first_purchase=today - dt.timedelta(days=900),
        last_purchase=today - dt.timedelta(days=100),
        purchase_days=30,
        median_interval=30,
        days_since_purchase=100,
        expected_next_purchase=today - dt.timedelta(days=70),
        overdue=True,
    )
    for period, revenue, year_ago in ((Period.YEAR, 500_000, 1_000_000), (Period.QUARTER, 50, 200)):
        AccountPeriodMetrics.objects.create(
            snapshot=snapshot,
            account=account,
            period=period,
            revenue=Decimal(revenue),
            revenue_year_ago=Decimal(year_ago),
            growth_year_ago=revenue / year_ago - 1,
        )
    return snapshot


def _login(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/?next=/accounts/")  # the cockpit needs a whole analysis: not this one
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return context, page


def test_a_kam_works_through_the_inbox(browser, live_server):
    world = make_world(make_users())
    own = world["own"]
    snapshot = _troubled_snapshot(own)
    from openkam.health.services import health_recompute

    health_recompute(snapshot)
    alerts_recompute(snapshot.as_of)
    overdue = Alert.objects.get(rule="overdue", account=own)
    other = Alert.objects.filter(account=own).exclude(pk=overdue.pk).first()
    assert other is not None

    context, page = _login(browser, live_server, "kam1")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.locator("#alerts-badge")).to_be_visible()  # the count, loaded after the page
    nav.get_by_role("link", name="Alerts").click()
    row = page.locator(f"#alert-{overdue.pk}")
    expect(row).to_contain_text("Overdue against its own rhythm")
    expect(row).to_contain_text("it buys about every 30 days")

    # follow the alert to the account: its panel lists the account's open alerts
    row.get_by_role("link", name="Own Mart").click()
    expect(page.locator("#alerts")).to_contain_text("Overdue against its own rhythm")
    # the health components explain the score
    page.locator("nav.tabs").get_by_role("link", name="Health", exact=True).click()
    expect(page.get_by_text("Purchase rhythm").first).to_be_visible()
    expect(page.get_by_text("Revenue growth").first).to_be_visible()
    page.go_back()

    # the playbook, turned into plan actions (one step left out)
    page.locator("#alerts").get_by_role("link", name="Overdue against its own rhythm").click()
    page.get_by_label("Check for open complaints, late deliveries or price questions.").uncheck()
    page.get_by_role("button", name="Turn into plan actions").click()
    expect(page.get_by_text("3 plan actions added.")).to_be_visible()
    expect(page.get_by_text("Call the buyer this week")).to_be_visible()
    assert PlanAction.objects.filter(objective__plan__account=own).count() == 3
    overdue.refresh_from_db()
    assert overdue.status == AlertStatus.ACKNOWLEDGED

    # another alert snoozed from the inbox, in place
    page.goto("/alerts/")
    row = page.locator(f"#alert-{other.pk}")
    until = timezone.localdate() + dt.timedelta(days=10)
    row.get_by_label("Snooze until").fill(until.isoformat())
    row.get_by_role("button", name="Snooze").click()
    expect(page.locator(f"#alert-{other.pk}")).to_contain_text("Snoozed")
    other.refresh_from_db()
    assert (other.status, other.snoozed_until) == (AlertStatus.SNOOZED, until)
    page.reload()
    expect(page.locator(f"#alert-{other.pk}")).to_have_count(0)  # asleep: out of the inbox
    expect(page.locator(f"#alert-{overdue.pk}")).to_contain_text("Acknowledged")
    context.close()
