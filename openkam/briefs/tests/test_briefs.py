"""Negotiation briefs: written by the account team, read by everyone who sees the account;
the page and the PDF are built from the dossier as of the meeting date."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import zlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from openkam.activities.models import Activity, ActivityKind
from openkam.briefs import selectors, services
from openkam.briefs.models import NegotiationBrief
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.core.models import ChangeLogEntry
from openkam.plans.models import AccountPlan, PlanAction, PlanObjective, ValueProposition
from openkam.tenders.models import Tender

pytestmark = pytest.mark.django_db

MEETING = dt.date(2026, 6, 10)


def make_brief(users, world, **extra) -> NegotiationBrief:
    return services.brief_create(
        actor=users["kam1"],
        account=world["own"],
        data={"meeting_on": MEETING, "title": "Annual terms 2027", **extra},
        attendees=[world["own_person"]],
        our_people=[users["kam1"]],
    )


def test_the_team_prepares_a_brief_and_the_log_keeps_it(users, world):
    brief = make_brief(users, world, questions="Which stores open next year?")
    entry = ChangeLogEntry.objects.get(
        content_type=ContentType.objects.get_for_model(NegotiationBrief),
        object_id=brief.pk,
        action="create",
    )
    assert entry.changes["attendees"]["new"] == "Buyer of Own Mart"
    services.brief_update(actor=users["kam1"], brief=brief, data={"notes": "Bring the samples"})
    assert (
        ChangeLogEntry.objects.filter(
            content_type=entry.content_type, object_id=brief.pk, action="update"
        ).count()
        == 1
    )


def test_people_from_another_account_are_refused(users, world):
    with pytest.raises(ValidationError) as error:
        services.brief_create(
            actor=users["kam1"],
            account=world["own"],
            data={"meeting_on": MEETING, "title": "Terms"},
            attendees=[world["foreign_person"]],
        )
    assert "do not work at Own Mart" in str(error.value)


def test_a_title_is_required(users, world):
    with pytest.raises(ValidationError) as error:
        make_brief(users, world, title="  ")
    assert "title" in error.value.message_dict


@pytest.mark.parametrize("actor", ["kam2", "marketing", "viewer"])
def test_only_the_team_and_directors_write(users, world, actor):
    with pytest.raises(PermissionDenied):
        services.brief_create(
            actor=users[actor], account=world["own"], data={"meeting_on": MEETING, "title": "X"}
        )


@pytest.fixture
def dossier(users, world):
    """Own Mart with an open tender, a competitor, a plan with a value proposition and an open
    action, and a meeting whose next step we promised."""
    own = world["own"]
    Tender.objects.create(account=own, title="Private label tender", status="open")
    Tender.objects.create(account=own, title="Won last year", status="won", decided_on=MEETING)
    rival = Competitor.objects.create(name="Rival Distribution")
    AccountCompetitor.objects.create(account=own, competitor=rival, threat_level=5)
    plan = AccountPlan.objects.create(account=own, year=MEETING.year, currency="THB")
    ValueProposition.objects.create(
        plan=plan, kind="margin", description="Premium range at a better margin"
    )
    objective = PlanObjective.objects.create(plan=plan, title="Grow the premium range")
    PlanAction.objects.create(
        objective=objective,
        title="Send the range proposal",
        owner=users["kam1"],
        due_date=MEETING - dt.timedelta(days=3),
    )
    Activity.objects.create(
        account=own,
        kind=ActivityKind.objects.get_or_create(code="visit", defaults={"name": "Visit"})[0],
        occurred_at=timezone.now() - dt.timedelta(days=20),
        subject="Store visit",
        next_step="Price list for the new stores",
    )
    return world


def test_the_content_comes_from_the_dossier(users, dossier):
    brief = make_brief(users, dossier)
    content = selectors.brief_content(brief)
    assert [t.title for t in content.open_tenders] == ["Private label tender"]
    assert [p.competitor.name for p in content.threats] == ["Rival Distribution"]
    assert [a.title for a in content.open_actions] == ["Send the range proposal"]
    assert [a.next_step for a in content.promises] == ["Price list for the new stores"]
    assert [p.stakeholder.name for p in content.people] == ["Buyer of Own Mart"]
    assert content.snapshot is None and content.year is None  # no sales history here


def test_the_page_shows_it_and_escapes_free_text(client, login, users, dossier):
    brief = make_brief(users, dossier, goals="<script>alert(1)</script>")
    login("kam1")
    body = client.get(reverse("briefs:detail", args=[brief.pk])).content.decode()
    for text in (
        "Private label tender",
        "Rival Distribution",
        "Send the range proposal",
        "Premium range at a better margin",
        "Price list for the new stores",
    ):
        assert text in body
    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)" in body


def test_the_account_page_offers_to_prepare_one(client, login, users, world):
    make_brief(users, world)
    login("kam1")
    panel = client.get(reverse("briefs:panel", args=[world["own"].pk])).content.decode()
    assert (
        "Annual terms 2027" in panel and reverse("briefs:create", args=[world["own"].pk]) in panel
    )
    login("viewer")
    panel = client.get(reverse("briefs:panel", args=[world["own"].pk])).content.decode()
    assert "Annual terms 2027" in panel and "briefs/new/" not in panel


def test_the_form_creates_a_brief(client, login, users, world):
    login("kam1")
    url = reverse("briefs:create", args=[world["own"].pk])
    response = client.post(
        url,
        {
            "meeting_on": "2026-07-01",
            "title": "Listing fees",
            "attendees": [world["own_person"].pk],
            "our_people": [users["kam1"].pk],
            "questions": "What do they need for Q4?",
        },
    )
    brief = NegotiationBrief.objects.get(title="Listing fees")
    assert response.status_code == 302 and response["Location"] == brief.get_absolute_url()
    assert list(brief.attendees.all()) == [world["own_person"]]
    bad = client.post(url, {"meeting_on": "", "title": ""})
    assert bad.status_code == 400


def test_the_pdf_embeds_the_thai_font(client, login, users, world):
    brief = make_brief(users, world, title="เจรจาเงื่อนไขประจำปี", notes="คำถามสำหรับผู้ซื้อ <b>x</b>")
    login("kam1")
    response = client.get(reverse("briefs:pdf", args=[brief.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+Sarabun", pdf_objects(response.content))
    assert "filename*=UTF-8''brief-" in response["Content-Disposition"]


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font dictionaries sit in object streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"\n".join(parts)


def test_another_kam_sees_none_of_it(client, login, users, world):
    brief = make_brief(users, world)
    login("kam2")
    assert client.get(reverse("briefs:detail", args=[brief.pk])).status_code == 404
    assert client.get(reverse("briefs:pdf", args=[brief.pk])).status_code == 404
    assert client.get(reverse("api:brief-detail", args=[brief.pk])).status_code == 404
    assert client.get(reverse("api:brief-list")).json()["count"] == 0


def test_the_api_writes_through_the_service(client, login, users, world):
    login("kam1")
    response = client.post(
        reverse("api:brief-list"),
        {
            "account": world["own"].pk,
            "meeting_on": "2026-07-01",
            "title": "Promotions",
            "attendees": [world["own_person"].pk],
            "our_people": ["kam1"],
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["pdf"] == reverse("briefs:pdf", args=[response.json()["id"]])
    foreign = client.post(
        reverse("api:brief-list"),
        {
            "account": world["own"].pk,
            "meeting_on": "2026-07-01",
            "title": "X",
            "attendees": [world["foreign_person"].pk],
        },
        content_type="application/json",
    )
    assert foreign.status_code == 400
