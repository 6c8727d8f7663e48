from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Department, DepartmentKind, Position, Stakeholder, StakeholderAssessment


@admin.register(DepartmentKind)
class DepartmentKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "order")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Department)
class DepartmentAdmin(ScopedAdmin):
    list_display = ("__str__", "account", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "account__name")
    raw_id_fields = ("account",)


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ("account", "department")


class AssessmentInline(admin.TabularInline):
    """The influence and attitude history: written by the services, read here."""

    model = StakeholderAssessment
    extra = 0
    fields = ("field", "value", "since", "author")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("stakeholders.view_stakeholder")


@admin.register(Stakeholder)
class StakeholderAdmin(ScopedAdmin):
    list_display = (
        "name",
        "job_title",
        "account",
        "department",
        "buying_role",
        "influence",
        "attitude",
        "active",
    )
    list_filter = ("buying_role", "attitude", "influence", "active", "department__kind")
    search_fields = ("name", "email", "job_title", "account__name")
    raw_id_fields = ("account", "department", "reports_to")
    list_select_related = ("account", "department", "department__kind")
    inlines = [PositionInline, AssessmentInline]
