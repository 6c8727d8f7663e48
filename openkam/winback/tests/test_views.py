from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, AccountTeamMember, TeamRole
from openkam.activities.models import ActivityKind
from openkam.winback.models import Campaign, CampaignAccount

from .conftest import make_snapshot


@pytest.fixture
def many_lost(users, lost_world):
    """Sixty more lost accounts of kam1, so that the list has two pages."""
    accounts = [Account.objects.create(name=f"Lost {n:02d}", country="TH") for n in range(60)]
    AccountTeamMember.objects.bulk_create(
        AccountTeamMember(account=a, user=users["kam1"], role=TeamRole.OWNER) for a in accounts
    )
    make_snapshot(
        {
            a: {"lost": True, "revenue_before_loss": Decimal(100 + n)}
            for n, a in enumerate(accounts)
        },
        as_of=dt.date(2026, 7, 31),
    )
    return accounts


def test_the_list_ranks_filters_and_offers_a_campaign(client, users, lost_world):
    client.force_login(users["kam1"])
    page = client.get(reverse("winback:list"))
    text = page.content.decode()
    assert text.index("Shared Stores") < text.index("Own Mart")
    assert "Foreign Foods" not in text  # kam2's
    assert 'name="account"' in text and "start-campaign-button" in text
    lost_only = client.get(reverse("winback:list"), {"state": "lost"}).content.decode()
    assert "Own Mart" in lost_only and "Shared Stores" not in lost_only
    keys = client.get(reverse("winback:list"), {"key": "true"}).content.decode()
    assert "Own Mart" in keys and "Shared Stores" not in keys


def test_a_viewer_cannot_choose_accounts(client, users, lost_world):
    client.force_login(users["viewer"])
    assert 'name="account"' not in client.get(reverse("winback:list")).content.decode()


def test_the_list_exports_to_excel(client, users, lost_world, tmp_path):
    client.force_login(users["director"])
    response = client.get(reverse("winback:list"), {"format": "xlsx"})
    path = tmp_path / "win-back.xlsx"
    path.write_bytes(
        b"".join(response.streaming_content if response.streaming else [response.content])
    )
    sheet = openpyxl.load_workbook(path).active
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["Shared Stores", "Foreign Foods", "Own Mart"]


def test_the_list_pages_in_a_fixed_number_of_queries(
    client, users, many_lost, django_assert_max_num_queries
):
    client.force_login(users["kam1"])
    with django_assert_max_num_queries(12):
        first = client.get(reverse("winback:list"))
    assert first.context["page"].paginator.count == 60  # the latest snapshot's only
    assert first.context["page"][0].account.name == "Lost 59"  # the most at stake


def test_a_kam_starts_a_campaign_from_the_chosen_accounts(client, users, lost_world):
    client.force_login(users["kam1"])
    own = lost_world["own"].pk
    form = client.get(reverse("winback:campaign_create"), {"account": [own]})
    assert form.status_code == 200 and f'name="accounts" value="{own}"' in form.content.decode()
    response = client.post(
        reverse("winback:campaign_create"),
        {
            "name": "Summer gift",
            "offer_kind": "gift",
            "budget": "300",
            "starts_on": "2026-07-01",
            "ends_on": "2026-07-31",
            "measure_days": "60",
            "accounts": [own],
        },
    )
    campaign = Campaign.objects.get(name="Summer gift")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.targets.get().offer_cost == 300
    detail = client.get(campaign.get_absolute_url()).content.decode()
    assert "Own Mart" in detail and "Log a contact step" in detail


def test_a_campaign_that_ends_before_it_starts_is_refused_with_a_message(client, users, lost_world):
    client.force_login(users["kam1"])
    response = client.post(
        reverse("winback:campaign_create"),
        {
            "name": "Backwards",
            "offer_kind": "gift",
            "budget": "300",
            "starts_on": "2026-07-31",
            "ends_on": "2026-07-01",
            "measure_days": "60",
            "accounts": [lost_world["own"].pk],
        },
    )
    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()
    assert not Campaign.objects.exists()


def test_campaigns_page_shows_results_per_offer(client, users, campaign):
    client.force_login(users["kam1"])
    text = client.get(reverse("winback:campaigns")).content.decode()
    assert "Spring discount" in text and "results-per-offer" in text and "<svg" in text


def test_a_contact_step_is_logged_from_the_campaign(client, users, campaign):
    client.force_login(users["kam1"])
    target = campaign.targets.get()
    response = client.post(
        reverse("winback:step_create", args=[target.pk]),
        {
            "kind": ActivityKind.objects.get(code="call").pk,
            "occurred_at": "2026-03-02T10:00",
            "subject": "Called the buyer",
        },
    )
    assert response.status_code == 302
    assert target.steps.get().activity.subject == "Called the buyer"
    assert dt.date(2026, 3, 2) == target.steps.get().activity.occurred_at.date()


@pytest.fixture
def running(users, world):
    """kam1's gift campaign, running from yesterday for a month, with `own` at 300 of 900."""
    today = timezone.localdate()
    made = Campaign.objects.create(
        name="Autumn gift",
        offer_kind="gift",
        budget=Decimal("900"),
        starts_on=today - dt.timedelta(days=1),
        ends_on=today + dt.timedelta(days=30),
        measure_days=30,
        owner=users["kam1"],
    )
    CampaignAccount.objects.create(campaign=made, account=world["own"], offer_cost=Decimal("300"))
    return made


def test_a_kam_adds_chosen_accounts_to_a_running_campaign(client, users, lost_world, running):
    client.force_login(users["kam1"])
    detail = client.get(running.get_absolute_url()).content.decode()
    assert f"?campaign={running.pk}" in detail and "add-accounts-link" in detail
    listing = client.get(reverse("winback:list"), {"campaign": running.pk}).content.decode()
    assert f'<option value="{running.pk}" selected>Autumn gift' in listing
    assert "add-to-campaign-button" in listing
    sub = lost_world["own_sub"].pk
    form = client.get(reverse("winback:campaign_add"), {"campaign": running.pk, "account": [sub]})
    assert form.status_code == 200 and f'name="accounts" value="{sub}"' in form.content.decode()
    response = client.post(
        reverse("winback:campaign_add"),
        {"campaign": running.pk, "accounts": [sub], "offer_cost": "200"},
    )
    assert response.status_code == 302 and response["Location"] == running.get_absolute_url()
    costs = dict(running.targets.values_list("account__name", "offer_cost"))
    assert costs == {"Own Mart": 300, lost_world["own_sub"].name: 200}
    follow = client.get(running.get_absolute_url()).content.decode()
    assert lost_world["own_sub"].name in follow


def test_adding_to_a_campaign_refuses_foreign_accounts_ended_campaigns_and_overspending(
    client, users, lost_world, running, campaign
):
    client.force_login(users["kam1"])
    url = reverse("winback:campaign_add")
    sub = lost_world["own_sub"].pk
    foreign = client.post(url, {"campaign": running.pk, "accounts": [lost_world["foreign"].pk]})
    assert foreign.status_code == 400
    ended = client.post(url, {"campaign": campaign.pk, "accounts": [sub]})
    assert ended.status_code == 400 and "has not ended" in ended.content.decode()
    listing = client.get(reverse("winback:list")).content.decode()
    assert "Autumn gift" in listing and "Spring discount" not in listing  # only running ones
    too_dear = client.post(url, {"campaign": running.pk, "accounts": [sub], "offer_cost": "700"})
    assert too_dear.status_code == 400 and "more than the budget" in too_dear.content.decode()
    assert list(running.targets.values_list("account__name", flat=True)) == ["Own Mart"]


def test_a_viewer_cannot_add_accounts_to_a_campaign(client, users, lost_world, running):
    client.force_login(users["viewer"])
    assert "add-to-campaign" not in client.get(reverse("winback:list")).content.decode()
    assert client.get(reverse("winback:campaign_add")).status_code == 403
    detail = client.get(running.get_absolute_url())
    assert detail.status_code == 200 and "add-accounts-link" not in detail.content.decode()
