from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.filters import AccountFilterSet
from openkam.accounts.models import Account, AccountStatus
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form
from openkam.metrics import selectors as metrics_selectors

from . import selectors, services
from .filters import NominationFilterSet
from .forms import (
    DenominationForm,
    NominationForm,
    RatingsForm,
    ReassignForm,
    ThreePsForm,
    TypeForm,
    WeightsForm,
)
from .models import (
    SCORECARD_CRITERIA,
    Answer,
    KeyAccountType,
    NominationDecision,
    ProspectCriterion,
    RatedCriterion,
)
from .scorecard import DATA_CRITERIA, QUALIFYING_SCORE

WORKLOAD_PERMISSION = "keyaccounts.view_workload"


def _account(request, pk: int, permission: str | None = None) -> Account:
    """The account with its owner and team: 404 when the user cannot see it; 403 when they see
    it but may not do what `permission` allows on it."""
    account = account_selectors.account_detail(user=request.user, pk=pk)
    if account is None:
        raise Http404
    if permission is not None and not services.may(request.user, permission, account):
        raise PermissionDenied
    return account


def _to_account(account: Account):
    return redirect(reverse("keyaccounts:account", args=[account.pk]))


def _permissions(user, account: Account) -> dict[str, bool]:
    """What the user may do on the account here: `services.may` for each action, with the
    account's change scope looked up once."""
    changeable = account_selectors.account_may(user, account, "change")

    def can(permission: str) -> bool:
        return changeable and services.may(user, permission)

    is_key = account.status == AccountStatus.KEY
    nominate = can(services.NOMINATE_PERMISSION)
    return {
        "can_nominate": nominate and account.status in selectors.CANDIDATE_STATUSES,
        "can_denominate": nominate and is_key,
        "can_reassign": is_key and can(services.REASSIGN_PERMISSION),
        "can_set_type": can(services.TYPE_PERMISSION),
        "can_record_three_ps": can(services.THREE_PS_PERMISSION),
        "can_rate": can(services.RATE_PERMISSION),
    }


def _summary(
    user, account: Account, weights=None, history: selectors.KeyAccountHistory | None = None
) -> dict:
    """What the account page and its panel show: the current type and the type the data
    suggest, answers, ratings and the qualification scorecard."""
    state = selectors.key_account_state(user=user, account=account, history=history)
    three_ps, ratings = state.three_ps, state.ratings
    snapshot = metrics_selectors.snapshot_for()
    return {
        "account": account,
        "current_type": state.type,
        "suggestion": selectors.suggested_type(account=account, snapshot=snapshot),
        "answers": {c: row.answer if row else None for c, row in three_ps.items()},
        "any_answer": any(three_ps.values()),
        "three_ps_passed": selectors.three_ps_passed(three_ps),
        "ratings": [(RatedCriterion(c).label, row) for c, row in ratings.items()],
        "scorecard": selectors.scorecard(
            account=account, snapshot=snapshot, ratings=ratings, three_ps=three_ps, weights=weights
        ),
        "latest_decision": state.latest_decision,
        "latest_handover": state.latest_handover,
        **_permissions(user, account),
    }


class KeyAccountView(Login, View):
    """The account's "Key account" tab: nomination, type, three P's, ratings, handovers."""

    def get(self, request, pk: int):
        account = _account(request, pk)
        user = request.user
        weights = selectors.current_weights()
        history = selectors.KeyAccountHistory.of(user=user, account=account)
        context = {
            **_summary(user, account, weights, history),
            "tab": "keyaccount",
            "can_change": account_selectors.account_may(user, account, "change"),
            "can_delete": account_selectors.account_may(user, account, "delete"),
            "decisions": history.decisions,
            "handovers": history.handovers,
            "type_history": history.types[: selectors.HISTORY_SHOWN],
            "three_ps_history": history.three_ps[: selectors.HISTORY_SHOWN],
            "rating_history": history.ratings[: selectors.HISTORY_SHOWN],
            "weights": _weights_rows(weights),
        }
        return render(request, "keyaccounts/account_key.html", context)


class KeyAccountPanelView(Login, View):
    """The summary panel on the account's overview, loaded by HTMX after the page."""

    def get(self, request, pk: int):
        account = _account(request, pk)
        return render(request, "keyaccounts/_account_panel.html", _summary(request.user, account))


# -- Lists ----------------------------------------------------------------------------------


def _render_list(request, *, template: str, partial: str, context: dict):
    return render(request, partial if request.htmx else template, context)


CANDIDATE_HEADERS = [
    gettext_lazy("Name"),
    gettext_lazy("External id"),
    gettext_lazy("Status"),
    gettext_lazy("Country"),
    gettext_lazy("Industry"),
    gettext_lazy("Segment"),
    gettext_lazy("Owner"),
    gettext_lazy("Type"),
    *[ProspectCriterion(c).label for c in ProspectCriterion.values],
    Column(gettext_lazy("P's passed"), Kind.INTEGER),
    *[RatedCriterion(c).label for c in RatedCriterion.values],
    gettext_lazy("Repurchase frequency"),
    gettext_lazy("Volume"),
    gettext_lazy("Price discipline"),
    Column(gettext_lazy("Score (0–5)"), Kind.DECIMAL),
    gettext_lazy("Qualifies"),
    gettext_lazy("Suggested type"),
]


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def _candidate_row(account: Account) -> list:
    candidate = account.candidate
    return [
        account.name,
        account.external_id,
        account.get_status_display(),
        account.country.name if account.country else "",
        account.industry,
        str(account.segment or ""),
        account.owner_username or "",
        _label(KeyAccountType, account.current_type),
        *[_label(Answer, getattr(account, f"p_{c}")) for c in ProspectCriterion.values],
        account.ps_passed,
        *[getattr(account, f"r_{c}") for c in RatedCriterion.values],
        *[candidate.data.get(c) for c in DATA_CRITERIA],
        round(candidate.score, 2),
        candidate.qualifies,
        str(candidate.suggestion.type.label) if candidate.suggestion else "",
    ]


def _ranked_accounts(accounts, ranked, chunk: int = 1000):
    for start in range(0, len(ranked), chunk):
        yield from selectors.candidates_page(accounts, ranked[start : start + chunk])


class CandidateListView(Login, View):
    """Candidates ranked by the qualification scorecard (see `scorecard.py`)."""

    def get(self, request):
        filterset = AccountFilterSet(
            request.GET, queryset=selectors.candidate_list(user=request.user), request=request
        )
        accounts = filterset.qs if filterset.is_valid() else Account.objects.none()
        ranked = selectors.rank_candidates(accounts)
        if request.GET.get("qualifies"):
            ranked = [c for c in ranked if c.qualifies]
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="key-account-candidates",
                title=_("Candidates"),
                headers=CANDIDATE_HEADERS,
                rows=(_candidate_row(a) for a in _ranked_accounts(accounts, ranked)),
            )
        page = paginate(request, ranked)
        page.object_list = selectors.candidates_page(accounts, list(page.object_list))
        context = {
            "filter": filterset,
            "page": page,
            "subnav": "candidates",
            "can_nominate": services.may(request.user, services.NOMINATE_PERMISSION),
            "criteria": ProspectCriterion.choices,
            "qualifying_score": QUALIFYING_SCORE,
            "only_qualifying": bool(request.GET.get("qualifies")),
        }
        return _render_list(
            request,
            template="keyaccounts/candidate_list.html",
            partial="keyaccounts/_candidate_table.html",
            context=context,
        )


NOMINATION_HEADERS = [
    Column(gettext_lazy("Decided on"), Kind.DATE),
    gettext_lazy("Account"),
    gettext_lazy("External id"),
    gettext_lazy("Decision"),
    gettext_lazy("Owner"),
    gettext_lazy("Reason"),
    gettext_lazy("Decided by"),
    gettext_lazy("Status before"),
    gettext_lazy("Over capacity"),
]


def _nomination_row(decision: NominationDecision) -> list:
    return [
        decision.decided_on,
        decision.account.name,
        decision.account.external_id,
        decision.get_kind_display(),
        decision.owner.get_username() if decision.owner else "",
        decision.reason,
        decision.decided_by.get_username(),
        decision.get_previous_status_display(),
        decision.capacity_override,
    ]


class NominationListView(Login, View):
    def get(self, request):
        filterset = NominationFilterSet(
            request.GET, queryset=selectors.nomination_list(user=request.user), request=request
        )
        decisions = filterset.qs if filterset.is_valid() else NominationDecision.objects.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="key-account-decisions",
                title=_("Nominations"),
                headers=NOMINATION_HEADERS,
                rows=(_nomination_row(d) for d in decisions.iterator(chunk_size=1000)),
            )
        context = {
            "filter": filterset,
            "page": paginate(request, decisions),
            "subnav": "nominations",
        }
        return _render_list(
            request,
            template="keyaccounts/nomination_list.html",
            partial="keyaccounts/_nomination_table.html",
            context=context,
        )


WORKLOAD_HEADERS = [
    gettext_lazy("Manager"),
    gettext_lazy("Name"),
    Column(gettext_lazy("Key accounts"), Kind.INTEGER),
    Column(gettext_lazy("Maximum"), Kind.INTEGER),
    Column(gettext_lazy("Headroom"), Kind.INTEGER),
    gettext_lazy("Over capacity"),
    Column(gettext_lazy("Other accounts owned"), Kind.INTEGER),
    gettext_lazy("Key accounts owned"),
    Column(gettext_lazy("Revenue, 12 months (accounts owned)"), Kind.MONEY),
    Column(gettext_lazy("Growth on the 12 months before"), Kind.PERCENT),
    Column(gettext_lazy("Retention rate"), Kind.PERCENT),
    Column(gettext_lazy("Revenue covered (key accounts)"), Kind.MONEY),
]


def _workload_row(row: selectors.WorkloadRow) -> list:
    capacity = row.capacity
    return [
        row.user.get_username(),
        row.user.get_full_name(),
        row.key_count,
        capacity.maximum,
        capacity.headroom,
        capacity.over,
        row.other_accounts,
        "; ".join(a.name for a in row.key_accounts),
        *(
            [figures.revenue, figures.growth, figures.retention_rate, figures.revenue_covered]
            if (figures := row.figures)
            else [None] * 4
        ),
    ]


class WorkloadView(Login, View):
    """Every manager's key accounts against what they can serve, with reassignment."""

    def get(self, request):
        require_perm(request, WORKLOAD_PERMISSION)
        rows = selectors.workload(user=request.user)
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="key-account-workload",
                title=_("Workload"),
                headers=WORKLOAD_HEADERS,
                rows=(_workload_row(r) for r in rows),
            )
        context = {
            "rows": rows,
            "as_of": next((r.figures.as_of for r in rows if r.figures), None),
            "over": [r for r in rows if r.capacity.over],
            "subnav": "workload",
            "can_reassign": services.may(request.user, services.REASSIGN_PERMISSION),
        }
        return render(request, "keyaccounts/workload.html", context)


def _weights_rows(weights) -> list[tuple[str, int, float]]:
    shares = weights.shares()
    return [
        (label, getattr(weights, name), shares[name]) for name, label in SCORECARD_CRITERIA.items()
    ]


class WeightsView(Login, View):
    """The scorecard weights in force, their history and, for directors, the form to change
    them."""

    def _render(self, request, form, status=200):
        current = selectors.current_weights()
        context = {
            "current": current,
            "rows": _weights_rows(current),
            "history": selectors.weights_history()[:20],
            "form": form,
            "subnav": "weights",
        }
        return render(request, "keyaccounts/weights.html", context, status=status)

    def get(self, request):
        require_perm(request, "keyaccounts.view_qualificationweights")
        form = None
        if services.may(request.user, services.WEIGHTS_PERMISSION):
            current = selectors.current_weights()
            form = WeightsForm(initial={**current.as_dict(), "note": ""})
        return self._render(request, form)

    def post(self, request):
        require_perm(request, services.WEIGHTS_PERMISSION)
        form = WeightsForm(request.POST)
        if form.is_valid():
            try:
                services.qualification_weights_set(
                    actor=request.user, weights=form.weights(), note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Weights saved."))
                return redirect("keyaccounts:weights")
        return self._render(request, form, status=400)


# -- Forms on one account ------------------------------------------------------------------


class _AccountFormView(Login, View):
    """GET shows the form, POST calls the service; errors come back next to the fields."""

    permission: str = ""
    template = "keyaccounts/account_form.html"
    heading = ""
    intro = ""
    submit = gettext_lazy("Save")
    done = gettext_lazy("Saved.")

    def make_form(self, request, account: Account, data=None):
        raise NotImplementedError

    def call_service(self, request, account: Account, form) -> None:
        raise NotImplementedError

    def extra_context(self, request, account: Account) -> dict:
        return {}

    def _render(self, request, account, form, status=200):
        context = {
            "account": account,
            "form": form,
            "heading": self.heading,
            "intro": self.intro,
            "submit": self.submit,
            **self.extra_context(request, account),
        }
        return render(request, self.template, context, status=status)

    def get(self, request, pk: int):
        account = _account(request, pk, self.permission)
        return self._render(request, account, self.make_form(request, account))

    def post(self, request, pk: int):
        account = _account(request, pk, self.permission)
        form = self.make_form(request, account, request.POST)
        if form.is_valid():
            try:
                self.call_service(request, account, form)
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, self.done)
                return _to_account(account)
        return self._render(request, account, form, status=400)


def _capacity_context(request) -> dict:
    if not request.user.has_perm(WORKLOAD_PERMISSION):
        return {}
    return {"workload": selectors.workload(user=request.user)}


class NominateView(_AccountFormView):
    permission = services.NOMINATE_PERMISSION
    template = "keyaccounts/nominate_form.html"
    heading = gettext_lazy("Nominate as a key account")
    submit = gettext_lazy("Nominate")
    done = gettext_lazy("Nominated: it is now a key account.")

    def make_form(self, request, account, data=None):
        return NominationForm(data, account=account)

    def call_service(self, request, account, form) -> None:
        services.account_nominate(actor=request.user, account=account, **form.service_kwargs())

    def extra_context(self, request, account) -> dict:
        return {
            **_capacity_context(request),
            "blocked": account.status not in selectors.CANDIDATE_STATUSES,
        }


class DenominateView(_AccountFormView):
    permission = services.NOMINATE_PERMISSION
    template = "keyaccounts/denominate_form.html"
    heading = gettext_lazy("De-nominate")
    submit = gettext_lazy("De-nominate")
    done = gettext_lazy("De-nominated: the account is active again, its team unchanged.")

    def make_form(self, request, account, data=None):
        return DenominationForm(data)

    def call_service(self, request, account, form) -> None:
        services.account_denominate(actor=request.user, account=account, **form.cleaned_data)

    def extra_context(self, request, account) -> dict:
        return {"blocked": account.status != AccountStatus.KEY}


class ReassignView(_AccountFormView):
    permission = services.REASSIGN_PERMISSION
    template = "keyaccounts/reassign_form.html"
    heading = gettext_lazy("Hand over to another manager")
    submit = gettext_lazy("Reassign")
    done = gettext_lazy("Reassigned; the handover note is kept in the account's history.")

    def make_form(self, request, account, data=None):
        return ReassignForm(data, account=account)

    def call_service(self, request, account, form) -> None:
        services.account_reassign(actor=request.user, account=account, **form.cleaned_data)

    def extra_context(self, request, account) -> dict:
        return {
            **_capacity_context(request),
            "blocked": account.status != AccountStatus.KEY,
        }


class TypeView(_AccountFormView):
    permission = services.TYPE_PERMISSION
    heading = gettext_lazy("Key-account type")
    intro = gettext_lazy(
        "Supporter: brings a tenth of revenue or more over a long relationship. Prospective: new, "
        "with a large budget, may be won from competitors. Image-maker: a well-known name, "
        "leader of its industry or region. Expert: demanding on quality and service, knows the "
        "market."
    )
    done = gettext_lazy("Type recorded.")

    def make_form(self, request, account, data=None):
        current = selectors.current_type(account=account)
        initial = {"type": current.type} if current else {}
        return TypeForm(data, initial=initial)

    def call_service(self, request, account, form) -> None:
        services.account_type_set(actor=request.user, account=account, **form.cleaned_data)

    def extra_context(self, request, account) -> dict:
        return {"suggestion": selectors.suggested_type(account=account)}


class ThreePsView(_AccountFormView):
    permission = services.THREE_PS_PERMISSION
    template = "keyaccounts/criteria_form.html"
    heading = gettext_lazy("The three P's")
    intro = gettext_lazy(
        "A prospect is worth pursuing when it has a need for the offer, the solvency to pay "
        "and the authority to decide. Say what each answer rests on."
    )
    done = gettext_lazy("Answers recorded.")

    def make_form(self, request, account, data=None):
        return ThreePsForm(data, current=selectors.current_three_ps(account=account))

    def call_service(self, request, account, form) -> None:
        services.account_three_ps_record(
            actor=request.user, account=account, answers=form.changed_criteria()
        )


class RatingsView(_AccountFormView):
    permission = services.RATE_PERMISSION
    template = "keyaccounts/criteria_form.html"
    heading = gettext_lazy("Qualification ratings")
    intro = gettext_lazy(
        "Rate what only the team can judge, from 1 (poor) to 5 (excellent), with a comment. "
        "Repurchase frequency, volume and price discipline come from the sales data."
    )
    done = gettext_lazy("Ratings recorded.")

    def make_form(self, request, account, data=None):
        return RatingsForm(data, current=selectors.current_ratings(account=account))

    def call_service(self, request, account, form) -> None:
        services.account_rate(actor=request.user, account=account, ratings=form.changed_criteria())
