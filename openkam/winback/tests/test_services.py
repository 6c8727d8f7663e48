from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.activities.models import ActivityKind
from openkam.core.models import ChangeLogEntry
from openkam.winback import services
from openkam.winback.models import Campaign, CampaignAccount

DATA = {
    "name": "Come back",
    "offer_kind": "gift",
    "offer_description": "A hamper",
    "budget": Decimal("900"),
    "starts_on": dt.date(2026, 7, 1),
    "ends_on": dt.date(2026, 7, 31),
    "measure_days": 60,
}


def test_a_kam_starts_a_campaign_for_their_accounts_the_budget_split_evenly(users, world):
    campaign = services.campaign_create(
        actor=users["kam1"], data=DATA, accounts=[world["own"], world["shared"]]
    )
    assert campaign.owner == users["kam1"]
    assert campaign.window_end == dt.date(2026, 9, 29)
    costs = dict(campaign.targets.values_list("account__name", "offer_cost"))
    assert costs == {"Own Mart": Decimal("450.00"), "Shared Stores": Decimal("450.00")}
    assert ChangeLogEntry.objects.filter(account_id=world["own"].pk).exists()


def test_a_kam_cannot_offer_to_an_account_they_may_not_change(users, world):
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=users["kam1"], data=DATA, accounts=[world["foreign"]])
    with pytest.raises(PermissionDenied):
        services.campaign_create(actor=users["viewer"], data=DATA, accounts=[])


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_on": dt.date(2026, 6, 30)}, "ends_on", "ends before it starts"),
        ({"budget": Decimal("-1")}, "budget", "greater than or equal to 0"),
    ],
)
def test_dates_and_budget_are_checked(users, world, change, field, message):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=users["kam1"], data={**DATA, **change})
    assert message in " ".join(error.value.message_dict[field])
    assert not Campaign.objects.exists()


def test_the_offers_must_fit_the_budget(users, world):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            actor=users["kam1"], data=DATA, accounts=[world["own"]], offer_cost=Decimal("901")
        )
    assert "more than the budget" in error.value.message_dict["budget"][0]


def test_an_account_is_in_one_open_campaign_at_a_time(users, world, campaign):
    # `campaign` (own) runs from 1 March and is measured until 30 April
    overlapping = {**DATA, "starts_on": dt.date(2026, 4, 30), "ends_on": dt.date(2026, 5, 31)}
    with pytest.raises(ValidationError) as error:
        services.campaign_create(actor=users["kam1"], data=overlapping, accounts=[world["own"]])
    assert "already in the campaign “Spring discount”" in error.value.messages[0]
    later = {**DATA, "starts_on": dt.date(2026, 5, 1), "ends_on": dt.date(2026, 5, 31)}
    services.campaign_create(actor=users["kam1"], data=later, accounts=[world["own"]])


def test_only_the_owner_or_a_director_changes_a_campaign(users, world, campaign):
    services.campaign_update(actor=users["kam1"], campaign=campaign, data={"name": "Renamed"})
    with pytest.raises(PermissionDenied):
        services.campaign_update(actor=users["kam2"], campaign=campaign, data={"name": "X"})
    services.campaign_delete(actor=users["director"], campaign=campaign)
    assert not Campaign.objects.exists()


def test_a_contact_step_is_an_activity_and_marks_the_account_contacted(users, world, campaign):
    target = campaign.targets.get()
    step = services.step_log(
        actor=users["kam1"],
        target=target,
        data={
            "kind": ActivityKind.objects.get(code="call"),
            "occurred_at": dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC),
            "subject": "Offered the discount",
            "outcome": "Will think about it",
        },
    )
    assert step.activity.account == world["own"]
    assert CampaignAccount.objects.get(pk=target.pk).status == "contacted"


def test_return_on_the_offer_is_margin_based_and_falls_back_to_revenue(campaign):
    target = campaign.targets.get()  # cost 400
    target.revenue_after, target.margin_after = Decimal("3000"), Decimal("600")
    assert (target.return_on_offer, target.return_basis) == (0.5, "margin")
    target.margin_after = None
    assert (target.return_on_offer, target.return_basis) == (6.5, "revenue")
    target.offer_cost = Decimal("0")
    assert target.return_on_offer is None
