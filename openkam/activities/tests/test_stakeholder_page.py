"""A stakeholder's page shows the last contact and who on our side met them, from the log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.activities import services
from openkam.activities.models import ActivityKind

pytestmark = pytest.mark.django_db


def test_last_contact_and_who_met_them(login, users, world):
    person = world["shared_person"]
    page = reverse("stakeholders:detail", args=[person.pk])
    html = login("kam1").get(page).content.decode()
    assert "No activity logged with this person yet." in html
    for actor, day in (("kam2", 3), ("kam1", 24)):
        services.activity_create(
            actor=users[actor],
            account=world["shared"],
            data={
                "kind": ActivityKind.objects.get(code="meeting"),
                "occurred_at": dt.datetime(2026, 6, day, 9, 0, tzinfo=dt.UTC),
                "subject": "Range review",
            },
            our_people=[users[actor]],
            their_people=[person],
        )
    html = login("kam1").get(page).content.decode()
    last = html.split('id="last-contact">')[1].split("</dd>")[0]
    assert last == "Jun 24, 2026"
    met = html.split('id="met-by">')[1].split("</dd>")[0]
    assert met.index("kam1") < met.index("kam2")  # the most recent first
