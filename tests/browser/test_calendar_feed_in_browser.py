"""A KAM makes a private calendar-feed address, the feed holds their dinner, and revoking it
stops the address."""

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from conftest import PASSWORD, make_users, make_world
from openkam.activities.models import ActivityKind
from openkam.activities.services import activity_create

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_kam_subscribes_to_their_calendar_feed_and_revokes_it(browser, live_server):
    users = make_users()
    world = make_world(users)
    dinner, _ = ActivityKind.objects.get_or_create(
        code="dinner", defaults={"name": "Dinner", "order": 60, "is_entertainment": True}
    )
    activity_create(
        actor=users["kam1"],
        account=world["own"],
        data={
            "kind": dinner,
            "occurred_at": timezone.now() + dt.timedelta(days=3),
            "subject": "Dinner with the buyer",
        },
        our_people=[users["kam1"]],
    )
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto("/login/")
    page.locator("#id_username").fill("kam1")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto("/activities/")
    expect(page.locator("#calendar-feed")).to_contain_text("You have no calendar feed.")
    page.get_by_role("button", name="Make a feed address").click()
    address = page.get_by_label("Calendar feed address").input_value()
    assert address.startswith(live_server.url) and address.endswith(".ics")

    feed = context.request.get(address)
    assert feed.ok
    summaries = [str(e["summary"]) for e in Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert summaries == ["Dinner: Dinner with the buyer (Own Mart)"]

    page.reload()  # shown once only
    expect(page.get_by_label("Calendar feed address")).to_have_count(0)
    page.get_by_role("button", name="Revoke").click()
    expect(page.get_by_text("Your calendar feed is revoked.")).to_be_visible()
    assert context.request.get(address).status == 404
    context.close()
