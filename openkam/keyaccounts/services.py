"""Writes on key accounts: nomination and de-nomination, types, the three P's, ratings, weights
and handovers. Each one checks the actor's right, validates, saves, records the change in the
account's change log and re-checks that the actor still sees the account, in one transaction.

Status and team changes go through the accounts services (`account_update`,
`account_team_add`, `account_set_owner`), so they are recorded exactly as any other change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, AccountStatus, TeamRole
from openkam.accounts.services import account_set_owner, account_team_add, account_update
from openkam.core.changelog import changelog_record, creation_changes
from openkam.core.models import ChangeAction
from openkam.users.models import User

from .models import (
    SCORECARD_CRITERIA,
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    NominationKind,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)
from .selectors import capacity_of

NOMINATE_PERMISSION = "keyaccounts.add_nominationdecision"
REASSIGN_PERMISSION = "keyaccounts.add_handover"
TYPE_PERMISSION = "keyaccounts.add_keyaccounttypeassignment"
THREE_PS_PERMISSION = "keyaccounts.add_prospectassessment"
RATE_PERMISSION = "keyaccounts.add_qualificationrating"
WEIGHTS_PERMISSION = "keyaccounts.add_qualificationweights"


def may(actor: User, permission: str, account: Account | None = None) -> bool:
    """True when the actor holds `permission` and, for an account, may change it."""
    if not (actor.is_authenticated and actor.is_active):
        return False
    if not (actor.is_superuser or actor.has_perm(permission)):
        return False
    return account is None or (
        Account.objects.visible_to(actor, "change").filter(pk=account.pk).exists()
    )


def _ensure_may(actor: User, permission: str, account: Account | None, message: str) -> None:
    if not may(actor, permission, account):
        raise PermissionDenied(message)


def _ensure_still_visible(actor: User, account: Account) -> None:
    if not Account.objects.visible_to(actor, "view").filter(pk=account.pk).exists():
        raise PermissionDenied(
            _("After this change you could no longer see the account; nothing was saved.")
        )


def _save_and_record(actor: User, row, account_id: int | None) -> None:
    row.full_clean()
    row.save()
    changelog_record(
        actor=actor,
        action=ChangeAction.CREATE,
        instance=row,
        account_id=account_id,
        changes=creation_changes(row),
    )


def _current_owner(account: Account) -> User | None:
    member = account.team.filter(role=TeamRole.OWNER).select_related("user").first()
    return member.user if member else None


def _ensure_capacity(owner: User, *, override: bool, verb: str) -> bool:
    """Refuse an owner whom one more key account would take over their limit, unless the
    director confirmed it. Returns True when the limit was overridden."""
    capacity = capacity_of(user=owner)
    if not capacity.full_after_one_more():
        return False
    if override:
        return True
    raise ValidationError(
        {
            "owner": ValidationError(
                _(
                    "%(user)s already looks after %(owned)d key accounts and can serve "
                    "%(maximum)d well. Choose another owner, or confirm that %(user)s takes "
                    "this one over the limit (%(verb)s anyway)."
                ),
                params={
                    "user": owner.get_username(),
                    "owned": capacity.owned,
                    "maximum": capacity.maximum,
                    "verb": verb,
                },
                code="over_capacity",
            )
        }
    )


@transaction.atomic
def account_nominate(
    *,
    actor: User,
    account: Account,
    owner: User,
    reason: str,
    decided_on: dt.date | None = None,
    support: Iterable[User] = (),
    executive_sponsor: User | None = None,
    override_capacity: bool = False,
) -> NominationDecision:
    """Make `account` a key account looked after by `owner` (with `support` and an
    `executive_sponsor` on its team), and keep the decision with its reason and date."""
    _ensure_may(
        actor, NOMINATE_PERMISSION, account, _("Only sales directors nominate key accounts.")
    )
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.status == AccountStatus.KEY:
        raise ValidationError(
            _("%(account)s is already a key account.") % {"account": account}, code="already_key"
        )
    if account.status == AccountStatus.LOST:
        raise ValidationError(
            _(
                "%(account)s is a lost account: win it back (set its status to active or "
                "prospect) before nominating it."
            )
            % {"account": account},
            code="lost",
        )
    overridden = _ensure_capacity(owner, override=override_capacity, verb=_("nominate"))
    decision = NominationDecision(
        account=account,
        kind=NominationKind.NOMINATE,
        reason=reason,
        decided_on=decided_on or timezone.localdate(),
        decided_by=actor,
        owner=owner,
        previous_status=account.status,
        capacity_override=overridden,
    )
    decision.full_clean()
    account_update(
        actor=actor,
        account=account,
        data={"status": AccountStatus.KEY},
        owner=owner,
        set_owner=True,
        nominated=True,
    )
    on_team = set(account.team.values_list("user_id", flat=True))
    for user, role in [
        *((u, TeamRole.SUPPORT) for u in support),
        (executive_sponsor, TeamRole.EXECUTIVE_SPONSOR),
    ]:
        if user is not None and user.pk not in on_team:
            account_team_add(actor=actor, account=account, user=user, role=role)
            on_team.add(user.pk)
    _save_and_record(actor, decision, account.pk)
    _ensure_still_visible(actor, account)
    return decision


@transaction.atomic
def account_denominate(
    *, actor: User, account: Account, reason: str, decided_on: dt.date | None = None
) -> NominationDecision:
    """Stop treating `account` as a key account: its status goes back to active; its team
    stays, so nobody loses sight of the customer."""
    _ensure_may(
        actor, NOMINATE_PERMISSION, account, _("Only sales directors de-nominate key accounts.")
    )
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.status != AccountStatus.KEY:
        raise ValidationError(
            _("%(account)s is not a key account.") % {"account": account}, code="not_key"
        )
    decision = NominationDecision(
        account=account,
        kind=NominationKind.DENOMINATE,
        reason=reason,
        decided_on=decided_on or timezone.localdate(),
        decided_by=actor,
        owner=_current_owner(account),
        previous_status=account.status,
    )
    decision.full_clean()
    account_update(
        actor=actor, account=account, data={"status": AccountStatus.ACTIVE}, nominated=True
    )
    _save_and_record(actor, decision, account.pk)
    _ensure_still_visible(actor, account)
    return decision


@transaction.atomic
def account_reassign(
    *, actor: User, account: Account, owner: User, note: str, override_capacity: bool = False
) -> Handover:
    """Hand a key account to another manager. The previous owner stays on the team as support
    and the handover note is kept in the account's history."""
    _ensure_may(
        actor, REASSIGN_PERMISSION, account, _("Only sales directors reassign key accounts.")
    )
    account = Account.objects.select_for_update().get(pk=account.pk)
    if account.status != AccountStatus.KEY:
        raise ValidationError(
            _("%(account)s is not a key account: change its owner on the account's edit page.")
            % {"account": account},
            code="not_key",
        )
    previous = _current_owner(account)
    if previous is not None and previous.pk == owner.pk:
        raise ValidationError(
            {"owner": _("%(user)s already owns this account.") % {"user": owner.get_username()}}
        )
    overridden = _ensure_capacity(owner, override=override_capacity, verb=_("reassign"))
    handover = Handover(
        account=account,
        from_owner=previous,
        to_owner=owner,
        note=note,
        handed_over_by=actor,
        capacity_override=overridden,
    )
    handover.full_clean()
    account_set_owner(actor=actor, account=account, owner=owner)
    _save_and_record(actor, handover, account.pk)
    _ensure_still_visible(actor, account)
    return handover


@transaction.atomic
def account_type_set(
    *, actor: User, account: Account, type: str, reason: str
) -> KeyAccountTypeAssignment:
    """Record which type of key customer the account is, and why."""
    _ensure_may(
        actor, TYPE_PERMISSION, account, _("You may not set the type of %(a)s.") % {"a": account}
    )
    assignment = KeyAccountTypeAssignment(account=account, type=type, reason=reason, set_by=actor)
    _save_and_record(actor, assignment, account.pk)
    _ensure_still_visible(actor, account)
    return assignment


@transaction.atomic
def account_three_ps_record(
    *, actor: User, account: Account, answers: Mapping[str, tuple[str, str]]
) -> list[ProspectAssessment]:
    """Record answers to the three P's: {criterion: (answer, evidence)}. Each answer is a new
    row, so the history shows who said what, when."""
    _ensure_may(
        actor,
        THREE_PS_PERMISSION,
        account,
        _("You may not qualify %(a)s.") % {"a": account},
    )
    if not answers:
        raise ValidationError(_("Answer at least one of the three P's."), code="empty")
    rows = []
    for criterion, (answer, evidence) in answers.items():
        row = ProspectAssessment(
            account=account,
            criterion=criterion,
            answer=answer,
            evidence=evidence,
            assessed_by=actor,
        )
        _save_and_record(actor, row, account.pk)
        rows.append(row)
    _ensure_still_visible(actor, account)
    return rows


@transaction.atomic
def account_rate(
    *, actor: User, account: Account, ratings: Mapping[str, tuple[int, str]]
) -> list[QualificationRating]:
    """Record the team's ratings: {criterion: (score 1–5, comment)}, one new row each."""
    _ensure_may(actor, RATE_PERMISSION, account, _("You may not rate %(a)s.") % {"a": account})
    if not ratings:
        raise ValidationError(_("Rate at least one criterion."), code="empty")
    rows = []
    for criterion, (score, comment) in ratings.items():
        row = QualificationRating(
            account=account, criterion=criterion, score=score, comment=comment, rated_by=actor
        )
        _save_and_record(actor, row, account.pk)
        rows.append(row)
    _ensure_still_visible(actor, account)
    return rows


@transaction.atomic
def qualification_weights_set(
    *, actor: User, weights: Mapping[str, int], note: str = ""
) -> QualificationWeights:
    """Set how much each of the six scorecard criteria counts (a new row; the old ones stay)."""
    _ensure_may(actor, WEIGHTS_PERMISSION, None, _("Only sales directors set the weights."))
    unknown = set(weights) - set(SCORECARD_CRITERIA)
    if unknown:
        raise ValueError(f"unknown scorecard criteria: {sorted(unknown)}")
    row = QualificationWeights(set_by=actor, note=note, **weights)
    _save_and_record(actor, row, None)
    return row
