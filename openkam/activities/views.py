from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts.models import Account
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form

from . import calendar, selectors, services
from .filters import ActivityFilterSet
from .forms import ActivityForm
from .models import Activity, CalendarToken

EXPORT_COLUMNS = [
    Column(gettext_lazy("Date and time"), Kind.DATETIME),
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Kind")),
    Column(gettext_lazy("Purpose")),
    Column(gettext_lazy("Duration (minutes)"), Kind.INTEGER),
    Column(gettext_lazy("Subject")),
    Column(gettext_lazy("Our people present")),
    Column(gettext_lazy("Their people present")),
    Column(gettext_lazy("Outcome")),
    Column(gettext_lazy("Next step")),
    Column(gettext_lazy("Next step due"), Kind.DATE),
    Column(gettext_lazy("Author")),
]


def _export_row(activity: Activity) -> list:
    return [
        activity.occurred_at,
        activity.account.name,
        str(activity.kind),
        activity.get_purpose_display(),
        activity.duration_minutes,
        activity.subject,
        ", ".join(u.get_username() for u in activity.our_people.all()),
        ", ".join(s.name for s in activity.their_people.all()),
        activity.outcome,
        activity.next_step,
        activity.next_step_due,
        activity.author.get_username() if activity.author else "",
    ]


class ActivityListView(Login, View):
    def get(self, request):
        filterset = ActivityFilterSet(
            request.GET, queryset=selectors.activity_list(user=request.user), request=request
        )
        activities = filterset.qs if filterset.is_valid() else Activity.objects.none()
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="activities",
                title=_("Activities"),
                headers=EXPORT_COLUMNS,
                rows=(_export_row(a) for a in activities.iterator(chunk_size=1000)),
            )
        page = paginate(request, activities)
        template = (
            "activities/_activity_table.html" if request.htmx else "activities/activity_list.html"
        )
        context = {"filter": filterset, "page": page}
        if not request.htmx:
            context["calendar_token"] = CalendarToken.objects.filter(user=request.user).first()
            # the secret is shown once, right after it was made
            context["calendar_url"] = request.session.pop(CALENDAR_URL_KEY, None)
        return render(request, template, context)


CALENDAR_URL_KEY = "activities_calendar_url"


class CalendarTokenView(Login, View):
    """Make (or remake) or revoke the user's private calendar-feed address."""

    def post(self, request):
        if request.POST.get("action") == "revoke":
            if calendar.calendar_token_revoke(actor=request.user):
                messages.success(request, _("Your calendar feed is revoked."))
        else:
            secret = calendar.calendar_token_issue(actor=request.user)
            path = reverse("activities:calendar_feed", args=[secret])
            request.session[CALENDAR_URL_KEY] = request.build_absolute_uri(path)
            messages.success(
                request, _("Your calendar feed is ready; an earlier address no longer works.")
            )
        return redirect("activities:list")


def calendar_feed(request, token: str) -> HttpResponse:
    """The feed itself: no login, only a live token."""
    user = calendar.token_user(token)
    if user is None:
        raise Http404
    response = HttpResponse(calendar.feed(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="openkam-activities.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _account(request, account_pk: int) -> Account:
    account = get_object_or_404(Account.objects.visible_to(request.user, "view"), pk=account_pk)
    if not services.may_log(request.user, account):
        raise PermissionDenied
    return account


def _editable(request, pk: int) -> Activity:
    activity = get_object_or_404(selectors.activity_list(user=request.user), pk=pk)
    if not services.may_edit(request.user, activity):
        raise PermissionDenied
    return activity


def _save(request, form: ActivityForm, save, context: dict, success: str):
    if form.is_valid():
        data, ours, theirs = form.service_data()
        try:
            activity = save(data, ours, theirs)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, success % {"subject": activity.subject})
            return redirect("accounts:detail", activity.account_id)
    return render(request, "activities/activity_form.html", {**context, "form": form}, status=400)


class ActivityCreateView(Login, View):
    def get(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = ActivityForm(user=request.user, account=account)
        # from a stakeholder's page: that person is ticked already
        wanted = request.GET.get("stakeholder", "")
        if wanted.isdigit():
            person = form.fields["their_people"].queryset.filter(pk=int(wanted)).first()
            if person is not None:
                form.initial["their_people"] = [person.pk]
        return render(request, "activities/activity_form.html", {"form": form, "account": account})

    def post(self, request, account_pk: int):
        account = _account(request, account_pk)
        form = ActivityForm(request.POST, user=request.user, account=account)

        def save(data, ours, theirs):
            return services.activity_create(
                actor=request.user,
                account=account,
                data=data,
                our_people=ours,
                their_people=theirs,
            )

        return _save(request, form, save, {"account": account}, _("Logged “%(subject)s”."))


class ActivityUpdateView(Login, View):
    def get(self, request, pk: int):
        activity = _editable(request, pk)
        form = ActivityForm(instance=activity, user=request.user, account=activity.account)
        context = {"form": form, "account": activity.account, "activity": activity}
        return render(request, "activities/activity_form.html", context)

    def post(self, request, pk: int):
        activity = _editable(request, pk)
        form = ActivityForm(
            request.POST, instance=activity, user=request.user, account=activity.account
        )

        def save(data, ours, theirs):
            fresh = Activity.objects.get(pk=activity.pk)  # the form wrote into `activity`
            return services.activity_update(
                actor=request.user, activity=fresh, data=data, our_people=ours, their_people=theirs
            )

        context = {"account": activity.account, "activity": activity}
        return _save(request, form, save, context, _("Saved “%(subject)s”."))


class ActivityDeleteView(Login, View):
    def get(self, request, pk: int):
        activity = _editable(request, pk)
        return render(request, "activities/activity_confirm_delete.html", {"activity": activity})

    def post(self, request, pk: int):
        activity = _editable(request, pk)
        account_id, subject = activity.account_id, activity.subject
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("Deleted “%(subject)s”.") % {"subject": subject})
        return redirect("accounts:detail", account_id)
