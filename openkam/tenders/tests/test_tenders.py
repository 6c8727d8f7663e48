"""Tenders: validation, change log, the statistics (against figures worked out by hand), the
API's scoping and the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from openkam.competitors.models import Competitor
from openkam.core.models import ChangeLogEntry
from openkam.sales.models import ExchangeRate
from openkam.tenders import selectors, services
from openkam.tenders.models import Tender

pytestmark = pytest.mark.django_db
D = dt.date


def lost(**extra) -> dict:
    return {
        "title": "Dairy 2026",
        "value": Decimal("1000"),
        "currency": "THB",
        "announced_on": D(2026, 1, 5),
        "submitted_on": D(2026, 2, 1),
        "decided_on": D(2026, 3, 1),
        "status": "lost",
        "lost_reason": "price",
        **extra,
    }


def test_the_rules_of_a_tender(users, world):
    kam, own = users["kam1"], world["own"]
    rival = Competitor.objects.create(name="Beograd Pak")
    cases = [
        (lost(submitted_on=D(2025, 12, 1)), "submitted_on"),
        (lost(decided_on=None), "decided_on"),
        (lost(lost_reason=""), "lost_reason"),
        (lost(lost_reason="competitor"), "winner"),
        (lost(lost_reason="other"), "lost_comment"),
        (lost(status="won"), "lost_reason"),
        (lost(status="open", lost_reason=""), "decided_on"),
        (lost(currency=""), "currency"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as error:
            services.tender_create(actor=kam, account=own, data=data)
        assert field in error.value.message_dict, (data, error.value)
    tender = services.tender_create(
        actor=kam, account=own, data=lost(lost_reason="competitor", winner=rival)
    )
    services.tender_update(actor=kam, tender=tender, data={"lost_comment": "Cheaper by 4 %"})
    entries = ChangeLogEntry.objects.filter(content_type__model="tender", object_id=tender.pk)
    assert [e.action for e in entries.order_by("id")] == ["create", "update"]
    for actor, account in ((kam, world["foreign"]), (users["marketing"], own)):
        with pytest.raises(PermissionDenied):
            services.tender_create(actor=actor, account=account, data=lost())


def test_the_statistics_match_the_hand_worked_figures(users, world, settings):
    settings.REPORTING_CURRENCY = "USD"
    ExchangeRate.objects.create(currency="THB", valid_from=D(2025, 1, 1), rate=Decimal("0.03"))
    ExchangeRate.objects.create(currency="THB", valid_from=D(2026, 1, 1), rate=Decimal("0.025"))
    rival = Competitor.objects.create(name="Manila Prime")
    kam, own, shared = users["kam1"], world["own"], world["shared"]

    def make(account, **data):
        return services.tender_create(actor=users["director"], account=account, data=lost(**data))

    make(own, status="won", lost_reason="")  # won, 1000 THB
    make(own)  # lost on price, 1000 THB at 0.025 = 25 USD
    make(
        own,
        decided_on=D(2025, 6, 1),
        value=Decimal("2000"),
        submitted_on=None,
        announced_on=None,
        lost_reason="competitor",
        winner=rival,
    )  # 2000 at 0.03 = 60 USD
    make(shared, currency="USD", value=Decimal("100"), lost_reason="competitor", winner=rival)
    make(shared, currency="XAF", value=Decimal("5000"), lost_reason="service")  # no rate
    make(own, status="open", decided_on=None, lost_reason="")
    stats = selectors.tender_stats(selectors.tender_list(user=kam))
    assert (stats.total.won, stats.total.lost, stats.open) == (1, 4, 1)
    assert stats.total.win_rate == pytest.approx(0.2)
    assert stats.total.lost_value == Decimal("185")
    assert {g.key: g.lost_value for g in stats.by_reason} == {
        "price": Decimal("25"),
        "service": Decimal("0"),
        "competitor": Decimal("160"),
    }
    assert [(g.label, g.lost, g.lost_value) for g in stats.by_competitor] == [
        ("Manila Prime", 2, Decimal("160"))
    ]
    assert stats.unconverted == {"XAF": Decimal("5000")}
    assert {g.key: (g.won, g.lost) for g in stats.by_owner} == {"kam1": (1, 2), "kam2": (0, 2)}
    own_only = selectors.tender_stats(selectors.tender_list(user=kam).filter(account=own))
    assert own_only.total.win_rate == pytest.approx(1 / 3)
    # kam2 sees only the accounts of kam2
    theirs = selectors.tender_stats(selectors.tender_list(user=users["kam2"]))
    assert (theirs.total.won, theirs.total.lost) == (0, 2)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_api_scoping_stats_and_read_only_roles(users, world):
    mine = Tender.objects.create(account=world["own"], title="Mine")
    Tender.objects.create(
        account=world["foreign"], title="Theirs", status="won", decided_on=D(2026, 1, 1)
    )
    assert _api(users["kam2"]).get(f"/api/tenders/{mine.pk}/").status_code == 404
    titles = [t["title"] for t in _api(users["kam2"]).get("/api/tenders/").json()["results"]]
    assert titles == ["Theirs"]
    for role in ("marketing", "viewer"):
        client = _api(users[role])
        assert client.get(f"/api/tenders/{mine.pk}/").status_code == 200
        assert client.patch(f"/api/tenders/{mine.pk}/", {"title": "x"}).status_code == 403
    answer = _api(users["kam1"]).post(
        "/api/tenders/",
        {**lost(value="500.00", title="Coffee"), "account": world["own"].pk},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["owner"] == "kam1"
    bad = _api(users["kam1"]).post(
        "/api/tenders/", {**lost(lost_reason=""), "account": world["own"].pk}, format="json"
    )
    assert bad.status_code == 400 and "lost_reason" in bad.json()
    stats = _api(users["director"]).get("/api/tenders/stats/", {"owner": "kam1"}).json()
    assert (stats["total"]["won"], stats["total"]["lost"]) == (0, 1)
    everyone = _api(users["director"]).get("/api/tenders/stats/").json()
    assert everyone["total"]["win_rate"] == pytest.approx(0.5)


def test_the_pages(login, users, world, django_assert_max_num_queries):
    rival = Competitor.objects.create(name="<script>Rival</script>")
    for i in range(12):
        services.tender_create(
            actor=users["kam1"],
            account=world["own"],
            data=lost(title=f"Tender {i}", lost_reason="competitor", winner=rival),
        )
    client = login("kam1")
    with django_assert_max_num_queries(16):
        page = client.get(reverse("tenders:list"))
    html = page.content.decode()
    assert "<script>Rival" not in html and "&lt;script&gt;Rival" in html
    assert "<svg" in html
    export = client.get(reverse("tenders:list") + "?format=csv")
    assert b"Tender 11" in b"".join(export.streaming_content)
    xlsx = client.get(reverse("tenders:list") + "?format=xlsx&reason=competitor")
    assert xlsx.status_code == 200
    form = {"title": "Snacks", "status": "won", "decided_on": "2026-02-01", "currency": "THB"}
    answer = client.post(reverse("tenders:create", args=[world["own"].pk]), form)
    assert answer.status_code == 302
    refused = client.post(
        reverse("tenders:create", args=[world["own"].pk]), {**form, "decided_on": ""}
    )
    assert refused.status_code == 400 and "decided" in refused.content.decode()
    assert login("kam2").get(reverse("tenders:account", args=[world["own"].pk])).status_code == 404
