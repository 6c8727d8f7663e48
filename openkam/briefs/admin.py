from django.contrib import admin

from openkam.core.admin import ScopedAdmin

from .models import NegotiationBrief


@admin.register(NegotiationBrief)
class NegotiationBriefAdmin(ScopedAdmin):
    list_display = ("title", "account", "meeting_on", "author")
    search_fields = ("title", "account__name")
    raw_id_fields = ("account", "author", "attendees")
    filter_horizontal = ("our_people",)
    list_select_related = ("account", "author")
    date_hierarchy = "meeting_on"
