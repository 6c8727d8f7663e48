"""The relationship timeline: every source merged newest first, filters, pages, the sales
history read from the fact store (and read again after an import), the page and the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.accounts.models import TeamRole
from openkam.accounts.services import account_team_add, account_team_remove
from openkam.activities.models import ActivityKind
from openkam.activities.services import activity_create
from openkam.analytics.tests import facts
from openkam.keyaccounts.services import account_type_set
from openkam.metrics.tests.conftest import publish
from openkam.stakeholders.services import stakeholder_move
from openkam.timeline import selectors
from openkam.timeline.events import EventKind

pytestmark = pytest.mark.django_db

AS_OF = None  # today: the positions and the team changes are dated today


@pytest.fixture
def busy(users, world):
    """Own Mart: a year of monthly orders with one large one, two activities, a team change,
    a key-account type and its buyer moving to Foreign Foods."""
    own = world["own"]
    lines = [facts.line(own.pk, dt.date(2025, m, 5), 1000) for m in range(7, 13)]
    lines += [facts.line(own.pk, dt.date(2026, m, 5), 1200) for m in range(1, 7)]
    lines.append(facts.line(own.pk, dt.date(2026, 3, 20), 9000, document="BIG-1"))
    publish(lines)
    visit, _ = ActivityKind.objects.get_or_create(code="visit", defaults={"name": "Visit"})
    for day, subject in ((dt.date(2026, 2, 10), "Range review"), (dt.date(2026, 5, 2), "QBR")):
        activity_create(
            actor=users["kam1"],
            account=own,
            data={
                "kind": visit,
                "occurred_at": dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC),
                "duration_minutes": 60,
                "purpose": "key_account",
                "subject": subject,
            },
        )
    member = account_team_add(
        actor=users["director"], account=own, user=users["marketing"], role=TeamRole.SUPPORT
    )
    account_team_remove(actor=users["director"], member=member)
    account_type_set(actor=users["kam1"], account=own, type="supporter", reason="Grows with us")
    stakeholder_move(
        actor=users["director"],
        stakeholder=world["own_person"],
        account=world["own_sub"],
    )
    return world


def kinds_of(page) -> list[str]:
    return [e.kind for e in page.events]


def test_every_source_is_merged_newest_first(busy):
    page = selectors.account_timeline(busy["own"], as_of=AS_OF)
    whens = [e.when for e in page.events]
    assert whens == sorted(whens, reverse=True)
    assert set(kinds_of(page)) == {
        EventKind.REVENUE,
        EventKind.ORDER,
        EventKind.ACTIVITY,
        EventKind.KEY_ACCOUNT,
        EventKind.TEAM,
        EventKind.PEOPLE,
    }
    titles = [e.title for e in page.events]
    assert "Large order BIG-1: $9,000.00" in titles
    assert any("Left the account team" in t for t in titles)
    assert any("left the position" in t for t in titles)
    june = next(e for e in page.events if e.kind == EventKind.REVENUE)
    assert june.when.date() == dt.date(2026, 6, 1) and june.amount == 1200


def test_revenue_compares_the_same_month_a_year_before(users, world):
    own = world["own"]
    publish([facts.line(own.pk, "2025-03-05", 1000), facts.line(own.pk, "2026-03-05", 1500)])
    page = selectors.account_timeline(own, kinds=[EventKind.REVENUE], as_of=AS_OF)
    assert [e.amount for e in page.events] == [1500, 1000]
    assert page.events[0].detail == "+50% on the same month a year before"
    assert page.events[1].detail == ""


def test_a_kind_filter_shows_only_those_kinds(busy):
    page = selectors.account_timeline(
        busy["own"], kinds=[EventKind.ACTIVITY, "no-such-kind"], as_of=AS_OF
    )
    assert [e.title for e in page.events] == ["Visit: QBR", "Visit: Range review"]
    assert page.kinds == [EventKind.ACTIVITY]


def test_pages_follow_on_without_gaps_or_repeats(busy):
    everything = selectors.account_timeline(busy["own"], per_page=1000, as_of=AS_OF).events
    pages, number = [], 1
    while True:
        page = selectors.account_timeline(busy["own"], page=number, per_page=4, as_of=AS_OF)
        pages += page.events
        if not page.has_next:
            break
        number += 1
    assert pages == everything and number > 3


def test_the_sales_history_is_read_again_after_an_import(busy):
    first = selectors.account_timeline(busy["own"], kinds=[EventKind.ORDER], as_of=AS_OF)
    assert len(first.events) == 1
    publish([facts.line(busy["own"].pk, "2026-06-20", 20000, document="BIG-2")], batch_id=2)
    again = selectors.account_timeline(busy["own"], kinds=[EventKind.ORDER], as_of=AS_OF)
    # the new order is read at once; next to it, BIG-1 is no longer three times the average
    assert [e.title.split(":")[0] for e in again.events] == ["Large order BIG-2"]


def test_without_sales_history_the_other_events_still_show(users, world):
    page = selectors.account_timeline(world["foreign"], as_of=AS_OF)
    assert page.events and EventKind.REVENUE not in kinds_of(page)


def test_the_page_shows_the_chart_and_the_events(
    client, login, busy, django_assert_max_num_queries
):
    login("kam1")
    url = reverse("timeline:account", args=[busy["own"].pk])
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "timeline-revenue" in body and "Visit: QBR" in body
    partial = client.get(url, {"kind": "activity"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "Range review" in partial.content.decode()
    assert "BIG-1" not in partial.content.decode()


def test_free_text_is_escaped(client, login, users, world):
    visit, _ = ActivityKind.objects.get_or_create(code="visit", defaults={"name": "Visit"})
    activity_create(
        actor=users["kam1"],
        account=world["own"],
        data={
            "kind": visit,
            "occurred_at": dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC),
            "duration_minutes": 30,
            "purpose": "key_account",
            "subject": "<script>alert(1)</script>",
            "outcome": "<img src=x onerror=alert(2)>",
        },
    )
    login("kam1")
    body = client.get(reverse("timeline:account", args=[world["own"].pk])).content.decode()
    assert "<script>alert(1)" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(1)" in body


def test_a_foreign_account_is_not_found(client, login, busy):
    login("kam2")
    assert client.get(reverse("timeline:account", args=[busy["own_sub"].pk])).status_code == 200
    login("marketing")
    assert client.get(reverse("timeline:account", args=[busy["own"].pk])).status_code == 200
    client.logout()
    login("kam2")
    response = client.get(reverse("timeline:account", args=[busy["own"].pk]))
    assert response.status_code == 404


def test_the_export_holds_every_event(client, login, busy):
    login("kam1")
    url = reverse("timeline:account", args=[busy["own"].pk])
    response = client.get(url, {"format": "csv", "kind": "activity"})
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 3 and "QBR" in rows[1]


def test_the_api_pages_and_filters(client, login, busy):
    login("kam1")
    url = reverse("api:account-timeline", args=[busy["own"].pk])
    data = client.get(url, {"kind": ["activity", "team"]}).json()
    assert data["account"] == busy["own"].pk and data["has_next"] is False
    assert {row["kind"] for row in data["results"]} == {"activity", "team"}
    assert client.get(url, {"kind": "nonsense"}).status_code == 400
    assert client.get(url, {"page": "0"}).status_code == 400
    login("kam2")
    assert client.get(url).status_code == 404


def test_tenders_and_plan_reviews_show_with_their_outcome(users, world):
    from openkam.competitors.models import Competitor
    from openkam.plans.models import AccountPlan, PlanReview
    from openkam.tenders.models import Tender

    own = world["own"]
    rival = Competitor.objects.create(name="Rival Distribution")
    Tender.objects.create(
        account=own,
        title="Frozen range",
        status="lost",
        lost_reason="price",
        winner=rival,
        submitted_on=dt.date(2026, 2, 1),
        decided_on=dt.date(2026, 3, 1),
    )
    Tender.objects.create(
        account=own, title="Snacks", status="open", announced_on=dt.date(2026, 4, 1)
    )
    Tender.objects.create(account=own, title="Undated", status="open")  # no date: not placed
    plan = AccountPlan.objects.create(account=own, year=2026, currency="THB")
    PlanReview.objects.create(plan=plan, held_on=dt.date(2026, 5, 5), notes="Targets on track")
    page = selectors.account_timeline(own, kinds=[EventKind.TENDER, EventKind.PLAN])
    assert [e.title for e in page.events] == [
        "Review of the 2026 account plan",
        "Tender open: Snacks",
        "Tender lost: Frozen range (Price) → Rival Distribution",
    ]
    assert page.events[2].when.date() == dt.date(2026, 3, 1)
