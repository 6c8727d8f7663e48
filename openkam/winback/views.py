from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views import View

from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form
from openkam.losses.models import LossReason
from openkam.metrics.models import AccountMetrics
from openkam.metrics.selectors import snapshot_for

from . import charts, selectors, services
from .filters import WinBackFilterSet
from .forms import (
    CampaignAddForm,
    CampaignForm,
    CampaignStartForm,
    StepForm,
    TargetForm,
    open_campaigns,
)
from .models import Campaign, CampaignAccount, CampaignStep, ContactStatus
from .tasks import measure_campaigns

EXPORT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Country")),
    Column(gettext_lazy("Segment")),
    Column(gettext_lazy("State")),
    Column(gettext_lazy("Lost since"), Kind.DATE),
    Column(gettext_lazy("Days since lost"), Kind.INTEGER),
    Column(gettext_lazy("Last purchase"), Kind.DATE),
    Column(gettext_lazy("Revenue before the loss"), Kind.MONEY),
    Column(gettext_lazy("Revenue at stake"), Kind.MONEY),
    Column(gettext_lazy("Margin at stake"), Kind.MONEY),
    Column(gettext_lazy("Expected value (model)"), Kind.MONEY),
    Column(gettext_lazy("Reason")),
    Column(gettext_lazy("Went to")),
    Column(gettext_lazy("Stakeholders still there"), Kind.INTEGER),
    Column(gettext_lazy("Strongest relationship"), Kind.INTEGER),
    Column(gettext_lazy("Last contact"), Kind.DATE),
    Column(gettext_lazy("Key account")),
    Column(gettext_lazy("Latest campaign")),
]


def _export_row(row: AccountMetrics, as_of, reasons: dict) -> list:
    return [
        row.account.name,
        row.owner_username or "",
        str(row.account.country.name) if row.account.country else "",
        str(row.account.segment) if row.account.segment_id else "",
        _("Lost") if row.lost else _("Shrinking"),
        row.lost_since,
        selectors.days_lost(row, as_of),
        row.last_purchase,
        row.revenue_before_loss,
        row.revenue_at_stake,
        row.margin_at_stake,
        round(row.clv, 2) if row.clv is not None else None,
        reasons.get(row.loss_reason, ""),
        row.competitor_name or "",
        row.people_left,
        row.strongest,
        row.last_contact.date() if row.last_contact else None,
        pgettext("answer", "yes") if row.is_key else pgettext("answer", "no"),
        row.latest_campaign_name or "",
    ]


class WinBackListView(Login, View):
    """Lost and shrinking accounts, ranked by what winning them back is worth; choose some and
    start a campaign for them."""

    def get(self, request):
        snapshot = snapshot_for()
        rows = selectors.win_back_list(user=request.user, snapshot=snapshot)
        filterset = WinBackFilterSet(request.GET, queryset=rows, request=request)
        shown = filterset.qs if filterset.is_valid() else AccountMetrics.objects.none()
        as_of = snapshot.as_of if snapshot else None
        wanted = export_format(request)
        if wanted:
            reasons = dict(LossReason.choices)
            return export_response(
                format=wanted,
                filename="win-back",
                title=_("Win back"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(r, as_of, reasons) for r in shown.iterator(chunk_size=1000)),
            )
        page = paginate(request, shown)
        reasons = dict(LossReason.choices)
        for row in page.object_list:
            row.days_lost = selectors.days_lost(row, as_of)
            row.reason_label = reasons.get(row.loss_reason, row.loss_reason)
        context = {
            "filter": filterset,
            "snapshot": snapshot,
            "page": page,
            "currency": settings.REPORTING_CURRENCY,
            "can_start": services.may_start(request.user),
            "open_campaigns": _open_campaigns(request),
            "chosen_campaign": request.GET.get("campaign", ""),
            "filtered": any(
                v for k, v in request.GET.items() if k not in ("page", "order", "campaign")
            ),
        }
        template = "winback/_results.html" if request.htmx else "winback/winback_list.html"
        return render(request, template, context)


class CampaignListView(Login, View):
    """Every campaign the user may see with its results, and the results per offer kind."""

    def get(self, request):
        campaigns = selectors.campaign_list(user=request.user)
        page = paginate(request, campaigns)
        results = selectors.results_by_campaign(
            user=request.user, campaigns=campaigns.filter(pk__in=[c.pk for c in page])
        )
        for campaign in page:
            campaign.results = results.get(campaign.pk) or selectors.Results()
        by_kind = selectors.results_by_offer_kind(user=request.user)
        context = {
            "page": page,
            "by_kind": by_kind,
            "chart": charts.offer_kinds(by_kind) if by_kind else "",
            "currency": settings.REPORTING_CURRENCY,
            "can_start": services.may_start(request.user),
        }
        return render(request, "winback/campaign_list.html", context)


def _start_allowed(request) -> None:
    if not services.may_start(request.user):
        raise PermissionDenied


class CampaignCreateView(Login, View):
    def get(self, request):
        _start_allowed(request)
        form = CampaignStartForm(user=request.user, initial={"accounts": _chosen(request)})
        return render(request, "winback/campaign_form.html", {"form": form, "start": True})

    def post(self, request):
        _start_allowed(request)
        form = CampaignStartForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    actor=request.user,
                    data=form.service_data(),
                    accounts=list(form.cleaned_data["accounts"]),
                    offer_cost=form.cleaned_data["offer_cost"],
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                transaction.on_commit(lambda: measure_campaigns.enqueue(campaign.pk))
                messages.success(request, _("Campaign started."))
                return redirect(campaign)
        context = {"form": form, "start": True}
        return render(request, "winback/campaign_form.html", context, status=400)


def _open_campaigns(request) -> list[Campaign]:
    if not services.holds(request.user, "winback.add_campaignaccount"):
        return []
    return list(open_campaigns(request.user)[:50])


def _add_allowed(request) -> None:
    if not services.holds(request.user, "winback.add_campaignaccount"):
        raise PermissionDenied


class CampaignAddAccountsView(Login, View):
    """Put the accounts chosen on the win-back list in a running campaign."""

    template = "winback/campaign_add_form.html"

    def get(self, request):
        _add_allowed(request)
        initial = {"accounts": _chosen(request), "campaign": request.GET.get("campaign")}
        form = CampaignAddForm(user=request.user, initial=initial)
        return render(request, self.template, {"form": form})

    def post(self, request):
        _add_allowed(request)
        form = CampaignAddForm(request.POST, user=request.user)
        if form.is_valid():
            campaign = form.cleaned_data["campaign"]
            accounts = list(form.cleaned_data["accounts"])
            try:
                services.campaign_accounts_add(
                    actor=request.user,
                    campaign=campaign,
                    accounts=accounts,
                    offer_cost=form.cleaned_data["offer_cost"],
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                campaign_id = campaign.pk
                transaction.on_commit(lambda: measure_campaigns.enqueue(campaign_id))
                messages.success(
                    request,
                    ngettext(
                        "%(n)d account added to the campaign.",
                        "%(n)d accounts added to the campaign.",
                        len(accounts),
                    )
                    % {"n": len(accounts)},
                )
                return redirect(campaign)
        return render(request, self.template, {"form": form}, status=400)


def _chosen(request) -> list[int]:
    return [int(v) for v in request.GET.getlist("account") if v.isdigit() and len(v) < 19]


def _campaign(request, pk: int, action: str = "view") -> Campaign:
    campaign = get_object_or_404(selectors.campaign_list(user=request.user), pk=pk)
    if action != "view" and not services.may_manage(request.user, campaign, action):
        raise PermissionDenied
    return campaign


class CampaignDetailView(Login, View):
    def get(self, request, pk: int):
        campaign = _campaign(request, pk)
        targets = selectors.campaign_targets(user=request.user, campaign=campaign)
        page = paginate(request, targets)
        results = (
            selectors.results_by_campaign(
                user=request.user, campaigns=Campaign.objects.filter(pk=campaign.pk)
            ).get(campaign.pk)
            or selectors.Results()
        )
        steps = {}
        for target in page:
            steps[target.pk] = []
        for step in (
            CampaignStep.objects.filter(campaign_account_id__in=list(steps))
            .select_related("activity", "activity__kind")
            .order_by("activity__occurred_at", "id")
        ):
            steps[step.campaign_account_id].append(step.activity)
        for target in page:
            target.contact_steps = steps[target.pk]
            target.may_work = services.may_target(request.user, target.account, "change")
        context = {
            "campaign": campaign,
            "page": page,
            "results": results,
            "statuses": ContactStatus.choices,
            "currency": settings.REPORTING_CURRENCY,
            "can_manage": services.may_manage(request.user, campaign),
            "can_delete": services.may_manage(request.user, campaign, "delete"),
            "can_add": campaign.ends_on >= timezone.localdate()
            and services.holds(request.user, "winback.add_campaignaccount")
            and services.may_manage(request.user, campaign),
            "can_measure": services.holds(request.user, "winback.change_campaignaccount"),
        }
        return render(request, "winback/campaign_detail.html", context)


class CampaignUpdateView(Login, View):
    def get(self, request, pk: int):
        campaign = _campaign(request, pk, "change")
        form = CampaignForm(instance=campaign)
        return render(request, "winback/campaign_form.html", {"form": form, "campaign": campaign})

    def post(self, request, pk: int):
        campaign = _campaign(request, pk, "change")
        form = CampaignForm(request.POST, instance=campaign)
        if form.is_valid():
            try:
                fresh = Campaign.objects.get(pk=campaign.pk)
                with transaction.atomic():
                    services.campaign_update(
                        actor=request.user, campaign=fresh, data=form.service_data()
                    )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Campaign saved."))
                return redirect(fresh)
        context = {"form": form, "campaign": campaign}
        return render(request, "winback/campaign_form.html", context, status=400)


class CampaignDeleteView(Login, View):
    def get(self, request, pk: int):
        campaign = _campaign(request, pk, "delete")
        return render(request, "winback/campaign_confirm_delete.html", {"campaign": campaign})

    def post(self, request, pk: int):
        campaign = _campaign(request, pk, "delete")
        services.campaign_delete(actor=request.user, campaign=campaign)
        messages.success(request, _("Campaign deleted."))
        return redirect("winback:campaigns")


class CampaignMeasureView(Login, View):
    """Measure the campaign's outcome again now (in the background)."""

    def post(self, request, pk: int):
        campaign = _campaign(request, pk)
        if not services.holds(request.user, "winback.change_campaignaccount"):
            raise PermissionDenied
        campaign_id = campaign.pk
        transaction.on_commit(lambda: measure_campaigns.enqueue(campaign_id))
        messages.success(
            request, _("The outcome is being measured from the sales history; reload in a moment.")
        )
        return redirect(campaign)


def _target(request, pk: int, action: str = "change") -> CampaignAccount:
    target = get_object_or_404(
        CampaignAccount.objects.visible_to(request.user).select_related("campaign", "account"),
        pk=pk,
    )
    if not services.may_target(request.user, target.account, action):
        raise PermissionDenied
    return target


class TargetUpdateView(Login, View):
    """The account's status in the campaign and the cost of its offer (one-line form)."""

    def post(self, request, pk: int):
        target = _target(request, pk)
        form = TargetForm(request.POST, instance=CampaignAccount.objects.get(pk=target.pk))
        if form.is_valid():
            try:
                services.target_update(
                    actor=request.user,
                    target=CampaignAccount.objects.select_related("campaign", "account").get(
                        pk=target.pk
                    ),
                    data={name: form.cleaned_data[name] for name in services.TARGET_FIELDS},
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(target.campaign)
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        context = {"form": form, "target": target}
        return render(request, "winback/target_form.html", context, status=400)


class StepCreateView(Login, View):
    """Log a contact step of a campaign account: an activity of the account."""

    def _allowed(self, request, pk: int) -> CampaignAccount:
        target = _target(request, pk)
        if not services.holds(request.user, "winback.add_campaignstep"):
            raise PermissionDenied
        return target

    def get(self, request, pk: int):
        target = self._allowed(request, pk)
        return render(request, "winback/step_form.html", {"form": StepForm(), "target": target})

    def post(self, request, pk: int):
        target = self._allowed(request, pk)
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                services.step_log(actor=request.user, target=target, data=form.service_data())
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Contact step logged."))
                return redirect(target.campaign)
        context = {"form": form, "target": target}
        return render(request, "winback/step_form.html", context, status=400)
