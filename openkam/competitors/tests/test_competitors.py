"""Competitors: the shared register, presences with their history, the API and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from openkam.competitors import services
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def rival(users):
    return services.competitor_create(
        actor=users["kam1"], data={"name": "Saigon Fresh Trading", "strengths": "Price"}
    )


def test_the_register_refuses_a_name_twice_whatever_its_case(users, rival):
    with pytest.raises(ValidationError) as error:
        services.competitor_create(actor=users["director"], data={"name": "saigon FRESH trading"})
    assert "already registered" in str(error.value)
    with pytest.raises(PermissionDenied):
        services.competitor_create(actor=users["marketing"], data={"name": "Other"})
    assert ChangeLogEntry.objects.filter(object_repr="Saigon Fresh Trading").count() == 1


def test_every_change_of_the_estimates_is_kept(users, world, rival):
    presence = services.account_competitor_create(
        actor=users["kam1"],
        account=world["own"],
        data={"competitor": rival, "share_of_wallet": Decimal("20"), "threat_level": 2},
    )
    services.account_competitor_update(
        actor=users["kam1"], presence=presence, data={"notes": "Met at the fair"}
    )  # not an estimate: no new observation
    services.account_competitor_update(
        actor=users["kam1"], presence=presence, data={"share_of_wallet": Decimal("35.5")}
    )
    history = list(presence.observations.order_by("recorded_at", "id"))
    assert [(o.share_of_wallet, o.threat_level) for o in history] == [
        (Decimal("20.0"), 2),
        (Decimal("35.5"), 2),
    ]
    entries = ChangeLogEntry.objects.filter(
        account_id=world["own"].pk, object_id=presence.pk, content_type__model="accountcompetitor"
    )
    assert entries.count() == 3


def test_validation_of_a_presence(users, world, rival):
    bad = {"competitor": rival, "share_of_wallet": Decimal("120"), "threat_level": 6}
    with pytest.raises(ValidationError) as error:
        services.account_competitor_create(actor=users["kam1"], account=world["own"], data=bad)
    assert {"share_of_wallet", "threat_level"} <= set(error.value.message_dict)
    future = {"competitor": rival, "last_seen": timezone.localdate() + dt.timedelta(days=3)}
    with pytest.raises(ValidationError):
        services.account_competitor_create(actor=users["kam1"], account=world["own"], data=future)
    with pytest.raises(PermissionDenied):
        services.account_competitor_create(
            actor=users["kam1"], account=world["foreign"], data={"competitor": rival}
        )
    with pytest.raises(PermissionDenied):
        services.account_competitor_create(
            actor=users["marketing"], account=world["own"], data={"competitor": rival}
        )


def test_a_competitor_that_took_the_account(users, world, rival):
    day = dt.date(2026, 3, 1)
    presence = services.account_lost_to(
        actor=users["director"], account=world["own"], competitor=rival, on=day
    )
    assert presence.won_account_on == day and presence.threat_level == 5
    again = services.account_lost_to(
        actor=users["director"], account=world["own"], competitor=rival, on=day
    )
    assert again.pk == presence.pk and presence.observations.count() == 1
    with pytest.raises(ValidationError):
        services.competitor_delete(actor=users["director"], competitor=rival)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_scoping_and_read_only_roles(users, world, rival):
    mine = AccountCompetitor.objects.create(account=world["own"], competitor=rival)
    theirs = AccountCompetitor.objects.create(account=world["foreign"], competitor=rival)
    ids = {r["id"] for r in _api(users["kam2"]).get("/api/account-competitors/").json()["results"]}
    assert theirs.pk in ids and mine.pk not in ids
    assert _api(users["kam2"]).get(f"/api/account-competitors/{mine.pk}/").status_code == 404
    for role in ("marketing", "viewer"):
        assert _api(users[role]).get(f"/api/account-competitors/{mine.pk}/").status_code == 200
        answer = _api(users[role]).patch(
            f"/api/account-competitors/{mine.pk}/", {"threat_level": 5}, format="json"
        )
        assert answer.status_code == 403
    answer = _api(users["kam1"]).patch(
        f"/api/account-competitors/{mine.pk}/",
        {"threat_level": 4, "share_of_wallet": "15.0"},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    assert [h["threat_level"] for h in answer.json()["history"]] == [4]
    filtered = _api(users["director"]).get("/api/account-competitors/", {"threat": 4}).json()
    assert [r["id"] for r in filtered["results"]] == [mine.pk]
    duplicate = _api(users["kam1"]).post(
        "/api/account-competitors/",
        {"account": world["own"].pk, "competitor": rival.pk},
        format="json",
    )
    assert duplicate.status_code == 400


def test_the_register_page_lists_only_visible_accounts(login, users, world, rival):
    AccountCompetitor.objects.create(account=world["own"], competitor=rival, threat_level=4)
    AccountCompetitor.objects.create(account=world["foreign"], competitor=rival)
    page = login("kam1").get(reverse("competitors:detail", args=[rival.pk])).content.decode()
    assert "Own Mart" in page and "Foreign Foods" not in page
    listing = login("kam1").get(reverse("competitors:list")).content.decode()
    assert "Saigon Fresh Trading" in listing
    export = login("kam1").get(reverse("competitors:list") + "?format=csv")
    assert "Saigon Fresh Trading" in b"".join(export.streaming_content).decode()


def test_a_kam_records_a_competitor_from_the_competition_tab(login, world, rival):
    client = login("kam1")
    url = reverse("competitors:presence_create", args=[world["own"].pk])
    answer = client.post(url, {"competitor": rival.pk, "threat_level": "3", "notes": "<b>x</b>"})
    assert answer.status_code == 302
    tab = client.get(reverse("tenders:account", args=[world["own"].pk])).content.decode()
    assert "Saigon Fresh Trading" in tab and "&lt;b&gt;x&lt;/b&gt;" in tab


def test_list_query_counts_are_pinned(login, world, users, django_assert_max_num_queries):
    for i in range(15):
        competitor = Competitor.objects.create(name=f"Rival {i}")
        AccountCompetitor.objects.create(account=world["own"], competitor=competitor)
    client = login("kam1")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("competitors:list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("tenders:account", args=[world["own"].pk])).status_code == 200
