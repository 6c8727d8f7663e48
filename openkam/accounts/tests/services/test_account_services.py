import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import Account, AccountStatus, AccountTeamMember, TeamRole
from openkam.accounts.services import (
    account_create,
    account_delete,
    account_set_owner,
    account_team_remove,
    account_update,
)
from openkam.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def owner_of(account):
    return account.team.get(role=TeamRole.OWNER).user.username


def test_create_records_who_and_what(users):
    account = account_create(
        actor=users["director"],
        data={"name": "Saigon Retail", "country": "VN", "reporting_currency": "VND"},
    )
    entry = ChangeLogEntry.objects.get(account_id=account.pk, action="create", object_id=account.pk)
    assert entry.username == "director"
    assert entry.changes["name"] == {"label": "name", "old": None, "new": "Saigon Retail"}
    assert entry.changes["country"]["new"] == "Vietnam"


def test_kam_who_creates_an_account_owns_it(users):
    account = account_create(
        actor=users["kam1"], data={"name": "New Prospect", "status": "prospect"}
    )
    assert owner_of(account) == "kam1"
    assert Account.objects.visible_to(users["kam1"]).filter(pk=account.pk).exists()


def test_kam_cannot_create_an_account_for_someone_else(users):
    with pytest.raises(PermissionDenied):
        account_create(actor=users["kam1"], data={"name": "X"}, owner=users["kam2"])
    assert not Account.objects.filter(name="X").exists()


def test_key_account_needs_an_owner(users):
    with pytest.raises(ValidationError) as error:
        account_create(
            actor=users["director"], data={"name": "K", "status": AccountStatus.KEY}, nominated=True
        )
    assert "owner" in error.value.message_dict
    assert not Account.objects.filter(name="K").exists()


def test_an_edit_neither_grants_nor_ends_key_status(users, world):
    with pytest.raises(ValidationError) as error:
        account_create(
            actor=users["director"],
            data={"name": "K", "status": AccountStatus.KEY},
            owner=users["kam1"],
        )
    assert "nomination" in error.value.message_dict["status"][0]
    assert not Account.objects.filter(name="K").exists()
    with pytest.raises(ValidationError, match="de-nomination"):
        account_update(
            actor=users["director"], account=world["own"], data={"status": AccountStatus.ACTIVE}
        )
    candidate = account_create(actor=users["director"], data={"name": "C"}, owner=users["kam1"])
    with pytest.raises(ValidationError, match="by nomination"):
        account_update(
            actor=users["director"], account=candidate, data={"status": AccountStatus.KEY}
        )
    world["own"].refresh_from_db()
    candidate.refresh_from_db()
    assert (world["own"].status, candidate.status) == (AccountStatus.KEY, AccountStatus.ACTIVE)


def test_owner_must_be_able_to_own(users):
    with pytest.raises(ValidationError, match="cannot own accounts"):
        account_create(actor=users["director"], data={"name": "V"}, owner=users["viewer"])


def test_update_records_old_and_new(users, world):
    account_update(
        actor=users["kam1"],
        account=world["own"],
        data={"industry": "Supermarkets", "employees": 5400},
    )
    entry = ChangeLogEntry.objects.filter(account_id=world["own"].pk, action="update").first()
    assert entry.username == "kam1"
    assert entry.changes == {
        "employees": {"label": "number of employees", "old": None, "new": 5400},
        "industry": {"label": "industry", "old": None, "new": "Supermarkets"},
    }


def test_update_without_change_writes_no_history(users, world):
    before = ChangeLogEntry.objects.count()
    account_update(actor=users["kam1"], account=world["own"], data={"name": "Own Mart"})
    assert ChangeLogEntry.objects.count() == before


def test_marketing_changes_marketing_fields_only(users, world):
    account_update(
        actor=users["marketing"],
        account=world["foreign"],
        data={"description": "Leader in fresh food"},
    )
    with pytest.raises(PermissionDenied):
        account_update(actor=users["marketing"], account=world["foreign"], data={"status": "lost"})
    world["foreign"].refresh_from_db()
    assert world["foreign"].status == "key"
    assert world["foreign"].description == "Leader in fresh food"


def test_kam_cannot_remove_themselves_out_of_sight(users, world):
    member = AccountTeamMember.objects.get(account=world["shared"], user=users["kam1"])
    member_pk = member.pk
    with pytest.raises(PermissionDenied):
        account_team_remove(actor=users["kam1"], member=member)
    assert AccountTeamMember.objects.filter(pk=member_pk).exists()


def test_changing_owner_keeps_previous_owner_as_support(users, world):
    account_set_owner(actor=users["director"], account=world["foreign"], owner=users["kam1"])
    roles = dict(world["foreign"].team.values_list("user__username", "role"))
    assert roles == {"kam1": "owner", "kam2": "support"}


def test_removing_the_owner_of_a_key_account_is_refused(users, world):
    owner = world["foreign"].team.get(role=TeamRole.OWNER)
    with pytest.raises(ValidationError, match="needs an owner"):
        account_team_remove(actor=users["director"], member=owner)


def test_a_group_cannot_contain_itself(users, world):
    with pytest.raises(ValidationError, match="its own group"):
        account_update(
            actor=users["director"], account=world["own"], data={"parent": world["own_sub"]}
        )


def test_external_id_is_unique_but_may_be_empty(users, world):
    account_create(actor=users["director"], data={"name": "A"})
    account_create(actor=users["director"], data={"name": "B"})
    with pytest.raises(ValidationError, match="external id"):
        account_create(actor=users["director"], data={"name": "C", "external_id": "C-1"})


def test_unknown_currency_is_refused_with_an_example(users):
    with pytest.raises(ValidationError, match="ISO 4217"):
        account_create(actor=users["director"], data={"name": "A", "reporting_currency": "XXY"})


def test_delete_refuses_a_group_with_subsidiaries_and_logs_deletions(users, world):
    with pytest.raises(ValidationError, match="subsidiaries"):
        account_delete(actor=users["director"], account=world["own"])
    pk = world["foreign"].pk
    account_delete(actor=users["director"], account=world["foreign"])
    assert not Account.objects.filter(pk=pk).exists()
    assert ChangeLogEntry.objects.filter(account_id=pk, action="delete").exists()


def test_kam_cannot_delete(users, world):
    with pytest.raises(PermissionDenied):
        account_delete(actor=users["kam1"], account=world["own"])


def test_update_refuses_an_account_out_of_scope(users, world):
    with pytest.raises(PermissionDenied):
        account_update(actor=users["kam1"], account=world["foreign"], data={"industry": "X"})


def test_team_changes_need_rights_on_the_account(users, world):
    from openkam.accounts.services import account_team_add

    with pytest.raises(PermissionDenied):
        account_team_add(
            actor=users["kam1"], account=world["foreign"], user=users["kam1"], role=TeamRole.SUPPORT
        )
    with pytest.raises(PermissionDenied):
        account_team_add(
            actor=users["viewer"], account=world["own"], user=users["kam2"], role=TeamRole.SUPPORT
        )


def test_only_a_manager_can_be_made_owner_through_the_team(users, world):
    from openkam.accounts.services import account_team_add

    world["own"].team.filter(role=TeamRole.OWNER).update(role=TeamRole.SUPPORT)
    with pytest.raises(ValidationError, match="cannot own accounts"):
        account_team_add(
            actor=users["director"], account=world["own"], user=users["viewer"], role=TeamRole.OWNER
        )


def test_groups_never_nest_deeper_than_three_levels(users, world):
    top = account_create(actor=users["director"], data={"name": "Holding"})
    # own (with its subsidiary own_sub) under a holding: 3 levels, allowed
    account_update(actor=users["director"], account=world["own"], data={"parent": top})
    new_top = account_create(actor=users["director"], data={"name": "Mega holding"})
    with pytest.raises(ValidationError, match="at most 3 levels"):
        account_update(actor=users["director"], account=top, data={"parent": new_top})
