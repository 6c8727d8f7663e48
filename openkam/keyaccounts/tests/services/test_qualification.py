"""Types, the three P's, ratings and the scorecard weights: recorded by whom, when and why."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.core.models import ChangeLogEntry
from openkam.keyaccounts import selectors
from openkam.keyaccounts.models import (
    KeyAccountTypeAssignment,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)
from openkam.keyaccounts.services import (
    account_rate,
    account_three_ps_record,
    account_type_set,
    qualification_weights_set,
)

pytestmark = pytest.mark.django_db


def test_type_history_is_kept_and_the_latest_is_current(users, world):
    account = world["own"]
    assert selectors.current_type(account=account) is None
    account_type_set(
        actor=users["kam1"], account=account, type="prospective", reason="New, big budget"
    )
    account_type_set(
        actor=users["director"], account=account, type="supporter", reason="Now 12 % of revenue"
    )
    current = selectors.current_type(account=account)
    assert (current.type, current.set_by.username, current.reason) == (
        "supporter",
        "director",
        "Now 12 % of revenue",
    )
    assert KeyAccountTypeAssignment.objects.filter(account=account).count() == 2
    entries = ChangeLogEntry.objects.filter(
        account_id=account.pk, content_type__model="keyaccounttypeassignment"
    )
    assert {e.username for e in entries} == {"kam1", "director"}


def test_type_needs_a_reason_and_a_known_type(users, world):
    with pytest.raises(ValidationError) as error:
        account_type_set(actor=users["kam1"], account=world["own"], type="whale", reason="")
    assert {"type", "reason"} <= set(error.value.message_dict)


def test_no_suggestion_from_the_data_without_a_snapshot(world):
    assert selectors.suggested_type(account=world["own"]) is None


@pytest.mark.parametrize(
    ("role", "account"),
    [("kam1", "foreign"), ("marketing", "own"), ("viewer", "own"), ("kam2", "own")],
)
def test_only_the_team_and_directors_qualify(users, world, role, account):
    target = world[account]
    for write in (
        lambda: account_type_set(actor=users[role], account=target, type="expert", reason="R"),
        lambda: account_three_ps_record(
            actor=users[role], account=target, answers={"need": ("yes", "E")}
        ),
        lambda: account_rate(actor=users[role], account=target, ratings={"fit": (4, "C")}),
    ):
        with pytest.raises(PermissionDenied):
            write()
    assert not KeyAccountTypeAssignment.objects.exists()
    assert not ProspectAssessment.objects.exists()
    assert not QualificationRating.objects.exists()


def test_a_supporting_kam_qualifies_the_account_too(users, world):
    account_type_set(actor=users["kam1"], account=world["shared"], type="expert", reason="R")


def test_three_ps_latest_answer_per_criterion(users, prospect):
    account_three_ps_record(
        actor=users["kam1"],
        account=prospect,
        answers={"need": ("yes", "Asked for a quote"), "solvency": ("unknown", "")},
    )
    account_three_ps_record(
        actor=users["kam1"],
        account=prospect,
        answers={"solvency": ("yes", "Audited accounts 2024"), "authority": ("no", "Buys via HQ")},
    )
    current = selectors.current_three_ps(account=prospect)
    assert list(current) == ["need", "solvency", "authority"]
    assert {k: v.answer for k, v in current.items()} == {
        "need": "yes",
        "solvency": "yes",
        "authority": "no",
    }
    assert not selectors.three_ps_passed(current)
    account_three_ps_record(
        actor=users["kam1"], account=prospect, answers={"authority": ("yes", "Local board decides")}
    )
    assert selectors.three_ps_passed(selectors.current_three_ps(account=prospect))
    assert ProspectAssessment.objects.count() == 5


def test_a_yes_or_no_needs_evidence(users, prospect):
    with pytest.raises(ValidationError) as error:
        account_three_ps_record(actor=users["kam1"], account=prospect, answers={"need": ("no", "")})
    assert "evidence" in error.value.message_dict
    with pytest.raises(ValidationError, match="at least one"):
        account_three_ps_record(actor=users["kam1"], account=prospect, answers={})
    assert not ProspectAssessment.objects.exists()


def test_ratings_are_1_to_5_with_a_comment(users, world):
    account = world["own"]
    account_rate(
        actor=users["kam1"],
        account=account,
        ratings={"fit": (4, "Uses our whole range"), "culture": (2, "Very hierarchical")},
    )
    current = selectors.current_ratings(account=account)
    assert current["fit"].score == 4 and current["relationship"] is None
    assert current["culture"].rated_by.username == "kam1"
    for bad in [{"fit": (6, "C")}, {"fit": (0, "C")}, {"fit": (3, "")}]:
        with pytest.raises(ValidationError):
            account_rate(actor=users["kam1"], account=account, ratings=bad)
    assert QualificationRating.objects.count() == 2


def test_weights_default_to_equal_and_keep_their_history(users):
    assert selectors.current_weights().as_dict() == dict.fromkeys(
        ["fit", "relationship", "culture", "repurchase_frequency", "volume", "price_discipline"], 1
    )
    assert selectors.current_weights().pk is None
    qualification_weights_set(
        actor=users["director"], weights={"fit": 3, "volume": 5, "culture": 0}, note="Volume first"
    )
    current = selectors.current_weights()
    assert (current.fit, current.volume, current.culture, current.relationship) == (3, 5, 0, 1)
    assert current.set_by == users["director"]
    assert round(sum(current.shares().values()), 6) == 1
    qualification_weights_set(actor=users["admin"], weights={"fit": 1})
    assert QualificationWeights.objects.count() == 2
    assert selectors.current_weights().set_by == users["admin"]
    assert ChangeLogEntry.objects.filter(content_type__model="qualificationweights").count() == 2


@pytest.mark.parametrize(
    "weights",
    [
        {"fit": -1},
        {"volume": 101},
        dict.fromkeys(
            [
                "fit",
                "relationship",
                "culture",
                "repurchase_frequency",
                "volume",
                "price_discipline",
            ],
            0,
        ),
    ],
)
def test_weights_are_validated(users, weights):
    with pytest.raises(ValidationError):
        qualification_weights_set(actor=users["director"], weights=weights)
    assert not QualificationWeights.objects.exists()


@pytest.mark.parametrize("role", ["kam1", "marketing", "viewer"])
def test_only_directors_set_weights(users, role):
    with pytest.raises(PermissionDenied):
        qualification_weights_set(actor=users[role], weights={"fit": 2})


@pytest.mark.parametrize("shown", [50, 1])
def test_the_current_state_read_off_the_history_is_the_one_the_database_gives(
    users, world, monkeypatch, shown
):
    """With a complete history the tab reads the state off it; with a cut one (1 row shown)
    it asks the database. Both must give what the plain selectors give."""
    monkeypatch.setattr(selectors, "HISTORY_SHOWN", shown)
    account, kam = world["own"], users["kam1"]
    account_type_set(actor=kam, account=account, type="prospective", reason="New")
    account_type_set(actor=kam, account=account, type="supporter", reason="Biggest buyer")
    account_rate(
        actor=kam,
        account=account,
        ratings={"fit": (4, "Good range"), "culture": (2, "Slow to decide")},
    )
    account_rate(actor=kam, account=account, ratings={"fit": (5, "Second look")})
    account_three_ps_record(actor=kam, account=account, answers={"need": ("yes", "Tender")})
    history = selectors.KeyAccountHistory.of(user=kam, account=account)
    read_off = selectors.key_account_state(user=kam, account=account, history=history)
    asked = selectors.key_account_state(user=kam, account=account)
    assert read_off == asked
    assert read_off.type.type == "supporter"
    assert read_off.ratings["fit"].score == 5 and read_off.ratings["culture"].score == 2
    assert read_off.three_ps["need"].answer == "yes"
