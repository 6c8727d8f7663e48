"""Every URL and API endpoint × every role × own/foreign account → the expected answer.

`HTML_RULES` and `API_RULES` name every route of the project (the admin aside, tested at the
end). A route added without a rule fails `test_every_route_has_a_rule`, so nobody ships an
endpoint whose access nobody thought about. Refused writes must leave the database unchanged.

Codes: 200/201/204 success, 302 redirect (after a successful form post, or to the login page
for anonymous visitors), 400 accepted but invalid input (the user got past the access checks),
403 forbidden action on a visible object, 404 invisible object.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import make_users, make_world
from openkam.accounts.models import Account, AccountTeamMember
from openkam.activities.calendar import calendar_token_issue
from openkam.activities.models import Activity, ActivityKind
from openkam.alerts.models import Alert, AlertSettings
from openkam.briefs.models import NegotiationBrief
from openkam.catalog.models import ProductCategory
from openkam.commitments.models import Commitment, CustomerRequest
from openkam.competitors.models import AccountCompetitor, Competitor
from openkam.core.models import ChangeLogEntry
from openkam.dossier.models import AccountProfile, KeyFigure, PortraitSection
from openkam.growth.models import GrowthOpportunity, WalletEstimate
from openkam.keyaccounts.models import (
    Handover,
    KeyAccountTypeAssignment,
    NominationDecision,
    ProspectAssessment,
    QualificationRating,
    QualificationWeights,
)
from openkam.losses.models import AccountLoss
from openkam.marketing.models import (
    Programme,
    ProgrammeStep,
    TargetList,
    TargetListMember,
    Touch,
)
from openkam.plans.models import (
    AccountPlan,
    PlanAction,
    PlanObjective,
    PlanReview,
    PlanRisk,
    ValueProposition,
)
from openkam.sales.models import ColumnMapping, ImportBatch
from openkam.sales.services import batch_prepare
from openkam.satisfaction.models import SurveyResponse
from openkam.sellout.models import SelloutImport, SelloutMonth
from openkam.stakeholders.models import Department, Stakeholder
from openkam.tenders.models import Tender
from openkam.timesplit.models import TimeEntry
from openkam.winback.models import Campaign, CampaignAccount

ROLES = ["anonymous", "admin", "director", "kam1", "marketing", "viewer"]
OWNERSHIP = ["own", "foreign"]


@dataclass
class Rule:
    method: str
    # role → code, or role → (code for own account, code for foreign account)
    expect: dict[str, int | tuple[int, int]]
    kwargs: str = ""  # which object fills the URL: account, stakeholder, member
    data: dict = field(default_factory=dict)
    writes: bool = False

    def code(self, role: str, ownership: str) -> int:
        value = self.expect[role]
        if isinstance(value, tuple):
            return value[OWNERSHIP.index(ownership)]
        return value


def everyone(code, anonymous=302):
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], code)}


def directors(code, anonymous=302):
    """`code` for admin and director, 403 for everyone else (imports: no account scope)."""
    return {
        "anonymous": anonymous,
        "admin": code,
        "director": code,
        **dict.fromkeys(ROLES[3:], 403),
    }


def all_accounts(code, anonymous=302):
    """`code` for the roles that see every account; 403 for a KAM (workload: everyone's)."""
    return {"anonymous": anonymous, **dict.fromkeys(ROLES[1:], code), "kam1": 403}


def scoped(code, *, marketing, viewer, kam=None, anonymous=302):
    """`code` for admin and director, own/foreign for kam1, fixed codes for the others."""
    return {
        "anonymous": anonymous,
        "admin": code,
        "director": code,
        "kam1": kam or (code, 404),
        "marketing": marketing,
        "viewer": viewer,
    }


# The parts of an account plan: URL name prefix → API basename (see _plan_target).
PLAN_PARTS = {
    "value_proposition": "valueproposition",
    "objective": "planobjective",
    "action": "planaction",
    "risk": "planrisk",
    "review": "planreview",
}
PLAN_PART_PATCHES = {
    "value_proposition": {"expected_effect": "Two more visits a month"},
    "objective": {"title": "Own the snack aisle"},
    "action": {"title": "Send the planogram"},
    "risk": {"impact": 4},
    "review": {"notes": "Agreed the Q3 promotions"},
}


HTML_RULES: dict[str, Rule] = {
    "home": Rule("get", everyone(302)),
    "login": Rule("get", everyone(200, anonymous=200)),
    "logout": Rule("post", everyone(302, anonymous=302)),
    "accounts:list": Rule("get", everyone(200)),
    "accounts:lookup": Rule("get", everyone(200)),
    "accounts:create": Rule("get", scoped(200, kam=200, marketing=403, viewer=403)),
    "accounts:detail": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "accounts:history": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "timeline:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "accounts:update": Rule("get", scoped(200, marketing=200, viewer=403), "account"),
    "accounts:delete": Rule(
        "get", scoped(200, kam=(403, 404), marketing=403, viewer=403), "account"
    ),
    "accounts:team_add": Rule("get", scoped(200, marketing=403, viewer=403), "account"),
    "accounts:team_remove": Rule(
        "post", scoped(302, marketing=403, viewer=403), "member", writes=True
    ),
    "stakeholders:list": Rule("get", everyone(200)),
    # Activities: the account team logs them; their author (kam1 here) or a director edits.
    "activities:list": Rule("get", everyone(200)),
    "activities:create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "activities:update": Rule("get", scoped(200, marketing=403, viewer=403), "activity"),
    "activities:delete": Rule("get", scoped(200, marketing=403, viewer=403), "activity"),
    # making/revoking one's own feed address: every signed-in user, for themselves only
    "activities:calendar_token": Rule("post", everyone(302)),
    # the feed needs no login: the live token is the key (revoked/unknown: 404, app tests)
    "activities:calendar_feed": Rule("get", everyone(200, anonymous=200), "calendar_token"),
    # Negotiation briefs: everyone who sees the account reads and prints them; its team writes.
    "briefs:list": Rule("get", everyone(200)),
    "briefs:panel": Rule("get", scoped(200, marketing=200, viewer=200), "account_pk"),
    "briefs:create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "briefs:detail": Rule("get", scoped(200, marketing=200, viewer=200), "brief"),
    "briefs:pdf": Rule("get", scoped(200, marketing=200, viewer=200), "brief"),
    "briefs:update": Rule("get", scoped(200, marketing=403, viewer=403), "brief"),
    "briefs:delete": Rule("get", scoped(200, marketing=403, viewer=403), "brief"),
    "stakeholders:detail": Rule("get", scoped(200, marketing=200, viewer=200), "stakeholder"),
    "stakeholders:update": Rule("get", scoped(200, marketing=200, viewer=403), "stakeholder"),
    "stakeholders:move": Rule("get", scoped(200, marketing=403, viewer=403), "stakeholder"),
    "stakeholders:leave": Rule("get", scoped(200, marketing=403, viewer=403), "stakeholder"),
    "stakeholders:delete": Rule("get", scoped(200, marketing=403, viewer=403), "stakeholder"),
    "stakeholders:create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "stakeholders:department_create": Rule(
        "get", scoped(200, marketing=403, viewer=403), "account_pk"
    ),
    # People: everyone who sees the account reads its org chart, coverage and departures; who
    # may change its stakeholders rearranges the chart (kam2's chart is a 404 for kam1).
    "stakeholders:org_chart": Rule("get", scoped(200, marketing=200, viewer=200), "account_pk"),
    "stakeholders:coverage": Rule("get", scoped(200, marketing=200, viewer=200), "account_pk"),
    "stakeholders:people_panel": Rule("get", scoped(200, marketing=200, viewer=200), "account_pk"),
    "stakeholders:coverage_gaps": Rule("get", everyone(200)),
    "stakeholders:reports_to": Rule(
        "post", scoped(302, marketing=403, viewer=403), "stakeholder", writes=True
    ),
    "sales:import_list": Rule("get", directors(200)),
    "sales:import_create": Rule("get", directors(200)),
    "sales:import_detail": Rule("get", directors(200), "batch"),
    "sales:import_progress": Rule("get", directors(200), "batch"),
    "sales:import_rejects": Rule("get", directors(404), "batch"),  # a new batch rejected nothing
    "sales:import_delete": Rule("get", directors(200), "batch"),
    "keyaccounts:candidates": Rule("get", everyone(200)),
    "keyaccounts:nominations": Rule("get", everyone(200)),
    "keyaccounts:workload": Rule("get", all_accounts(200)),
    "keyaccounts:weights": Rule("get", everyone(200)),
    "keyaccounts:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "keyaccounts:panel": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    # Nominating, de-nominating and reassigning are for directors: a KAM sees their own
    # account but may not (403), and does not see the foreign one (404).
    "keyaccounts:nominate": Rule(
        "get", scoped(200, kam=(403, 404), marketing=403, viewer=403), "account"
    ),
    "keyaccounts:denominate": Rule(
        "get", scoped(200, kam=(403, 404), marketing=403, viewer=403), "account"
    ),
    "keyaccounts:reassign": Rule(
        "get", scoped(200, kam=(403, 404), marketing=403, viewer=403), "account"
    ),
    "keyaccounts:type": Rule("get", scoped(200, marketing=403, viewer=403), "account"),
    "keyaccounts:three_ps": Rule("get", scoped(200, marketing=403, viewer=403), "account"),
    "keyaccounts:ratings": Rule("get", scoped(200, marketing=403, viewer=403), "account"),
    # The cockpit and its account lists: everyone signed in, each over the accounts they may
    # see (no snapshot in this world: the empty state; scoping is tested in openkam/portfolio).
    "portfolio:cockpit": Rule("get", everyone(200)),
    "portfolio:accounts": Rule("get", everyone(200)),
    # the retention what-if: everyone (a KAM sees their own accounts); no snapshot: empty state
    "whatif:retention": Rule("get", everyone(200)),
    # The weekly digest: everyone signed in reads their own and chooses to get it (an empty
    # choice is refused); previewing others' is tested in openkam/digest.
    "digest:page": Rule("get", everyone(200)),
    "digest:subscription": Rule("post", everyone(400)),
    # Each person's own settings: the language (also before logging in) and the calendar.
    "users:set_language": Rule("post", everyone(302, anonymous=302)),
    "users:preferences": Rule("get", everyone(200)),
    # The dossier: everyone who sees the account reads and prints it; the account team and
    # directors edit it; marketing edits the portrait (only) of every account.
    "dossier:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "dossier:pdf": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "dossier:profile": Rule("get", scoped(200, marketing=403, viewer=403), "account"),
    "dossier:key_figure_create": Rule("get", scoped(200, marketing=403, viewer=403), "account"),
    "dossier:key_figure_update": Rule("get", scoped(200, marketing=403, viewer=403), "key_figure"),
    "dossier:key_figure_delete": Rule("get", scoped(200, marketing=403, viewer=403), "key_figure"),
    "dossier:portrait_section": Rule(
        "get", scoped(200, marketing=200, viewer=403), "portrait_section"
    ),
    "dossier:stale": Rule("get", everyone(200)),
    # Competition: everyone reads the shared register; admins, directors and KAMs add to it and
    # change it; only directors delete. The account team records competitors and tenders.
    "competitors:list": Rule("get", everyone(200)),
    "competitors:create": Rule("get", scoped(200, kam=200, marketing=403, viewer=403)),
    "competitors:detail": Rule("get", everyone(200), "competitor"),
    "competitors:update": Rule(
        "get", scoped(200, kam=200, marketing=403, viewer=403), "competitor"
    ),
    "competitors:delete": Rule("get", directors(200), "competitor"),
    "competitors:presence_create": Rule(
        "get", scoped(200, marketing=403, viewer=403), "account_pk"
    ),
    "competitors:presence_update": Rule("get", scoped(200, marketing=403, viewer=403), "presence"),
    "competitors:presence_delete": Rule("get", scoped(200, marketing=403, viewer=403), "presence"),
    "tenders:list": Rule("get", everyone(200)),
    "tenders:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "tenders:create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "tenders:update": Rule("get", scoped(200, marketing=403, viewer=403), "tender"),
    "tenders:delete": Rule("get", scoped(200, marketing=403, viewer=403), "tender"),
    # Health: stored scores, read by everyone who sees the account (no snapshot here: empty).
    "health:list": Rule("get", everyone(200)),
    "health:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    # The health weights and their backtest: directors and administrators only.
    "health:weights": Rule("get", directors(200)),
    "health:backtest": Rule("get", directors(200)),
    # Promises: everyone reads the commitments and requests of the accounts they see; the
    # account team records them and marks them done, answered or closed (one-click posts).
    "commitments:list": Rule("get", everyone(200)),
    "commitments:requests": Rule("get", everyone(200)),
    "commitments:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    **{
        f"commitments:{route}": Rule("get", scoped(200, marketing=403, viewer=403), kind)
        for route, kind in (
            ("create", "account_pk"),
            ("update", "commitment"),
            ("delete", "commitment"),
            ("request_create", "account_pk"),
            ("request_update", "customer_request"),
            ("request_delete", "customer_request"),
        )
    },
    "commitments:done": Rule("post", scoped(302, marketing=403, viewer=403), "commitment"),
    "commitments:request_answer": Rule(
        "post", scoped(302, marketing=403, viewer=403), "customer_request"
    ),
    "commitments:request_close": Rule(
        "post", scoped(302, marketing=403, viewer=403), "customer_request"
    ),
    # Alerts: everyone reads those of the accounts they see (the inbox: their own accounts,
    # directors every account); the account team acts on them; directors set the rules.
    "alerts:inbox": Rule("get", everyone(200)),
    "alerts:badge": Rule("get", everyone(200)),
    "alerts:settings": Rule("get", everyone(200)),
    "alerts:panel": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "alerts:detail": Rule("get", scoped(200, marketing=200, viewer=200), "alert"),
    "alerts:acknowledge": Rule(
        "post", scoped(302, marketing=403, viewer=403), "alert", writes=True
    ),
    # no date, no note, no step ticked: invalid (400) once past the access checks
    **{
        f"alerts:{route}": Rule(
            "post", scoped(400, marketing=403, viewer=403), "alert", writes=True
        )
        for route in ("snooze", "resolve", "plan_actions")
    },
    # Account plans: everyone reads the plans of the accounts they see; the account team writes.
    "plans:list": Rule("get", everyone(200)),
    "plans:account": Rule("get", scoped(200, marketing=200, viewer=200), "account_pk"),
    "plans:create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "plans:detail": Rule("get", scoped(200, marketing=200, viewer=200), "plan"),
    "plans:export": Rule("get", scoped(200, marketing=200, viewer=200), "plan"),
    "plans:pdf": Rule("get", scoped(200, marketing=200, viewer=200), "plan"),
    **{
        f"plans:{route}": Rule("get", scoped(200, marketing=403, viewer=403), kind)
        for route, kind in (
            ("update", "plan"),
            ("copy", "plan"),
            ("delete", "plan"),
            *((f"{part}_create", "plan") for part in PLAN_PARTS if part != "action"),
            ("action_create", "plan_objective"),
            *(
                (f"{part}_{verb}", f"plan_{part}")
                for part in PLAN_PARTS
                for verb in ("update", "delete")
            ),
        )
    },
    # Satisfaction: everyone reads the answers of the accounts they see; the account team and
    # marketing (which runs the surveys, on every account) record, change and delete them.
    "satisfaction:list": Rule("get", everyone(200)),
    "satisfaction:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "satisfaction:create": Rule("get", scoped(200, marketing=200, viewer=403), "account_pk"),
    "satisfaction:update": Rule("get", scoped(200, marketing=200, viewer=403), "survey"),
    "satisfaction:delete": Rule("get", scoped(200, marketing=200, viewer=403), "survey"),
    # Losses: everyone reads the dynamics (no snapshot here: the empty state) and an account's
    # loss records; its team and directors record, change and delete them.
    "losses:dynamics": Rule("get", everyone(200)),
    "losses:accounts": Rule("get", everyone(200)),  # nothing chosen: says what to choose
    "losses:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    "losses:create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "losses:update": Rule("get", scoped(200, marketing=403, viewer=403), "account_loss"),
    "losses:delete": Rule("get", scoped(200, marketing=403, viewer=403), "account_loss"),
    # Growth: everyone reads the opportunities and wallet of the accounts they see; the
    # account team and directors decide on suggestions and estimate the wallet.
    "growth:list": Rule("get", everyone(200)),
    "growth:account": Rule("get", scoped(200, marketing=200, viewer=200), "account"),
    **{
        f"growth:{route}": Rule("post", scoped(302, marketing=403, viewer=403), "opportunity")
        for route in ("accept", "dismiss", "reopen")
    },
    "growth:estimate_create": Rule("get", scoped(200, marketing=403, viewer=403), "account_pk"),
    "growth:estimate_rule": Rule("post", scoped(302, marketing=403, viewer=403), "account_pk"),
    "growth:estimate_update": Rule(
        "get", scoped(200, marketing=403, viewer=403), "wallet_estimate"
    ),
    "growth:estimate_delete": Rule(
        "post", scoped(302, marketing=403, viewer=403), "wallet_estimate"
    ),
    # Account-based marketing: everyone reads the target lists (members on the accounts they
    # see) and downloads their contact cards; marketing and directors write lists and
    # programmes; the account team adds steps and touches on its own accounts' programmes.
    "marketing:lists": Rule("get", everyone(200)),
    "marketing:list_create": Rule("get", scoped(200, kam=403, marketing=200, viewer=403)),
    "marketing:list_detail": Rule("get", everyone(200), "target_list"),
    "marketing:list_update": Rule(
        "get", scoped(200, kam=403, marketing=200, viewer=403), "target_list"
    ),
    "marketing:list_delete": Rule(
        "get", scoped(200, kam=403, marketing=200, viewer=403), "target_list"
    ),
    "marketing:list_freeze": Rule(
        "post", scoped(302, kam=403, marketing=302, viewer=403), "rule_list", writes=True
    ),
    "marketing:member_add": Rule(  # no account chosen: back to the list
        "post", scoped(302, kam=403, marketing=302, viewer=403), "target_list", writes=True
    ),
    "marketing:member_remove": Rule(
        "post", scoped(302, kam=403, marketing=302, viewer=403), "list_member", writes=True
    ),
    "marketing:list_vcard": Rule("get", everyone(200), "target_list"),
    "marketing:list_cards": Rule("get", everyone(200), "target_list"),
    "marketing:stakeholder_vcard": Rule(
        "get", scoped(200, marketing=200, viewer=200), "stakeholder"
    ),
    "marketing:programmes": Rule("get", everyone(200)),
    "marketing:programme_create": Rule("get", scoped(200, kam=403, marketing=200, viewer=403)),
    "marketing:programme_detail": Rule("get", scoped(200, marketing=200, viewer=200), "programme"),
    "marketing:programme_update": Rule(
        "get", scoped(200, kam=(403, 404), marketing=200, viewer=403), "programme"
    ),
    "marketing:programme_delete": Rule(
        "get", scoped(200, kam=(403, 404), marketing=200, viewer=403), "programme"
    ),
    "marketing:step_create": Rule(  # an empty form
        "post", scoped(400, marketing=400, viewer=403), "programme", writes=True
    ),
    "marketing:step_update": Rule("get", scoped(200, marketing=200, viewer=403), "step"),
    "marketing:step_delete": Rule("get", scoped(200, marketing=200, viewer=403), "step"),
    "marketing:touch_create": Rule(  # an empty form
        "post", scoped(400, marketing=400, viewer=403), "programme", writes=True
    ),
    "marketing:touch_delete": Rule(
        "post", scoped(302, marketing=302, viewer=403), "touch", writes=True
    ),
    # Sell-out: everyone reads an account's; an import (kam1's here) is seen by its importer and
    # by every role that sees every account (all but a KAM).
    "sellout:imports": Rule("get", everyone(200)),
    "sellout:import_rejects": Rule("get", everyone(200), "sellout_import"),
    "sellout:account": Rule("get", scoped(200, marketing=200, viewer=200), "sellout_account"),
    # Time: everyone sees their own split (directors everyone's); those who work the accounts
    # record their weekly time; its person (kam1's own entry, not kam2's) or a director edits.
    "timesplit:page": Rule("get", everyone(200)),
    "timesplit:entry_create": Rule("get", scoped(200, kam=200, marketing=403, viewer=403)),
    "timesplit:entry_update": Rule("get", scoped(200, marketing=403, viewer=403), "time_entry"),
    "timesplit:entry_delete": Rule("get", scoped(200, marketing=403, viewer=403), "time_entry"),
    # Win back: everyone reads the list and the campaigns over the accounts they see; the
    # account team starts campaigns and works its accounts; the owner or a director edits one.
    "winback:list": Rule("get", everyone(200)),
    "winback:campaigns": Rule("get", everyone(200)),
    "winback:campaign_create": Rule("get", scoped(200, kam=200, marketing=403, viewer=403)),
    "winback:campaign_add": Rule("get", scoped(200, kam=200, marketing=403, viewer=403)),
    "winback:campaign": Rule("get", scoped(200, marketing=200, viewer=200), "campaign"),
    "winback:campaign_update": Rule("get", scoped(200, marketing=403, viewer=403), "campaign"),
    "winback:campaign_delete": Rule("get", scoped(200, marketing=403, viewer=403), "campaign"),
    "winback:measure": Rule("post", scoped(302, marketing=403, viewer=403), "campaign"),
    "winback:target_update": Rule(  # an empty form
        "post", scoped(400, marketing=403, viewer=403), "campaign_target", writes=True
    ),
    "winback:step_create": Rule("get", scoped(200, marketing=403, viewer=403), "campaign_target"),
}

# The same routes again as writes: a refused POST must answer like the GET and change nothing.
HTML_WRITES = {
    "accounts:create": scoped(400, kam=400, marketing=403, viewer=403),
    "accounts:update": scoped(400, marketing=302, viewer=403),  # marketing fields are optional
    "accounts:delete": scoped(302, kam=(403, 404), marketing=403, viewer=403),
    "accounts:team_add": scoped(400, marketing=403, viewer=403),
    "stakeholders:update": scoped(400, marketing=302, viewer=403),
    "stakeholders:move": scoped(400, marketing=403, viewer=403),
    "stakeholders:leave": scoped(400, marketing=403, viewer=403),
    "stakeholders:delete": scoped(302, marketing=403, viewer=403),
    "stakeholders:create": scoped(400, marketing=403, viewer=403),
    "stakeholders:department_create": scoped(400, marketing=403, viewer=403),
    "activities:create": scoped(400, marketing=403, viewer=403),
    "activities:update": scoped(400, marketing=403, viewer=403),
    "activities:delete": scoped(302, marketing=403, viewer=403),
    "briefs:create": scoped(400, marketing=403, viewer=403),
    "briefs:update": scoped(400, marketing=403, viewer=403),
    "briefs:delete": scoped(302, marketing=403, viewer=403),
    "sales:import_create": directors(400),
    "sales:import_detail": directors(400),
    "sales:import_delete": directors(302),
    "keyaccounts:weights": directors(400),
    "keyaccounts:nominate": scoped(400, kam=(403, 404), marketing=403, viewer=403),
    "keyaccounts:denominate": scoped(400, kam=(403, 404), marketing=403, viewer=403),
    "keyaccounts:reassign": scoped(400, kam=(403, 404), marketing=403, viewer=403),
    "keyaccounts:type": scoped(400, marketing=403, viewer=403),
    "keyaccounts:three_ps": scoped(400, marketing=403, viewer=403),
    "keyaccounts:ratings": scoped(400, marketing=403, viewer=403),
    "users:preferences": everyone(302),  # empty: follow the browser, Gregorian years
    # Account plans: an empty form is invalid (400); deletes need no data (302).
    "plans:create": scoped(400, marketing=403, viewer=403),
    **{
        f"plans:{route}": scoped(400, marketing=403, viewer=403)
        for route in (
            "update",
            "copy",
            *(f"{part}_{verb}" for part in PLAN_PARTS for verb in ("create", "update")),
        )
    },
    **{
        f"plans:{route}": scoped(302, marketing=403, viewer=403)
        for route in ("delete", *(f"{p}_delete" for p in PLAN_PARTS))
    },
    "dossier:profile": scoped(302, marketing=403, viewer=403),  # every field is optional
    "dossier:key_figure_create": scoped(400, marketing=403, viewer=403),
    "dossier:key_figure_update": scoped(400, marketing=403, viewer=403),
    "dossier:key_figure_delete": scoped(302, marketing=403, viewer=403),
    "dossier:portrait_section": scoped(302, marketing=302, viewer=403),  # empty: cleared
    "competitors:create": scoped(400, kam=400, marketing=403, viewer=403),
    "competitors:update": scoped(400, kam=400, marketing=403, viewer=403),
    "competitors:delete": directors(302),
    "competitors:presence_create": scoped(400, marketing=403, viewer=403),
    "competitors:presence_update": scoped(400, marketing=403, viewer=403),
    "competitors:presence_delete": scoped(302, marketing=403, viewer=403),
    "tenders:create": scoped(400, marketing=403, viewer=403),
    "tenders:update": scoped(400, marketing=403, viewer=403),
    "tenders:delete": scoped(302, marketing=403, viewer=403),
    **{
        f"commitments:{route}": scoped(400, marketing=403, viewer=403)
        for route in ("create", "update", "request_create", "request_update")
    },
    "commitments:delete": scoped(302, marketing=403, viewer=403),
    "commitments:request_delete": scoped(302, marketing=403, viewer=403),
    "alerts:settings": directors(400),  # no rule named
    "health:weights": directors(400),  # no weights sent
    "satisfaction:create": scoped(400, marketing=400, viewer=403),
    "satisfaction:update": scoped(400, marketing=400, viewer=403),
    "satisfaction:delete": scoped(302, marketing=302, viewer=403),
    "losses:create": scoped(400, marketing=403, viewer=403),
    "losses:update": scoped(400, marketing=403, viewer=403),
    "losses:delete": scoped(302, marketing=403, viewer=403),
    "growth:estimate_create": scoped(400, marketing=403, viewer=403),
    "growth:estimate_update": scoped(400, marketing=403, viewer=403),
    "marketing:list_create": scoped(400, kam=403, marketing=400, viewer=403),
    "marketing:list_update": scoped(400, kam=403, marketing=400, viewer=403),
    "marketing:list_delete": scoped(302, kam=403, marketing=302, viewer=403),
    "marketing:programme_create": scoped(400, kam=403, marketing=400, viewer=403),
    "marketing:programme_update": scoped(400, kam=(403, 404), marketing=400, viewer=403),
    "marketing:programme_delete": scoped(302, kam=(403, 404), marketing=302, viewer=403),
    "marketing:step_update": scoped(400, marketing=400, viewer=403),
    "marketing:step_delete": scoped(302, marketing=302, viewer=403),
    "timesplit:entry_create": scoped(400, kam=400, marketing=403, viewer=403),
    "timesplit:entry_update": scoped(400, marketing=403, viewer=403),
    "timesplit:entry_delete": scoped(302, marketing=403, viewer=403),
    "winback:campaign_create": scoped(400, kam=400, marketing=403, viewer=403),
    "winback:campaign_add": scoped(400, kam=400, marketing=403, viewer=403),
    "winback:campaign_update": scoped(400, marketing=403, viewer=403),
    "winback:campaign_delete": scoped(302, marketing=403, viewer=403),
    "winback:step_create": scoped(400, marketing=403, viewer=403),
}

API_RULES: dict[str, list[Rule]] = {
    # Account-based marketing (see the HTML rules).
    "api:targetlist-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=403, marketing=201, viewer=403, anonymous=401),
            "target_list_body",
            writes=True,
        ),
    ],
    "api:targetlist-detail": [
        Rule("get", everyone(200, anonymous=401), "target_list"),
        Rule(
            "patch",
            scoped(200, kam=403, marketing=200, viewer=403, anonymous=401),
            "target_list",
            data={"description": "Retail chains for the launch"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, kam=403, marketing=204, viewer=403, anonymous=401),
            "target_list",
            writes=True,
        ),
    ],
    "api:targetlist-members": [Rule("get", everyone(200, anonymous=401), "target_list")],
    "api:targetlist-add-members": [
        Rule(
            "post",
            scoped(200, kam=403, marketing=200, viewer=403, anonymous=401),
            "static_list_account",
            writes=True,
        )
    ],
    "api:targetlist-remove-members": [
        Rule(
            "post",
            scoped(200, kam=403, marketing=200, viewer=403, anonymous=401),
            "list_member_body",
            writes=True,
        )
    ],
    "api:targetlist-freeze": [
        Rule(
            "post",
            scoped(201, kam=403, marketing=201, viewer=403, anonymous=401),
            "rule_list",
            writes=True,
        )
    ],
    "api:targetlist-vcard": [Rule("get", everyone(200, anonymous=401), "target_list")],
    "api:stakeholder-vcard": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "stakeholder")
    ],
    "api:programme-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=403, marketing=201, viewer=403, anonymous=401),
            "programme_body",
            writes=True,
        ),
    ],
    "api:programme-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "programme"),
        Rule(
            "patch",
            scoped(200, kam=403, marketing=200, viewer=403, anonymous=401),
            "programme",
            data={"objectives": "Two new categories listed"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, kam=403, marketing=204, viewer=403, anonymous=401),
            "programme",
            writes=True,
        ),
    ],
    "api:programme-engagement": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "programme")
    ],
    "api:programmestep-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(  # kam1 does not see the foreign programme: 400, no such programme
            "post",
            scoped(201, kam=(201, 400), marketing=201, viewer=403, anonymous=401),
            "step_body",
            writes=True,
        ),
    ],
    "api:programmestep-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "step"),
        Rule(
            "patch",
            scoped(200, marketing=200, viewer=403, anonymous=401),
            "step",
            data={"notes": "Booth 12"},
            writes=True,
        ),
        Rule("delete", scoped(204, marketing=204, viewer=403, anonymous=401), "step", writes=True),
    ],
    "api:touch-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=201, viewer=403, anonymous=401),
            "touch_body",
            writes=True,
        ),
    ],
    "api:touch-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "touch"),
        Rule(
            "patch",
            scoped(200, marketing=200, viewer=403, anonymous=401),
            "touch",
            data={"kind": "met"},
            writes=True,
        ),
        Rule("delete", scoped(204, marketing=204, viewer=403, anonymous=401), "touch", writes=True),
    ],
    "api:account-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule("post", scoped(400, kam=400, marketing=403, viewer=403, anonymous=401), writes=True),
    ],
    "api:account-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "account",
            data={"industry": "Retail", "status": "key"},
            writes=True,
        ),
        Rule(
            "patch",
            scoped(200, marketing=200, viewer=403, anonymous=401),
            "account",
            data={"description": "Portrait"},
            writes=True,
        ),
        # `own` still has a subsidiary: refused as invalid (400). A KAM holds no delete
        # permission at all, so the API refuses before looking the account up (403 both).
        Rule(
            "delete",
            scoped((400, 204), kam=(403, 403), marketing=403, viewer=403, anonymous=401),
            "account",
            writes=True,
        ),
    ],
    "api:account-history": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:segment-list": [Rule("get", everyone(200, anonymous=401))],
    "api:stakeholder-list": [
        Rule("get", everyone(200, anonymous=401)),
        # An account the KAM cannot see does not exist for them: invalid input (400).
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "account_body",
            writes=True,
        ),
    ],
    "api:stakeholder-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "stakeholder"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "stakeholder",
            data={"job_title": "Head of Buying"},
            writes=True,
        ),
        Rule(
            "patch",
            scoped(200, marketing=200, viewer=403, anonymous=401),
            "stakeholder",
            data={"phone": "+66 2 000 0000"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, marketing=403, viewer=403, anonymous=401),
            "stakeholder",
            writes=True,
        ),
    ],
    "api:stakeholder-move": [
        Rule(
            "post",
            scoped(200, kam=(200, 404), marketing=403, viewer=403, anonymous=401),
            "stakeholder_to_shared",
            writes=True,
        ),
    ],
    "api:department-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "department_body",
            writes=True,
        ),
    ],
    "api:department-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "department"),
    ],
    "api:departmentkind-list": [Rule("get", everyone(200, anonymous=401))],
    "api:stakeholder-leave": [
        Rule(
            "post",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "stakeholder",
            writes=True,
        ),
    ],
    "api:account-org-chart": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:account-coverage": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:account-departures": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:coverage-gaps": [Rule("get", everyone(200, anonymous=401))],
    # Activities: the account team logs them; their author or a director changes them.
    "api:activity-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "activity_body",
            writes=True,
        ),
    ],
    "api:brief-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "brief_body",
            writes=True,
        ),
    ],
    "api:brief-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "brief"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "brief",
            data={"questions": "Which listings for the new stores?"},
            writes=True,
        ),
        Rule("delete", scoped(204, marketing=403, viewer=403, anonymous=401), "brief", writes=True),
    ],
    "api:activity-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "activity"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "activity",
            data={"outcome": "Two listings agreed"},
            writes=True,
        ),
        Rule(
            "delete", scoped(204, marketing=403, viewer=403, anonymous=401), "activity", writes=True
        ),
    ],
    "api:activitykind-list": [Rule("get", everyone(200, anonymous=401))],
    "api:importbatch-list": [
        Rule("get", directors(200, anonymous=401)),
        Rule("post", directors(400, anonymous=401), writes=True),  # no file
    ],
    "api:importbatch-detail": [
        Rule("get", directors(200, anonymous=401), "batch"),
        Rule("delete", directors(200, anonymous=401), "batch", writes=True),
    ],
    "api:importbatch-start": [Rule("post", directors(202, anonymous=401), "batch", writes=True)],
    "api:importbatch-rejects": [Rule("get", directors(404, anonymous=401), "batch")],
    # Key accounts: directors decide (nominate, de-nominate, reassign, weights); the account
    # team records types, the three P's and ratings on accounts it may change.
    "api:nomination-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            directors(201, anonymous=401),
            "account_body",
            data={"kind": "denominate", "reason": "No longer strategic"},
            writes=True,
        ),
    ],
    "api:nomination-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "decision"),
    ],
    "api:keyaccounttype-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "account_body",
            data={"type": "expert", "reason": "Demanding on quality"},
            writes=True,
        ),
    ],
    "api:keyaccounttype-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "type_assignment"),
    ],
    "api:threeps-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "account_body",
            data={"criterion": "need", "answer": "yes", "evidence": "Tender published"},
            writes=True,
        ),
    ],
    "api:threeps-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "three_ps"),
    ],
    "api:rating-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "account_body",
            data={"criterion": "fit", "score": 4, "comment": "Buys our whole range"},
            writes=True,
        ),
    ],
    "api:rating-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "rating"),
    ],
    "api:weights-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule("post", directors(201, anonymous=401), data={"fit": 2, "volume": 3}, writes=True),
    ],
    "api:weights-current": [Rule("get", everyone(200, anonymous=401))],
    "api:handover-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            directors(201, anonymous=401),
            "account_body",
            data={"owner": "director", "note": "Open tender in March; the buyer prefers calls."},
            writes=True,
        ),
    ],
    "api:handover-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "handover"),
    ],
    "api:workload": [Rule("get", all_accounts(200, anonymous=401))],
    "api:account-scorecard": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:health-list": [Rule("get", everyone(200, anonymous=401))],
    # the backtest over the accounts one sees; without `as_of`: 400 once past the access checks
    "api:health-backtest": [Rule("get", everyone(400, anonymous=401))],
    "api:account-health": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:account-timeline": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
    ],
    "api:me": [
        Rule("get", everyone(200, anonymous=401)),
        Rule("patch", everyone(200, anonymous=401), data={"buddhist_era": True}, writes=True),
    ],
    # No metrics snapshot exists in this world: 404 with the dates that exist (none). Who sees
    # which accounts' metrics is tested in openkam/metrics/tests/test_api.py.
    "api:metrics-accounts": [Rule("get", everyone(404, anonymous=401))],
    "api:metrics-portfolio": [Rule("get", everyone(404, anonymous=401))],
    "api:portfolio": [Rule("get", everyone(404, anonymous=401))],
    "api:whatif-retention": [Rule("get", everyone(404, anonymous=401))],
    "api:digest-preview": [Rule("get", everyone(200, anonymous=401))],
    "api:token": [Rule("post", everyone(400, anonymous=400))],
    "api:schema": [Rule("get", everyone(200, anonymous=200))],
    "api:docs": [Rule("get", everyone(200, anonymous=200))],
    "api:redoc": [Rule("get", everyone(200, anonymous=200))],
    # Account plans and their parts: the account team writes them, everyone reads.
    "api:accountplan-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "account_body",
            data={"year": 2031, "revenue_target": "1000000"},
            writes=True,
        ),
    ],
    "api:accountplan-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "plan"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "plan",
            data={"ambition": "Grow the snack aisle together"},
            writes=True,
        ),
        Rule("delete", scoped(204, marketing=403, viewer=403, anonymous=401), "plan", writes=True),
    ],
    **{
        f"api:{basename}-list": [
            Rule("get", everyone(200, anonymous=401)),
            Rule(
                "post",
                scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
                f"plan_{part}_body",
                writes=True,
            ),
        ]
        for part, basename in PLAN_PARTS.items()
    },
    **{
        f"api:{basename}-detail": [
            Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), f"plan_{part}"),
            Rule(
                "patch",
                scoped(200, marketing=403, viewer=403, anonymous=401),
                f"plan_{part}",
                data=PLAN_PART_PATCHES[part],
                writes=True,
            ),
            Rule(
                "delete",
                scoped(204, marketing=403, viewer=403, anonymous=401),
                f"plan_{part}",
                writes=True,
            ),
        ]
        for part, basename in PLAN_PARTS.items()
    },
    # The dossier (see the HTML rules): marketing writes the portrait, nothing else.
    "api:keyfigure-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "key_figure_body",
            writes=True,
        ),
    ],
    "api:keyfigure-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "key_figure"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "key_figure",
            data={"source": "Annual report"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, marketing=403, viewer=403, anonymous=401),
            "key_figure",
            writes=True,
        ),
    ],
    "api:account-portrait": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
        Rule(
            "patch",
            scoped(200, marketing=200, viewer=403, anonymous=401),
            "account",
            data={"sections": [{"area": "csr", "text": "Net zero by 2040"}]},
            writes=True,
        ),
    ],
    "api:account-dossier": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "account",
            data={"sites": 120},
            writes=True,
        ),
    ],
    # Competition (see the HTML rules): the register is shared, the rest goes by account.
    "api:competitor-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=201, marketing=403, viewer=403, anonymous=401),
            data={"name": "Rival Distribution"},
            writes=True,
        ),
    ],
    "api:competitor-detail": [
        Rule("get", everyone(200, anonymous=401), "competitor"),
        Rule(
            "patch",
            scoped(200, kam=200, marketing=403, viewer=403, anonymous=401),
            "competitor",
            data={"strengths": "Price"},
            writes=True,
        ),
        Rule("delete", directors(204, anonymous=401), "competitor", writes=True),
    ],
    "api:accountcompetitor-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "presence_body",
            writes=True,
        ),
    ],
    "api:accountcompetitor-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "presence"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "presence",
            data={"threat_level": 4},
            writes=True,
        ),
        Rule(
            "delete", scoped(204, marketing=403, viewer=403, anonymous=401), "presence", writes=True
        ),
    ],
    "api:tender-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "tender_body",
            writes=True,
        ),
    ],
    "api:tender-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "tender"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "tender",
            data={"notes": "Shortlisted"},
            writes=True,
        ),
        Rule(
            "delete", scoped(204, marketing=403, viewer=403, anonymous=401), "tender", writes=True
        ),
    ],
    "api:tender-stats": [Rule("get", everyone(200, anonymous=401))],
    # Promises (see the HTML rules).
    **{
        f"api:{basename}-list": [
            Rule("get", everyone(200, anonymous=401)),
            Rule(
                "post",
                scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
                f"{kind}_body",
                writes=True,
            ),
        ]
        for basename, kind in (("commitment", "commitment"), ("request", "customer_request"))
    },
    **{
        f"api:{basename}-detail": [
            Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), kind),
            Rule(
                "patch",
                scoped(200, marketing=403, viewer=403, anonymous=401),
                kind,
                data=patch,
                writes=True,
            ),
            Rule(
                "delete", scoped(204, marketing=403, viewer=403, anonymous=401), kind, writes=True
            ),
        ]
        for basename, kind, patch in (
            ("commitment", "commitment", {"notes": "Called the buyer"}),
            ("request", "customer_request", {"details": "Prices for 2027"}),
        )
    },
    "api:request-stats": [Rule("get", everyone(200, anonymous=401))],
    # Alerts (see the HTML rules): acting takes the right to change the account.
    "api:alert-list": [Rule("get", everyone(200, anonymous=401))],
    "api:alert-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "alert"),
    ],
    "api:alert-acknowledge": [
        Rule("post", scoped(200, marketing=403, viewer=403, anonymous=401), "alert", writes=True),
    ],
    **{
        f"api:alert-{route}": [  # no date / no note: 400
            Rule(
                "post", scoped(400, marketing=403, viewer=403, anonymous=401), "alert", writes=True
            ),
        ]
        for route in ("snooze", "resolve")
    },
    # Sell-out (see the HTML rules)
    "api:sellout-imports": [Rule("get", everyone(200, anonymous=401))],
    "api:sellout-decomposition": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "sellout_account")
    ],
    # Satisfaction (see the HTML rules): marketing records answers of every account.
    "api:survey-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=201, viewer=403, anonymous=401),
            "survey_body",
            writes=True,
        ),
    ],
    "api:survey-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "survey"),
        Rule(
            "patch",
            scoped(200, marketing=200, viewer=403, anonymous=401),
            "survey",
            data={"comment": "Deliveries on time again"},
            writes=True,
        ),
        Rule(
            "delete", scoped(204, marketing=204, viewer=403, anonymous=401), "survey", writes=True
        ),
    ],
    # Losses (see the HTML rules): no snapshot here, so the dynamics are a 404; the accounts
    # behind a figure need one figure, reason or competitor (400 without).
    "api:losses": [Rule("get", everyone(404, anonymous=401))],
    "api:losses-accounts": [Rule("get", everyone(400, anonymous=401))],
    "api:accountloss-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "account_loss_body",
            writes=True,
        ),
    ],
    "api:accountloss-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "account_loss"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "account_loss",
            data={"details": "Moved to a cheaper supplier"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, marketing=403, viewer=403, anonymous=401),
            "account_loss",
            writes=True,
        ),
    ],
    # Growth (see the HTML rules).
    "api:opportunity-list": [Rule("get", everyone(200, anonymous=401))],
    "api:opportunity-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "opportunity")
    ],
    "api:opportunity-accept": [
        Rule(
            "post",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "opportunity",
            writes=True,
        )
    ],
    "api:opportunity-dismiss": [
        Rule(
            "post",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "opportunity",
            data={"reason": "They make their own"},
            writes=True,
        )
    ],
    # no account named: the query is refused (a 400, not a 5xx)
    "api:share-of-wallet": [Rule("get", everyone(400, anonymous=401))],
    "api:walletestimate-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "wallet_estimate_body",
            writes=True,
        ),
    ],
    "api:walletestimate-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "wallet_estimate"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "wallet_estimate",
            data={"note": "From their annual report"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, marketing=403, viewer=403, anonymous=401),
            "wallet_estimate",
            writes=True,
        ),
    ],
    # Time (see the HTML rules): a person's entries are theirs; a director sees and edits all.
    "api:time-split": [Rule("get", everyone(200, anonymous=401))],
    "api:timeentry-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=201, marketing=403, viewer=403, anonymous=401),
            "time_entry_body",
            writes=True,
        ),
    ],
    "api:timeentry-detail": [
        Rule("get", scoped(200, marketing=404, viewer=404, anonymous=401), "time_entry"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "time_entry",
            data={"note": "Checked the hours"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, marketing=403, viewer=403, anonymous=401),
            "time_entry",
            writes=True,
        ),
    ],
    # Win back (see the HTML rules).
    "api:win-back": [Rule("get", everyone(200, anonymous=401))],
    "api:campaign-list": [
        Rule("get", everyone(200, anonymous=401)),
        Rule(
            "post",
            scoped(201, kam=(201, 400), marketing=403, viewer=403, anonymous=401),
            "campaign_body",
            writes=True,
        ),
    ],
    "api:campaign-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "campaign"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "campaign",
            data={"offer_description": "Two cases free"},
            writes=True,
        ),
        Rule(
            "delete", scoped(204, marketing=403, viewer=403, anonymous=401), "campaign", writes=True
        ),
    ],
    "api:campaign-accounts": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "campaign"),
        Rule(  # no accounts named: 400 once past the access checks
            "post", scoped(400, marketing=403, viewer=403, anonymous=401), "campaign", writes=True
        ),
    ],
    "api:campaign-results": [Rule("get", everyone(200, anonymous=401))],
    "api:campaignaccount-list": [Rule("get", everyone(200, anonymous=401))],
    "api:campaignaccount-detail": [
        Rule("get", scoped(200, marketing=200, viewer=200, anonymous=401), "campaign_target"),
        Rule(
            "patch",
            scoped(200, marketing=403, viewer=403, anonymous=401),
            "campaign_target",
            data={"status": "declined"},
            writes=True,
        ),
        Rule(
            "delete",
            scoped(204, marketing=403, viewer=403, anonymous=401),
            "campaign_target",
            writes=True,
        ),
    ],
}


@pytest.fixture(scope="module")
def _matrix_data(django_db_setup, django_db_blocker):
    """Users and accounts made once for the ~500 cases below, rolled back at the end; each
    test runs inside its own savepoint, so writes do not leak between cases."""
    with django_db_blocker.unblock(), transaction.atomic():
        users = make_users()
        world = make_world(users)
        yield users, world
        transaction.set_rollback(True)


@pytest.fixture
def users(_matrix_data, db):
    return _matrix_data[0]


@pytest.fixture
def world(_matrix_data, db):
    for obj in _matrix_data[1].values():
        obj.refresh_from_db()
    return _matrix_data[1]


def _route_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _route_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name and "format" not in str(entry.pattern):
            names.add(f"{namespace}{entry.name}")
    return names


def test_every_route_has_a_rule():
    assert _route_names() == set(HTML_RULES) | set(API_RULES)


def _target(world, users, ownership: str, kind: str) -> tuple[dict, dict]:
    """(URL kwargs, extra body) for the object kind on an own or foreign account."""
    account = world["own" if ownership == "own" else "foreign"]
    person = world[f"{'own' if ownership == 'own' else 'foreign'}_person"]
    if kind == "account":
        return {"pk": account.pk}, {}
    if kind == "account_pk":
        return {"account_pk": account.pk}, {}
    if kind == "stakeholder":
        return {"pk": person.pk}, {}
    if kind == "stakeholder_to_shared":
        return {"pk": person.pk}, {"account": world["shared"].pk}
    if kind == "member":
        member = AccountTeamMember.objects.create(
            account=account, user=users["viewer"], role="support"
        )
        return {"pk": account.pk, "member_pk": member.pk}, {}
    if kind == "department":
        return {"pk": world[f"{'own' if ownership == 'own' else 'foreign'}_department"].pk}, {}
    if kind == "account_body":
        return {}, {"account": account.pk, "name": "New person"}
    if kind == "department_body":
        return {}, {"account": account.pk, "kind": "marketing", "name": "Trade marketing"}
    if kind == "batch":
        return {"pk": _pending_import().pk}, {}
    if kind == "activity_body":
        body = {"kind": "visit", "occurred_at": "2026-06-03T10:00:00Z", "subject": "Visit"}
        return {}, {"account": account.pk, **body}
    if kind == "activity":  # kam1 wrote it: the author may change it, as may a director
        activity = Activity.objects.create(
            account=account,
            kind=ActivityKind.objects.get(code="call"),
            occurred_at=timezone.now(),
            subject="Call about the promotion",
            author=users["kam1"],
        )
        return {"pk": activity.pk}, {}
    if kind == "calendar_token":  # kam1's live feed address
        return {"token": calendar_token_issue(actor=users["kam1"])}, {}
    if kind == "brief_body":
        return {}, {"account": account.pk, "meeting_on": "2026-06-10", "title": "Annual terms"}
    if kind == "brief":
        brief = NegotiationBrief.objects.create(
            account=account, meeting_on=dt.date(2026, 6, 10), title="Annual terms"
        )
        return {"pk": brief.pk}, {}
    if kind in _COMPETITION_RECORDS:
        return _COMPETITION_RECORDS[kind](account)
    if kind in _ALERTS_RECORDS:
        return _ALERTS_RECORDS[kind](account)
    if kind in _COMMITMENTS_RECORDS:
        return _COMMITMENTS_RECORDS[kind](account)
    if kind in _TIMESPLIT_RECORDS:
        return _TIMESPLIT_RECORDS[kind](account)
    if kind in _GROWTH_RECORDS:
        return _GROWTH_RECORDS[kind](account)
    if kind in _SATISFACTION_RECORDS:
        return _SATISFACTION_RECORDS[kind](account)
    if kind in _LOSSES_RECORDS:
        return _LOSSES_RECORDS[kind](account)
    if kind in _WINBACK_RECORDS:
        return _WINBACK_RECORDS[kind](account)
    if kind in _MARKETING_RECORDS:
        return _MARKETING_RECORDS[kind](account)
    if kind in _SELLOUT_RECORDS:
        return _SELLOUT_RECORDS[kind](account, users)
    if kind.startswith("plan"):
        return _plan_target(account, kind)
    if kind in _KEY_ACCOUNT_RECORDS:
        return {"pk": _KEY_ACCOUNT_RECORDS[kind](account, users["director"]).pk}, {}
    if kind == "portrait_section":
        return {"pk": account.pk, "area": "corporate"}, {}
    if kind == "key_figure":
        # get_or_create: the pseudo-locale test asks for it once per page, on one world
        figure, _ = KeyFigure.objects.get_or_create(
            account=account, year=2024, defaults={"employees": 5200}
        )
        return {"pk": figure.pk}, {}
    if kind == "key_figure_body":
        body = {"year": 2023, "turnover": "1250000000.00", "currency": "THB"}
        return {}, {"account": account.pk, **body}
    return {}, {}


def _plan_target(account: Account, kind: str) -> tuple[dict, dict]:
    """An account plan of the target account (or one of its parts), made directly; `…_body`:
    the body creating a part of it. An action's owner is the account's owner."""
    # get_or_create: the pseudo-locale test asks for it once per page, on one world
    plan, _ = AccountPlan.objects.get_or_create(
        account=account, year=2030, defaults={"currency": "USD"}
    )
    objective, _ = PlanObjective.objects.get_or_create(plan=plan, title="Grow the category")
    owner = account.team.get(role="owner").user
    today = timezone.localdate()
    if kind == "plan":
        return {"pk": plan.pk}, {}
    part = kind.removeprefix("plan_").removesuffix("_body")
    if kind.endswith("_body"):
        bodies = {
            "value_proposition": {
                "plan": plan.pk,
                "kind": "cut_cost",
                "description": "Fewer, fuller deliveries",
                "expected_effect": "Lower handling cost in their stores",
            },
            "objective": {"plan": plan.pk, "title": "Win the snack aisle"},
            "action": {
                "objective": objective.pk,
                "title": "Propose a planogram",
                "owner": owner.username,
                "due_date": today.isoformat(),
            },
            "risk": {"plan": plan.pk, "description": "A rival cuts prices", "likelihood": 3},
            "review": {"plan": plan.pk, "held_on": today.isoformat()},
        }
        return {}, bodies[part]
    rows = {
        "objective": lambda: objective,
        "value_proposition": lambda: ValueProposition.objects.create(
            plan=plan, kind="grow_spend", description="Bundles", expected_effect="Bigger baskets"
        ),
        "action": lambda: PlanAction.objects.create(
            objective=objective, title="Call the buyer", owner=owner, due_date=today
        ),
        "risk": lambda: PlanRisk.objects.create(plan=plan, description="Price war"),
        "review": lambda: PlanReview.objects.create(plan=plan, held_on=today),
    }
    return {"pk": rows[part]().pk}, {}


# Key-account records on the target account, made directly (the services are tested apart).
_KEY_ACCOUNT_RECORDS = {
    "decision": lambda account, by: NominationDecision.objects.create(
        account=account, kind="nominate", reason="Strategic", decided_by=by, owner=by
    ),
    "type_assignment": lambda account, by: KeyAccountTypeAssignment.objects.create(
        account=account, type="supporter", reason="A fifth of revenue", set_by=by
    ),
    "three_ps": lambda account, by: ProspectAssessment.objects.create(
        account=account, criterion="need", answer="unknown", assessed_by=by
    ),
    "rating": lambda account, by: QualificationRating.objects.create(
        account=account, criterion="fit", score=4, comment="Good fit", rated_by=by
    ),
    "handover": lambda account, by: Handover.objects.create(
        account=account, to_owner=by, note="Handed over", handed_over_by=by
    ),
}


def _competitor() -> Competitor:
    return Competitor.objects.create(name=f"Rival {Competitor.objects.count() + 1}")


# Competition records on the target account (the services are tested in their apps).
_COMPETITION_RECORDS = {
    "competitor": lambda account: ({"pk": _competitor().pk}, {}),
    "presence": lambda account: (
        {"pk": AccountCompetitor.objects.create(account=account, competitor=_competitor()).pk},
        {},
    ),
    "presence_body": lambda account: ({}, {"account": account.pk, "competitor": _competitor().pk}),
    "tender": lambda account: (
        {"pk": Tender.objects.create(account=account, title="Private label 2027").pk},
        {},
    ),
    "tender_body": lambda account: ({}, {"account": account.pk, "title": "Frozen range 2027"}),
}


# Alerts on the target account (get_or_create: the pseudo-locale test asks once per page).
OVERDUE_EVIDENCE = (  # the `overdue` rule's evidence, a catalogue message
    "No purchase since %(last)s (%(days)s days); it buys about every %(interval)s days and was "
    "expected to order by %(expected)s."
)
_ALERTS_RECORDS = {
    "alert": lambda account: (
        {
            "pk": Alert.objects.get_or_create(
                account=account,
                rule="overdue",
                cause="matrix",
                defaults={
                    "evidence": OVERDUE_EVIDENCE,
                    "params": {
                        "last": "2026-01-31",
                        "days": 90,
                        "interval": 30,
                        "expected": "2026-03-02",
                    },
                    "as_of": timezone.localdate(),
                },
            )[0].pk
        },
        {},
    ),
}


def _account_owner(account: Account):
    return account.team.get(role="owner").user


# Promises on the target account (get_or_create: the pseudo-locale test asks once per page).
_COMMITMENTS_RECORDS = {
    "commitment": lambda account: (
        {
            "pk": Commitment.objects.get_or_create(
                account=account,
                description="Send the new price list",
                defaults={"owner": _account_owner(account), "due_on": dt.date(2030, 1, 31)},
            )[0].pk
        },
        {},
    ),
    "commitment_body": lambda account: (
        {},
        {
            "account": account.pk,
            "description": "Samples of the frozen range",
            "due_on": "2030-02-28",
        },
    ),
    "customer_request": lambda account: (
        {
            "pk": CustomerRequest.objects.get_or_create(
                account=account,
                subject="Quote for the snack range",
                defaults={"owner": _account_owner(account), "kind": "quote"},
            )[0].pk
        },
        {},
    ),
    "customer_request_body": lambda account: (
        {},
        {"account": account.pk, "subject": "Listing of two new items", "kind": "listing"},
    ),
}


def _growth_category() -> ProductCategory:
    return ProductCategory.objects.get_or_create(name="Matrix snacks")[0]


# A growth suggestion and a wallet estimate of the target account (get_or_create: the
# pseudo-locale test asks once a page).
_GROWTH_RECORDS = {
    "opportunity": lambda account: (
        {
            "pk": GrowthOpportunity.objects.get_or_create(
                account=account,
                category=_growth_category(),
                kind="cross_sell",
                defaults={"expected_revenue": Decimal(1200), "as_of": dt.date(2026, 6, 30)},
            )[0].pk
        },
        {},
    ),
    "wallet_estimate": lambda account: (
        {
            "pk": WalletEstimate.objects.get_or_create(
                account=account,
                category=_growth_category(),
                year=2026,
                defaults={"estimated_spend": Decimal(50000)},
            )[0].pk
        },
        {},
    ),
    "wallet_estimate_body": lambda account: (
        {},
        {
            "account": account.pk,
            "category": _growth_category().pk,
            "year": 2027,
            "estimated_spend": "50000.00",
        },
    ),
}

# Survey answers on the target account (get_or_create: the pseudo-locale test asks once a page).
_SATISFACTION_RECORDS = {
    "survey": lambda account: (
        {
            "pk": SurveyResponse.objects.get_or_create(
                account=account,
                answered_on=dt.date(2025, 3, 14),
                comment="Deliveries were late twice",
                defaults={"csat": 3, "nps": 6},
            )[0].pk
        },
        {},
    ),
    "survey_body": lambda account: (
        {},
        {"account": account.pk, "answered_on": "2025-04-01", "nps": 9},
    ),
}

# Loss records on the target account (get_or_create: the pseudo-locale test asks once a page).
_LOSSES_RECORDS = {
    "account_loss": lambda account: (
        {
            "pk": AccountLoss.objects.get_or_create(
                account=account,
                lost_on=dt.date(2026, 3, 2),
                defaults={"reason": "price", "details": "Went to a cheaper supplier"},
            )[0].pk
        },
        {},
    ),
    "account_loss_body": lambda account: (
        {},
        {"account": account.pk, "lost_on": "2026-03-02", "reason": "service"},
    ),
}

# Time entries of the target account's owner: kam1's own (own), kam2's (foreign); no account.
# Sell-out: a month of one store on the target account, and an import by kam1 with a reject.
_SELLOUT_RECORDS = {
    "sellout_account": lambda account, users: (
        {
            "pk": SelloutMonth.objects.get_or_create(
                account=account,
                store="Flagship",
                period=dt.date(2025, 6, 1),
                defaults={"shoppers": 100, "visits": 180, "value": "2500.00"},
            )[0].account_id
        },
        {},
    ),
    "sellout_import": lambda account, users: (
        {
            "pk": SelloutImport.objects.create(
                file_name="sellout.csv",
                created_by=users["kam1"],
                rows_read=1,
                rejected=1,
                rejects_csv="line,reason\n2,no store or channel\n",
            ).pk
        },
        {},
    ),
}

_TIMESPLIT_RECORDS = {
    "time_entry": lambda account: (
        {
            "pk": TimeEntry.objects.get_or_create(
                user=_account_owner(account),
                week=dt.date(2026, 3, 2),
                note="Prospecting calls",
                defaults={"purpose": "new_business", "hours": 3},
            )[0].pk
        },
        {},
    ),
    "time_entry_body": lambda account: (
        {},
        {"week": "2026-03-02", "purpose": "new_business", "hours": "2.5"},
    ),
}


def _matrix_list(kind: str) -> TargetList:
    """A static list (holding the target account) or a list by rule (key accounts)."""
    if kind == "static":
        return TargetList.objects.get_or_create(name="Matrix static list", kind="static")[0]
    return TargetList.objects.get_or_create(
        name="Matrix rule list", kind="rule", defaults={"rule_status": "key"}
    )[0]


def _matrix_programme(account: Account) -> Programme:
    return Programme.objects.get_or_create(
        account=account, name="Matrix programme", defaults={"starts_on": dt.date(2026, 1, 1)}
    )[0]


def _matrix_step(account: Account) -> ProgrammeStep:
    return ProgrammeStep.objects.get_or_create(
        programme=_matrix_programme(account),
        title="Matrix trade show",
        defaults={"kind": "event", "on": dt.date(2026, 1, 15)},
    )[0]


def _matrix_person(account: Account) -> Stakeholder:
    return Stakeholder.objects.get(account=account, name=f"Buyer of {account.name}")


def _matrix_member(account: Account) -> TargetList:
    static = _matrix_list("static")
    TargetListMember.objects.get_or_create(target_list=static, account=account)
    return static


# Target lists, programmes, steps and touches (get_or_create: the pseudo-locale test asks once a
# page); a list is nobody's account, a programme, its steps and touches are the target account's.
_MARKETING_RECORDS = {
    "target_list": lambda account: ({"pk": _matrix_member(account).pk}, {}),
    "rule_list": lambda account: ({"pk": _matrix_list("rule").pk}, {}),
    "list_member": lambda account: (
        {"pk": _matrix_member(account).pk, "account_pk": account.pk},
        {},
    ),
    "static_list_account": lambda account: (
        {"pk": _matrix_list("static").pk},
        {"accounts": [account.pk]},
    ),
    "list_member_body": lambda account: (
        {"pk": _matrix_member(account).pk},
        {"accounts": [account.pk]},
    ),
    "target_list_body": lambda account: ({}, {"name": "Launch list", "kind": "static", "tier": 1}),
    "programme": lambda account: ({"pk": _matrix_programme(account).pk}, {}),
    "programme_body": lambda account: (
        {},
        {"name": "Category launch", "account": account.pk, "starts_on": "2026-02-01"},
    ),
    "step": lambda account: ({"pk": _matrix_step(account).pk}, {}),
    "step_body": lambda account: (
        {},
        {
            "programme": _matrix_programme(account).pk,
            "kind": "content",
            "title": "Category report",
            "on": "2026-03-01",
        },
    ),
    "touch": lambda account: (
        {
            "pk": Touch.objects.get_or_create(
                step=_matrix_step(account),
                stakeholder=_matrix_person(account),
                kind="attended",
                defaults={"on": dt.date(2026, 1, 15)},
            )[0].pk
        },
        {},
    ),
    "touch_body": lambda account: (
        {},
        {
            "step": _matrix_step(account).pk,
            "stakeholder": _matrix_person(account).pk,
            "kind": "opened",
        },
    ),
}


def _marketing_state() -> tuple:
    return (
        sorted(TargetList.objects.values_list("id", "name", "description", "kind")),
        sorted(TargetListMember.objects.values_list("target_list_id", "account_id")),
        sorted(Programme.objects.values_list("id", "objectives")),
        sorted(ProgrammeStep.objects.values_list("id", "notes")),
        sorted(Touch.objects.values_list("id", "kind")),
    )


def _winback_campaign(account: Account) -> Campaign:
    """A campaign of the account's owner for the account (get_or_create: once per page)."""
    campaign, _ = Campaign.objects.get_or_create(
        name=f"Win back {account.name}",
        defaults={
            "offer_kind": "discount",
            "budget": 500,
            "starts_on": dt.date(2026, 3, 1),
            "ends_on": dt.date(2026, 3, 31),
            "owner": _account_owner(account),
        },
    )
    CampaignAccount.objects.get_or_create(campaign=campaign, account=account)
    return campaign


# Win-back campaigns of the target account (its owner's: kam1's for own, kam2's for foreign).
_WINBACK_RECORDS = {
    "campaign": lambda account: ({"pk": _winback_campaign(account).pk}, {}),
    "campaign_target": lambda account: (
        {"pk": _winback_campaign(account).targets.get(account=account).pk},
        {},
    ),
    "campaign_body": lambda account: (
        {},
        {
            "name": "Come back",
            "offer_kind": "gift",
            "starts_on": "2026-07-01",
            "ends_on": "2026-07-31",
            "accounts": [account.pk],
        },
    ),
}


def _winback_state() -> tuple:
    return (
        sorted(Campaign.objects.values_list("id", "name", "offer_description", "measured_at")),
        sorted(CampaignAccount.objects.values_list("id", "status", "offer_cost", "measured_at")),
    )


def _pending_import() -> ImportBatch:
    """A small uploaded file, waiting to be started (own/foreign: no difference)."""
    path = Path(settings.DATA_DIR) / "matrix-import.csv"
    path.write_text("Invoice No,Invoice Date,Customer No,Net Amount\nINV-1,2024-01-15,C-1,10.00\n")
    return batch_prepare(actor=None, path=path)


def _state() -> tuple:
    return (
        ChangeLogEntry.objects.count(),
        Account.objects.count(),
        Stakeholder.objects.count(),
        Department.objects.count(),
        AccountTeamMember.objects.count(),
        sorted(Account.objects.values_list("id", "name", "status", "description", "updated_at")),
        sorted(Stakeholder.objects.values_list("id", "account_id", "job_title", "phone")),
        sorted(ImportBatch.objects.values_list("id", "status", "updated_at")),
        ColumnMapping.objects.count(),
        Competitor.objects.count(),
        AccountCompetitor.objects.count(),
        sorted(AccountCompetitor.objects.values_list("id", "threat_level")),
        sorted(Tender.objects.values_list("id", "title", "notes")),
        sorted(TimeEntry.objects.values_list("id", "hours", "note")),
        sorted(Commitment.objects.values_list("id", "status", "notes")),
        sorted(CustomerRequest.objects.values_list("id", "details", "first_answered_at")),
        sorted(SurveyResponse.objects.values_list("id", "comment", "nps")),
        *_marketing_state(),
        *_winback_state(),
        sorted(KeyFigure.objects.values_list("id", "year", "source")),
        sorted(PortraitSection.objects.values_list("id", "area", "text")),
        sorted(AccountProfile.objects.values_list("id", "sites")),
        sorted(NegotiationBrief.objects.values_list("id", "title", "questions")),
        sorted(Alert.objects.values_list("id", "status", "snoozed_until", "resolved_note")),
        AlertSettings.objects.count(),
        *(
            model.objects.count()
            for model in (
                NominationDecision,
                KeyAccountTypeAssignment,
                ProspectAssessment,
                QualificationRating,
                QualificationWeights,
                Handover,
            )
        ),
    )


def _client_for(client, users, role):
    if role != "anonymous":
        client.force_login(users[role])
    return client


CASES = [
    (name, role, ownership)
    for name in HTML_RULES
    for role in ROLES
    for ownership in (OWNERSHIP if HTML_RULES[name].kwargs else ["own"])
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "ownership"), CASES)
def test_html_route(client, users, world, name, role, ownership):
    rule = HTML_RULES[name]
    kwargs, _ = _target(world, users, ownership, rule.kwargs)
    client = _client_for(client, users, role)
    before = _state()
    response = getattr(client, rule.method)(reverse(name, kwargs=kwargs))
    expected = rule.code(role, ownership)
    assert response.status_code == expected, f"{name} as {role} ({ownership})"
    if rule.method == "get" or expected >= 400:
        assert _state() == before
    if (
        role == "anonymous"
        and expected == 302
        and name not in ("home", "logout", "users:set_language")
    ):
        assert response["Location"].startswith(reverse("login"))


WRITE_CASES = [
    (name, role, ownership)
    for name in HTML_WRITES
    for role in ROLES
    for ownership in (OWNERSHIP if HTML_RULES[name].kwargs else ["own"])
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role", "ownership"), WRITE_CASES)
def test_html_write(client, users, world, name, role, ownership):
    """Posting an empty form: refused (403/404, nothing changed) or let through to validation
    (400) — deletes, which need no data, go through (302)."""
    rule = HTML_RULES[name]
    kwargs, _ = _target(world, users, ownership, rule.kwargs)
    client = _client_for(client, users, role)
    before = _state()
    response = client.post(reverse(name, kwargs=kwargs), {})
    expected = Rule("post", HTML_WRITES[name]).code(role, ownership)
    if role == "anonymous":
        expected = 302
    assert response.status_code == expected, f"POST {name} as {role} ({ownership})"
    if expected != 302 or role == "anonymous":
        assert _state() == before


API_CASES = [
    (name, index, role, ownership)
    for name, rules in API_RULES.items()
    for index, rule in enumerate(rules)
    for role in ROLES
    for ownership in (OWNERSHIP if rule.kwargs else ["own"])
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role", "ownership"), API_CASES)
def test_api_route(client, users, world, name, index, role, ownership):
    rule = API_RULES[name][index]
    kwargs, body = _target(world, users, ownership, rule.kwargs)
    client = _client_for(client, users, role)
    before = _state()
    response = (
        getattr(client, rule.method)(
            reverse(name, kwargs=kwargs),
            data={**body, **rule.data},
            content_type="application/json",
        )
        if rule.method != "get"
        else client.get(reverse(name, kwargs=kwargs))
    )
    expected = rule.code(role, ownership)
    assert response.status_code == expected, (
        f"{rule.method.upper()} {name} as {role} ({ownership}): {response.content[:300]!r}"
    )
    if not rule.writes or expected >= 400:
        assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("kam1", 302),
        ("marketing", 302),
        ("viewer", 302),
        ("director", 200),
        ("admin", 200),
    ],
)
def test_admin_is_for_directors_and_administrators(client, users, world, role, expected):
    client = _client_for(client, users, role)
    assert client.get(reverse("admin:accounts_account_changelist")).status_code == expected


def test_every_api_method_has_a_rule():
    """A new method on an existing endpoint needs a rule too (PUT is tested through PATCH)."""
    resolver = get_resolver()
    for name, rules in API_RULES.items():
        match = resolver.resolve(reverse(name, kwargs=_fake_kwargs(name)))
        actions = getattr(match.func, "actions", None)
        methods = (
            set(actions)
            if actions
            else {
                m for m in ("get", "post", "patch", "delete") if hasattr(match.func.view_class, m)
            }
        )
        covered = {rule.method for rule in rules} | {"put", "head", "options"}
        assert methods <= covered, f"{name}: no rule for {sorted(methods - covered)}"


def _fake_kwargs(name: str) -> dict:
    return (
        {"pk": 1}
        if name.endswith(
            (
                "-detail",
                "-history",
                "-move",
                "-start",
                "-rejects",
                "-scorecard",
                "-org-chart",
                "-coverage",
                "-departures",
                "-leave",
                "-portrait",
                "-dossier",
                "-timeline",
                "account-health",
                "-acknowledge",
                "-snooze",
                "-resolve",
                "-accept",
                "-dismiss",
                "-members",
                "-freeze",
                "-vcard",
                "-engagement",
                "-decomposition",
                "campaign-accounts",
            )
        )
        else {}
    )
