from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Activity, ActivityKind, CalendarToken


@admin.register(ActivityKind)
class ActivityKindAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "is_entertainment", "order")
    prepopulated_fields = {"code": ("name",)}


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    list_display = ("subject", "account", "kind", "occurred_at", "purpose", "author")
    list_filter = ("kind", "purpose")
    search_fields = ("subject", "account__name")
    raw_id_fields = ("account", "author", "their_people")
    filter_horizontal = ("our_people",)
    list_select_related = ("account", "kind", "author")
    date_hierarchy = "occurred_at"


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    """Administrators see whose calendar feed is live and revoke one by deleting it; the secret
    itself is never stored, so there is nothing to add or edit here."""

    list_display = ("user", "created_at", "last_used_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("user", "created_at", "last_used_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
