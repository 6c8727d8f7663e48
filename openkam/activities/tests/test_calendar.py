"""The private calendar feed: a live token, the user's own activities on accounts they may see,
in UTC; revoked or remade tokens stop working."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from openkam.accounts.models import AccountTeamMember
from openkam.accounts.services import account_team_remove
from openkam.activities import calendar, services
from openkam.activities.models import ActivityKind, CalendarToken

pytestmark = pytest.mark.django_db

SOON = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)


def log(users, world, account: str, subject: str, actor: str = "kam1", **extra):
    return services.activity_create(
        actor=users[actor],
        account=world[account],
        data={
            "kind": ActivityKind.objects.get(code="dinner"),
            "occurred_at": SOON,
            "duration_minutes": 90,
            "subject": subject,
            **extra,
        },
        our_people=[users[actor]],
    )


def feed_url(secret: str) -> str:
    return reverse("activities:calendar_feed", args=[secret])


def events(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_holds_the_users_activities_in_utc(client, users, world):
    mine = log(users, world, "own", "Dinner; with, commas", notes="Line one\nLine two")
    log(users, world, "foreign", "Not mine", actor="kam2")
    secret = calendar.calendar_token_issue(actor=users["kam1"])
    assert CalendarToken.objects.get().digest == CalendarToken.digest_of(secret) != secret
    found = events(client.get(feed_url(secret)))
    assert [str(e["summary"]) for e in found] == ["Dinner: Dinner; with, commas (Own Mart)"]
    event = found[0]
    assert str(event["uid"]) == f"activity-{mine.pk}@openkam"
    start, end = event["dtstart"].dt, event["dtend"].dt
    assert start == SOON and start.utcoffset() == dt.timedelta(0)
    assert end - start == dt.timedelta(minutes=90)
    assert str(event["description"]) == "Line one\nLine two"
    assert b"DTSTART:" in client.get(feed_url(secret)).content  # written as ...Z, not TZID
    assert CalendarToken.objects.get().last_used_at is not None


def test_an_account_no_longer_visible_drops_out(client, users, world):
    log(users, world, "shared", "Shared dinner")
    secret = calendar.calendar_token_issue(actor=users["kam1"])
    assert len(events(client.get(feed_url(secret)))) == 1
    member = AccountTeamMember.objects.get(account=world["shared"], user=users["kam1"])
    account_team_remove(actor=users["director"], member=member)
    assert events(client.get(feed_url(secret))) == []


def test_revoked_remade_and_unknown_tokens_are_404(client, users, world):
    old = calendar.calendar_token_issue(actor=users["kam1"])
    new = calendar.calendar_token_issue(actor=users["kam1"])
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert client.get(feed_url("nonsense")).status_code == 404
    calendar.calendar_token_revoke(actor=users["kam1"])
    assert client.get(feed_url(new)).status_code == 404
    secret = calendar.calendar_token_issue(actor=users["kam1"])
    users["kam1"].is_active = False
    users["kam1"].save()
    assert client.get(feed_url(secret)).status_code == 404


def test_the_list_page_makes_shows_once_and_revokes_the_address(login, users, world):
    client = login("kam1")
    page = client.get(reverse("activities:list"))
    assert "You have no calendar feed." in page.content.decode()
    response = client.post(reverse("activities:calendar_token"), {"action": "create"})
    assert response.status_code == 302
    shown = client.get(reverse("activities:list")).content.decode()
    assert "/activities/calendar/" in shown and "Make a new address" in shown
    again = client.get(reverse("activities:list")).content.decode()
    assert "it is not shown again" not in again
    client.post(reverse("activities:calendar_token"), {"action": "revoke"})
    assert not CalendarToken.objects.filter(user=users["kam1"]).exists()


def test_an_administrator_revokes_a_feed_in_the_admin(client, login, users, world):
    secret = calendar.calendar_token_issue(actor=users["kam1"])
    token = CalendarToken.objects.get(user=users["kam1"])
    admin = login("admin")
    listing = admin.get(reverse("admin:activities_calendartoken_changelist"))
    assert listing.status_code == 200 and "kam1" in listing.content.decode()
    assert admin.get(reverse("admin:activities_calendartoken_add")).status_code == 403
    delete = reverse("admin:activities_calendartoken_delete", args=[token.pk])
    assert admin.post(delete, {"post": "yes"}).status_code == 302
    assert client.get(feed_url(secret)).status_code == 404
    assert login("director").get(listing.request["PATH_INFO"]).status_code == 403
