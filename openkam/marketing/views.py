from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from openkam.accounts.models import Account, AccountStatus
from openkam.core.exports import Column, Kind, export_format, export_response
from openkam.core.views import Login, paginate, service_errors_to_form
from openkam.health.models import HealthLevel
from openkam.keyaccounts.models import KeyAccountType
from openkam.stakeholders.models import Stakeholder

from . import selectors, services, vcards
from .forms import AddAccountsForm, FreezeForm, ProgrammeForm, StepForm, TargetListForm, TouchForm
from .models import ListKind, Programme, ProgrammeStep, TargetList, Tier, TouchKind

RECENT_TOUCHES = 20

MEMBER_COLUMNS = [
    Column(gettext_lazy("Account")),
    Column(gettext_lazy("Status")),
    Column(gettext_lazy("Country")),
    Column(gettext_lazy("Segment")),
    Column(gettext_lazy("Owner")),
    Column(gettext_lazy("Key-account type")),
    Column(gettext_lazy("ABC class")),
    Column(gettext_lazy("Health level")),
    Column(gettext_lazy("People"), Kind.INTEGER),
]


def _label(choices, value) -> str:
    return str(dict(choices).get(value, value or ""))


def _member_row(account: Account) -> list:
    return [
        account.name,
        _label(AccountStatus.choices, account.status),
        str(account.country.name) if account.country else "",
        account.segment.name if account.segment_id else "",
        account.owner_username or "",
        _label(KeyAccountType.choices, account.current_type),
        account.abc_class or "",
        _label(HealthLevel.choices, account.health_level),
        account.people,
    ]


def _target_list(request, pk: int, action: str = "view") -> TargetList:
    target_list = get_object_or_404(selectors.target_lists(user=request.user), pk=pk)
    if action != "view" and not services.may_manage_lists(request.user, action):
        raise PermissionDenied
    return target_list


def rule_summary(target_list: TargetList) -> list[tuple[str, str]]:
    """The criteria of a list by rule, as (what, value) pairs to show."""
    fields = TargetList._meta
    shown = []
    for name in TargetList.RULE_FIELDS:
        value = getattr(target_list, name)
        if value in ("", None):
            continue
        display = getattr(target_list, f"get_{name}_display", None)
        if name == "rule_country":
            text = str(value.name)
        elif name == "rule_abc":
            text = ", ".join(value)
        else:
            text = str(display() if display else value)
        shown.append((str(fields.get_field(name).verbose_name), text))
    return shown


class TargetListIndexView(Login, View):
    """Every target-account list, by tier."""

    def get(self, request):
        lists = selectors.target_lists(user=request.user).annotate(chosen=Count("memberships"))
        context = {
            "lists": lists,
            "can_add": services.may_manage_lists(request.user),
            "tiers": Tier.choices,
        }
        return render(request, "marketing/list_index.html", context)


class TargetListDetailView(Login, View):
    """A list's members (worked out from the rule when shown), a page at a time, with the
    export, the contact cards and the programmes run for it."""

    def get(self, request, pk: int):
        user = request.user
        target_list = _target_list(request, pk)
        accounts = selectors.with_marketing_facts(
            selectors.members(user=user, target_list=target_list)
        )
        wanted = export_format(request)
        if wanted:
            return export_response(
                format=wanted,
                filename="target-list",
                title=target_list.name,
                headers=MEMBER_COLUMNS,
                rows=(_member_row(a) for a in accounts.iterator(chunk_size=2000)),
            )
        page = paginate(request, accounts)
        page.object_list = list(page.object_list)
        for account in page.object_list:
            account.type_label = _label(KeyAccountType.choices, account.current_type)
        can_change = services.may_manage_lists(user, "change")
        context = {
            "target_list": target_list,
            "page": page,
            "can_change": can_change,
            "can_delete": services.may_manage_lists(user, "delete"),
            "can_freeze": target_list.is_rule and services.may_manage_lists(user),
            "can_edit_members": can_change and target_list.kind == ListKind.STATIC,
        }
        if request.htmx:
            return render(request, "marketing/_members.html", context)
        context |= {
            "rule": rule_summary(target_list),
            "programmes": selectors.programmes(user=user).filter(target_list=target_list),
            "add_form": AddAccountsForm(user=user) if context["can_edit_members"] else None,
            "freeze_form": FreezeForm() if context["can_freeze"] else None,
            "can_start_programme": services.may_run_programme(user, None),
        }
        return render(request, "marketing/list_detail.html", context)


def _save_list(request, form: TargetListForm, save, template_context: dict):
    if form.is_valid():
        try:
            target_list = save(form)
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, _("List saved."))
            return redirect(target_list)
    return render(
        request, "marketing/list_form.html", {**template_context, "form": form}, status=400
    )


class TargetListCreateView(Login, View):
    def get(self, request):
        if not services.may_manage_lists(request.user):
            raise PermissionDenied
        form = TargetListForm(initial={"owner": request.user.pk})
        return render(request, "marketing/list_form.html", {"form": form})

    def post(self, request):
        if not services.may_manage_lists(request.user):
            raise PermissionDenied
        form = TargetListForm(request.POST)

        def save(form):
            return services.targetlist_create(
                actor=request.user, kind=form.cleaned_data["kind"], data=form.service_data()
            )

        return _save_list(request, form, save, {})


class TargetListUpdateView(Login, View):
    def get(self, request, pk: int):
        target_list = _target_list(request, pk, "change")
        form = TargetListForm(instance=target_list)
        return render(
            request, "marketing/list_form.html", {"form": form, "target_list": target_list}
        )

    def post(self, request, pk: int):
        target_list = _target_list(request, pk, "change")
        form = TargetListForm(request.POST, instance=target_list)

        def save(form):
            fresh = TargetList.objects.get(pk=target_list.pk)
            return services.targetlist_update(
                actor=request.user, target_list=fresh, data=form.service_data()
            )

        return _save_list(request, form, save, {"target_list": target_list})


class TargetListDeleteView(Login, View):
    def get(self, request, pk: int):
        target_list = _target_list(request, pk, "delete")
        return render(request, "marketing/confirm_delete.html", {"object": target_list})

    def post(self, request, pk: int):
        target_list = _target_list(request, pk, "delete")
        services.targetlist_delete(actor=request.user, target_list=target_list)
        messages.success(request, _("List deleted."))
        return redirect("marketing:lists")


class TargetListFreezeView(Login, View):
    def post(self, request, pk: int):
        target_list = _target_list(request, pk, "add")
        form = FreezeForm(request.POST)
        if not form.is_valid():
            return redirect(target_list)
        try:
            frozen = services.targetlist_freeze(
                actor=request.user, target_list=target_list, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(target_list)
        messages.success(request, _("Frozen: the accounts that match now make a static list."))
        return redirect(frozen)


class MemberAddView(Login, View):
    def post(self, request, pk: int):
        target_list = _target_list(request, pk, "change")
        form = AddAccountsForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Choose an account you can see."))
            return redirect(target_list)
        try:
            services.targetlist_add_accounts(
                actor=request.user, target_list=target_list, accounts=[form.cleaned_data["account"]]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(target_list)


class MemberRemoveView(Login, View):
    def post(self, request, pk: int, account_pk: int):
        target_list = _target_list(request, pk, "change")
        account = get_object_or_404(Account.objects.visible_to(request.user), pk=account_pk)
        try:
            services.targetlist_remove_account(
                actor=request.user, target_list=target_list, account=account
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(target_list)


def _version(request) -> str:
    wanted = request.GET.get("version", vcards.DEFAULT_VERSION)
    return wanted if wanted in vcards.VERSIONS else vcards.DEFAULT_VERSION


def vcard_download(people, version: str, stem: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (card.encode() for card in vcards.many(people, version)), content_type=vcards.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{vcards.file_name(stem)}"'
    return response


class TargetListVCardView(Login, View):
    """All the contact cards of the list's accounts' people, as one .vcf file."""

    def get(self, request, pk: int):
        target_list = _target_list(request, pk)
        people = selectors.contact_cards(user=request.user, target_list=target_list)
        return vcard_download(people.iterator(chunk_size=2000), _version(request), "contacts")


class TargetListCardsView(Login, View):
    """The list's contact cards to print: one box per person."""

    def get(self, request, pk: int):
        target_list = _target_list(request, pk)
        people = selectors.contact_cards(user=request.user, target_list=target_list)
        page = paginate(request, people, per_page=200)
        return render(
            request, "marketing/cards_print.html", {"target_list": target_list, "page": page}
        )


class StakeholderVCardView(Login, View):
    def get(self, request, pk: int):
        person = selectors.stakeholder_card(user=request.user, pk=pk)
        if person is None:
            return HttpResponse(status=404)
        return vcard_download([person], _version(request), person.name)


# -- programmes ------------------------------------------------------------------------------


def _programme(request, pk: int) -> Programme:
    return get_object_or_404(selectors.programmes(user=request.user), pk=pk)


class ProgrammeIndexView(Login, View):
    def get(self, request):
        programmes = (
            selectors.programmes(user=request.user)
            .annotate(steps_count=Count("steps"))
            .order_by("-starts_on", "name", "pk")
        )
        context = {
            "page": paginate(request, programmes),
            "can_add": services.holds(request.user, "marketing.add_programme"),
        }
        return render(request, "marketing/programme_index.html", context)


def _touch_people(user, programme: Programme):
    """Whom `user` may record touches of on the programme: people still at its accounts on
    accounts the user may change."""
    changeable = Account.objects.visible_to(user, "change").values("pk")
    accounts = selectors.programme_accounts(programme).filter(pk__in=changeable).values("pk")
    return (
        Stakeholder.objects.filter(account__in=accounts, active=True)
        .select_related("account")
        .order_by("account__name", "name", "pk")
    )


class ProgrammeDetailView(Login, View):
    """Objectives, owners, steps and the engagement table: people × steps with their touches,
    and the score per person and per account."""

    def get(self, request, pk: int):
        user = request.user
        programme = _programme(request, pk)
        result = selectors.engagement(user=user, programme=programme)
        can_add_touch = services.may_touch(user) and bool(result.steps)
        people_page = paginate(request, result.people)
        kinds = dict(TouchKind.choices)
        for person in people_page.object_list:
            person.cells = [[kinds[k] for k in person.cell(s.pk)] for s in result.steps]
        context = {
            "programme": programme,
            "engagement": result,
            "people_page": people_page,
            "can_change": services.may_run_programme(user, programme.account, "change"),
            "can_delete": services.may_run_programme(user, programme.account, "delete"),
            "can_add_step": services.may_edit_steps(user, programme),
            "can_change_step": services.may_edit_steps(user, programme, "change"),
            "can_delete_step": services.may_edit_steps(user, programme, "delete"),
            "step_form": StepForm() if services.may_edit_steps(user, programme) else None,
            "touch_form": (
                TouchForm(programme=programme, people=_touch_people(user, programme))
                if can_add_touch
                else None
            ),
            "can_delete_touch": services.may_touch(user, action="delete"),
            "recent_touches": selectors.touches(user=user)
            .filter(step__programme=programme)
            .order_by("-on", "-pk")[:RECENT_TOUCHES],
        }
        return render(request, "marketing/programme_detail.html", context)


def _save_programme(request, form: ProgrammeForm, save, context: dict):
    if form.is_valid():
        try:
            programme = save(form.service_data())
        except ValidationError as error:
            service_errors_to_form(form, error)
        except PermissionDenied:
            form.add_error(None, _("You may not run a programme for this account or list."))
        else:
            messages.success(request, _("Programme saved."))
            return redirect(programme)
    return render(request, "marketing/programme_form.html", {**context, "form": form}, status=400)


class ProgrammeCreateView(Login, View):
    def _allowed(self, request) -> None:
        if not services.holds(request.user, "marketing.add_programme"):
            raise PermissionDenied

    def get(self, request):
        self._allowed(request)
        form = ProgrammeForm(user=request.user)
        for name in ("account", "target_list"):
            wanted = request.GET.get(name, "")
            if wanted.isdigit() and form.fields[name].queryset.filter(pk=int(wanted)).exists():
                form.initial[name] = int(wanted)
        form.initial.setdefault("marketing_owner", request.user.pk)
        return render(request, "marketing/programme_form.html", {"form": form})

    def post(self, request):
        self._allowed(request)
        form = ProgrammeForm(request.POST, user=request.user)

        def save(data):
            return services.programme_create(actor=request.user, data=data)

        return _save_programme(request, form, save, {})


class ProgrammeUpdateView(Login, View):
    def _get(self, request, pk: int) -> Programme:
        programme = _programme(request, pk)
        if not services.may_run_programme(request.user, programme.account, "change"):
            raise PermissionDenied
        return programme

    def get(self, request, pk: int):
        programme = self._get(request, pk)
        form = ProgrammeForm(instance=programme, user=request.user)
        context = {"form": form, "programme": programme}
        return render(request, "marketing/programme_form.html", context)

    def post(self, request, pk: int):
        programme = self._get(request, pk)
        form = ProgrammeForm(request.POST, instance=programme, user=request.user)

        def save(data):
            fresh = Programme.objects.select_related("account").get(pk=programme.pk)
            return services.programme_update(actor=request.user, programme=fresh, data=data)

        return _save_programme(request, form, save, {"programme": programme})


class ProgrammeDeleteView(Login, View):
    def _get(self, request, pk: int) -> Programme:
        programme = _programme(request, pk)
        if not services.may_run_programme(request.user, programme.account, "delete"):
            raise PermissionDenied
        return programme

    def get(self, request, pk: int):
        return render(request, "marketing/confirm_delete.html", {"object": self._get(request, pk)})

    def post(self, request, pk: int):
        programme = self._get(request, pk)
        services.programme_delete(actor=request.user, programme=programme)
        messages.success(request, _("Programme deleted."))
        return redirect("marketing:programmes")


class StepCreateView(Login, View):
    def post(self, request, pk: int):
        programme = _programme(request, pk)
        if not services.may_edit_steps(request.user, programme):
            raise PermissionDenied
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                services.step_create(
                    actor=request.user, programme=programme, data=form.service_data()
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Step added."))
                return redirect(programme)
        context = {"form": form, "programme": programme}
        return render(request, "marketing/step_form.html", context, status=400)


def _step(request, pk: int, action: str) -> ProgrammeStep:
    step = get_object_or_404(selectors.programme_steps(user=request.user), pk=pk)
    if not services.may_edit_steps(request.user, step.programme, action):
        raise PermissionDenied
    return step


class StepUpdateView(Login, View):
    def get(self, request, pk: int):
        step = _step(request, pk, "change")
        context = {"form": StepForm(instance=step), "programme": step.programme, "step": step}
        return render(request, "marketing/step_form.html", context)

    def post(self, request, pk: int):
        step = _step(request, pk, "change")
        form = StepForm(request.POST, instance=step)
        if form.is_valid():
            fresh = ProgrammeStep.objects.select_related("programme").get(pk=step.pk)
            try:
                services.step_update(actor=request.user, step=fresh, data=form.service_data())
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Step saved."))
                return redirect(step.programme)
        context = {"form": form, "programme": step.programme, "step": step}
        return render(request, "marketing/step_form.html", context, status=400)


class StepDeleteView(Login, View):
    def get(self, request, pk: int):
        step = _step(request, pk, "delete")
        return render(request, "marketing/confirm_delete.html", {"object": step})

    def post(self, request, pk: int):
        step = _step(request, pk, "delete")
        programme = step.programme
        services.step_delete(actor=request.user, step=step)
        messages.success(request, _("Step deleted."))
        return redirect(programme)


class TouchCreateView(Login, View):
    def post(self, request, pk: int):
        user = request.user
        programme = _programme(request, pk)
        if not services.may_touch(user):
            raise PermissionDenied
        form = TouchForm(request.POST, programme=programme, people=_touch_people(user, programme))
        if form.is_valid():
            try:
                services.touch_create(
                    actor=user,
                    step=form.cleaned_data["step"],
                    stakeholder=form.cleaned_data["stakeholder"],
                    data=form.service_data(),
                )
            except ValidationError as error:
                service_errors_to_form(form, error)
            else:
                messages.success(request, _("Touch recorded."))
                return redirect(programme)
        context = {"form": form, "programme": programme}
        return render(request, "marketing/touch_form.html", context, status=400)


class TouchDeleteView(Login, View):
    def post(self, request, pk: int):
        touch = get_object_or_404(selectors.touches(user=request.user), pk=pk)
        if not services.may_touch(request.user, touch.stakeholder, "delete"):
            raise PermissionDenied
        programme = touch.step.programme
        services.touch_delete(actor=request.user, touch=touch)
        messages.success(request, _("Touch deleted."))
        return redirect(programme)
