"""The five roles of OpenKAM as Django groups, and the permissions each one holds.

Model permissions say *what* a role may do; `Account.objects.visible_to` says *on which
accounts*: a key account manager only on the accounts whose team they are on.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum

from django.contrib.auth.models import Group, Permission
from django.db import transaction


class Role(StrEnum):
    ADMINISTRATOR = "Administrator"
    SALES_DIRECTOR = "Sales director"
    KEY_ACCOUNT_MANAGER = "Key account manager"
    MARKETING = "Marketing"
    VIEWER = "Viewer"


# The account plan and its parts: the account team writes them, everyone reads.
_PLAN_MODELS = (
    "accountplan",
    "valueproposition",
    "planobjective",
    "planaction",
    "planrisk",
    "planreview",
)

_READ_ALL = [
    "accounts.view_account",
    "accounts.view_all_accounts",
    "accounts.view_segment",
    "accounts.view_accountteammember",
    "stakeholders.view_stakeholder",
    "stakeholders.view_department",
    "stakeholders.view_departmentkind",
    "stakeholders.view_position",
    "catalog.view_product",
    "catalog.view_productcategory",
    "core.view_changelogentry",
    "keyaccounts.view_nominationdecision",
    "keyaccounts.view_keyaccounttypeassignment",
    "keyaccounts.view_prospectassessment",
    "keyaccounts.view_qualificationrating",
    "keyaccounts.view_qualificationweights",
    "keyaccounts.view_handover",
    "keyaccounts.view_workload",
    "activities.view_activity",
    "activities.view_activitykind",
    "briefs.view_negotiationbrief",
    "competitors.view_competitor",
    "competitors.view_accountcompetitor",
    "tenders.view_tender",
    "commitments.view_commitment",
    "commitments.view_customerrequest",
    "satisfaction.view_surveyresponse",
    "losses.view_accountloss",
    "growth.view_growthopportunity",
    "growth.view_walletestimate",
    "growth.view_categoryspend",
    *(f"marketing.view_{model}" for model in ("targetlist", "programme", "programmestep", "touch")),
    "dossier.view_accountprofile",
    "dossier.view_keyfigure",
    "dossier.view_portraitsection",
    *(f"plans.view_{model}" for model in _PLAN_MODELS),
    "health.view_healthscore",
    "health.view_healthweights",
    "alerts.view_alert",
    "alerts.view_alertsettings",
    # sell-out the retailers share: everyone reads the results; importers see their imports
    "sellout.view_selloutimport",
    "sellout.view_selloutmonth",
    "sellout.view_selloutsummary",
    "timesplit.view_timeentry",  # one's own time (directors: everyone's, below)
    *(f"winback.view_{model}" for model in ("campaign", "campaignaccount", "campaignstep")),
]

# What only those who see every account may read: a KAM sees their own accounts, not the others'.
_READ_EVERY_ACCOUNT = {"accounts.view_all_accounts", "keyaccounts.view_workload"}

# Survey answers (CSAT, NPS): the account team and marketing, which runs the surveys, record them.
_RECORD_SURVEYS = [f"satisfaction.{verb}_surveyresponse" for verb in ("add", "change", "delete")]

# Account-based marketing: marketing (and directors) run target lists and programmes; the
# account team adds steps and touches on its own accounts (the services check which account).
_ABM_MODELS = ("targetlist", "programme", "programmestep", "touch")
_ENGAGE = [f"marketing.{verb}_{m}" for verb in ("add", "change", "delete") for m in _ABM_MODELS[2:]]
_RUN_PROGRAMMES = [f"marketing.{v}_{m}" for v in ("add", "change", "delete") for m in _ABM_MODELS]

_MANAGE_ACCOUNTS = [
    "accounts.add_account",
    "accounts.change_account",
    "accounts.add_accountteammember",
    "accounts.change_accountteammember",
    "accounts.delete_accountteammember",
    "stakeholders.add_stakeholder",
    "stakeholders.change_stakeholder",
    "stakeholders.delete_stakeholder",
    "stakeholders.move_stakeholder",
    "stakeholders.add_department",
    "stakeholders.change_department",
    "stakeholders.delete_department",
    # the relationship's log: an author changes and deletes their own entries
    "activities.add_activity",
    "activities.change_activity",
    "activities.delete_activity",
    # negotiation briefs: the account team prepares its meetings
    "briefs.add_negotiationbrief",
    "briefs.change_negotiationbrief",
    "briefs.delete_negotiationbrief",
    # competition: the shared register, who competes at the account, and its tenders
    "competitors.add_competitor",
    "competitors.change_competitor",
    "competitors.add_accountcompetitor",
    "competitors.change_accountcompetitor",
    "competitors.delete_accountcompetitor",
    "tenders.add_tender",
    "tenders.change_tender",
    "tenders.delete_tender",
    # alerts: the account team acknowledges, snoozes and resolves them
    "alerts.change_alert",
    # sell-out a retailer shares with its account team (`kam import sellout`)
    "sellout.add_selloutimport",
    # one's own weekly time entries (the 80/20 split)
    "timesplit.add_timeentry",
    "timesplit.change_timeentry",
    "timesplit.delete_timeentry",
    # promises and responsiveness: the account team records commitments and customer requests
    *(
        f"commitments.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("commitment", "customerrequest")
    ),
    # satisfaction: the account team records its customers' survey answers
    *_RECORD_SURVEYS,
    *_ENGAGE,  # programme steps and touches, on the accounts one may change
    # win-back campaigns: the account team offers its lost accounts a way back
    *(
        f"winback.{verb}_{model}"
        for verb in ("add", "change", "delete")
        for model in ("campaign", "campaignaccount", "campaignstep")
    ),
    # growth plays: the account team accepts or dismisses suggestions and estimates the wallet
    "growth.change_growthopportunity",
    *(f"growth.{verb}_walletestimate" for verb in ("add", "change", "delete")),
    # losses: the account team records why an account was lost and to whom
    *(f"losses.{verb}_accountloss" for verb in ("add", "change", "delete")),
    # the dossier: general information, key figures by year and the portrait
    "dossier.change_accountprofile",
    "dossier.add_keyfigure",
    "dossier.change_keyfigure",
    "dossier.delete_keyfigure",
    "dossier.change_portraitsection",
    *(f"plans.{verb}_{model}" for verb in ("add", "change", "delete") for model in _PLAN_MODELS),
    # the account team qualifies its accounts: type, three P's, ratings
    "keyaccounts.add_keyaccounttypeassignment",
    "keyaccounts.add_prospectassessment",
    "keyaccounts.add_qualificationrating",
]

# Which customers are key accounts, who looks after them and how they are scored: directors.
_DECIDE_KEY_ACCOUNTS = [
    *_RUN_PROGRAMMES,  # account-based marketing, with marketing
    "activities.change_any_activity",
    "competitors.delete_competitor",
    "keyaccounts.add_nominationdecision",
    "keyaccounts.add_handover",
    "keyaccounts.add_qualificationweights",
    # everyone's time split, side by side, and their time entries
    "timesplit.view_all_time",
    "timesplit.change_any_timeentry",
    "health.add_healthweights",
    "alerts.add_alertsettings",
    # the directors' part of the weekly digest: the portfolio, every KAM, the biggest risks
    "digest.receive_director_digest",
]

# Sales history changes every figure of every account: directors and administrators only.
_IMPORT_SALES = [
    "sales.view_importbatch",
    "sales.add_importbatch",
    "sales.delete_importbatch",
    "sales.view_columnmapping",
    "sales.add_columnmapping",
    "sales.change_columnmapping",
    "sales.view_exchangerate",
    "sales.add_exchangerate",
    "sales.change_exchangerate",
]

ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.ADMINISTRATOR: [
        *_READ_ALL,
        *_MANAGE_ACCOUNTS,
        *_IMPORT_SALES,
        *_DECIDE_KEY_ACCOUNTS,
        "accounts.change_all_accounts",
        "accounts.delete_account",
        "accounts.add_segment",
        "accounts.change_segment",
        "accounts.delete_segment",
        "stakeholders.add_departmentkind",
        "stakeholders.change_departmentkind",
        "stakeholders.delete_departmentkind",
        "activities.add_activitykind",
        "activities.change_activitykind",
        "activities.delete_activitykind",
        "catalog.add_product",
        "catalog.change_product",
        "catalog.delete_product",
        "catalog.add_productcategory",
        "catalog.change_productcategory",
        "catalog.delete_productcategory",
        "users.view_user",
        "users.add_user",
        "users.change_user",
        "users.delete_user",
        "auth.view_group",
        "auth.change_group",
    ],
    Role.SALES_DIRECTOR: [
        *_READ_ALL,
        *_MANAGE_ACCOUNTS,
        *_IMPORT_SALES,
        *_DECIDE_KEY_ACCOUNTS,
        "accounts.change_all_accounts",
        "accounts.delete_account",
        "accounts.add_segment",
        "accounts.change_segment",
        "users.view_user",
    ],
    Role.KEY_ACCOUNT_MANAGER: [
        p for p in [*_READ_ALL, *_MANAGE_ACCOUNTS] if p not in _READ_EVERY_ACCOUNT
    ],
    Role.MARKETING: [
        *_READ_ALL,
        "accounts.change_account_marketing",
        "stakeholders.change_stakeholder_marketing",
        "dossier.change_portrait",  # the portrait of every account, and only the portrait
        *_RECORD_SURVEYS,  # marketing runs the surveys: answers of every account
        *_RUN_PROGRAMMES,  # target lists, programmes, their steps and touches
    ],
    Role.VIEWER: list(_READ_ALL),
}

# Roles whose members may use the Django admin (it applies the same visibility rules).
STAFF_ROLES = {Role.ADMINISTRATOR, Role.SALES_DIRECTOR}


def _permissions(codes: list[str]) -> list[Permission]:
    by_code = {}
    for app_label_codename in codes:
        app_label, codename = app_label_codename.split(".", 1)
        by_code[(app_label, codename)] = app_label_codename
    perms = Permission.objects.filter(
        content_type__app_label__in={a for a, _ in by_code},
        codename__in={c for _, c in by_code},
    ).select_related("content_type")
    found = [p for p in perms if (p.content_type.app_label, p.codename) in by_code]
    missing = set(codes) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise LookupError(
            f"openkam/users/roles.py: unknown permissions {sorted(missing)}; "
            "fix ROLE_PERMISSIONS or run `kam migrate` first."
        )
    return found


@transaction.atomic
def roles_sync() -> dict[Role, Group]:
    """Create the role groups and set exactly the permissions listed above."""
    groups = {}
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        group.permissions.set(_permissions(codes))
        groups[role] = group
    return groups


def sync_roles_after_migrate(sender, **kwargs) -> None:
    # post_migrate fires once per app; the roles can only be set once every app's
    # permissions exist, which is the case at the latest after the last app.
    with contextlib.suppress(LookupError):
        roles_sync()


def user_roles(user) -> list[Role]:
    names = {g.name for g in user.groups.all()}
    return [role for role in Role if role.value in names]
