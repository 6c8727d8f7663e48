from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Alert, AlertSettings


@admin.register(Alert)
class AlertAdmin(ScopedAdmin):
    list_display = ("rule", "account", "as_of", "status", "snoozed_until", "value_at_risk")
    list_filter = ("rule", "status")
    search_fields = ("account__name", "cause")
    raw_id_fields = ("account", "acted_by")
    list_select_related = ("account",)
    date_hierarchy = "as_of"


@admin.register(AlertSettings)
class AlertSettingsAdmin(admin.ModelAdmin):
    list_display = ("rule", "enabled", "thresholds", "set_by", "created_at")
    list_filter = ("rule", "enabled")
    readonly_fields = ("created_at",)

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a new row is a new setting: the history is never edited
