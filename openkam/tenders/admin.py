from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import Tender


@admin.register(Tender)
class TenderAdmin(ScopedAdmin):
    list_display = ("title", "account", "status", "value", "currency", "decided_on")
    list_filter = ("status", "lost_reason")
    search_fields = ("title", "account__name")
    raw_id_fields = ("account", "author")
    list_select_related = ("account",)
    date_hierarchy = "announced_on"
