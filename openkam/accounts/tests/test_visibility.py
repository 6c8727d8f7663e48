"""Account.objects.visible_to: who sees and may change which account."""

import pytest

from openkam.accounts.models import Account
from openkam.stakeholders.models import Stakeholder

pytestmark = pytest.mark.django_db


def names(qs):
    return sorted(a.name for a in qs)


def test_kam_sees_team_accounts_and_their_subsidiaries_only(users, world):
    assert names(Account.objects.visible_to(users["kam1"], "view")) == [
        "Own Mart",
        "Own Mart Vietnam",
        "Shared Stores",
    ]
    assert names(Account.objects.visible_to(users["kam2"], "view")) == [
        "Foreign Foods",
        "Own Mart Vietnam",
        "Shared Stores",
    ]


def test_kam_changes_what_they_see_but_deletes_nothing(users, world):
    kam1 = users["kam1"]
    assert names(Account.objects.visible_to(kam1, "change")) == names(
        Account.objects.visible_to(kam1, "view")
    )
    assert not Account.objects.visible_to(kam1, "delete").exists()


@pytest.mark.parametrize("role", ["admin", "director", "marketing", "viewer"])
def test_other_roles_see_everything(users, world, role):
    assert Account.objects.visible_to(users[role], "view").count() == 4


def test_change_and_delete_scope_per_role(users, world):
    assert Account.objects.visible_to(users["director"], "delete").count() == 4
    assert Account.objects.visible_to(users["marketing"], "change").count() == 4  # marketing fields
    assert not Account.objects.visible_to(users["marketing"], "delete").exists()
    assert not Account.objects.visible_to(users["viewer"], "change").exists()


def test_anonymous_and_inactive_users_see_nothing(users, world, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Account.objects.visible_to(AnonymousUser(), "view").exists()
    kam1 = users["kam1"]
    kam1.is_active = False
    assert not Account.objects.visible_to(kam1, "view").exists()


def test_children_follow_their_account(users, world):
    visible = names(Stakeholder.objects.visible_to(users["kam1"], "view"))
    assert visible == ["Buyer of Own Mart", "Buyer of Own Mart Vietnam", "Buyer of Shared Stores"]
    assert Stakeholder.objects.visible_to(users["marketing"], "change").count() == 4
    assert not Stakeholder.objects.visible_to(users["viewer"], "change").exists()
    assert not Stakeholder.objects.visible_to(users["marketing"], "delete").exists()
