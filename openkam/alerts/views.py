from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts import selectors as account_selectors
from openkam.accounts.models import Account
from openkam.core.changelog import readable_changes
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.models import ChangeLogEntry
from openkam.core.views import Login, paginate, require_perm, service_errors_to_form

from . import display, selectors, services
from .filters import AWAKE, AlertFilterSet
from .forms import PlaybookForm, ResolveForm, RuleSettingsForm, SnoozeForm
from .models import Alert

EXPORT_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Rule")),
    Column(gettext_lazy("Evidence")),
    Column(gettext_lazy("As of"), Kind.DATE),
    Column(gettext_lazy("Raised"), Kind.DATETIME),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Snoozed until"), Kind.DATE),
    Column(gettext_lazy("Value at risk"), Kind.MONEY),
    Column(gettext_lazy("How it was resolved")),
]


def _export_row(a: Alert) -> list:
    return [
        a.account.name,
        display.rule_label(a.rule),
        display.evidence_text(a),
        a.as_of,
        timezone.localtime(a.raised_at).replace(tzinfo=None),
        a.get_status_display(),
        a.snoozed_until,
        a.value_at_risk,
        a.resolved_note,
    ]


def _changeable(user, alerts) -> set[int]:
    """The accounts among `alerts` on which `user` may act (one query)."""
    if not (user.is_superuser or user.has_perm(services.CHANGE_PERMISSION)):
        return set()
    ids = {a.account_id for a in alerts}
    return set(
        Account.objects.visible_to(user, "change").filter(pk__in=ids).values_list("pk", flat=True)
    )


def _decorate(alerts, user) -> list[Alert]:
    rows = list(alerts)
    changeable = _changeable(user, rows)
    for a in rows:
        a.text = display.evidence_text(a)
        a.rule_label = display.rule_label(a.rule)
        a.can_act = a.account_id in changeable
    return rows


class InboxView(Login, View):
    """The user's alerts to act on (their accounts; directors every account), newest and most
    valuable first; filters by rule, status and account; export."""

    def get(self, request):
        data = request.GET.copy()
        data.setdefault("status", AWAKE)
        base = selectors.mine(selectors.alert_list(user=request.user), request.user)
        filterset = AlertFilterSet(data, queryset=base, request=request)
        alerts = filterset.qs if filterset.is_valid() else Alert.objects.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="alerts",
                title=_("Alerts"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(a) for a in alerts.iterator(chunk_size=1000)),
            )
        page = paginate(request, alerts)
        page.object_list = _decorate(page.object_list, request.user)
        context = {
            "filter": filterset,
            "page": page,
            "rules": display.rule_choices(),
            "today": timezone.localdate(),
            "may_set": services.may_set(request.user),
            "currency": settings.REPORTING_CURRENCY,
        }
        template = "alerts/_results.html" if request.htmx else "alerts/inbox.html"
        return render(request, template, context)


class BadgeView(Login, View):
    """The number beside "Alerts" in the menu (loaded after the page: no page waits for it)."""

    def get(self, request):
        count = selectors.inbox_count(user=request.user)
        return render(request, "alerts/_badge.html", {"count": count})


class AccountPanelView(Login, View):
    """The account page's panel: its alerts still to act on."""

    def get(self, request, pk: int):
        account = account_selectors.account_detail(user=request.user, pk=pk)
        if account is None:
            raise Http404
        alerts = selectors.account_alerts(user=request.user, account=account)
        rows = _decorate(alerts[:20], request.user)
        context = {
            "account": account,
            "alerts": rows,
            "total": alerts.count() if rows else 0,
            "currency": settings.REPORTING_CURRENCY,
        }
        return render(request, "alerts/_account_panel.html", context)


def _alert(request, pk: int) -> Alert:
    alert = selectors.alert_detail(user=request.user, pk=pk)
    if alert is None:
        raise Http404
    return alert


def _acting(request, pk: int) -> Alert:
    alert = _alert(request, pk)
    if not services.may_act(request.user, alert):
        raise PermissionDenied
    return alert


def _history(alert: Alert) -> list:
    entries = ChangeLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Alert), object_id=alert.pk
    ).order_by("-created_at", "-pk")
    return [(entry, readable_changes(entry)) for entry in entries[:20]]


def _detail_context(request, alert: Alert, **forms) -> dict:
    user = request.user
    alert.text = display.evidence_text(alert)
    alert.rule_label = display.rule_label(alert.rule)
    alert.can_act = services.may_act(user, alert)
    playbook = display.playbook(alert)
    may_plan = bool(playbook) and services.may_plan(user, alert)
    return {
        "alert": alert,
        "account": alert.account,
        "playbook": playbook,
        "may_plan": may_plan,
        "plan_possible": services.plan_possible(alert),
        "plan": services.plan_target(alert) if may_plan else None,
        "year": timezone.localdate().year,
        "playbook_form": forms.get("playbook_form")
        or (PlaybookForm(playbook=playbook) if may_plan else None),
        "snooze_form": forms.get("snooze_form") or SnoozeForm(),
        "resolve_form": forms.get("resolve_form") or ResolveForm(),
        "history": _history(alert),
        "today": timezone.localdate(),
        "currency": settings.REPORTING_CURRENCY,
    }


class AlertDetailView(Login, View):
    def get(self, request, pk: int):
        alert = _alert(request, pk)
        return render(request, "alerts/alert_detail.html", _detail_context(request, alert))


def _back(request, alert: Alert):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("alerts:detail", alert.pk)


class _ActionView(Login, View):
    form_class = None
    form_key = ""
    done = ""

    def act(self, request, alert: Alert, form) -> None:
        raise NotImplementedError

    def post(self, request, pk: int):
        alert = _acting(request, pk)
        form = self.form_class(request.POST) if self.form_class else None
        error = None
        if form is None or form.is_valid():
            try:
                self.act(request, alert, form)
            except ValidationError as exc:
                error = exc
                if form is not None:
                    service_errors_to_form(form, exc)
        ok = error is None and (form is None or form.is_valid())
        if request.htmx:
            fresh = selectors.alert_detail(user=request.user, pk=alert.pk)
            row = _decorate([fresh], request.user)[0]
            context = {
                "a": row,
                "today": timezone.localdate(),
                "next": request.POST.get("next"),
                "currency": settings.REPORTING_CURRENCY,
            }
            if not ok:
                context["errors"] = _messages(form, error)
            context["compact"] = request.POST.get("compact") == "1"
            return render(request, "alerts/_alert_row.html", context)
        if ok:
            messages.success(request, str(self.done))
            return _back(request, alert)
        context = _detail_context(request, alert, **({self.form_key: form} if form else {}))
        if form is None and error is not None:
            context["errors"] = error.messages
        return render(request, "alerts/alert_detail.html", context, status=400)


def _messages(form, error) -> list[str]:
    if form is not None and form.errors:
        return [m for errors in form.errors.values() for m in errors]
    return error.messages if error is not None else []


class AcknowledgeView(_ActionView):
    done = gettext_lazy("Alert acknowledged.")

    def act(self, request, alert, form):
        services.alert_acknowledge(actor=request.user, alert=alert)


class SnoozeView(_ActionView):
    form_class = SnoozeForm
    form_key = "snooze_form"
    done = gettext_lazy("Alert snoozed.")

    def act(self, request, alert, form):
        services.alert_snooze(actor=request.user, alert=alert, until=form.cleaned_data["until"])


class ResolveView(_ActionView):
    form_class = ResolveForm
    form_key = "resolve_form"
    done = gettext_lazy("Alert resolved.")

    def act(self, request, alert, form):
        services.alert_resolve(actor=request.user, alert=alert, note=form.cleaned_data["note"])


class PlanActionsView(Login, View):
    """The playbook's ticked steps become actions of the account's plan of this year."""

    def post(self, request, pk: int):
        alert = _alert(request, pk)
        playbook = display.playbook(alert)
        if not services.may_plan(request.user, alert):
            raise PermissionDenied
        form = PlaybookForm(request.POST, playbook=playbook)
        if form.is_valid():
            try:
                outcome = services.alert_to_plan_actions(
                    actor=request.user,
                    alert=alert,
                    steps=form.cleaned_data["steps"],
                    due_date=form.cleaned_data["due_date"],
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                if outcome.plan_created:
                    messages.info(
                        request,
                        _("A draft plan for %(year)s was created for %(account)s.")
                        % {"year": outcome.plan.year, "account": alert.account},
                    )
                messages.success(
                    request,
                    _("%(count)s plan actions added.") % {"count": len(outcome.actions)},
                )
                return redirect("plans:detail", outcome.plan.pk)
        context = _detail_context(request, alert, playbook_form=form)
        return render(request, "alerts/alert_detail.html", context, status=400)


class SettingsView(Login, View):
    """Directors switch rules on and off and set their thresholds; everyone may read them."""

    def _forms(self, data=None, only: str | None = None):
        forms = []
        for key, current in services.current_settings().items():
            bound = data if only == key else None
            form = RuleSettingsForm(
                bound, rule=current.rule, values=current.thresholds, enabled=current.enabled
            )
            shown = [(t.label, current.thresholds.get(t.key)) for t in current.rule.thresholds]
            forms.append((current, form, shown))
        return sorted(forms, key=lambda pair: str(pair[0].rule.label))

    def _render(self, request, forms, status=200):
        from .models import AlertSettings

        history = AlertSettings.objects.select_related("set_by")[:30]
        for row in history:
            row.rule_label = display.rule_label(row.rule)
        context = {"forms": forms, "may_set": services.may_set(request.user), "history": history}
        return render(request, "alerts/settings.html", context, status=status)

    def get(self, request):
        require_perm(request, "alerts.view_alertsettings")
        return self._render(request, self._forms())

    def post(self, request):
        require_perm(request, services.SETTINGS_PERMISSION)
        key = request.POST.get("rule", "")
        forms = self._forms(request.POST, only=key)
        form = next((f for current, f, _shown in forms if current.rule.key == key), None)
        if form is None:
            messages.error(request, _("No such alert rule."))
            return self._render(request, forms, status=400)
        if form.is_valid():
            try:
                services.alert_settings_set(
                    actor=request.user,
                    rule=key,
                    enabled=form.cleaned_data["enabled"],
                    thresholds=form.thresholds(),
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(
                    request, _("Saved the settings of “%(rule)s”.") % {"rule": form.rule.label}
                )
                return redirect(reverse("alerts:settings"))
        return self._render(request, forms, status=400)
