from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import AccountLoss


@admin.register(AccountLoss)
class AccountLossAdmin(ScopedAdmin):
    list_display = ("account", "lost_on", "reason", "competitor", "recorded_by")
    list_filter = ("reason",)
    search_fields = ("account__name", "competitor__name", "details")
    raw_id_fields = ("account", "competitor", "recorded_by")
    list_select_related = ("account", "competitor", "recorded_by")
    date_hierarchy = "lost_on"
