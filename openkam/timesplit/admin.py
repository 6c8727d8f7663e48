from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import TimeEntry


@admin.register(TimeEntry)
class TimeEntryAdmin(ScopedAdmin):
    account_id_attr = "changelog_account_id"
    list_display = ("week", "user", "purpose", "hours", "account", "note")
    list_filter = ("purpose",)
    search_fields = ("user__username", "account__name", "note")
    raw_id_fields = ("user", "account")
    list_select_related = ("user", "account")
    date_hierarchy = "week"
