"""The activity pages: log from the account page, list with filters and export, edit, delete."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from openkam.activities.models import Activity, ActivityKind

pytestmark = pytest.mark.django_db


def form(world, account="own", **extra) -> dict:
    return {
        "kind": ActivityKind.objects.get(code="visit").pk,
        "occurred_at": "2026-06-03T10:00",
        "duration_minutes": "60",
        "purpose": "key_account",
        "subject": "Store visit with the buyer",
        "their_people": [world[f"{account}_person"].pk],
        **extra,
    }


def test_a_kam_logs_a_visit_from_the_account_page(login, world, users):
    client = login("kam1")
    account_page = client.get(reverse("accounts:detail", args=[world["own"].pk])).content
    create = reverse("activities:create", args=[world["own"].pk])
    assert create.encode() in account_page
    new = client.get(create).content.decode()
    assert 'type="datetime-local"' in new and "Buyer of Own Mart" in new
    answer = client.post(create, form(world, our_people=[users["kam1"].pk]))
    assert answer.status_code == 302
    activity = Activity.objects.get()
    assert activity.author == users["kam1"] and activity.duration_minutes == 60
    page = client.get(reverse("accounts:detail", args=[world["own"].pk])).content.decode()
    assert "Store visit with the buyer" in page


def test_an_invalid_entry_keeps_what_was_typed(login, world):
    client = login("kam1")
    create = reverse("activities:create", args=[world["own"].pk])
    answer = client.post(create, form(world, subject="Follow-up", next_step_due="2026-06-10"))
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "Say what the next step is, or leave its due date empty." in html
    assert 'value="Follow-up"' in html
    assert not Activity.objects.exists()


def test_the_list_filters_and_exports(login, world, users):
    client = login("kam1")
    client.post(reverse("activities:create", args=[world["own"].pk]), form(world))
    client.post(
        reverse("activities:create", args=[world["shared"].pk]),
        form(world, account="shared", kind=ActivityKind.objects.get(code="golf").pk),
    )
    listed = client.get(reverse("activities:list"), {"kind": "golf"})
    assert listed.context["page"].paginator.count == 1
    export = client.get(reverse("activities:list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode()[1:])))
    assert rows[0][:3] == ["Date and time", "Account", "Kind"]
    assert {r[1] for r in rows[1:]} == {"Own Mart", "Shared Stores"}
    assert "Foreign Foods" not in {r[1] for r in rows[1:]}


def test_only_the_author_or_a_director_edits_and_deletes(login, world):
    login("kam2").post(
        reverse("activities:create", args=[world["shared"].pk]), form(world, account="shared")
    )
    activity = Activity.objects.get()
    edit = reverse("activities:update", args=[activity.pk])
    assert login("kam1").get(edit).status_code == 403  # on the team, not the author
    director = login("director")
    assert director.post(edit, form(world, account="shared", subject="Renamed")).status_code == 302
    activity.refresh_from_db()
    assert activity.subject == "Renamed"
    assert director.post(reverse("activities:delete", args=[activity.pk])).status_code == 302
    assert not Activity.objects.exists()


def test_quick_entry_from_a_stakeholder_ticks_that_person(login, world):
    person = world["own_person"]
    client = login("kam1")
    page = client.get(reverse("stakeholders:detail", args=[person.pk])).content.decode()
    link = f"{reverse('activities:create', args=[world['own'].pk])}?stakeholder={person.pk}"
    assert link in page
    form_page = client.get(link).content.decode()
    assert f'value="{person.pk}" id="id_their_people_0" checked' in form_page
    # someone of another account is never ticked
    create = reverse("activities:create", args=[world["own"].pk])
    other = client.get(create, {"stakeholder": world["foreign_person"].pk})
    assert "checked" not in other.content.decode().split('id="id_their_people')[1][:80]
    viewer_page = login("viewer").get(reverse("stakeholders:detail", args=[person.pk]))
    assert link not in viewer_page.content.decode()
