"""Nominating, de-nominating and reassigning key accounts."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.core.models import ChangeLogEntry
from openkam.keyaccounts.models import Handover, NominationDecision
from openkam.keyaccounts.selectors import capacity_of
from openkam.keyaccounts.services import account_denominate, account_nominate, account_reassign

pytestmark = pytest.mark.django_db


def team_of(account) -> dict[str, str]:
    return dict(account.team.values_list("user__username", "role"))


def state() -> tuple:
    return (
        ChangeLogEntry.objects.count(),
        NominationDecision.objects.count(),
        Handover.objects.count(),
        sorted(Account.objects.values_list("id", "status")),
    )


# -- Nomination -------------------------------------------------------------------------------


def test_nomination_makes_a_key_account_with_owner_team_and_a_kept_decision(users, candidate):
    decision = account_nominate(
        actor=users["director"],
        account=candidate,
        owner=users["kam1"],
        support=[users["kam2"]],
        executive_sponsor=users["director"],
        reason="Buys every month; a regional leader.",
        decided_on=dt.date(2025, 1, 15),
    )
    candidate.refresh_from_db()
    assert candidate.status == AccountStatus.KEY
    assert team_of(candidate) == {
        "kam1": TeamRole.OWNER,
        "kam2": TeamRole.SUPPORT,
        "director": TeamRole.EXECUTIVE_SPONSOR,
    }
    assert (decision.kind, decision.owner, decision.decided_by) == (
        "nominate",
        users["kam1"],
        users["director"],
    )
    assert decision.previous_status == AccountStatus.ACTIVE
    assert decision.decided_on == dt.date(2025, 1, 15)
    assert not decision.capacity_override
    # The decision, the status change and each team change are in the account's history.
    history = ChangeLogEntry.objects.filter(account_id=candidate.pk)
    kinds = {(e.content_type.model, e.action) for e in history}
    assert ("nominationdecision", "create") in kinds
    assert ("account", "update") in kinds
    assert ("accountteammember", "create") in kinds
    entry = history.get(content_type__model="nominationdecision")
    assert entry.username == "director"
    assert entry.changes["reason"]["new"] == "Buys every month; a regional leader."


def test_the_new_owner_sees_the_account_and_another_kam_does_not(users, candidate):
    account_nominate(actor=users["director"], account=candidate, owner=users["kam1"], reason="R")
    assert Account.objects.visible_to(users["kam1"]).filter(pk=candidate.pk).exists()
    assert not Account.objects.visible_to(users["kam2"]).filter(pk=candidate.pk).exists()


def test_nominating_an_owned_account_to_another_owner_keeps_the_previous_as_support(
    users, prospect
):
    account_nominate(actor=users["director"], account=prospect, owner=users["kam2"], reason="R")
    assert team_of(prospect) == {"kam2": TeamRole.OWNER, "kam1": TeamRole.SUPPORT}
    assert NominationDecision.objects.get().previous_status == AccountStatus.PROSPECT


def test_decision_date_defaults_to_today_and_cannot_be_in_the_future(users, candidate):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        account_nominate(
            actor=users["director"],
            account=candidate,
            owner=users["kam1"],
            reason="R",
            decided_on=tomorrow,
        )
    assert "decided_on" in error.value.message_dict
    decision = account_nominate(
        actor=users["director"], account=candidate, owner=users["kam1"], reason="R"
    )
    assert decision.decided_on == timezone.localdate()


def test_a_reason_is_required(users, candidate):
    before = state()
    with pytest.raises(ValidationError) as error:
        account_nominate(actor=users["director"], account=candidate, owner=users["kam1"], reason="")
    assert "reason" in error.value.message_dict
    assert state() == before


def test_already_key_is_refused(users, world):
    with pytest.raises(ValidationError, match="already a key account"):
        account_nominate(
            actor=users["director"], account=world["own"], owner=users["kam1"], reason="R"
        )


def test_lost_account_is_refused(users, make_candidate):
    lost = make_candidate("Gone Ltd", status="lost")
    with pytest.raises(ValidationError, match="lost account"):
        account_nominate(actor=users["director"], account=lost, owner=users["kam1"], reason="R")


def test_owner_must_be_able_to_own(users, candidate):
    before = state()
    with pytest.raises(ValidationError, match="cannot own accounts"):
        account_nominate(
            actor=users["director"], account=candidate, owner=users["viewer"], reason="R"
        )
    assert state() == before


@pytest.mark.parametrize("role", ["kam1", "marketing", "viewer"])
def test_only_directors_nominate(users, prospect, role):
    before = state()
    with pytest.raises(PermissionDenied):
        account_nominate(actor=users[role], account=prospect, owner=users["kam1"], reason="R")
    assert state() == before


def test_admin_nominates(users, candidate):
    account_nominate(actor=users["admin"], account=candidate, owner=users["kam2"], reason="R")
    candidate.refresh_from_db()
    assert candidate.status == AccountStatus.KEY


# -- Capacity -----------------------------------------------------------------------------------


@pytest.fixture
def kam1_full(users, world):
    """kam1 owns one key account (Own Mart) and may serve only one."""
    users["kam1"].max_key_accounts = 1
    users["kam1"].save()
    return users["kam1"]


def test_over_capacity_is_refused_with_a_clear_message(users, kam1_full, candidate):
    before = state()
    with pytest.raises(ValidationError) as error:
        account_nominate(actor=users["director"], account=candidate, owner=kam1_full, reason="R")
    message = " ".join(error.value.message_dict["owner"])
    assert "kam1 already looks after 1 key accounts and can serve 1 well" in message
    assert state() == before


def test_over_capacity_with_the_directors_confirmation_is_recorded(users, kam1_full, candidate):
    decision = account_nominate(
        actor=users["director"],
        account=candidate,
        owner=kam1_full,
        reason="Strategic, worth the stretch",
        override_capacity=True,
    )
    assert decision.capacity_override
    assert capacity_of(user=kam1_full).over
    entry = ChangeLogEntry.objects.get(content_type__model="nominationdecision")
    assert entry.changes["capacity_override"]["new"] is True


def test_override_is_not_recorded_when_not_needed(users, candidate):
    decision = account_nominate(
        actor=users["director"],
        account=candidate,
        owner=users["kam1"],
        reason="R",
        override_capacity=True,
    )
    assert not decision.capacity_override


def test_no_limit_means_no_capacity_check(users, world, candidate):
    assert users["kam2"].max_key_accounts is None
    account_nominate(actor=users["director"], account=candidate, owner=users["kam2"], reason="R")


# -- De-nomination ------------------------------------------------------------------------------


def test_denomination_sets_active_keeps_the_team_and_the_reason(users, world):
    account = world["shared"]
    team = team_of(account)
    decision = account_denominate(
        actor=users["director"], account=account, reason="Volume fell by half; no longer strategic."
    )
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert team_of(account) == team
    assert decision.kind == "denominate"
    assert decision.owner == users["kam2"]
    assert decision.previous_status == AccountStatus.KEY
    assert ChangeLogEntry.objects.filter(
        account_id=account.pk, content_type__model="nominationdecision", action="create"
    ).exists()
    # Both decisions stay: nominate again later and the history shows all of them.
    account_nominate(actor=users["director"], account=account, owner=users["kam2"], reason="Back")
    assert list(account.nomination_decisions.values_list("kind", flat=True)) == [
        "nominate",
        "denominate",
    ]


def test_denominating_a_non_key_account_is_refused(users, candidate):
    with pytest.raises(ValidationError, match="not a key account"):
        account_denominate(actor=users["director"], account=candidate, reason="R")


def test_kam_cannot_denominate(users, world):
    before = state()
    with pytest.raises(PermissionDenied):
        account_denominate(actor=users["kam1"], account=world["own"], reason="R")
    assert state() == before


# -- Reassignment -------------------------------------------------------------------------------


def test_reassignment_keeps_the_history_and_the_handover_note(users, world):
    account = world["own"]
    handover = account_reassign(
        actor=users["director"],
        account=account,
        owner=users["kam2"],
        note="Tender for 2026 opens in March; Khun Somchai prefers calls to e-mail.",
    )
    assert team_of(account)["kam2"] == TeamRole.OWNER
    assert team_of(account)["kam1"] == TeamRole.SUPPORT  # the previous owner stays
    assert (handover.from_owner, handover.to_owner) == (users["kam1"], users["kam2"])
    entry = ChangeLogEntry.objects.get(account_id=account.pk, content_type__model="handover")
    assert entry.changes["note"]["new"].startswith("Tender for 2026")
    assert entry.changes["from_owner"]["new"] == str(users["kam1"])
    team_changes = ChangeLogEntry.objects.filter(
        account_id=account.pk, content_type__model="accountteammember"
    ).values_list("action", flat=True)
    assert sorted(team_changes) == ["create", "create", "update"]  # kam1 at creation, kam2, kam1


def test_reassignment_respects_capacity(users, world, kam1_full):
    with pytest.raises(ValidationError, match="already looks after"):
        account_reassign(
            actor=users["director"], account=world["foreign"], owner=kam1_full, note="N"
        )
    handover = account_reassign(
        actor=users["director"],
        account=world["foreign"],
        owner=kam1_full,
        note="N",
        override_capacity=True,
    )
    assert handover.capacity_override


def test_reassignment_needs_a_note_a_key_account_and_a_new_owner(users, world, candidate):
    with pytest.raises(ValidationError) as error:
        account_reassign(
            actor=users["director"], account=world["own"], owner=users["kam2"], note=""
        )
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError, match="not a key account"):
        account_reassign(actor=users["director"], account=candidate, owner=users["kam2"], note="N")
    with pytest.raises(ValidationError, match="already owns"):
        account_reassign(
            actor=users["director"], account=world["own"], owner=users["kam1"], note="N"
        )


@pytest.mark.parametrize("role", ["kam1", "marketing", "viewer"])
def test_only_directors_reassign(users, world, role):
    before = state()
    with pytest.raises(PermissionDenied):
        account_reassign(actor=users[role], account=world["own"], owner=users["kam2"], note="N")
    assert state() == before
