from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from openkam.marketing import services
from openkam.marketing.models import ListKind, Programme, TargetList, TargetListMember, Touch
from openkam.marketing.selectors import list_accounts

from .conftest import START

pytestmark = pytest.mark.django_db


def _names(accounts) -> list[str]:
    return sorted(accounts.values_list("name", flat=True))


def test_a_programme_is_for_an_account_or_a_list_never_both(users, world, static_list):
    both = Programme(name="Both", account=world["own"], target_list=static_list, starts_on=START)
    with pytest.raises(ValidationError) as error:
        both.full_clean()
    assert "choose exactly one of the two" in str(error.value)
    with pytest.raises(PermissionDenied):  # marketing may, but not on nothing at all
        services.programme_create(actor=users["kam1"], data={"name": "x", "starts_on": START})
    with pytest.raises(ValidationError, match="exactly one"):
        services.programme_create(actor=users["marketing"], data={"name": "x", "starts_on": START})
    with transaction.atomic(), pytest.raises(IntegrityError):
        Programme.objects.create(name="Neither", starts_on=START)


def test_a_rule_list_needs_a_criterion_and_abc_letters(users):
    actor = users["marketing"]
    with pytest.raises(ValidationError, match="at least one criterion"):
        services.targetlist_create(actor=actor, kind="rule", data={"name": "Everyone"})
    with pytest.raises(ValidationError, match="A, B and C"):
        services.targetlist_create(actor=actor, kind="rule", data={"name": "X", "rule_abc": "AD"})
    made = services.targetlist_create(
        actor=actor, kind="rule", data={"name": "Big ones", "rule_abc": "ba"}
    )
    assert made.rule_abc == "AB"
    with pytest.raises(ValidationError, match="A static list has no rule"):
        services.targetlist_create(
            actor=actor, kind="static", data={"name": "Y", "rule_status": "key"}
        )


def test_only_marketing_and_directors_make_lists(users):
    for username in ("kam1", "viewer"):
        with pytest.raises(PermissionDenied):
            services.targetlist_create(actor=users[username], kind="static", data={"name": "N"})
    for username in ("marketing", "director"):
        services.targetlist_create(
            actor=users[username], kind="static", data={"name": f"List of {username}"}
        )


def test_static_members_are_added_once_and_removed(users, world, static_list):
    actor = users["marketing"]
    added = services.targetlist_add_accounts(
        actor=actor, target_list=static_list, accounts=[world["own"], world["shared"]]
    )
    assert added == 1
    assert _names(list_accounts(static_list)) == ["Foreign Foods", "Own Mart", "Shared Stores"]
    services.targetlist_remove_account(actor=actor, target_list=static_list, account=world["own"])
    assert _names(list_accounts(static_list)) == ["Foreign Foods", "Shared Stores"]


def test_a_rule_list_matches_now_and_freezes_into_a_static_list(users, world, metrics):
    actor = users["marketing"]
    rule = services.targetlist_create(
        actor=actor,
        kind="rule",
        data={"name": "A and B in Thailand", "rule_abc": "AB", "rule_country": "TH"},
    )
    assert _names(list_accounts(rule)) == ["Foreign Foods", "Own Mart"]
    with pytest.raises(ValidationError, match="freeze it"):
        services.targetlist_add_accounts(actor=actor, target_list=rule, accounts=[world["shared"]])
    frozen = services.targetlist_freeze(actor=actor, target_list=rule, name="Frozen AB")
    assert frozen.kind == ListKind.STATIC and frozen.frozen_from == rule
    assert _names(list_accounts(frozen)) == ["Foreign Foods", "Own Mart"]
    world["own"].country = "VN"
    world["own"].save()
    assert _names(list_accounts(rule)) == ["Foreign Foods"]
    assert _names(list_accounts(frozen)) == ["Foreign Foods", "Own Mart"]  # frozen stays


def test_rule_by_health_type_segment_and_status(users, world, metrics):
    from openkam.accounts.models import Segment
    from openkam.keyaccounts.models import KeyAccountTypeAssignment

    actor = users["marketing"]
    red = services.targetlist_create(
        actor=actor, kind="rule", data={"name": "Red", "rule_health_level": "red"}
    )
    assert _names(list_accounts(red)) == ["Own Mart"]
    KeyAccountTypeAssignment.objects.create(
        account=world["foreign"], type="expert", reason="x", set_by=actor
    )
    KeyAccountTypeAssignment.objects.create(
        account=world["foreign"], type="supporter", reason="y", set_by=actor
    )
    KeyAccountTypeAssignment.objects.create(
        account=world["own"], type="expert", reason="z", set_by=actor
    )
    supporters = services.targetlist_create(
        actor=actor, kind="rule", data={"name": "Sup", "rule_key_account_type": "supporter"}
    )
    assert _names(list_accounts(supporters)) == ["Foreign Foods"]  # the newest type counts
    retail = Segment.objects.create(name="Modern trade")
    world["shared"].segment = retail
    world["shared"].save()
    in_segment = services.targetlist_create(
        actor=actor,
        kind="rule",
        data={"name": "MT", "rule_segment": retail, "rule_status": "key"},
    )
    assert _names(list_accounts(in_segment)) == ["Shared Stores"]


def test_steps_fall_in_the_programme_and_kams_add_them_on_their_own_accounts(
    users, world, programme
):
    with pytest.raises(ValidationError, match="within its programme"):
        services.step_create(
            actor=users["marketing"],
            programme=programme,
            data={"kind": "event", "title": "Too late", "on": dt.date(2026, 9, 1)},
        )
    step = services.step_create(
        actor=users["kam1"],
        programme=programme,
        data={"kind": "content", "title": "Category report", "on": dt.date(2026, 5, 1)},
    )
    assert step.programme == programme
    with pytest.raises(PermissionDenied):
        services.programme_update(actor=users["kam1"], programme=programme, data={"name": "Mine"})
    foreign = services.programme_create(
        actor=users["marketing"],
        data={"name": "Foreign", "account": world["foreign"], "starts_on": START},
    )
    with pytest.raises(PermissionDenied):
        services.step_create(
            actor=users["kam1"],
            programme=foreign,
            data={"kind": "visit", "title": "V", "on": START},
        )


def test_a_kam_adds_no_steps_to_a_lists_programme(users, static_list):
    on_list = services.programme_create(
        actor=users["marketing"],
        data={"name": "Tier 1 launch", "target_list": static_list, "starts_on": START},
    )
    with pytest.raises(PermissionDenied):
        services.step_create(
            actor=users["kam1"],
            programme=on_list,
            data={"kind": "event", "title": "E", "on": START},
        )


def test_touches_are_for_the_programmes_people_and_once_per_kind(users, world, programme):
    step = programme.steps.get(title="Trade show")
    own_person, foreign_person = world["own_person"], world["foreign_person"]
    touch = services.touch_create(
        actor=users["kam1"], step=step, stakeholder=own_person, data={"kind": "attended"}
    )
    assert touch.on == step.on and touch.author == users["kam1"]
    with pytest.raises(ValidationError, match="already has this touch"):
        services.touch_create(
            actor=users["marketing"], step=step, stakeholder=own_person, data={"kind": "attended"}
        )
    with pytest.raises(ValidationError, match="none of the programme's accounts"):
        services.touch_create(
            actor=users["marketing"], step=step, stakeholder=foreign_person, data={"kind": "met"}
        )
    with pytest.raises(PermissionDenied):
        services.touch_create(
            actor=users["viewer"], step=step, stakeholder=own_person, data={"kind": "opened"}
        )
    services.touch_delete(actor=users["kam1"], touch=touch)
    assert not Touch.objects.exists()


def test_deleting_a_list_takes_its_members_and_programmes(users, static_list):
    services.programme_create(
        actor=users["marketing"],
        data={"name": "On the list", "target_list": static_list, "starts_on": START},
    )
    services.targetlist_delete(actor=users["director"], target_list=static_list)
    assert not TargetList.objects.exists()
    assert not TargetListMember.objects.exists() and not Programme.objects.exists()
