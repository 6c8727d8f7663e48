from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import AccountPlan, PlanAction, PlanObjective, PlanReview, PlanRisk, ValueProposition


@admin.register(AccountPlan)
class AccountPlanAdmin(ScopedAdmin):
    list_display = ("account", "year", "status", "review_cadence", "updated_at")
    list_filter = ("year", "status")
    search_fields = ("account__name",)
    raw_id_fields = ("account", "copied_from")
    list_select_related = ("account",)


@admin.register(ValueProposition)
class ValuePropositionAdmin(ScopedAdmin):
    account_id_attr = "plan_account_id"
    list_display = ("plan", "kind", "description")
    list_filter = ("kind",)
    raw_id_fields = ("plan",)
    list_select_related = ("plan__account",)


@admin.register(PlanObjective)
class PlanObjectiveAdmin(ScopedAdmin):
    account_id_attr = "plan_account_id"
    list_display = ("title", "plan")
    raw_id_fields = ("plan",)
    list_select_related = ("plan__account",)


@admin.register(PlanAction)
class PlanActionAdmin(ScopedAdmin):
    account_id_attr = "plan_account_id"
    list_display = ("title", "objective", "owner", "due_date", "status", "done_on")
    list_filter = ("status",)
    raw_id_fields = ("objective", "owner")
    list_select_related = ("objective", "owner")


@admin.register(PlanRisk)
class PlanRiskAdmin(ScopedAdmin):
    account_id_attr = "plan_account_id"
    list_display = ("description", "plan", "likelihood", "impact")
    raw_id_fields = ("plan",)
    list_select_related = ("plan__account",)


@admin.register(PlanReview)
class PlanReviewAdmin(ScopedAdmin):
    account_id_attr = "plan_account_id"
    list_display = ("plan", "held_on")
    raw_id_fields = ("plan", "activity", "their_attendees")
    filter_horizontal = ("our_attendees",)
    list_select_related = ("plan__account",)
