from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Department, DepartmentKind, Position, Stakeholder


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


@admin.register(Stakeholder)
class StakeholderAdmin(ScopedAdmin):
    list_display = ("name", "job_title", "account", "department", "buying_role", "active")
    list_filter = ("buying_role", "active", "department__kind")
    search_fields = ("name", "email", "job_title", "account__name")
    raw_id_fields = ("account", "department", "reports_to")
    list_select_related = ("account", "department", "department__kind")
    inlines = [PositionInline]
