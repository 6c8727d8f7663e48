from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Programme, ProgrammeStep, TargetList, Touch


@admin.register(TargetList)
class TargetListAdmin(ScopedAdmin):
    account_id_attr = "changelog_account_id"
    list_display = ("name", "kind", "tier", "owner")
    list_filter = ("kind", "tier")
    search_fields = ("name", "description")
    raw_id_fields = ("owner",)


@admin.register(Programme)
class ProgrammeAdmin(ScopedAdmin):
    account_id_attr = "changelog_account_id"
    list_display = ("name", "account", "target_list", "marketing_owner", "sales_owner", "starts_on")
    search_fields = ("name", "objectives", "account__name", "target_list__name")
    raw_id_fields = ("account", "target_list", "marketing_owner", "sales_owner")
    list_select_related = ("account", "target_list", "marketing_owner", "sales_owner")


@admin.register(ProgrammeStep)
class ProgrammeStepAdmin(ScopedAdmin):
    account_id_attr = "changelog_account_id"
    list_display = ("title", "programme", "kind", "on")
    list_filter = ("kind",)
    raw_id_fields = ("programme",)


@admin.register(Touch)
class TouchAdmin(ScopedAdmin):
    account_id_attr = "changelog_account_id"
    list_display = ("stakeholder", "step", "kind", "on", "author")
    list_filter = ("kind",)
    raw_id_fields = ("step", "stakeholder", "author")
